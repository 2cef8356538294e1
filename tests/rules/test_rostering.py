"""One person's plan, day by day: SC-1..SC-3, SW-1, SW-3, SW-6, LV-9 and approved leave."""

from __future__ import annotations

from datetime import date, timedelta

from csdesk.policy import Policy
from csdesk.rules.decision import Outcome
from csdesk.rules.rostering import PersonPlan, check_day, plan_problems
from csdesk.rules.vocab import ShiftKind

from .conftest import SHIPPED

D, N = ShiftKind.DAY, ShiftKind.NIGHT
MON = date(2026, 3, 2)


def plan(days: dict[int, ShiftKind], **extra) -> PersonPlan:
    return PersonPlan("No. 7", {MON + timedelta(days=k): v for k, v in days.items()}, **extra)


def by_rule(decisions, rule_id):
    return next(d for d in decisions if rule_id in d.rule_ids)


def test_six_days_in_a_row_pass_the_seventh_is_flagged():
    # rule: SC-2
    six = plan({k: D for k in range(6)})
    assert by_rule(check_day(six, MON + timedelta(days=5), SHIPPED), "SC-2").outcome is Outcome.ALLOWED
    seven = plan({k: D for k in range(7)})
    decision = by_rule(check_day(seven, MON + timedelta(days=3), SHIPPED), "SC-2")
    assert decision.outcome is Outcome.VIOLATION
    assert "7 days in a row" in decision.reason


def test_a_run_over_the_month_edge_counts_whole():
    # rule: SC-2
    seven = plan({k: N for k in range(-3, 4)})
    problems = plan_problems(seven, MON, MON + timedelta(days=27), SHIPPED)
    assert [p.decision.rule_ids for p in problems] == [("SC-2",)]


def test_rest_between_shifts_is_checked_around_the_day():
    # rule: SW-3 (a night ending 09:00 leaves no rest before the next day shift)
    late = Policy.model_validate({"shifts": {"night": {"start": "21:00", "end": "09:00"}}})
    person = plan({0: N, 1: D})
    decision = by_rule(check_day(person, MON + timedelta(days=1), late), "SW-3")
    assert decision.outcome is Outcome.VIOLATION
    assert by_rule(check_day(person, MON + timedelta(days=1), SHIPPED), "SW-3").ok


def test_shift_times_and_night_overtime_are_explained():
    # rule: SC-1, SC-3
    decisions = check_day(plan({0: N}), MON, SHIPPED)
    night = by_rule(decisions, "SC-1")
    assert "SC-3" in night.rule_ids and "17:30–01:00" in night.reason
    assert "SC-3" not in by_rule(check_day(plan({0: D}), MON, SHIPPED), "SC-1").rule_ids


def test_holiday_duty_only_on_a_public_holiday_with_a_shift_and_without_leave():
    # rule: LV-9
    holiday = date(2026, 5, 1)
    ok = PersonPlan("No. 7", {holiday: D}, holiday_duty=frozenset({holiday}))
    assert by_rule(check_day(ok, holiday, SHIPPED), "LV-9").ok
    not_holiday = PersonPlan("No. 7", {MON: D}, holiday_duty=frozenset({MON}))
    assert by_rule(check_day(not_holiday, MON, SHIPPED), "LV-9").outcome is Outcome.REFUSED
    on_leave = PersonPlan("No. 7", {holiday: D}, holiday_duty=frozenset({holiday}), leave=frozenset({holiday}))
    assert "may not take leave" in by_rule(check_day(on_leave, holiday, SHIPPED), "LV-9").reason


def test_holiday_duty_on_a_swapped_day_is_refused():
    # rule: SW-6, LV-9
    holiday = date(2026, 5, 1)
    person = PersonPlan("No. 7", {holiday: D}, holiday_duty=frozenset({holiday}), swapped=frozenset({holiday}))
    decisions = check_day(person, holiday, SHIPPED)
    assert decisions[0].outcome is Outcome.REFUSED and "SW-6" in decisions[0].rule_ids


def test_a_swapped_day_warns_before_it_is_changed():
    # rule: SW-1
    decision = by_rule(check_day(plan({0: D}, swapped=frozenset({MON})), MON, SHIPPED), "SW-1")
    assert decision.outcome is Outcome.WARNING


def test_a_shift_on_a_day_of_approved_leave_is_refused_first():
    decisions = check_day(plan({0: D}, leave=frozenset({MON})), MON, SHIPPED)
    assert decisions[0].outcome is Outcome.REFUSED and decisions[0].rule_ids == ("LV-3",)
    # A rest day on leave is fine.
    assert all(d.ok for d in check_day(plan({}, leave=frozenset({MON})), MON, SHIPPED))
