from datetime import date

from csdesk.rules.calendar import DutyStatus, duties_at, duty_status, occurrences

from .conftest import at


def _on(policy, duty_id, start, end):
    return [o.at for o in occurrences(policy, start, end) if o.duty_id == duty_id]


def test_sc_5_all_hands_is_the_friday_before_the_25th(policy):
    # 25 September 2026 is itself a Friday, so the meeting is on the 18th.
    assert _on(policy, "all-hands", date(2026, 9, 1), date(2026, 10, 31)) == [
        at(2026, 9, 18, 16),
        at(2026, 10, 23, 16),
    ]


def test_sc_5_quality_report_before_the_22nd(policy):
    assert _on(policy, "quality-report", date(2026, 12, 1), date(2027, 1, 31)) == [
        at(2026, 12, 21, 17, 30),
        at(2027, 1, 21, 17, 30),
    ]


def test_sc_5_monday_meeting_and_return_visit_summary(policy):
    assert _on(policy, "monday-meeting", date(2026, 3, 2), date(2026, 3, 15)) == [
        at(2026, 3, 2, 8),
        at(2026, 3, 9, 8),
    ]
    assert _on(policy, "return-visit-summary", date(2026, 3, 2), date(2026, 3, 8)) == [at(2026, 3, 2, 18)]


def test_sc_5_handover_meeting_at_each_shift_change(policy):
    assert _on(policy, "handover-meeting", date(2026, 3, 3), date(2026, 3, 3)) == [
        at(2026, 3, 3, 8, 30),
        at(2026, 3, 3, 17, 30),
    ]


def test_tk_17_daily_workload_report(policy):
    assert len(_on(policy, "workload-report", date(2026, 2, 27), date(2026, 3, 2))) == 4


def test_sc_5_due_within_the_reminder_window_and_overdue_after(policy):
    summary = next(
        o for o in occurrences(policy, date(2026, 3, 2), date(2026, 3, 2)) if o.duty_id == "return-visit-summary"
    )
    assert duty_status(summary, at(2026, 3, 2, 15, 59)) is DutyStatus.UPCOMING
    assert duty_status(summary, at(2026, 3, 2, 16, 0)) is DutyStatus.DUE
    assert duty_status(summary, at(2026, 3, 2, 18, 0)) is DutyStatus.DUE
    assert duty_status(summary, at(2026, 3, 2, 18, 1)) is DutyStatus.OVERDUE
    assert duty_status(summary, at(2026, 3, 2, 18, 1), done=True) is DutyStatus.DONE


def test_sc_5_what_is_due_at_now_leaves_out_what_was_done(policy):
    now = at(2026, 3, 2, 17, 45)
    listed = {(o.duty_id, s) for o, s, _ in duties_at(policy, now, look_back_days=0)}
    assert ("return-visit-summary", DutyStatus.DUE) in listed
    assert ("monday-meeting", DutyStatus.OVERDUE) in listed
    done = {("monday-meeting", at(2026, 3, 2, 8))}
    remaining = {o.duty_id for o, _, _ in duties_at(policy, now, done=done, look_back_days=0)}
    assert "monday-meeting" not in remaining
