"""Escalated cases arrive: they wait in the superior's queue, and a skipped level is told (TK-11, TK-12)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from csdesk.models import Notification, NotificationKind, Ticket
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus
from csdesk.services.base import InvalidInput, NotFound, PermissionDenied
from csdesk.services.notifications import mark_notification_read, my_notifications
from csdesk.services.queues import Queue, queue_count, queue_page
from csdesk.services.tickets import escalate, resolve, take_in


@pytest.fixture
def centre(make_squad, make_staff, actor_of):
    lotus, orchid = make_squad("Lotus"), make_squad("Orchid")

    class Centre:
        leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1101"))
        deputy = actor_of(make_staff(role=Role.DEPUTY_LEADER, squad=lotus, employee_number="1102"))
        agent = actor_of(make_staff(squad=lotus, employee_number="1113", real_name="Zhao Lei"))
        other_leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=orchid, employee_number="1201"))
        director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002"))
        head = actor_of(make_staff(role=Role.CENTRE_DIRECTOR, employee_number="1001"))

    return Centre


def phone_case(desk, actor, subject="Refund missing"):
    return take_in(desk, actor, Channel.PHONE, Category.COMPLAINT, "Qian Li", "13800001111", subject, "")


def ids(rows):
    return [row.ticket_id for row in rows]


def test_a_case_escalated_to_the_squad_leader_waits_in_the_leaders_queue(desk, centre):  # rule: TK-11
    # Agent 1113 escalates a case to the squad leader; signed in as 1101, the leader finds it.
    case = phone_case(desk, centre.agent)
    escalate(desk, centre.agent, case.id, "customer insists on compensation", "13800001111")
    assert ids(queue_page(desk, centre.leader, Queue.ESCALATED)) == [case.id]
    assert queue_count(desk, centre.leader, Queue.ESCALATED).total == 1
    (row,) = queue_page(desk, centre.leader, Queue.ESCALATED)
    assert row.escalation_level == 1 and row.status is TicketStatus.ESCALATED
    assert row.customer_contact == "13800001111" and not row.contact_masked  # leaders see it whole (TK-15)
    # The deputy stands in for the leader; nobody else is sent it.
    assert ids(queue_page(desk, centre.deputy, Queue.ESCALATED)) == [case.id]
    for outsider in (centre.other_leader, centre.director, centre.head, centre.agent):
        assert queue_page(desk, outsider, Queue.ESCALATED) == ()
        assert queue_count(desk, outsider, Queue.ESCALATED).total == 0
    # The agent still owns it (TK-9) and still sees it among their own.
    assert ids(queue_page(desk, centre.agent, Queue.MINE)) == [case.id]


def test_going_up_a_level_moves_it_to_the_next_superiors_queue(desk, centre):  # rule: TK-11, DS-1
    case = phone_case(desk, centre.agent)
    escalate(desk, centre.agent, case.id, "customer insists on compensation", "13800001111")
    escalate(desk, centre.leader, case.id, "compensation beyond a squad's say", "13800001111")
    assert queue_page(desk, centre.leader, Queue.ESCALATED) == ()
    assert ids(queue_page(desk, centre.director, Queue.ESCALATED)) == [case.id]
    assert queue_page(desk, centre.head, Queue.ESCALATED) == ()
    resolve(desk, centre.director, case.id)
    assert queue_page(desk, centre.director, Queue.ESCALATED) == ()


def test_the_most_urgent_escalation_comes_first(desk, centre, clock):  # rule: TK-11, TK-4
    later = take_in(desk, centre.agent, Channel.PHONE, Category.INQUIRY, "", "", "Plan question", "")
    sooner = phone_case(desk, centre.agent, "Complaint due within the hour")
    for case in (later, sooner):
        escalate(desk, centre.agent, case.id, "needs a decision", "13800001111")
    assert ids(queue_page(desk, centre.leader, Queue.ESCALATED)) == [sooner.id, later.id]
    assert ids(queue_page(desk, centre.leader, Queue.ESCALATED, filter_text="plan")) == [later.id]


def test_an_emergency_past_the_leader_tells_the_leader_in_their_inbox(desk, centre):  # rule: TK-11
    case = phone_case(desk, centre.agent)
    result = escalate(
        desk, centre.agent, case.id, "fire at the depot", "13800001111", emergency_skip_to=Role.DEPARTMENT_DIRECTOR
    )
    assert [t.staff_id for t in result.inform] == [centre.leader.staff_id]
    assert ids(queue_page(desk, centre.director, Queue.ESCALATED)) == [case.id]
    assert queue_page(desk, centre.leader, Queue.ESCALATED) == ()

    (told,) = my_notifications(desk, centre.leader)
    assert told.kind is NotificationKind.ESCALATION_SKIPPED and told.ticket_id == case.id
    assert told.role is Role.DEPARTMENT_DIRECTOR and told.sender_number == "1113"
    assert f"#{case.id}" in told.text and "department director" in told.text
    assert my_notifications(desk, centre.other_leader) == my_notifications(desk, centre.director) == ()

    with pytest.raises(PermissionDenied):
        mark_notification_read(desk, centre.director, told.id)
    read = mark_notification_read(desk, centre.leader, told.id)
    assert read.read_at is not None
    assert my_notifications(desk, centre.leader) == ()
    assert [n.id for n in my_notifications(desk, centre.leader, unread_only=False)] == [told.id]
    assert mark_notification_read(desk, centre.leader, told.id).read_at == read.read_at
    with pytest.raises(NotFound):
        mark_notification_read(desk, centre.leader, told.id + 100)


def test_skipping_two_levels_tells_both(desk, centre):  # rule: TK-11
    case = phone_case(desk, centre.agent)
    escalate(
        desk, centre.agent, case.id, "outage across the city", "13800001111", emergency_skip_to=Role.CENTRE_DIRECTOR
    )
    assert len(my_notifications(desk, centre.leader)) == len(my_notifications(desk, centre.director)) == 1
    assert my_notifications(desk, centre.head) == ()
    assert ids(queue_page(desk, centre.head, Queue.ESCALATED)) == [case.id]


@pytest.mark.parametrize("contact", ["abc!!", "138", "x@y"])
def test_an_escalation_with_a_contact_nobody_can_use_is_refused_on_that_field(desk, centre, contact):
    # rule: TK-12
    case = take_in(desk, centre.agent, Channel.PHONE, Category.COMPLAINT, "", "", "Refund missing", "")
    with pytest.raises(InvalidInput) as raised:
        escalate(desk, centre.agent, case.id, "customer insists", contact)
    assert raised.value.field == "customer_contact" and raised.value.rule_ids == ("TK-12",)
    with desk.read() as session:
        stored = session.get(Ticket, case.id)
        assert (stored.status, stored.escalation_level, stored.customer_contact) == (TicketStatus.CLAIMED, 0, "")
        assert session.exec(select(Notification)).all() == []


def test_the_contact_an_escalation_brings_is_kept_as_the_customers(desk, centre):  # rule: TK-12
    case = take_in(desk, centre.agent, Channel.PHONE, Category.COMPLAINT, "", "", "Refund missing", "")
    escalate(desk, centre.agent, case.id, "customer insists", "+86 138 0000 1111")
    with desk.read() as session:
        stored = session.get(Ticket, case.id)
        assert (stored.customer_contact, stored.contact_key) == ("+86 138 0000 1111", "+8613800001111")
