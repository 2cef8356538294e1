"""Writing Excel workbooks (.xlsx) that spreadsheet programs read as data, not text.

* Cells keep their types: dates and times are dates, minutes and hours are
  numbers (``Figure`` keeps its decimal places as the cell's number format),
  so a director can sort and sum them.
* The header row is frozen and carries the filters; columns are as wide as
  their header and first rows, a Chinese character counting two.
* Text cells get the same formula guard as the CSV (``safe_text``).
* Streamed with openpyxl's write-only workbook, so memory stays flat however
  many rows; a sheet holds what Excel opens (1,048,576 rows), and more rows
  continue on a next sheet under the same header rather than being cut off.
* Written beside the target and renamed into place, as the CSV is.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from rich.cells import cell_len

from csdesk.exports.csvfile import Figure, safe_cell, safe_text, staged

# Excel's own limit, header included.
SHEET_ROWS = 1_048_576
# Rows read ahead to size the columns before the first is written (widths come first in the file).
_SAMPLE = 500
_WIDEST = 60
DATE_FORMAT = "yyyy-mm-dd"
MINUTE_FORMAT = "yyyy-mm-dd hh:mm"


def write_xlsx(target: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Writes ``header`` and ``rows`` to the workbook ``target``; returns the number of data rows."""
    book = Workbook(write_only=True)
    stream = iter(rows)
    ahead = list(islice(stream, _SAMPLE))
    widths = _widths(header, ahead)
    count = 0
    sheet, used = _new_sheet(book, header, widths), 1
    for row in chain(ahead, stream):
        if used == SHEET_ROWS:
            _close(sheet, len(widths), used)
            sheet, used = _new_sheet(book, header, widths), 1
        sheet.append([_cell(sheet, value) for value in row])
        used += 1
        count += 1
    _close(sheet, len(widths), used)
    with staged(Path(target)) as partial:
        book.save(partial)
    return count


def _new_sheet(book: Workbook, header: Sequence[str], widths: list[float]) -> WriteOnlyWorksheet:
    sheet = book.create_sheet()
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=_text(safe_cell(name)))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _close(sheet: WriteOnlyWorksheet, columns: int, rows: int) -> None:
    # Made by the worksheet's set-up, which the type stubs don't follow; written when the sheet closes.
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(columns, 1))}{rows}"  # type: ignore[attr-defined]


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as the workbook keeps it: numbers and dates typed, everything else guarded text."""
    kind = type(value)
    if kind is str:
        return _text(safe_text(value)) or None  # an empty cell, not a text of nothing
    if kind is int or kind is float or value is None:
        return value
    if kind is Figure:
        return _formatted(sheet, value.value, "General" if value.places is None else f"0.{'0' * value.places}")
    if isinstance(value, datetime):
        # A wall-clock time in the centre's zone: Excel keeps no zone.
        return _formatted(sheet, value.replace(tzinfo=None), MINUTE_FORMAT)
    if isinstance(value, date):
        return _formatted(sheet, value, DATE_FORMAT)
    return _text(safe_cell(value))


def _formatted(sheet: WriteOnlyWorksheet, value: Any, number_format: str) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _text(text: str) -> str:
    """Control characters have no place in a workbook's XML: openpyxl would refuse the file."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _widths(header: Sequence[str], rows: list[Sequence[Any]]) -> list[float]:
    def shown(value: Any) -> int:
        if isinstance(value, datetime):
            return len("2026-11-23 08:30")
        return cell_len(safe_cell(value))

    widest = [cell_len(name) for name in header]
    for row in rows:
        widest += [0] * (len(row) - len(widest))
        for number, value in enumerate(row):
            widest[number] = max(widest[number], shown(value))
    return [min(width, _WIDEST) + 2 for width in widest]
