"""Backups and the integrity check, while the centre keeps working."""

import sqlite3
import threading

import pytest
from sqlmodel import func, select

from csdesk.db import DatabaseError
from csdesk.models import Squad
from csdesk.store import backup, check_revision, integrity_check, open_database


def test_backup_while_another_desk_writes_is_consistent(db, db_path, tmp_path):
    writer_db = open_database(db_path)
    stop = threading.Event()
    written = []

    def keep_writing():
        n = 0
        while not stop.is_set():
            n += 1
            with writer_db.write() as session:
                session.add(Squad(name=f"squad {n}"))
            written.append(n)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 20:
            stop.wait(0.01)
        saved = backup(db, tmp_path / "copy.db")
    finally:
        stop.set()
        writer.join()
        writer_db.close()

    copy = open_database(saved)
    try:
        assert integrity_check(copy) == []
        assert check_revision(copy).ok
        with copy.read() as session:
            names = session.exec(select(Squad.name).order_by(Squad.id)).all()
    finally:
        copy.close()
    # A prefix of what was written: one consistent moment, no torn rows.
    assert names == [f"squad {n}" for n in range(1, len(names) + 1)]
    assert len(names) >= 20


@pytest.mark.sqlite_only  # a server database is backed up with pg_dump
def test_backup_is_one_private_file(db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    saved = backup(db, folder / "copy.db")
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in folder.iterdir()] == ["copy.db"]


@pytest.mark.sqlite_only
def test_backup_into_a_missing_folder_says_so(db, tmp_path):
    with pytest.raises(DatabaseError, match="folder does not exist"):
        backup(db, tmp_path / "nope" / "copy.db")


def test_integrity_check_notices_lost_append_only_protection(db, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER ledger_no_delete")
    conn.commit()
    conn.close()
    assert integrity_check(db) == ["append-only protection missing: trigger ledger_no_delete"]


def test_integrity_check_reports_broken_references(db, db_path):
    conn = sqlite3.connect(db_path)  # foreign keys are off by default here
    conn.execute("INSERT INTO squads (name, leader_id) VALUES ('ghost', 4242)")
    conn.commit()
    conn.close()
    problems = integrity_check(db)
    assert problems == ["squads row 1 points at a missing staff row"]
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(Squad)).one() == 1
