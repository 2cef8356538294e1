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
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from csdesk.exports.csvfile import Figure, csv_text, minute_text, safe_cell, safe_text, write_csv_lines
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
    cells: _Cells = _TypedCells(data.zone) if fmt is Format.XLSX else _TextCells(data.zone)

    def shifts() -> Iterator[Any]:
        # A person's number, name and squad, and a shift's day and times, repeat on many rows.
        who_of, day_of, minute, word, rules_of, row, blank = (
            cells.who,
            cells.day,
            cells.minute,
            cells.word,
            cells.rule_ids,
            cells.shift_row,
            cells.blank,
        )
        person = who = None
        for staff_id, _roster_id, number, name, squad, slot, clock_in, clock_out, f, leave_type, charged in data.rows:
            if staff_id != person:  # a person's shifts come one after another
                person, who = staff_id, who_of.get(staff_id)
                if who is None:
                    who = who_of[staff_id] = cells.person(number, name, squad)
            day = day_of.get(slot)
            if day is None:
                day = day_of[slot] = cells.slot(slot)
            # The minute since the epoch from the days and seconds since it: dividing the span
            # by a minute costs three times as much.
            if clock_in is not None:
                since = clock_in - _EPOCH
                came = minute[since.days * 1440 + since.seconds // 60]
            else:
                came = blank
            if clock_out is not None:
                since = clock_out - _EPOCH
                left = minute[since.days * 1440 + since.seconds // 60]
            else:
                left = blank
            # The rules never give negative minutes, so the numbers need no formula guard.
            # SW-5: the shift an unclear swap left empty, charged to the swap's parties.
            if f is None:  # not started yet
                yield row(who, day, came, left, 0, word[None], word[leave_type], 0, 0, 0, 0, 0, rules_of[((), charged)])
                continue
            # Spread at once: eight of a named tuple's fields one by one cost twice as much. The
            # export's week is read without reasons, so its figures are ``ShiftFigures``.
            status, late, away, worked, overtime, violations, early, pause = f  # type: ignore[misc]
            yield row(
                who,
                day,
                came,
                left,
                late,
                word[status],
                word[leave_type],
                away,
                pause,
                worked,
                overtime,
                early,
                rules_of[(violations, charged)] if violations or charged else blank,
            )

    def hours() -> Iterator[Any]:
        # Everyone in the hours file has shifts in the first, so ``cells.who`` knows them.
        who_of, word, rules_of, row, hours_of = cells.who, cells.word, cells.rule_ids, cells.hours_row, cells.hours
        week = cells.quoted(data.iso_week)
        # Many people work the same minutes and share a note (AT-4's wording depends on the minutes).
        notes: dict[str, Any] = {}
        for staff_id, _number, _name, _squad, shifts, worked, meets, rule_ids, reason, _approved in data.hours:
            note = notes.get(reason)
            if note is None:
                note = notes[reason] = cells.quoted(safe_text(reason))
            yield row(
                who_of[staff_id], week, shifts, worked, hours_of(worked), word[meets], rules_of[(rule_ids, False)], note
            )

    cells.write(out, header(ATTENDANCE_HEADER), shifts())
    second = hours_path(out, fmt)
    cells.write(second, header(HOURS_HEADER), hours())
    # Everyone's shifts, as the hours file counts them, are the first file's rows.
    return ExportedFiles(out, second, sum(h.shifts for h in data.hours), len(data.hours))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Cells:
    """The cells that repeat over a week's rows, each made once (per person, shift,
    minute, word), and the rows made of them; ``_TextCells`` for the CSV,
    ``_TypedCells`` for the workbook. A person's cells and a shift's day and
    times come as one value each, which the row spreads out."""

    def __init__(self, zone: tzinfo) -> None:
        self.who: dict[int, Any] = {}
        self.squad = _Memo(lambda name: self.quoted(safe_text(name)))
        self.day: dict[ShiftSlot, Any] = {}
        self.minute = _Minutes(zone, self.clock)
        # Each vocabulary value (and yes/no) in the desk's language, translated once.
        self.word = _Memo(lambda value: self.quoted(safe_cell(value if isinstance(value, bool) else value_word(value))))
        # Rule IDs are never a formula; the flag adds SW-5 (see ``write_week``).
        self.rule_ids = _Memo(lambda key: self.quoted(" ".join((*key[0], *(("SW-5",) if key[1] else ())))))

    # An empty cell, as the file holds it.
    blank: Any = ""

    def quoted(self, cell: str) -> Any:
        """A cell already made safe, as the file holds it."""
        return cell

    def clock(self, local: datetime) -> Any:
        raise NotImplementedError

    def person(self, number: str, name: str, squad: str) -> Any:
        raise NotImplementedError

    def slot(self, slot: ShiftSlot) -> Any:
        raise NotImplementedError

    def hours(self, minutes: int) -> Any:
        raise NotImplementedError

    def shift_row(self, who: Any, day: Any, *rest: Any) -> Any:
        raise NotImplementedError

    def hours_row(self, who: Any, *rest: Any) -> Any:
        raise NotImplementedError

    def write(self, target: Path, names: list[str], rows: Iterator[Any]) -> None:
        raise NotImplementedError


class _TextCells(_Cells):
    """CSV lines as UTF-8: a time as ``2026-11-23 08:30``, repeated cells already quoted as
    csv.writer would and encoded once.

    Bytes rather than text: a line holding a name like 王芳 is text of wide
    characters from end to end, which costs twice an ASCII line's time to put
    together and ten times to encode; its bytes cost the same either way.
    """

    blank = b""

    def quoted(self, cell: str) -> bytes:
        return csv_text(cell).encode()

    def clock(self, local: datetime) -> bytes:
        return minute_text(local).encode()  # starts with the year: never quoted, never a formula

    def person(self, number: str, name: str, squad: str) -> bytes:
        return b"%s,%s" % (csv_text(safe_text(number), safe_text(name)).encode(), self.squad[squad])

    def slot(self, slot: ShiftSlot) -> bytes:
        # An ISO day and times are never quoted, nor a formula.
        day, start, end = (
            text.encode() for text in (slot.day.isoformat(), minute_text(slot.start), minute_text(slot.end))
        )
        return b"%s,%s,%s,%s" % (day, self.word[slot.kind], start, end)

    def hours(self, minutes: int) -> bytes:
        return b"%.2f" % (minutes / 60)

    # The lines csv.writer would write, in ATTENDANCE_HEADER's and HOURS_HEADER's order.
    @staticmethod
    def shift_row(
        who: bytes,
        day: bytes,
        came: bytes,
        left: bytes,
        late: int,
        status: bytes,
        leave: bytes,
        away: int,
        pause: int,
        worked: int,
        overtime: int,
        early: int,
        rule_ids: bytes,
    ) -> bytes:
        return b"%s,%s,%s,%s,%d,%s,%s,%d,%d,%d,%d,%d,%s\r\n" % (
            who,
            day,
            came,
            left,
            late,
            status,
            leave,
            away,
            pause,
            worked,
            overtime,
            early,
            rule_ids,
        )

    @staticmethod
    def hours_row(
        who: bytes, week: bytes, shifts: int, worked: int, hours: bytes, meets: bytes, rule_ids: bytes, note: bytes
    ) -> bytes:
        return b"%s,%s,%d,%d,%s,%s,%s,%s\r\n" % (who, week, shifts, worked, hours, meets, rule_ids, note)

    def write(self, target: Path, names: list[str], rows: Iterator[Any]) -> None:
        write_csv_lines(target, names, rows)


class _TypedCells(_Cells):
    """Workbook cells: dates, wall-clock times and hours keep their types."""

    def clock(self, local: datetime) -> datetime:
        return _wall_clock(local)

    def person(self, number: str, name: str, squad: str) -> tuple[str, str, str]:
        return (safe_text(number), safe_text(name), self.squad[squad])

    def slot(self, slot: ShiftSlot) -> tuple[Any, ...]:
        return (slot.day, self.word[slot.kind], _wall_clock(slot.start), _wall_clock(slot.end))

    def hours(self, minutes: int) -> Figure:
        return Figure(minutes / 60)

    def shift_row(self, who: Any, day: Any, *rest: Any) -> tuple[Any, ...]:
        return (*who, *day, *rest)

    def hours_row(self, who: Any, *rest: Any) -> tuple[Any, ...]:
        return (*who, *rest)

    def write(self, target: Path, names: list[str], rows: Iterator[Any]) -> None:
        write_table(target, names, rows, Format.XLSX)


def _wall_clock(moment: datetime) -> datetime:
    """The centre's wall-clock time, as the CSV writes it: a workbook keeps no time zone."""
    return moment.replace(tzinfo=None, second=0, microsecond=0)


class _Memo(dict[Any, Any]):
    """``make(key)`` for each key, made the first time it is asked for."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


class _Minutes(dict[int, Any]):
    """A clock time's cell, by its minute since the epoch (``(moment - _EPOCH) // timedelta(minutes=1)``).

    A week's clock times fall on few distinct minutes (a shift's people clock
    in within minutes of each other), and putting one in the centre's zone and
    writing it out costs more than the rest of its row. Every zone has moved by
    whole minutes, on the minute, since 1972, so the minute's first moment
    stands for all of it: ``fromtimestamp`` puts it in the zone as ``astimezone``
    would, without making the UTC time first.
    """

    def __init__(self, zone: tzinfo, make: Callable[[datetime], Any]) -> None:
        super().__init__()
        self.zone, self.make = zone, make

    def __missing__(self, minute: int) -> Any:
        cell = self[minute] = self.make(datetime.fromtimestamp(minute * 60, self.zone))
        return cell
