"""AT-6 monthly evaluation and DS-2 dismissal reviews: the pure rules, with their edges."""

import pytest

from csdesk.policy import parse_policy
from csdesk.rules.decision import Outcome
from csdesk.rules.evaluation import (
    MonthFigures,
    OffenceCount,
    attendance_share,
    fill_missing_quality,
    monthly_evaluation,
    quality_share,
    rank_scores,
    reviews_due,
)


def test_at_6_attendance_late_costs_half_a_shift_absenteeism_a_whole_one(policy):
    # 20 shifts, hours met: only punctuality moves (0.75 of the part).
    assert attendance_share(20, 0, 0, 100, 100, policy) == 1.0
    assert attendance_share(20, 2, 0, 100, 100, policy) == round(0.75 * (1 - 1 / 20) + 0.25, 4)
    assert attendance_share(20, 0, 1, 100, 100, policy) == round(0.75 * (1 - 1 / 20) + 0.25, 4)
    assert attendance_share(20, 0, 2, 100, 100, policy) < attendance_share(20, 2, 0, 100, 100, policy)


def test_at_6_at_4_hours_count_up_to_the_rostered_ones(policy):
    assert attendance_share(5, 0, 0, 50, 100, policy) == 0.875
    # Overtime earns nothing extra; nothing rostered is nothing missed.
    assert attendance_share(5, 0, 0, 150, 100, policy) == 1.0
    assert attendance_share(0, 0, 0, 0, 0, policy) == 1.0


def test_at_6_attendance_never_goes_below_zero(policy):
    assert attendance_share(2, 10, 5, 0, 100, policy) == 0.0


def test_qa_2_quality_share_and_the_unsampled_get_the_average():
    assert quality_share(80, 1, 100) == 0.8 and quality_share(150, 2, 100) == 0.75
    assert quality_share(0, 0, 100) is None
    assert quality_share(130, 1, 100) == 1.0  # a score over the rubric is capped
    assert fill_missing_quality([0.8, None, 0.6]) == (0.8, 0.7, 0.6)
    assert fill_missing_quality([None, None]) == (0.0, 0.0)


def test_at_6_rewards_offset_fines(policy):
    fined = MonthFigures("ann", 1, 1, fines=50)
    rewarded = MonthFigures("bo", 1, 1, fines=50, rewards=50)
    result = monthly_evaluation([fined, rewarded], policy)
    assert [r.person_id for r in result.ranking] == ["bo", "ann"]
    # A net reward counts as well as a clean month, never worse.
    clean = MonthFigures("cy", 1, 1, fines=0)
    praised = MonthFigures("di", 1, 1, fines=0, rewards=30)
    top = monthly_evaluation([clean, praised, fined], policy).ranking
    assert top[0].person_id == "di" and top[0].score == 1.0 and top[1].score < 1.0


def test_at_6_ties_share_a_place_and_are_named_together(policy):
    result = rank_scores([("ann", 0.9), ("bo", 0.9), ("cy", 0.5)], policy)
    assert [(r.person_id, r.rank) for r in result.ranking] == [("ann", 1), ("bo", 1), ("cy", 3)]
    assert [r.person_id for r in result.best] == ["ann", "bo"]
    assert str(result.decision) == "AT-6: best: ann, bo; worst: cy"


def test_at_6_a_tie_spanning_best_and_worst_names_neither_side_of_it():
    two = parse_policy("[evaluation]\nname_best_and_worst = 2\n")
    result = rank_scores([("ann", 0.9), ("bo", 0.7), ("cy", 0.7), ("di", 0.3)], two)
    assert [r.person_id for r in result.best] == ["ann"] and [r.person_id for r in result.worst] == ["di"]


def test_at_6_everyone_equal_names_nobody(policy):
    result = rank_scores([("ann", 0.8), ("bo", 0.8), ("cy", 0.8)], policy)
    assert result.best == result.worst == ()
    assert result.decision.outcome is Outcome.WARNING and "tied" in result.decision.reason
    assert [r.rank for r in result.ranking] == [1, 1, 1]


def test_at_6_two_people_one_best_one_worst(policy):
    result = rank_scores([("bo", 0.4), ("ann", 0.6)], policy)
    assert (result.best[0].person_id, result.worst[0].person_id) == ("ann", "bo")


def test_at_6_the_new_weights_are_policy_settings():
    strict = parse_policy("[evaluation]\nlate_weight = 1\nhours_share = 0\n")
    assert attendance_share(10, 1, 0, 0, 100, strict) == 0.9


def test_ds_2_two_offences_raise_nothing_three_raise_a_review(policy):
    counts = [OffenceCount(7, "FN-3", 2), OffenceCount(8, "FN-3", 3), OffenceCount(9, "FN-1", 4)]
    due = reviews_due(counts, policy)
    assert [(c.person_id, c.offences) for c, _ in due] == [(8, 3), (9, 4)]
    decision = due[0][1]
    assert decision.outcome is Outcome.VIOLATION and decision.rule_ids == ("FN-3", "DS-2", "FN-10")
    assert "dismissal review raised to the director" in decision.reason


def test_ds_2_rules_that_do_not_escalate_never_raise_a_review(policy):
    assert reviews_due([OffenceCount(1, "FN-4", 9), OffenceCount(1, "FN-2", 5)], policy) == ()


def test_ds_2_the_threshold_comes_from_the_policy():
    early = parse_policy("[fines.complaint]\namount = 50\ndismissal_review_at = 2\n")
    assert len(reviews_due([OffenceCount(1, "FN-3", 2)], early)) == 1


def test_at_6_a_malformed_score_is_refused_plainly(policy):
    for bad in [("ann",), ("ann", "high"), ("ann", True)]:
        with pytest.raises(ValueError, match="a score is a \\(person, number\\) pair"):
            rank_scores([bad], policy)
