"""Exports as use cases: read what the actor may see, write the files, note it in the audit log.

Weeks and months may be given as ``last`` or ``this`` (``csdesk.services.periods``); each
export is written as CSV or as an Excel workbook (``fmt``, else the suffix of ``out``).

``csdesk.exports`` lays the files out; these are what the CLI's ``csdesk export …``
commands and the screens' ``e`` keys call, so both write the same files and
leave the same audit row.
"""

from __future__ import annotations

from pathlib import Path

from csdesk.exports.attendance import ExportedFiles, write_week
from csdesk.exports.attendance import default_path as attendance_path
from csdesk.exports.contacts import ExportedContacts, write_sheet
from csdesk.exports.contacts import default_path as contacts_path
from csdesk.exports.csvfile import write_csv
from csdesk.exports.evaluation import ExportedEvaluation, write_evaluation
from csdesk.exports.evaluation import default_path as evaluation_path
from csdesk.exports.quality import ExportedSheet, write_month
from csdesk.exports.quality import write_week as write_quality_week
from csdesk.exports.tables import Format, format_of
from csdesk.i18n import _
from csdesk.services.attendance import week_shifts
from csdesk.services.base import Actor, Desk, InvalidInput, audit
from csdesk.services.contacts import contact_sheet
from csdesk.services.evaluation import monthly_evaluation
from csdesk.services.months import current_month, parse_month
from csdesk.services.periods import month_asked, week_asked
from csdesk.services.quality import monthly_sheets, weekly_report
from csdesk.services.roster import ROSTER_COLUMNS
from csdesk.services.rostering import published_rows


def _note(desk: Desk, actor: Actor, action: str, entity: str, key: str, after: dict[str, object]) -> None:
    """The export in the audit log, in a transaction of its own once the file is written."""
    with desk.write() as session:
        audit(session, actor, action, entity, key, after=after)


def _target(out: str | Path | None, default: Path, fmt: Format) -> Path:
    return (Path(out) if out is not None else default.with_suffix(fmt.suffix)).expanduser().absolute()


def _format(out: str | Path | None, asked: str | None) -> Format:
    """``asked`` (csv or xlsx), else what ``out``'s suffix says; a file named for the other is refused."""
    try:
        fmt = format_of(out, asked)
    except ValueError:
        raise InvalidInput(_("{asked!r} is not a format: csv or xlsx").format(asked=asked), field="format") from None
    suffix = Path(out).suffix.lower() if out is not None else ""
    if suffix in (".csv", ".xlsx") and suffix != fmt.suffix:
        raise InvalidInput(
            _("{file} is named for another format than {format}").format(file=Path(out or "").name, format=fmt.value),
            field="out",
        )
    return fmt


def export_attendance(
    desk: Desk,
    actor: Actor,
    iso_week: str,
    squad_id: int | None = None,
    out: str | Path | None = None,
    fmt: str | None = None,
) -> ExportedFiles:
    """AT-5: the week's two files (leaders only), noted in the audit log."""
    form = _format(out, fmt)
    data = week_shifts(desk, actor, week_asked(desk, iso_week), squad_id)
    files = write_week(data, _target(out, attendance_path(data.iso_week), form), form)
    _note(
        desk,
        actor,
        "attendance.export",
        "attendance_week",
        data.iso_week,
        {"squad_id": data.squad_id, "rows": files.rows, "file": files.attendance.name},
    )
    return files


def export_contacts(
    desk: Desk, actor: Actor, out: str | Path | None = None, fmt: str | None = None
) -> ExportedContacts:
    """ST-5, ST-6: the confidential contact sheet (leaders only), readable by its owner alone,
    noted in the audit log."""
    form = _format(out, fmt)
    lines = contact_sheet(desk, actor)
    today = desk.now().astimezone(desk.policy.zone).date()
    target = _target(out, contacts_path(today), form)
    write_sheet(lines, target, form)  # owner-only from the moment it exists
    _note(
        desk, actor, "contacts.export", "contact_sheet", today.isoformat(), {"people": len(lines), "file": target.name}
    )
    return ExportedContacts(target, len(lines))


def export_evaluation(
    desk: Desk,
    actor: Actor,
    month: str | None = None,
    squad_id: int | None = None,
    out: str | Path | None = None,
    fmt: str | None = None,
) -> ExportedEvaluation:
    """AT-6: the month's ranking (leaders and directors; DS-2 reviews for directors), noted in
    the audit log."""
    form = _format(out, fmt)
    data = monthly_evaluation(desk, actor, month and month_asked(desk, month), squad_id)
    files = write_evaluation(data, _target(out, evaluation_path(data.month), form), form)
    _note(
        desk,
        actor,
        "evaluation.export",
        "evaluation_month",
        data.month,
        {"squad_id": data.squad_id, "people": files.people, "file": files.ranking.name},
    )
    return files


def export_quality_month(
    desk: Desk, actor: Actor, month: str | None = None, out: str | Path | None = None, fmt: str | None = None
) -> ExportedSheet:
    """QA-2: every agent's score sheet for the month in one CSV (``quality-2026-03.csv``)."""
    form = _format(out, fmt)
    month = month and month_asked(desk, month)
    sheets = monthly_sheets(desk, actor, month)
    label = sheets[0].month if sheets else (month or current_month(desk))
    path = _target(out, Path.cwd() / f"quality-{label}.csv", form)
    rows = write_month(sheets, desk.policy, path, form)
    _note(desk, actor, "quality.export", "quality_month", label, {"rows": rows, "file": path.name})
    return ExportedSheet(path, rows)


def export_quality_week(
    desk: Desk, actor: Actor, iso_week: str | None = None, out: str | Path | None = None, fmt: str | None = None
) -> ExportedSheet:
    """QA-3: the week's summary with its training plan (``quality-2026-W11.csv``); the
    first row is the whole team."""
    form = _format(out, fmt)
    report = weekly_report(desk, actor, iso_week and week_asked(desk, iso_week))
    path = _target(out, Path.cwd() / f"quality-{report.iso_week}.csv", form)
    rows = write_quality_week(report, desk.policy, path, form)
    _note(desk, actor, "quality.export", "quality_week", report.iso_week, {"rows": rows, "file": path.name})
    return ExportedSheet(path, rows)


def export_roster(
    desk: Desk, actor: Actor, month_text: str, squad_id: int | None = None, out: str | Path | None = None
) -> tuple[Path, int]:
    """The published month in the columns ``csdesk import roster`` reads; returns the file and its rows."""
    month = parse_month(month_text)
    rows = published_rows(desk, actor, month, squad_id)
    target = _target(out, Path(f"roster-{month:%Y-%m}.csv"), Format.CSV)
    # The one CSV writer (owner-only, formula-safe); "yes"/"no" as the import reads them.
    lines = ((number, day.isoformat(), shift, "yes" if duty else "no") for number, day, shift, duty in rows)
    write_csv(target, ROSTER_COLUMNS, lines)
    _note(desk, actor, "roster.export", "roster", f"{month:%Y-%m}", {"squad_id": squad_id, "rows": len(rows)})
    return target, len(rows)
