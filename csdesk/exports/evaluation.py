"""The monthly evaluation export (AT-6): the ranking as CSV, and the month's
dismissal reviews (DS-2) beside it when the person exporting is a director.

``csdesk.services.exports.export_evaluation`` writes them for the CLI and the
evaluation screen. Headers
are written in the desk's language; the files hold staff data only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csdesk.exports.attendance import header
from csdesk.exports.csvfile import Figure
from csdesk.exports.tables import Format, write_table
from csdesk.i18n import N_, _
from csdesk.models.money import from_cents
from csdesk.services.evaluation import MonthEvaluation

RANKING_HEADER = (
    N_("month"),
    N_("rank"),
    N_("squad_rank"),
    N_("employee_number"),
    N_("name"),
    N_("squad"),
    N_("shifts_due"),
    N_("lates"),
    N_("absences"),
    N_("leave"),
    N_("hours_worked"),
    N_("hours_rostered"),
    N_("inspections"),
    N_("quality_percent"),
    N_("fines"),
    N_("rewards"),
    N_("attendance_part"),
    N_("quality_part"),
    N_("score"),
    N_("named"),
)
REVIEWS_HEADER = (
    N_("month"),
    N_("employee_number"),
    N_("name"),
    N_("squad"),
    N_("rule_id"),
    N_("offences"),
    N_("rule_ids"),
    N_("reason"),
)


@dataclass(frozen=True)
class ExportedEvaluation:
    ranking: Path
    reviews: Path | None  # written for directors only
    people: int
    review_count: int


def default_path(month: str, folder: Path | None = None) -> Path:
    """``evaluation-2026-03.csv`` in ``folder`` (the current directory by default)."""
    return (folder or Path.cwd()) / f"evaluation-{month}.csv"


def reviews_path(ranking_path: Path, fmt: Format = Format.CSV) -> Path:
    return ranking_path.with_name(f"{ranking_path.stem}-reviews{fmt.suffix}")


def _named(data: MonthEvaluation, staff_id: int) -> str:
    if any(p.staff_id == staff_id for p in data.best):
        return _("best")
    if any(p.staff_id == staff_id for p in data.worst):
        return _("worst")
    return ""


def write_evaluation(data: MonthEvaluation, out: Path, fmt: Format = Format.CSV) -> ExportedEvaluation:
    people = write_table(
        out,
        header(RANKING_HEADER),
        (
            (
                data.month,
                p.rank,
                p.squad_rank,
                p.employee_number,
                p.name,
                p.squad,
                p.shifts_due,
                p.lates,
                p.absences,
                p.leave,
                Figure(p.minutes_worked / 60),
                Figure(p.minutes_rostered / 60),
                p.inspections,
                None if p.quality is None else Figure(p.quality * 100, 1),
                Figure(from_cents(p.fines_cents)),
                Figure(from_cents(p.rewards_cents)),
                Figure(p.attendance_part, 4),
                Figure(p.quality_part, 4),
                Figure(p.score, 4),
                _named(data, p.staff_id),
            )
            for p in data.people
        ),
        fmt,
    )
    second, reviews = None, 0
    if data.reviews is not None:
        second = reviews_path(out, fmt)
        reviews = write_table(
            second,
            header(REVIEWS_HEADER),
            (
                (data.month, r.employee_number, r.name, r.squad, r.rule_id, r.offences, r.rule_ids, r.reason)
                for r in data.reviews
            ),
            fmt,
        )
    return ExportedEvaluation(out, second, people, reviews)
