"""FN-8: the department fund pays out only what fines put in: spending and rewards
(FN-7 memo rewards, FN-9 custom rewards) stop at the balance, to the cent."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from csdesk.models import AuditLog, LedgerEntry, MemoSuggestion, SuggestionStatus
from csdesk.models.states import MemoKind
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.services.base import InvalidInput
from csdesk.services.ledger import custom_entry, fund_balance, grant_reward, record_spending, reverse
from csdesk.services.memo import adopt, write_memo


@pytest.fixture
def centre(make_squad, make_staff, actor_of):
    squad = make_squad("Lotus")
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad))
    agent = actor_of(make_staff(squad=squad))
    dept = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR))
    return type("Centre", (), dict(leader=leader, agent=agent, dept=dept))


def _fill(desk, centre, amount) -> int:
    return custom_entry(desk, centre.dept, centre.agent.staff_id, LedgerKind.FINE, amount, "headset broken")


def _counts(desk):
    with desk.read() as session:
        return tuple(session.exec(select(func.count()).select_from(t)).one() for t in (LedgerEntry, AuditLog))


PAYOUTS = {
    "reward": lambda d, c, amount: grant_reward(d, c.leader, c.agent.staff_id, amount, "queue script idea"),
    "custom reward": lambda d, c, amount: custom_entry(
        d, c.dept, c.agent.staff_id, LedgerKind.REWARD, amount, "covered a night alone"
    ),
    "spending": lambda d, c, amount: record_spending(d, c.dept, amount, "team dinner"),
}


@pytest.mark.parametrize("payout", PAYOUTS)
def test_fn_8_a_payout_stops_at_the_balance_to_the_cent(desk, centre, payout):
    _fill(desk, centre, "30.00")
    before = _counts(desk)
    with pytest.raises(InvalidInput) as refused:
        PAYOUTS[payout](desk, centre, "30.01")  # one cent more than the fund holds
    assert refused.value.field == "amount" and "FN-8" in refused.value.rule_ids
    assert "the fund holds 30" in str(refused.value)
    assert _counts(desk) == before and fund_balance(desk) == 3000

    PAYOUTS[payout](desk, centre, 30)  # exactly the balance
    assert fund_balance(desk) == 0


def test_fn_8_an_empty_fund_pays_no_reward_and_the_next_fine_makes_it_possible(desk, centre):
    with pytest.raises(InvalidInput) as refused:
        grant_reward(desk, centre.leader, centre.agent.staff_id, 10, "idea")
    assert refused.value.rule_ids == ("FN-8",) and "the fund holds 0" in str(refused.value)
    _fill(desk, centre, 10)
    grant_reward(desk, centre.leader, centre.agent.staff_id, 10, "idea")
    assert fund_balance(desk) == 0


def test_fn_7_fn_8_a_memo_the_fund_cannot_reward_stays_open(desk, centre):
    _fill(desk, centre, 20)
    idea = write_memo(desk, centre.agent, MemoKind.IDEA, "a macro for refund questions")
    with pytest.raises(InvalidInput) as refused:
        adopt(desk, centre.leader, idea.id, 21, "saves a minute a call")
    assert refused.value.field == "amount" and "FN-8" in refused.value.rule_ids
    with desk.read() as session:
        memo = session.get(MemoSuggestion, idea.id)
        assert (memo.status, memo.reward_entry_id) == (SuggestionStatus.OPEN, None)
    assert adopt(desk, centre.leader, idea.id, 20, "saves a minute a call").status is SuggestionStatus.ADOPTED
    assert fund_balance(desk) == 0


def test_fn_8_a_wrong_fine_is_still_reversed_after_its_money_was_spent(desk, centre):
    """The one way below zero, on purpose: the person gets back a fine booked by mistake
    (it must not stand towards DS-2), and the open ledger shows what the fund owes."""
    fine = _fill(desk, centre, 10)
    record_spending(desk, centre.dept, 10, "tea")
    reverse(desk, centre.dept, fine, "fined the wrong person")
    assert fund_balance(desk) == -1000
    with pytest.raises(InvalidInput):
        grant_reward(desk, centre.leader, centre.agent.staff_id, 10, "idea")
