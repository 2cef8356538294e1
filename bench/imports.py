"""``python -m bench.imports [--rows N]``: staff and roster imports, rows a second.

The staff register import is timed on a fresh database with ``--rows`` people
(new rows), then again with every row changed (updates); the roster import of
the same number of rows is the floor it is compared with, measured in the same
run. Target: at least 20,000 rows a second, as the roster import does.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

TARGET_ROWS_PER_SECOND = 20_000
ROLES = ("agent", "agent", "agent", "agent", "deputy_leader", "squad_leader")


def _staff_csv(path: Path, rows: int, tag: str) -> None:
    lines = ["employee_number,real_name,role,grade,squad,status,hire_date,phone,address,emergency_contact"]
    for n in range(rows):
        lines.append(
            f"E{n:07d},Person {tag} {n},{ROLES[n % len(ROLES)]},junior,Squad {n // 50},formal,2024-03-01,"
            f"1380000{n % 10000:04d},{n} Harbour Road {tag},Contact {n}"
        )
    lines[1] = lines[1].replace(",agent,", ",department_director,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _roster_csv(path: Path, rows: int, people: int) -> None:
    lines = ["employee_number,date,shift"]
    start = date(2026, 3, 2)
    for n in range(rows):
        lines.append(f"E{n % people:07d},{start + timedelta(days=n // people)},day")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(rows: int) -> dict[str, float]:
    from csdesk.policy import default_policy
    from csdesk.services.base import Actor, Desk, FixedClock
    from csdesk.services.roster import import_roster, import_staff
    from csdesk.services.staff import acting_person
    from csdesk.store import create_database

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        db = create_database(here / "centre.db")
        desk = Desk(db=db, policy=default_policy(), clock=FixedClock(datetime(2026, 3, 1, tzinfo=UTC)))
        _staff_csv(here / "staff.csv", rows, "a")
        _staff_csv(here / "changed.csv", rows, "b")
        _roster_csv(here / "roster.csv", rows, rows)

        started = time.perf_counter()
        import_staff(desk, None, here / "staff.csv")
        figures["staff import, new rows"] = rows / (time.perf_counter() - started)

        director: Actor = acting_person(desk, "E0000000")
        started = time.perf_counter()
        import_staff(desk, director, here / "changed.csv")
        figures["staff import, changed rows"] = rows / (time.perf_counter() - started)

        started = time.perf_counter()
        import_roster(desk, director, here / "roster.csv")
        figures["roster import (floor)"] = rows / (time.perf_counter() - started)
        db.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in each file")
    args = parser.parse_args(argv)
    figures = run(args.rows)
    floor = figures["roster import (floor)"]
    for name, value in figures.items():
        verdict = "met" if value >= TARGET_ROWS_PER_SECOND else "MISSED"
        print(f"{name:<32} {value:10,.0f} rows/s  x{value / floor:5.2f} of the roster's  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
