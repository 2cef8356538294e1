"""``csdesk backup`` while another process keeps writing."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import time

from csdesk.cli import main

from . import workers
from .conftest import integrity


def test_backup_while_another_process_writes_holds_every_row_committed_before_it(db_path, db, tmp_path, desks):
    progress = desks.start(workers.keep_writing, str(db_path))
    desks.ready()
    desks.go.touch()
    deadline = time.monotonic() + 30
    while not progress.exists() or int(progress.read_text() or 0) < 100:
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.01)
    committed_before = int(progress.read_text())
    copy = tmp_path / "copy.db"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--db", str(db_path), "backup", str(copy)]) == 0
    writing_after = int(progress.read_text())
    desks.go.with_name(desks.go.name + ".stop").touch()
    (report,) = desks.run(timeout=30)

    assert writing_after > committed_before or report["last"] > committed_before  # it really was writing
    assert integrity(copy) == "ok"
    conn = sqlite3.connect(copy)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM squads ORDER BY id")]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    finally:
        conn.close()
    # One consistent moment: a prefix of what was written, with everything committed before.
    assert names == [f"squad {n}" for n in range(1, len(names) + 1)]
    assert len(names) >= committed_before
    print(
        f"\nbackup: {committed_before} rows committed before it began, {len(names)} in the copy, "
        f"{report['last']} written in all"
    )
