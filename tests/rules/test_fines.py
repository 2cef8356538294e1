from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csdesk.rules.decision import Outcome
from csdesk.rules.fines import (
    LedgerEntry,
    Offence,
    assess_fine,
    check_custom_entry,
    check_greeting_delay,
    check_reversal,
    check_reward,
    check_spending,
    count_this_month,
    fund_balance,
    greeting_delay_fine,
)
from csdesk.rules.vocab import LedgerKind, Role

from .conftest import SHIPPED, ZONE, at


@pytest.mark.parametrize(("earlier", "amount", "review"), [(0, 10, False), (1, 20, False), (2, 40, True)])
def test_fn_1_ho_5_handover_fine_doubles_and_the_third_raises_dismissal_review(policy, earlier, amount, review):
    fine = assess_fine(Offence.HANDOVER, earlier, policy)
    assert (fine.amount, fine.dismissal_review) == (amount, review)
    assert {"FN-1", "HO-5"} <= set(fine.decision.rule_ids)


def test_fn_3_ds_2_third_complaint_in_a_month_goes_to_the_director(policy):
    third = assess_fine(Offence.COMPLAINT, 2, policy)
    assert third.amount == 200 and third.dismissal_review
    assert "DS-2" in third.decision.rule_ids and third.decision.inform == (Role.DEPARTMENT_DIRECTOR,)
    assert "dismissal review raised to the director" in third.decision.reason
    assert (
        str(assess_fine(Offence.COMPLAINT, 0, policy).decision) == "FN-3, FN-10: fine 50 CNY (first offence this month)"
    )


@given(st.sampled_from(list(Offence)), st.integers(0, 10), st.integers(0, 10))
def test_fn_10_more_offences_never_cost_less(offence, earlier, more):
    fewer = assess_fine(offence, earlier, SHIPPED)
    later = assess_fine(offence, earlier + more, SHIPPED)
    assert later.amount >= fewer.amount
    assert later.dismissal_review >= fewer.dismissal_review


def test_fn_10_offences_count_per_calendar_month_in_the_centre_zone():
    earlier = [at(2026, 2, 27, 10), at(2026, 2, 28, 23, 59)]
    assert count_this_month(earlier, at(2026, 2, 28, 23, 59, 59), ZONE) == 2
    # Half past midnight on 1 March: a fresh month, even inside the night shift of 28 February.
    assert count_this_month(earlier, at(2026, 3, 1, 0, 30), ZONE) == 0


@pytest.mark.parametrize(
    ("offence", "rule_id"),
    [(Offence.NON_WORK, "FN-4"), (Offence.DESK_NOT_CLEAN, "FN-5"), (Offence.CONTACT_DISCLOSURE, "FN-6")],
)
def test_fn_4_fn_5_fn_6_flat_fines_of_ten_each_time(policy, offence, rule_id):
    for earlier in (0, 5):
        fine = assess_fine(offence, earlier, policy)
        assert fine.amount == 10 and not fine.dismissal_review and fine.decision.rule_ids[0] == rule_id


@pytest.mark.parametrize(("seconds", "amount"), [(0, 0), (30, 0), (31, 5), (60, 5), (61, 10), (90, 10), (91, 15)])
def test_fn_2_tk_13_greeting_delay_costs_5_per_started_30_seconds(policy, seconds, amount):
    assert greeting_delay_fine(timedelta(seconds=seconds), policy) == amount


def test_fn_2_greeting_delay_decision(policy):
    assert check_greeting_delay(timedelta(seconds=30), policy).ok
    assert str(check_greeting_delay(timedelta(seconds=61), policy)) == "TK-13, FN-2: greeted after 61 s: fine 10 CNY"


@given(st.integers(0, 3600), st.integers(0, 3600))
def test_fn_2_a_longer_wait_never_costs_less(seconds, more):
    # rule: FN-2
    assert greeting_delay_fine(timedelta(seconds=seconds + more), SHIPPED) >= greeting_delay_fine(
        timedelta(seconds=seconds), SHIPPED
    )


def test_fn_7_reward_between_10_and_100(policy):
    assert check_reward(10, policy).ok and check_reward(100, policy).ok
    assert check_reward(9, policy).outcome is Outcome.REFUSED
    assert check_reward(101, policy).reason == "a suggestion reward is between 10 and 100 CNY, got 101"


def test_fn_9_custom_fine_needs_the_manager_and_a_reason():
    assert check_custom_entry(Role.DEPARTMENT_DIRECTOR, "", 20).outcome is Outcome.REFUSED
    pending = check_custom_entry(Role.SQUAD_LEADER, "broke the coffee machine", 20)
    assert pending.outcome is Outcome.NEEDS_APPROVAL and pending.approvers == (Role.DEPARTMENT_DIRECTOR,)
    assert check_custom_entry(Role.DEPARTMENT_DIRECTOR, "broke the coffee machine", 20).ok


def test_fn_8_fund_balance_from_the_ledger():
    entries = [
        LedgerEntry(1, LedgerKind.FINE, 50),
        LedgerEntry(2, LedgerKind.FINE, 10),
        LedgerEntry(3, LedgerKind.REWARD, 20),
        LedgerEntry(4, LedgerKind.SPENDING, 15),
        LedgerEntry(5, LedgerKind.REVERSAL, 10, reverses=2),
        LedgerEntry(6, LedgerKind.REVERSAL, 15, reverses=4),
    ]
    assert fund_balance(entries) == 50 - 20
    assert fund_balance([]) == 0
    with pytest.raises(ValueError):
        fund_balance([LedgerEntry(1, LedgerKind.REVERSAL, 10, reverses=99)])


def test_fn_8_ledger_is_corrected_only_by_one_reversal():
    fine = LedgerEntry(1, LedgerKind.FINE, 50)
    assert check_reversal(fine, []).ok
    assert check_reversal(fine, [1]).outcome is Outcome.REFUSED
    assert check_reversal(LedgerEntry(2, LedgerKind.REVERSAL, 50, reverses=1), []).outcome is Outcome.REFUSED


def test_fn_8_spending_needs_a_purpose_an_approver_and_money_in_the_fund():
    assert check_spending(30, "team dinner", None, 100).outcome is Outcome.NEEDS_APPROVAL
    assert check_spending(30, " ", Role.DEPARTMENT_DIRECTOR, 100).outcome is Outcome.REFUSED
    assert check_spending(101, "team dinner", Role.DEPARTMENT_DIRECTOR, 100).outcome is Outcome.REFUSED
    assert check_spending(100, "team dinner", Role.DEPARTMENT_DIRECTOR, 100).ok
