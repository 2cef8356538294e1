"""The fund's ledger through its services: fines, rewards, spending, reversals (FN-1..FN-10, DS-2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import func, select

from csdesk.models import AuditLog, LedgerEntry, MemoSuggestion, Staff, SuggestionStatus
from csdesk.rules import fines
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.services.base import InvalidInput, NotFound, PermissionDenied, ServiceError
from csdesk.services.ledger import (
    GREETING_DELAY,
    custom_entry,
    dismissal_reviews,
    fund_balance,
    grant_reward,
    ledger_page,
    record_fine,
    record_spending,
    reverse,
)


@pytest.fixture
def team(make_squad, make_staff, actor_of):
    squad = make_squad("Day A")
    other = make_squad("Day B")
    people = {
        "leader": make_staff(role=Role.SQUAD_LEADER, squad=squad),
        "agent": make_staff(squad=squad, phone="13800000000", address="1 Long Road"),
        "other_agent": make_staff(squad=other),
        "dept": make_staff(role=Role.DEPARTMENT_DIRECTOR),
        "centre": make_staff(role=Role.CENTRE_DIRECTOR),
    }

    class Team:
        pass

    t = Team()
    for name, staff in people.items():
        setattr(t, name, staff)
        setattr(t, f"{name}_actor", actor_of(staff))
    return t


def counts(desk):
    with desk.read() as session:
        return (
            session.exec(select(func.count()).select_from(LedgerEntry)).one(),
            session.exec(select(func.count()).select_from(AuditLog)).one(),
        )


def fund(desk, team, amount):
    """FN-8: rewards are paid from the fund, so it first holds what a fine put in."""
    custom_entry(desk, team.dept_actor, team.other_agent.id, LedgerKind.FINE, amount, "broke the headset")


def ledger_rows(desk):
    with desk.read() as session:
        return session.exec(select(LedgerEntry).order_by(LedgerEntry.id)).all()


def complaint(desk, team, note="quarrel with a customer", **kw):
    return record_fine(desk, team.leader_actor, team.agent.id, Offence.COMPLAINT, note, **kw)


# -- escalating fines --------------------------------------------------------------


def test_fn_3_second_complaint_doubles_and_third_raises_a_dismissal_review(desk, team):
    first, second = complaint(desk, team), complaint(desk, team)
    assert (first.amount_cents, second.amount_cents) == (5000, 10000)
    assert not second.dismissal_review
    third = complaint(desk, team)
    assert third.nth_this_month == 3 and third.dismissal_review  # rule: DS-2
    assert "DS-2" in third.rule_ids
    reviews = dismissal_reviews(desk, team.dept_actor)
    assert [(r.fine_entry_id, r.staff_id, r.rule_id, r.offences_this_month, r.month) for r in reviews] == [
        (third.entry_id, team.agent.id, "FN-3", 3, "2026-03")
    ]
    with desk.read() as session:  # rule: DS-2 - the review never removes the person
        assert session.get(Staff, team.agent.id) is not None
    assert fund_balance(desk) == 5000 + 10000 + 20000


def test_fn_10_a_complaint_on_the_first_of_next_month_is_back_to_50(desk, team, clock, policy):
    complaint(desk, team)
    complaint(desk, team)
    # 00:30 on 1 April in the centre is still 31 March in UTC: the centre's month counts.
    clock.set(datetime(2026, 4, 1, 0, 30, tzinfo=policy.zone))
    fresh = complaint(desk, team)
    assert (fresh.amount_cents, fresh.nth_this_month, fresh.dismissal_review) == (5000, 1, False)


def test_fn_10_an_offence_backdated_to_last_month_counts_in_that_month(desk, team, clock, policy):
    clock.set(datetime(2026, 4, 1, 9, 0, tzinfo=policy.zone))
    complaint(desk, team, occurred_at=datetime(2026, 3, 31, 23, 50, tzinfo=policy.zone))
    assert complaint(desk, team).amount_cents == 5000


def test_fn_10_a_reversed_fine_does_not_count_towards_doubling(desk, team):
    wrong = complaint(desk, team)
    reverse(desk, team.dept_actor, wrong.entry_id, "complaint was about another desk")
    assert complaint(desk, team).amount_cents == 5000


def test_fn_1_ho_5_handover_fines_count_apart_from_complaints(desk, team):
    complaint(desk, team)
    first = record_fine(desk, team.leader_actor, team.agent.id, Offence.HANDOVER, "forgot the open email")
    second = record_fine(desk, team.leader_actor, team.agent.id, Offence.HANDOVER, "forgot again")
    assert (first.amount_cents, second.amount_cents) == (1000, 2000)
    assert first.rule_ids[:2] == ("FN-1", "HO-5")


def test_fn_4_flat_fines_do_not_escalate(desk, team):
    amounts = [
        record_fine(desk, team.leader_actor, team.agent.id, Offence.NON_WORK, "game").amount_cents for _ in range(3)
    ]
    assert amounts == [1000, 1000, 1000]
    assert dismissal_reviews(desk, team.dept_actor) == ()


@pytest.mark.parametrize(("seconds", "cents"), [(30, 0), (31, 500), (60, 500), (61, 1000)])
def test_fn_2_tk_13_greeting_delay_is_priced_by_the_wait(desk, team, seconds, cents):
    before = counts(desk)
    result = record_fine(
        desk, team.leader_actor, team.agent.id, GREETING_DELAY, "chat 77", waited=timedelta(seconds=seconds)
    )
    assert result.amount_cents == cents
    if cents:
        assert [r.amount_cents for r in ledger_rows(desk)] == [cents]
        assert ledger_rows(desk)[0].rule_id == "FN-2"
    else:
        assert result.entry_id is None and counts(desk) == before


def test_fn_2_greeting_delay_needs_the_wait(desk, team):
    with pytest.raises(InvalidInput) as refused:
        record_fine(desk, team.leader_actor, team.agent.id, GREETING_DELAY, "chat 77")
    assert refused.value.field == "waited"


def test_fn_8_an_agent_cannot_record_a_fine_and_nothing_is_written(desk, team):
    before = counts(desk)
    with pytest.raises(PermissionDenied) as refused:
        record_fine(desk, team.agent_actor, team.other_agent.id, Offence.NON_WORK, "game")
    assert "ST-2" in refused.value.rule_ids
    assert counts(desk) == before


def test_st_2_a_squad_leader_fines_only_their_own_squad(desk, team):
    before = counts(desk)
    with pytest.raises(PermissionDenied) as refused:
        record_fine(desk, team.leader_actor, team.other_agent.id, Offence.NON_WORK, "game")
    assert refused.value.field == "staff_id"
    assert counts(desk) == before
    assert record_fine(desk, team.dept_actor, team.other_agent.id, Offence.NON_WORK, "game").entry_id


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"note": "   "}, "note"),
        ({"offence": "sleeping"}, "offence"),
        ({"occurred_at": datetime(2026, 3, 9, 8, 0)}, "occurred_at"),  # no time zone
        ({"occurred_at": datetime(2030, 1, 1, tzinfo=UTC)}, "occurred_at"),
    ],
)
def test_bad_fine_input_names_the_field_and_saves_nothing(desk, team, kwargs, field):
    args = {"offence": Offence.NON_WORK, "note": "game"} | kwargs
    before = counts(desk)
    with pytest.raises(InvalidInput) as refused:
        record_fine(desk, team.leader_actor, team.agent.id, **args)
    assert refused.value.field == field
    assert counts(desk) == before


def test_fining_someone_unknown_is_not_found(desk, team):
    with pytest.raises(NotFound):
        record_fine(desk, team.leader_actor, 9999, Offence.NON_WORK, "game")


# -- rewards and custom entries ----------------------------------------------------


@pytest.mark.parametrize(("amount", "allowed"), [(9, False), (10, True), (100, True), (101, False)])
def test_fn_7_reward_within_the_policy_range(desk, team, amount, allowed):
    fund(desk, team, 100)
    before = counts(desk)
    if allowed:
        grant_reward(desk, team.leader_actor, team.agent.id, amount, "queue script idea")
        assert [r.amount_cents for r in ledger_rows(desk)] == [10000, -amount * 100]
    else:
        with pytest.raises(InvalidInput) as refused:
            grant_reward(desk, team.leader_actor, team.agent.id, amount, "queue script idea")
        assert refused.value.field == "amount" and "FN-7" in refused.value.rule_ids
        assert counts(desk) == before


@pytest.mark.parametrize(
    ("amount", "reason", "field"),
    [
        (0, "idea", "amount"),
        (-20, "idea", "amount"),
        ("ten", "idea", "amount"),
        ("10.005", "idea", "amount"),
        (20, "  ", "reason"),
    ],
)
def test_bad_reward_input_names_the_field_and_saves_nothing(desk, team, amount, reason, field):
    before = counts(desk)
    with pytest.raises(InvalidInput) as refused:
        grant_reward(desk, team.leader_actor, team.agent.id, amount, reason)
    assert refused.value.field == field
    assert counts(desk) == before


def test_fn_7_ds_4_reward_adopts_the_suggestion_once(desk, team):
    fund(desk, team, 100)
    with desk.write() as session:
        idea = MemoSuggestion(author_id=team.agent.id, text="shorter greeting", written_at=desk.now())
        session.add(idea)
    entry_id = grant_reward(desk, team.leader_actor, team.agent.id, 30, "adopted", suggestion_id=idea.id)
    with desk.read() as session:
        saved = session.get(MemoSuggestion, idea.id)
        assert (saved.status, saved.reward_entry_id) == (SuggestionStatus.ADOPTED, entry_id)
    with pytest.raises(InvalidInput, match="already been rewarded"):
        grant_reward(desk, team.leader_actor, team.agent.id, 30, "again", suggestion_id=idea.id)
    with pytest.raises(NotFound):  # someone else's idea
        grant_reward(desk, team.dept_actor, team.other_agent.id, 30, "x", suggestion_id=idea.id)


def test_fn_9_custom_entry_needs_the_manager_and_a_reason(desk, team):
    with pytest.raises(PermissionDenied):
        custom_entry(desk, team.leader_actor, team.agent.id, LedgerKind.FINE, 20, "left the door open")
    before = counts(desk)
    for amount, reason, field in ((-20, "door", "amount"), (0, "door", "amount"), (20, " ", "reason")):
        with pytest.raises(InvalidInput) as refused:
            custom_entry(desk, team.dept_actor, team.agent.id, LedgerKind.FINE, amount, reason)
        assert refused.value.field == field
    assert counts(desk) == before
    entry_id = custom_entry(desk, team.dept_actor, team.agent.id, "fine", "20.50", "left the door open")
    row = ledger_rows(desk)[-1]
    assert (row.id, row.rule_id, row.amount_cents, row.approver_id) == (entry_id, "FN-9", 2050, team.dept.id)
    custom_entry(desk, team.dept_actor, team.agent.id, LedgerKind.REWARD, 15, "covered a night alone")
    assert fund_balance(desk) == 2050 - 1500


# -- spending, reversals and the balance ---------------------------------------------------


def test_fn_8_spending_is_recorded_with_its_approver_and_never_beyond_the_balance(desk, team):
    complaint(desk, team)  # 50 in the fund
    before = counts(desk)
    with pytest.raises(InvalidInput) as refused:
        record_spending(desk, team.dept_actor, "50.01", "team dinner")
    assert refused.value.field == "amount" and "FN-8" in refused.value.rule_ids
    with pytest.raises(InvalidInput) as blank:
        record_spending(desk, team.dept_actor, 10, "")
    assert blank.value.field == "purpose"
    with pytest.raises(PermissionDenied):
        record_spending(desk, team.leader_actor, 10, "cake")
    assert counts(desk) == before
    record_spending(desk, team.dept_actor, 50, "team dinner")
    row = ledger_rows(desk)[-1]
    assert (row.kind, row.amount_cents, row.approver_id, row.staff_id) == (
        LedgerKind.SPENDING,
        -5000,
        team.dept.id,
        None,
    )
    assert fund_balance(desk) == 0


def test_fn_8_a_reversal_restores_the_balance_and_leaves_the_original_untouched(desk, team):
    fine = complaint(desk, team)
    original = ledger_rows(desk)[0].model_dump()
    reversal_id = reverse(desk, team.dept_actor, fine.entry_id, "wrong person")
    assert fund_balance(desk) == 0
    rows = ledger_rows(desk)
    assert rows[0].model_dump() == original
    assert (rows[1].id, rows[1].kind, rows[1].reverses_id, rows[1].amount_cents) == (
        reversal_id,
        LedgerKind.REVERSAL,
        fine.entry_id,
        -5000,
    )
    page = ledger_page(desk, team.agent_actor)
    assert {r.id: r.reversed_by_id for r in page} == {reversal_id: None, fine.entry_id: reversal_id}


def test_fn_8_an_entry_is_reversed_once_and_a_reversal_never(desk, team):
    fine = complaint(desk, team)
    reversal_id = reverse(desk, team.dept_actor, fine.entry_id, "wrong person")
    before = counts(desk)
    for target in (fine.entry_id, reversal_id):
        with pytest.raises(InvalidInput) as refused:
            reverse(desk, team.centre_actor, target, "again")
        assert refused.value.field == "entry_id" and "FN-8" in refused.value.rule_ids
    with pytest.raises(InvalidInput) as blank:
        reverse(desk, team.dept_actor, fine.entry_id, "")
    assert blank.value.field == "reason"
    with pytest.raises(PermissionDenied):
        reverse(desk, team.leader_actor, fine.entry_id, "oops")
    assert counts(desk) == before


def test_fn_8_the_database_refuses_an_update_of_the_ledger(desk, team):
    complaint(desk, team)
    with pytest.raises(DBAPIError, match="append-only"), desk.write() as session:
        session.exec(update(LedgerEntry).values(amount_cents=1))
    with pytest.raises(DBAPIError, match="append-only"), desk.write() as session:
        session.exec(text("DELETE FROM ledger"))
    assert [r.amount_cents for r in ledger_rows(desk)] == [5000]


def test_fn_8_sql_balance_agrees_with_the_rule_function(desk, team):
    complaint(desk, team)
    second = complaint(desk, team)
    record_fine(desk, team.leader_actor, team.agent.id, GREETING_DELAY, "chat", waited=95)
    grant_reward(desk, team.leader_actor, team.agent.id, 40, "idea")
    custom_entry(desk, team.dept_actor, team.agent.id, LedgerKind.FINE, "7.25", "broke the headset")
    record_spending(desk, team.dept_actor, "12.75", "tea")
    reverse(desk, team.dept_actor, second.entry_id, "customer withdrew the complaint")
    rows = ledger_rows(desk)
    as_rules = [fines.LedgerEntry(r.id, r.kind, abs(r.amount_cents), r.reverses_id) for r in rows]
    assert fund_balance(desk) == fines.fund_balance(as_rules) == 5000 + 1500 - 4000 + 725 - 1275


def test_fn_8_everyone_sees_every_movement_newest_first_without_contact_data(desk, team, clock):
    complaint(desk, team)
    clock.advance(minutes=1)
    record_fine(desk, team.dept_actor, team.other_agent.id, Offence.DESK_NOT_CLEAN, "crumbs")
    clock.advance(minutes=1)
    grant_reward(desk, team.leader_actor, team.agent.id, 10, "idea")
    page = ledger_page(desk, team.other_agent_actor, offset=0, limit=2)
    assert [r.kind for r in page] == [LedgerKind.REWARD, LedgerKind.FINE]
    assert page[0].staff_label == f"No. {team.agent.employee_number} {team.agent.real_name}"
    assert page[0].amount_text == "-10.00"
    rest = ledger_page(desk, team.other_agent_actor, offset=2, limit=2)
    assert [r.rule_id for r in rest] == ["FN-3"]
    shown = repr(page + rest)
    assert "13800000000" not in shown and "Long Road" not in shown
    with pytest.raises(InvalidInput):
        ledger_page(desk, team.agent_actor, offset=0, limit=0)


def test_ds_2_only_directors_see_dismissal_reviews(desk, team):
    with pytest.raises(PermissionDenied):
        dismissal_reviews(desk, team.leader_actor)
    assert dismissal_reviews(desk, team.centre_actor) == ()


def test_every_movement_leaves_an_audit_row(desk, team):
    _, audits = counts(desk)
    complaint(desk, team)
    grant_reward(desk, team.leader_actor, team.agent.id, 10, "idea")
    with desk.read() as session:
        actions = session.exec(select(AuditLog.action).order_by(AuditLog.id)).all()[audits:]
    assert actions == ["ledger.fine", "ledger.reward"]


def test_service_errors_read_as_one_sentence(desk, team):
    with pytest.raises(ServiceError) as refused:
        record_spending(desk, team.dept_actor, 10, "tea")
    assert str(refused.value).startswith("FN-8: the fund holds 0")
