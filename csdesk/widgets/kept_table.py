"""A DataTable that draws again only what changed.

Textual's DataTable forgets every drawn cell and row whenever any row is added,
removed or changed. Every desk refreshes its queue after every commit in the centre,
so one ticket claimed off the top of a queue had every desk draw its whole page again,
which kept a server of many desks busy. Here a drawing is kept for as long as its row
holds the very same values and it is drawn in the same state (style, width, cursor,
hover, focus, stripe); a row that has only moved up or down is re-pointed at its new
place rather than drawn again.

The drawings live in Textual's own caches, so whatever makes the table forget (a
theme, a style, the cursor shown or hidden, ``clear``) makes it forget these too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, Self, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

SegmentLines = list[list[Segment]]
Drawing = TypeVar("Drawing")
# Textual counts a table's changes up from 0.
_never_counted = itertools.count(-1, -1)


def _moved(lines: SegmentLines, place: dict[str, int]) -> SegmentLines:
    """``lines`` drawn elsewhere in the table, now saying they are at ``place``: a click or
    a hover reads the row and column it landed on from the segment it landed on."""
    meta = Style.from_meta(place)
    restyled: dict[Style | None, Style] = {}
    shifted = []
    for line in lines:
        out = []
        for text, style, control in line:
            new = restyled.get(style)
            if new is None:
                new = restyled[style] = meta if style is None else style + meta
            out.append(Segment(text, new, control))
        shifted.append(out)
    return shifted


def _same(kept: tuple[Any, ...], values: tuple[Any, ...]) -> bool:
    # The same objects, not equal ones: a Text that reads the same may be coloured otherwise.
    return len(kept) == len(values) and all(a is b for a, b in zip(kept, values, strict=True))


def _kept(
    cache: LRUCache[Any, Any],
    key: tuple[Any, ...],
    values: tuple[Any, ...],
    place: dict[str, int],
    draw: Callable[[], Drawing],
    move: Callable[[Drawing, dict[str, int]], Drawing],
) -> Drawing:
    """What ``key`` drew for ``values``, drawn now only if they are not the ones kept."""
    kept = cache.get(key)
    if kept is not None and _same(kept[0], values):
        drawing: Drawing = kept[2]
        if kept[1] == place:
            return drawing
        drawing = move(drawing, place)
    else:
        drawing = draw()
    cache[key] = (values, place, drawing)
    return drawing


def _move_row(pair: tuple[SegmentLines, SegmentLines], place: dict[str, int]) -> tuple[SegmentLines, SegmentLines]:
    fixed, scrollable = pair
    return _moved(fixed, place), _moved(scrollable, place)


class KeptTable(DataTable[Any]):
    """Keeps the drawing of every row and cell below the header (see the module's words)."""

    _removing_row = False

    def remove_row(self, row_key: RowKey | str) -> None:
        # DataTable lays the whole screen out again for every row it removes. Its size is
        # set again from its rows once it idles, and that lays out only when the size
        # changed: a claimed ticket leaving a full page, the next one filling it, needs none.
        self._removing_row = True
        try:
            super().remove_row(row_key)
        finally:
            self._removing_row = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        if self._removing_row:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        def draw() -> SegmentLines:
            return super(KeptTable, self)._render_cell(row_index, column_index, base_style, width, cursor, hover)

        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:  # the header and row labels: few, and Textual's cache will do
            return draw()
        key = (
            "kept",
            row_key,
            column_key,
            base_style,
            width,
            cursor,
            hover,
            row_index < self.fixed_rows or column_index < self.fixed_columns,
            self.rows[row_key].height,
            *self._drawing_state(),
        )
        values = (self._data[row_key].get(column_key),)
        place = {"row": row_index, "column": column_index}
        return _kept(self._cell_render_cache, key, values, place, lambda: self._afresh(draw), _moved)

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[SegmentLines, SegmentLines]:
        def draw() -> tuple[SegmentLines, SegmentLines]:
            return super(KeptTable, self)._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )

        row_index = self._row_locations.get(row_key)
        if row_index is None:  # the header
            return draw()
        row = self.rows[row_key]
        cursor_type = self.cursor_type
        key = (
            "kept",
            row_key,
            line_no,
            base_style,
            cursor_type,
            _over(cursor_location, row_index, cursor_type),
            _over(hover_location, row_index, cursor_type),
            row_index < self.fixed_rows,
            self.zebra_stripes and row_index % 2,
            row.height,
            self.size.width,
            self.fixed_columns,
            self._labelled_row_exists and self.show_row_labels,
            self._row_label_column_width,
            tuple((column.key, column.get_render_width(self)) for column in self.ordered_columns),
            *self._drawing_state(),
        )
        values = (row.label, *self._data[row_key].values())
        return _kept(self._row_render_cache, key, values, {"row": row_index}, lambda: self._afresh(draw), _move_row)

    def _afresh(self, draw: Callable[[], Drawing]) -> Drawing:
        """``draw()`` from the table as it is now, not from Textual's caches. Those are keyed
        on a count of changes that some changes do not move in time (the new size shows
        before the resize is handled); what they hand back a moment too early is put right
        by the next change, but kept here it would stay on screen."""
        counted = self._update_count
        self._update_count = next(_never_counted)
        try:
            return draw()
        finally:
            self._update_count = counted

    def _drawing_state(self) -> tuple[Any, ...]:
        """What the look of every cell depends on besides its own place and value."""
        return (
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self.cursor_foreground_priority,
            self.cursor_background_priority,
            self.cell_padding,
        )


def _over(location: Coordinate, row_index: int, cursor_type: str) -> tuple[bool, int]:
    """Where a cursor is, as far as drawing the row at ``row_index`` goes: a row cursor
    elsewhere looks the same wherever it is."""
    return location.row == row_index, 0 if cursor_type == "row" else location.column
