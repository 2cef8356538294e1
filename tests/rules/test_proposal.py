"""A proposed month never breaks a hard rule, whatever the squad, leave, holidays and demand."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from csdesk.policy import Policy
from csdesk.rules.proposal import Candidate, Proposal, coverage, intern_hours_ok, propose, shift_hours
from csdesk.rules.rostering import PersonPlan, check_leave, plan_problems
from csdesk.rules.vocab import ShiftKind

from .conftest import SHIPPED

D, N = ShiftKind.DAY, ShiftKind.NIGHT
JAN = date(2027, 1, 1)
LAST = date(2027, 1, 31)
DAYS = [JAN + timedelta(days=n) for n in range(31)]


def _problems(proposal, person: Candidate, policy: Policy) -> list[str]:
    shifts = {**person.before, **proposal.shifts[person.staff_id]}
    plan = PersonPlan(
        f"No. {person.staff_id}",
        shifts,
        frozenset(proposal.holiday_duty[person.staff_id]),
        person.leave,
        frozenset(d for d, k in person.fixed.items() if k is not None),
    )
    found = [str(p.decision) for p in plan_problems(plan, JAN, LAST, policy)]
    found += [str(d) for day in DAYS if (d := check_leave(plan, day)) is not None and day not in person.fixed]
    for day, kind in person.fixed.items():
        if proposal.shifts[person.staff_id].get(day) is not kind:
            found.append(f"fixed day {day} changed")
    if person.intern and not intern_hours_ok(proposal.shifts[person.staff_id], policy):
        found.append("ST-4: intern over the weekly hours")
    return found


day_in_month = st.sampled_from(DAYS)


@st.composite
def squads(draw):
    size = draw(st.integers(1, 14))
    people = []
    for staff_id in range(size):
        leave = frozenset(draw(st.lists(day_in_month, max_size=8)))
        fixed = draw(st.dictionaries(day_in_month, st.sampled_from([D, N, None]), max_size=3))
        fixed = {d: k for d, k in fixed.items() if d not in leave}
        run = draw(st.integers(0, 6))
        before_kind = draw(st.sampled_from([D, N]))
        before = {JAN - timedelta(days=n): before_kind for n in range(1, run + 1)}
        people.append(Candidate(staff_id, draw(st.booleans()), leave, fixed, before))
    return people


@st.composite
def policies(draw):
    holidays = draw(st.lists(day_in_month, max_size=5))
    limit = draw(st.integers(3, 6))
    night_end = draw(st.sampled_from(["01:00", "08:00"]))
    return Policy.model_validate(
        {
            "roster": {"max_consecutive_days": limit},
            "shifts": {"night": {"start": "17:30", "end": night_end}},
            "holidays": {"dates": holidays},
        }
    )


needs = st.dictionaries(st.tuples(day_in_month, st.sampled_from([D, N])), st.integers(0, 9), max_size=62)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(squads(), needs, policies())
def test_a_proposal_never_breaks_a_hard_rule(people, needed, policy):
    # rule: SC-2, SW-3, LV-9, SW-1, ST-4
    # What is fixed already (the days before, registered swaps) must keep the rules itself.
    given_only = Proposal(
        {p.staff_id: {d: k for d, k in p.fixed.items() if k is not None} for p in people},
        {p.staff_id: set() for p in people},
    )
    assume(all(not _problems(given_only, p, policy) for p in people))
    proposal = propose(people, needed, JAN, LAST, policy)
    for person in people:
        assert _problems(proposal, person, policy) == []
    for person in people:
        for day in proposal.holiday_duty[person.staff_id]:
            assert policy.holidays.is_holiday(day) and day in proposal.shifts[person.staff_id]


def test_a_demo_sized_squad_covers_a_modest_demand_and_spreads_nights():
    people = [Candidate(i, intern=i == 9) for i in range(10)]
    needed = {(d, k): (4 if k is D else 2) for d in DAYS for k in (D, N)}
    proposal = propose(people, needed, JAN, LAST, SHIPPED)
    assert coverage(proposal, needed) == 1.0
    nights = [sum(1 for k in proposal.shifts[p.staff_id].values() if k is N) for p in people]
    assert max(nights) - min(nights) <= 3
    # AT-4: everyone reaches the weekly minimum in the full weeks.
    monday = date(2027, 1, 4)
    for person in people:
        week = [proposal.shifts[person.staff_id].get(monday + timedelta(days=n)) for n in range(7)]
        assert sum(shift_hours(k, SHIPPED) for k in week if k) >= SHIPPED.attendance.weekly_min_hours


def test_too_few_people_leave_seats_empty_rather_than_break_six_on_one_off():
    # rule: SC-2
    people = [Candidate(0), Candidate(1)]
    needed = {(d, D): 2 for d in DAYS}
    proposal = propose(people, needed, JAN, LAST, SHIPPED)
    assert coverage(proposal, needed) < 1.0
    for person in people:
        assert _problems(proposal, person, SHIPPED) == []


def test_holiday_workers_get_holiday_duty():
    # rule: LV-9 (1 January is a public holiday)
    proposal = propose([Candidate(0)], {(JAN, D): 1}, JAN, LAST, SHIPPED)
    assert JAN in proposal.holiday_duty[0] and proposal.shifts[0][JAN] is D
