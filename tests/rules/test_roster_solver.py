"""The solver's month keeps every hard rule the greedy pass keeps, and shares nights and weekends more evenly.

The solver (OR-Tools) is an optional extra: the tests of it skip without it; the
fallback to the greedy pass is tested either way.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings

from csdesk.rules import roster_solver
from csdesk.rules.proposal import CP_SAT, GREEDY, GREEDY_TIMEOUT, Candidate, Proposal, coverage, is_weekend, propose
from csdesk.rules.roster_solver import plan_month, solve
from csdesk.rules.vocab import ShiftKind

from .conftest import SHIPPED
from .test_proposal import DAYS, JAN, LAST, _problems, needs, policies, squads

D, N = ShiftKind.DAY, ShiftKind.NIGHT
DEMO_SQUAD = [Candidate(i, intern=i == 9) for i in range(10)]
DEMO_NEED = {(d, k): (4 if k is D else 2) for d in DAYS for k in (D, N)}


def test_without_the_solver_the_greedy_plan_is_kept_and_named(monkeypatch):
    monkeypatch.setattr(roster_solver, "available", lambda: False)
    proposal = plan_month(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED)
    assert proposal.solver == GREEDY
    assert proposal.shifts == propose(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED).shifts


def test_a_solver_out_of_time_leaves_the_greedy_plan_and_says_so(monkeypatch):
    monkeypatch.setattr(roster_solver, "available", lambda: True)
    monkeypatch.setattr(roster_solver, "solve", lambda *args, **kwargs: None)
    proposal = plan_month(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED)
    assert proposal.solver == GREEDY_TIMEOUT
    assert coverage(proposal, DEMO_NEED) == 1.0


def test_a_search_that_only_gives_back_the_greedy_plan_names_the_greedy_pass(monkeypatch):
    monkeypatch.setattr(roster_solver, "available", lambda: True)
    monkeypatch.setattr(roster_solver, "solve", lambda people, needed, first, last, policy, **kw: kw["hint"])
    assert plan_month(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED).solver == GREEDY_TIMEOUT


def _spread(proposal: Proposal, people: list[Candidate], counted) -> int:
    counts = [sum(1 for d, k in proposal.shifts[p.staff_id].items() if counted(d, k)) for p in people]
    return max(counts) - min(counts)


# No wall-clock limit in reach: what the solver finds then depends on its work budget alone.
UNHURRIED = 600.0


def test_the_solver_covers_the_demo_squad_and_shares_nights_and_weekends_evenly():
    pytest.importorskip("ortools")
    greedy = propose(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED)
    proposal = solve(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED, hint=greedy, seconds=UNHURRIED)
    assert proposal is not None and proposal.solver == CP_SAT
    assert coverage(proposal, DEMO_NEED) == 1.0
    for person in DEMO_SQUAD:
        assert _problems(proposal, person, SHIPPED) == []
    nights = _spread(proposal, DEMO_SQUAD, lambda d, k: k is N)
    weekends = _spread(proposal, DEMO_SQUAD, lambda d, k: is_weekend(d, SHIPPED))
    assert nights <= _spread(greedy, DEMO_SQUAD, lambda d, k: k is N)
    assert weekends <= _spread(greedy, DEMO_SQUAD, lambda d, k: is_weekend(d, SHIPPED))
    assert nights + weekends < _spread(greedy, DEMO_SQUAD, lambda d, k: k is N) + _spread(
        greedy, DEMO_SQUAD, lambda d, k: is_weekend(d, SHIPPED)
    )


def test_the_same_squad_and_demand_give_the_same_plan():
    pytest.importorskip("ortools")
    greedy = propose(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED)
    first = solve(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED, hint=greedy, work=0.5, seconds=UNHURRIED)
    again = solve(DEMO_SQUAD, DEMO_NEED, JAN, LAST, SHIPPED, hint=greedy, work=0.5, seconds=UNHURRIED)
    assert first is not None and again is not None and first.shifts == again.shifts


def test_leave_a_swap_and_the_days_before_the_month_bind_the_solver():
    # rule: SC-2, SW-1, LV-9
    pytest.importorskip("ortools")
    monday = date(2027, 1, 4)
    people = [
        Candidate(0, before={JAN - timedelta(days=n): D for n in range(1, 7)}),  # six days in a row already
        Candidate(1, leave=frozenset(DAYS[:10])),
        Candidate(2, fixed={monday: N, monday + timedelta(days=1): None}),
    ]
    proposal = solve(people, {(d, D): 2 for d in DAYS}, JAN, LAST, SHIPPED, seconds=UNHURRIED)
    assert proposal is not None
    assert JAN not in proposal.shifts[0]  # the seventh day is a rest day
    assert not set(proposal.shifts[1]) & set(DAYS[:10])
    assert proposal.shifts[2][monday] is N and monday + timedelta(days=1) not in proposal.shifts[2]
    for person in people:
        assert _problems(proposal, person, SHIPPED) == []
    # 1 January is a public holiday: whoever works it is on holiday duty.
    assert {p for p in (1, 2) if JAN in proposal.shifts[p]} == {p for p in (1, 2) if JAN in proposal.holiday_duty[p]}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(squads(), needs, policies())
def test_a_solved_month_never_breaks_a_hard_rule(people, needed, policy):
    # rule: SC-2, SW-3, LV-9, SW-1, ST-4
    pytest.importorskip("ortools")
    given_only = Proposal(
        {p.staff_id: {d: k for d, k in p.fixed.items() if k is not None} for p in people},
        {p.staff_id: set() for p in people},
    )
    assume(all(not _problems(given_only, p, policy) for p in people))
    # A small budget: the rules hold for any plan the solver gives, good or best.
    proposal = solve(people, needed, JAN, LAST, policy, work=0.3, seconds=UNHURRIED)
    assert proposal is not None
    for person in people:
        assert _problems(proposal, person, policy) == []
    for person in people:
        for day in proposal.holiday_duty[person.staff_id]:
            assert policy.holidays.is_holiday(day) and day in proposal.shifts[person.staff_id]
