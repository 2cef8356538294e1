"""The rules one person's month plan must keep, checked a day at a time (SC-1..SC-3, SW-3, SW-6, LV-9).

A plan gives each person at most one shift a day; a day without one is a rest
day. ``check_day`` answers for the day being edited, with every rule it touches,
so the roster can show each rule ID and its "why"; ``plan_problems`` lists what
would stop the whole plan from being published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision, Outcome
from csdesk.rules.shifts import shift_window
from csdesk.rules.swaps import back_to_back
from csdesk.rules.vocab import ShiftKind
from csdesk.vocabulary import shift_label


@dataclass(frozen=True)
class PersonPlan:
    """One person's plan around the days checked, with what is fixed for them."""

    person: str  # how they are named in a reason: "No. 1024"
    shifts: Mapping[date, ShiftKind]
    holiday_duty: frozenset[date] = frozenset()
    leave: frozenset[date] = frozenset()  # days of approved leave
    swapped: frozenset[date] = frozenset()  # days a registered swap put them on or off


HARD = (Outcome.REFUSED, Outcome.VIOLATION)


def run_through(shifts: Mapping[date, ShiftKind], day: date) -> tuple[date, int]:
    """The first day and length of the run of days worked that holds `day`."""
    first = day
    while first - timedelta(days=1) in shifts:
        first -= timedelta(days=1)
    last = day
    while last + timedelta(days=1) in shifts:
        last += timedelta(days=1)
    return first, (last - first).days + 1


def check_six_on(plan: PersonPlan, day: date, policy: Policy) -> Decision:
    """SC-2: the run of working days through `day` stays within the limit."""
    limit = policy.roster.max_consecutive_days
    if day not in plan.shifts:
        return Decision.allowed(_("a rest day"), "SC-2")
    first, length = run_through(plan.shifts, day)
    if length > limit:
        return Decision.violation(
            _("{person}: {length} days in a row from {first:%Y-%m-%d}; at most {limit} before a rest day").format(
                person=plan.person, length=length, first=first, limit=limit
            ),
            "SC-2",
        )
    return Decision.allowed(
        _("day {n} of a run of {length}; at most {limit} in a row").format(
            n=(day - first).days + 1, length=length, limit=limit
        ),
        "SC-2",
    )


def check_rest(plan: PersonPlan, day: date, policy: Policy) -> Decision:
    """SW-3: the shift of `day` and those of the days around it keep the minimum rest between them."""
    windows = [
        shift_window(d, plan.shifts[d], policy)
        for d in (day - timedelta(days=1), day, day + timedelta(days=1))
        if d in plan.shifts
    ]
    pair = back_to_back(windows, policy)
    if pair is not None:
        return Decision.violation(
            _("{person}: the {first} and the {second} leave less than {minutes} minutes of rest").format(
                person=plan.person,
                first=_describe(pair[0].kind, pair[0].day),
                second=_describe(pair[1].kind, pair[1].day),
                minutes=policy.swaps.min_rest_minutes,
            ),
            "SW-3",
        )
    return Decision.allowed(
        _("at least {minutes} minutes of rest before and after").format(minutes=policy.swaps.min_rest_minutes),
        "SW-3",
    )


def _describe(kind: ShiftKind, day: date) -> str:
    return _("{shift} of {day:%Y-%m-%d}").format(shift=shift_label(kind), day=day)


def check_leave(plan: PersonPlan, day: date) -> Decision | None:
    """Approved leave (LV-3) keeps the person off; a shift that day is not worked."""
    if day in plan.leave and day in plan.shifts:
        return Decision.refused(
            _("{person} is on approved leave on {day:%Y-%m-%d}").format(person=plan.person, day=day), "LV-3"
        )
    return None


def check_duty(plan: PersonPlan, day: date, policy: Policy) -> Decision | None:
    """LV-9: holiday duty falls on a public holiday, on a shift, and rules out leave."""
    if day not in plan.holiday_duty:
        return None
    if not policy.holidays.is_holiday(day):
        return Decision.refused(_("{day:%Y-%m-%d} is not a public holiday").format(day=day), "LV-9")
    if day not in plan.shifts:
        return Decision.refused(_("holiday duty needs a shift that day"), "LV-9")
    if day in plan.leave:
        return Decision.refused(
            _("{person} is on leave; staff on holiday duty may not take leave").format(person=plan.person), "LV-9"
        )
    if day in plan.swapped:
        return Decision.refused(
            _("{person} swapped this day; holiday-duty staff may not swap").format(person=plan.person),
            "SW-6",
            "LV-9",
        )
    return Decision.allowed(_("on holiday duty: no swap and no leave that day"), "LV-9")


def check_swapped(plan: PersonPlan, day: date) -> Decision | None:
    """SW-1: a registered swap decided this day; changing it undoes what both leaders approved."""
    if day in plan.swapped:
        return Decision.warning(
            _("a registered swap set this day; both squad leaders approved it"),
            "SW-1",
        )
    return None


def check_shift_times(plan: PersonPlan, day: date, policy: Policy) -> Decision:
    """SC-1 (and SC-3 for the night): which hours the shift of `day` covers."""
    kind = plan.shifts.get(day)
    if kind is None:
        return Decision.allowed(_("no shift: a rest day"), "SC-1")
    window = shift_window(day, kind, policy)
    reason = _("{shift} {start:%H:%M}–{end:%H:%M}, counted on {day:%Y-%m-%d}").format(
        shift=shift_label(kind), start=window.start, end=window.end, day=day
    )
    if window.end.date() != day:
        # SC-3: the night runs past midnight and stays on while customers are served.
        return Decision.allowed(reason + _("; work past its end is overtime"), "SC-1", "SC-3")
    return Decision.allowed(reason, "SC-1")


def check_day(plan: PersonPlan, day: date, policy: Policy) -> list[Decision]:
    """Every rule the plan of `day` touches, the most serious first."""
    found: list[Decision | None] = [
        check_leave(plan, day),
        check_duty(plan, day, policy),
        check_six_on(plan, day, policy),
        check_rest(plan, day, policy),
        check_swapped(plan, day),
        check_shift_times(plan, day, policy),
    ]
    decisions = [d for d in found if d is not None]
    order = {Outcome.REFUSED: 0, Outcome.VIOLATION: 1, Outcome.WARNING: 2, Outcome.NEEDS_APPROVAL: 3}
    return sorted(decisions, key=lambda d: order.get(d.outcome, 4))


def hard(decisions: list[Decision]) -> list[Decision]:
    return [d for d in decisions if d.outcome in HARD]


@dataclass(frozen=True)
class Problem:
    day: date
    decision: Decision


def plan_problems(plan: PersonPlan, first: date, last: date, policy: Policy) -> list[Problem]:
    """The hard rules broken anywhere from `first` to `last` (one problem per rule and run).

    A published shift on a day of leave approved later is not one: the leave
    covers it (roll call marks it), so leave is checked only as a day is edited.
    """
    problems: list[Problem] = []
    seen_runs: set[date] = set()
    day = first
    while day <= last:
        for decision in hard(
            [d for d in (check_duty(plan, day, policy), check_rest(plan, day, policy)) if d is not None]
        ):
            if decision.rule_ids == ("SW-3",) and any(p.decision == decision for p in problems):
                continue
            problems.append(Problem(day, decision))
        if day in plan.shifts:
            start, length = run_through(plan.shifts, day)
            if length > policy.roster.max_consecutive_days and start not in seen_runs:
                seen_runs.add(start)
                problems.append(Problem(day, check_six_on(plan, day, policy)))
        day += timedelta(days=1)
    return problems
