import pytest

from csdesk.rules.decision import Outcome
from csdesk.rules.staff import (
    Action,
    InternProgress,
    can,
    check_archive,
    check_emergency_contact,
    check_intern_conversion,
    check_registration,
    check_remove_staff,
    check_typing_test,
)
from csdesk.rules.vocab import Grade, Role, StaffStatus


def test_st_1_staff_are_archived_never_deleted():
    assert check_remove_staff().outcome is Outcome.REFUSED
    assert check_archive(StaffStatus.FORMAL).ok
    assert check_archive(StaffStatus.LEFT).outcome is Outcome.REFUSED


def test_st_1_registration_needs_a_verified_real_name_and_number():
    assert check_registration("", "E001", True).outcome is Outcome.REFUSED
    assert check_registration("李娜", "E001", False).outcome is Outcome.NEEDS_APPROVAL
    assert check_registration("李娜", "E001", True).ok


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (Role.AGENT, Action.APPROVE_LEAVE, False),
        (Role.SQUAD_LEADER, Action.APPROVE_LEAVE, True),
        (Role.DEPUTY_LEADER, Action.RUN_ROLL_CALL, True),
        (Role.AGENT, Action.RUN_ROLL_CALL, False),
        (Role.SQUAD_LEADER, Action.RECORD_FINE, True),
        (Role.INSPECTOR, Action.RECORD_FINE, False),
        (Role.SQUAD_LEADER, Action.CHANGE_ROSTER, True),
        (Role.AGENT, Action.EXPORT_CUSTOMER_DATA, False),
        (Role.DEPUTY_LEADER, Action.SEE_UNMASKED_CONTACT, True),
        (Role.SQUAD_LEADER, Action.APPROVE_SWAP, True),
        (Role.SQUAD_LEADER, Action.RECORD_SPENDING, False),
        (Role.DEPARTMENT_DIRECTOR, Action.RECORD_SPENDING, True),
        (Role.INSPECTOR, Action.RECORD_QA_SAMPLE, True),
        (Role.AGENT, Action.WRITE_HANDOVER, True),
        (Role.AGENT, Action.SEE_FUND, True),
    ],
)
def test_st_2_permissions_follow_roles(role, action, allowed):
    decision = can(role, action)
    assert decision.ok is allowed
    assert "ST-2" in decision.rule_ids


def test_st_2_refusal_names_who_may():
    assert can(Role.AGENT, Action.RECORD_SPENDING).reason == (
        "only a department director, centre director may record fund spending"
    )


def test_st_2_every_action_has_a_rule():
    for action in Action:
        assert len(can(Role.CENTRE_DIRECTOR, action).rule_ids) == 2


@pytest.mark.parametrize(
    ("grade", "cpm", "ok"),
    [
        (Grade.JUNIOR, 30, True),
        (Grade.JUNIOR, 29, False),
        (Grade.INTERMEDIATE, 50, True),
        (Grade.INTERMEDIATE, 49, False),
    ],
)
def test_st_3_typing_test_bars(policy, grade, cpm, ok):
    d = check_typing_test(grade, cpm, policy)
    assert d.outcome is (Outcome.ALLOWED if ok else Outcome.WARNING)


def test_st_4_intern_converts_after_40_hours_two_check_ins_and_a_summary(policy):
    assert check_intern_conversion(InternProgress(40, 2, True), policy).ok
    assert check_intern_conversion(InternProgress(40, 2, False), policy).outcome is Outcome.REFUSED
    short = check_intern_conversion(InternProgress(39.5, 2, True), policy)
    assert short.outcome is Outcome.REFUSED and "39.5 of 40 hours" in short.reason


def test_st_4_early_conversion_needs_recommendation_then_head_approval(policy):
    recommended = check_intern_conversion(InternProgress(20, 1, True, leader_recommended=True), policy)
    assert recommended.outcome is Outcome.NEEDS_APPROVAL and recommended.approvers == (Role.DEPARTMENT_DIRECTOR,)
    approved = InternProgress(20, 1, True, leader_recommended=True, head_approved=True)
    assert check_intern_conversion(approved, policy).ok


def test_st_5_formal_staff_leave_an_emergency_contact():
    assert check_emergency_contact("13812345678", "", StaffStatus.FORMAL).outcome is Outcome.WARNING
    assert check_emergency_contact("", "", StaffStatus.INTERN).ok
    assert check_emergency_contact("13812345678", "1 Road", StaffStatus.FORMAL).ok
