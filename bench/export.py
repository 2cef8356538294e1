"""The weekly attendance export for 1,000 agents against the bare copy of its rows.

The floor reads the same shifts with the same joins and order through plain
``sqlite3`` and writes them with ``csv.writer``: what the export costs beyond
moving the rows is its rules (AT-2..AT-5), time zones and the hours file.
"""

from __future__ import annotations

import csv
import sqlite3
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import bigcentre

AGENTS_PER_SQUAD = 20  # 50 squads: 1,000 agents

FLOOR_SQL = """
SELECT s.employee_number, s.real_name, q.name, r.work_date, d.kind, a.clock_in, a.clock_out,
       a.minutes_late, a.status, a.leave_type
FROM roster r
JOIN staff s ON s.id = r.staff_id
JOIN shift_definitions d ON d.id = r.shift_id
LEFT JOIN squads q ON q.id = s.squad_id
LEFT JOIN attendance a ON a.roster_id = r.id
WHERE r.work_date >= ? AND r.work_date < ?
ORDER BY q.name, s.employee_number, r.work_date, d.kind
"""


def centre(scale: float, rebuild: bool) -> Any:
    return bigcentre.build(scale, rebuild=rebuild, agents_per_squad=max(1, round(AGENTS_PER_SQUAD)), days=14, tickets=0)


def floor_once(path: Path, monday: Any, out: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(FLOOR_SQL, (monday.isoformat(), (monday + timedelta(days=7)).isoformat()))
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                (
                    "employee_number",
                    "name",
                    "squad",
                    "date",
                    "shift",
                    "clock_in",
                    "clock_out",
                    "minutes_late",
                    "status",
                    "leave_type",
                )
            )
            count = 0
            for row in rows:
                writer.writerow(row)
                count += 1
    finally:
        conn.close()
    return count


def desk_once(desk: Any, actor: Any, iso_week: str, out: Path) -> int:
    from csdesk.services.exports import export_attendance

    return export_attendance(desk, actor, iso_week, None, out).rows


def run(scale: float, rounds: int, rebuild: bool = False) -> dict[str, Any]:
    built = centre(scale, rebuild)
    monday = built.today - timedelta(days=built.today.weekday() + 7)
    iso = monday.isocalendar()
    iso_week = f"{iso.year}-W{iso.week:02d}"
    # Warm both once (imports, page cache), then time.
    from csdesk.cli import Context, acting_person
    from csdesk.settings import resolve_settings

    ctx = Context(resolve_settings(str(built.path)))
    desk = ctx.desk()
    actor = acting_person(ctx, built.director)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        desk_once(desk, actor, iso_week, out / "warm.csv")
        floor_once(built.path, monday, out / "warm-floor.csv")
        spent, bare = [], []
        rows = floor_rows = 0
        for n in range(rounds):
            started = time.perf_counter()
            floor_rows = floor_once(built.path, monday, out / f"floor-{n}.csv")
            bare.append(time.perf_counter() - started)
            started = time.perf_counter()
            rows = desk_once(desk, actor, iso_week, out / f"desk-{n}.csv")
            spent.append(time.perf_counter() - started)
    ctx.close()
    agents = built.counts.get("staff", 0)
    return {
        "week": iso_week,
        "people": agents,
        "rows": rows,
        "floor_rows": floor_rows,
        "desk_median_s": statistics.median(spent),
        "floor_median_s": statistics.median(bare),
    }
