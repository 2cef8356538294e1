"""What is waiting for me: one inbox, counted in one statement, for each person of a squad
(TK-11, LV-3, SW-1, HO-2, HO-3, TK-4, ST-4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from csdesk.models import RosterEntry, WaitingFor
from csdesk.rules.vocab import Category, Channel, LeaveType, Role, StaffStatus
from csdesk.services import handover, interns, leave, notices, notifications, swaps
from csdesk.services.base import InvalidInput
from csdesk.services.inbox import InboxKind, inbox_counts, inbox_page, offered
from csdesk.services.roster import ensure_shift_definitions
from csdesk.services.tickets import escalate, take_in
from csdesk.services.waiting import pause_clock

WED, THU = date(2026, 3, 11), date(2026, 3, 12)


@pytest.fixture
def lotus(desk, make_squad, make_staff, actor_of):
    squad = make_squad("Lotus")

    class Lotus:
        leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="李娜"))
        deputy = actor_of(make_staff(role=Role.DEPUTY_LEADER, squad=squad, employee_number="1102"))
        agent = actor_of(make_staff(squad=squad, employee_number="1113", real_name="赵磊"))
        successor = actor_of(make_staff(squad=squad, employee_number="1114"))
        intern = actor_of(make_staff(squad=squad, employee_number="1119", status=StaffStatus.INTERN))
        director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002"))
        head = actor_of(make_staff(role=Role.CENTRE_DIRECTOR, employee_number="1001"))

    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        session.add_all(
            [
                RosterEntry(staff_id=who.staff_id, work_date=day, shift_id=shifts["day"])
                for who, day in ((Lotus.agent, WED), (Lotus.successor, THU), (Lotus.agent, date(2026, 3, 16)))
            ]
        )
    return Lotus


def rostered(desk, who, day):
    from sqlmodel import select

    with desk.read() as session:
        return session.exec(
            select(RosterEntry.id).where(RosterEntry.staff_id == who.staff_id, RosterEntry.work_date == day)
        ).one()


def complaint(desk, actor, subject="Refund missing"):
    return take_in(desk, actor, Channel.PHONE, Category.COMPLAINT, "钱女士", "13800001111", subject, "")


def counts(desk, actor):
    return dict(inbox_counts(desk, actor).counts)


def test_each_role_is_offered_only_what_it_can_receive(lotus):
    assert offered(lotus.agent) == (InboxKind.SKIPPED, InboxKind.HANDOVER, InboxKind.NOTICES, InboxKind.SLA)
    assert offered(lotus.leader) == (
        InboxKind.ESCALATIONS,
        InboxKind.SKIPPED,
        InboxKind.LEAVE,
        InboxKind.SWAPS,
        InboxKind.HANDOVER,
        InboxKind.NOTICES,
        InboxKind.SLA,
    )
    assert InboxKind.SUMMARIES in offered(lotus.director) and InboxKind.LEAVE in offered(lotus.director)
    assert InboxKind.LEAVE not in offered(lotus.deputy) and InboxKind.ESCALATIONS in offered(lotus.deputy)


def test_a_quiet_desk_waits_for_nothing(desk, lotus):
    for person in (lotus.agent, lotus.leader, lotus.director):
        total = inbox_counts(desk, person)
        assert total.total == 0 and set(total.counts) == set(offered(person))


def test_a_shift_fills_and_empties_each_persons_inbox(desk, lotus, clock, policy):
    # The agent escalates one case to the leader, and another in an emergency past them.
    usual = complaint(desk, lotus.agent)
    escalate(desk, lotus.agent, usual.id, "customer insists on compensation", "13800001111")
    urgent = complaint(desk, lotus.agent, "Depot on fire")
    escalate(
        desk, lotus.agent, urgent.id, "fire at the depot", "13800001111", emergency_skip_to=Role.DEPARTMENT_DIRECTOR
    )
    # Leave and a swap to approve; a notice; a handover for the successor; an intern's summary.
    leave.file_leave(
        desk, lotus.agent, lotus.agent.staff_id, LeaveType.PERSONAL, date(2026, 3, 16), date(2026, 3, 16), "family"
    )
    swaps.file_swap(desk, lotus.agent, rostered(desk, lotus.agent, WED), rostered(desk, lotus.successor, THU))
    notices.publish_notice(desk, lotus.leader, "Double-11 offer", "300 off 40")
    written = handover.write_handover(desk, lotus.deputy, lotus.successor.staff_id, "all fine", "none", "none", "quiet")
    interns.submit_summary(desk, lotus.intern, lotus.intern.staff_id, "Forty hours of calls, " * 3)

    # (Like everyone, the leader acknowledges even a notice of their own: home lists it until then.)
    assert counts(desk, lotus.leader) == {
        InboxKind.ESCALATIONS: 1,
        InboxKind.SKIPPED: 1,
        InboxKind.LEAVE: 1,
        InboxKind.SWAPS: 1,
        InboxKind.HANDOVER: 0,
        InboxKind.NOTICES: 1,
        InboxKind.SLA: 0,
    }
    assert counts(desk, lotus.director)[InboxKind.ESCALATIONS] == 1
    assert counts(desk, lotus.director)[InboxKind.SUMMARIES] == 1
    assert counts(desk, lotus.successor) == {
        InboxKind.SKIPPED: 0,
        InboxKind.HANDOVER: 1,
        InboxKind.NOTICES: 1,
        InboxKind.SLA: 0,
    }
    # The lines name what waits, and what each one's own service takes.
    (arrived,) = inbox_page(desk, lotus.leader, InboxKind.ESCALATIONS)
    assert arrived.ticket_id == usual.id and arrived.title == f"#{usual.id} Refund missing"
    (told,) = inbox_page(desk, lotus.leader, InboxKind.SKIPPED)
    assert told.ticket_id == urgent.id and "department director" in told.title
    (request,) = inbox_page(desk, lotus.leader, InboxKind.LEAVE)
    assert "赵磊" in request.title and request.due_at is not None
    (swap,) = inbox_page(desk, lotus.leader, InboxKind.SWAPS)
    assert "1113" in swap.title and "2026-03-11" in swap.detail
    (waiting,) = inbox_page(desk, lotus.successor, InboxKind.HANDOVER)
    assert waiting.ref_id == written.id and "1102" in waiting.title
    (notice,) = inbox_page(desk, lotus.successor, InboxKind.NOTICES)
    assert notice.title == "Double-11 offer"
    (summary,) = inbox_page(desk, lotus.director, InboxKind.SUMMARIES)
    assert "1119" in summary.title

    # Acting on each empties it.
    handover.acknowledge_handover(desk, lotus.successor, waiting.ref_id)
    notices.acknowledge_notice(desk, lotus.successor, notice.ref_id)
    notifications.mark_notification_read(desk, lotus.leader, told.ref_id)
    leave.decide_leave(desk, lotus.leader, request.ref_id, True)
    swaps.decide_swap(desk, lotus.leader, swap.ref_id, True)
    interns.decide_summary(desk, lotus.director, summary.ref_id, True)
    escalate(desk, lotus.leader, usual.id, "beyond a squad's say", "13800001111")
    assert inbox_counts(desk, lotus.successor).total == 0
    assert counts(desk, lotus.leader)[InboxKind.ESCALATIONS] == 0
    assert counts(desk, lotus.leader)[InboxKind.SKIPPED] == 0 and counts(desk, lotus.leader)[InboxKind.SWAPS] == 0
    # The leave goes on to the director; the escalation too.
    assert counts(desk, lotus.director)[InboxKind.ESCALATIONS] == 2
    assert counts(desk, lotus.director)[InboxKind.SUMMARIES] == 0


def test_my_cases_near_or_past_their_sla_and_not_while_they_wait(desk, lotus, clock):  # rule: TK-4, TK-5
    case = complaint(desk, lotus.agent)  # dispatch due in 60 minutes; "due soon" from 48 minutes on
    assert counts(desk, lotus.agent)[InboxKind.SLA] == 0
    clock.advance(minutes=47, seconds=59)
    assert counts(desk, lotus.agent)[InboxKind.SLA] == 0
    clock.advance(seconds=1)
    assert counts(desk, lotus.agent)[InboxKind.SLA] == 1
    (line,) = inbox_page(desk, lotus.agent, InboxKind.SLA)
    assert line.ticket_id == case.id and not line.urgent and "12 min left" in line.detail
    clock.advance(minutes=13)
    (line,) = inbox_page(desk, lotus.agent, InboxKind.SLA)
    assert line.urgent and "overdue" in line.detail
    # A colleague's cases are not mine.
    assert counts(desk, lotus.successor)[InboxKind.SLA] == 0
    # Handed to another department, the case waits: the complaint promise is kept and its clock stops.
    pause_clock(desk, lotus.agent, case.id, WaitingFor.DEPARTMENT, "Billing")
    assert counts(desk, lotus.agent)[InboxKind.SLA] == 0


def test_the_counts_are_one_statement(desk, lotus):
    complaint(desk, lotus.agent)
    seen: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(desk.db.engine, "before_cursor_execute", record)
    try:
        inbox_counts(desk, lotus.director)
    finally:
        event.remove(desk.db.engine, "before_cursor_execute", record)
    assert len(seen) == 1


def test_a_kind_not_offered_lists_nothing_and_an_unknown_kind_is_refused(desk, lotus):
    assert inbox_page(desk, lotus.agent, InboxKind.LEAVE) == ()
    with pytest.raises(InvalidInput) as refused:
        inbox_page(desk, lotus.agent, "gossip")
    assert refused.value.field == "kind"
    with pytest.raises(InvalidInput):
        inbox_page(desk, lotus.agent, InboxKind.SLA, limit=0)


def test_pages_of_one_kind(desk, lotus, clock):
    cases = [complaint(desk, lotus.agent, f"case {n}") for n in range(3)]
    for case in cases:
        escalate(desk, lotus.agent, case.id, "needs a decision", "13800001111")
        clock.advance(minutes=1)
    first = inbox_page(desk, lotus.leader, InboxKind.ESCALATIONS, limit=2)
    rest = inbox_page(desk, lotus.leader, InboxKind.ESCALATIONS, offset=2, limit=2)
    assert [line.ticket_id for line in (*first, *rest)] == [c.id for c in cases]
    assert inbox_counts(desk, lotus.leader)[InboxKind.ESCALATIONS] == 3
    assert timedelta(0) <= first[0].due_at - first[0].at
