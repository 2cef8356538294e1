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

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from csdesk.db import Database, DatabaseError, open_database
from csdesk.migrations import append_only

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
UPGRADE_HINT = "run `csdesk db upgrade`"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "csdesk ships at least one revision"
    return head


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


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
    return MigrationContext.configure(conn).get_current_revision()


def _inspect(db: Database, conn: Connection) -> RevisionCheck:
    head = head_revision()
    current = _current(conn)
    where = db.path or db.url
    if current is None:
        if inspect(conn).get_table_names():
            return RevisionCheck(RevisionState.FOREIGN, None, head,
                                 f"{where} holds tables that are not a csdesk database")
        return RevisionCheck(RevisionState.EMPTY, None, head,
                             f"{where} is empty: run `csdesk init`")
    if current == head:
        return RevisionCheck(RevisionState.OK, current, head, f"schema is up to date ({head})")
    if current in _known_revisions():
        return RevisionCheck(
            RevisionState.BEHIND, current, head,
            f"the database schema is older than this csdesk ({current} < {head}): {UPGRADE_HINT}",
        )
    return RevisionCheck(
        RevisionState.AHEAD, current, head,
        f"the database was made by a newer csdesk (schema {current}): "
        f"install that version; this one will not touch it",
    )


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
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            assert db.path is not None
            backup_path = db.path.with_name(f"{db.path.name}.{check.current}-{stamp}.bak")
        saved = backup(db, backup_path)
    _migrate(db)
    return saved


def backup(db: Database, target: str | os.PathLike[str]) -> Path:
    """A consistent single-file copy, safe while desks are writing."""
    return db.backup_to(target)


def integrity_check(db: Database) -> list[str]:
    """Everything wrong with the database, one plain line each; empty if sound."""
    problems = db.integrity_problems()
    check = check_revision(db)
    if not check.ok:
        problems.append(check.message)
    else:
        missing = append_only.trigger_names(db.engine.dialect.name) - db.trigger_names()
        for name in sorted(missing):
            problems.append(f"append-only protection missing: trigger {name}")
    return problems
