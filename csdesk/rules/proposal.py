"""A proposed month plan for a squad: every hard rule kept, demand covered as far as people allow.

Hard rules, never broken: six on, one off (SC-2), rest between shifts (SW-3),
no shift on a day of approved leave, days fixed by a registered swap (SW-1)
kept as they are, holiday duty only for those working a public holiday (LV-9),
interns within their weekly hours (ST-4). Then, as far as people allow: the
needed agents on each shift, everyone at least the weekly minimum (AT-4), and
nights and weekend days spread evenly.

This is the greedy pass, day by day, shift by shift: each seat goes to the
person the rules allow who has worked least of that kind so far. It plans a
squad's month in milliseconds and needs nothing beyond the desk. When OR-Tools
is installed, ``roster_solver`` plans the month as a constraint model starting
from this plan, and this one stays as the answer when the solver finds nothing
better in time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from csdesk.policy import Policy
from csdesk.rules.rostering import run_through
from csdesk.rules.shifts import shift_window
from csdesk.rules.swaps import back_to_back
from csdesk.rules.vocab import ShiftKind


@dataclass(frozen=True)
class Candidate:
    staff_id: int
    intern: bool = False
    leave: frozenset[date] = frozenset()
    # Days that are not the proposal's to change (a registered swap, a day gone by):
    # the shift on them, or None for a fixed rest day.
    fixed: Mapping[date, ShiftKind | None] = field(default_factory=dict)
    # Shifts worked before the month, so a run of days over its start counts whole.
    before: Mapping[date, ShiftKind] = field(default_factory=dict)


GREEDY = "greedy"
GREEDY_TIMEOUT = "greedy-timeout"  # the solver is installed but found no better plan in time
CP_SAT = "cp-sat"


@dataclass
class Proposal:
    shifts: dict[int, dict[date, ShiftKind]]
    holiday_duty: dict[int, set[date]]
    solver: str = GREEDY  # which planner made it: GREEDY, GREEDY_TIMEOUT or CP_SAT

    def planned(self, day: date, kind: ShiftKind) -> int:
        return sum(1 for own in self.shifts.values() if own.get(day) is kind)


def shift_hours(kind: ShiftKind, policy: Policy) -> float:
    window = shift_window(date(2024, 1, 1), kind, policy)
    return (window.end - window.start).total_seconds() / 3600


class _Planner:
    def __init__(self, people: list[Candidate], first: date, last: date, policy: Policy) -> None:
        self.people = people
        self.first, self.last = first, last
        self.policy = policy
        self.limit = policy.roster.max_consecutive_days
        self.hours = {kind: shift_hours(kind, policy) for kind in ShiftKind}
        self.shifts: dict[int, dict[date, ShiftKind]] = {}
        for person in people:
            own = dict(person.before)
            own.update({d: k for d, k in person.fixed.items() if k is not None})
            self.shifts[person.staff_id] = own
        self.count: dict[tuple[int, str], int] = {}

    def week_hours(self, person: Candidate, day: date) -> float:
        monday = day - timedelta(days=day.weekday())
        own = self.shifts[person.staff_id]
        return sum(self.hours[own[d]] for d in (monday + timedelta(days=n) for n in range(7)) if d in own)

    def allowed(self, person: Candidate, day: date, kind: ShiftKind) -> bool:
        own = self.shifts[person.staff_id]
        if day in own or day in person.leave or day in person.fixed:
            return False
        limit = self.policy.roster.intern_max_hours_per_week
        if person.intern and self.week_hours(person, day) + self.hours[kind] > limit:
            return False
        own[day] = kind
        try:
            _start, length = run_through(own, day)
            if length > self.limit:
                return False
            windows = [
                shift_window(d, own[d], self.policy)
                for d in (day - timedelta(days=1), day, day + timedelta(days=1))
                if d in own
            ]
            return back_to_back(windows, self.policy) is None
        finally:
            del own[day]

    def put(self, person: Candidate, day: date, kind: ShiftKind) -> None:
        self.shifts[person.staff_id][day] = kind
        for key in ("all", kind.value, "weekend" if is_weekend(day, self.policy) else ""):
            if key:
                self.count[(person.staff_id, key)] = self.count.get((person.staff_id, key), 0) + 1

    def rank(self, person: Candidate, day: date, kind: ShiftKind) -> tuple[int, int, int, int]:
        weekend = self.count.get((person.staff_id, "weekend"), 0) if is_weekend(day, self.policy) else 0
        # Keeping yesterday's shift saves a switch between day and night.
        switch = int(self.shifts[person.staff_id].get(day - timedelta(days=1), kind) is not kind)
        return (
            self.count.get((person.staff_id, kind.value), 0) + weekend,
            self.count.get((person.staff_id, "all"), 0),
            switch,
            person.staff_id,
        )

    def planned_gap(self, day: date, kind: ShiftKind, needed: Mapping[tuple[date, ShiftKind], int]) -> int:
        """How far the shift is over its need (negative: short); the most short is filled first."""
        planned = sum(1 for own in self.shifts.values() if own.get(day) is kind)
        return planned - needed.get((day, kind), 0)

    def fill(self, day: date, kind: ShiftKind, seats: int) -> None:
        for _seat in range(seats):
            able = [p for p in self.people if self.allowed(p, day, kind)]
            if not able:
                return
            self.put(min(able, key=lambda p: self.rank(p, day, kind)), day, kind)


def is_weekend(day: date, policy: Policy) -> bool:
    """A day that counts as a weekend when nights and weekends are shared out: Saturday, Sunday, a holiday."""
    return day.weekday() >= 5 or policy.holidays.is_holiday(day)


def month_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def holiday_duty_of(
    people: list[Candidate], shifts: Mapping[int, Mapping[date, ShiftKind]], policy: Policy
) -> dict[int, set[date]]:
    """LV-9: whoever the proposal puts on a public holiday is on holiday duty that day;
    someone the plan gives no shift has none."""
    return {
        p.staff_id: {d for d in shifts.get(p.staff_id, {}) if policy.holidays.is_holiday(d) and d not in p.fixed}
        for p in people
    }


def propose(
    people: list[Candidate],
    needed: Mapping[tuple[date, ShiftKind], int],
    first: date,
    last: date,
    policy: Policy,
) -> Proposal:
    """Each person's shifts from `first` to `last`, and who has holiday duty."""
    planner = _Planner(people, first, last, policy)
    days = month_days(first, last)
    for day in days:
        # The night is the harder shift to fill, so it chooses first.
        for kind in (ShiftKind.NIGHT, ShiftKind.DAY):
            fixed = sum(1 for p in people if p.fixed.get(day) is kind)
            planner.fill(day, kind, max(0, needed.get((day, kind), 0) - fixed))
    _weekly_minimum(planner, days, needed)
    shifts = {p.staff_id: {d: k for d, k in planner.shifts[p.staff_id].items() if first <= d <= last} for p in people}
    return Proposal(shifts, holiday_duty_of(people, shifts, policy))


def _weekly_minimum(planner: _Planner, days: list[date], needed: Mapping[tuple[date, ShiftKind], int]) -> None:
    """AT-4: top each person up to the weekly minimum, on the shifts furthest below their need."""
    policy = planner.policy
    minimum = policy.attendance.weekly_min_hours
    weeks: dict[date, list[date]] = {}
    for day in days:
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(day)
    for week_days in weeks.values():
        for person in planner.people:
            available = [d for d in week_days if d not in person.leave]
            # A part week (month edge, leave) asks for its share of the minimum.
            target = minimum * len(available) / 7
            while planner.week_hours(person, week_days[0]) < target - 1e-9:
                options = [
                    (planner.planned_gap(d, k, needed), d, k)
                    for d in available
                    for k in (ShiftKind.DAY, ShiftKind.NIGHT)
                    if planner.allowed(person, d, k)
                ]
                if not options:
                    break
                _gap, day, kind = min(options, key=lambda o: (o[0], o[1], o[2] is ShiftKind.NIGHT))
                planner.put(person, day, kind)


def coverage(proposal: Proposal, needed: Mapping[tuple[date, ShiftKind], int]) -> float:
    """Share of the needed seats the plan fills (1.0 when nothing is needed)."""
    wanted = sum(needed.values())
    if not wanted:
        return 1.0
    filled = sum(min(n, proposal.planned(day, kind)) for (day, kind), n in needed.items())
    return filled / wanted


def intern_hours_ok(shifts: Mapping[date, ShiftKind], policy: Policy) -> bool:
    hours = {kind: shift_hours(kind, policy) for kind in ShiftKind}
    weeks: dict[date, float] = {}
    for day, kind in shifts.items():
        monday = day - timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + hours[kind]
    return all(total <= policy.roster.intern_max_hours_per_week + 1e-9 for total in weeks.values())
