"""The demo centre keeps the README's promises whatever day it is built: on a
weekend, at the turn of a month or a year, on a public holiday and in the
middle of a night shift. Everything is read through the services, as the desk
reads it."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta

import pytest
from edge_dates import EDGE_MOMENTS, demo_desk_at
from sqlalchemy import select

from csdesk.models import LedgerEntry, RosterEntry, Staff, SwapRequest, Ticket
from csdesk.models.states import RequestStatus
from csdesk.rules.calendar import DutyStatus
from csdesk.rules.vocab import AttendanceStatus, Category, Channel, LedgerKind, Role, TicketStatus
from csdesk.services import attendance, home, interns, leave, swaps
from csdesk.services.auth import sign_in
from csdesk.services.base import Actor, Desk, FixedClock
from csdesk.store import open_database


@pytest.fixture(scope="module", params=list(EDGE_MOMENTS), ids=list(EDGE_MOMENTS))
def centre(request, tmp_path_factory):
    with demo_desk_at(EDGE_MOMENTS[request.param], tmp_path_factory.mktemp("demo")) as desk:
        yield desk


def _actor(desk: Desk, number: str) -> Actor:
    with desk.read() as session:
        return Actor.of(session.execute(select(Staff).where(Staff.employee_number == number)).scalar_one())


def _by_name(desk: Desk, name: str) -> Actor:
    with desk.read() as session:
        return Actor.of(session.execute(select(Staff).where(Staff.real_name == name)).scalar_one())


def _leaders(desk: Desk) -> list[Actor]:
    with desk.read() as session:
        staff = session.execute(select(Staff).where(Staff.role == Role.SQUAD_LEADER)).scalars().all()
        return [Actor.of(s) for s in staff]


def test_every_squad_leader_signs_in_and_has_a_roll_call_within_a_day(centre):
    leaders = _leaders(centre)
    assert len(leaders) == 3
    for leader in leaders:
        assert sign_in(centre, leader.employee_number, "1234").staff_id == leader.staff_id
        coming = home.coming_roll_call(centre, leader)
        # The shift running now, or the next one, starts no more than a day ahead.
        assert coming.starts_at.astimezone(UTC) - centre.now() <= timedelta(days=1)


def test_swaps_approved_pending_and_refused_and_the_pending_one_waits_for_a_leader(centre):
    statuses = Counter()
    for name in ("王秀英", "Javier Morales", "黄丽"):
        for view in swaps.my_swaps(centre, _by_name(centre, name)):
            statuses[view.status] += 1
    assert statuses == {RequestStatus.APPROVED: 1, RequestStatus.PENDING: 1, RequestStatus.REFUSED: 1}
    waiting = [view for leader in _leaders(centre) for view in swaps.pending_swaps_for(centre, leader)]
    assert len(waiting) == 1


def test_leave_approved_pending_and_refused_and_the_pending_ones_wait_for_their_leaders(centre):
    statuses = Counter()
    for name in ("Lucía Pérez", "Oliver Brown", "孙悦", "杨帆", "Grace Miller", "Diego Torres"):
        for view in leave.my_requests(centre, _by_name(centre, name)):
            statuses[view.status] += 1
    assert statuses == {RequestStatus.APPROVED: 3, RequestStatus.PENDING: 2, RequestStatus.REFUSED: 1}
    assert sum(len(leave.pending_for(centre, leader)) for leader in _leaders(centre)) == 2


def test_four_weeks_of_attendance_hold_lates_leave_and_the_21_minute_absenteeism(centre):
    director = _actor(centre, "1001")
    wang = _by_name(centre, "王芳")
    today = centre.now().astimezone(centre.policy.zone).date()
    rows = []
    for weeks_back in range(4):
        iso = (today - timedelta(weeks=weeks_back)).isocalendar()
        rows += attendance.week(centre, director, f"{iso.year}-W{iso.week:02d}").rows
    statuses = Counter(r.status for r in rows)
    assert statuses[AttendanceStatus.LATE] > 0 and statuses[AttendanceStatus.LEAVE] > 0
    assert statuses[AttendanceStatus.PRESENT] > 100
    assert any(r.staff_id == wang.staff_id and r.minutes_late == 21 and "AT-2" in r.violations for r in rows)


def test_zhang_wei_has_two_complaint_fines_this_month_the_second_doubled(centre):
    zhang = _by_name(centre, "张伟")
    month_start = centre.now().astimezone(centre.policy.zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    with centre.read() as session:
        amounts = (
            session.execute(
                select(LedgerEntry.amount_cents)
                .where(
                    LedgerEntry.staff_id == zhang.staff_id,
                    LedgerEntry.kind == LedgerKind.FINE,
                    LedgerEntry.rule_id == "FN-3",
                    LedgerEntry.at >= month_start.astimezone(UTC),
                )
                .order_by(LedgerEntry.at)
            )
            .scalars()
            .all()
        )
    assert amounts[:2] == [5000, 10000]


def test_tickets_over_every_channel_category_and_state(centre):
    with centre.read() as session:
        rows = session.execute(select(Ticket.channel, Ticket.category, Ticket.status)).all()
    assert {Channel(c) for c, _, _ in rows} == set(Channel)
    assert {Category(c) for _, c, _ in rows} == set(Category)
    assert {TicketStatus(s) for _, _, s in rows} == set(TicketStatus)


def test_interns_at_three_different_steps(centre):
    views = interns.interns(centre, _actor(centre, "1002"))
    assert len(views) == 3
    assert sum(v.conversion.ok for v in views) == 1
    assert {str(v.summary) for v in views} == {"approved", "waiting"}
    assert [str(v.early) for v in views].count("recommended") == 1


def test_the_inbox_shows_leaders_and_agents_what_waits_for_them(centre):
    # rule: TK-11, HO-3, HO-2, TK-5
    from csdesk.services.inbox import InboxKind, inbox_counts, inbox_page

    lotus, orchid, agent = _actor(centre, "1101"), _actor(centre, "1201"), _actor(centre, "1113")
    escalated = inbox_page(centre, lotus, InboxKind.ESCALATIONS, limit=50)
    assert any(line.title.endswith("退款三周仍未到账") for line in escalated)
    orchid_waiting = inbox_counts(centre, orchid)
    assert orchid_waiting[InboxKind.SKIPPED] == 1 and orchid_waiting[InboxKind.HANDOVER] >= 1
    assert inbox_counts(centre, agent)[InboxKind.NOTICES] >= 1
    assert inbox_counts(centre, _actor(centre, "1002"))[InboxKind.ESCALATIONS] >= 1


def test_cases_wait_for_their_customers_with_the_clock_stopped_and_replies_are_agreed(centre):
    # rule: TK-5, TK-14
    from csdesk.services.canned import canned_replies
    from csdesk.services.sla import ClockState
    from csdesk.services.waiting import sla_clock

    with centre.read() as session:
        waiting = session.execute(
            select(Ticket.id).where(Ticket.status == TicketStatus.WAITING_CUSTOMER).limit(1)
        ).scalar_one()
    clock = sla_clock(centre, _actor(centre, "1101"), waiting)
    assert clock.state is ClockState.PAUSED and clock.paused_minutes > 0
    agent = _actor(centre, "1113")
    assert canned_replies(centre, agent, Category.COMPLAINT, "zh_CN")
    assert canned_replies(centre, agent, Category.COMPLAINT, "en")


def test_some_duties_are_overdue_on_home(centre):
    overdue = [
        line
        for number in ("1101", "1201", "1301", "1003")
        for line in home.duties_today(centre, _actor(centre, number))
        if line.status is DutyStatus.OVERDUE
    ]
    assert overdue


@pytest.mark.parametrize("moment", list(EDGE_MOMENTS.values()), ids=list(EDGE_MOMENTS))
def test_the_demo_command_builds_for_the_desks_today(moment, tmp_path):
    from csdesk import cli
    from csdesk.models import AuditLog

    path = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(path), "--no-open"], clock=FixedClock(moment)) == 0
    db = open_database(path)
    try:
        with db.read() as session:
            built = session.execute(select(AuditLog.after).where(AuditLog.action == "demo.build")).scalar_one()
            swaps_filed = len(session.execute(select(SwapRequest.id)).all())
    finally:
        db.close()
    assert built["today"] == moment.date().isoformat() and swaps_filed == 3


def test_the_roster_runs_past_today_so_tomorrow_and_next_week_have_roll_calls(centre):
    today = centre.now().astimezone(centre.policy.zone).date()
    with centre.read() as session:
        rows = session.execute(select(RosterEntry.work_date, Staff.squad_id).join(Staff)).all()
    for ahead in (1, 7):
        squads = {squad for day, squad in rows if day == today + timedelta(days=ahead)}
        assert len(squads) == 3, f"{ahead} day(s) ahead only squads {squads} are rostered"


def test_sick_leave_waiting_for_its_certificate_is_shown_to_its_leader(centre):
    waiting = [v for leader in _leaders(centre) for v in leave.certificates_awaited(centre, leader)]
    assert [v.staff_label.split(" ", 2)[-1] for v in waiting] == ["Grace Miller"]
    assert waiting[0].certificate_due_at is not None and waiting[0].certificate_due_at > centre.now()
