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
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from csdesk.i18n import _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENCODING = "utf-8-sig"


def safe_cell(value: Any) -> str:
    """One cell as text: dates ISO, None empty, yes/no in the desk's language, formulas neutralised."""
    if value is None:
        text = ""
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
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text


def write_csv(target: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Writes ``header`` and ``rows`` to ``target``; returns the number of data rows."""
    path = Path(target)
    partial = path.with_name(f".{path.name}.partial")
    count = 0
    try:
        with partial.open("w", encoding=ENCODING, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([safe_cell(h) for h in header])
            for row in rows:
                writer.writerow([safe_cell(cell) for cell in row])
                count += 1
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count
