"""The database file and its transactions, as the desks on a shared file see them."""

import os
import stat
import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError
from sqlmodel import select

from csdesk.db import DatabaseBusy, DatabaseError
from csdesk.models import Squad, Staff, Ticket
from csdesk.rules.vocab import Category, Channel
from csdesk.store import open_database


def _pragma(db, name):
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_new_file_is_private_wal_with_foreign_keys_and_full_sync(db, db_path):
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert _pragma(db, "journal_mode") == "wal"
    assert _pragma(db, "foreign_keys") == 1
    assert _pragma(db, "synchronous") == 2  # FULL
    with db.write() as session:
        session.add(Squad(name="A"))
    wal = db_path.with_name(db_path.name + "-wal")
    assert stat.S_IMODE(os.stat(wal).st_mode) == 0o600


def test_foreign_keys_are_enforced(db):
    with pytest.raises(Exception, match="(?i)foreign key"), db.write() as session:
        session.add(Squad(name="A", leader_id=999))
    with db.read() as session:
        assert session.exec(select(Squad)).all() == []


def test_naive_time_is_refused_and_nothing_is_saved(desk):
    with pytest.raises(StatementError, match="naive datetime refused"), desk.write() as session:
        session.add(
            Ticket(
                channel=Channel.EMAIL, category=Category.INQUIRY, subject="x", received_at=datetime(2026, 3, 9, 8, 0)
            )
        )
    with desk.read() as session:
        assert session.exec(select(Ticket)).all() == []


def test_times_come_back_aware_utc(desk):
    with desk.write() as session:
        session.add(Ticket(channel=Channel.EMAIL, category=Category.INQUIRY, subject="x", received_at=desk.now()))
    with desk.read() as session:
        got = session.exec(select(Ticket)).one()
    assert got.received_at == desk.now()
    assert got.received_at.utcoffset().total_seconds() == 0


def test_write_lock_is_taken_at_begin(db, db_path):
    """A second desk waits at BEGIN even while the first has only read so far."""
    other = open_database(db_path, busy_timeout=0.05, busy_deadline=5)
    holding, release = threading.Event(), threading.Event()

    def first_desk():
        with db.write() as session:
            session.exec(select(Staff)).all()
            holding.set()
            release.wait(5)

    worker = threading.Thread(target=first_desk)
    worker.start()
    holding.wait(5)
    threading.Timer(0.4, release.set).start()
    started = time.monotonic()
    with other.write() as session:
        session.add(Squad(name="B"))
    waited = time.monotonic() - started
    worker.join()
    other.close()
    assert waited >= 0.3


def test_concurrent_read_modify_write_never_deadlocks_or_loses_updates(db, db_path, make_squad):
    squad = make_squad("Counter")
    desks = [open_database(db_path), open_database(db_path)]
    errors = []

    def bump(database):
        try:
            for _ in range(15):
                with database.write() as session:
                    row = session.get(Squad, squad.id)
                    row.name = str(int(row.name) + 1) if row.name.isdigit() else "1"
                    session.add(row)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(d,)) for d in desks for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for d in desks:
        d.close()
    assert errors == []
    with db.read() as session:
        assert session.get(Squad, squad.id).name == "60"


def test_busy_database_gives_up_with_a_plain_message(db, db_path):
    impatient = open_database(db_path, busy_timeout=0.05, busy_deadline=0.3)
    with db.write() as session:
        session.add(Squad(name="held"))
        session.flush()
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as raised, impatient.write() as other:
            other.add(Squad(name="never"))
        assert time.monotonic() - started < 3
    impatient.close()
    assert "busy" in str(raised.value) and "\n" not in str(raised.value)
    with db.read() as session:
        assert [s.name for s in session.exec(select(Squad))] == ["held"]


def test_data_version_moves_when_another_desk_commits(db, db_path):
    before = db.data_version()
    assert db.data_version() == before
    other = open_database(db_path)
    with other.write() as session:
        session.add(Squad(name="A"))
    other.close()
    assert db.data_version() != before


def test_read_sees_a_snapshot_of_committed_rows(db):
    with db.write() as session:
        session.add(Squad(name="A"))
    with db.read() as session:
        assert session.exec(text("SELECT count(*) FROM squads")).scalar() == 1


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("{tmp}/missing/centre.db", "folder does not exist"),
        ("{tmp}/absent.db", "run `csdesk init`"),
        ("{tmp}", "is a folder"),
        ("{tmp}/junk.db", "is not a csdesk database file"),
        ("sqlite://", "in-memory"),
        ("nosuchdriver://x/y", "cannot use database URL"),
        ("   ", "no database given"),
    ],
)
def test_bad_locations_give_one_plain_line(tmp_path, target, expected):
    (tmp_path / "junk.db").write_text("this is not a database, just some words" * 50)
    with pytest.raises(DatabaseError) as raised:
        open_database(target.format(tmp=tmp_path))
    message = str(raised.value)
    assert expected in message and "\n" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_file_is_refused(tmp_path):
    path = tmp_path / "centre.db"
    open_database(path, create=True).close()
    path.chmod(0o400)
    with pytest.raises(DatabaseError, match="permission denied"):
        open_database(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_refused_on_create(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    with pytest.raises(DatabaseError, match="not writable"):
        open_database(folder / "centre.db", create=True)


def test_nested_write_is_refused_instead_of_waiting_for_itself(db):
    with pytest.raises(RuntimeError, match="pass its session down"), db.write(), db.write():
        pass
    with db.write() as session:  # the flag is cleared afterwards
        session.add(Squad(name="after"))


def test_what_a_killed_build_left_goes_with_its_journal_and_nothing_else(tmp_path):
    import os

    from csdesk.db import remove_abandoned

    dead = 2**22 + 4321  # beyond the usual process numbers: nobody runs under it
    stem = ".demo.db.building-"
    left = [f"{stem}{dead}.partial", f"{stem}{dead}.partial-journal", f"{stem}{dead}.partial-wal"]
    kept = [f"{stem}{os.getpid()}.partial", f"{stem}{os.getpid()}.partial-journal", f"{stem}{dead}.notes", "demo.db"]
    for name in left + kept:
        (tmp_path / name).write_bytes(b"x")
    remove_abandoned(tmp_path, stem)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


def test_every_table_has_a_change_mark_that_moves_with_each_commit_whoever_writes_it(db, make_staff):
    """The marks tell desks which tables changed (csdesk.widgets.live). They move in the
    writing transaction, by trigger: a change made outside the desk (another program, a
    restore) reaches the screens showing that table too, and a table without its mark
    would never refresh anywhere."""
    from sqlmodel import SQLModel

    from csdesk.widgets.live import moved_tables

    before = db.table_marks()
    assert set(before) == set(SQLModel.metadata.tables)
    person = make_staff()
    after = db.table_marks()
    assert "staff" in moved_tables(before, after) and "tickets" not in moved_tables(before, after)
    with db.engine.begin() as conn:  # as another program would: no desk code in between
        conn.execute(text("UPDATE staff SET real_name = real_name WHERE id = :id"), {"id": person.id})
    assert moved_tables(after, db.table_marks()) == {"staff"}
