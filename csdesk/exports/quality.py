"""Quality exports: the monthly score sheet (QA-2) and the weekly summary (QA-3) as CSV.

One row per agent. Criterion columns follow the policy's rubric, headed by
the criterion's label and its max points; the monthly sheet gives average
points, the weekly summary the share of each criterion's scale. Headers are
written in the desk's language, as the attendance export does. Staff data
only, never a customer's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csdesk.exports.attendance import header
from csdesk.exports.csvfile import Figure
from csdesk.exports.tables import Format, write_table
from csdesk.i18n import N_, _
from csdesk.policy import Policy
from csdesk.services.quality import MonthlySheet, WeeklyReport
from csdesk.vocabulary import value_word

MONTH_LEAD = (N_("employee_number"), N_("name"), N_("squad"), N_("month"), N_("samples"), N_("sampling"))
MONTH_TAIL = (N_("total_points"), N_("overall_percent"), N_("training_suggested"), N_("note"), N_("rule_ids"))
WEEK_LEAD = (N_("week"), N_("employee_number"), N_("name"), N_("squad"), N_("samples"))
WEEK_TAIL = (N_("overall_percent"), N_("training_suggested"))


@dataclass(frozen=True)
class ExportedSheet:
    path: Path
    rows: int


def _criteria_header(policy: Policy, unit: str) -> list[str]:
    return [f"{_(c.label)} ({unit.format(max=c.max)})" for c in policy.qa.rubric]


def _labels(keys: tuple[str, ...], policy: Policy) -> str:
    names = {c.key: _(c.label) for c in policy.qa.rubric}
    return "; ".join(names.get(k, k) for k in keys)


def _number(value: float | None) -> Figure | None:
    return None if value is None else Figure(value, None)


def write_month(sheets: tuple[MonthlySheet, ...], policy: Policy, out: Path, fmt: Format = Format.CSV) -> int:
    columns = header(MONTH_LEAD) + _criteria_header(policy, "/{max}") + header(MONTH_TAIL)
    return write_table(
        out,
        columns,
        (
            (
                s.employee_number,
                s.name,
                s.squad,
                s.month,
                len(s.inspections),
                value_word(s.status),
                *(_number(s.averages.get(k)) for k in policy.qa.criteria),
                _number(s.total),
                _number(s.overall),
                _labels(s.weakest, policy),
                s.reason,
                s.rule_ids,
            )
            for s in sheets
        ),
        fmt,
    )


def write_week(report: WeeklyReport, policy: Policy, out: Path, fmt: Format = Format.CSV) -> int:
    columns = header(WEEK_LEAD) + _criteria_header(policy, "%") + header(WEEK_TAIL)
    team = (
        report.iso_week,
        "",
        _("whole team"),
        "",
        report.inspections,
        *(_number(report.percents.get(k)) for k in policy.qa.criteria),
        _number(report.overall),
        _labels(report.team_training, policy),
    )
    return write_table(
        out,
        columns,
        [
            team,
            *(
                (
                    report.iso_week,
                    line.employee_number,
                    line.name,
                    line.squad,
                    line.samples,
                    *(_number(line.percents.get(k)) for k in policy.qa.criteria),
                    _number(line.overall),
                    _labels(line.training, policy),
                )
                for line in report.lines
            ),
        ],
        fmt,
    )
