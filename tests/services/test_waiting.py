"""A case waiting for the customer or another department stops its resolution clock (TK-5)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, ClockPause, Ticket, TicketEvent, WaitingFor
from csdesk.rules.tickets import TimerKind, TimerStatus
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError, StaleEdit
from csdesk.services.queues import Queue, queue_page
from csdesk.services.sla import ClockState
from csdesk.services.tickets import claim, escalate, resolve, take_in, ticket_detail
from csdesk.services.waiting import pause_clock, resume_clock, sla_clock


def local(policy, day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=policy.zone)


@pytest.fixture
def squad(make_squad):
    return make_squad("A")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1024", real_name="Li Na"))


@pytest.fixture
def leader(make_staff, actor_of, squad):
    return actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="9001"))


def phone_case(desk, agent):
    # Monday 9 March 16:00: the back office has 24 working hours, due Thursday 13:00.
    return take_in(desk, agent, Channel.PHONE, Category.FAULT_REPORT, "Zhang San", "13812345678", "No signal", "")


def stored(desk, ticket_id):
    with desk.read() as session:
        return session.get(Ticket, ticket_id)


def resolution(view):
    clock = getattr(view, "clock", view)
    return next(t for t in clock.timers if t.kind is TimerKind.BACK_OFFICE)


def test_waiting_for_the_customer_stops_the_clock_and_resuming_moves_the_due_time(
    desk, agent, clock, policy
):  # rule: TK-5
    case = phone_case(desk, agent)
    assert case.sla_due == local(policy, 12, 13)
    clock.set(local(policy, 10, 10))
    waiting = pause_clock(
        desk, agent, case.id, WaitingFor.CUSTOMER, "asked for the modem's serial number", expected_version=case.version
    )
    assert waiting.status is TicketStatus.WAITING_CUSTOMER
    assert waiting.clock.state is ClockState.PAUSED and waiting.clock.waiting_for is WaitingFor.CUSTOMER
    assert resolution(waiting).status is TimerStatus.PAUSED
    # 27 working hours were left on Tuesday 10:00 (8 + 9 + 4 ... to Thursday 13:00): the clock keeps them.
    assert resolution(waiting).remaining == local(policy, 12, 13) - local(policy, 10, 10)
    # Nothing else runs on a phone inquiry, so it is due nowhere while it waits.
    assert waiting.sla_due is None and stored(desk, case.id).sla_warn_at is None
    assert all(t.kind is not TimerKind.BACK_OFFICE for t in waiting.timers)

    clock.set(local(policy, 11, 10))  # a day later the customer calls back
    later = sla_clock(desk, agent, case.id)
    assert later.state is ClockState.PAUSED and later.paused_minutes == 24 * 60
    assert resolution(later).remaining == resolution(waiting).remaining

    resumed = resume_clock(desk, agent, case.id, "serial number received", expected_version=waiting.version)
    assert resumed.status is TicketStatus.CLAIMED and resumed.clock.state is ClockState.RUNNING
    # The wait took 8 working hours on Tuesday and 1 on Wednesday morning: due 9 working hours later.
    assert resumed.clock.due_moved_by == timedelta(hours=9)
    assert resumed.sla_due == local(policy, 13, 13) == resolution(resumed).due_at
    (pause,) = resumed.clock.pauses
    assert (pause.waiting_for, pause.length, pause.moved_due_by) == (
        WaitingFor.CUSTOMER,
        timedelta(hours=24),
        timedelta(hours=9),
    )
    assert (pause.started_by, pause.ended_by, pause.note) == ("1024", "1024", "asked for the modem's serial number")
    kinds = [e.kind for e in resumed.events]
    assert kinds[-2:] == ["pause", "resume"]
    assert "after 24 h 00 min of waiting; the due time moves by 9 h 00 min" in resumed.events[-1].text


def test_the_wait_is_audited_with_the_clock_it_stopped(desk, agent, clock, policy):  # rule: TK-5
    case = phone_case(desk, agent)
    clock.set(local(policy, 10, 10))
    pause_clock(desk, agent, case.id, "customer")
    clock.set(local(policy, 10, 11))
    resume_clock(desk, agent, case.id)
    with desk.read() as session:
        rows = session.exec(
            select(AuditLog)
            .where(AuditLog.entity == "ticket", AuditLog.entity_id == str(case.id))
            .order_by(AuditLog.id)
        ).all()
    paused, resumed = [r for r in rows if r.action in ("ticket.pause", "ticket.resume")]
    assert paused.after["paused_since"] and paused.after["paused_for"] == "customer"
    assert resumed.before["paused_since"] and resumed.after["paused_since"] is None
    assert resumed.after["paused_seconds"] == 3600
    assert "Zhang San" not in str(paused.after) and "13812345678" not in str(paused.after)


def test_waiting_for_another_department_hands_the_case_over_and_stops_its_clock(desk, agent, clock, policy):
    # rule: TK-4, TK-5
    post = take_in(desk, agent, Channel.FORUM, Category.COMPLAINT, "", "", "Broken parcel", "")
    claim(desk, agent, post.id)
    clock.advance(minutes=20)
    waiting = pause_clock(desk, agent, post.id, WaitingFor.DEPARTMENT, "Logistics department")
    assert waiting.status is TicketStatus.DISPATCHED and waiting.dispatched_at == clock.at
    complaint = next(t for t in waiting.timers if t.kind is TimerKind.COMPLAINT_DISPATCH)
    assert complaint.status is TimerStatus.MET
    assert "handed the case to Logistics department" in waiting.events[-1].text
    # The back office does not have it: the department does. The owner still sees it, marked waiting.
    assert queue_page(desk, agent, Queue.BACK_OFFICE) == ()
    (mine,) = queue_page(desk, agent, Queue.MINE)
    assert mine.paused and mine.ticket_id == post.id

    clock.set(local(policy, 11, 9, 30))  # the department answers on Wednesday morning
    resumed = resume_clock(desk, agent, post.id)
    # The back office's 24 working hours start only now: the whole wait counted
    # (Monday 16:20-18:00, Tuesday, Wednesday 9:00-9:30), so they are up on Friday 15:30.
    assert resumed.clock.due_moved_by == timedelta(hours=11, minutes=10)
    assert resolution(resumed).due_at == local(policy, 13, 15, 30)


def test_resolving_or_escalating_a_waiting_case_ends_the_wait(desk, agent, leader, clock, policy):  # rule: TK-5
    first, second = phone_case(desk, agent), phone_case(desk, agent)
    for case in (first, second):
        pause_clock(desk, agent, case.id, WaitingFor.CUSTOMER)
    clock.set(local(policy, 10, 10))
    solved = resolve(desk, agent, first.id)
    raised = escalate(desk, agent, second.id, "customer wants a technician", "13812345678").ticket
    for view in (solved, raised):
        assert view.clock.state is not ClockState.PAUSED and view.clock.waiting_for is None
        assert view.events[-1].kind in ("resolve", "escalate")
        assert any(e.kind == "resume" and "no longer waiting" in e.text for e in view.events)
        (pause,) = view.clock.pauses
        assert pause.ended_at == clock.at and pause.moved_due_by == timedelta(hours=3)  # Mon 16-18, Tue 9-10
    assert raised.sla_due == local(policy, 12, 16)


def test_a_wait_begun_past_the_due_time_does_not_hide_the_broken_promise(desk, agent, clock, policy):  # rule: TK-5
    case = phone_case(desk, agent)
    clock.set(local(policy, 12, 14))  # one hour past due
    waiting = pause_clock(desk, agent, case.id, WaitingFor.CUSTOMER)
    assert waiting.clock.state is ClockState.PAUSED and waiting.clock.overdue
    assert "already overdue by 60 min" in resolution(waiting).reason
    clock.set(local(policy, 13, 10))
    resumed = resume_clock(desk, agent, case.id)
    assert resumed.clock.due_moved_by == timedelta(0)
    assert resumed.clock.state is ClockState.OVERDUE and resolution(resumed).status is TimerStatus.BREACHED


def test_only_someone_who_handles_the_case_puts_it_to_wait(desk, agent, make_staff, actor_of, squad):  # rule: TK-9
    case = phone_case(desk, agent)
    colleague = actor_of(make_staff(squad=squad))
    with pytest.raises(PermissionDenied):
        pause_clock(desk, colleague, case.id, WaitingFor.CUSTOMER)
    with pytest.raises(PermissionDenied):
        resume_clock(desk, colleague, case.id)
    assert stored(desk, case.id).paused_since is None


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda d, a, t: pause_clock(d, a, t.id, WaitingFor.DEPARTMENT, "  "), InvalidInput, "note"),
        (lambda d, a, t: pause_clock(d, a, t.id, "holiday"), InvalidInput, "waiting_for"),
        (lambda d, a, t: pause_clock(d, a, t.id, "customer", "x" * 501), InvalidInput, "note"),
        (lambda d, a, t: pause_clock(d, a, t.id, "customer", expected_version=t.version - 1), StaleEdit, None),
        (lambda d, a, t: resume_clock(d, a, t.id), ServiceError, None),
    ],
)
def test_a_refused_wait_changes_nothing(desk, agent, call, error, field):  # rule: TK-5
    case = phone_case(desk, agent)
    with pytest.raises(error) as raised:
        call(desk, agent, case)
    assert raised.value.field == field
    after = stored(desk, case.id)
    assert after.paused_since is None and after.status is TicketStatus.CLAIMED and after.version == case.version
    with desk.read() as session:
        assert session.exec(select(ClockPause)).all() == []
        assert [e.kind for e in session.exec(select(TicketEvent)).all()] == ["intake"]


def test_a_case_waits_once_at_a_time_and_not_after_it_is_solved(desk, agent):  # rule: TK-5
    case = phone_case(desk, agent)
    pause_clock(desk, agent, case.id, WaitingFor.CUSTOMER)
    with pytest.raises(ServiceError, match="already waiting"):
        pause_clock(desk, agent, case.id, WaitingFor.DEPARTMENT, "Billing")
    resolve(desk, agent, case.id)
    with pytest.raises(ServiceError, match="already resolved"):
        pause_clock(desk, agent, case.id, WaitingFor.CUSTOMER)


def test_the_ticket_view_shows_the_clock_to_anyone_who_opens_it(desk, agent, make_staff, actor_of, squad):
    # rule: TK-5, TK-15
    case = phone_case(desk, agent)
    pause_clock(desk, agent, case.id, WaitingFor.CUSTOMER, "asked Zhang San for the bill")
    colleague = actor_of(make_staff(squad=squad))
    seen = ticket_detail(desk, colleague, case.id)
    assert seen.clock.state is ClockState.PAUSED
    assert "Zhang San" not in seen.events[-1].text  # the customer's name stays masked in the timeline
