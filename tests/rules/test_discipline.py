from csdesk.rules.decision import Outcome
from csdesk.rules.discipline import check_escalation, check_memo, duty_leader_lateness, next_escalation
from csdesk.rules.vocab import Role

AGENT, SL, DD, CD = Role.AGENT, Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR


def test_tk_11_ds_1_escalation_goes_one_level_at_a_time():
    assert check_escalation(AGENT, SL).ok
    skipped = check_escalation(AGENT, DD)
    assert skipped.outcome is Outcome.REFUSED and "escalate to the squad leader first" in skipped.reason
    assert check_escalation(SL, AGENT).outcome is Outcome.REFUSED
    assert next_escalation(DD) is CD and next_escalation(CD) is None


def test_tk_11_ds_1_emergency_may_skip_and_records_whom_to_inform():
    d = check_escalation(AGENT, CD, emergency=True)
    assert d.ok and d.inform == (SL, DD)
    assert (
        d.reason
        == "emergency escalation to the centre director; inform the squad leader and the department director afterwards"
    )


def test_at_8_ds_3_duty_leader_warned_first_then_replaced(policy):
    first = duty_leader_lateness(0, policy)
    assert first.outcome is Outcome.WARNING and first.rule_ids == ("AT-8", "DS-3")
    second = duty_leader_lateness(1, policy)
    assert second.outcome is Outcome.VIOLATION and "replace the duty leader" in second.reason


def test_ds_4_memo_entry_says_something():
    assert check_memo("").outcome is Outcome.REFUSED
    assert check_memo("customers keep asking about invoices").ok
