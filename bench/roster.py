"""Planning on the big centre: demand from its history, a proposal per squad and for all, a day's check.

Floors, measured in the same run: reading the squad's month as the roster
shows it (what any proposal must read anyway) and a bare ``sqlite3`` read of
one person's fortnight (what checking one edited day must read anyway).
Proposals write drafts, so they run on a scratch copy of the cached centre.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FLOOR_SQL = "SELECT work_date, shift_id, holiday_duty FROM roster WHERE staff_id = ? AND work_date BETWEEN ? AND ?"


def _next_month(today: date) -> date:
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def run(centre: Any, rounds: int) -> dict[str, Any]:
    from csdesk.cli import Context, acting_person
    from csdesk.services.demand import compute_demand
    from csdesk.services.proposals import propose_month, squad_seconds
    from csdesk.services.rostering import check_plan_day, month_plan, plannable_squads
    from csdesk.settings import resolve_settings

    scratch = tempfile.TemporaryDirectory(prefix="csdesk-bench-roster-")
    copy = Path(scratch.name) / centre.path.name
    shutil.copyfile(centre.path, copy)
    ctx = Context(resolve_settings(str(copy)))
    try:
        desk = ctx.desk()
        director = acting_person(ctx, centre.director)
        month = _next_month(centre.today)
        squads = [squad_id for squad_id, _name in plannable_squads(desk, director)]

        started = time.perf_counter()
        demand = compute_demand(desk)
        demand_s = time.perf_counter() - started
        # As the roster screen's next opening asks: nothing in the history changed.
        started = time.perf_counter()
        compute_demand(desk)
        demand_again_s = time.perf_counter() - started

        one, read_one = [], []
        for _n in range(max(1, rounds // 4)):
            started = time.perf_counter()
            month_plan(desk, director, squads[0], month)
            read_one.append(time.perf_counter() - started)
            started = time.perf_counter()
            first = propose_month(desk, director, squads[0], month, centre=demand)
            one.append(time.perf_counter() - started)

        started = time.perf_counter()
        for squad_id in squads:
            month_plan(desk, director, squad_id, month)
        read_all = time.perf_counter() - started
        started = time.perf_counter()
        # As `csdesk roster propose` does for every squad: one budget shared between them.
        seconds = squad_seconds(len(squads))
        results = [
            propose_month(desk, director, squad_id, month, centre=demand, seconds=seconds) for squad_id in squads
        ]
        all_s = demand_s + time.perf_counter() - started

        plan = month_plan(desk, director, squads[0], month)
        person = plan.people[len(plan.people) // 2].staff_id
        days = [plan.first + timedelta(days=n) for n in range((plan.last - plan.first).days + 1)]
        checks, bare = [], []
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            for n in range(rounds):
                day = days[n % len(days)]
                started = time.perf_counter()
                check_plan_day(desk, director, person, day)
                checks.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                conn.execute(
                    FLOOR_SQL, (person, (day - timedelta(days=7)).isoformat(), (day + timedelta(days=7)).isoformat())
                ).fetchall()
                bare.append((time.perf_counter() - started) * 1000)
        finally:
            conn.close()
    finally:
        ctx.close()
        scratch.cleanup()
    needed = sum(r.needed for r in results)
    filled = sum(r.filled for r in results)
    return {
        "month": month.isoformat(),
        "squads": len(squads),
        "demand_s": demand_s,
        "demand_again_s": demand_again_s,
        "contacts": demand.contacts,
        "one_squad_median_s": statistics.median(one),
        "one_squad_read_median_s": statistics.median(read_one),
        "first_squad": {"needed": first.needed, "filled": first.filled},
        "all_squads_s": all_s,
        "all_squads_read_s": read_all,
        "needed": needed,
        "filled": filled,
        # Which planner made each squad's month: the solver when installed, else the greedy pass.
        "planners": sorted({r.solver for r in results}),
        "check_p95_ms": _p95(checks),
        "check_floor_p95_ms": _p95(bare),
    }
