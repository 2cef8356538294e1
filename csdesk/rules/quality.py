"""Quality inspection (QA-1..QA-4): sampling, the monthly score sheet, the weekly
summary with its training plan, and the supervisor's daily spot-checks.

Scores follow the policy's rubric: each criterion from 0 to its own max points,
a sample's total out of the maxima added up. Sheets compare criteria by their
share of the scale (a percentage), so a 15-point and a 25-point criterion are
weighed alike when choosing what to train.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from csdesk.i18n import N_, _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision
from csdesk.rules.wording import listing

Scores = Mapping[str, float]


class Sampling(StrEnum):
    """QA-1: where an agent stands against the month's 1-5 samples."""

    UNDER = "under"  # fewer than the minimum: flagged
    SAMPLING = "sampling"  # within the range, more may be taken
    COMPLETE = "complete"  # at the maximum: no more are taken
    OVER = "over"  # past the maximum (only from imports or a lowered policy)


def sampling_status(samples_this_month: int, policy: Policy) -> tuple[Sampling, Decision]:
    """QA-1: the agent's sampling state this month and what to tell the inspector."""
    low, high = policy.qa.min_samples_per_month, policy.qa.max_samples_per_month
    if samples_this_month < low:
        return Sampling.UNDER, Decision.warning(
            _("{count} sample(s) this month; at least {low} needed").format(count=samples_this_month, low=low), "QA-1"
        )
    if samples_this_month > high:
        return Sampling.OVER, Decision.warning(
            _("{count} samples this month; at most {high} expected").format(count=samples_this_month, high=high), "QA-1"
        )
    if samples_this_month == high:
        return Sampling.COMPLETE, Decision.allowed(
            _("{count} samples this month; no more needed").format(count=samples_this_month), "QA-1"
        )
    return Sampling.SAMPLING, Decision.allowed(
        _("{count} sample(s) this month; up to {high}").format(count=samples_this_month, high=high), "QA-1"
    )


def check_sample_count(samples_this_month: int, policy: Policy) -> Decision:
    """QA-1: each agent is sampled between the policy's minimum and maximum per month."""
    return sampling_status(samples_this_month, policy)[1]


def may_add_sample(samples_this_month: int, policy: Policy) -> Decision:
    """QA-1: no more samples once the monthly maximum is reached.

    Refused rather than warned: the rulebook bounds the inspector's sampling at
    five a month, and a sixth sample of one agent is inspector time taken from
    agents not yet sampled, and weighs that agent's sheet differently from the
    rest. A centre that wants more raises ``max_samples_per_month``.
    """
    high = policy.qa.max_samples_per_month
    if samples_this_month >= high:
        return Decision.refused(
            _("already {count} samples this month; at most {high}").format(count=samples_this_month, high=high), "QA-1"
        )
    return Decision.allowed(
        _("sample {number} of at most {high} this month").format(number=samples_this_month + 1, high=high), "QA-1"
    )


def criterion_at_fault(scores: Scores, policy: Policy) -> str | None:
    """QA-1: the first rubric criterion (in rubric order) missing or off its scale."""
    for criterion in policy.qa.rubric:
        value = scores.get(criterion.key)
        if value is None or not 0 <= value <= criterion.max:
            return criterion.key
    return None


def check_sample_scores(scores: Scores, policy: Policy) -> Decision:
    """QA-1: a sample scores every criterion of the rubric, each within its own scale."""
    rubric = policy.qa.rubric
    missing = [c.key for c in rubric if c.key not in scores]
    unknown = [key for key in scores if key not in policy.qa.criteria]
    if missing:
        return Decision.refused(_("score every criterion; missing {missing}").format(missing=listing(missing)), "QA-1")
    if unknown:
        return Decision.refused(_("not a criterion of this centre: {unknown}").format(unknown=listing(unknown)), "QA-1")
    off = [
        _("{criterion} runs from 0 to {max}").format(criterion=c.key, max=c.max)
        for c in rubric
        if not 0 <= scores[c.key] <= c.max
    ]
    if off:
        return Decision.refused(_("; ").join(off), "QA-1")
    return Decision.allowed(
        _("sample scored {total:g} of {max}").format(total=sample_total(scores, policy), max=policy.qa.total_max),
        "QA-1",
    )


def sample_total(scores: Scores, policy: Policy) -> float:
    """QA-2: a sample's points added up over the rubric."""
    return sum(scores.get(key, 0) for key in policy.qa.criteria)


def _percent(points: float, scale: float) -> float:
    return round(points * 100 / scale, 1)


@dataclass(frozen=True)
class ScoreSheet:
    """QA-2: one agent's month (or week): averages per criterion and overall."""

    samples: int
    averages: dict[str, float]  # average points per criterion
    percents: dict[str, float]  # the same as a percentage of each criterion's max
    total: float | None  # average points per sample, out of the rubric's total
    overall: float | None  # ``total`` as a percentage
    weakest: tuple[str, ...]  # below the training bar, weakest first
    decision: Decision


def score_sheet(samples: Sequence[Scores], policy: Policy) -> ScoreSheet:
    """QA-2, QA-3: average each criterion over the samples and name what needs training.

    Each sample scores every criterion (see ``check_sample_scores``); one that
    doesn't raises ``ValueError``.
    """
    qa = policy.qa
    count = check_sample_count(len(samples), policy)
    if not samples:
        return ScoreSheet(0, {}, {}, None, None, (), count)
    for number, sample in enumerate(samples, start=1):
        missing = [c for c in qa.criteria if c not in sample]
        if missing:
            raise ValueError(f"sample {number} does not score: {', '.join(missing)} (QA-1)")
    averages = {c: round(sum(s[c] for s in samples) / len(samples), 2) for c in qa.criteria}
    percents = {c: _percent(averages[c], qa.scale(c)) for c in qa.criteria}
    total = round(sum(averages.values()), 2)
    overall = _percent(total, qa.total_max)
    weakest = _weakest(percents, policy)
    if weakest:
        decision = Decision.warning(
            _("training suggested on {criteria}").format(criteria=listing(weakest)), "QA-2", "QA-3"
        )
    else:
        decision = Decision.allowed(
            _("overall {overall:g}%; no criterion below the training bar").format(overall=overall), "QA-2"
        )
    return ScoreSheet(len(samples), averages, percents, total, overall, weakest, decision)


def _weakest(percents: Mapping[str, float], policy: Policy) -> tuple[str, ...]:
    """QA-3: criteria under the bar, lowest share first (rubric order breaks ties)."""
    order = policy.qa.criteria
    below = sorted((v, order.index(c), c) for c, v in percents.items() if v < policy.qa.training_below)
    return tuple(c for _share, _order, c in below[: policy.qa.weakest_criteria])


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
        agent: rest for agent, sheet in scored.items() if (rest := tuple(c for c in sheet.weakest if c not in team))
    }
    return TrainingPlan(team, individual)


@dataclass(frozen=True)
class WeeklySummary:
    """QA-3: the week's inspections across the team, and the training plan they call for."""

    inspections: int
    agents: int
    team: ScoreSheet  # every sample of the week pooled
    lowest: tuple[str, ...]  # the team's criteria by share, lowest first
    plan: TrainingPlan
    decision: Decision


def weekly_summary(samples_by_agent: Mapping[int | str, Sequence[Scores]], policy: Policy) -> WeeklySummary:
    """QA-3: pool the week's samples, rank the criteria, and plan team or individual training."""
    sheets = {agent: score_sheet(samples, policy) for agent, samples in samples_by_agent.items() if samples}
    pooled = [s for samples in samples_by_agent.values() for s in samples]
    team = score_sheet(pooled, policy)
    order = policy.qa.criteria
    lowest = tuple(sorted(team.percents, key=lambda c: (team.percents[c], order.index(c))))
    plan = training_plan(sheets)
    if not pooled:
        decision = Decision.warning(_("no inspections this week"), "QA-3")
    elif plan.team or plan.individual:
        parts = []
        if plan.team:
            parts.append(_("whole-team training on {criteria}").format(criteria=listing(plan.team)))
        if plan.individual:
            parts.append(_("individual training for {count} agent(s)").format(count=len(plan.individual)))
        decision = Decision.warning(_("; ").join(parts), "QA-3")
    else:
        decision = Decision.allowed(
            _("{count} inspection(s); no criterion below the training bar").format(count=len(pooled)), "QA-3"
        )
    return WeeklySummary(len(pooled), len(sheets), team, lowest, plan, decision)


# QA-4: what the supervisor spot-checks every day.
DAILY_SPOT_CHECKS = ("recordings", "forum", "email")
_SPOT_CHECK_LABELS = {"recordings": N_("recordings"), "forum": N_("forum"), "email": N_("email")}


def spot_check_label(check: str) -> str:
    """A spot-check as people read it; the stored word itself when it is not one of the three."""
    return _(_SPOT_CHECK_LABELS[check]) if check in _SPOT_CHECK_LABELS else check


def check_daily_spot_checks(checked: Collection[str]) -> Decision:
    """QA-4: recordings, forum and email are all spot-checked before the daily quality report."""
    missing = [c for c in DAILY_SPOT_CHECKS if c not in checked]
    if missing:
        return Decision.warning(
            _("not yet spot-checked today: {missing}").format(missing=listing(map(spot_check_label, missing))), "QA-4"
        )
    return Decision.allowed(_("recordings, forum and email spot-checked today"), "QA-4")


def check_daily_report(checked: Collection[str], findings: str) -> Decision:
    """QA-4: the daily quality report says what was found ("none" if nothing) and
    what was spot-checked; one left unchecked is recorded with a warning."""
    unknown = [c for c in checked if c not in DAILY_SPOT_CHECKS]
    if unknown:
        return Decision.refused(
            _("not a spot-check of the daily report: {unknown}").format(unknown=listing(unknown)), "QA-4"
        )
    if not checked:
        return Decision.refused(_("spot-check at least one of recordings, forum and email"), "QA-4")
    if not findings.strip():
        return Decision.refused(_('write what the spot-checks found ("none" if nothing)'), "QA-4")
    return check_daily_spot_checks(checked)
