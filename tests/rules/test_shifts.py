from datetime import date, datetime, timedelta

from csdesk.policy import parse_policy
from csdesk.rules.decision import Outcome
from csdesk.rules.shifts import (
    check_consecutive_days,
    check_overtime,
    check_roll_call_lead,
    check_roll_call_open,
    covers,
    next_shift,
    roll_call_time,
    shift_at,
    shift_window,
)
from csdesk.rules.vocab import ShiftKind

from .conftest import at, day_shift, night_shift


def test_sc_1_day_shift_runs_0830_to_1730_same_day():
    w = day_shift(date(2026, 3, 3))
    assert (w.start, w.end) == (at(2026, 3, 3, 8, 30), at(2026, 3, 3, 17, 30))


def test_sc_1_night_shift_ends_next_calendar_day_but_belongs_to_the_start_day():
    w = night_shift(date(2026, 3, 31))
    assert w.day == date(2026, 3, 31)
    assert (w.start, w.end) == (at(2026, 3, 31, 17, 30), at(2026, 4, 1, 1, 0))


def test_sc_1_shift_at_half_past_midnight_is_last_nights_shift(policy):
    running = shift_at(at(2026, 4, 1, 0, 30), policy)
    assert running is not None and running.kind is ShiftKind.NIGHT and running.day == date(2026, 3, 31)


def test_sc_1_between_shifts_nothing_runs_and_the_next_is_the_day_shift(policy):
    assert shift_at(at(2026, 4, 1, 1, 0), policy) is None  # the night shift's end is exclusive
    assert next_shift(at(2026, 4, 1, 3, 0), policy) == day_shift(date(2026, 4, 1))


def test_sc_1_a_policy_can_move_the_shifts():
    # Centre 002 works 09:00-18:00.
    moved = parse_policy('[shifts.day]\nstart = "09:00"\nend = "18:00"\n')
    assert next_shift(at(2026, 4, 1, 3, 0), moved).start == at(2026, 4, 1, 9, 0)


def test_sc_2_six_days_in_a_row_is_fine_seven_is_flagged(policy):
    six = [date(2026, 3, 1) + timedelta(days=i) for i in range(6)]
    assert check_consecutive_days(six, policy).outcome is Outcome.ALLOWED
    seven = six + [date(2026, 3, 7)]
    decision = check_consecutive_days(seven, policy)
    assert decision.outcome is Outcome.VIOLATION
    assert "7 days in a row from 2026-03-01" in decision.reason


def test_sc_2_a_rest_day_breaks_the_run_across_a_month_boundary(policy):
    days = [date(2026, 2, 25) + timedelta(days=i) for i in range(6)] + [
        date(2026, 3, 4) + timedelta(days=i) for i in range(6)
    ]
    assert check_consecutive_days(days, policy).ok


def test_sc_3_staying_past_the_night_shift_is_overtime_not_a_violation():
    w = night_shift(date(2026, 3, 3))
    decision = check_overtime(w, at(2026, 3, 4, 1, 45))
    assert decision.outcome is Outcome.ALLOWED
    assert "45 minutes past the end of the shift recorded as overtime" in decision.reason


def test_sc_4_roll_call_is_ten_minutes_before_the_shift(policy):
    w = day_shift(date(2026, 3, 3))
    assert roll_call_time(w, policy) == at(2026, 3, 3, 8, 20)
    assert check_roll_call_lead(w, at(2026, 3, 3, 8, 20), policy).outcome is Outcome.ALLOWED
    missed = check_roll_call_lead(w, at(2026, 3, 3, 8, 21), policy)
    assert missed.outcome is Outcome.WARNING and "08:20" in missed.reason


def test_sc_4_night_roll_call(policy):
    w = night_shift(date(2026, 3, 3))
    assert roll_call_time(w, policy) == at(2026, 3, 3, 17, 20)


def test_whole_days_cover_the_shifts_that_belong_to_them(policy):  # rule: SC-1
    zone = policy.zone
    night_23 = shift_window(date(2026, 11, 23), ShiftKind.NIGHT, policy)
    night_24 = shift_window(date(2026, 11, 24), ShiftKind.NIGHT, policy)
    day_24 = datetime(2026, 11, 24, tzinfo=zone), datetime(2026, 11, 25, tzinfo=zone)
    assert not covers(*day_24, night_23, zone)
    assert covers(*day_24, night_24, zone)
    # Leaving part of a shift covers it, also after midnight.
    assert covers(datetime(2026, 11, 24, 0, 30, tzinfo=zone), day_24[1], night_23, zone)
    assert covers(
        datetime(2026, 11, 23, 18, 0, tzinfo=zone), datetime(2026, 11, 23, 23, 0, tzinfo=zone), night_23, zone
    )
    # Ending exactly when the shift starts covers nothing.
    assert not covers(datetime(2026, 11, 23, tzinfo=zone), night_23.start, night_23, zone)


def test_the_roll_call_takes_marks_from_an_hour_before_the_shift_until_it_ends(policy):  # rule: AT-1, SC-4
    window = day_shift(date(2026, 3, 3))
    assert not check_roll_call_open(window, at(2026, 3, 3, 7, 29), policy).ok
    assert check_roll_call_open(window, at(2026, 3, 3, 7, 30), policy).ok
    assert check_roll_call_open(window, at(2026, 3, 3, 17, 29), policy).ok
    refused = check_roll_call_open(window, at(2026, 3, 3, 22, 55), policy)
    assert not refused.ok and "17:30" in refused.reason and refused.rule_ids == ("AT-1",)
