"""A DataTable that shows text as it is.

Textual's DataTable reads a plain string cell as Rich markup: a customer's subject
such as ``Refund [/urgent]`` is an unmatched closing tag and stops the screen from
drawing, ``[b]`` turns bold and ``:smile:`` becomes an emoji. What people type is
never markup here, so string cells are kept as :class:`Cell` (which also spares a
markup parse of every cell on every redraw: a fifth of redrawing a queue).
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, ColumnKey, RowKey


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


SegmentLines = list[list[Segment]]


def _pointing_at(lines: SegmentLines, row: int, column: int) -> SegmentLines:
    """``lines`` with every segment saying it is at ``row``, ``column``: a click or a
    hover reads where it landed from there."""
    meta = Style.from_meta({"row": row, "column": column})
    return [
        [Segment(text, meta if style is None else style + meta, control) for text, style, control in line]
        for line in lines
    ]


class PlainTable(DataTable[Any]):
    """DataTable forgets every drawn cell whenever any row is added, removed or changed,
    so one ticket leaving the top of a queue drew the whole page again. Here a cell
    drawn once is kept for as long as its row holds the same value there and it is
    drawn in the same state (style, width, cursor, hover, focus); a row that only moved
    up or down is re-pointed at its new place rather than drawn again."""

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if row_index < 0 or column_index < 0:  # the header and row labels are few: Textual's own cache will do
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        value = self._data[row_key].get(column_key)
        # Kept in Textual's own cache, so whatever makes it forget (a theme, a style,
        # the cursor shown or hidden) makes this forget too.
        drawn: LRUCache[Any, Any] = self._cell_render_cache
        key = (
            "kept",
            row_key,
            column_key,
            base_style,
            width,
            cursor,
            hover,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self.show_cursor,
            self.cursor_foreground_priority,
            self.cursor_background_priority,
            self.cell_padding,
            self.rows[row_key].height,
            row_index < self.fixed_rows or column_index < self.fixed_columns,
        )
        kept = drawn.get(key)
        # The same object, not an equal one: a Text that reads the same may be coloured otherwise.
        if kept is not None and kept[0] is value:
            _, at_row, at_column, lines = kept
            if (at_row, at_column) == (row_index, column_index):
                return lines  # type: ignore[no-any-return]
            lines = _pointing_at(lines, row_index, column_index)
        else:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        drawn[key] = (value, row_index, column_index, lines)
        return lines  # type: ignore[no-any-return]

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
