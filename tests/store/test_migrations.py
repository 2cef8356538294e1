"""Schema revisions: head equals the models, and old/new databases are handled."""

import shutil
import sqlite3
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pg import server as pg_server

from csdesk import store
from csdesk.db import DatabaseError
from csdesk.migrations import append_only
from csdesk.migrations.change_feed import include_object
from csdesk.models import metadata
from csdesk.store import RevisionState, check_revision, create_database, ensure_current, open_database, upgrade


def test_migrating_an_empty_database_gives_exactly_the_models(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        assert compare_metadata(context, metadata) == []


def test_fresh_database_is_at_head(db):
    check = check_revision(db)
    assert check.ok and check.current == store.head_revision()
    assert store.integrity_check(db) == []


def test_the_revision_files_name_what_alembic_reads_in_them():
    """The desk tells where a database stands from the file names alone (no
    Alembic at start-up): each file must be named after its revision, the ids
    must count up in file order, each revising the one before it, and the newest
    must be Alembic's one head. (A number may be left free for a revision another
    line of work is adding; the chain itself has no gap.)"""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(store.alembic_config())
    by_file = {
        revision.module.__file__.rsplit("/", 1)[-1].split("_", 1)[0]: revision for revision in script.walk_revisions()
    }
    assert {number: r.revision for number, r in by_file.items()} == {n: n for n in by_file}
    shipped = store.shipped_revisions()
    assert shipped == sorted(by_file) and shipped[0] == "0001"
    assert all(n.isdigit() and len(n) == 4 for n in shipped)
    assert script.get_heads() == [store.head_revision()] == [shipped[-1]]
    for before, number in zip([None, *shipped], shipped):
        assert by_file[number].down_revision == before


def test_empty_file_asks_for_init(tmp_path):
    db = open_database(tmp_path / "new.db", create=True)
    check = check_revision(db)
    db.close()
    assert check.state is RevisionState.EMPTY
    assert "run `csdesk init`" in check.message


def _stamp(path, revision):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()


def test_database_from_a_newer_csdesk_is_refused_and_left_alone(db, db_path):
    _stamp(db_path, "9999")
    with pytest.raises(DatabaseError, match="newer csdesk"):
        open_database(db_path)
    check = check_revision(db)
    assert check.state is RevisionState.AHEAD
    assert "newer csdesk" in check.message
    with pytest.raises(DatabaseError, match="newer csdesk"):
        ensure_current(db)
    with pytest.raises(DatabaseError, match="newer csdesk"):
        upgrade(db)
    assert check_revision(db).current == "9999"


@pytest.fixture
def newer_release(tmp_path, monkeypatch):
    """This csdesk's migrations plus one more revision, as the next release would ship."""
    current_head = store.head_revision()
    folder = tmp_path / "migrations"
    shutil.copytree(store.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9000_add_note.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f'revision = "9000"\ndown_revision = "{current_head}"\n'
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        '    with op.batch_alter_table("notices") as batch:\n'
        '        batch.add_column(sa.Column("note", sa.Text(), nullable=True))\n'
        "def downgrade():\n"
        '    with op.batch_alter_table("notices") as batch:\n'
        '        batch.drop_column("note")\n'
    )
    monkeypatch.setattr(store, "MIGRATIONS_DIR", folder)
    return folder


def test_older_database_says_to_upgrade_and_upgrade_backs_up_first(db, db_path, newer_release):
    before = check_revision(db).current
    check = check_revision(db)
    assert check.state is RevisionState.BEHIND
    assert "run `csdesk db upgrade`" in check.message
    with pytest.raises(DatabaseError, match="csdesk db upgrade"):
        ensure_current(db)

    saved = upgrade(db)

    assert check_revision(db).current == "9000"
    assert saved is not None and saved.exists()
    copy = open_database(saved, require_current=False)
    assert check_revision(copy).current == before
    copy.close()
    assert store.integrity_check(db) == []
    assert upgrade(db) is None  # nothing left to do


def test_desks_starting_together_migrate_once(tmp_path):
    path = tmp_path / "shared.db"
    results, errors = [], []

    def start():
        try:
            database = create_database(path)
            results.append(check_revision(database).current)
            database.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [store.head_revision()] * 4


def test_a_foreign_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (id INTEGER)")
    conn.close()
    with pytest.raises(DatabaseError, match="not a csdesk database"):
        create_database(path)


@pytest.fixture
def empty_url(backend, tmp_path):
    """An empty database on the backend under test, to be taken to an older revision."""
    if backend == "sqlite":
        yield str(tmp_path / "older.db")
        return
    name = pg_server.fresh_name("old")
    yield pg_server.create(name)
    pg_server.drop(name)


def test_a_centre_made_at_0001_gains_the_0002_guards_on_upgrade(empty_url):
    """HO-3, FN-8: the handover book's triggers (and SQLite's guard against INSERT OR
    REPLACE) reach databases made before revision 0002, not only new ones."""
    db = open_database(empty_url, create=True)
    try:
        with db.exclusive() as conn:
            command.upgrade(store.alembic_config(conn), "0001")
        dialect = db.engine.dialect.name
        missing = append_only.trigger_names(dialect) - db.trigger_names()
        expected = (
            {
                "handover_logs_no_delete",
                "handover_logs_acknowledge_only",
                "handover_items_no_update",
                "handover_items_no_delete",
                "audit_log_no_replace",
                "ledger_no_replace",
                "handover_logs_no_replace",
                "handover_items_no_replace",
            }
            if dialect == "sqlite"
            else {
                "handover_logs_append_only",
                "handover_logs_no_truncate",
                "handover_items_append_only",
                "handover_items_no_truncate",
            }
        )
        assert missing == expected

        upgrade(db)

        assert check_revision(db).ok
        assert append_only.trigger_names(dialect) <= db.trigger_names()
        assert store.integrity_check(db) == []
    finally:
        db.close()
