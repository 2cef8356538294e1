"""Faults of the machine itself: a full disk, a process killed part-way, two
maintenance runs at once. Each ends in a plain sentence and no stray file."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout

import pytest
from sqlalchemy import event

from csdesk import cli
from csdesk.db import DiskFull
from csdesk.demo import build_demo
from csdesk.policy import default_policy
from csdesk.progress import SILENT
from csdesk.rules.vocab import Role
from csdesk.services import notices
from csdesk.store import backup, upgrade_backup_name

pytestmark = pytest.mark.sqlite_only


def test_a_full_disk_is_said_plainly_and_nothing_is_saved(desk, db, make_staff, actor_of):
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER))
    engine = db._write_engine

    @event.listens_for(engine, "connect")
    def _no_room(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    try:
        with pytest.raises(DiskFull, match="the disk is full"):
            notices.publish_notice(desk, leader, "Roaming", "x" * 200_000)
    finally:
        event.remove(engine, "connect", _no_room)
        engine.dispose()


def test_the_command_line_says_the_disk_is_full(monkeypatch, tmp_path):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("csdesk.db.Database.backup_to", full)
    db = tmp_path / "centre.db"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert cli.main(["--db", str(db), "init"]) == 0
        code = cli.main(["--db", str(db), "backup", str(tmp_path / "copy.db")])
    assert code != 0
    assert "the disk is full" in err.getvalue() and "unexpected" not in err.getvalue()


def test_a_killed_demo_build_never_blocks_the_next(tmp_path):
    target = tmp_path / "demo.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "csdesk", "demo", "--db", str(target), "--no-open"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        # Killed while the database file is being filled: the moment that used to leave it half-made.
        while not any(p.name.startswith(".demo.db.building-") for p in tmp_path.iterdir()):
            assert process.poll() is None, "the demo finished before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(30)
    assert not target.exists()
    built = build_demo(target, default_policy())
    assert built.path == target and target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["demo.db"]


def test_a_killed_backup_leaves_nothing_the_next_one_does_not_remove(db, db_path, tmp_path):
    dead = 2**22 + 12345  # beyond the usual process numbers: nobody runs under it
    leftover = db_path.parent / f".{db_path.name}.backup-{dead}-1.partial"
    leftover.write_bytes(b"half a backup")
    saved = backup(db, db_path.parent / "copy.db")
    assert saved.exists() and not leftover.exists()
    assert not list(db_path.parent.glob("*.partial"))


# A backup whose copying is interrupted by the operator's ``kill`` (SIGTERM) once pages are being copied.
_KILLED_BACKUP = """
import os, signal, sys
import csdesk.db
from csdesk.cli import main

copy_pages = csdesk.db._backup_in_slices


class KilledOnFirstPage:
    def stage(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)

    def advance(self, n):
        pass


csdesk.db._backup_in_slices = lambda source, copy, progress: copy_pages(source, copy, KilledOnFirstPage())
sys.exit(main(sys.argv[1:]))
"""


def test_a_backup_stopped_by_kill_leaves_no_partial_file(db, db_path, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    finished = subprocess.run(
        [sys.executable, "-c", _KILLED_BACKUP, "--db", str(db_path), "backup", str(folder / "copy.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert list(folder.iterdir()) == []
    assert finished.returncode == cli.EXIT_INTERRUPTED, finished.stderr
    assert "interrupted" in finished.stderr


def test_a_backup_failing_part_way_leaves_no_partial_file(db, tmp_path, monkeypatch):
    import csdesk.db

    def fails(source, copy, progress):
        copy.execute("CREATE TABLE half (x)")  # something is written before the failure
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(csdesk.db, "_backup_in_slices", fails)
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(csdesk.db.DatabaseError, match="Input/output error"):
        backup(db, folder / "copy.db", progress=SILENT)
    assert list(folder.iterdir()) == []


def test_two_upgrades_in_one_second_name_their_backups_apart(db_path):
    names = {upgrade_backup_name(db_path, "0010") for _ in range(50)}
    assert len(names) == 50
