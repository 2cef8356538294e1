"""An export's table as CSV or as an Excel workbook: ``--format``, else the file's suffix, else CSV.

Both hold the same rows under the same header. The layouts (``attendance``,
``evaluation``, ...) give typed cells (dates, ints, ``Figure``); the CSV
writes their text, the workbook keeps their types.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from csdesk.exports.csvfile import write_csv


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def suffix(self) -> str:
        return f".{self.value}"


FORMATS = tuple(f.value for f in Format)


def format_of(out: str | os.PathLike[str] | None, asked: str | None = None) -> Format:
    """The format asked for; else the one ``out``'s suffix names; else CSV."""
    if asked:
        return Format(asked.strip().lower())
    suffix = Path(out).suffix.lower() if out is not None else ""
    return Format.XLSX if suffix == Format.XLSX.suffix else Format.CSV


def write_table(
    target: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: Format
) -> int:
    """Writes the table as ``fmt``; returns the number of data rows."""
    if fmt is Format.XLSX:
        from csdesk.exports.xlsxfile import write_xlsx  # openpyxl only for those who ask

        return write_xlsx(target, header, rows)
    return write_csv(target, header, rows)
