"""The weekly attendance export (AT-5): one CSV of shifts, one of weekly hours (AT-4).

``csdesk.services.exports.export_attendance`` writes it for the CLI and the
attendance screen. Times
are wall-clock times in the centre's zone; statuses and leave types are the
vocabulary values (``present``, ``late``, ``absenteeism``, ...), and the
headers and those values are written in the desk's language (``工号``, ``迟到``
in Chinese). The files hold staff data only, never a customer's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from csdesk.exports.csvfile import Figure, minute_text, safe_cell, safe_text, write_safe_csv
from csdesk.exports.tables import Format, write_table
from csdesk.i18n import N_, _
from csdesk.services.attendance import ShiftSlot, WeekShifts
from csdesk.vocabulary import value_word

ATTENDANCE_HEADER = (
    N_("employee_number"),
    N_("name"),
    N_("squad"),
    N_("date"),
    N_("shift"),
    N_("scheduled_start"),
    N_("scheduled_end"),
    N_("clock_in"),
    N_("clock_out"),
    N_("minutes_late"),
    N_("status"),
    N_("leave_type"),
    N_("minutes_away"),
    N_("minutes_break"),
    N_("minutes_worked"),
    N_("minutes_overtime"),
    N_("minutes_early"),
    N_("violations"),
)
HOURS_HEADER = (
    N_("employee_number"),
    N_("name"),
    N_("squad"),
    N_("week"),
    N_("shifts"),
    N_("minutes_worked"),
    N_("hours_worked"),
    N_("meets_minimum"),
    N_("rule_ids"),
    N_("note"),
)


def header(names: tuple[str, ...]) -> list[str]:
    return [_(name) for name in names]


@dataclass(frozen=True)
class ExportedFiles:
    attendance: Path
    hours: Path
    rows: int
    people: int


def default_path(iso_week: str, folder: Path | None = None) -> Path:
    """``attendance-2026-W47.csv`` in ``folder`` (the current directory by default)."""
    return (folder or Path.cwd()) / f"attendance-{iso_week}.csv"


def hours_path(attendance_path: Path, fmt: Format = Format.CSV) -> Path:
    """The hours file sits beside the attendance file: ``<stem>-hours.csv`` (or ``.xlsx``)."""
    return attendance_path.with_name(f"{attendance_path.stem}-hours{fmt.suffix}")


def write_week(data: WeekShifts, out: Path, fmt: Format = Format.CSV) -> ExportedFiles:
    words = _Words()
    # A person's number, name and squad, and a shift's day and times, repeat on many rows.
    people: dict[int, tuple[str, str, str]] = {}
    days: dict[ShiftSlot, tuple[Any, Any, Any, Any]] = {}
    count = 0
    # The CSV gets text made once per day and time; the workbook keeps dates, times and hours typed.
    typed = fmt is Format.XLSX
    day_cell: Callable[[date], Any] = _same if typed else date.isoformat
    time_cell: Callable[[datetime], Any] = _wall_clock if typed else minute_text
    hours_cell: Callable[[int], Any] = _hours if typed else _hours_text

    def shifts() -> Iterator[tuple[Any, ...]]:
        nonlocal count
        for staff_id, _roster_id, number, name, squad, slot, clock_in, clock_out, f, leave_type, charged in data.shifts:
            who = people.get(staff_id)
            if who is None:
                who = people[staff_id] = (safe_text(number), safe_text(name), safe_text(squad))
            day = days.get(slot)
            if day is None:
                day = days[slot] = (day_cell(slot.day), words[slot.kind], time_cell(slot.start), time_cell(slot.end))
            count += 1
            # The rules never give negative minutes, so the numbers need no formula guard.
            # SW-5: the shift an unclear swap left empty, charged to the swap's parties.
            extra = ("SW-5",) if charged else ()
            if f is None:  # not started yet
                figures: tuple[Any, ...] = (0, words[None], words[leave_type], 0, 0, 0, 0, 0, " ".join(extra))
            else:
                figures = (
                    f.minutes_late,
                    words[f.status],
                    words[leave_type],
                    f.minutes_away,
                    f.minutes_break,
                    f.minutes_worked,
                    f.minutes_overtime,
                    f.minutes_early,
                    " ".join((*f.violations, *extra)) if f.violations or extra else "",
                )
            yield (
                *who,
                *day,
                time_cell(clock_in) if clock_in is not None else "",
                time_cell(clock_out) if clock_out is not None else "",
                *figures,
            )

    write: Callable[..., Any] = partial(write_table, fmt=fmt) if typed else write_safe_csv
    write(out, header(ATTENDANCE_HEADER), shifts())
    second = hours_path(out, fmt)
    notes: dict[str, str] = {}
    # Everyone in the hours file has shifts in the first, so ``people`` knows them.
    write(
        second,
        header(HOURS_HEADER),
        (
            (
                *people[h.staff_id],
                data.iso_week,
                h.shifts,
                h.minutes_worked,
                hours_cell(h.minutes_worked),
                words[h.meets_minimum],
                " ".join(h.rule_ids),
                notes.get(h.reason) or notes.setdefault(h.reason, safe_text(h.reason)),
            )
            for h in data.hours
        ),
    )
    return ExportedFiles(out, second, count, len(data.hours))


def _same(value: Any) -> Any:
    return value


def _hours(minutes: int) -> Figure:
    return Figure(minutes / 60)


def _hours_text(minutes: int) -> str:
    return f"{minutes / 60:.2f}"


def _wall_clock(moment: datetime) -> datetime:
    """The centre's wall-clock time, as the CSV writes it: a workbook keeps no time zone."""
    return moment.replace(tzinfo=None, second=0, microsecond=0)


class _Words(dict[object, str]):
    """Each vocabulary value (and yes/no) as a safe cell in the desk's language, translated once."""

    def __missing__(self, value: object) -> str:
        cell = self[value] = safe_cell(value if isinstance(value, bool) else value_word(value))
        return cell
