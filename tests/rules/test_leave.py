from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from csdesk.policy import parse_policy
from csdesk.rules.decision import Outcome
from csdesk.rules.leave import (
    LeaveRequest,
    approval_chain,
    certificate_deadline,
    check_approval_step,
    check_certificate,
    check_certificate_handed,
    check_certificate_overdue,
    evaluate_leave,
    takes_effect,
)
from csdesk.rules.vocab import LeaveType, Role

from .conftest import SHIPPED, at, day_shift, night_shift

SL, DD, CD = Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR
MON = date(2026, 3, 9)


def request(kind=LeaveType.PERSONAL, filed_at=None, shifts=None, **extra):
    shifts = shifts or (day_shift(MON),)
    return LeaveRequest(
        type=kind,
        person_id=7,
        filed_by_id=extra.pop("filed_by_id", 7),
        filed_at=filed_at or at(2026, 3, 1, 9),
        shifts=tuple(shifts),
        **extra,
    )


def test_lv_1_every_leave_type_is_known():
    assert {t.value for t in LeaveType} == {"sick", "personal", "special", "holiday", "business_trip"}


def test_lv_2_ordinary_leave_exactly_one_day_ahead_is_in_time(policy):
    d = evaluate_leave(request(filed_at=at(2026, 3, 8, 8, 30)), policy)
    assert d.outcome is Outcome.NEEDS_APPROVAL and d.approvers == (SL, DD) and "LV-2" not in d.rule_ids


def test_lv_2_ordinary_leave_one_minute_late_needs_management(policy):
    d = evaluate_leave(request(filed_at=at(2026, 3, 8, 8, 31)), policy)
    assert d.outcome is Outcome.NEEDS_APPROVAL and "LV-2" in d.rule_ids
    assert "otherwise the absence is absenteeism" in d.reason


def test_lv_2_special_leave_needs_one_hour(policy):
    in_time = evaluate_leave(request(LeaveType.SPECIAL, at(2026, 3, 9, 7, 30)), policy)
    assert "LV-2" not in in_time.rule_ids
    late = evaluate_leave(request(LeaveType.SPECIAL, at(2026, 3, 9, 7, 31)), policy)
    assert "LV-2" in late.rule_ids and "1 hour's notice" in late.reason


def test_lv_2_management_can_be_set_higher(policy):
    strict = parse_policy('[leave]\nmanagement_role = "centre_director"\n')
    assert evaluate_leave(request(filed_at=at(2026, 3, 9, 8)), strict).approvers == (SL, DD, CD)
    assert evaluate_leave(request(filed_at=at(2026, 3, 1, 8)), strict).approvers == (SL, DD)


def test_lv_3_one_day_ends_with_the_department_director_two_days_with_the_centre_director(policy):
    assert approval_chain(LeaveType.PERSONAL, 1, policy) == (SL, DD)
    assert approval_chain(LeaveType.PERSONAL, 2, policy) == (SL, DD, CD)


def test_lv_3_a_night_shift_is_one_day_of_leave_though_it_ends_after_midnight(policy):
    r = request(shifts=(night_shift(MON),), filed_at=at(2026, 3, 9, 11, 59))
    assert r.days == 1


@given(st.sampled_from(list(LeaveType)), st.integers(1, 30), st.integers(0, 30), st.booleans())
def test_lv_3_a_longer_leave_never_needs_a_lower_approver(kind, days, more, exceptional):
    shorter = approval_chain(kind, days, SHIPPED, exceptional)
    longer = approval_chain(kind, days + more, SHIPPED, exceptional)
    assert longer[: len(shorter)] == shorter and len(longer) >= len(shorter)


def test_lv_3_approvals_go_step_by_step():
    chain = (SL, DD, CD)
    assert check_approval_step(chain, (), DD).outcome is Outcome.REFUSED
    first = check_approval_step(chain, (), SL)
    assert first.outcome is Outcome.NEEDS_APPROVAL and first.approvers == (DD, CD)
    assert check_approval_step(chain, (SL, DD), CD).ok
    assert check_approval_step(chain, (SL, DD, CD), CD).outcome is Outcome.REFUSED


def test_lv_4_only_sick_leave_may_be_filed_by_someone_else(policy):
    refused = evaluate_leave(request(filed_by_id=8), policy)
    assert refused.outcome is Outcome.REFUSED and refused.rule_ids == ("LV-4",)
    sick = request(LeaveType.SICK, filed_by_id=8, certificate_days=frozenset({MON}))
    assert evaluate_leave(sick, policy).outcome is Outcome.NEEDS_APPROVAL


def test_lv_5_sick_leave_is_filed_before_its_certificate_and_waits_for_it(policy):
    d = evaluate_leave(request(LeaveType.SICK, at(2026, 3, 9, 9)), policy)
    assert d.outcome is Outcome.NEEDS_APPROVAL and "LV-5" in d.rule_ids
    assert "once the medical certificate is handed in" in d.reason
    assert not takes_effect(LeaveType.SICK, has_certificate=False, phoned_leader=False)
    assert takes_effect(LeaveType.SICK, has_certificate=False, phoned_leader=True)
    assert takes_effect(LeaveType.SICK, has_certificate=True, phoned_leader=False)
    assert takes_effect(LeaveType.PERSONAL, has_certificate=False, phoned_leader=False)


def test_lv_5_phone_call_before_the_shift_ends_stands_in_for_the_certificate(policy):
    shift = day_shift(MON)
    in_time = request(LeaveType.SICK, at(2026, 3, 9, 9), phoned_leader_at=at(2026, 3, 9, 17, 29))
    d = evaluate_leave(in_time, policy)
    assert d.outcome is Outcome.NEEDS_APPROVAL and "LV-5" in d.rule_ids and "first day back" in d.reason
    too_late = request(LeaveType.SICK, at(2026, 3, 9, 9), phoned_leader_at=shift.end)
    late_call = evaluate_leave(too_late, policy)
    assert "first day back" not in late_call.reason and "once the medical certificate" in late_call.reason


def test_lv_5_certificate_must_cover_consecutive_days():
    shifts = (day_shift(MON), day_shift(MON + timedelta(days=1)))
    gap = request(LeaveType.SICK, shifts=shifts, certificate_days=frozenset({MON, MON + timedelta(days=2)}))
    assert "consecutive" in check_certificate(gap).reason
    short = request(LeaveType.SICK, shifts=shifts, certificate_days=frozenset({MON}))
    assert "does not cover 2026-03-10" in check_certificate(short).reason
    whole = request(LeaveType.SICK, shifts=shifts, certificate_days=frozenset({MON, MON + timedelta(days=1)}))
    assert check_certificate(whole).ok


def test_lv_5_the_certificate_is_due_by_the_end_of_the_first_shift_back(policy):
    # Sick on Monday and Tuesday; rostered again on Thursday's night shift.
    ends = at(2026, 3, 11, 0, 0)
    back = night_shift(MON + timedelta(days=3))
    assert certificate_deadline(ends, (day_shift(MON), back), policy.zone) == back.end
    # Nobody rostered after the leave: by the end of the day the person is back.
    assert certificate_deadline(ends, (), policy.zone) == at(2026, 3, 12, 0, 0)


def test_lv_5_a_certificate_handed_in_one_minute_before_the_deadline_counts(policy):
    due = at(2026, 3, 11, 17, 30)
    days = frozenset({MON, MON + timedelta(days=1)})
    assert check_certificate_handed(sorted(days), days, at(2026, 3, 11, 17, 29), due).ok
    late = check_certificate_handed(sorted(days), days, due, due)
    assert late.outcome is Outcome.REFUSED and "lapsed" in late.reason
    short = check_certificate_handed(sorted(days), frozenset({MON}), at(2026, 3, 11, 9), due)
    assert "does not cover 2026-03-10" in short.reason


def test_lv_5_at_7_without_a_certificate_by_the_deadline_the_leave_lapses_into_absenteeism(policy):
    due = at(2026, 3, 11, 17, 30)
    early = check_certificate_overdue(due, at(2026, 3, 11, 17, 29))
    assert early.outcome is Outcome.REFUSED and "until 2026-03-11 17:30" in early.reason
    lapsed = check_certificate_overdue(due, due)
    assert lapsed.outcome is Outcome.VIOLATION and lapsed.rule_ids == ("LV-5", "AT-7")
    assert "absenteeism" in lapsed.reason


def test_lv_6_night_shift_leave_filed_before_noon_needs_management(policy):
    d = evaluate_leave(request(LeaveType.SPECIAL, at(2026, 3, 9, 11, 59), (night_shift(MON),)), policy)
    assert d.outcome is Outcome.NEEDS_APPROVAL and "LV-6" in d.rule_ids and d.approvers[-1] == DD


def test_lv_6_night_shift_leave_at_noon_is_refused(policy):
    d = evaluate_leave(request(LeaveType.SPECIAL, at(2026, 3, 9, 12, 0), (night_shift(MON),)), policy)
    assert d.outcome is Outcome.REFUSED
    assert str(d) == "LV-6: night-shift leave must be filed before 12:00 of the same day"


def test_lv_7_public_holiday_leave_two_days_ahead(policy):
    national_day = date(2026, 10, 1)
    shift = day_shift(national_day)
    ok = evaluate_leave(request(filed_at=shift.start - timedelta(days=2), shifts=(shift,)), policy)
    assert ok.outcome is Outcome.NEEDS_APPROVAL and "LV-7" in ok.rule_ids
    late = evaluate_leave(
        request(filed_at=shift.start - timedelta(days=2) + timedelta(minutes=1), shifts=(shift,)), policy
    )
    assert late.outcome is Outcome.REFUSED and late.rule_ids == ("LV-7",)


def test_lv_7_holidays_come_from_the_policy_list():
    custom = parse_policy("[holidays]\ndates = [2026-03-09]\n")
    d = evaluate_leave(request(filed_at=at(2026, 3, 8, 9)), custom)
    assert d.outcome is Outcome.REFUSED and d.rule_ids == ("LV-7",)


def test_lv_8_business_trip_goes_to_the_centre_director_even_for_one_day(policy):
    d = evaluate_leave(request(LeaveType.BUSINESS_TRIP), policy)
    assert d.approvers == (SL, DD, CD) and "LV-8" in d.rule_ids


def test_lv_9_holiday_duty_may_not_take_leave(policy):
    d = evaluate_leave(request(holiday_duty=True), policy)
    assert d.outcome is Outcome.REFUSED and d.rule_ids == ("LV-9",)


def test_lv_2_lv_6_leave_checks_list_every_problem_not_only_the_deciding_one(policy):
    from csdesk.rules.leave import leave_checks

    late_night = request(LeaveType.PERSONAL, at(2026, 3, 9, 11, 59), (night_shift(MON),))
    checks = leave_checks(late_night, policy)
    flagged = {rule for d in checks if d.outcome is not Outcome.ALLOWED for rule in d.rule_ids}
    assert {"LV-2", "LV-6"} <= flagged
    assert evaluate_leave(late_night, policy).approvers == (SL, DD)
