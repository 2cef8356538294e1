"""Bad database files through the real command entry point.

``csdesk.cli.main`` runs in the test process (each separate interpreter costs
seconds on 2 cores); one case goes through a real separate process to show
what a user's terminal gets. Each gives one plain line on stderr and a failing exit code, never a
traceback. The tests run as root in CI, where permission bits stop nothing:
an immutable file or folder (``chattr +i``) is what even root cannot write.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from csdesk.store import create_database

CSDESK = [sys.executable, "-c", "import sys; from csdesk.cli import main; sys.exit(main())"]


def csdesk(*args: str) -> subprocess.CompletedProcess[str]:
    from csdesk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def csdesk_process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CSDESK, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def one_line_failure(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("csdesk: ")
    return lines[0]


@pytest.fixture
def centre(tmp_path) -> Path:
    path = tmp_path / "centre.db"
    create_database(path).close()
    return path


@pytest.fixture
def immutable():
    """Makes paths immutable for the test (undone afterwards, or the tmp folder can't be removed)."""
    made: list[Path] = []

    def freeze(path: Path) -> Path:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make a file unwritable for root here (chattr: {done.stderr.strip()})")
        made.append(path)
        return path

    yield freeze
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_a_folder_nobody_may_write_to_refuses_init(tmp_path, immutable):
    folder = tmp_path / "locked"
    folder.mkdir()
    immutable(folder)
    line = one_line_failure(csdesk("--db", str(folder / "centre.db"), "init"))
    assert "not writable" in line or "cannot create" in line
    assert not (folder / "centre.db").exists()


def test_a_database_file_nobody_may_write_to_is_refused(centre, immutable):
    immutable(centre)
    assert "permission denied" in one_line_failure(csdesk("--db", str(centre), "check"))


def test_a_missing_folder(tmp_path):
    line = one_line_failure(csdesk("--db", str(tmp_path / "gone" / "centre.db"), "check"))
    assert "folder does not exist" in line


def test_a_file_where_the_folder_should_be(tmp_path):
    (tmp_path / "notes.txt").write_text("not a folder")
    line = one_line_failure(csdesk("--db", str(tmp_path / "notes.txt" / "centre.db"), "init"))
    assert "is a file, not a folder" in line


@pytest.mark.parametrize(
    "content", [b"", b"SQLite format 3\x00" + b"\xff" * 4000, bytes(range(256)) * 64, "名单,班次\n".encode() * 500]
)
def test_not_a_database(tmp_path, content):
    path = tmp_path / "centre.db"
    path.write_bytes(content)
    result = csdesk("--db", str(path), "check")
    if content == b"":
        # An empty file is a database with nothing in it yet.
        assert "csdesk init" in one_line_failure(result)
    else:
        assert "not a csdesk database file" in one_line_failure(result)


def test_a_database_held_by_another_process_past_the_timeout(centre):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(centre)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA locking_mode = EXCLUSIVE')\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "c.execute('SELECT COUNT(*) FROM staff').fetchone()\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        line = one_line_failure(csdesk("--db", str(centre), "check"), code=75)  # worth another try
    finally:
        holder.kill()
        holder.wait(10)
    assert "busy" in line and "try again" in line
    assert csdesk("--db", str(centre), "check").returncode == 0  # and fine once it lets go


def test_a_database_made_by_a_newer_csdesk(centre):
    conn = sqlite3.connect(centre)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()
    for args in (["check"], ["db", "upgrade"]):
        assert "newer csdesk" in one_line_failure(csdesk("--db", str(centre), *args))
    # The same through a separate process, as typed at a terminal. Bare csdesk opens the desk,
    # which says it on its sign-in screen (tests/ui/test_signin.py).
    assert "newer csdesk" in one_line_failure(csdesk_process("--db", str(centre), "check"))
    conn = sqlite3.connect(centre)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("ffff9999",)]
    conn.close()


@pytest.mark.parametrize("made_by", ["a newer csdesk", "another program"])
def test_a_file_not_accepted_is_left_byte_for_byte_untouched(tmp_path, made_by):
    path = tmp_path / "centre.db"
    conn = sqlite3.connect(path)
    if made_by == "a newer csdesk":
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('ffff9999')")
    else:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for args in (["check"], ["db", "upgrade"]):
        assert csdesk("--db", str(path), *args).returncode != 0
    csdesk("--db", str(path), "backup", str(tmp_path / "copy.db"))  # a copy is taken of anything
    assert path.read_bytes() == before  # never switched to WAL, nor anything else
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("centre")) == ["centre.db"]


def test_check_notices_the_audit_log_swapped_for_an_unguarded_copy(centre):
    conn = sqlite3.connect(centre)
    conn.execute("ALTER TABLE audit_log RENAME TO audit_log_old")
    schema = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_log_old'").fetchone()[0]
    conn.execute(schema.replace("audit_log_old", "audit_log", 1))
    conn.commit()
    conn.close()
    result = csdesk("--db", str(centre), "check")
    assert result.returncode != 0
    assert "trigger audit_log_no_update guards audit_log_old, not audit_log" in result.stdout + result.stderr
