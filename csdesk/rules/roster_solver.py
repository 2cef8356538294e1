"""A squad's month planned by a constraint solver (OR-Tools CP-SAT): the same hard rules as the greedy pass.

Hard rules, as constraints: one shift a day at most, six on, one off (SC-2,
counting the days worked before the month), rest between the shifts of
consecutive days (SW-3), nothing on a day of approved leave, days fixed by a
registered swap or gone by kept as they are (SW-1), interns within their weekly
hours (ST-4). Holiday duty (LV-9) goes, as in the greedy pass, to whoever works
a public holiday on a day the proposal sets.

What it weighs, most important first: seats short of the demand, hours short of
the weekly minimum (AT-4), then fairness (the spread of night shifts, weekend
days and rest days between people), then seats planned beyond the demand.

The solver is optional (``pip install csdesk[solver]``): it brings numpy,
pandas and protobuf. ``solve`` answers None when it is not installed or finds
no plan in time, and the caller keeps the greedy plan.

The search is bounded by the solver's own measure of work, so the same squad,
demand and rules give the same plan on a busy machine and a quiet one, and
proposing again changes nothing. A squad whose best plan takes longer to find
than the wall-clock limit gets the best found by then (never worse than the
greedy plan it starts from), which may differ from one run to the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from csdesk.policy import Policy
from csdesk.rules.proposal import (
    CP_SAT,
    GREEDY_TIMEOUT,
    Candidate,
    Proposal,
    holiday_duty_of,
    is_weekend,
    month_days,
    propose,
    shift_hours,
)
from csdesk.rules.shifts import shift_window
from csdesk.rules.swaps import back_to_back
from csdesk.rules.vocab import ShiftKind

# The solver's own measure of work: a demo squad's month reaches its best plan in a third
# of it. The wall-clock limit keeps a big or busy squad's proposal within a few seconds.
SOLVE_WORK = 1.5
SOLVE_SECONDS = 5.0

# Weights of the objective, each an order above what follows it.
SHORT_SEAT = 100_000
SHORT_MINUTE = 100  # a whole shift short of the weekly minimum weighs less than an empty seat
SPREAD = 1_000
EXTRA_SEAT = 10

KINDS = (ShiftKind.DAY, ShiftKind.NIGHT)


def available() -> bool:
    try:
        from ortools.sat.python import cp_model  # noqa: F401
    except ImportError:
        return False
    return True


def _clashes(day: date, policy: Policy) -> list[tuple[ShiftKind, ShiftKind]]:
    """Pairs of (shift of `day`, shift of the day after) with too little rest between them (SW-3)."""
    after = day + timedelta(days=1)
    return [
        (first, second)
        for first in KINDS
        for second in KINDS
        if back_to_back([shift_window(day, first, policy), shift_window(after, second, policy)], policy) is not None
    ]


def solve(
    people: list[Candidate],
    needed: Mapping[tuple[date, ShiftKind], int],
    first: date,
    last: date,
    policy: Policy,
    *,
    hint: Proposal | None = None,
    work: float = SOLVE_WORK,
    seconds: float = SOLVE_SECONDS,
) -> Proposal | None:
    """The month planned by CP-SAT, or None when the solver is missing or finds no plan in time.

    ``hint``: a plan that keeps the rules (the greedy one) for the search to start from,
    so the answer is never worse than it.
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    days = month_days(first, last)
    model = cp_model.CpModel()
    minutes = {kind: round(shift_hours(kind, policy) * 60) for kind in ShiftKind}
    # x[(staff, day, kind)]: a variable on the days the proposal sets, a constant 0/1 elsewhere.
    x: dict[tuple[int, date, ShiftKind], Any] = {}
    fixed_shift: dict[tuple[int, date], ShiftKind | None] = {}
    for person in people:
        sid = person.staff_id
        for day, kind in person.before.items():
            fixed_shift[(sid, day)] = kind
        for day in days:
            if day in person.fixed:
                fixed_shift[(sid, day)] = person.fixed[day]
            elif day in person.leave:
                fixed_shift[(sid, day)] = None
            else:
                for kind in KINDS:
                    x[(sid, day, kind)] = model.new_bool_var(f"x{sid}_{day:%m%d}_{kind.value}")
                model.add_at_most_one(x[(sid, day, kind)] for kind in KINDS)

    def on(sid: int, day: date, kind: ShiftKind) -> Any:
        var = x.get((sid, day, kind))
        if var is not None:
            return var
        return 1 if fixed_shift.get((sid, day)) is kind else 0

    def worked(sid: int, day: date) -> Any:
        return on(sid, day, ShiftKind.DAY) + on(sid, day, ShiftKind.NIGHT)

    # The hint's value of every variable, the counting ones included: a whole hint is taken as the first
    # plan at once, where a partial one costs the search a second or more to complete.
    hinted: list[tuple[Any, int]] = []
    hint_shifts = hint.shifts if hint is not None else {}

    def on_hint(sid: int, day: date, kind: ShiftKind) -> int:
        if (sid, day, kind) in x:
            return int(hint_shifts.get(sid, {}).get(day) is kind)
        return int(fixed_shift.get((sid, day)) is kind)

    limit = policy.roster.max_consecutive_days
    earliest = min([first, *(d for p in people for d in p.before)])
    span = month_days(earliest, last)
    clashes = {day: _clashes(day, policy) for day in span}
    intern_limit = round(policy.roster.intern_max_hours_per_week * 60)
    weekly_min = policy.attendance.weekly_min_hours * 60
    weeks: dict[date, list[date]] = {}
    for day in days:
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(day)

    objective: list[Any] = []
    nights: dict[int, Any] = {}
    weekends: dict[int, Any] = {}
    rests: dict[int, Any] = {}
    counted: dict[str, dict[int, int]] = {"nights": {}, "weekends": {}, "rests": {}}
    for person in people:
        sid = person.staff_id
        # SC-2: any limit+1 days in a row hold a rest day, wherever the window touches the month.
        for start in month_days(earliest, last - timedelta(days=limit)):
            window = [start + timedelta(days=n) for n in range(limit + 1)]
            if window[-1] < first:
                continue
            free = [x[(sid, d, k)] for d in window for k in KINDS if (sid, d, k) in x]
            if not free:
                continue
            # Days fixed already may break the rule themselves (an old import): then no more.
            given = sum(on_hint(sid, d, k) for d in window for k in KINDS if (sid, d, k) not in x)
            model.add(sum(free) <= max(0, limit - given))
        # SW-3: rest between the shift of a day and that of the next.
        for day in span[:-1] if span else []:
            after = day + timedelta(days=1)
            if after < first:
                continue
            for a, b in clashes[day]:
                if (sid, day, a) in x or (sid, after, b) in x:
                    model.add(on(sid, day, a) + on(sid, after, b) <= 1)
        for monday, week_days in weeks.items():
            whole_week = [monday + timedelta(days=n) for n in range(7)]
            hours = sum(minutes[k] * on(sid, d, k) for d in whole_week for k in KINDS)
            if person.intern:  # ST-4, counting only what the proposal adds when fixed days are over already
                given = sum(minutes[k] * on_hint(sid, d, k) for d in whole_week for k in KINDS if (sid, d, k) not in x)
                free = [minutes[k] * x[(sid, d, k)] for d in whole_week for k in KINDS if (sid, d, k) in x]
                if free:
                    model.add(sum(free) <= max(0, intern_limit - given))
            # AT-4: a part week (month edge, leave) asks for its share of the minimum.
            open_days = [d for d in week_days if d not in person.leave]
            target = round(weekly_min * len(open_days) / 7)
            if target:
                short = model.new_int_var(0, target, f"short{sid}_{monday:%m%d}")
                model.add(short >= target - hours)
                objective.append(SHORT_MINUTE * short)
                worked_minutes = sum(minutes[k] * on_hint(sid, d, k) for d in whole_week for k in KINDS)
                hinted.append((short, max(0, target - worked_minutes)))
        nights[sid] = sum(on(sid, d, ShiftKind.NIGHT) for d in days)
        counted["nights"][sid] = sum(on_hint(sid, d, ShiftKind.NIGHT) for d in days)
        weekends[sid] = sum(worked(sid, d) for d in days if is_weekend(d, policy))
        counted["weekends"][sid] = sum(on_hint(sid, d, k) for d in days if is_weekend(d, policy) for k in KINDS)
        if not person.intern:
            days_open = len(days) - len([d for d in days if d in person.leave])
            rests[sid] = days_open - sum(worked(sid, d) for d in days)
            counted["rests"][sid] = days_open - sum(on_hint(sid, d, k) for d in days for k in KINDS)

    for day in days:
        for kind in KINDS:
            planned = sum(on(p.staff_id, day, kind) for p in people)
            want = needed.get((day, kind), 0)
            gap = model.new_int_var(-want, len(people), f"gap{day:%m%d}{kind.value}")
            model.add(gap == planned - want)
            planned_hint = sum(on_hint(p.staff_id, day, kind) for p in people)
            hinted.append((gap, planned_hint - want))
            if want:
                short = model.new_int_var(0, want, f"seat{day:%m%d}{kind.value}")
                model.add(short >= -gap)
                objective.append(SHORT_SEAT * short)
                hinted.append((short, max(0, want - planned_hint)))
            extra = model.new_int_var(0, len(people), f"extra{day:%m%d}{kind.value}")
            model.add(extra >= gap)
            objective.append(EXTRA_SEAT * extra)
            hinted.append((extra, max(0, planned_hint - want)))

    for name, counts in (("nights", nights), ("weekends", weekends), ("rests", rests)):
        if len(counts) < 2:
            continue
        high = model.new_int_var(-len(days), len(days), f"most_{name}")
        low = model.new_int_var(-len(days), len(days), f"least_{name}")
        for count in counts.values():
            model.add(high >= count)
            model.add(low <= count)
        objective.append(SPREAD * (high - low))
        hinted += [(high, max(counted[name].values())), (low, min(counted[name].values()))]

    model.minimize(sum(objective))
    if hint is not None:
        for (sid, day, kind), var in x.items():
            model.add_hint(var, on_hint(sid, day, kind))
        for var, value in hinted:
            model.add_hint(var, value)

    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = work
    solver.parameters.max_time_in_seconds = seconds
    # One search, bounded by work: the plan depends only on the squad, the demand and the
    # rules, never on which of several racing searches finished first. Started from the
    # whole greedy plan it reaches the best plan of a demo squad in a third of its budget.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    shifts: dict[int, dict[date, ShiftKind]] = {}
    for person in people:
        sid = person.staff_id
        own: dict[date, ShiftKind] = {}
        for day in days:
            if (sid, day, ShiftKind.DAY) in x:
                for kind in KINDS:
                    if solver.boolean_value(x[(sid, day, kind)]):
                        own[day] = kind
            elif (kind_fixed := fixed_shift.get((sid, day))) is not None:
                own[day] = kind_fixed
        shifts[sid] = own
    return Proposal(shifts, holiday_duty_of(people, shifts, policy), solver=CP_SAT)


def plan_month(
    people: list[Candidate],
    needed: Mapping[tuple[date, ShiftKind], int],
    first: date,
    last: date,
    policy: Policy,
    *,
    work: float = SOLVE_WORK,
    seconds: float = SOLVE_SECONDS,
) -> Proposal:
    """The solver's plan when it is installed and finds a better one in time; otherwise the greedy plan.

    ``Proposal.solver`` says which one it is.
    """
    greedy = propose(people, needed, first, last, policy)
    if not available():
        return greedy
    solved = solve(people, needed, first, last, policy, hint=greedy, work=work, seconds=seconds)
    # A search cut short may give back the greedy plan itself: it is named for what it is.
    if solved is None or solved.shifts == greedy.shifts:
        greedy.solver = GREEDY_TIMEOUT
        return greedy
    return solved
