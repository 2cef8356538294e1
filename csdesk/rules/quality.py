"""Quality inspection (QA-1..QA-4): sampling, the monthly score sheet, training needs."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from csdesk.policy import Policy
from csdesk.rules.decision import Decision


def check_sample_count(samples_this_month: int, policy: Policy) -> Decision:
    """QA-1: each agent is sampled between the policy's minimum and maximum per month."""
    low, high = policy.qa.min_samples_per_month, policy.qa.max_samples_per_month
    if samples_this_month < low:
        return Decision.warning(f"{samples_this_month} sample(s) this month; at least {low} needed", "QA-1")
    if samples_this_month > high:
        return Decision.warning(f"{samples_this_month} samples this month; at most {high} expected", "QA-1")
    return Decision.allowed(f"{samples_this_month} sample(s) this month", "QA-1")


def may_add_sample(samples_this_month: int, policy: Policy) -> Decision:
    """QA-1: no more samples once the monthly maximum is reached."""
    high = policy.qa.max_samples_per_month
    if samples_this_month >= high:
        return Decision.refused(f"already {samples_this_month} samples this month; at most {high}", "QA-1")
    return Decision.allowed(f"sample {samples_this_month + 1} of at most {high} this month", "QA-1")


def check_sample_scores(scores: Mapping[str, float], policy: Policy) -> Decision:
    """QA-1: a sample scores every criterion, each within the scale."""
    missing = [c for c in policy.qa.criteria if c not in scores]
    unknown = [c for c in scores if c not in policy.qa.criteria]
    if missing:
        return Decision.refused("score every criterion; missing " + ", ".join(missing), "QA-1")
    if unknown:
        return Decision.refused("not a criterion of this centre: " + ", ".join(unknown), "QA-1")
    out_of_range = [c for c, v in scores.items() if not 0 <= v <= policy.qa.score_max]
    if out_of_range:
        return Decision.refused(
            f"scores run from 0 to {policy.qa.score_max}: " + ", ".join(out_of_range), "QA-1"
        )
    return Decision.allowed("sample scored", "QA-1")


@dataclass(frozen=True)
class ScoreSheet:
    """QA-2: one agent's month: the average per criterion and overall."""

    samples: int
    averages: dict[str, float]
    overall: float | None
    weakest: tuple[str, ...]  # below the training bar, weakest first
    decision: Decision


def score_sheet(samples: Sequence[Mapping[str, float]], policy: Policy) -> ScoreSheet:
    """QA-2, QA-3: average each criterion over the month's samples and name what needs training.

    Each sample scores every criterion (see ``check_sample_scores``); one that
    doesn't raises ``ValueError``.
    """
    criteria = policy.qa.criteria
    count = check_sample_count(len(samples), policy)
    if not samples:
        return ScoreSheet(0, {}, None, (), count)
    for number, sample in enumerate(samples, start=1):
        missing = [c for c in criteria if c not in sample]
        if missing:
            raise ValueError(f"sample {number} does not score: {', '.join(missing)} (QA-1)")
    averages = {c: round(sum(s[c] for s in samples) / len(samples), 2) for c in criteria}
    overall = round(sum(averages.values()) / len(averages), 2)
    below = sorted((v, criteria.index(c), c) for c, v in averages.items() if v < policy.qa.training_below)
    weakest = tuple(c for _, _, c in below[: policy.qa.weakest_criteria])
    if weakest:
        decision = Decision.warning("training suggested on " + ", ".join(weakest), "QA-2", "QA-3")
    else:
        decision = Decision.allowed(f"overall {overall:g}; no criterion below the training bar", "QA-2")
    return ScoreSheet(len(samples), averages, overall, weakest, decision)


@dataclass(frozen=True)
class TrainingPlan:
    """QA-3: what the whole team trains on, and what individuals train on."""

    team: tuple[str, ...]
    individual: dict[int | str, tuple[str, ...]]


def training_plan(sheets: Mapping[int | str, ScoreSheet]) -> TrainingPlan:
    """QA-3: a criterion weak for more than half the agents becomes whole-team training."""
    scored = {agent: sheet for agent, sheet in sheets.items() if sheet.samples}
    counts: dict[str, int] = {}
    for sheet in scored.values():
        for criterion in sheet.weakest:
            counts[criterion] = counts.get(criterion, 0) + 1
    team = tuple(sorted(c for c, n in counts.items() if n * 2 > len(scored)))
    individual = {
        agent: rest
        for agent, sheet in scored.items()
        if (rest := tuple(c for c in sheet.weakest if c not in team))
    }
    return TrainingPlan(team, individual)


# QA-4: what the supervisor spot-checks every day.
DAILY_SPOT_CHECKS = ("recordings", "forum", "email")


def check_daily_spot_checks(checked: Collection[str]) -> Decision:
    """QA-4: recordings, forum and email are all spot-checked before the daily quality report."""
    missing = [c for c in DAILY_SPOT_CHECKS if c not in checked]
    if missing:
        return Decision.warning("not yet spot-checked today: " + ", ".join(missing), "QA-4")
    return Decision.allowed("recordings, forum and email spot-checked today", "QA-4")
