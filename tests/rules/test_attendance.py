from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from csdesk.rules.attendance import (
    AttendanceRecord,
    AwayPeriod,
    LeaveOnFile,
    check_away,
    check_weekly_hours,
    classify_arrival,
    classify_attendance,
    weekly_minutes,
)
from csdesk.rules.decision import Outcome
from csdesk.rules.vocab import AttendanceStatus, Role

from .conftest import SHIPPED, at, day_shift, night_shift

DAY = day_shift(date(2026, 3, 3))
NIGHT = night_shift(date(2026, 3, 3))


def test_at_1_at_2_on_time_is_present(policy):
    arrival = classify_arrival(DAY, at(2026, 3, 3, 8, 30), policy)
    assert arrival.status is AttendanceStatus.PRESENT and arrival.minutes_late == 0


def test_at_2_exactly_twenty_minutes_late_is_late(policy):
    arrival = classify_arrival(DAY, at(2026, 3, 3, 8, 50), policy)
    assert arrival.status is AttendanceStatus.LATE and arrival.minutes_late == 20
    assert arrival.decision.outcome is Outcome.WARNING


def test_at_2_twenty_one_minutes_late_is_absenteeism(policy):
    arrival = classify_arrival(DAY, at(2026, 3, 3, 8, 51), policy)
    assert arrival.status is AttendanceStatus.ABSENTEEISM and arrival.minutes_late == 21
    assert arrival.decision.outcome is Outcome.VIOLATION and arrival.decision.rule_ids == ("AT-2",)


def test_at_2_one_second_over_the_limit_counts_as_a_started_minute(policy):
    arrival = classify_arrival(DAY, at(2026, 3, 3, 8, 50, 1), policy)
    assert arrival.status is AttendanceStatus.ABSENTEEISM and arrival.minutes_late == 21


def test_at_2_night_shift_lateness_across_midnight(policy):
    assert classify_arrival(NIGHT, at(2026, 3, 3, 17, 50), policy).status is AttendanceStatus.LATE
    after_midnight = classify_arrival(NIGHT, at(2026, 3, 4, 0, 10), policy)
    assert after_midnight.status is AttendanceStatus.ABSENTEEISM and after_midnight.minutes_late == 400


def test_at_2_leave_asked_before_the_shift_keeps_a_long_lateness_from_absenteeism(policy):
    asked = LeaveOnFile(asked_at=at(2026, 3, 3, 8, 29), approved=False)
    arrival = classify_arrival(DAY, at(2026, 3, 3, 9, 30), policy, asked)
    assert arrival.status is AttendanceStatus.LATE and arrival.decision.outcome is Outcome.WARNING
    asked_late = LeaveOnFile(asked_at=at(2026, 3, 3, 8, 30), approved=False)
    assert classify_arrival(DAY, at(2026, 3, 3, 9, 30), policy, asked_late).status is AttendanceStatus.ABSENTEEISM


def test_at_7_absent_without_leave_is_absenteeism(policy):
    arrival = classify_arrival(DAY, None, policy)
    assert arrival.status is AttendanceStatus.ABSENTEEISM and arrival.decision.rule_ids == ("AT-7",)


def test_at_7_approved_leave_is_leave_and_pending_leave_is_absent(policy):
    approved = LeaveOnFile(asked_at=at(2026, 3, 1, 9), approved=True)
    assert classify_arrival(DAY, None, policy, approved).status is AttendanceStatus.LEAVE
    pending = LeaveOnFile(asked_at=at(2026, 3, 1, 9), approved=False)
    assert classify_arrival(DAY, None, policy, pending).status is AttendanceStatus.ABSENT


_RANK = {
    AttendanceStatus.PRESENT: 0,
    AttendanceStatus.LATE: 1,
    AttendanceStatus.ABSENTEEISM: 2,
}


@given(st.integers(-60, 600), st.integers(0, 600), st.booleans())
def test_at_2_a_later_arrival_never_classifies_better(first, extra, asked):
    # rule: AT-2
    leave = LeaveOnFile(asked_at=at(2026, 3, 3, 7), approved=False) if asked else None
    earlier = classify_arrival(NIGHT, NIGHT.start + timedelta(minutes=first), SHIPPED, leave)
    later = classify_arrival(NIGHT, NIGHT.start + timedelta(minutes=first + extra), SHIPPED, leave)
    assert _RANK[later.status] >= _RANK[earlier.status]
    assert later.minutes_late >= earlier.minutes_late


def test_at_3_twenty_minutes_away_without_permission_is_a_warning(policy):
    d = check_away(AwayPeriod(at(2026, 3, 3, 10), at(2026, 3, 3, 10, 20)), policy)
    assert d.outcome is Outcome.WARNING


def test_at_3_twenty_one_minutes_away_without_permission_is_a_violation(policy):
    d = check_away(AwayPeriod(at(2026, 3, 3, 10), at(2026, 3, 3, 10, 21)), policy)
    assert d.outcome is Outcome.VIOLATION and "21 minutes" in d.reason


def test_at_3_permission_makes_any_absence_from_the_post_fine(policy):
    assert check_away(AwayPeriod(at(2026, 3, 3, 10), at(2026, 3, 3, 12), permitted=True), policy).ok


def test_at_5_attendance_record_for_the_weekly_export(policy):
    record = AttendanceRecord(
        window=NIGHT,
        clock_in=at(2026, 3, 3, 17, 35),
        clock_out=at(2026, 3, 4, 1, 30),
        away=(
            AwayPeriod(at(2026, 3, 3, 20), at(2026, 3, 3, 20, 25)),
            AwayPeriod(at(2026, 3, 3, 22), at(2026, 3, 3, 22, 30), permitted=True),
        ),
    )
    summary = classify_attendance(record, policy)
    assert summary.status is AttendanceStatus.LATE
    assert summary.minutes_late == 5
    assert summary.minutes_away == 25
    assert summary.minutes_overtime == 30  # SC-3: recorded, not a violation
    assert summary.minutes_worked == 7 * 60 + 55 - 25
    assert summary.violations == ("AT-3",)
    assert "away 25 minutes without permission" in summary.reason


def test_at_5_absent_record_works_no_minutes(policy):
    summary = classify_attendance(AttendanceRecord(window=DAY, clock_in=None), policy)
    assert summary.status is AttendanceStatus.ABSENTEEISM
    assert summary.violations == ("AT-7",) and summary.minutes_worked == 0


def test_at_4_weekly_hours_at_the_minimum_pass_one_minute_short_needs_the_director(policy):
    assert check_weekly_hours(30 * 60, policy).ok
    short = check_weekly_hours(30 * 60 - 1, policy)
    assert short.outcome is Outcome.NEEDS_APPROVAL and short.approvers == (Role.DEPARTMENT_DIRECTOR,)
    assert "29 h 59 min of 30 h 00 min" in short.reason
    assert check_weekly_hours(10 * 60, policy, reason_approved=True).outcome is Outcome.WARNING


def test_at_4_night_shift_hours_count_in_the_week_the_shift_started(policy):
    sunday_night = night_shift(date(2026, 3, 8))
    summary = classify_attendance(AttendanceRecord(sunday_night, sunday_night.start, sunday_night.end), policy)
    rows = [(sunday_night.day, summary)]
    assert weekly_minutes(rows, date(2026, 3, 2)) == 450
    assert weekly_minutes(rows, date(2026, 3, 9)) == 0


def test_at_2_arrival_given_in_utc_is_judged_on_the_centre_clock(policy):
    # 00:51 UTC is 08:51 in Shanghai: 21 minutes late for the day shift.
    from datetime import UTC, datetime

    arrival = classify_arrival(DAY, datetime(2026, 3, 3, 0, 51, tzinfo=UTC), policy)
    assert arrival.status is AttendanceStatus.ABSENTEEISM and arrival.minutes_late == 21


def test_at_2_night_shift_across_a_daylight_saving_change_counts_real_minutes():
    from csdesk.policy import parse_policy
    from csdesk.rules.shifts import shift_window
    from csdesk.rules.vocab import ShiftKind

    madrid = parse_policy('[centre]\ntimezone = "Europe/Madrid"\n')
    # Clocks go back at 03:00 on 25 October 2026; the night shift still ends at 01:00.
    night = shift_window(date(2026, 10, 24), ShiftKind.NIGHT, madrid)
    record = AttendanceRecord(night, night.start, night.end + timedelta(hours=3))
    summary = classify_attendance(record, madrid)
    assert summary.minutes_overtime == 4 * 60  # 01:00 to 04:00 wall clock, 4 real hours


_LEAVE = {
    "none": None,
    "approved": LeaveOnFile(asked_at=at(2026, 3, 1, 9), approved=True),
    "asked before": LeaveOnFile(asked_at=at(2026, 3, 3, 8), approved=False),
    "asked after": LeaveOnFile(asked_at=at(2026, 3, 3, 12), approved=False),
}


def _seconds(low: int, high: int) -> st.SearchStrategy[int]:
    """Seconds, often whole minutes: the limits (20 minutes late, 20 away) sit on them."""
    return st.integers(low // 60, high // 60).map(lambda m: 60 * m) | st.integers(low, high)


@given(
    st.none() | _seconds(-5400, 36000),
    st.none() | _seconds(0, 50000),
    st.sampled_from(sorted(_LEAVE)),
    st.lists(st.tuples(_seconds(0, 30000), _seconds(-60, 3600), st.booleans(), st.booleans()), max_size=3),
)
def test_at_5_the_exported_figures_are_the_ones_the_reasons_explain(arrived, stayed, leave, away):
    # rule: AT-5. The export writes shift_figures; the attendance screen shows
    # classify_attendance's decisions: both must tell the same story.
    from datetime import UTC

    from csdesk.rules.attendance import shift_figures
    from csdesk.rules.shifts import ShiftWindow

    clock_in = None if arrived is None else DAY.start + timedelta(seconds=arrived)
    clock_out = None if clock_in is None or stayed is None else clock_in + timedelta(seconds=stayed)
    periods = tuple(
        AwayPeriod(DAY.start + timedelta(seconds=s), DAY.start + timedelta(seconds=s + length), permitted, on_break)
        for s, length, permitted, on_break in away
    )
    summary = classify_attendance(AttendanceRecord(DAY, clock_in, clock_out, _LEAVE[leave], periods), SHIPPED)
    assert summary.violations == tuple(d.rule_ids[0] for d in summary.decisions if d.outcome is Outcome.VIOLATION)
    assert summary.status is classify_arrival(DAY, clock_in, SHIPPED, _LEAVE[leave]).status
    # The same shift given in UTC, as the weekly export gives it, is judged the same.
    in_utc = ShiftWindow(DAY.kind, DAY.day, DAY.start.astimezone(UTC), DAY.end.astimezone(UTC))
    figures = shift_figures(in_utc, clock_in and clock_in.astimezone(UTC), clock_out, _LEAVE[leave], periods, SHIPPED)
    assert figures == (
        summary.status,
        summary.minutes_late,
        summary.minutes_away,
        summary.minutes_worked,
        summary.minutes_overtime,
        summary.violations,
        summary.minutes_early,
        summary.minutes_break,
    )


def test_at_2_the_exported_figures_count_a_started_minute_late_from_the_first_second():
    # rule: AT-2. Arriving on the second the shift starts is on time, one second after it a minute late.
    from datetime import UTC

    from csdesk.rules.attendance import shift_figures
    from csdesk.rules.shifts import ShiftWindow

    in_utc = ShiftWindow(DAY.kind, DAY.day, DAY.start.astimezone(UTC), DAY.end.astimezone(UTC))
    found = [
        shift_figures(in_utc, in_utc.start + timedelta(seconds=seconds), None, None, (), SHIPPED)[:2]
        for seconds in (-60, 0, 1, 60, 61)
    ]
    present, late = AttendanceStatus.PRESENT, AttendanceStatus.LATE
    assert found == [(present, 0), (present, 0), (late, 1), (late, 1), (late, 2)]


def test_at_9_leaving_before_the_shift_ends_is_flagged_and_a_break_is_not_worked():
    # rule: AT-9, AT-3, SC-3
    from csdesk.rules.attendance import check_left_early

    assert check_left_early(DAY, DAY.end).ok
    early = check_left_early(DAY, DAY.end - timedelta(minutes=1))
    assert early.outcome is Outcome.VIOLATION and early.rule_ids == ("AT-9",) and "1 minutes" in early.reason
    lunch = AwayPeriod(DAY.start + timedelta(hours=4), DAY.start + timedelta(hours=5), on_break=True)
    summary = classify_attendance(
        AttendanceRecord(DAY, DAY.start, DAY.end - timedelta(minutes=30), None, (lunch,)), SHIPPED
    )
    # 9 h shift, left 30 minutes early, one hour's break: 7 h 30 worked; a break is no AT-3 matter.
    assert (summary.minutes_worked, summary.minutes_break, summary.minutes_early) == (450, 60, 30)
    assert summary.violations == ("AT-9",) and summary.minutes_away == 0
    stayed = classify_attendance(AttendanceRecord(DAY, DAY.start, DAY.end + timedelta(minutes=45)), SHIPPED)
    assert (stayed.minutes_overtime, stayed.minutes_early, stayed.violations) == (45, 0, ())
