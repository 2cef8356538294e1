"""The ``/`` filter line under a list, as in less, vim and most terminal tools."""

from __future__ import annotations

from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input

from csdesk.i18n import N_, _
from csdesk.widgets.paged_table import PagedTable

# Wait for a pause in typing before asking the store, so one query runs per word.
DEBOUNCE_SECONDS = 0.25


class FilterBar(Input):
    """Hidden until ``/``; filters the PagedTable whose id is ``table_id``."""

    BINDINGS = [
        Binding("escape", "close", N_("Clear filter"), id="clear-filter"),
        Binding("enter", "done", N_("Keep filter"), id="keep-filter"),
    ]

    def __init__(self, table_id: str, *, id: str | None = None) -> None:
        super().__init__(placeholder=_("Filter…"), id=id, classes="filter-bar")
        self.table_id = table_id
        self._timer: Timer | None = None

    @property
    def table(self) -> PagedTable:
        return self.screen.query_one(f"#{self.table_id}", PagedTable)

    def open(self) -> None:
        self.display = True
        self.focus()

    def on_mount(self) -> None:
        self.display = False

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._apply)

    def _apply(self) -> None:
        self.table.set_filter(self.value.strip())

    def action_close(self) -> None:
        self.value = ""
        if self._timer is not None:
            self._timer.stop()
        self._apply()
        self.display = False
        self.table.focus()

    def action_done(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._apply()
        if not self.value.strip():
            self.display = False
        self.table.focus()
