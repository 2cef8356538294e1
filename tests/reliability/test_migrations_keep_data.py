"""Upgrading keeps every row: from each older revision to head, and through the
next release's revision (simulated here), the data survives untouched, the file
is sound and the append-only protection is still in place.

Seeding uses plain SQL so it works against any revision's tables: every
table gets rows (copied from a demo centre where the columns match, made up
where a table would otherwise stay empty).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from edge_dates import EDGE_MOMENTS

from csdesk import store
from csdesk.db import MARKS_TABLE
from csdesk.migrations import append_only
from csdesk.store import open_database

from .conftest import integrity

NEXT = "9100"


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(store.alembic_config())


def _older_revisions() -> list[str]:
    head = store.head_revision()
    return [r.revision for r in _script().walk_revisions() if r.revision != head]


def test_there_is_exactly_one_head():
    assert len(_script().get_heads()) == 1


@pytest.fixture(scope="module")
def donor(tmp_path_factory) -> Path:
    """A realistic centre at head to borrow rows from."""
    from csdesk.demo import build_demo
    from csdesk.policy import default_policy

    path = tmp_path_factory.mktemp("donor") / "demo.db"
    # A Sunday, when the week's own roster is over: the demo must still hold every kind of row.
    build_demo(path, default_policy(), seed=7, now=EDGE_MOMENTS["sunday"])
    return path


def _at_revision(path: Path, revision: str) -> None:
    db = open_database(path, create=True)
    try:
        with db.exclusive() as conn:
            command.upgrade(store.alembic_config(conn), revision)
    finally:
        db.close()


def _tables(conn: sqlite3.Connection, schema: str = "main") -> list[str]:
    # Ordinary tables only: a full-text index and its shadow tables follow their table by
    # trigger, and the change marks count writes rather than hold data.
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM pragma_table_list WHERE schema = ? AND type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT IN ('alembic_version', ?) ORDER BY name",
            (schema, MARKS_TABLE),
        )
    ]


def _columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[tuple]:
    return conn.execute(f'PRAGMA {schema}.table_info("{table}")').fetchall()


def _made_up(conn: sqlite3.Connection, table: str, column: tuple, parents: dict[str, str], k: int) -> object:
    """The ``k``-th made-up value for a column (distinct, so unique constraints hold)."""
    _, name, kind, _, _, _ = column
    if name in parents:
        # The k-th parent where there is one, so a unique key made of references holds too.
        parent = parents[name]
        row = conn.execute(f'SELECT id FROM "{parent}" ORDER BY id LIMIT 1 OFFSET ?', (k,)).fetchone()
        return row[0] if row else conn.execute(f'SELECT MIN(id) FROM "{parent}"').fetchone()[0]
    kind = kind.upper()
    if "INT" in kind:
        return k + 1
    if kind.startswith(("DATETIME", "TIMESTAMP")):
        return f"2026-03-{k + 9:02d} 08:00:00.000000"
    if kind == "DATE":
        return f"2026-03-{k + 9:02d}"
    if "BOOL" in kind:
        return 0
    if kind.startswith("JSON"):
        return "[]"
    if kind.startswith(("FLOAT", "REAL", "NUMERIC")):
        return 1.0 + k
    return f"{table}.{name}.{k}"


def _seed(path: Path, donor: Path) -> None:
    conn = sqlite3.connect(path)  # foreign keys off, as a plain sqlite3 session
    try:
        conn.execute("ATTACH DATABASE ? AS donor", (str(donor),))
        donor_tables = set(_tables(conn, "donor"))
        for table in _tables(conn):
            mine = [c[1] for c in _columns(conn, table)]
            theirs = {c[1] for c in _columns(conn, table, "donor")} if table in donor_tables else set()
            shared = [c for c in mine if c in theirs]
            if shared:
                cols = ", ".join(f'"{c}"' for c in shared)
                conn.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM donor."{table}"')

        def empty(table: str) -> bool:
            return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == 0

        # Made-up rows point at real parents, so a table is filled only after its parents.
        waiting = [t for t in _tables(conn) if empty(t)]
        while waiting:
            parents_of = {t: {r[3]: r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{t}")')} for t in waiting}
            ready = [t for t in waiting if not any(p != t and empty(p) for p in parents_of[t].values())]
            assert ready, f"cannot seed {waiting}: their parent tables stay empty"
            for table in ready:
                columns = [c for c in _columns(conn, table) if not c[5]]  # the primary key is assigned
                for k in range(3):
                    values = [_made_up(conn, table, c, parents_of[table], k) for c in columns]
                    cols = ", ".join(f'"{c[1]}"' for c in columns)
                    conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(values))})', values)
                waiting.remove(table)
        conn.commit()
    finally:
        conn.close()


def _fingerprint(path: Path) -> dict[str, tuple[int, str, list[str]]]:
    """Per table: row count and a checksum over its columns, in rowid order."""
    conn = sqlite3.connect(path)
    try:
        found = {}
        for table in _tables(conn):
            columns = [c[1] for c in _columns(conn, table)]
            digest = hashlib.sha256()
            rows = 0
            for row in conn.execute(f'SELECT {", ".join(repr(c) for c in columns)} FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
                rows += 1
            found[table] = (rows, digest.hexdigest(), columns)
        return found
    finally:
        conn.close()


def _check_upgrade(path: Path, donor: Path, revision: str) -> None:
    _at_revision(path, revision)
    _seed(path, donor)
    before = _fingerprint(path)
    assert all(rows > 0 for rows, _, _ in before.values()), "every table must hold rows to be checked"

    db = open_database(path, require_current=False)
    try:
        store.upgrade(db, backup_path=path.with_name("before-upgrade.db"))
        assert store.check_revision(db).ok
        assert store.integrity_check(db) == []  # page check, foreign keys, append-only triggers
        assert append_only.trigger_names("sqlite") <= db.trigger_names()
    finally:
        db.close()
    assert integrity(path) == "ok"

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for table, (_rows, _, columns) in before.items():
            now_columns = [c[1] for c in _columns(conn, table)]
            assert set(columns) <= set(now_columns), f"{table} lost columns"
            digest = hashlib.sha256()
            count = 0
            for row in conn.execute(f'SELECT {", ".join(repr(c) for c in columns)} FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
                count += 1
            assert (count, digest.hexdigest()) == before[table][:2], f"{table} changed in the upgrade"
    finally:
        conn.close()


@pytest.mark.parametrize("revision", _older_revisions())
def test_an_older_database_upgraded_to_head_keeps_every_row(tmp_path, donor, revision):
    _check_upgrade(tmp_path / "centre.db", donor, revision)


# -- the next release, simulated: a revision that rebuilds the append-only tables ----------

_NEXT_REVISION = """import sqlalchemy as sa
from alembic import op
from csdesk.migrations import append_only, change_feed
revision = "{next}"
down_revision = "{head}"
branch_labels = None
depends_on = None
def upgrade():
    # A batch rebuild on SQLite drops the tables' triggers ...
    for table in ("audit_log", "ledger"):
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.add_column(sa.Column("note", sa.Text(), nullable=True))
    {reinstall}
def downgrade():
    for table in ("audit_log", "ledger"):
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.drop_column("note")
    append_only.protect(op)
    change_feed.install(op)
"""


PUT_BACK = "append_only.protect(op); change_feed.install(op)  # ... so it puts them back"


def _next_release(tmp_path: Path, monkeypatch, reinstall: str = "pass") -> None:
    folder = tmp_path / "migrations"
    shutil.copytree(store.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{NEXT}_rebuild.py").write_text(
        _NEXT_REVISION.format(
            next=NEXT,
            head=store.head_revision(),
            reinstall=reinstall,
        )
    )
    monkeypatch.setattr(store, "MIGRATIONS_DIR", folder)


def test_upgrading_to_the_next_release_keeps_every_row_and_the_triggers(tmp_path, donor, monkeypatch):
    current = store.head_revision()
    _next_release(tmp_path, monkeypatch, reinstall=PUT_BACK)
    assert store.head_revision() == NEXT and len(_script().get_heads()) == 1
    _check_upgrade(tmp_path / "centre.db", donor, current)


def test_control_a_revision_that_forgets_the_triggers_is_caught(tmp_path, donor, monkeypatch):
    current = store.head_revision()
    _next_release(tmp_path, monkeypatch)
    with pytest.raises(AssertionError, match="append-only protection missing"):
        _check_upgrade(tmp_path / "centre.db", donor, current)


def test_control_a_revision_that_forgets_the_change_marks_is_caught(tmp_path, donor, monkeypatch):
    """Rebuilt tables without their change triggers would leave every desk showing them stale."""
    current = store.head_revision()
    _next_release(tmp_path, monkeypatch, reinstall="append_only.protect(op)")
    with pytest.raises(AssertionError, match="change marks missing: trigger audit_log_changed_delete"):
        _check_upgrade(tmp_path / "centre.db", donor, current)
