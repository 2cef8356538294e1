from datetime import date
from fractions import Fraction

from csdesk.rules.decision import Outcome
from csdesk.rules.swaps import (
    SwapParty,
    SwapRequest,
    check_swap,
    check_swap_approvals,
    empty_shift_charges,
    refuse_swap,
    swaps_in_month,
)
from csdesk.rules.vocab import Grade, Role

from .conftest import day_shift, night_shift

MON, TUE, WED = date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11)


def party(pid, roster=(), **extra):
    base = {"grade": Grade.JUNIOR, "work_kind": "phone"}
    base.update(extra)
    return SwapParty(person_id=pid, roster=tuple(roster), **base)


def simple(**a_extra):
    # Ann gives her Monday day shift to Bo; Bo gives his Wednesday day shift back.
    ann = party("ann", [day_shift(MON)], **a_extra)
    bo = party("bo", [day_shift(WED)])
    return SwapRequest(ann, bo, give=day_shift(MON), take=day_shift(WED))


def test_sw_1_a_valid_swap_needs_both_squad_leaders(policy):
    d = check_swap(simple(), policy)
    assert d.outcome is Outcome.NEEDS_APPROVAL and d.approvers == (Role.SQUAD_LEADER, Role.SQUAD_LEADER)
    assert check_swap_approvals(True, False).outcome is Outcome.NEEDS_APPROVAL
    assert "partner's squad leader" in check_swap_approvals(True, False).reason
    assert check_swap_approvals(True, True).ok


def test_sw_2_two_swaps_a_month_then_no_more(policy):
    one_before = simple(earlier_swap_days=(date(2026, 3, 2),))
    assert check_swap(one_before, policy).outcome is Outcome.NEEDS_APPROVAL
    two_before = simple(earlier_swap_days=(date(2026, 3, 2), date(2026, 3, 31)))
    d = check_swap(two_before, policy)
    assert d.outcome is Outcome.REFUSED and d.rule_ids == ("SW-2",) and "March 2026" in d.reason


def test_sw_2_swaps_count_per_calendar_month():
    days = (date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1))
    assert swaps_in_month(days, date(2026, 3, 15)) == 2
    assert swaps_in_month(days, date(2026, 2, 1)) == 1


def test_sw_2_last_months_swaps_do_not_count(policy):
    assert (
        check_swap(simple(earlier_swap_days=(date(2026, 2, 27), date(2026, 2, 28))), policy).outcome
        is Outcome.NEEDS_APPROVAL
    )


def test_sw_3_swap_that_makes_day_and_night_back_to_back_is_refused(policy):
    # Bo already works Monday night; taking Ann's Monday day shift runs straight into it.
    ann = party("ann", [day_shift(MON)])
    bo = party("bo", [night_shift(MON)])
    d = check_swap(SwapRequest(ann, bo, give=day_shift(MON)), policy)
    assert d.outcome is Outcome.REFUSED and d.rule_ids == ("SW-3",)
    assert "day shift of 2026-03-09 and the night shift of 2026-03-09 back to back" in d.reason


def test_sw_3_night_then_next_morning_has_enough_rest(policy):
    ann = party("ann", [day_shift(TUE)])
    bo = party("bo", [night_shift(MON)])
    assert check_swap(SwapRequest(ann, bo, give=day_shift(TUE)), policy).outcome is Outcome.NEEDS_APPROVAL


def test_sw_4_same_grade_and_kind_of_work(policy):
    assert check_swap(simple(grade=Grade.SENIOR), policy).rule_ids == ("SW-4",)
    assert check_swap(simple(work_kind="back office"), policy).rule_ids == ("SW-4",)


def test_sw_5_an_empty_shift_is_charged_to_both_by_share():
    decision, charges = empty_shift_charges("ann", "bo", Fraction(1, 3))
    assert decision.outcome is Outcome.VIOLATION and "SW-5" in decision.rule_ids
    assert [(c.person_id, c.share) for c in charges] == [("ann", Fraction(1, 3)), ("bo", Fraction(2, 3))]
    assert [c.share for c in empty_shift_charges("ann", "bo")[1]] == [Fraction(1, 2), Fraction(1, 2)]


def test_sw_6_no_swap_while_on_leave_or_on_holiday_duty(policy):
    assert check_swap(simple(on_leave=True), policy).rule_ids == ("SW-6",)
    assert check_swap(simple(holiday_duty=True), policy).rule_ids == ("SW-6", "LV-9")


def test_sw_7_a_refusal_is_recorded_with_its_reason():
    assert refuse_swap("  ").reason == "a refusal must give a reason"
    assert str(refuse_swap("short-staffed on Monday")) == "SW-7: swap refused: short-staffed on Monday"
