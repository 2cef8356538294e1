"""The time clock: punches, breaks, time away, clocking out behind the handover, corrections (AT-2..AT-5, AT-9)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from csdesk.models import AuditLog, RosterEntry, ShortWeekApproval
from csdesk.rules.decision import Outcome
from csdesk.rules.vocab import AttendanceStatus, Role
from csdesk.services import attendance, handover, rollcall, timeclock
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError
from csdesk.services.roster import ensure_shift_definitions

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def local(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def lotus(desk, clock, make_squad, make_staff, actor_of):
    """李娜 leads 王芳 and 张伟 on Monday's day shift; the night leader 陈静 takes over at 17:30."""
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="李娜")
    night_leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1102", real_name="陈静")
    wang = make_staff(squad=squad, employee_number="2001", real_name="王芳")
    zhang = make_staff(squad=squad, employee_number="2002", real_name="张伟")
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        for person in (leader, wang, zhang):
            session.add(RosterEntry(staff_id=person.id, work_date=MONDAY, shift_id=shifts["day"]))
        session.add(RosterEntry(staff_id=night_leader.id, work_date=MONDAY, shift_id=shifts["night"]))
    clock.set(local(8, 25))
    people = (leader, night_leader, wang, zhang)
    return tuple(actor_of(p) for p in people)


def roster_id(desk, staff_id):
    with desk.read() as session:
        return session.scalars(select(RosterEntry.id).where(RosterEntry.staff_id == staff_id)).one()


def test_a_day_at_the_clock_breaks_away_and_leaving_early(desk, clock, lotus):  # rule: AT-3, AT-9, AT-4
    _leader, _night, wang, _zhang = lotus
    assert timeclock.time_clock(desk, wang).state == "off"
    attendance.clock_in(desk, wang)
    clock.set(local(12, 0))
    attendance.start_away(desk, wang, kind="break")
    with pytest.raises(ServiceError, match="on a break"):
        attendance.start_away(desk, wang)
    clock.set(local(12, 45))
    shown = timeclock.time_clock(desk, wang)
    assert (shown.state, f"{shown.off_since:%H:%M}", shown.minutes_break) == ("break", "12:00", 45)
    back = attendance.end_away(desk, wang)
    assert back.decision is None and back.minutes == 45
    clock.set(local(15, 0))
    attendance.start_away(desk, wang)
    clock.set(local(15, 25))
    over = attendance.end_away(desk, wang)
    assert over.decision.outcome is Outcome.VIOLATION and over.decision.rule_ids == ("AT-3",)
    clock.set(local(17, 0))
    out = attendance.clock_out(desk, wang)
    assert out.decision.outcome is Outcome.VIOLATION and out.decision.rule_ids == ("AT-9",)
    shown = timeclock.time_clock(desk, wang)
    # 08:25 to 17:00 is 515 minutes, less the 45-minute break and 25 minutes away.
    assert (shown.state, shown.minutes_worked, shown.week_minutes) == ("out", 445, 445)
    row = next(r for r in attendance.week(desk, _leader, "2026-W11").rows if r.staff_id == wang.staff_id)
    assert (row.minutes_worked, row.minutes_early, row.minutes_break, row.violations) == (445, 30, 45, ("AT-3", "AT-9"))


def test_the_roll_call_mark_counts_as_the_clock_in(desk, clock, lotus):  # rule: AT-1
    leader, _night, wang, _zhang = lotus
    view = rollcall.open_roll_call(desk, leader, leader.squad_id, MONDAY, "day")
    rollcall.mark(desk, leader, view.session_id, wang.staff_id, "present")
    clock.set(local(9, 0))
    shown = timeclock.time_clock(desk, wang)
    assert shown.from_roll_call and f"{shown.clock_in:%H:%M}" == "08:25" and shown.minutes_worked == 35
    attendance.start_away(desk, wang, kind="break")  # no separate clock-in needed
    with pytest.raises(ServiceError, match="already clocked in"):
        attendance.clock_in(desk, wang)


def test_a_leader_clocks_out_only_after_the_handover_is_acknowledged(desk, clock, lotus):  # rule: HO-4, AT-9, HO-3
    leader, night_leader, _wang, _zhang = lotus
    attendance.clock_in(desk, leader)
    clock.set(local(17, 25))
    with pytest.raises(ServiceError) as refused:
        attendance.clock_out(desk, leader)
    assert "HO-4" in refused.value.rule_ids
    log = handover.write_handover(desk, leader, night_leader.staff_id, "all fine", "none", "none", "quiet")
    clock.set(local(17, 30))
    with pytest.raises(ServiceError) as waiting:
        attendance.clock_out(desk, leader)
    assert "AT-9" in waiting.value.rule_ids
    clock.set(local(17, 40))
    handover.acknowledge_handover(desk, night_leader, log.id)
    out = attendance.clock_out(desk, leader)
    # Ten minutes past the end: overtime, never a violation (SC-3).
    assert out.decision.outcome is Outcome.ALLOWED and out.decision.rule_ids == ("SC-3",)


def test_a_leader_corrects_a_missed_clock_out_with_a_reason(desk, clock, lotus, make_squad, make_staff, actor_of):
    # rule: AT-5
    leader, _night, wang, zhang = lotus
    attendance.clock_in(desk, wang)
    clock.set(local(18, 0))
    rid = roster_id(desk, wang.staff_id)
    with pytest.raises(InvalidInput) as blank:
        timeclock.correct_punch(desk, leader, rid, clock_out="17:30", reason=" ")
    assert blank.value.field == "reason"
    with pytest.raises(PermissionDenied):
        timeclock.correct_punch(desk, wang, roster_id(desk, zhang.staff_id), "0830", "1730", "forgot")
    with pytest.raises(PermissionDenied):
        timeclock.correct_punch(desk, leader, roster_id(desk, leader.staff_id), "0830", "1730", "mine")
    with pytest.raises(InvalidInput) as order:
        timeclock.correct_punch(desk, leader, rid, clock_out="0800", reason="forgot to clock out")
    assert order.value.field == "clock_out"
    row = timeclock.correct_punch(desk, leader, rid, clock_out="1730", reason="forgot to clock out")
    assert row.clock_out == local(17, 30) and row.status is AttendanceStatus.PRESENT
    with desk.read() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "attendance.correct")).one()
    assert "forgot to clock out" in str(entry.after)
    # Another squad's leader may not.
    other = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=make_squad("Aster"), real_name="刘洋"))
    with pytest.raises(PermissionDenied):
        timeclock.correct_punch(desk, other, rid, clock_out="1731", reason="x")


def test_a_director_approves_a_short_week_with_a_reason(desk, clock, lotus, make_staff, actor_of, tmp_path):
    # rule: AT-4
    from csdesk.services.exports import export_attendance

    leader, _night, wang, _zhang = lotus
    director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="9001", real_name="周强"))
    attendance.clock_in(desk, wang)
    clock.set(local(17, 30))
    attendance.clock_out(desk, wang)
    with pytest.raises(PermissionDenied):
        timeclock.approve_short_week(desk, leader, wang.staff_id, "2026-W11", "training day")
    with pytest.raises(InvalidInput):
        timeclock.approve_short_week(desk, director, wang.staff_id, "2026-W11", "")
    timeclock.approve_short_week(desk, director, wang.staff_id, "2026-W11", "training day")
    hours = {h.staff_id: h for h in attendance.week(desk, director, "2026-W11", leader.squad_id).hours}
    assert not hours[wang.staff_id].meets_minimum and hours[wang.staff_id].approved_reason == "training day"
    assert "training day" in hours[wang.staff_id].reason
    files = export_attendance(desk, director, "2026-W11", leader.squad_id, out=tmp_path / "w.csv")
    assert "training day" in files.hours.read_text(encoding="utf-8-sig")
    with desk.read() as session:
        assert session.scalars(select(ShortWeekApproval)).one().approved_by_id == director.staff_id
