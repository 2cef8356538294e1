from csdesk.rules.decision import Outcome
from csdesk.rules.evaluation import MonthFigures, monthly_evaluation
from csdesk.rules.quality import (
    check_daily_spot_checks,
    check_sample_count,
    check_sample_scores,
    may_add_sample,
    score_sheet,
    training_plan,
)

CRITERIA = ["service language", "attitude", "tone", "eliciting needs", "responsiveness"]


def sample(**low):
    scores = dict.fromkeys(CRITERIA, 90)
    scores.update({k.replace("_", " "): v for k, v in low.items()})
    return scores


def test_qa_1_under_one_sample_a_month_is_flagged(policy):
    assert check_sample_count(0, policy).outcome is Outcome.WARNING
    assert check_sample_count(1, policy).ok
    assert check_sample_count(5, policy).ok
    assert check_sample_count(6, policy).outcome is Outcome.WARNING


def test_qa_1_at_five_samples_no_more_are_taken(policy):
    assert may_add_sample(4, policy).ok
    d = may_add_sample(5, policy)
    assert d.outcome is Outcome.REFUSED and "at most 5" in d.reason


def test_qa_1_a_sample_scores_every_criterion_within_the_scale(policy):
    assert check_sample_scores(sample(), policy).ok
    partial = sample()
    del partial["tone"]
    assert "missing tone" in check_sample_scores(partial, policy).reason
    assert check_sample_scores(sample(tone=101), policy).outcome is Outcome.REFUSED


def test_qa_2_qa_3_monthly_sheet_averages_and_names_weakest_criteria(policy):
    sheet = score_sheet(
        [sample(tone=60, attitude=50), sample(tone=70, attitude=60, eliciting_needs=68)], policy
    )
    assert sheet.averages["tone"] == 65 and sheet.averages["attitude"] == 55
    assert sheet.weakest == ("attitude", "tone")  # at most 2, weakest first
    assert (
        sheet.decision.outcome is Outcome.WARNING
        and "training suggested on attitude, tone" in sheet.decision.reason
    )


def test_qa_2_exactly_at_the_training_bar_needs_no_training(policy):
    sheet = score_sheet([sample(tone=70)], policy)
    assert sheet.weakest == () and sheet.decision.ok


def test_qa_2_no_samples_no_sheet(policy):
    sheet = score_sheet([], policy)
    assert sheet.overall is None and sheet.decision.outcome is Outcome.WARNING


def test_qa_3_weakness_shared_by_most_agents_becomes_team_training(policy):
    sheets = {
        "ann": score_sheet([sample(tone=50)], policy),
        "bo": score_sheet([sample(tone=50, attitude=40)], policy),
        "cy": score_sheet([sample()], policy),
    }
    plan = training_plan(sheets)
    assert plan.team == ("tone",)
    assert plan.individual == {"bo": ("attitude",)}


def test_qa_4_daily_spot_checks_cover_recordings_forum_and_email():
    assert check_daily_spot_checks({"recordings", "forum"}).reason == "not yet spot-checked today: email"
    assert check_daily_spot_checks({"recordings", "forum", "email"}).ok


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
