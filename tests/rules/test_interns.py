"""ST-4: 40 hours, two mentor check-ins and an approved summary before conversion; early conversion."""

from datetime import date

import pytest

from csdesk.rules.decision import Outcome
from csdesk.rules.interns import check_early_recommendation, check_summary_text, check_training_entry
from csdesk.rules.staff import InternProgress, check_intern_conversion
from csdesk.rules.vocab import Role

TODAY = date(2026, 3, 9)
HIRED = date(2026, 2, 20)


@pytest.mark.parametrize(
    ("hours", "check_ins", "approved", "outcome"),
    [
        (40, 2, True, Outcome.ALLOWED),
        (40.5, 3, True, Outcome.ALLOWED),
        (39.9, 2, True, Outcome.REFUSED),  # a tenth of an hour short
        (40, 1, True, Outcome.REFUSED),  # one check-in short
        (40, 2, False, Outcome.REFUSED),  # summary not approved
        (0, 0, False, Outcome.REFUSED),
    ],
)
def test_st_4_conversion_bars(policy, hours, check_ins, approved, outcome):
    decision = check_intern_conversion(InternProgress(hours, check_ins, approved), policy)
    assert decision.outcome is outcome and decision.rule_ids == ("ST-4",)


def test_st_4_the_refusal_says_what_is_short(policy):
    short = check_intern_conversion(InternProgress(39.9, 1, True), policy)
    assert "39.9 of 40 hours" in short.reason and "1 of 2 check-ins" in short.reason
    assert "summary" in check_intern_conversion(InternProgress(40, 2, False), policy).reason


def test_st_4_early_conversion_recommended_then_approved_by_the_head(policy):
    recommended = check_intern_conversion(InternProgress(20, 1, True, leader_recommended=True), policy)
    assert recommended.outcome is Outcome.NEEDS_APPROVAL
    assert recommended.approvers == (Role.DEPARTMENT_DIRECTOR,)
    approved = InternProgress(20, 1, True, leader_recommended=True, head_approved=True)
    assert check_intern_conversion(approved, policy).ok
    # Even early, the summary must be approved.
    unapproved = InternProgress(20, 1, False, leader_recommended=True, head_approved=True)
    assert check_intern_conversion(unapproved, policy).outcome is Outcome.REFUSED


def test_st_4_early_conversion_is_only_for_an_intern_short_of_the_bars(policy):
    assert check_early_recommendation(InternProgress(39.9, 2, False), policy).ok
    assert check_early_recommendation(InternProgress(40, 1, False), policy).ok
    done = check_early_recommendation(InternProgress(40, 2, False), policy)
    assert done.outcome is Outcome.REFUSED and "no early conversion" in done.reason
    again = check_early_recommendation(InternProgress(10, 0, False, leader_recommended=True), policy)
    assert again.outcome is Outcome.REFUSED


@pytest.mark.parametrize(
    ("minutes", "day", "ok"),
    [
        (1, TODAY, True),
        (720, TODAY, True),  # a whole 12-hour day
        (721, TODAY, False),
        (0, TODAY, False),
        (-30, TODAY, False),
        (240, date(2026, 3, 10), False),  # tomorrow
        (240, HIRED, True),  # the first day
        (240, date(2026, 2, 19), False),  # before the intern started
    ],
)
def test_st_4_training_entries(minutes, day, ok):
    decision = check_training_entry(minutes, day, TODAY, HIRED)
    assert decision.ok is ok and decision.rule_ids == ("ST-4",)


def test_st_4_an_empty_summary_is_no_summary():
    assert check_summary_text("  \n ").outcome is Outcome.REFUSED
    assert check_summary_text("实习期间学习了工单流程。").ok
