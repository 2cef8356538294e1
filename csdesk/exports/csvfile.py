"""Writing CSV files that spreadsheet programs open safely and correctly.

* UTF-8 with a byte-order mark, so Excel shows 王芳 rather than mojibake.
* A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  is prefixed with ``'``: a spreadsheet would otherwise run it as a formula
  (CSV injection), e.g. a name typed as ``=HYPERLINK(...)``.
* Written to a temporary file beside the target and renamed into place, so a
  failed export never leaves half a file under the real name.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from csdesk.i18n import _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# UTF-8 with the mark, what "utf-8-sig" writes; written by hand, as that codec
# would encode every row in Python where "utf-8" does it in C.
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Figure:
    """A number shown with ``places`` decimals (or as short as it goes, with None): its text
    in a CSV, and in a workbook the number itself, the places being the cell's format."""

    value: float | Decimal
    places: int | None = 2

    def __str__(self) -> str:
        return f"{self.value:g}" if self.places is None else f"{self.value:.{self.places}f}"


def safe_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: one starting like a formula gets a ``'``."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: Any) -> str:
    """One cell as text: dates ISO, None empty, yes/no in the desk's language, formulas neutralised."""
    if type(value) is str:
        text = value
    elif value is None:
        return ""
    elif isinstance(value, bool):
        text = _("yes") if value else _("no")
    elif isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, (list, tuple)):
        text = " ".join(str(v) for v in value)
    else:
        text = str(value)
    return safe_text(text)


def minute_text(moment: datetime) -> str:
    """``safe_cell``'s text for a time (``2026-11-23 08:30``) without the cost of strftime.

    It starts with the year, so it never needs the formula guard.
    """
    if moment.year < 1000:  # strftime writes such a year unpadded, isoformat pads it
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.isoformat(" ", "minutes")[:16]


@contextmanager
def staged(path: Path) -> Iterator[Path]:
    """A path beside ``path`` to write to; the file takes ``path``'s place only once it is complete."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextmanager
def _replacing(path: Path) -> Iterator[TextIO]:
    with staged(path) as partial, partial.open("w", encoding="utf-8", newline="") as handle:
        handle.write(BOM)
        yield handle


def write_csv(target: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Writes ``header`` and ``rows`` to ``target``; returns the number of data rows."""
    count = 0

    def made_safe() -> Iterator[list[str]]:
        nonlocal count
        for row in rows:
            count += 1
            yield [safe_cell(cell) for cell in row]

    write_safe_csv(target, header, made_safe())
    return count


def write_safe_csv(target: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[str | int]]) -> None:
    """Like ``write_csv`` for rows already made safe cell by cell.

    Every text cell must come from ``safe_cell``, ``safe_text`` or
    ``minute_text``, or be known to start with a letter or digit; ints must
    not be negative (``-5`` would be read as a formula).
    """
    with _replacing(Path(target)) as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_cell(h) for h in header])
        writer.writerows(rows)
