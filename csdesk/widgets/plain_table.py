"""A DataTable that shows text as it is.

Textual's DataTable reads a plain string cell as Rich markup: a customer's subject
such as ``Refund [/urgent]`` is an unmatched closing tag and stops the screen from
drawing, ``[b]`` turns bold and ``:smile:`` becomes an emoji. What people type is
never markup here, so string cells are kept as :class:`Cell` (which also spares a
markup parse of every cell on every redraw: a fifth of redrawing a queue).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets.data_table import CellType, ColumnKey, RowKey

from csdesk.widgets.kept_table import KeptTable


class Cell(Text):
    """A string cell shown as typed. It equals, and hashes like, the string it shows, so
    reading a table back (``get_row_at``) gives what was put in."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.plain == other
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(self.plain)


def as_shown(cell: Any) -> Any:
    return Cell(cell, end="") if isinstance(cell, str) else cell


class PlainTable(KeptTable):
    def add_row(
        self,
        *cells: CellType,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
    ) -> RowKey:
        return super().add_row(*(as_shown(cell) for cell in cells), height=height, key=key, label=label)

    def update_cell(
        self, row_key: RowKey | str, column_key: ColumnKey | str, value: CellType, *, update_width: bool = False
    ) -> None:
        super().update_cell(row_key, column_key, as_shown(value), update_width=update_width)
