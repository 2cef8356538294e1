import pytest

from csdesk.rules.decision import Outcome
from csdesk.rules.evaluation import MonthFigures, monthly_evaluation
from csdesk.rules.quality import (
    Sampling,
    check_daily_report,
    check_daily_spot_checks,
    check_sample_count,
    check_sample_scores,
    criterion_at_fault,
    may_add_sample,
    sample_total,
    sampling_status,
    score_sheet,
    training_plan,
    weekly_summary,
)

# The default rubric's maxima: service language 20, attitude 25, tone 15,
# eliciting needs 20, responsiveness 20 (100 in all).
FULL = {"service_language": 20, "attitude": 25, "tone": 15, "eliciting_needs": 20, "responsiveness": 20}


def sample(**given):
    """A sample at 90% of every scale except what is given."""
    scores = {key: round(top * 0.9) for key, top in FULL.items()}
    scores.update(given)
    return scores


@pytest.mark.parametrize(
    ("count", "status", "outcome"),
    [
        (0, Sampling.UNDER, Outcome.WARNING),
        (1, Sampling.SAMPLING, Outcome.ALLOWED),
        (4, Sampling.SAMPLING, Outcome.ALLOWED),
        (5, Sampling.COMPLETE, Outcome.ALLOWED),
        (6, Sampling.OVER, Outcome.WARNING),
    ],
)
def test_qa_1_sampling_status_at_0_1_4_5_6_samples(policy, count, status, outcome):
    got, decision = sampling_status(count, policy)
    assert (got, decision.outcome) == (status, outcome)
    assert decision.rule_ids == ("QA-1",)
    assert check_sample_count(count, policy).outcome is outcome


def test_qa_1_under_one_sample_a_month_is_flagged(policy):
    assert str(check_sample_count(0, policy)) == "QA-1: 0 sample(s) this month; at least 1 needed"
    assert "no more needed" in check_sample_count(5, policy).reason


def test_qa_1_at_five_samples_no_more_are_taken(policy):
    assert may_add_sample(0, policy).ok
    assert may_add_sample(4, policy).reason == "sample 5 of at most 5 this month"
    for count in (5, 6):
        d = may_add_sample(count, policy)
        assert d.outcome is Outcome.REFUSED and "at most 5" in d.reason


def test_qa_1_the_bounds_come_from_the_policy():
    from csdesk.policy import parse_policy

    roomy = parse_policy("[qa]\nmin_samples_per_month = 2\nmax_samples_per_month = 8\n")
    assert sampling_status(1, roomy)[0] is Sampling.UNDER
    assert may_add_sample(5, roomy).ok and not may_add_sample(8, roomy).ok


def test_qa_1_a_sample_scores_every_criterion_within_its_own_scale(policy):
    assert check_sample_scores(FULL, policy).reason == "sample scored 100 of 100"
    assert check_sample_scores(dict.fromkeys(FULL, 0), policy).ok
    partial = sample()
    del partial["tone"]
    assert "missing tone" in check_sample_scores(partial, policy).reason
    assert criterion_at_fault(partial, policy) == "tone"
    # Tone runs to 15 and attitude to 25: 16 is off one scale and fine on the other.
    over = check_sample_scores(sample(tone=16), policy)
    assert over.outcome is Outcome.REFUSED and over.reason == "tone runs from 0 to 15"
    assert check_sample_scores(sample(attitude=25), policy).ok
    assert not check_sample_scores(sample(attitude=26), policy).ok
    assert criterion_at_fault(sample(responsiveness=-1), policy) == "responsiveness"
    assert criterion_at_fault(sample(), policy) is None
    assert "not a criterion" in check_sample_scores({**sample(), "humour": 3}, policy).reason


def test_qa_1_the_rubric_comes_from_the_policy():
    from csdesk.policy import PolicyError, parse_policy

    rubric = parse_policy('[qa]\nrubric = [{ key = "courtesy", label = "Courtesy", max = 5 }]\n')
    assert rubric.qa.criteria == ["courtesy"] and rubric.qa.total_max == 5
    assert check_sample_scores({"courtesy": 5}, rubric).ok
    assert not check_sample_scores({"courtesy": 6}, rubric).ok
    with pytest.raises(PolicyError, match="twice"):
        parse_policy('[qa]\nrubric = [{ key = "a", label = "A", max = 5 }, { key = "a", label = "B", max = 5 }]\n')
    with pytest.raises(PolicyError):
        parse_policy('[qa]\nrubric = [{ key = "a", label = "A", max = 0 }]\n')


def test_qa_2_monthly_sheet_totals_and_averages_per_criterion(policy):
    sheet = score_sheet([FULL, sample(tone=9, attitude=15)], policy)
    assert sheet.samples == 2
    assert sheet.averages["tone"] == 12 and sheet.percents["tone"] == 80
    assert sheet.averages["attitude"] == 20 and sheet.percents["attitude"] == 80
    assert sample_total(FULL, policy) == 100
    assert sheet.total == 89.0 and sheet.overall == 89.0  # (100 + 78) / 2


def test_qa_2_qa_3_weakest_criteria_by_share_of_their_scale(policy):
    # tone 9/15 = 60%, attitude 15/25 = 60%, eliciting 13/20 = 65%: at most 2, weakest first.
    sheet = score_sheet([sample(tone=9, attitude=15, eliciting_needs=13)], policy)
    assert sheet.weakest == ("attitude", "tone")
    assert sheet.decision.outcome is Outcome.WARNING
    assert "training suggested on attitude, tone" in sheet.decision.reason


def test_qa_2_exactly_at_the_training_bar_needs_no_training(policy):
    at_bar = score_sheet([sample(attitude=17.5)], policy)  # 70% of 25
    assert at_bar.weakest == () and at_bar.decision.ok
    below = score_sheet([sample(attitude=17)], policy)  # 68%
    assert below.weakest == ("attitude",)


def test_qa_2_no_samples_no_sheet(policy):
    sheet = score_sheet([], policy)
    assert sheet.overall is None and sheet.decision.outcome is Outcome.WARNING
    assert "at least 1 needed" in sheet.decision.reason


def test_qa_2_a_sample_missing_a_criterion_is_named(policy):
    partial = sample()
    del partial["tone"]
    with pytest.raises(ValueError, match="sample 2 does not score: tone"):
        score_sheet([sample(), partial], policy)


def test_qa_3_weakness_shared_by_most_agents_becomes_team_training(policy):
    sheets = {
        "ann": score_sheet([sample(tone=7)], policy),
        "bo": score_sheet([sample(tone=7, attitude=10)], policy),
        "cy": score_sheet([sample()], policy),
    }
    plan = training_plan(sheets)
    assert plan.team == ("tone",)
    assert plan.individual == {"bo": ("attitude",)}


def test_qa_3_weakness_of_exactly_half_the_agents_stays_individual(policy):
    sheets = {"ann": score_sheet([sample(tone=7)], policy), "bo": score_sheet([sample()], policy)}
    assert training_plan(sheets) == training_plan(sheets).__class__((), {"ann": ("tone",)})


def test_qa_3_weekly_summary_pools_the_week_and_plans_training(policy):
    week = {
        "ann": [sample(tone=7), sample(tone=8)],
        "bo": [sample(tone=6, responsiveness=10)],
        "cy": [sample()],
        "dee": [],
    }
    summary = weekly_summary(week, policy)
    assert (summary.inspections, summary.agents) == (4, 3)
    assert summary.lowest[0] == "tone"
    assert summary.plan.team == ("tone",)
    assert summary.plan.individual == {"bo": ("responsiveness",)}
    assert summary.decision.reason == "whole-team training on tone; individual training for 1 agent(s)"
    assert summary.decision.rule_ids == ("QA-3",)


def test_qa_3_an_empty_week_and_a_good_week(policy):
    assert weekly_summary({}, policy).decision.reason == "no inspections this week"
    good = weekly_summary({"ann": [sample()]}, policy)
    assert good.decision.ok and good.plan.team == () and good.plan.individual == {}


def test_qa_4_daily_spot_checks_cover_recordings_forum_and_email():
    assert check_daily_spot_checks({"recordings", "forum"}).reason == "not yet spot-checked today: email"
    assert check_daily_spot_checks({"recordings", "forum", "email"}).ok


def test_qa_4_daily_report_needs_findings_and_at_least_one_check():
    assert check_daily_report({"recordings", "forum", "email"}, "none").ok
    partial = check_daily_report({"recordings"}, "two calls without greeting")
    assert partial.outcome is Outcome.WARNING and "forum, email" in partial.reason
    assert check_daily_report(set(), "none").outcome is Outcome.REFUSED
    assert "found" in check_daily_report({"email"}, "  ").reason
    assert check_daily_report({"fax"}, "none").outcome is Outcome.REFUSED


def test_at_6_monthly_evaluation_names_best_and_worst(policy):
    figures = [
        MonthFigures("ann", attendance=1.0, quality=0.9, fines=0),
        MonthFigures("bo", attendance=0.8, quality=0.7, fines=100),
        MonthFigures("cy", attendance=0.9, quality=0.8, fines=50),
    ]
    result = monthly_evaluation(figures, policy)
    assert [r.person_id for r in result.ranking] == ["ann", "cy", "bo"]
    assert result.ranking[0].score == 0.96  # 0.4*1 + 0.4*0.9 + 0.2*1
    assert str(result.decision) == "AT-6: best: ann; worst: bo"


def test_at_6_weights_come_from_the_policy():
    from csdesk.policy import parse_policy

    quality_only = parse_policy("[evaluation]\nattendance_weight = 0\nquality_weight = 1\nfines_weight = 0\n")
    figures = [MonthFigures("ann", 1.0, 0.5, 0), MonthFigures("bo", 0.0, 0.9, 500)]
    assert monthly_evaluation(figures, quality_only).best[0].person_id == "bo"


def test_at_6_a_single_agent_is_not_named_both_best_and_worst(policy):
    result = monthly_evaluation([MonthFigures("ann", 1, 1, 0)], policy)
    assert result.best == () and result.decision.outcome is Outcome.WARNING
