"""Working-hours timers (TK-5, TK-8) and the resolution clock's pauses, at their boundaries."""

from datetime import date, timedelta

import pytest

from csdesk.policy import PolicyError, parse_policy
from csdesk.rules.decision import Outcome
from csdesk.rules.tickets import (
    TimerStatus,
    back_office_timer,
    counted_time,
    pause_credit,
    return_visit_timer,
    span_end,
    timer_state,
)
from csdesk.rules.worktime import add_working_time, working_calendar, working_time_between

from .conftest import SHIPPED, at


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def with_hours(**changes):
    return SHIPPED.model_copy(update={"working_hours": SHIPPED.working_hours.model_copy(update=changes)})


CALENDAR = working_calendar(SHIPPED)


# -- the calendar ----------------------------------------------------------------


def test_friday_evening_to_monday_skips_the_weekend():  # rule: TK-5
    # Friday 13 March, 17:00: one hour that evening, the second on Monday morning.
    assert add_working_time(at(2026, 3, 13, 17, 0), hours(2), CALENDAR) == at(2026, 3, 16, 10, 0)
    assert working_time_between(at(2026, 3, 13, 17, 0), at(2026, 3, 16, 10, 0), CALENDAR) == hours(2)


def test_a_span_ending_at_closing_time_ends_then_not_at_the_next_opening():  # rule: TK-5
    assert add_working_time(at(2026, 3, 13, 16, 0), hours(2), CALENDAR) == at(2026, 3, 13, 18, 0)
    # One minute more is the first minute of Monday.
    assert add_working_time(at(2026, 3, 13, 16, 0), hours(2) + timedelta(minutes=1), CALENDAR) == at(2026, 3, 16, 9, 1)


def test_time_outside_the_hours_waits_for_the_next_opening():  # rule: TK-5
    assert add_working_time(at(2026, 3, 14, 10, 0), hours(1), CALENDAR) == at(2026, 3, 16, 10, 0)  # Saturday
    assert add_working_time(at(2026, 3, 10, 7, 0), hours(1), CALENDAR) == at(2026, 3, 10, 10, 0)  # early
    assert add_working_time(at(2026, 3, 10, 23, 0), hours(1), CALENDAR) == at(2026, 3, 11, 10, 0)  # late


def test_a_due_time_landing_on_the_national_holiday_moves_past_it():  # rule: TK-5, LV-7
    # Wednesday 30 September 17:00 + 2 h: 1 h that day; 1-7 October are holidays
    # (the 4th a Sunday), so the second hour is Thursday the 8th.
    assert add_working_time(at(2026, 9, 30, 17, 0), hours(2), CALENDAR) == at(2026, 10, 8, 10, 0)


def test_holidays_that_fall_on_the_same_day_every_year_never_run_out():  # rule: TK-5
    # 2030 is beyond the dated list; 1 October is listed as an annual holiday.
    assert SHIPPED.holidays.is_holiday(date(2030, 10, 1))
    assert add_working_time(at(2030, 9, 30, 17, 0), hours(2), CALENDAR) == at(2030, 10, 4, 10, 0)


def test_holidays_count_when_the_policy_says_they_are_not_days_off():  # rule: TK-5
    open_on_holidays = working_calendar(with_hours(public_holidays_off=False))
    assert add_working_time(at(2026, 9, 30, 17, 0), hours(2), open_on_holidays) == at(2026, 10, 1, 10, 0)


def test_a_weekend_day_worked_in_lieu_is_a_working_day():  # rule: TK-5
    policy = parse_policy("[holidays]\nworking_dates = [2026-02-14]\n")  # a Saturday
    assert add_working_time(at(2026, 2, 13, 17, 0), hours(2), working_calendar(policy)) == at(2026, 2, 14, 10, 0)


def test_the_working_days_and_hours_come_from_the_policy():  # rule: TK-5
    policy = parse_policy(
        '[working_hours]\nweekdays = ["MO", "TU", "WE", "TH", "FR", "SA"]\nstart = "08:30"\nend = "12:30"\n'
    )
    assert add_working_time(at(2026, 3, 13, 12, 0), hours(1), working_calendar(policy)) == at(2026, 3, 14, 9, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[working_hours]\nstart = "18:00"\nend = "09:00"\n', "working_hours end must be later than start"),
        ("[working_hours]\nweekdays = []\n", "working_hours.weekdays must have at least 1 item(s)"),
        ('[working_hours]\nrules = ["TK-4"]\n', "working_hours.rules[0] must be one of 'TK-5' or 'TK-8', got 'TK-4'"),
        ('[holidays]\nannual = ["13-01"]\n', "holidays.annual[0] must be a month and day like 10-01, got '13-01'"),
        ('[centre]\nphone_region = "cn"\n', "centre.phone_region must be a two-letter country code like CN, got 'cn'"),
    ],
)
def test_a_broken_working_calendar_is_named_in_one_line(text, message):
    with pytest.raises(PolicyError) as caught:
        parse_policy(text)
    assert message in str(caught.value)


def test_only_the_timers_the_policy_names_count_working_time():  # rule: TK-5, TK-8
    assert counted_time(at(2026, 3, 13, 17, 0), at(2026, 3, 16, 10, 0), SHIPPED, "TK-5") == hours(2)
    assert counted_time(at(2026, 3, 13, 17, 0), at(2026, 3, 16, 10, 0), SHIPPED, "TK-4") == hours(65)
    only_visits = with_hours(rules=["TK-8"])
    assert span_end(at(2026, 3, 13, 17, 0), hours(24), only_visits, "TK-5") == at(2026, 3, 14, 17, 0)
    assert return_visit_timer(at(2026, 3, 13, 17, 0), only_visits).due_at == at(2026, 3, 25, 17, 0)


# -- pauses ------------------------------------------------------------------------


def test_a_pause_across_midnight_moves_the_due_time_by_the_working_time_it_took():  # rule: TK-5
    clock = back_office_timer(at(2026, 3, 9, 10, 0), SHIPPED)  # due Wednesday 16:00
    # Waiting for the customer from Tuesday 17:00 to Wednesday 10:00: 1 h that evening, 1 h that morning.
    credit = pause_credit(clock, at(2026, 3, 10, 17, 0), at(2026, 3, 11, 10, 0), SHIPPED)
    assert credit == hours(2)
    assert back_office_timer(at(2026, 3, 9, 10, 0), SHIPPED, paused=credit).due_at == at(2026, 3, 11, 18, 0)


def test_round_the_clock_a_pause_across_midnight_counts_whole():  # rule: TK-5
    always = with_hours(rules=[])
    clock = back_office_timer(at(2026, 3, 9, 10, 0), always)  # due Tuesday 10:00
    credit = pause_credit(clock, at(2026, 3, 9, 23, 30), at(2026, 3, 10, 0, 45), always)
    assert credit == timedelta(minutes=75)
    assert back_office_timer(at(2026, 3, 9, 10, 0), always, paused=credit).due_at == at(2026, 3, 10, 11, 15)


def test_a_pause_begun_once_the_clock_was_overdue_moves_nothing():  # rule: TK-5
    clock = back_office_timer(at(2026, 3, 9, 10, 0), SHIPPED)
    assert pause_credit(clock, clock.due_at, at(2026, 3, 12, 12, 0), SHIPPED) == timedelta(0)
    assert pause_credit(clock, clock.due_at - timedelta(minutes=1), at(2026, 3, 11, 17, 0), SHIPPED) == hours(
        1
    ) + timedelta(minutes=1)


def test_a_pause_counts_only_from_when_the_clock_started():  # rule: TK-5
    clock = back_office_timer(at(2026, 3, 10, 11, 0), SHIPPED)
    assert pause_credit(clock, at(2026, 3, 10, 9, 0), at(2026, 3, 10, 12, 0), SHIPPED) == hours(1)
    assert pause_credit(None, at(2026, 3, 10, 9, 0), at(2026, 3, 10, 12, 0), SHIPPED) == timedelta(0)


def test_a_paused_clock_keeps_the_time_it_had_left_whatever_the_hour():  # rule: TK-5
    clock = back_office_timer(at(2026, 3, 9, 10, 0), SHIPPED, paused_since=at(2026, 3, 11, 14, 0))
    for now in (at(2026, 3, 11, 15, 0), at(2026, 3, 20, 9, 0)):
        state = timer_state(clock, now, SHIPPED)
        assert state.status is TimerStatus.PAUSED and state.remaining == hours(2)
        assert state.decision.ok and "paused since 2026-03-11 14:00" in state.decision.reason


def test_a_clock_paused_after_its_due_time_says_it_is_overdue():  # rule: TK-5
    clock = back_office_timer(at(2026, 3, 9, 10, 0), SHIPPED, paused_since=at(2026, 3, 11, 17, 0))
    state = timer_state(clock, at(2026, 3, 12, 9, 0), SHIPPED)
    assert state.status is TimerStatus.PAUSED and state.remaining == -hours(1)
    assert state.decision.outcome is Outcome.VIOLATION and "overdue by 60 min" in state.decision.reason


def test_a_kept_promise_is_judged_on_the_moved_due_time():  # rule: TK-5
    clock = back_office_timer(at(2026, 3, 9, 10, 0), SHIPPED, paused=hours(3))  # due Thursday 10:00
    assert (
        timer_state(clock, at(2026, 3, 12, 9, 0), SHIPPED, stopped_at=at(2026, 3, 11, 18, 0)).status is TimerStatus.MET
    )
    assert (
        timer_state(clock, at(2026, 3, 12, 11, 0), SHIPPED, stopped_at=at(2026, 3, 12, 10, 1)).status
        is TimerStatus.MISSED
    )
