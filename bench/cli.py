"""The command line: how fast it answers, and what its progress bar costs.

* ``csdesk --help`` and ``csdesk --version``, each a fresh process, against the
  floor ``python -c "import sqlite3, csv"`` (what a script that reads a
  database and writes a CSV pays before doing anything).
* A staff import of ``ROWS`` rows into an empty centre with its progress bar
  (standard error a pseudo-terminal) against the same import with ``--quiet``,
  and the rows a second of the quiet one against a script that only reads the
  same file with the ``csv`` module and stores its cells in a SQLite table, all
  three run in turn so a machine's drift falls on each.
"""

from __future__ import annotations

import os
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROWS = 100_000
TARGET_ROWS_PER_SECOND = 20_000
# The floor of an import: read the file, store its cells as they are, nothing checked or audited.
_READ_AND_STORE = """
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
with open(sys.argv[1], newline="", encoding="utf-8") as text:
    rows = csv.reader(text)
    columns = len(next(rows))
    db.execute(f"CREATE TABLE people ({', '.join(f'c{n}' for n in range(columns))})")
    with db:
        db.executemany(f"INSERT INTO people VALUES ({', '.join('?' * columns)})", rows)
"""
SQUADS = ("Lotus", "Orchid", "Bamboo", "Plum", "Pine")


def _seconds(command: list[str], *, terminal: bool = False) -> float:
    """Wall seconds of one run; on a pseudo-terminal (standard error included) with ``terminal``."""
    started = time.perf_counter()
    if terminal:
        master, slave = pty.openpty()
        try:
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
            os.close(slave)
            while True:  # read what it draws, as a terminal would, so it never waits on a full buffer
                try:
                    if not os.read(master, 65536):
                        break
                except OSError:  # the child closed its end
                    break
            code = child.wait()
        finally:
            os.close(master)
    else:
        code = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True).returncode
    if code != 0:
        raise RuntimeError(f"{command} exited {code}")
    return time.perf_counter() - started


def starts(rounds: int = 10) -> dict[str, float]:
    """Median seconds of a fresh process for --help, --version and the floor, taken in turn."""
    commands = {
        "help": [sys.executable, "-m", "csdesk", "--help"],
        "version": [sys.executable, "-m", "csdesk", "--version"],
        "floor": [sys.executable, "-c", "import sqlite3, csv"],
    }
    taken: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            taken[name].append(_seconds(command))
    return {name: statistics.median(values) for name, values in taken.items()}


def staff_file(path: Path, rows: int) -> None:
    lines = ["employee_number,real_name,role,grade,squad,status,hire_date"]
    lines.append("9000,María González,department_director,senior,,formal,2019-05-01")
    lines += [f"{100000 + i},王芳{i},agent,junior,{SQUADS[i % 5]},formal,2024-03-01" for i in range(rows - 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_with_and_without_bar(rows: int = ROWS, rounds: int = 2) -> dict[str, Any]:
    """Median seconds of the import shown on a terminal, run --quiet, each into a fresh copy, and of the floor."""
    csdesk = [sys.executable, "-m", "csdesk"]
    with tempfile.TemporaryDirectory(prefix="csdesk-bench-cli-") as folder:
        here = Path(folder)
        staff_file(here / "staff.csv", rows)
        subprocess.run([*csdesk, "--db", str(here / "empty.db"), "init"], check=True, capture_output=True)
        taken: dict[str, list[float]] = {"bar": [], "quiet": [], "floor": []}
        for _ in range(rounds):
            floor = here / "floor.db"
            taken["floor"].append(
                _seconds([sys.executable, "-c", _READ_AND_STORE, str(here / "staff.csv"), str(floor)])
            )
            floor.unlink()
            for name, extra in (("bar", []), ("quiet", ["--quiet"])):
                db = here / f"{name}.db"
                shutil.copy(here / "empty.db", db)
                command = [*csdesk, *extra, "--db", str(db), "import", "staff", str(here / "staff.csv")]
                taken[name].append(_seconds(command, terminal=True))
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
    return {"rows": rows, **{name: statistics.median(values) for name, values in taken.items()}}
