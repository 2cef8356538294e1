from csdesk.rules.decision import Outcome
from csdesk.rules.handover import (
    check_handover_fields,
    check_handover_written,
    check_notices_read,
    check_open_emails,
    check_open_problems_carried,
    may_release_outgoing,
    receiving_shift,
)
from csdesk.rules.vocab import ShiftKind

from .conftest import at

COMPLETE = {
    "equipment": "all fine",
    "open_problems": ["#12 refund"],
    "complaints": "none",
    "personnel": ["Li", "Wang"],
}


def test_ho_1_every_required_part_of_the_log_is_filled():
    assert check_handover_fields(COMPLETE).ok
    d = check_handover_fields({**COMPLETE, "equipment": "  ", "personnel": []})
    assert d.outcome is Outcome.REFUSED
    assert "equipment condition, personnel handed over" in d.reason


def test_ho_2_unread_notices_are_shown():
    assert check_notices_read([1, 2], [1, 2]).ok
    d = check_notices_read([1, 2, 3], [2])
    assert d.outcome is Outcome.WARNING and d.reason.startswith("2 notice(s)")


def test_ho_3_at_9_outgoing_agent_stays_until_the_successor_acknowledges():
    d = may_release_outgoing(None)
    assert d.outcome is Outcome.REFUSED and d.rule_ids == ("HO-3", "AT-9")
    assert may_release_outgoing(at(2026, 3, 9, 17, 35)).ok
    named = may_release_outgoing(None, "No. 1111 张伟")
    assert not named.ok and named.reason.startswith("No. 1111 张伟 has not acknowledged")
    assert may_release_outgoing(at(2026, 3, 9, 17, 35), "No. 1111 张伟").ok


def test_ho_4_day_hands_to_night_and_night_writes_before_leaving():
    assert receiving_shift(ShiftKind.DAY) is ShiftKind.NIGHT
    assert receiving_shift(ShiftKind.NIGHT) is ShiftKind.DAY
    assert check_handover_written(ShiftKind.NIGHT, at(2026, 3, 10, 1, 0), at(2026, 3, 10, 1, 0)).ok
    late = check_handover_written(ShiftKind.NIGHT, at(2026, 3, 10, 1, 1), at(2026, 3, 10, 1, 0))
    assert late.outcome is Outcome.VIOLATION and "night shift must write its handover to the day shift" in late.reason


def test_ho_6_open_problems_are_carried_until_solved():
    assert check_open_problems_carried({1, 2, 3}, resolved={1}, carried={2, 3}).ok
    d = check_open_problems_carried({1, 2, 3}, resolved={1}, carried={2})
    assert d.outcome is Outcome.REFUSED and d.reason.startswith("1 open problem(s)")


def test_ho_7_every_open_email_is_warned_about():
    assert check_open_emails([]).ok
    d = check_open_emails([5, 6])
    assert d.outcome is Outcome.WARNING and d.reason == "2 email(s) still unprocessed at handover"
