"""The attendance week and its export, value by value (AT-2..AT-5, AT-7, SC-1, SC-3)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from csdesk.exports.attendance import ATTENDANCE_HEADER, HOURS_HEADER
from csdesk.exports.csvfile import minute_text, safe_cell
from csdesk.models import Attendance, AuditLog, AwayPeriod, LeaveRequest, RosterEntry
from csdesk.models.states import RequestStatus
from csdesk.policy import parse_policy
from csdesk.rules.vocab import AttendanceStatus, LeaveType, Role
from csdesk.services import attendance
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError
from csdesk.services.exports import export_attendance
from csdesk.services.roster import ensure_shift_definitions

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)  # 2026-W11


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def d(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


@pytest.fixture
def week_built(desk, clock, make_squad, make_staff):
    """A hand-built week for 王芳 and a colleague whose name looks like a formula."""
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="2001", real_name="李娜")
    wang = make_staff(squad=squad, employee_number="2002", real_name="王芳")
    formula = make_staff(squad=squad, employee_number="2003", real_name='=HYPERLINK("x")')
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)

        def shift(staff, day, kind, clock_in=None, clock_out=None, away=()):
            roster = RosterEntry(staff_id=staff.id, work_date=day, shift_id=shifts[kind])
            session.add(roster)
            session.flush()
            if clock_in is not None:
                row = Attendance(
                    staff_id=staff.id,
                    roster_id=roster.id,
                    clock_in=clock_in,
                    clock_out=clock_out,
                    status=AttendanceStatus.PRESENT,
                )
                session.add(row)
                session.flush()
                for start, end, permitted in away:
                    session.add(AwayPeriod(attendance_id=row.id, started_at=start, ended_at=end, permitted=permitted))

        shift(wang, d(0), "day", local(d(0), 8, 25), local(d(0), 17, 35))
        # Night shift across midnight, with five minutes of overtime (SC-1, SC-3).
        shift(wang, d(1), "night", local(d(1), 17, 30), local(d(2), 1, 5))
        # 21 minutes late: absenteeism (AT-2); 25 minutes away without permission (AT-3).
        shift(
            wang,
            d(2),
            "day",
            local(d(2), 8, 51),
            local(d(2), 17, 30),
            away=[(local(d(2), 10, 0), local(d(2), 10, 25), False)],
        )
        shift(wang, d(3), "day")  # approved sick leave
        shift(wang, d(4), "day")  # never came: absenteeism (AT-7)
        shift(formula, d(0), "day", local(d(0), 8, 30), local(d(0), 17, 30))
        session.add(
            LeaveRequest(
                requester_id=wang.id,
                filed_by_id=wang.id,
                leave_type=LeaveType.SICK,
                has_certificate=True,
                starts_at=local(d(3), 0),
                ends_at=local(d(4), 0),
                status=RequestStatus.APPROVED,
                filed_at=local(d(2), 19),
            )
        )
    clock.set(local(d(7), 9))  # the Monday after
    return squad, leader, wang, formula


def test_week_classifies_each_shift(desk, actor_of, week_built):
    squad, leader, wang, _ = week_built
    data = attendance.week(desk, actor_of(leader), "2026-W11")
    rows = [
        (r.name, r.date, r.shift.value, r.status, r.minutes_late, r.violations) for r in data.rows if r.name == "王芳"
    ]
    assert rows == [
        ("王芳", d(0), "day", AttendanceStatus.PRESENT, 0, ()),
        ("王芳", d(1), "night", AttendanceStatus.PRESENT, 0, ()),
        ("王芳", d(2), "day", AttendanceStatus.ABSENTEEISM, 21, ("AT-2", "AT-3")),
        ("王芳", d(3), "day", AttendanceStatus.LEAVE, 0, ()),
        ("王芳", d(4), "day", AttendanceStatus.ABSENTEEISM, 0, ("AT-7",)),
    ]
    night = data.rows[1]
    assert night.scheduled_end == local(d(2), 1, 0)  # rule: SC-1, ends the next calendar day
    hours = {h.name: h for h in data.hours}
    # 550 + 455 + (519 - 25 away) minutes; short of 30 hours (AT-4).
    assert hours["王芳"].minutes_worked == 1499
    assert not hours["王芳"].meets_minimum and hours["王芳"].rule_ids == ("AT-4",)


def test_export_files_value_by_value(desk, actor_of, week_built, tmp_path):  # rule: AT-5
    squad, leader, wang, formula = week_built
    out = tmp_path / "week.csv"
    files = export_attendance(desk, actor_of(leader), "2026-W11", out=out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so spreadsheets read 王芳 right
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(lines[0]) == ATTENDANCE_HEADER
    assert lines[1:] == [
        [
            "2002",
            "王芳",
            "Lotus",
            "2026-03-09",
            "day",
            "2026-03-09 08:30",
            "2026-03-09 17:30",
            "2026-03-09 08:25",
            "2026-03-09 17:35",
            "0",
            "present",
            "",
            "0",
            "0",
            "550",
            "5",
            "0",
            "",
        ],
        [
            "2002",
            "王芳",
            "Lotus",
            "2026-03-10",
            "night",
            "2026-03-10 17:30",
            "2026-03-11 01:00",
            "2026-03-10 17:30",
            "2026-03-11 01:05",
            "0",
            "present",
            "",
            "0",
            "0",
            "455",
            "5",
            "0",
            "",
        ],
        [
            "2002",
            "王芳",
            "Lotus",
            "2026-03-11",
            "day",
            "2026-03-11 08:30",
            "2026-03-11 17:30",
            "2026-03-11 08:51",
            "2026-03-11 17:30",
            "21",
            "absenteeism",
            "",
            "25",
            "0",
            "494",
            "0",
            "0",
            "AT-2 AT-3",
        ],
        [
            "2002",
            "王芳",
            "Lotus",
            "2026-03-12",
            "day",
            "2026-03-12 08:30",
            "2026-03-12 17:30",
            "",
            "",
            "0",
            "leave",
            "sick",
            "0",
            "0",
            "0",
            "0",
            "0",
            "",
        ],
        [
            "2002",
            "王芳",
            "Lotus",
            "2026-03-13",
            "day",
            "2026-03-13 08:30",
            "2026-03-13 17:30",
            "",
            "",
            "0",
            "absenteeism",
            "",
            "0",
            "0",
            "0",
            "0",
            "0",
            "AT-7",
        ],
        [
            "2003",
            '\'=HYPERLINK("x")',
            "Lotus",
            "2026-03-09",
            "day",
            "2026-03-09 08:30",
            "2026-03-09 17:30",
            "2026-03-09 08:30",
            "2026-03-09 17:30",
            "0",
            "present",
            "",
            "0",
            "0",
            "540",
            "0",
            "0",
            "",
        ],
    ]
    assert files.hours == tmp_path / "week-hours.csv"
    hours = list(csv.reader(io.StringIO(files.hours.read_text(encoding="utf-8-sig"))))
    assert tuple(hours[0]) == HOURS_HEADER
    assert hours[1][:8] == ["2002", "王芳", "Lotus", "2026-W11", "5", "1499", "24.98", "no"]
    assert hours[2][:8] == ["2003", '\'=HYPERLINK("x")', "Lotus", "2026-W11", "1", "540", "9.00", "no"]
    with desk.read() as session:
        assert (
            session.execute(
                select(func.count()).select_from(AuditLog).where(AuditLog.action == "attendance.export")
            ).scalar()
            == 1
        )


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_formula_looking_cells_are_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_plain_cells_are_left_alone():
    assert safe_cell("Lucía Pérez") == "Lucía Pérez" and safe_cell(21) == "21" and safe_cell(None) == ""


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 9, 8, 30, 59, 999999, tzinfo=ZONE),
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Madrid")),  # the hour that repeats
        datetime(999, 1, 2, 3, 4, tzinfo=ZONE),
    ],
)
def test_the_export_writes_times_to_the_minute_as_every_export_does(moment):
    assert minute_text(moment) == safe_cell(moment)
    assert minute_text(moment).endswith(f"{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}")


def test_clock_times_around_the_clocks_going_back_are_written_in_the_centres_time(
    make_desk, clock, actor_of, make_squad, make_staff, tmp_path
):  # rule: AT-5
    madrid = parse_policy('[centre]\ntimezone = "Europe/Madrid"\n')
    desk = make_desk(policy=madrid)
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    night = date(2026, 10, 24)  # 17:30 to 01:00; at 03:00 on the 25th the clocks go back to 02:00
    times = {  # UTC in, UTC out: what the file shows
        "3001": (datetime(2026, 10, 24, 15, 29, 59, 500000, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        "3002": (datetime(2026, 10, 24, 15, 25, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, 59, tzinfo=UTC)),
        "3003": (datetime(2026, 10, 24, 15, 30, 1, tzinfo=UTC), datetime(2026, 10, 25, 2, 0, 30, tzinfo=UTC)),
    }
    agents = {number: make_staff(squad=squad, employee_number=number) for number in times}
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        for number, (came, left) in times.items():
            roster = RosterEntry(staff_id=agents[number].id, work_date=night, shift_id=shifts["night"])
            session.add(roster)
            session.flush()
            status = AttendanceStatus.PRESENT
            session.add(
                Attendance(
                    staff_id=agents[number].id, roster_id=roster.id, clock_in=came, clock_out=left, status=status
                )
            )
    clock.set(datetime(2026, 10, 26, 9, tzinfo=UTC))
    out = tmp_path / "week.csv"
    export_attendance(desk, actor_of(leader), "2026-W43", out=out)
    lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[1:]
    columns = [ATTENDANCE_HEADER.index(name) for name in ("clock_in", "clock_out", "minutes_overtime")]
    assert [[line[0], *(line[c] for c in columns)] for line in lines] == [
        ["3001", "2026-10-24 17:29", "2026-10-25 02:30", "90"],  # summer time
        ["3002", "2026-10-24 17:25", "2026-10-25 02:30", "150"],  # the same 02:30 an hour later, winter time
        ["3003", "2026-10-24 17:30", "2026-10-25 03:00", "180"],
    ]


def test_agents_may_not_see_the_week_and_leaders_see_their_own_squad(
    desk, actor_of, make_squad, make_staff, week_built
):
    squad, leader, wang, _ = week_built
    with pytest.raises(PermissionDenied):  # rule: AT-5
        attendance.week(desk, actor_of(wang), "2026-W11")
    other_squad = make_squad("Orchid")
    other = make_staff(role=Role.SQUAD_LEADER, squad=other_squad)
    with pytest.raises(PermissionDenied, match="own squad"):
        attendance.week(desk, actor_of(other), "2026-W11", squad.id)
    assert attendance.week(desk, actor_of(other), "2026-W11").rows == ()
    director = make_staff(role=Role.CENTRE_DIRECTOR)
    assert len(attendance.week(desk, actor_of(director), "2026-W11").rows) == 6


@pytest.mark.parametrize("text", ["2026-47", "W47", "2026-W99", ""])
def test_a_bad_week_names_the_field(desk, actor_of, week_built, text):
    _, leader, _, _ = week_built
    with pytest.raises(InvalidInput) as refused:
        attendance.week(desk, actor_of(leader), text)
    assert refused.value.field == "iso_week"


def test_shifts_not_started_have_no_status_yet(desk, clock, actor_of, week_built):
    _, leader, _, _ = week_built
    clock.set(local(d(2), 12))
    rows = attendance.week(desk, actor_of(leader), "2026-W11").rows
    assert [r.status for r in rows if r.name == "王芳"][3:] == [None, None]


def test_clock_in_out_and_away(desk, clock, actor_of, make_squad, make_staff):
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    agent = make_staff(squad=squad)
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        session.add(RosterEntry(staff_id=agent.id, work_date=d(1), shift_id=shifts["night"]))
    me = actor_of(agent)
    clock.set(local(d(1), 12))
    with pytest.raises(ServiceError, match="not rostered"):
        attendance.clock_in(desk, me)
    clock.set(local(d(1), 17, 41))
    result = attendance.clock_in(desk, me)
    assert (result.status, result.minutes_late) == (AttendanceStatus.LATE, 11)  # rule: AT-2
    with pytest.raises(ServiceError, match="already clocked in"):
        attendance.clock_in(desk, me)

    with pytest.raises(PermissionDenied):  # rule: AT-3, no self-permission
        attendance.start_away(desk, me, permitted=True)
    clock.set(local(d(1), 20))
    attendance.start_away(desk, me)
    clock.advance(minutes=21)
    back = attendance.end_away(desk, me)
    assert back.minutes == 21 and back.decision.outcome.value == "violation"  # rule: AT-3
    attendance.start_away(desk, actor_of(leader), agent.id, permitted=True)
    clock.advance(minutes=40)
    assert attendance.end_away(desk, actor_of(leader), agent.id).decision.ok

    clock.set(local(d(2), 1, 30))
    out = attendance.clock_out(desk, me)
    assert out.decision.rule_ids == ("SC-3",) and "30 minutes" in out.decision.reason
