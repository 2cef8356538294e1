"""Find any ticket: ``#`` from anywhere opens one by its number (or searches for the words
typed), the search screen lists every ticket, closed ones included, by number, subject or
the customer's whole contact, and a case's screen shows the customer's earlier cases.

The service masks the customer for anyone but the case's owner and leaders (TK-15);
pages come a screenful at a time as the cursor goes down.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Header, Input, Static

from csdesk.i18n import N_, _
from csdesk.screens.base import DeskModal, DeskScreen
from csdesk.screens.kit.forms import FORMS_CSS
from csdesk.screens.kit.services import search
from csdesk.screens.kit.tables import ViewRow, view_of
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import TICKETS
from csdesk.screens.service_worker import report_failure
from csdesk.text import clip
from csdesk.vocabulary import ticket_status_label
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, show_field_error
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable
from csdesk.widgets.sla import SLA_REFRESH_SECONDS, row_sla_text

COLUMNS = ("#", N_("Received"), N_("Status"), N_("Time left"), N_("Customer"), N_("Subject"))
PAGE = 20


def _cells(row: Any, zone: Any, widths: tuple[int | None, int | None, int, int]) -> ViewRow:
    status_width, left_width, customer_width, subject_width = widths
    customer = " ".join(p for p in (row.customer_name, row.customer_contact) if p)
    status = ticket_status_label(row.status)
    left = row_sla_text(row)
    if status_width is not None and left_width is not None:
        status = clip(status, status_width)
        left.truncate(left_width, overflow="ellipsis")
    return ViewRow(
        row,
        [
            str(row.ticket_id),
            local(row.received_at, zone),
            status,
            left,
            clip(customer, customer_width),
            clip(row.subject, subject_width),
        ],
    )


def _widths(width: int) -> tuple[int | None, int | None, int, int]:
    """(status, time left, customer, subject) for a terminal ``width`` wide; None: whole.

    Under 120 columns a long status ("waiting for customer"), time left or customer is cut to
    the room it is given, so the whole row fits and the subject stays readable rather than
    going behind a scroll bar."""
    if width >= 120:
        # Room enough for the usual status and time left whole, however long the subject.
        return None, None, 18, max(12, width - (6 + 11 + 10 + 16 + 18) - 2 * 7)
    status, left, customer = 10, 12, 12
    return status, left, customer, max(8, width - (6 + 12 + status + left + customer) - 2 * 6 - 2)


def _open(screen: Any, row: Any) -> None:
    from csdesk.screens.ticket import TicketScreen

    screen.app.push_screen(TicketScreen(row.ticket_id))


class FindTicketModal(DeskModal[None]):
    """``#``: a number opens that ticket; anything else searches for it."""

    CSS_PATH = [FORMS_CSS]
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-body") as body:
            body.border_title = _("Open ticket")
            yield Field(
                "number",
                _("Ticket number, or words to search for"),
                Input(id="find-number", placeholder=_("321, a subject, a phone or email")),
            )
            with Horizontal(classes="modal-buttons"):
                yield Button(_("Cancel"), id="find-cancel")
                yield Button(_("Open"), id="find-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#find-number", Input).focus()

    @on(Button.Pressed, "#find-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#find-ok")
    @on(Input.Submitted, "#find-number")
    def _go(self) -> None:
        text = self.query_one("#find-number", Input).value.strip()
        if not text.removeprefix("#").strip().isdigit():
            self.dismiss(None)
            self.app.push_screen(SearchScreen(text))
            return

        def found(view: Any) -> None:
            from csdesk.screens.ticket import TicketScreen

            self.dismiss(None)
            self.app.push_screen(TicketScreen(view.id))

        def refused(exc: Exception) -> bool:
            if show_field_error(self, exc):
                return True
            self.query_one(Field).show_error(str(exc))
            return True

        self.run_service(search.open_ticket, self.desk_app.actor, text, on_done=found, on_error=refused)


class TicketList(DeskScreen):
    """A paged list of tickets; Enter opens the one under the cursor."""

    watches = TICKETS
    clock_refresh = SLA_REFRESH_SECONDS

    CSS_PATH = "search.tcss"

    def results(self) -> PagedTable:
        return self.query_one("#search-results", PagedTable)

    def fetch_rows(self, offset: int, limit: int) -> Any:
        raise NotImplementedError

    def _fetcher(self) -> Any:
        app = self.desk_app

        def fetch(offset: int, limit: int, _text: str) -> list[ViewRow]:
            try:
                rows = self.fetch_rows(offset, limit)
            except Exception as exc:  # noqa: BLE001 - shown like any refused call
                app.call_from_thread(report_failure, app, exc, None)
                return []
            widths = _widths(self.app.size.width)
            return [_cells(row, app.policy.zone, widths) for row in rows]

        return fetch

    def table(self, load: bool) -> PagedTable:
        return PagedTable(
            COLUMNS,
            self._fetcher(),
            row_key=lambda row: view_of(row).ticket_id,
            page_size=PAGE,
            load_on_mount=load,
            id="search-results",
        )

    def on_data_changed(self, message: DataChanged) -> None:
        # Every page shown is read again, times left included, the cursor staying on its ticket.
        super().on_data_changed(message)
        self.results().refresh_rows()

    @on(PagedTable.Loaded, "#search-results")
    def _loaded(self, event: PagedTable.Loaded) -> None:
        self.say_count(event.row_count, event.complete)

    def say_count(self, count: int, complete: bool) -> None:
        raise NotImplementedError

    @on(DataTable.RowSelected, "#search-results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.results().row_at_cursor()
        if row is not None:
            _open(self, view_of(row))


class SearchScreen(TicketList):
    """Every ticket, closed ones too, newest first; the box takes a number, words of a
    subject, or the customer's whole phone number or email address.

    Kept between openings from the palette, with the search the person left in the box."""

    kept_between_openings = True

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Field(
            "text",
            _("Number, subject words, or the customer's whole phone or email (Enter searches)"),
            Input(self.text, id="search-text"),
            id="search-field",
            in_border=True,
        )
        yield Static("", id="search-count", markup=False)
        yield self.table(load=True)
        yield DeskFooter()

    def on_mount(self) -> None:
        if self.text:
            self.results().focus()
        else:
            self.query_one("#search-text", Input).focus()

    def fetch_rows(self, offset: int, limit: int) -> Any:
        app = self.desk_app
        return app.call_service(search.search_tickets, app.actor, self.text or None, offset, limit)

    @on(Input.Submitted, "#search-text")
    def _search(self, event: Input.Submitted) -> None:
        self.text = event.value.strip()
        self.results().set_filter(self.text)
        self.results().focus()

    def say_count(self, count: int, complete: bool) -> None:
        shown = str(count) if complete else f"{count}+"
        if not count:
            words = _("No ticket matches.") if self.text else _("No tickets yet.")
        elif self.text:
            words = _("{n} ticket(s) match {text!r}, newest first; Enter opens one.").format(n=shown, text=self.text)
        else:
            words = _("{n} ticket(s), newest first; Enter opens one.").format(n=shown)
        self.query_one("#search-count", Static).update(words)


class HistoryScreen(TicketList):
    """The customer's earlier cases, matched on their whole contact, newest first."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text(_("Earlier cases of the customer of ticket #{id}").format(id=self.ticket_id), style="bold"),
            id="search-title",
        )
        yield Static("", id="search-count", markup=False)
        yield self.table(load=True)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.results().focus()

    def fetch_rows(self, offset: int, limit: int) -> Any:
        app = self.desk_app
        return app.call_service(search.customer_history, app.actor, self.ticket_id, offset, limit)

    def say_count(self, count: int, complete: bool) -> None:
        shown = str(count) if complete else f"{count}+"
        words = (
            _("{n} earlier case(s); Enter opens one.").format(n=shown)
            if count
            else _("No earlier case with this contact.")
        )
        self.query_one("#search-count", Static).update(words)


__all__ = ["FindTicketModal", "HistoryScreen", "SearchScreen"]
