"""The ticket queues, most urgent first (TK-4..TK-9, TK-13..TK-15).

One tab per queue, each a PagedTable over the service's urgency order; the
tab label carries how many wait and how many are overdue. Only the tab shown
first is built with the screen; another tab's list is built the first time it
is shown and kept from then on. ``c`` claims the highlighted ticket (first
contact owns it, TK-9) and ``o`` then opens the one claimed; ``Enter`` opens
the highlighted one. A
change made at another desk arrives as ``DataChanged``: only the page on
screen and the counts are fetched again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from csdesk.i18n import N_, _
from csdesk.screens.kit.services import queues, tickets
from csdesk.screens.kit.tables import ViewRow, view_of
from csdesk.screens.kit.tabs import TabbedScreen, relabel_tab
from csdesk.screens.kit.watched import TICKETS
from csdesk.screens.service_worker import report_failure
from csdesk.screens.ticket import TicketScreen
from csdesk.text import clip
from csdesk.vocabulary import category_title
from csdesk.widgets.filter_bar import FilterBar
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable
from csdesk.widgets.sla import SLA_REFRESH_SECONDS, row_sla_text

# (queue name the service knows, tab label); "mine" last, as the person's own desk.
QUEUES = (
    ("forum", N_("Forum")),
    ("email", N_("Email")),
    ("chat", N_("Chat")),
    ("back_office", N_("Back office")),
    ("return_visits", N_("Visits")),
    ("mine", N_("Mine")),
)
# Below this width the category column goes, so the subject keeps room to be read.
WIDE = 100


def _row_key(row: Sequence[Any]) -> str:
    view = view_of(row)
    return f"v{view.visit_id}" if view.visit_id is not None else str(view.ticket_id)


class QueueTable(PagedTable):
    """One queue's rows; remembers whether data moved on while its tab was hidden."""

    def __init__(self, queue: str, columns: Sequence[str], fetch: Any, *, shown: bool) -> None:
        super().__init__(columns, fetch, row_key=_row_key, id=f"table-{queue}", load_on_mount=shown)
        self.queue = queue
        self.stale = False


class QueuesScreen(TabbedScreen):
    watches = TICKETS
    clock_refresh = SLA_REFRESH_SECONDS
    CSS_PATH = "queues.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("c", "claim", N_("Claim"), id="claim"),
        # Said on the line under the list while it applies: the footer has no room left at 80 columns.
        Binding("o", "open_claimed", N_("Open claimed"), id="open-claimed", show=False),
        Binding("n", "new_ticket", N_("New ticket"), id="new-ticket"),
    ]

    def __init__(self, initial: str = "forum") -> None:
        super().__init__()
        self.initial = initial
        self._wide = False
        self._counts_shown: dict[str, tuple[object, ...]] = {}
        # A claimed ticket leaves the shared queue, and the cursor moves on to the next one
        # there; the one just claimed stays a key away until it is opened.
        self._claimed: int | None = None
        # A claim sent and not yet answered: the row under the cursor is still the one being claimed.
        self._claiming = False

    def compose(self) -> ComposeResult:
        self._wide = self.app.size.width >= WIDE
        yield Header()
        with TabbedContent(initial=f"queue-{self.initial}", id="queues"):
            for queue, label in QUEUES:
                with TabPane(_(label), id=f"queue-{queue}"):
                    # Styling and mounting a list is most of what opening the screen costs,
                    # and most people look at one queue: the others wait until shown.
                    if queue == self.initial:
                        yield from self._queue_widgets(queue)
        yield Static("", id="queues-claimed")
        yield DeskFooter()

    def on_mount(self) -> None:
        # Built as the tab changes, before the pane is painted empty.
        self.watch(self.query_one(TabbedContent), "active", self._build_shown)
        self.load_counts()
        self.call_after_refresh(self._focus_table)

    # -- the tables -------------------------------------------------------------------

    def _queue_widgets(self, queue: str) -> tuple[QueueTable, FilterBar]:
        return (
            QueueTable(queue, self._columns(queue), self._fetcher(queue), shown=True),
            FilterBar(f"table-{queue}"),
        )

    def _build_shown(self, active: str) -> None:
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            self._table_in(pane)

    def _table_in(self, pane: TabPane) -> QueueTable:
        """The pane's list, built now if this is the first time it is wanted."""
        found = pane.query(QueueTable)
        if found:
            return found.first(QueueTable)
        queue = (pane.id or "").removeprefix("queue-")
        table, bar = self._queue_widgets(queue)
        # Mounting puts them in the DOM at once; their first page follows when mounted.
        pane.mount(table, bar)
        return table

    def _columns(self, queue: str) -> list[str]:
        middle = [N_("Tries")] if queue == "return_visits" else ([N_("Category")] if self._wide else [])
        return ["#", N_("Time left"), *middle, N_("Owner"), N_("Customer"), N_("Subject")]

    def _customer_width(self) -> int:
        return 26 if self._wide else 18

    def _subject_width(self, queue: str) -> int:
        """What is left for the subject: every other column's widest cell, its padding, the scrollbar."""
        # Timers mostly read "overdue 1h 10m"; a rarer longer one scrolls rather than squeezing every subject.
        widths = [4, 15, 5, self._customer_width()]
        if queue == "return_visits":
            widths.append(5)
        elif self._wide:
            widths.append(12)
        padding = 2 * (len(widths) + 1)
        return max(12, self.app.size.width - sum(widths) - padding)

    def _cells(self, queue: str, row: Any, subject_width: int) -> ViewRow:
        left = row_sla_text(row)
        customer = " ".join(p for p in (row.customer_name, row.customer_contact) if p)
        cells: list[Any] = [str(row.ticket_id), left]
        if queue == "return_visits":
            cells.append(str(row.visit_attempts))
        elif self._wide:
            cells.append(category_title(row.category))
        subject = ("★ " if row.special_request else "") + row.subject
        cells += [row.owner_number or "—", clip(customer, self._customer_width()), clip(subject, subject_width)]
        return ViewRow(row, cells)

    def _fetcher(self, queue: str) -> Any:
        app = self.desk_app
        actor = app.actor

        def fetch(offset: int, limit: int, text: str) -> list[ViewRow]:
            try:
                rows = app.call_service(queues.queue_page, actor, queue, offset, limit, text or None)
            except Exception as exc:  # noqa: BLE001 - shown like any refused call
                app.call_from_thread(report_failure, app, exc, None)
                return []
            width = self._subject_width(queue)
            return [self._cells(queue, row, width) for row in rows]

        return fetch

    def active_table(self) -> QueueTable:
        pane = self.query_one(TabbedContent).active_pane
        assert pane is not None
        return self._table_in(pane)

    def _focus_table(self) -> None:
        self.active_table().focus()

    def highlighted(self) -> Any:
        row = self.active_table().row_at_cursor()
        return row.view if isinstance(row, ViewRow) else None

    # -- counts -----------------------------------------------------------------------

    def load_counts(self) -> None:
        self.run_service(
            queues.queue_counts, self.desk_app.actor, on_done=self._show_counts, group="queue-counts", exclusive=True
        )

    def _show_counts(self, counts: dict[queues.Queue, queues.QueueCount]) -> None:
        tabs = self.query_one(TabbedContent)
        for queue, label in QUEUES:
            count = next((c for q, c in counts.items() if str(q) == queue), None)
            # Relabelling a tab lays the whole screen out again, and every commit in the
            # centre reloads these counts: only a count that moved is worth that.
            said = (count, self._wide, _(label))
            if self._counts_shown.get(queue) == said:
                continue
            self._counts_shown[queue] = said
            text = Text(_(label))
            if count is not None:
                # Red when any is overdue; wide screens also say how many.
                text.append(" ")
                text.append(str(count.total), style="bold red" if count.breached else "")
                if count.breached and self._wide:
                    text.append(" " + _("({n} late)").format(n=count.breached), style="red")
            relabel_tab(tabs, f"queue-{queue}", text)

    # -- live data ----------------------------------------------------------------------

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        active = self.active_table()
        # A tab not built yet fetches fresh rows when it is.
        for table in self.query(QueueTable):
            table.stale = table is not active
        active.refresh_rows()
        self.load_counts()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        table = self._table_in(event.pane)
        if table.stale:
            table.stale = False
            table.refresh_rows()
        self.follow_tab()

    # -- actions ------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.highlighted()
        if row is not None:
            self.app.push_screen(TicketScreen(row.ticket_id))

    @on(DataTable.RowHighlighted)
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        # "Why" follows the row now, not a refusal about another one.
        if self.desk_app.last_refusal_rule_ids:
            self.desk_app.last_refusal_rule_ids = ()
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "claim":
            # A second press while the first claim is on its way, or before the list has
            # caught up with it, would claim the same row again: it waits for the list.
            row = self.highlighted() if self.is_mounted and not self._claiming else None
            return row is not None and row.owner_id is None and row.ticket_id != self._claimed
        if action == "open_claimed":
            return self._claimed is not None
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Sequence[str]:
        refused = self.desk_app.last_refusal_rule_ids
        if refused:
            return refused
        row = self.highlighted()
        if row is None:
            return ()
        ids = [row.sla_rule_id] if row.sla_rule_id else []
        if row.owner_id is None:
            ids.append("TK-9")
        if row.contact_masked:
            ids.append("TK-15")
        return tuple(ids)

    def action_claim(self) -> None:
        row = self.highlighted()
        if row is None or not self.check_action("claim", ()):
            return
        table = self.active_table()

        def claimed(view: Any) -> None:
            self._claiming = False
            self._claimed = view.id
            self.refresh_bindings()
            self._say_claimed()
            self.notify(self._claimed_text(view.id))

        def refused(exc: Exception) -> bool:
            self._claiming = False
            self.refresh_bindings()
            table.refresh_rows()
            self.load_counts()
            return False

        # The rows and counts reload after the claim as the change feed would have them
        # (on_data_changed): the feed's own report of this claim is then not a second reload.
        self._claiming = True
        self.run_service(
            tickets.claim, self.desk_app.actor, row.ticket_id, on_done=claimed, on_error=refused, reload_after=True
        )

    def _claimed_text(self, ticket_id: int) -> str:
        return _("Ticket #{id} is yours now (TK-9). Press o to open it.").format(id=ticket_id)

    def _say_claimed(self) -> None:
        line = self.query_one("#queues-claimed", Static)
        shown = line.display
        line.display = self._claimed is not None
        if self._claimed is not None:
            # One line high whatever it says (queues.tcss): once on screen, a new claim's words
            # are only drawn, not laid out with the whole screen as Textual would by default.
            line.update(
                Content.from_markup("[@click=screen.open_claimed]$text[/]", text=self._claimed_text(self._claimed)),
                layout=not shown,
            )

    def language_changed(self) -> None:
        super().language_changed()
        self._say_claimed()

    def action_open_claimed(self) -> None:
        ticket_id, self._claimed = self._claimed, None
        if ticket_id is not None:
            self.refresh_bindings()
            self._say_claimed()
            self.app.push_screen(TicketScreen(ticket_id))

    def action_filter(self) -> None:
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            self._table_in(pane)
            pane.query_one(FilterBar).open()

    def action_new_ticket(self) -> None:
        from csdesk.screens.intake import IntakeScreen

        self.app.push_screen(IntakeScreen())
