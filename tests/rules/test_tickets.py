from datetime import timedelta

import pytest

from csdesk.rules.decision import Outcome
from csdesk.rules.tickets import (
    TimerKind,
    TimerStatus,
    back_office_timer,
    check_agent_number_marked,
    check_escalation_fields,
    check_ownership,
    check_transfer,
    check_unsolved_reply,
    greeting_script,
    return_visit_may_close,
    return_visit_timer,
    sla_timers,
    timer_state,
)
from csdesk.rules.vocab import Category, Channel, Role

from .conftest import SHIPPED, at

T = at(2026, 3, 9, 10, 0)


def kinds(channel, category=Category.INQUIRY, received=T, **kw):
    return {t.kind: t for t in sla_timers(channel, category, received, SHIPPED, **kw)}


def test_tk_1_each_channel_starts_its_own_timer():
    assert set(kinds(Channel.CHAT)) == {TimerKind.CHAT_GREETING}
    assert set(kinds(Channel.FORUM)) == {TimerKind.FORUM_ANSWER}
    assert set(kinds(Channel.EMAIL)) == {TimerKind.EMAIL_ANSWER}
    assert set(kinds(Channel.PHONE)) == set()


def test_tk_2_tk_4_a_complaint_is_dispatched_within_60_minutes_on_any_channel():
    timer = kinds(Channel.PHONE, Category.COMPLAINT)[TimerKind.COMPLAINT_DISPATCH]
    assert timer.due_at == at(2026, 3, 9, 11, 0) and timer.rule_id == "TK-4"


def test_tk_3_phone_greeting_names_the_agent_number():
    assert greeting_script(1024) == "Hello, agent No. 1024 speaking, how can I help?"


def test_tk_5_back_office_answers_within_24_working_hours(policy):
    # Monday 10:00: 8 h that day, 9 h on Tuesday, the last 7 h on Wednesday (09:00-18:00).
    assert back_office_timer(T, policy).due_at == at(2026, 3, 11, 16, 0)


def test_tk_5_round_the_clock_when_the_policy_leaves_it_out_of_working_hours(policy):
    always = policy.model_copy(update={"working_hours": policy.working_hours.model_copy(update={"rules": []})})
    assert back_office_timer(T, always).due_at == at(2026, 3, 10, 10, 0)


def test_tk_6_forum_within_10_minutes_or_by_the_promised_time():
    assert kinds(Channel.FORUM)[TimerKind.FORUM_ANSWER].due_at == at(2026, 3, 9, 10, 10)
    promised = at(2026, 3, 9, 15, 0)
    assert kinds(Channel.FORUM, promised_at=promised)[TimerKind.FORUM_ANSWER].due_at == promised


def test_tk_7_email_is_due_by_the_end_of_the_shift_it_arrived_in():
    assert kinds(Channel.EMAIL)[TimerKind.EMAIL_ANSWER].due_at == at(2026, 3, 9, 17, 30)
    # Arriving at 17:30 sharp it belongs to the night shift, which ends at 01:00.
    assert kinds(Channel.EMAIL, received=at(2026, 3, 9, 17, 30))[TimerKind.EMAIL_ANSWER].due_at == at(2026, 3, 10, 1, 0)
    # After midnight it is still the night shift of the day before.
    assert kinds(Channel.EMAIL, received=at(2026, 3, 10, 0, 59))[TimerKind.EMAIL_ANSWER].due_at == at(2026, 3, 10, 1, 0)
    # Between shifts it waits for the next day shift.
    assert kinds(Channel.EMAIL, received=at(2026, 3, 10, 3, 0))[TimerKind.EMAIL_ANSWER].due_at == at(
        2026, 3, 10, 17, 30
    )


def test_tk_8_return_visit_within_72_working_hours(policy):
    # 8 h on Monday, 9 h on each of the next seven working days (the weekend skipped), 1 h more.
    assert return_visit_timer(T, policy).due_at == at(2026, 3, 19, 10, 0)


def test_tk_8_close_after_three_failed_attempts_or_wrong_details(policy):
    assert return_visit_may_close(2, False, policy).outcome is Outcome.REFUSED
    assert return_visit_may_close(3, False, policy).ok
    assert return_visit_may_close(0, True, policy).ok


def test_tk_13_chat_greeting_due_in_30_seconds():
    assert kinds(Channel.CHAT)[TimerKind.CHAT_GREETING].due_at == T + timedelta(seconds=30)


@pytest.mark.parametrize(
    ("minutes_after", "status"),
    [
        (0, TimerStatus.OK),
        (47, TimerStatus.OK),
        (48, TimerStatus.DUE_SOON),
        (60, TimerStatus.DUE_SOON),
        (61, TimerStatus.BREACHED),
    ],
)
def test_tk_4_timer_state_at_now(policy, minutes_after, status):
    timer = kinds(Channel.PHONE, Category.COMPLAINT)[TimerKind.COMPLAINT_DISPATCH]
    state = timer_state(timer, T + timedelta(minutes=minutes_after), policy)
    assert state.status is status
    assert state.remaining == timedelta(minutes=60 - minutes_after)


def test_tk_4_breached_timer_says_how_late(policy):
    timer = kinds(Channel.PHONE, Category.COMPLAINT)[TimerKind.COMPLAINT_DISPATCH]
    state = timer_state(timer, at(2026, 3, 9, 12, 30), policy)
    assert str(state.decision) == "TK-4: complaint dispatch due 2026-03-09 11:00: overdue by 90 min"


def test_tk_6_stopped_timer_is_met_or_missed(policy):
    timer = kinds(Channel.FORUM)[TimerKind.FORUM_ANSWER]
    assert timer_state(timer, T, policy, stopped_at=at(2026, 3, 9, 10, 10)).status is TimerStatus.MET
    missed = timer_state(timer, T, policy, stopped_at=at(2026, 3, 9, 10, 11))
    assert missed.status is TimerStatus.MISSED and missed.decision.outcome is Outcome.VIOLATION


def test_tk_9_first_contact_owns_the_case_until_transferred():
    assert check_ownership(None, 5).ok
    assert check_ownership(5, 5).ok
    assert check_ownership(5, 6).outcome is Outcome.REFUSED
    assert check_transfer(5, 6, Role.AGENT, "covering").outcome is Outcome.REFUSED
    assert check_transfer(5, 9, Role.SQUAD_LEADER, "owner off sick").ok
    assert check_transfer(5, 5, Role.AGENT, "").outcome is Outcome.REFUSED


def test_tk_10_customer_is_told_why_before_waiting():
    assert check_unsolved_reply("").outcome is Outcome.REFUSED
    assert check_unsolved_reply("waiting for the billing team").ok


def test_tk_12_escalation_needs_description_and_contact():
    d = check_escalation_fields("refund stuck", " ")
    assert d.outcome is Outcome.REFUSED and d.reason == "an escalation must carry the customer's contact details"
    assert check_escalation_fields("refund stuck", "13812345678").ok


def test_tk_16_case_is_marked_with_the_agent_number():
    assert check_agent_number_marked(" ").outcome is Outcome.REFUSED
    assert check_agent_number_marked(1024).ok


def test_tk_4_timer_reads_in_centre_time_when_given_utc(policy):
    from datetime import UTC, datetime

    received = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    timer = sla_timers(Channel.PHONE, Category.COMPLAINT, received, policy)[0]
    state = timer_state(timer, datetime(2026, 3, 9, 2, 50, tzinfo=UTC), policy)
    assert state.status is TimerStatus.DUE_SOON
    assert str(state.decision) == "TK-4: complaint dispatch due 2026-03-09 11:00: 10 min left"
