"""Writing CSV files that spreadsheet programs open safely and correctly.

* UTF-8 with a byte-order mark, so Excel shows 王芳 rather than mojibake.
* A cell starting with ``=``, ``+``, ``-``, ``@`` (or their full-width forms),
  a tab, a carriage return or a line feed is prefixed with ``'``: a spreadsheet
  would otherwise run it as a formula (CSV injection), e.g. a name typed as
  ``=HYPERLINK(...)``.
* A cell holding a ``;``, tab or line break is quoted, and what follows one is
  nothing a spreadsheet would run: opened with ``;`` or tab as the separator (as
  spreadsheets in Spanish locales do), the rest of a cell becomes a cell of its own.
* Control characters (NUL, ESC, BEL ...) never reach a cell.
* Written to a temporary file beside the target, created owner-only (0600) and
  never through a symlink, then renamed into place: a failed export never
  leaves half a file under the real name, and nobody else can read it meanwhile.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from csdesk.i18n import _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Each of them is one character: a cell's first is looked up rather than each compared.
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
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


# What makes a cell need more than its first character checked.
_RISKY = re.compile(r"[\x00-\x1f\x7f-\x9f;\"]|^[\s\"]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A formula start at the beginning of the cell or after a separator some spreadsheet
# splits on, spaces and quote marks before it included.
_FORMULA_SEGMENT = re.compile(r"(^|[;\t\r\n])([ \"]*)(?=[=+\-@＝＋－＠\t\r\n])")


def safe_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: control characters dropped, and a ``'``
    before the cell, or any part after a ``;``, tab or line break, starting like a formula."""
    # Most cells are printable (no control character nor line break) and hold neither ";" nor
    # a quote mark, nor start with a space: then ``_RISKY`` would find nothing, and looking
    # for that costs a third of its search.
    if (text.isprintable() and ";" not in text and '"' not in text and text[:1] != " ") or _RISKY.search(text) is None:
        return "'" + text if text[:1] in _FORMULA_FIRST else text
    text = _CONTROL.sub("", text)
    return _FORMULA_SEGMENT.sub(lambda m: f"{m.group(1)}'{m.group(2)}", text)


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
    if moment.year < 1000:  # strftime writes such a year unpadded
        return moment.strftime("%Y-%m-%d %H:%M")
    # The day and the time of day, which know no zone: the whole moment's isoformat
    # would work out the zone's offset too, only to have it cut off.
    return f"{moment.date().isoformat()} {moment.time().isoformat('minutes')}"


@contextmanager
def staged(path: Path) -> Iterator[Path]:
    """A new file beside ``path`` to write to, which takes ``path``'s place only once complete.

    The file gets a name nobody can guess, is created exclusively (O_EXCL, so never
    through a link planted at its name) and owner-only from the first moment; the
    rename replaces a link at ``path`` rather than follow it.
    """
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(fd)
    partial = Path(name)
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


# The csv module quotes a cell holding any character of the line ending, and only
# the separator, quote mark and line breaks otherwise: this ending makes it quote
# cells holding ";" or a tab too. ``safe_text`` never leaves ";" before a tab in a
# cell, so the ending is only ever found at a row's end, where the real one is put back.
_QUOTING_END = ";\t\r\n"
# What makes csv.writer quote a cell, so written that way: the separator, the quote
# mark, the ending's characters; a space at either end too, to be safe. Looked for
# in cells already joined by commas, where a cell's own comma is one too many.
_QUOTED = re.compile(r'[";\t\r\n]|^ | $| ,|, ')


# Rows are written a batch at a time, their endings put back in one pass over the batch
# rather than one call per row.
_BATCH = 2000


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


def csv_text(*cells: str | int) -> str:
    """Cells made safe (as ``write_safe_csv`` takes them) in the text ``csv.writer`` gives
    them within a row: joined by commas, quoted where needed, without the row's end.

    For cells that repeat on many rows (a person, a day, a word), made once and
    joined into whole lines for ``write_csv_lines``.
    """
    if cells == ("",):
        return ""  # csv.writer quotes a row's only cell when empty; within a row it is nothing
    texts = [cell if type(cell) is str else str(cell) for cell in cells]
    line = ",".join(texts)
    if line.count(",") == len(texts) - 1 and (
        # What ``_QUOTED`` looks for, in string methods at half its cost: a printable line has
        # no tab nor line break, and a line without a space needs no look at its spaces.
        (
            line.isprintable()
            and '"' not in line
            and ";" not in line
            and (" " not in line or (" ," not in line and ", " not in line and line[0] != " " and line[-1] != " "))
        )
        or _QUOTED.search(line) is None
    ):
        return line  # most cells: no writer needed, which would cost more than the rest
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=_QUOTING_END).writerow(cells)
    return buffer.getvalue()[: -len(_QUOTING_END)]


def write_csv_lines(target: str | os.PathLike[str], header: Sequence[str], lines: Iterable[bytes]) -> None:
    """Like ``write_safe_csv`` for rows already written out as UTF-8 lines ending in ``\\r\\n``.

    Each line is cells from ``csv_text`` and cells that need neither quotes nor
    the formula guard (non-negative ints, ``minute_text``, ISO dates, rule IDs),
    joined by commas: what ``csv.writer`` would write for the same row, at a
    fraction of its cost per cell.
    """
    with staged(Path(target)) as partial, partial.open("wb") as handle:
        handle.write(f"{BOM}{csv_text(*(safe_cell(h) for h in header))}\r\n".encode())
        remaining = iter(lines)
        while batch := b"".join(islice(remaining, _BATCH)):
            handle.write(batch)


def write_safe_csv(target: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[str | int]]) -> None:
    """Like ``write_csv`` for rows already made safe cell by cell.

    Every text cell must come from ``safe_cell``, ``safe_text`` or
    ``minute_text``, or be known to start with a letter or digit; ints must
    not be negative (``-5`` would be read as a formula).
    """
    with _replacing(Path(target)) as handle:
        batch = io.StringIO()
        writer = csv.writer(batch, lineterminator=_QUOTING_END)
        writer.writerow([safe_cell(h) for h in header])
        remaining = iter(rows)
        while True:
            writer.writerows(islice(remaining, _BATCH))
            text = batch.getvalue()
            if not text:
                break
            handle.write(text.replace(_QUOTING_END, "\r\n"))
            batch.seek(0)
            batch.truncate()
