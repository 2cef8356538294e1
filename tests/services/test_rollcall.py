"""Roll call: marks saved one by one, leave pre-filled, the close all or nothing (AT-1, AT-2, AT-7)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from csdesk.models import Attendance, AuditLog, LeaveRequest, Notice, RollCallEntry, RosterEntry
from csdesk.models.states import RequestStatus
from csdesk.rules.vocab import AttendanceStatus, LeaveType, Role
from csdesk.services import rollcall
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError
from csdesk.services.roster import ensure_shift_definitions

ZONE = ZoneInfo("Asia/Shanghai")  # the shipped policy's centre
TUESDAY = date(2026, 3, 10)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def squad_on_shift(desk, clock, make_squad, make_staff):
    """A squad with a leader and four agents rostered on Tuesday's day shift; 08:20 local."""
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, real_name="李娜")
    agents = [make_staff(squad=squad, real_name=name) for name in ("王芳", "Lucía Pérez", "张伟", "John Smith")]
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        for agent in agents:
            session.add(RosterEntry(staff_id=agent.id, work_date=TUESDAY, shift_id=shifts["day"]))
            session.add(RosterEntry(staff_id=agent.id, work_date=TUESDAY, shift_id=shifts["night"]))
        # 张伟 is on approved sick leave that day.
        session.add(
            LeaveRequest(
                requester_id=agents[2].id,
                filed_by_id=agents[2].id,
                leave_type=LeaveType.SICK,
                has_certificate=True,
                starts_at=local(TUESDAY, 0),
                ends_at=local(TUESDAY, 23, 59),
                status=RequestStatus.APPROVED,
                filed_at=local(date(2026, 3, 8), 9),
            )
        )
        session.add(
            Notice(
                title="New refund policy",
                body="Refunds within 7 days.",
                author_id=leader.id,
                published_at=local(date(2026, 3, 9), 9),
            )
        )
    clock.set(local(TUESDAY, 8, 20))
    return squad, leader, agents


def test_open_prefills_approved_leave_and_lists_everyone_rostered(desk, actor_of, squad_on_shift):
    squad, leader, agents = squad_on_shift
    view = rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "day")
    assert [line.name for line in view.lines] == [a.real_name for a in agents]
    by_name = {line.name: line for line in view.lines}
    assert by_name["张伟"].status is AttendanceStatus.LEAVE and by_name["张伟"].leave_type is LeaveType.SICK
    assert len(view.unmarked) == 3
    assert view.roll_call_at.strftime("%H:%M") == "08:20"  # rule: SC-4


def test_marks_are_saved_at_once_and_survive_leaving_the_screen(desk, actor_of, squad_on_shift):
    squad, leader, agents = squad_on_shift
    view = rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "day")
    rollcall.mark(desk, actor_of(leader), view.session_id, agents[0].id, "present")
    again = rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "day")
    assert again.session_id == view.session_id
    assert {line.name: line.status for line in again.lines}["王芳"] is AttendanceStatus.PRESENT


@pytest.mark.parametrize(
    ("arrival", "status", "minutes"),
    [
        (time(8, 50), AttendanceStatus.LATE, 20),  # rule: AT-2, exactly at the limit
        (time(8, 51), AttendanceStatus.ABSENTEEISM, 21),  # rule: AT-2, one minute over
    ],
)
def test_late_arrival_is_classified_by_the_rules(desk, actor_of, squad_on_shift, arrival, status, minutes):
    squad, leader, agents = squad_on_shift
    view = rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "day")
    line = rollcall.mark(desk, actor_of(leader), view.session_id, agents[1].id, "late", arrival=arrival)
    assert (line.status, line.minutes_late) == (status, minutes)
    assert "AT-2" in line.rule_ids


def test_night_shift_arrival_after_midnight_counts_from_the_shift_start(desk, clock, actor_of, squad_on_shift):
    squad, leader, agents = squad_on_shift
    clock.set(local(TUESDAY, 23, 0))
    view = rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "night")
    line = rollcall.mark(desk, actor_of(leader), view.session_id, agents[0].id, "late", arrival=time(0, 10))
    assert line.minutes_late == 400 and line.status is AttendanceStatus.ABSENTEEISM  # rule: SC-1, AT-2


def test_absent_without_leave_is_absenteeism(desk, actor_of, squad_on_shift):  # rule: AT-7
    squad, leader, agents = squad_on_shift
    view = rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "day")
    line = rollcall.mark(desk, actor_of(leader), view.session_id, agents[3].id, "absent")
    assert line.status is AttendanceStatus.ABSENTEEISM and line.rule_ids == ("AT-7",)


def test_absent_with_leave_asked_in_time_is_absent_not_absenteeism(desk, actor_of, squad_on_shift):
    squad, leader, agents = squad_on_shift
    with desk.write() as session:
        session.add(
            LeaveRequest(
                requester_id=agents[3].id,
                filed_by_id=agents[3].id,
                leave_type=LeaveType.PERSONAL,
                starts_at=local(TUESDAY, 8, 30),
                ends_at=local(TUESDAY, 17, 30),
                filed_at=local(TUESDAY, 7),
            )
        )
    view = rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "day")
    line = rollcall.mark(desk, actor_of(leader), view.session_id, agents[3].id, "absent")
    assert line.status is AttendanceStatus.ABSENT and "AT-7" in line.rule_ids


def test_bad_marks_are_refused_naming_the_field(desk, actor_of, squad_on_shift):
    squad, leader, agents = squad_on_shift
    actor = actor_of(leader)
    view = rollcall.open_roll_call(desk, actor, squad.id, TUESDAY, "day")
    with pytest.raises(InvalidInput) as late_without_time:
        rollcall.mark(desk, actor, view.session_id, agents[0].id, "late")
    assert late_without_time.value.field == "arrival"
    with pytest.raises(InvalidInput) as not_late:
        rollcall.mark(desk, actor, view.session_id, agents[0].id, "late", arrival=time(8, 25))
    assert not_late.value.field == "arrival"
    with pytest.raises(InvalidInput) as unknown:
        rollcall.mark(desk, actor, view.session_id, agents[0].id, "asleep")
    assert unknown.value.field == "status"
    with pytest.raises(ServiceError, match="approved leave"):
        rollcall.mark(desk, actor, view.session_id, agents[2].id, "present")


def test_only_leaders_of_the_squad_or_directors_run_it(desk, actor_of, make_squad, make_staff, squad_on_shift):
    squad, leader, agents = squad_on_shift
    with pytest.raises(PermissionDenied):
        rollcall.open_roll_call(desk, actor_of(agents[0]), squad.id, TUESDAY, "day")
    other = make_staff(role=Role.SQUAD_LEADER, squad=make_squad("Orchid"))
    with pytest.raises(PermissionDenied, match="own squad"):
        rollcall.open_roll_call(desk, actor_of(other), squad.id, TUESDAY, "day")
    director = make_staff(role=Role.DEPARTMENT_DIRECTOR)
    assert rollcall.open_roll_call(desk, actor_of(director), squad.id, TUESDAY, "day").lines


def test_close_writes_attendance_for_everyone_and_returns_notices(desk, actor_of, squad_on_shift):
    squad, leader, agents = squad_on_shift
    actor = actor_of(leader)
    view = rollcall.open_roll_call(desk, actor, squad.id, TUESDAY, "day")
    rollcall.mark(desk, actor, view.session_id, agents[1].id, "late", arrival=time(8, 51))
    with pytest.raises(InvalidInput, match="not marked yet"):
        rollcall.close_roll_call(desk, actor, view.session_id)
    rollcall.mark_rest_present(desk, actor, view.session_id)
    closed = rollcall.close_roll_call(desk, actor, view.session_id)
    assert [n.title for n in closed.notices] == ["New refund policy"]  # rule: HO-2
    with desk.read() as session:
        rows = {a.staff_id: a for a in session.execute(select(Attendance)).scalars()}
    assert {rows[a.id].status for a in agents} == {
        AttendanceStatus.PRESENT,
        AttendanceStatus.ABSENTEEISM,
        AttendanceStatus.LEAVE,
    }
    assert rows[agents[2].id].leave_type is LeaveType.SICK
    assert rows[agents[1].id].minutes_late == 21
    with pytest.raises(ServiceError, match="already closed"):
        rollcall.mark(desk, actor, view.session_id, agents[0].id, "absent")


def test_close_is_all_or_nothing(desk, actor_of, squad_on_shift, monkeypatch):
    squad, leader, agents = squad_on_shift
    actor = actor_of(leader)
    view = rollcall.open_roll_call(desk, actor, squad.id, TUESDAY, "day")
    rollcall.mark_rest_present(desk, actor, view.session_id)
    with desk.read() as session:
        audits_before = session.execute(select(func.count()).select_from(AuditLog)).scalar()

    real_audit = rollcall.audit
    calls = []

    def failing_audit(session, actor, action, *args, **kwargs):
        calls.append(action)
        if len(calls) == 3:
            raise RuntimeError("power cut")
        return real_audit(session, actor, action, *args, **kwargs)

    monkeypatch.setattr(rollcall, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        rollcall.close_roll_call(desk, actor, view.session_id)
    with desk.read() as session:
        assert session.execute(select(func.count()).select_from(Attendance)).scalar() == 0
        assert session.execute(select(func.count()).select_from(AuditLog)).scalar() == audits_before
    monkeypatch.setattr(rollcall, "audit", real_audit)
    assert not rollcall.roll_call(desk, actor, view.session_id).closed
    assert rollcall.close_roll_call(desk, actor, view.session_id).attendance_rows == 4
    with desk.read() as session:
        assert session.execute(select(func.count()).select_from(RollCallEntry)).scalar() == 4


@pytest.mark.parametrize(
    ("hour", "minute", "open_"),
    [(7, 29, False), (7, 30, True), (17, 29, True), (17, 30, False), (22, 55, False)],
    ids=["61-min-before", "60-min-before", "last-minute", "shift-over", "evening"],
)
def test_marks_are_taken_only_from_an_hour_before_the_start_until_the_shift_ends(
    desk, clock, actor_of, squad_on_shift, hour, minute, open_
):  # rule: AT-1, SC-4
    squad, leader, agents = squad_on_shift
    clock.set(local(TUESDAY, 8, 0))
    view = rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "day")
    clock.set(local(TUESDAY, hour, minute))
    if open_:
        assert rollcall.mark(desk, actor_of(leader), view.session_id, agents[0].id, "present").status
        return
    with pytest.raises(ServiceError) as refused:
        rollcall.mark(desk, actor_of(leader), view.session_id, agents[0].id, "present")
    assert "AT-1" in refused.value.rule_ids
    with desk.read() as session:
        marked = select(func.count()).select_from(RollCallEntry).where(RollCallEntry.staff_id == agents[0].id)
        assert session.scalar(marked) == 0


def test_a_roll_call_is_not_opened_hours_before_its_shift(desk, clock, actor_of, squad_on_shift):  # rule: AT-1
    squad, leader, _agents = squad_on_shift
    with pytest.raises(ServiceError, match="opens at 03-10 16:30"):
        rollcall.open_roll_call(desk, actor_of(leader), squad.id, TUESDAY, "night")


def test_after_the_last_shift_the_coming_roll_call_says_when_it_ended(desk, clock, actor_of, squad_on_shift):
    # rule: AT-1
    from csdesk.services import home

    squad, leader, _agents = squad_on_shift
    clock.set(local(date(2026, 3, 11), 1, 30))
    with pytest.raises(ServiceError) as refused:
        home.coming_roll_call(desk, actor_of(leader), squad.id)
    said = str(refused.value)
    assert "ended at 01:00" in said and "03-10" in said
    assert "nobody" not in said
