"""SC-5, TK-17: when each recurring duty falls, who marks it done, what one mark covers."""

from datetime import date

import pytest

from csdesk.rules.calendar import DutyStatus, duty_status, occurrences
from csdesk.rules.decision import Outcome
from csdesk.rules.duties import check_mark_done, done_key, period_start
from csdesk.rules.vocab import Role

from .conftest import ZONE, at


def _duty(policy, duty_id):
    return next(d for d in policy.duties if d.id == duty_id)


def _on(policy, duty_id, start, end):
    return [o.at for o in occurrences(policy, start, end) if o.duty_id == duty_id]


@pytest.mark.parametrize(
    ("month", "meeting_day", "weekday_of_25th"),
    [
        ((2026, 4), 24, "Saturday"),  # 25 April 2026 is a Saturday: the day before
        ((2026, 10), 23, "Sunday"),  # 25 October 2026 is a Sunday: two days before
        ((2026, 12), 18, "Friday"),  # 25 December 2026 is a Friday: a week before, not that day
        ((2027, 1), 22, "Monday"),
    ],
)
def test_sc_5_all_hands_on_the_friday_before_the_25th(policy, month, meeting_day, weekday_of_25th):
    year, number = month
    assert date(year, number, 25).strftime("%A") == weekday_of_25th
    assert _on(policy, "all-hands", date(year, number, 1), date(year, number, 28)) == [
        at(year, number, meeting_day, 16)
    ]


def test_sc_5_quality_report_due_before_the_22nd_every_month_including_february(policy):
    assert _on(policy, "quality-report", date(2027, 1, 1), date(2027, 3, 31)) == [
        at(2027, 1, 21, 17, 30),
        at(2027, 2, 21, 17, 30),
        at(2027, 3, 21, 17, 30),
    ]


def test_sc_5_return_visit_summary_at_monday_18_00_exactly_is_due_and_a_second_later_overdue(policy):
    summary = next(
        o for o in occurrences(policy, date(2026, 3, 9), date(2026, 3, 9)) if o.duty_id == "return-visit-summary"
    )
    assert summary.at == at(2026, 3, 9, 18)
    assert duty_status(summary, at(2026, 3, 9, 18, 0, 0)) is DutyStatus.DUE
    assert duty_status(summary, at(2026, 3, 9, 18, 0, 1)) is DutyStatus.OVERDUE


def test_tk_17_daily_reports_fall_on_the_last_day_of_the_month_and_the_first_of_the_next(policy):
    assert _on(policy, "workload-report", date(2026, 3, 31), date(2026, 4, 1)) == [
        at(2026, 3, 31, 17, 30),
        at(2026, 4, 1, 17, 30),
    ]
    assert _on(policy, "daily-quality-report", date(2026, 2, 28), date(2026, 3, 1)) == [
        at(2026, 2, 28, 17, 30),
        at(2026, 3, 1, 17, 30),
    ]


def test_sc_5_one_mark_covers_the_day_the_week_or_the_month():
    assert period_start("daily", date(2026, 3, 31)) == date(2026, 3, 31)
    assert period_start("weekly", date(2026, 3, 15)) == date(2026, 3, 9)  # Sunday -> its Monday
    assert period_start("weekly", date(2026, 3, 9)) == date(2026, 3, 9)
    assert period_start("weekly", date(2026, 4, 1)) == date(2026, 3, 30)  # a week across month end
    assert period_start("monthly", date(2026, 12, 31)) == date(2026, 12, 1)


def test_sc_5_the_handover_meeting_is_marked_per_shift_change(policy):
    meeting = _duty(policy, "handover-meeting")
    morning = done_key(meeting, at(2026, 3, 9, 8, 30), ZONE)
    evening = done_key(meeting, at(2026, 3, 9, 17, 30), ZONE)
    assert morning != evening and morning[1] == evening[1] == date(2026, 3, 9)
    assert done_key(_duty(policy, "workload-report"), at(2026, 3, 9, 17, 30), ZONE) == (
        "workload-report",
        date(2026, 3, 9),
    )


@pytest.mark.parametrize(
    ("duty_id", "keeper", "refused"),
    [
        ("workload-report", Role.SQUAD_LEADER, Role.INSPECTOR),  # TK-17: the shift leader's report
        ("workload-report", Role.DEPUTY_LEADER, Role.AGENT),
        ("daily-quality-report", Role.INSPECTOR, Role.SQUAD_LEADER),  # TK-17: the supervisor's
        ("quality-report", Role.INSPECTOR, Role.DEPARTMENT_DIRECTOR),
        ("monday-meeting", Role.DEPARTMENT_DIRECTOR, Role.SQUAD_LEADER),
        ("all-hands", Role.CENTRE_DIRECTOR, Role.INSPECTOR),
    ],
)
def test_sc_5_tk_17_only_the_keeper_marks_a_duty_done(policy, duty_id, keeper, refused):
    duty = _duty(policy, duty_id)
    when = now = at(2026, 3, 9, 17, 30)
    assert check_mark_done(duty, keeper, when, now, ZONE).ok
    decision = check_mark_done(duty, refused, when, now, ZONE)
    assert decision.outcome is Outcome.REFUSED
    assert set(duty.rule_ids) <= set(decision.rule_ids)
    assert keeper.value.replace("_", " ") in decision.reason


def test_sc_5_a_duty_is_not_marked_done_before_its_day(policy):
    report = _duty(policy, "workload-report")
    evening = at(2026, 3, 9, 17, 30)
    assert check_mark_done(report, Role.SQUAD_LEADER, evening, at(2026, 3, 9, 8, 0), ZONE).ok  # early, same day
    tomorrow = check_mark_done(report, Role.SQUAD_LEADER, at(2026, 3, 10, 17, 30), at(2026, 3, 9, 23, 59), ZONE)
    assert tomorrow.outcome is Outcome.REFUSED and tomorrow.rule_ids == ("TK-17",)
