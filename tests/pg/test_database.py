"""What is particular to PostgreSQL: the change feed, append-only records, backups."""

from __future__ import annotations

import threading
import time

import pytest

from csdesk import store
from csdesk.db import DatabaseError, PgChangeFeed
from csdesk.models import Notice, Squad

from .server import fetch

pytestmark = pytest.mark.pg_only


def test_data_version_moves_once_per_committed_change_and_not_on_reads(db):
    before = db.data_version()
    with db.read() as session:
        session.get(Squad, 1)
    assert db.data_version() == before
    with db.write() as session:
        session.add(Squad(name="A"))
        session.add(Squad(name="B"))
    assert db.data_version() == before + 1


def test_a_rolled_back_write_does_not_move_the_version(db):
    before = db.data_version()
    with pytest.raises(RuntimeError), db.write() as session:
        session.add(Squad(name="A"))
        session.flush()
        raise RuntimeError("changed my mind")
    assert db.data_version() == before


def test_the_feed_wakes_a_waiting_desk_when_another_desk_commits(db, make_desk, make_staff):
    author = make_staff()
    feed = db.change_feed()
    assert isinstance(feed, PgChangeFeed)
    other = make_desk()
    try:
        last = feed.current()

        def publish() -> None:
            time.sleep(0.3)
            with other.write() as session:
                session.add(Notice(title="New offer", author_id=author.id, published_at=other.now()))

        writer = threading.Thread(target=publish)
        writer.start()
        started = time.monotonic()
        version = feed.wait(last, timeout=10)
        waited = time.monotonic() - started
        writer.join()
        assert version == last + 1
        assert waited < 5  # woken by the notification, not by the timeout
        # Nothing else happens: the wait ends at its timeout with the same version.
        assert feed.wait(version, timeout=0.2) == version
    finally:
        feed.close()


def test_ledger_and_audit_refuse_changes_even_from_a_plain_connection(db, db_url, desk, make_staff):
    from csdesk.rules.fines import Offence
    from csdesk.rules.vocab import Role
    from csdesk.services.base import Actor
    from csdesk.services.ledger import record_fine

    director = make_staff(role=Role.DEPARTMENT_DIRECTOR)
    agent = make_staff()
    record_fine(desk, Actor.of(director), agent.id, Offence.COMPLAINT, "rude on the phone")
    for sql in (
        "UPDATE ledger SET amount_cents = 0",
        "DELETE FROM ledger",
        "UPDATE audit_log SET actor_id = NULL",
        "DELETE FROM audit_log",
        "TRUNCATE ledger CASCADE",
    ):
        with pytest.raises(Exception, match="append-only"):
            fetch(db_url, sql)
    assert fetch(db_url, "SELECT COUNT(*) FROM ledger") == [(1,)]


def test_backup_of_a_server_database_points_to_pg_dump(db, tmp_path):
    with pytest.raises(DatabaseError, match="pg_dump"):
        store.backup(db, tmp_path / "copy.db")
    assert list(tmp_path.iterdir()) == []


def test_check_finds_the_append_only_triggers_and_reports_a_missing_one(db, db_url):
    assert store.integrity_check(db) == []
    fetch(db_url, "DROP TRIGGER ledger_append_only ON ledger")
    assert store.integrity_check(db) == ["append-only protection missing: trigger ledger_append_only"]


def test_check_reports_append_only_triggers_switched_off(db, db_url):
    fetch(db_url, "ALTER TABLE ledger DISABLE TRIGGER USER")
    problems = store.integrity_check(db)
    assert "append-only protection is switched off: trigger ledger_append_only on ledger is disabled" in problems
    assert "append-only protection is switched off: trigger ledger_no_truncate on ledger is disabled" in problems


def test_two_desks_starting_on_an_empty_database_migrate_it_once(backend, tmp_path):
    from . import server

    name = server.fresh_name()
    url = server.create(name)
    try:
        errors: list[BaseException] = []

        def start() -> None:
            try:
                store.create_database(url).close()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=start) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        assert fetch(url, "SELECT version_num FROM alembic_version") == [(store.head_revision(),)]
    finally:
        server.drop(name)
