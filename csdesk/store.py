"""The schema's life cycle: create at the newest revision, check, upgrade, back up.

Revisions live in ``csdesk/migrations`` and are applied through Alembic,
configured here in code so an installed csdesk needs no alembic.ini.
Migrating happens under ``Database.exclusive()``: when several desks start
at once, one migrates and the others find the work done.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from csdesk.db import DEFAULT_BUSY_DEADLINE, DEFAULT_BUSY_TIMEOUT, Database, DatabaseError, connect, enable_wal
from csdesk.i18n import _
from csdesk.migrations import append_only, change_feed, knowledge_search, revisions
from csdesk.progress import SILENT, Progress

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = revisions.FOLDER
UPGRADE_HINT = "run `csdesk db upgrade`"


def shipped_revisions() -> list[str]:
    """The revision ids this csdesk ships, oldest first (see ``csdesk.migrations.revisions``)."""
    return revisions.shipped_revisions(MIGRATIONS_DIR)


def head_revision() -> str:
    return revisions.head_revision(MIGRATIONS_DIR)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


class RevisionState(StrEnum):
    OK = "ok"
    EMPTY = "empty"  # a fresh file: `csdesk init` fills it
    BEHIND = "behind"  # made by an older csdesk: upgrade it
    AHEAD = "ahead"  # made by a newer csdesk: refuse, never touch
    FOREIGN = "foreign"  # tables but not ours


@dataclass(frozen=True)
class RevisionCheck:
    state: RevisionState
    current: str | None
    head: str
    message: str

    @property
    def ok(self) -> bool:
        return self.state is RevisionState.OK


def _current(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _inspect(db: Database, conn: Connection) -> RevisionCheck:
    head = head_revision()
    current = _current(conn)
    where = db.path or db.url
    if current is None:
        if inspect(conn).get_table_names():
            return RevisionCheck(
                RevisionState.FOREIGN, None, head, f"{where} holds tables that are not a csdesk database"
            )
        return RevisionCheck(RevisionState.EMPTY, None, head, f"{where} is empty: run `csdesk init`")
    if current == head:
        return RevisionCheck(RevisionState.OK, current, head, f"schema is up to date ({head})")
    if current in shipped_revisions():
        return RevisionCheck(
            RevisionState.BEHIND,
            current,
            head,
            f"the database schema is older than this csdesk ({current} < {head}): {UPGRADE_HINT}",
        )
    return RevisionCheck(
        RevisionState.AHEAD,
        current,
        head,
        f"the database was made by a newer csdesk (schema {current}): install that version; this one will not touch it",
    )


def open_database(
    target: str | os.PathLike[str],
    *,
    create: bool = False,
    require_current: bool | None = None,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    busy_deadline: float = DEFAULT_BUSY_DEADLINE,
) -> Database:
    """Opens a database by file path or SQLAlchemy URL.

    With ``create=False`` a missing SQLite file is an error (``csdesk init``
    makes one). The schema must be at this csdesk's revision unless
    ``require_current=False`` (maintenance: check, backup, upgrade) or
    ``create=True`` (the caller migrates: ``create_database``).
    Raises ``DatabaseError`` with a one-line message.
    """
    db = connect(target, create=create, busy_timeout=busy_timeout, busy_deadline=busy_deadline)
    if require_current is None:
        require_current = not create
    try:
        check = check_revision(db)
        if require_current and not check.ok:
            raise DatabaseError(check.message)
        if check.state in (RevisionState.OK, RevisionState.EMPTY):
            enable_wal(db)
    except BaseException:
        db.close()
        raise
    return db


def check_revision(db: Database) -> RevisionCheck:
    """Where the database's schema stands against this csdesk's migrations."""
    with db.engine.connect() as conn:
        return _inspect(db, conn)


def ensure_current(db: Database) -> None:
    """Raises ``DatabaseError`` (one line, with what to do) unless at head."""
    check = check_revision(db)
    if not check.ok:
        raise DatabaseError(check.message)


def _migrate(db: Database) -> RevisionCheck:
    """Brings an empty or older database to head under the migration lock."""
    with db.exclusive() as conn:
        # Re-checked under the lock: another desk may have just done it.
        before = _inspect(db, conn)
        if before.state in (RevisionState.AHEAD, RevisionState.FOREIGN):
            raise DatabaseError(before.message)
        if before.state is not RevisionState.OK:
            from alembic import command

            command.upgrade(alembic_config(conn), "head")
        return before


def create_database(target: str | os.PathLike[str], **options: float) -> Database:
    """Creates (or opens) a database and brings it to head; returns it open.

    An existing database at an older revision is refused with the upgrade
    hint: upgrading takes a backup first, which ``upgrade`` does.
    """
    db = open_database(target, create=True, **options)
    try:
        check = check_revision(db)
        if check.state in (RevisionState.BEHIND, RevisionState.AHEAD, RevisionState.FOREIGN):
            raise DatabaseError(check.message)
        if check.state is RevisionState.EMPTY:
            _migrate(db)
        enable_wal(db)
    except BaseException:
        db.close()
        raise
    return db


def upgrade(db: Database, backup_path: str | os.PathLike[str] | None = None) -> Path | None:
    """Upgrades to head after backing up; returns the backup (None if nothing to do).

    The backup goes next to the database as ``NAME.<revision>-<time>.bak``
    unless ``backup_path`` is given.
    """
    check = check_revision(db)
    if check.ok:
        return None
    if check.state in (RevisionState.AHEAD, RevisionState.FOREIGN):
        raise DatabaseError(check.message)
    saved = None
    if check.state is RevisionState.BEHIND and db.is_sqlite:
        if backup_path is None:
            assert db.path is not None
            backup_path = upgrade_backup_name(db.path, check.current)
        saved = backup(db, backup_path)
    _migrate(db)
    enable_wal(db)
    return saved


def upgrade_backup_name(path: Path, revision: str | None) -> Path:
    """``NAME.<revision>-<time>.bak`` beside the database, to the microsecond: two
    upgrades in the same second get two names (and a backup never replaces a file)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f")
    return path.with_name(f"{path.name}.{revision}-{stamp}.bak")


def backup(db: Database, target: str | os.PathLike[str], progress: Progress | None = None) -> Path:
    """A consistent single-file copy, safe while desks are writing."""
    return db.backup_to(target, progress)


def integrity_check(db: Database) -> list[str]:
    """Everything wrong with the database, one plain line each; empty if sound."""
    problems = db.integrity_problems()
    check = check_revision(db)
    if not check.ok:
        problems.append(check.message)
    else:
        found = db.triggers()
        for name, table in sorted(append_only.expected_triggers(db.engine.dialect.name).items()):
            if name not in found:
                problems.append(f"append-only protection missing: trigger {name}")
            elif found[name][0] != table:
                problems.append(
                    f"append-only protection is on the wrong table: trigger {name} guards {found[name][0]}, not {table}"
                )
            elif not found[name][1]:
                problems.append(f"append-only protection is switched off: trigger {name} on {table} is disabled")
        problems.extend(_change_mark_problems(db, found))
        problems.extend(knowledge_search.index_problems(db))
    return problems


def _change_mark_problems(db: Database, found: dict[str, tuple[str, bool]]) -> list[str]:
    """A table without its change triggers never refreshes the desks showing it."""
    from csdesk.models import metadata

    tables = sorted(metadata.tables)
    problems = [
        f"change marks missing: trigger {name}; desks showing {table} would not refresh"
        for name, table in sorted(change_feed.expected_triggers(db.engine.dialect.name, tables).items())
        if name not in found or not found[name][1]
    ]
    marks = db.table_marks() or {}
    problems.extend(f"change marks missing: no mark for {table}" for table in tables if table not in marks)
    return problems


# -- moving a centre to another database ----------------------------------------------

_COPY_BATCH = 1000


@dataclass(frozen=True)
class CopyReport:
    """Rows per table, as counted on both sides after the copy (equal, or it was undone)."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _row_counts(conn: Connection) -> dict[str, int]:
    from sqlalchemy import func, select

    from csdesk.models import metadata

    return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in metadata.sorted_tables}


def copy_database(source: Database, target: Database, progress: Progress = SILENT) -> CopyReport:
    """Copies every row of ``source`` into ``target`` in one target transaction.

    Both must be at this csdesk's revision (an empty target is brought there
    first); a target holding any row is refused, so nothing is ever merged or
    overwritten. Ids are kept, so every reference stays valid. Rows are counted
    on both sides before the commit; a difference undoes the whole copy.
    Raises ``DatabaseError`` with one line saying what to do.
    """
    from sqlalchemy import select, update
    from sqlalchemy.sql.ddl import sort_tables_and_constraints

    from csdesk.models import metadata

    for db, side in ((source, "source"), (target, "target")):
        check = check_revision(db)
        if check.state is RevisionState.EMPTY and side == "target":
            _migrate(db)
        elif not check.ok:
            raise DatabaseError(
                _("the {side} is not at this csdesk's schema: {message}").format(side=side, message=check.message)
            )

    # squads and staff point at each other: such links are filled in after both tables.
    order = list(sort_tables_and_constraints(metadata.sorted_tables))
    tables = [t for t, _ in order if t is not None]
    late = [fk for t, fks in order if t is None for fk in fks]
    late_columns = {(fk.table.name, c.name) for fk in late for c in fk.columns}

    with source.read() as reading:
        source_conn = reading.connection()
        expected = _row_counts(source_conn)
        with target.write() as writing:
            conn = writing.connection()
            filled = {name: n for name, n in _row_counts(conn).items() if n}
            if filled:
                name, n = next(iter(filled.items()))
                raise DatabaseError(
                    _(
                        "the target already holds data ({n} rows in {name}): copy only into a new, empty database"
                    ).format(n=n, name=name)
                )
            patches: list[tuple[Any, Any, dict[str, Any]]] = []
            progress.stage(_("copying rows"), sum(expected.values()))
            for table in tables:
                postponed = [c for c in table.columns if (table.name, c.name) in late_columns]
                pk = list(table.primary_key.columns)
                batch: list[dict[str, Any]] = []
                for row in source_conn.execute(select(table).order_by(*pk)).mappings():
                    values = dict(row)
                    if postponed:
                        later = {c.name: values[c.name] for c in postponed if values[c.name] is not None}
                        if later:
                            patches.append((table, [values[c.name] for c in pk], later))
                            values.update({c.name: None for c in postponed})
                    batch.append(values)
                    if len(batch) >= _COPY_BATCH:
                        conn.execute(table.insert(), batch)
                        progress.advance(len(batch))
                        batch = []
                if batch:
                    conn.execute(table.insert(), batch)
                    progress.advance(len(batch))
            for table, key, values in patches:
                pk = list(table.primary_key.columns)
                conn.execute(update(table).where(*[c == v for c, v in zip(pk, key)]).values(**values))
            if target.is_postgresql:
                _advance_sequences(conn, tables)
            copied = _row_counts(conn)
            if copied != expected:
                wrong = sorted(n for n in expected if expected[n] != copied.get(n))
                raise DatabaseError(
                    _("row counts differ after copying ({join_wrong}): nothing was copied").format(
                        join_wrong=", ".join(wrong)
                    )
                )
    return CopyReport(expected)


def _advance_sequences(conn: Connection, tables: list[Any]) -> None:
    """Ids were copied as they were: new rows must be numbered after them."""
    from sqlalchemy import text

    for table in tables:
        for column in table.primary_key.columns:
            if not column.autoincrement or column.type.python_type is not int:
                continue
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:t, :c), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                ),
                {"t": table.name, "c": column.name},
            )
