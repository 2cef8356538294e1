"""The monthly evaluation (AT-6): a weighted score per agent, best and worst named."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from csdesk.policy import Policy
from csdesk.rules.decision import Decision


@dataclass(frozen=True)
class MonthFigures:
    """One agent's month. Attendance and quality are 0-1 shares; fines is the amount paid."""

    person_id: int | str
    attendance: float  # share of rostered shifts attended on time
    quality: float  # QA-2 overall score as a share of the scale
    fines: int


@dataclass(frozen=True)
class Ranked:
    person_id: int | str
    score: float


@dataclass(frozen=True)
class Evaluation:
    ranking: tuple[Ranked, ...]  # best first
    best: tuple[Ranked, ...]
    worst: tuple[Ranked, ...]
    decision: Decision


def monthly_evaluation(figures: Sequence[MonthFigures], policy: Policy) -> Evaluation:
    """AT-6: rank by the policy's weights; fines score relative to the month's highest total.

    Ties keep the order the figures were given in, so the caller decides
    (e.g. by employee number) who is named first.
    """
    weights = policy.evaluation
    most_fined = max((f.fines for f in figures), default=0)

    def score(f: MonthFigures) -> float:
        fines_part = 1 - f.fines / most_fined if most_fined else 1
        return round(
            weights.attendance_weight * f.attendance
            + weights.quality_weight * f.quality
            + weights.fines_weight * fines_part,
            4,
        )

    ranking = tuple(sorted((Ranked(f.person_id, score(f)) for f in figures), key=lambda r: -r.score))
    n = min(weights.name_best_and_worst, len(ranking) // 2)
    if not n:
        return Evaluation(ranking, (), (), Decision.warning("too few agents to name best and worst", "AT-6"))
    best, worst = ranking[:n], ranking[::-1][:n]
    return Evaluation(
        ranking, best, worst, Decision.allowed(f"best: {_names(best)}; worst: {_names(worst)}", "AT-6")
    )


def _names(ranked: Sequence[Ranked]) -> str:
    return ", ".join(str(r.person_id) for r in ranked)
