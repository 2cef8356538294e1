"""Helpers for the reliability tests: desk processes, row counts, figures."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Desks are separate processes that inherit nothing from the test: forked from a
# clean server process that has only imported csdesk (so each starts in
# milliseconds rather than re-importing everything on 2 cores).
SPAWN = multiprocessing.get_context("forkserver")
SPAWN.set_forkserver_preload(
    [
        "csdesk.policy",
        "csdesk.services.tickets",
        "csdesk.services.ledger",
        "csdesk.services.rollcall",
        "csdesk.store",
        "reliability.workers",
    ]
)


def table_counts(db_path: Path) -> dict[str, int]:
    """Rows per table, read with plain sqlite3 (no csdesk code in between)."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
    finally:
        conn.close()


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


class Desks:
    """Starts desk processes that wait for one "go", and collects their reports."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.go = folder / "go"
        self.processes: list[tuple[Any, Path]] = []

    def start(self, target: Callable[..., None], *args: Any) -> Path:
        out = self.folder / f"report-{len(self.processes)}.json"
        process = SPAWN.Process(target=target, args=(*args, str(self.go), str(out)), daemon=True)
        process.start()
        self.processes.append((process, out))
        return out

    def ready(self, timeout: float = 60.0) -> None:
        """Waits until every desk has started up (imports take a while on 2 cores)."""
        deadline = time.monotonic() + timeout
        while len(list(self.folder.glob("go.ready.*"))) < len(self.processes):
            dead = [p.exitcode for p, _ in self.processes if p.exitcode not in (None, 0)]
            assert not dead, f"a desk process failed to start: exit codes {dead}"
            assert time.monotonic() < deadline, "desk processes did not start in time"
            time.sleep(0.01)

    def run(self, timeout: float) -> list[dict[str, Any]]:
        """Says go, waits for every desk to finish (at most ``timeout`` s), returns their reports."""
        self.ready()
        self.go.touch()
        deadline = time.monotonic() + timeout
        for process, _ in self.processes:
            process.join(max(0.1, deadline - time.monotonic()))
        stuck = [p.pid for p, _ in self.processes if p.is_alive()]
        for process, _ in self.processes:
            if process.is_alive():
                process.kill()
                process.join(5)
        assert not stuck, f"desk processes still running after {timeout} s: {stuck}"
        bad = [p.exitcode for p, _ in self.processes if p.exitcode != 0]
        assert not bad, f"desk processes failed with exit codes {bad}"
        return [json.loads(out.read_text()) for _, out in self.processes]

    def reset(self) -> None:
        self.stop()
        self.processes.clear()
        for path in self.folder.glob("go*"):
            path.unlink()

    def stop(self) -> None:
        for process, _ in self.processes:
            if process.is_alive():
                process.kill()
                process.join(5)


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[Desks]:
    folder = tmp_path / "desks"
    folder.mkdir()
    group = Desks(folder)
    yield group
    group.stop()


@pytest.fixture(scope="session")
def sqlite_at_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated to head per run (as the PostgreSQL tests keep a
    template): a test starts from a copy in milliseconds instead of migrating anew."""
    from csdesk.store import create_database

    path = tmp_path_factory.mktemp("template") / "centre.db"
    create_database(path).close()
    return path


@pytest.fixture
def db(db_url: str, backend: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The suite's ``db``, but a SQLite file starts as a copy of the migrated template.

    ``create_database`` still opens it and checks the revision, as on a fresh file;
    the upgrade itself is proven by the migration tests.
    """
    from csdesk.store import create_database

    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_at_head"), db_url)
        os.chmod(db_url, 0o600)
    database = create_database(db_url)
    yield database
    database.close()
