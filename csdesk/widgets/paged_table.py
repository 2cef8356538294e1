"""A table over data too big to hold: rows arrive a page at a time, on demand.

The table never asks for more than it shows plus what the person has scrolled
past. Fetching runs in a thread worker, so a slow query never freezes the desk.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.worker import get_current_worker

from csdesk.i18n import N_, _
from csdesk.widgets.plain_table import PlainTable

Row = Sequence[Any]
# fetch_page(offset, limit, filter_text) -> at most ``limit`` rows from ``offset``.
FetchPage = Callable[[int, int, str], Sequence[Row]]

PAGE_SIZE = 50
# Start fetching the next page while this many loaded rows are still below the cursor,
# so scrolling at a normal pace never reaches an empty end.
LOOKAHEAD = 10

MOVE = Binding.Group(N_("Move"), compact=True)


class PagedTable(PlainTable):
    """Rows come from ``fetch_page``; ``row_key(row)`` keeps the cursor on its row."""

    BINDINGS = [
        # The arrows do the same; help lists these, the footer keeps its room for actions.
        Binding("k", "cursor_up", N_("Up"), id="up", group=MOVE, show=False),
        Binding("j", "cursor_down", N_("Down"), id="down", group=MOVE, show=False),
        Binding("enter", "select_cursor", N_("Open"), id="open"),
    ]

    class Loaded(Message):
        """A page (or a refresh) has been put on screen."""

        def __init__(self, table: PagedTable, row_count: int, complete: bool) -> None:
            super().__init__()
            self.table = table
            self.row_count = row_count
            self.complete = complete

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[str],
        fetch_page: FetchPage,
        *,
        row_key: Callable[[Row], Hashable] | None = None,
        page_size: int = PAGE_SIZE,
        load_on_mount: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``load_on_mount=False`` for a table on a tab not shown at first: it
        fetches its first page when it first comes into view, so a tab nobody
        opens costs the screen nothing."""
        super().__init__(id=id, classes=classes, cursor_type="row")
        self._load_on_mount = load_on_mount
        self._column_labels = tuple(columns)
        self._fetch_page = fetch_page
        self._row_key = row_key
        self.page_size = page_size
        self.filter_text = ""
        self._rows: list[Row] = []
        self._complete = False
        self._loading = False
        # Bumped whenever what is shown is thrown away, so late pages are dropped.
        self._generation = 0
        # Scroll and cursor watchers fire while mounting; the first page is on_mount's.
        self._started = False

    def on_mount(self) -> None:
        self.add_columns(*(_(label) for label in self._column_labels))
        self._started = True
        if self._load_on_mount:
            self._load_next_page()

    def on_show(self) -> None:
        if not self._rows and not self._complete:
            self._load_next_page()

    @property
    def complete(self) -> bool:
        """True once the fetcher has said there are no more rows."""
        return self._complete

    def row_at_cursor(self) -> Row | None:
        if 0 <= self.cursor_row < len(self._rows):
            return self._rows[self.cursor_row]
        return None

    def set_filter(self, text: str) -> None:
        """Show only rows matching ``text`` (the fetcher decides what matches)."""
        if text == self.filter_text:
            return
        self.filter_text = text
        self._generation += 1
        self._rows = []
        self._complete = False
        self._loading = False
        self.clear()
        self._load_next_page()

    def refresh_rows(self) -> None:
        """Fetch again every page already shown, keeping the cursor on its row."""
        self._generation += 1
        generation = self._generation
        pages = max(1, -(-len(self._rows) // self.page_size))
        filter_text = self.filter_text
        self._loading = True

        def fetch() -> None:
            rows: list[Row] = []
            complete = False
            for page in range(pages):
                got = list(self._fetch_page(page * self.page_size, self.page_size, filter_text))
                rows.extend(got)
                if len(got) < self.page_size:
                    complete = True
                    break
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._replace_rows, generation, rows, complete)

        self.run_worker(fetch, group="paged-table", exclusive=True, thread=True, exit_on_error=False)

    def _load_next_page(self) -> None:
        if self._loading or self._complete:
            return
        self._loading = True
        generation = self._generation
        offset = len(self._rows)
        filter_text = self.filter_text

        def fetch() -> None:
            rows = list(self._fetch_page(offset, self.page_size, filter_text))
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._append_rows, generation, offset, rows)

        self.run_worker(fetch, group="paged-table", thread=True, exit_on_error=False)

    def _append_rows(self, generation: int, offset: int, rows: list[Row]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        # Adding rows moves the cursor, whose watcher may ask for more: let it see
        # these rows as loaded and the fetch as still running until they are in.
        self._rows.extend(rows)
        for index, row in enumerate(rows, start=offset):
            self.add_row(*row, key=self._key_for(row, index))
        self._complete = len(rows) < self.page_size
        self._loading = False
        self.post_message(self.Loaded(self, len(self._rows), self._complete))
        # Keys such as "claim" depend on the row under the cursor, which may be new or gone.
        self.refresh_bindings()
        self._maybe_load_more()

    def _replace_rows(self, generation: int, rows: list[Row], complete: bool) -> None:
        if generation != self._generation:
            return
        if rows == self._rows and complete == self._complete:
            # Most commits in the centre leave a given page as it was: nothing to redraw.
            # What a row carries besides its cells (a service's view) may still have moved.
            moved = [getattr(row, "view", None) for row in rows] != [getattr(row, "view", None) for row in self._rows]
            self._rows = rows
            self._loading = False
            self.post_message(self.Loaded(self, len(self._rows), self._complete))
            if moved:
                self.refresh_bindings()
            return
        kept_key = self._key_at(self.cursor_row)
        kept_index = self.cursor_row
        scroll_y = self.scroll_y
        old_rows = self._rows
        self._rows = rows
        self._complete = complete
        self._loading = False
        # A commit anywhere in the centre refreshes every desk's table; most leave its
        # rows as they were, or change a few. Redrawing the whole page for that is what
        # made many desks on one server busy, so only what changed is touched.
        if not self._patch_rows(old_rows, rows):
            self.clear()
            for index, row in enumerate(rows):
                self.add_row(*row, key=self._key_for(row, index))
        target = kept_index
        if kept_key is not None and self._row_key is not None:
            target = next(
                (i for i, row in enumerate(rows) if str(self._row_key(row)) == kept_key),
                kept_index,
            )
        if rows and (target != self.cursor_row or self.scroll_y != scroll_y):
            self.move_cursor(row=min(target, len(rows) - 1), scroll=False)
            self.scroll_to(y=scroll_y, animate=False)
        self.post_message(self.Loaded(self, len(self._rows), self._complete))
        self.refresh_bindings()

    def _patch_rows(self, old_rows: list[Row], rows: list[Row]) -> bool:
        """Bring the table from ``old_rows`` to ``rows`` by removing rows that left and
        updating changed cells, when the rows that stay keep their order and new ones
        only follow them. False when the change needs a rebuild (rows arrived above)."""
        old_keys = [self._key_for(row, index) for index, row in enumerate(old_rows)]
        new_keys = [self._key_for(row, index) for index, row in enumerate(rows)]
        if self._row_key is None and len(old_keys) != len(new_keys):
            return False
        staying = set(new_keys)
        kept = [key for key in old_keys if key in staying]
        if len(set(new_keys)) != len(new_keys) or new_keys[: len(kept)] != kept:
            return False
        for key in old_keys:
            if key not in staying:
                self.remove_row(key)
        before = {key: row for key, row in zip(old_keys, old_rows, strict=True)}
        for key, row in zip(new_keys[: len(kept)], rows, strict=False):
            old = before[key]
            if old != row:
                for column, (was, now) in enumerate(zip(old, row, strict=False)):
                    if was != now:
                        self.update_cell_at(Coordinate(self.get_row_index(key), column), now)
        for index in range(len(kept), len(rows)):
            self.add_row(*rows[index], key=new_keys[index])
        return True

    def _key_for(self, row: Row, index: int) -> str:
        return str(self._row_key(row)) if self._row_key is not None else str(index)

    def _key_at(self, index: int) -> str | None:
        if 0 <= index < len(self._rows):
            return self._key_for(self._rows[index], index)
        return None

    def _maybe_load_more(self) -> None:
        if not self._started:
            return
        near_cursor = self.cursor_row >= len(self._rows) - LOOKAHEAD
        visible_end = self.scroll_y + self.scrollable_content_region.height
        near_view_end = visible_end >= len(self._rows) - LOOKAHEAD
        if near_cursor or near_view_end:
            self._load_next_page()

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self._maybe_load_more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._maybe_load_more()
