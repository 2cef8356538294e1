"""Ticket use cases: intake clocks, claiming, replies, escalation, dispatch, return visits."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, ContactOutcome, ReturnVisit, Ticket, TicketEvent
from csdesk.rules.tickets import TimerKind, TimerStatus
from csdesk.rules.vocab import Category, Channel, Role, StaffStatus, TicketStatus
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError, StaleEdit
from csdesk.services.tickets import (
    claim,
    close,
    close_return_visit,
    dispatch,
    escalate,
    greeting_for,
    log_contact_attempt,
    reply,
    resolve,
    take_in,
    ticket_detail,
    transfer,
    transfer_choices,
)


def local(policy, hour, minute, day=9):
    return datetime(2026, 3, day, hour, minute, tzinfo=policy.zone)


@pytest.fixture
def squad(make_squad):
    return make_squad("A")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1024", real_name="Li Na"))


@pytest.fixture
def other(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="2048", real_name="Wang Wei"))


@pytest.fixture
def leader(make_staff, actor_of, squad):
    return actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="9001"))


def forum_post(desk, actor, **kwargs):
    values = dict(
        channel=Channel.FORUM,
        category=Category.INQUIRY,
        customer_name="Zhang San",
        customer_contact="13812345678",
        subject="Cannot log in",
        body="Since this morning",
    )
    values.update(kwargs)
    return take_in(desk, actor, **values)


def stored(desk, ticket_id):
    with desk.read() as session:
        return session.get(Ticket, ticket_id)


# -- intake ---------------------------------------------------------------------


def test_forum_post_is_due_in_ten_minutes_and_waits_unclaimed(desk, agent, clock):  # rule: TK-6, TK-9
    view = forum_post(desk, agent)
    assert view.sla_due == clock.at + timedelta(minutes=10)
    assert view.owner_id is None and view.status is TicketStatus.NEW
    assert stored(desk, view.id).sla_due == clock.at + timedelta(minutes=10)


def test_forum_post_with_a_promised_time_is_due_then(desk, agent, clock):  # rule: TK-6
    promised = clock.at + timedelta(hours=2)
    assert forum_post(desk, agent, promised_at=promised).sla_due == promised


def test_promised_time_only_for_forum_posts(desk, agent, clock):  # rule: TK-6
    with pytest.raises(InvalidInput) as raised:
        take_in(
            desk, agent, Channel.EMAIL, Category.INQUIRY, "", "", "Hi", "", promised_at=clock.at + timedelta(hours=1)
        )
    assert raised.value.field == "promised_at"


def test_complaint_by_phone_is_owned_and_due_for_dispatch_in_an_hour(desk, agent, clock):  # rule: TK-4, TK-9
    view = take_in(desk, agent, Channel.PHONE, Category.COMPLAINT, "Zhang San", "13812345678", "Rude courier", "")
    assert view.owner_id == agent.staff_id and view.owner_number == "1024"
    assert view.sla_due == clock.at + timedelta(minutes=60)
    kinds = {t.kind for t in view.timers}
    assert kinds == {TimerKind.COMPLAINT_DISPATCH, TimerKind.BACK_OFFICE}


def test_phone_case_is_a_back_office_problem_due_in_24_working_hours_with_the_greeting(
    desk, agent, clock, policy
):  # rule: TK-3, TK-5
    view = take_in(desk, agent, Channel.PHONE, Category.FAULT_REPORT, "", "", "No signal", "")
    # Monday 16:00: 2 h that day, 9 h on Tuesday and on Wednesday (09:00-18:00), 4 h on Thursday.
    assert view.sla_due == local(policy, 13, 0, day=12)
    assert view.greeting == greeting_for(agent)
    assert "No. 1024" in view.greeting


def test_chat_greeting_is_due_in_thirty_seconds(desk, agent, clock):  # rule: TK-13
    view = take_in(desk, agent, Channel.CHAT, Category.INQUIRY, "", "", "Hello?", "")
    assert view.sla_due == clock.at + timedelta(seconds=30)
    assert view.owner_id == agent.staff_id


@pytest.mark.parametrize(
    ("hour", "minute", "due"),
    [
        (17, 29, (9, 17, 30)),  # day shift still running: due at its end
        (17, 31, (10, 1, 0)),  # night shift started: due at its end, 01:00 next day
    ],
)
def test_email_is_due_by_the_end_of_the_shift_it_arrived_in(
    desk, agent, clock, policy, hour, minute, due
):  # rule: TK-7
    clock.set(local(policy, hour, minute))
    view = take_in(desk, agent, Channel.EMAIL, Category.INQUIRY, "", "a@b.cn", "Invoice", "")
    day, due_hour, due_minute = due
    assert view.sla_due == local(policy, due_hour, due_minute, day=day)
    assert view.owner_id is None


def test_intake_marks_the_agent_number_and_special_request(desk, agent):  # rule: TK-16
    view = forum_post(desk, agent, special_request=True)
    assert view.special_request
    assert any(e.kind == "intake" and "No. 1024" in e.text for e in view.events)


def test_intake_refuses_a_blank_subject_and_a_future_time(desk, agent, clock):
    with pytest.raises(InvalidInput) as raised:
        forum_post(desk, agent, subject="  ")
    assert raised.value.field == "subject"
    with pytest.raises(InvalidInput) as raised:
        forum_post(desk, agent, received_at=clock.at + timedelta(minutes=1))
    assert raised.value.field == "received_at"
    with desk.read() as session:
        assert session.exec(select(Ticket)).all() == []


def test_audit_rows_never_carry_customer_data(desk, agent):  # rule: TK-15
    forum_post(desk, agent)
    with desk.read() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.entity == "ticket")).all()
    assert rows and all("13812345678" not in str(r.after) and "Zhang" not in str(r.after) for r in rows)


# -- claim and transfer -------------------------------------------------------------


def test_claim_makes_the_first_claimant_owner(desk, agent, other):  # rule: TK-9
    ticket = forum_post(desk, agent)
    view = claim(desk, other, ticket.id)
    assert view.owner_id == other.staff_id and view.status is TicketStatus.CLAIMED
    assert view.version == ticket.version + 1
    with pytest.raises(ServiceError) as raised:
        claim(desk, agent, ticket.id)
    assert "already claimed by No. 2048" in raised.value.message
    assert raised.value.rule_ids == ("TK-9",)


def test_claiming_ones_own_ticket_again_says_it_is_already_theirs(desk, agent, other):  # rule: TK-9
    ticket = forum_post(desk, agent)
    view = claim(desk, other, ticket.id)
    with pytest.raises(ServiceError) as raised:
        claim(desk, other, ticket.id)
    assert raised.value.message == f"ticket #{ticket.id} is already yours" and raised.value.rule_ids == ("TK-9",)
    # Nothing moved: no second claim on the record.
    assert stored(desk, ticket.id).version == view.version


def test_two_desks_claiming_at_once_exactly_one_wins(desk, make_desk, agent, other):  # rule: TK-9
    ticket = forum_post(desk, agent)
    desks = {agent: make_desk(), other: make_desk()}
    start = threading.Barrier(2)
    won, lost = [], []

    def attempt(actor):
        start.wait()
        try:
            won.append(claim(desks[actor], actor, ticket.id).owner_id)
        except ServiceError as error:
            lost.append(error)

    threads = [threading.Thread(target=attempt, args=(a,)) for a in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and len(lost) == 1
    winner = stored(desk, ticket.id).owner_id
    assert won == [winner]
    assert "already claimed by No." in lost[0].message and lost[0].rule_ids == ("TK-9",)


def test_transfer_only_by_a_leader_with_a_reason(desk, agent, other, leader):  # rule: TK-9
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(PermissionDenied):
        transfer(desk, agent, ticket.id, other.staff_id, "going home")
    with pytest.raises(InvalidInput) as raised:
        transfer(desk, leader, ticket.id, other.staff_id, " ")
    assert raised.value.field == "reason"
    view = transfer(desk, leader, ticket.id, other.staff_id, "Li Na is off sick")
    assert view.owner_id == other.staff_id
    assert any(e.kind == "transfer" and "No. 1024" in e.text for e in view.events)


def test_leader_of_another_squad_may_not_transfer(desk, make_squad, make_staff, actor_of, agent, other):  # rule: TK-9
    stranger = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=make_squad("B")))
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(PermissionDenied):
        transfer(desk, stranger, ticket.id, other.staff_id, "busy")
    assert stored(desk, ticket.id).owner_id == agent.staff_id


def test_transfer_choices_are_the_leaders_squad_without_the_owner(
    desk, make_squad, make_staff, actor_of, agent, other, leader
):  # rule: TK-9
    elsewhere = make_staff(squad=make_squad("B"), employee_number="3001")
    make_staff(squad=None, employee_number="0500", status=StaffStatus.LEFT)
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    labels = [c.label for c in transfer_choices(desk, leader, ticket.id)]
    assert labels == ["No. 2048 Wang Wei", f"No. 9001 {leader.name}"]
    director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002"))
    # A director picks within the owner's squad too; a case nobody owns may go to anyone still here.
    assert [c.staff_id for c in transfer_choices(desk, director, ticket.id)] == [other.staff_id, leader.staff_id]
    unowned = forum_post(desk, agent)
    anyone = [c.staff_id for c in transfer_choices(desk, director, unowned.id)]
    assert elsewhere.id in anyone and agent.staff_id in anyone and len(anyone) == 5
    with pytest.raises(PermissionDenied):
        transfer_choices(desk, agent, ticket.id)
    with pytest.raises(InvalidInput) as raised:
        transfer_choices(desk, leader, ticket.id, limit=0)
    assert raised.value.field == "limit"


# -- reply ------------------------------------------------------------------------------


def test_first_reply_stops_the_forum_timer(desk, agent, clock):  # rule: TK-6
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    clock.advance(minutes=4)
    view = reply(desk, agent, ticket.id, "Please try clearing the cache.", ticket.version)
    assert view.first_reply_at == clock.at
    forum = next(t for t in view.timers if t.kind is TimerKind.FORUM_ANSWER)
    assert forum.status is TimerStatus.MET
    assert view.sla_due is None
    assert view.events[-1].kind == "reply"


def test_stale_reply_is_refused_and_overwrites_nothing(desk, make_desk, agent, leader):
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    reply(make_desk(), leader, ticket.id, "Leader's answer.", ticket.version)
    with pytest.raises(StaleEdit):
        reply(desk, agent, ticket.id, "My answer.", ticket.version)
    with desk.read() as session:
        texts = [e.text for e in session.exec(select(TicketEvent).where(TicketEvent.kind == "reply"))]
    assert texts == ["Leader's answer."]
    assert stored(desk, ticket.id).version == ticket.version + 1


def test_reply_asking_for_a_password_is_refused_and_nothing_saved(desk, agent):  # rule: TK-14
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(InvalidInput) as raised:
        reply(desk, agent, ticket.id, "Please tell me your password so I can check.", ticket.version)
    assert raised.value.rule_ids == ("TK-14",) and raised.value.field == "text"
    after = stored(desk, ticket.id)
    assert after.first_reply_at is None and after.version == ticket.version
    assert all(e.kind != "reply" for e in ticket_detail(desk, agent, ticket.id).events)


def test_only_the_owner_or_a_leader_replies(desk, agent, other, leader):  # rule: TK-9
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(PermissionDenied) as raised:
        reply(desk, other, ticket.id, "Hi", ticket.version)
    assert "TK-9" in raised.value.rule_ids
    assert reply(desk, leader, ticket.id, "Hi", ticket.version).owner_id == agent.staff_id


def test_replying_to_an_unclaimed_ticket_takes_it(desk, agent, other):  # rule: TK-9
    ticket = forum_post(desk, agent)
    view = reply(desk, other, ticket.id, "Looking into it.", ticket.version)
    assert view.owner_id == other.staff_id


def test_unsolved_reply_must_say_why(desk, agent):  # rule: TK-10
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(InvalidInput) as raised:
        reply(desk, agent, ticket.id, "We are on it.", ticket.version, reason_unsolved="")
    assert raised.value.field == "reason_unsolved" and raised.value.rule_ids == ("TK-10",)
    view = reply(
        desk, agent, ticket.id, "We are on it.", ticket.version, reason_unsolved="the network team is checking"
    )
    assert view.events[-1].kind == "unsolved"


# -- escalation and dispatch ------------------------------------------------------------


def test_escalation_goes_one_level_at_a_time(desk, agent, make_staff):  # rule: TK-11, DS-1
    make_staff(role=Role.DEPARTMENT_DIRECTOR)
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    first = escalate(desk, agent, ticket.id, "Account locked for a week", "13812345678")
    assert first.to_role is Role.SQUAD_LEADER and first.inform == ()
    second = escalate(desk, agent, ticket.id, "Still locked", "13812345678")
    assert second.to_role is Role.DEPARTMENT_DIRECTOR
    assert stored(desk, ticket.id).escalation_level == 2
    assert stored(desk, ticket.id).status is TicketStatus.ESCALATED


def test_skipping_a_level_needs_an_emergency_and_records_whom_to_inform(desk, agent, leader):  # rule: TK-11
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(ServiceError):
        escalate(desk, agent, ticket.id, "Fraud", "13812345678", inform=[leader.staff_id])
    result = escalate(
        desk, agent, ticket.id, "Fraud in progress", "13812345678", emergency_skip_to=Role.DEPARTMENT_DIRECTOR
    )
    assert result.to_role is Role.DEPARTMENT_DIRECTOR
    assert [(t.role, t.staff_id) for t in result.inform] == [(Role.SQUAD_LEADER, leader.staff_id)]
    informs = [e for e in result.ticket.events if e.kind == "inform"]
    assert len(informs) == 1 and "No. 9001" in informs[0].text


def test_escalation_without_contact_is_refused_naming_the_field(desk, agent):  # rule: TK-12
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(InvalidInput) as raised:
        escalate(desk, agent, ticket.id, "Account locked", "  ")
    assert raised.value.field == "customer_contact" and raised.value.rule_ids == ("TK-12",)
    assert "contact" in raised.value.message
    assert stored(desk, ticket.id).escalation_level == 0


def test_dispatch_keeps_the_complaint_promise_and_starts_the_back_office_clock(
    desk, agent, clock, policy
):  # rule: TK-4, TK-5
    ticket = take_in(desk, agent, Channel.FORUM, Category.COMPLAINT, "", "", "Broken parcel", "")
    claim(desk, agent, ticket.id)
    clock.advance(minutes=30)
    view = dispatch(desk, agent, ticket.id, "Logistics department")
    complaint = next(t for t in view.timers if t.kind is TimerKind.COMPLAINT_DISPATCH)
    assert complaint.status is TimerStatus.MET
    assert view.status is TicketStatus.DISPATCHED
    # The forum answer is still owed (due 10 min after receipt, so now overdue).
    assert view.sla_due == ticket.received_at + timedelta(minutes=10)
    reply(desk, agent, ticket.id, "Sent to logistics.", view.version)
    # Dispatched Monday 16:30: 24 working hours later is Thursday 13:30.
    assert stored(desk, ticket.id).sla_due == local(policy, 13, 30, day=12)
    with pytest.raises(ServiceError, match="already dispatched"):
        dispatch(desk, agent, ticket.id, "Again")


# -- resolution and return visits -------------------------------------------------------


def test_resolving_books_a_return_visit_due_in_72_working_hours(desk, agent, clock, policy):  # rule: TK-8
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    view = reply(desk, agent, ticket.id, "Fixed now.", ticket.version, resolve=True)
    assert view.status is TicketStatus.RESOLVED and view.sla_due is None
    assert view.return_visit is not None
    # Monday 16:00: 2 h, then 9 h on each of seven working days (the weekend skipped), 7 h more.
    assert view.return_visit.due_at == local(policy, 16, 0, day=19)


def test_return_visit_closes_only_after_the_third_failed_attempt(desk, agent):  # rule: TK-8
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    visit = resolve(desk, agent, ticket.id).return_visit
    for attempt in range(2):
        log_contact_attempt(desk, agent, visit.id, ContactOutcome.NO_ANSWER, f"try {attempt + 1}")
        with pytest.raises(ServiceError) as raised:
            close_return_visit(desk, agent, visit.id)
        assert raised.value.rule_ids == ("TK-8",)
    view = log_contact_attempt(desk, agent, visit.id, ContactOutcome.NO_ANSWER, "try 3")
    assert view.may_close and view.failed_attempts == 3
    closed = close_return_visit(desk, agent, visit.id, result="unreachable")
    assert closed.done_at is not None
    assert stored(desk, ticket.id).status is TicketStatus.CLOSED


def test_wrong_contact_details_or_reaching_the_customer_let_it_close(desk, agent):  # rule: TK-8
    first = resolve(desk, agent, claim(desk, agent, forum_post(desk, agent).id).id)
    log_contact_attempt(desk, agent, first.return_visit.id, ContactOutcome.WRONG_DETAILS)
    assert close(desk, agent, first.id).status is TicketStatus.CLOSED
    second = resolve(desk, agent, claim(desk, agent, forum_post(desk, agent).id).id)
    log_contact_attempt(desk, agent, second.return_visit.id, ContactOutcome.REACHED, "happy")
    assert close_return_visit(desk, agent, second.return_visit.id, satisfied=True).satisfied is True


def test_closing_without_resolving_is_refused(desk, agent):  # rule: TK-8
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(ServiceError, match="return visit"):
        close(desk, agent, ticket.id)
    with desk.read() as session:
        assert session.exec(select(ReturnVisit)).all() == []


# -- detail and masking ---------------------------------------------------------------


def test_detail_masks_contact_in_fields_and_timeline_for_other_agents(desk, agent, other, leader):  # rule: TK-15
    ticket = claim(desk, agent, forum_post(desk, agent).id)
    escalate(desk, agent, ticket.id, "Locked out", "13812345678")
    mine = ticket_detail(desk, agent, ticket.id)
    theirs = ticket_detail(desk, other, ticket.id)
    boss = ticket_detail(desk, leader, ticket.id)
    assert mine.customer_contact == boss.customer_contact == "13812345678"
    assert theirs.contact_masked and theirs.customer_contact == "138****5678"
    assert theirs.customer_name == "Z**** S**"
    assert all("13812345678" not in e.text for e in theirs.events)
    assert any("13812345678" in e.text for e in mine.events)


def test_tk_14_the_reason_told_to_the_customer_never_asks_for_a_password(desk, agent):
    asking = "we need your login password to check the account"
    with pytest.raises(ServiceError) as raised:
        forum_post(desk, agent, reason_unsolved=asking)
    assert raised.value.field == "reason_unsolved" and raised.value.rule_ids == ("TK-14",)
    with desk.read() as session:
        assert session.exec(select(Ticket)).all() == []

    ticket = claim(desk, agent, forum_post(desk, agent).id)
    with pytest.raises(ServiceError) as raised:
        reply(desk, agent, ticket.id, "We are on it.", ticket.version, reason_unsolved="方便说下您的口令吗")
    assert raised.value.field == "reason_unsolved" and raised.value.rule_ids == ("TK-14",)
    with desk.read() as session:
        assert [e.kind for e in session.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id))].count(
            "reply"
        ) == 0


def test_intake_records_why_a_case_is_not_solved_yet_and_refuses_a_blank_reason(desk, agent):  # rule: TK-10
    with pytest.raises(InvalidInput) as raised:
        forum_post(desk, agent, reason_unsolved="   ")
    assert raised.value.field == "reason_unsolved" and raised.value.rule_ids == ("TK-10",)
    with desk.read() as session:
        assert session.exec(select(Ticket)).all() == []
    view = forum_post(desk, agent, reason_unsolved=" the billing system is down ")
    assert [(e.kind, e.text) for e in view.events if e.kind == "unsolved"] == [
        ("unsolved", "told the customer why: the billing system is down")
    ]
    assert not any(e.kind == "unsolved" for e in forum_post(desk, agent).events)


def test_a_transfer_without_a_reason_names_the_field_in_chinese_too(desk, agent, other, leader):  # rule: TK-9
    from csdesk import i18n

    ticket = claim(desk, agent, forum_post(desk, agent).id)
    i18n.install_language("zh_CN")
    try:
        with pytest.raises(InvalidInput) as raised:
            transfer(desk, leader, ticket.id, other.staff_id, " ")
    finally:
        i18n.install_language(None)
    assert raised.value.field == "reason"
    assert raised.value.rule_ids == ("TK-9",)


def test_a_tickets_stamp_moves_with_its_own_row_and_timeline_only(desk, agent, other):
    """A ticket's page reads the case again only when this moves (tickets.ticket_stamp)."""
    from csdesk.services.base import NotFound
    from csdesk.services.notes import note
    from csdesk.services.tickets import ticket_stamp

    ticket = forum_post(desk, agent)
    first = ticket_stamp(desk, agent, ticket.id)
    assert ticket_detail(desk, agent, ticket.id).stamp == first
    forum_post(desk, other, subject="Another case")  # the centre moves on elsewhere
    assert ticket_stamp(desk, agent, ticket.id) == first
    claim(desk, other, ticket.id)  # the row itself
    claimed = ticket_stamp(desk, agent, ticket.id)
    assert claimed != first
    note(desk, other, ticket.id, "customer rang again")  # the timeline alone
    noted = ticket_stamp(desk, agent, ticket.id)
    assert noted != claimed
    assert ticket_detail(desk, agent, ticket.id).stamp == noted
    with pytest.raises(NotFound, match="there is no ticket #999"):
        ticket_stamp(desk, agent, 999)
