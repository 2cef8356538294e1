"""The weekly attendance export (AT-5): one CSV of shifts, one of weekly hours (AT-4).

``export_attendance`` is what the CLI and the attendance screen call. Times
are wall-clock times in the centre's zone; statuses and leave types are the
vocabulary values (``present``, ``late``, ``absenteeism``, ...). The files
hold staff data only, never a customer's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csdesk.exports.csvfile import write_csv
from csdesk.services.attendance import AttendanceWeek, week
from csdesk.services.base import Actor, Desk, audit

ATTENDANCE_HEADER = (
    "employee_number", "name", "squad", "date", "shift", "scheduled_start", "scheduled_end",
    "clock_in", "clock_out", "minutes_late", "status", "leave_type", "minutes_away", "violations",
)
HOURS_HEADER = (
    "employee_number", "name", "squad", "week", "shifts", "minutes_worked", "hours_worked",
    "meets_minimum", "rule_ids", "note",
)


@dataclass(frozen=True)
class ExportedFiles:
    attendance: Path
    hours: Path
    rows: int
    people: int


def default_path(iso_week: str, folder: Path | None = None) -> Path:
    """``attendance-2026-W47.csv`` in ``folder`` (the current directory by default)."""
    return (folder or Path.cwd()) / f"attendance-{iso_week}.csv"


def hours_path(attendance_path: Path) -> Path:
    """The hours file sits beside the attendance file: ``<stem>-hours.csv``."""
    return attendance_path.with_name(f"{attendance_path.stem}-hours.csv")


def write_week(data: AttendanceWeek, out: Path) -> ExportedFiles:
    rows = write_csv(out, ATTENDANCE_HEADER, (
        (r.employee_number, r.name, r.squad, r.date, r.shift.value, r.scheduled_start, r.scheduled_end,
         r.clock_in, r.clock_out, r.minutes_late, r.status.value if r.status else "",
         r.leave_type.value if r.leave_type else "", r.minutes_away, r.violations)
        for r in data.rows
    ))
    second = hours_path(out)
    people = write_csv(second, HOURS_HEADER, (
        (h.employee_number, h.name, h.squad, data.iso_week, h.shifts, h.minutes_worked,
         f"{h.minutes_worked / 60:.2f}", h.meets_minimum, h.rule_ids, h.reason)
        for h in data.hours
    ))
    return ExportedFiles(out, second, rows, people)


def export_attendance(desk: Desk, actor: Actor, iso_week: str, squad_id: int | None = None,
                      out: str | Path | None = None) -> ExportedFiles:
    """Writes the week's two files (leaders only, AT-5) and notes the export in the audit log."""
    data = week(desk, actor, iso_week, squad_id)
    target = Path(out) if out is not None else default_path(data.iso_week)
    files = write_week(data, target.expanduser().absolute())
    with desk.write() as session:
        audit(session, actor, "attendance.export", "attendance_week", data.iso_week,
              after={"squad_id": data.squad_id, "rows": files.rows, "file": files.attendance.name})
    return files
