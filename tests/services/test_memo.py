"""The memo book through its services: writing, adopting with a reward, declining (DS-4, FN-7)."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from csdesk.models import AuditLog, LedgerEntry, MemoSuggestion, SuggestionStatus
from csdesk.models.states import MemoKind
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.services.base import InvalidInput, NotFound, PermissionDenied
from csdesk.services.ledger import custom_entry
from csdesk.services.memo import adopt, decline, memos_to_review, my_memos, write_memo


@pytest.fixture
def book(desk, make_squad, make_staff, actor_of):
    a, b = make_squad("A"), make_squad("B")
    people = dict(
        leader=make_staff(role=Role.SQUAD_LEADER, squad=a),
        b_leader=make_staff(role=Role.SQUAD_LEADER, squad=b),
        agent=make_staff(squad=a, real_name="王芳"),
        colleague=make_staff(squad=a),
        deputy=make_staff(role=Role.DEPUTY_LEADER, squad=a),
        inspector=make_staff(role=Role.INSPECTOR),
        dept=make_staff(role=Role.DEPARTMENT_DIRECTOR),
    )
    actors = {name: actor_of(staff) for name, staff in people.items()}
    # FN-8: rewards are paid from the fund, so it holds some fines first.
    custom_entry(desk, actors["dept"], people["colleague"].id, LedgerKind.FINE, 500, "broken headset")
    idea = write_memo(desk, actors["agent"], MemoKind.IDEA, "  A macro for refund questions  ")
    return type("Book", (), dict(idea=idea, **actors))


def counts(desk):
    with desk.read() as session:
        return tuple(
            session.exec(select(func.count()).select_from(t)).one() for t in (MemoSuggestion, LedgerEntry, AuditLog)
        )


def test_ds_4_an_agent_writes_a_problem_or_an_idea_and_sees_it_in_their_book(desk, book):
    problem = write_memo(desk, book.agent, "problem", "Headset 7 crackles")
    assert (book.idea.kind, book.idea.text, book.idea.status) == (
        MemoKind.IDEA,
        "A macro for refund questions",
        SuggestionStatus.OPEN,
    )
    assert [m.id for m in my_memos(desk, book.agent)] == [problem.id, book.idea.id]
    assert my_memos(desk, book.colleague) == ()
    with desk.read() as session:
        assert session.exec(select(AuditLog).where(AuditLog.action == "memo.write")).all()


@pytest.mark.parametrize(
    ("kind", "text", "field"), [("problem", "   ", "text"), ("rant", "x", "kind"), ("idea", "x" * 2001, "text")]
)
def test_ds_4_an_empty_or_unknown_memo_is_refused_by_field_and_saves_nothing(desk, book, kind, text, field):
    before = counts(desk)
    with pytest.raises(InvalidInput) as bad:
        write_memo(desk, book.agent, kind, text)
    assert bad.value.field == field and counts(desk) == before


def test_fn_7_adopting_pays_the_reward_into_the_ledger_in_one_go(desk, book):
    memos, entries, audits = counts(desk)
    adopted = adopt(desk, book.leader, book.idea.id, 50, "saves a minute a call")
    assert adopted.status is SuggestionStatus.ADOPTED and adopted.reward_cents == 5000
    assert adopted.review_note == "saves a minute a call" and adopted.reviewed_by_label
    with desk.read() as session:
        entry = session.get(LedgerEntry, adopted.reward_entry_id)
        assert (entry.kind, entry.amount_cents, entry.rule_id, entry.staff_id) == (
            LedgerKind.REWARD,
            -5000,
            "FN-7",
            book.agent.staff_id,
        )
        assert f"memo #{book.idea.id}" in entry.reason
    assert counts(desk) == (memos, entries + 1, audits + 2)  # reward and suggestion audited
    assert memos_to_review(desk, book.leader) == ()
    assert [m.id for m in memos_to_review(desk, book.leader, "adopted")] == [book.idea.id]


@pytest.mark.parametrize(("amount", "ok"), [(9, False), (10, True), (100, True), (101, False)])
def test_fn_7_the_reward_lies_within_the_policys_range(desk, book, amount, ok):
    before = counts(desk)
    if ok:
        assert adopt(desk, book.leader, book.idea.id, amount).reward_cents == amount * 100
        return
    with pytest.raises(InvalidInput) as bad:
        adopt(desk, book.leader, book.idea.id, amount)
    assert bad.value.field == "amount" and "FN-7" in bad.value.rule_ids
    assert counts(desk) == before
    assert memos_to_review(desk, book.leader)[0].status is SuggestionStatus.OPEN


def test_ds_4_declining_keeps_the_reason_and_pays_nothing(desk, book):
    memos, entries, audits = counts(desk)
    declined = decline(desk, book.inspector, book.idea.id, "the macro exists already")
    assert declined.status is SuggestionStatus.DECLINED and declined.review_note == "the macro exists already"
    assert counts(desk) == (memos, entries, audits + 1)
    assert my_memos(desk, book.agent)[0].review_note == "the macro exists already"
    with pytest.raises(InvalidInput, match="already declined"):
        adopt(desk, book.leader, book.idea.id, 20)


def test_ds_4_declining_needs_a_reason(desk, book):
    with pytest.raises(InvalidInput) as bad:
        decline(desk, book.leader, book.idea.id, "  ")
    assert bad.value.field == "note"


def test_fn_7_a_memo_is_adopted_once(desk, book):
    adopt(desk, book.leader, book.idea.id, 20)
    before = counts(desk)
    with pytest.raises(InvalidInput, match="already adopted"):
        adopt(desk, book.dept, book.idea.id, 20)
    assert counts(desk) == before


@pytest.mark.parametrize("who", ["agent", "colleague", "deputy", "inspector"])
def test_st_2_only_squad_leaders_and_directors_adopt(desk, book, who):
    before = counts(desk)
    with pytest.raises(PermissionDenied):
        adopt(desk, getattr(book, who), book.idea.id, 20)
    assert counts(desk) == before


@pytest.mark.parametrize("who", ["agent", "deputy"])
def test_st_2_agents_and_deputies_neither_decline_nor_list(desk, book, who):
    before = counts(desk)
    with pytest.raises(PermissionDenied):
        decline(desk, getattr(book, who), book.idea.id, "no")
    with pytest.raises(PermissionDenied):
        memos_to_review(desk, getattr(book, who))
    assert counts(desk) == before


def test_st_2_a_squad_leader_reviews_their_own_squad_only(desk, book):
    assert memos_to_review(desk, book.b_leader) == ()
    assert [m.id for m in memos_to_review(desk, book.dept)] == [book.idea.id]
    before = counts(desk)
    with pytest.raises(PermissionDenied, match="own squad"):
        adopt(desk, book.b_leader, book.idea.id, 20)
    with pytest.raises(PermissionDenied, match="own squad"):
        decline(desk, book.b_leader, book.idea.id, "no")
    assert counts(desk) == before


def test_ds_4_nobody_reviews_their_own_memo(desk, book):
    own = write_memo(desk, book.leader, MemoKind.IDEA, "rotate the night shift monthly")
    with pytest.raises(PermissionDenied, match="own memo"):
        adopt(desk, book.leader, own.id, 20)


def test_a_memo_that_does_not_exist_is_named(desk, book):
    with pytest.raises(NotFound) as missing:
        decline(desk, book.leader, 999, "no")
    assert missing.value.field == "memo_id"
