"""Notes for colleagues are never replies: kept apart on the timeline, never sent (TK-14, TK-15)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, Ticket
from csdesk.rules.tickets import TimerKind, TimerStatus
from csdesk.rules.vocab import Category, Channel, Role
from csdesk.services.base import InvalidInput, ServiceError
from csdesk.services.notes import note
from csdesk.services.tickets import claim, reply, resolve, take_in, ticket_detail


@pytest.fixture
def squad(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1113"))


@pytest.fixture
def colleague(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1114"))


def forum_post(desk, actor):
    return take_in(desk, actor, Channel.FORUM, Category.INQUIRY, "Zhang San", "13812345678", "Cannot log in", "")


def test_a_note_is_kept_apart_from_the_replies_and_answers_no_promise(desk, agent, colleague):
    # rule: TK-6, TK-15
    post = claim(desk, agent, forum_post(desk, agent).id)
    noted = note(desk, colleague, post.id, "Same login fault as #12; IT knows.")
    assert noted.notes[-1].text == "Same login fault as #12; IT knows." and noted.notes[-1].internal_note
    assert noted.replies == () and not noted.notes[-1].to_customer
    # Nothing went to the customer: the forum answer is still owed.
    assert noted.first_reply_at is None
    forum = next(t for t in noted.timers if t.kind is TimerKind.FORUM_ANSWER)
    assert forum.stopped_at is None and forum.status is not TimerStatus.MET
    # A note changes neither owner nor state, so the reply form's version still holds.
    assert (noted.owner_id, noted.status, noted.version) == (post.owner_id, post.status, post.version)
    answered = reply(desk, agent, post.id, "Please clear the browser cache and try again.", post.version)
    assert [e.text for e in answered.replies] == ["Please clear the browser cache and try again."]
    assert [e.text for e in answered.notes] == ["Same login fault as #12; IT knows."]
    assert all(e.to_customer for e in answered.replies)


def test_a_reply_asking_for_a_password_is_blocked_but_a_note_about_one_is_not_sent_at_all(desk, agent):
    # rule: TK-14
    post = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(ServiceError) as raised:
        reply(desk, agent, post.id, "Please tell me your password.", post.version)
    assert raised.value.rule_ids == ("TK-14",)
    kept = note(desk, agent, post.id, "Customer offered to tell us the password; told them never to.")
    assert kept.replies == () and len(kept.notes) == 1


def test_a_note_is_masked_and_its_words_stay_out_of_the_audit_log(desk, agent, colleague):  # rule: TK-15
    post = claim(desk, agent, forum_post(desk, agent).id)
    note(desk, agent, post.id, "Zhang San says call 13812345678 after six")
    seen = ticket_detail(desk, colleague, post.id)
    assert "13812345678" not in seen.notes[-1].text and "Zhang San" not in seen.notes[-1].text
    assert ticket_detail(desk, agent, post.id).notes[-1].text == "Zhang San says call 13812345678 after six"
    with desk.read() as session:
        (row,) = session.exec(select(AuditLog).where(AuditLog.action == "ticket.note")).all()
    assert "13812345678" not in str(row.after) and row.actor_id == agent.staff_id


def test_anyone_may_note_any_case_even_a_solved_one(desk, agent, make_staff, actor_of):
    post = claim(desk, agent, forum_post(desk, agent).id)
    resolve(desk, agent, post.id)
    inspector = actor_of(make_staff(role=Role.INSPECTOR))
    assert len(note(desk, inspector, post.id, "Good answer, used for training.").notes) == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_overlong_note_is_refused_and_nothing_is_kept(desk, agent, text):
    post = forum_post(desk, agent)
    with pytest.raises(InvalidInput) as raised:
        note(desk, agent, post.id, text)
    assert raised.value.field == "text"
    assert ticket_detail(desk, agent, post.id).notes == ()
    with desk.read() as session:
        assert session.get(Ticket, post.id).version == post.version
