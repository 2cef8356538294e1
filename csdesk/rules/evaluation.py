"""The monthly evaluation (AT-6): a weighted score per agent, best and worst named,
and the dismissal reviews of the month (DS-2).

Three parts make the score, each between 0 and 1, weighted by the policy:

* attendance: lates and absenteeism against the shifts due (AT-2, AT-7), with
  the hours worked against the hours rostered (AT-4) as a share of it;
* quality: the inspections' scores as a share of the rubric (QA-2);
* fines: fines less rewards (FN-1..FN-7), relative to the month's range.

A person keeps one score whatever list they are shown in: squads are ranked
on the centre's scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision, Outcome
from csdesk.rules.discipline import dismissal_review
from csdesk.rules.fines import ESCALATING, OFFENCE_RULES
from csdesk.rules.wording import listing


@dataclass(frozen=True)
class MonthFigures:
    """One agent's month. Attendance and quality are 0-1 shares; fines and rewards are amounts."""

    person_id: int | str
    attendance: float  # share of rostered shifts attended on time
    quality: float  # QA-2 overall score as a share of the scale
    fines: int
    rewards: int = 0  # FN-7: rewards offset fines


@dataclass(frozen=True)
class Ranked:
    person_id: int | str
    score: float
    # Equal scores share a place: 1, 2, 2, 4.
    rank: int = 0


@dataclass(frozen=True)
class Evaluation:
    ranking: tuple[Ranked, ...]  # best first
    best: tuple[Ranked, ...]
    worst: tuple[Ranked, ...]
    decision: Decision


# -- the parts ----------------------------------------------------------------------


def attendance_share(
    shifts_due: int, lates: int, absences: int, minutes_worked: int, minutes_rostered: int, policy: Policy
) -> float:
    """AT-6 from AT-2, AT-4, AT-7: 1 for every due shift on time and the rostered hours worked.

    ``shifts_due`` leaves out shifts on approved leave; an absence (absent or
    absenteeism) costs a whole shift, a late arrival ``late_weight`` of one.
    Hours count up to the rostered ones (overtime earns nothing extra here).
    Nobody due and nothing rostered scores 1: there was nothing to miss.
    """
    weights = policy.evaluation
    if shifts_due > 0:
        missed = min(shifts_due, absences + weights.late_weight * lates)
        punctual = 1 - missed / shifts_due
    else:
        punctual = 1.0
    hours = min(1.0, minutes_worked / minutes_rostered) if minutes_rostered > 0 else 1.0
    return round((1 - weights.hours_share) * punctual + weights.hours_share * hours, 4)


def quality_share(points: float, inspections: int, points_per_inspection: int) -> float | None:
    """QA-2: the average inspection as a share of the rubric; None when never inspected."""
    if inspections <= 0 or points_per_inspection <= 0:
        return None
    return round(max(0.0, min(1.0, points / (inspections * points_per_inspection))), 4)


def fill_missing_quality(shares: Sequence[float | None]) -> tuple[float, ...]:
    """QA-1 asks for at least one inspection, but an agent nobody sampled is not
    marked down for it: they get the month's average of those sampled."""
    known = [s for s in shares if s is not None]
    average = round(sum(known) / len(known), 4) if known else 0.0
    return tuple(average if s is None else s for s in shares)


# -- the ranking ----------------------------------------------------------------------


def monthly_evaluation(figures: Sequence[MonthFigures], policy: Policy) -> Evaluation:
    """AT-6: rank by the policy's weights; fines less rewards score relative to the month.

    The least net fined scores 1 on that part (nothing, or a reward, counts as
    no worse than 0) and the most fined 0. See ``rank_scores`` for ties.
    """
    weights = policy.evaluation
    nets = [f.fines - f.rewards for f in figures]
    lowest, highest = min([0, *nets]), max(nets, default=0)

    def score(f: MonthFigures) -> float:
        net = f.fines - f.rewards
        fines_part = 1 - (net - lowest) / (highest - lowest) if highest > lowest else 1
        return round(
            weights.attendance_weight * f.attendance
            + weights.quality_weight * f.quality
            + weights.fines_weight * fines_part,
            4,
        )

    return rank_scores([(f.person_id, score(f)) for f in figures], policy)


def rank_scores(scores: Sequence[tuple[int | str, float]], policy: Policy) -> Evaluation:
    """AT-6: best first; best and worst named, as many as the policy says.

    Equal scores share a place and keep the order they were given in. Ties at
    the edge are named together; somebody tied into both best and worst is
    named in neither, and if that leaves nobody, nobody is named.
    """
    for pair in scores:
        if len(pair) != 2 or isinstance(pair[1], bool) or not isinstance(pair[1], int | float):
            raise ValueError(f"a score is a (person, number) pair, got {pair!r}")
    ordered = sorted(scores, key=lambda r: -r[1])
    ranking = tuple(_ranked(ordered))
    n = min(policy.evaluation.name_best_and_worst, len(ranking) // 2)
    if not n:
        return Evaluation(ranking, (), (), Decision.warning(_("too few agents to name best and worst"), "AT-6"))
    best_bar, worst_bar = ranking[n - 1].score, ranking[-n].score
    tied_both = {r.person_id for r in ranking if worst_bar >= r.score >= best_bar}
    best = tuple(r for r in ranking if r.score >= best_bar and r.person_id not in tied_both)
    worst = tuple(r for r in reversed(ranking) if r.score <= worst_bar and r.person_id not in tied_both)
    if not best or not worst:
        return Evaluation(
            ranking, (), (), Decision.warning(_("scores are tied: nobody is named best or worst"), "AT-6")
        )
    reason = naming_reason(_names(best), _names(worst))
    return Evaluation(ranking, best, worst, Decision.allowed(reason, "AT-6"))


def naming_reason(best: Iterable[str] | str, worst: Iterable[str] | str) -> str:
    """AT-6: "best: …; worst: …", the people given by how the reader knows them."""
    return _("best: {best}; worst: {worst}").format(
        best=best if isinstance(best, str) else listing(best), worst=worst if isinstance(worst, str) else listing(worst)
    )


def _ranked(ordered: Sequence[tuple[int | str, float]]) -> Iterable[Ranked]:
    place, previous = 0, None
    for position, (person_id, value) in enumerate(ordered, start=1):
        if value != previous:
            place, previous = position, value
        yield Ranked(person_id, value, place)


def _names(ranked: Sequence[Ranked]) -> str:
    return listing(str(r.person_id) for r in ranked)


# -- dismissal reviews of the month ------------------------------------------------------


@dataclass(frozen=True)
class OffenceCount:
    """FN-10: one person's standing fines of one escalating rule in one calendar month."""

    person_id: int | str
    rule_id: str
    offences: int


def escalating_thresholds(policy: Policy) -> dict[str, int]:
    """DS-2: the rule IDs that escalate (FN-1, FN-3) and the offence count that raises a review."""
    return {
        OFFENCE_RULES[offence][0]: getattr(policy.fines, offence.value).dismissal_review_at
        for offence in sorted(ESCALATING)
    }


def reviews_due(counts: Iterable[OffenceCount], policy: Policy) -> tuple[tuple[OffenceCount, Decision], ...]:
    """DS-2: the counts that reach the review threshold, each with the rule's decision.

    Rules that do not escalate never raise a review, however many times they are broken.
    """
    thresholds = escalating_thresholds(policy)
    due = []
    for count in counts:
        if count.rule_id not in thresholds:
            continue
        decision = dismissal_review(count.offences, thresholds[count.rule_id], count.rule_id)
        if decision.outcome is Outcome.VIOLATION:
            due.append((count, decision))
    return tuple(due)
