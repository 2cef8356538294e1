"""The shift handover book (HO-1..HO-7, AT-9).

The outgoing person writes what the next shift must know, picks the open
cases to carry (HO-6) and the colleague taking over; every unprocessed email
is listed with a warning (HO-7). Until that colleague acknowledges (HO-3) the
outgoing one is told they may not leave yet (AT-9). Past handovers are in the
book tab, searchable with ``/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Header,
    Input,
    Select,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.selection_list import Selection

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.screens.base import DeskForm, DeskModal
from csdesk.screens.kit.services import handover, pickers, timeclock
from csdesk.screens.kit.tables import ViewRow, view_id
from csdesk.screens.kit.tabs import TabbedScreen
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import HANDOVER
from csdesk.screens.service_worker import report_failure
from csdesk.text import clip
from csdesk.vocabulary import channel_title, ticket_status_label, value_word
from csdesk.widgets.confirm import ConfirmModal
from csdesk.widgets.filter_bar import FilterBar
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, clear_field_errors, show_field_error
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable

TEXTS = ("#handover-equipment", "#handover-complaints", "#handover-events")


class HandoverModal(DeskModal[Any]):
    """One handover in full; the named successor acknowledges it here (HO-3)."""

    CSS_PATH = "handover.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", N_("Close"), id="close"),
        Binding("a", "acknowledge", N_("Acknowledge"), id="acknowledge"),
    ]

    def __init__(self, view: Any) -> None:
        super().__init__()
        self.view = view

    def _mine_to_acknowledge(self) -> bool:
        actor = self.desk_app.actor
        return self.view.acknowledged_at is None and self.view.incoming_id == actor.staff_id

    def compose(self) -> ComposeResult:
        view = self.view
        zone = self.desk_app.zone
        with VerticalScroll(id="handover-modal-body") as body:
            body.border_title = _("Handover #{id}").format(id=view.id)
            head = Text(
                _("{day} {shift} shift → {to} shift").format(
                    day=formats.full_date(view.work_date),
                    shift=value_word(view.from_shift),
                    to=value_word(view.to_shift),
                ),
                style="bold",
            )
            yield Static(head)
            yield Static(
                _("From {outgoing} to {incoming}, written {at}").format(
                    outgoing=view.outgoing, incoming=view.incoming or _("nobody named"), at=local(view.written_at, zone)
                ),
                markup=False,
            )
            if view.acknowledged_at is not None:
                yield Static(Text(_("Acknowledged {at}").format(at=local(view.acknowledged_at, zone)), style="green"))
            else:
                yield Static(Text(_("Not yet acknowledged (HO-3)"), style="bold yellow"))
            for title, text in (
                (_("Equipment"), view.equipment),
                (_("Open problems"), view.problems),
                (_("Complaints"), view.complaints),
                (_("Events"), view.events),
            ):
                yield Static(Text(title, style="dim"))
                yield Static(text or "—", classes="handover-part", markup=False)
            carried = ", ".join(f"#{i}" for i in view.carried_ticket_ids) or "—"
            yield Static(Text(_("Cases carried over (HO-6): "), style="dim") + Text(carried))
            if view.open_email_ids:
                emails = ", ".join(f"#{i}" for i in view.open_email_ids)
                yield Static(Text(_("Unprocessed email (HO-7): ") + emails, style="yellow"))
            if self._mine_to_acknowledge():
                with Horizontal(classes="modal-buttons"):
                    yield Button(_("Acknowledge (a)"), id="handover-ack", variant="primary")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge":
            return self._mine_to_acknowledge()
        return True

    @on(Button.Pressed, "#handover-ack")
    def action_acknowledge(self) -> None:
        if not self._mine_to_acknowledge():
            return
        self.run_service(handover.acknowledge_handover, self.desk_app.actor, self.view.id, on_done=self.dismiss)


class HandoverScreen(TabbedScreen, DeskForm):
    watches = HANDOVER
    CSS_PATH = "handover.tcss"
    BINDINGS = [
        # Not priority: ctrl+s must wait its turn behind the keys typed before it.
        Binding("ctrl+s", "save", N_("Save handover"), id="save"),
        Binding("a", "acknowledge", N_("Acknowledge"), id="acknowledge"),
        Binding("f2", "why", N_("Why"), id="why-f2", show=False),
    ]

    def __init__(self, initial: str = "write") -> None:
        super().__init__()
        self.initial = initial
        self.items: Any = None
        self._tick_afresh = False
        self._people: list[tuple[str, int]] | None = None
        self.waiting_for_me: Any = None
        self.leave: Any = None
        self._leaving = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="handover-status")
        with TabbedContent(initial=f"handover-{self.initial}", id="handover-tabs"):
            with TabPane(_("Write"), id="handover-write"), VerticalScroll(id="handover-form"):
                yield Static(_("Loading…"), id="handover-shift")
                yield Field(
                    "incoming_staff_id",
                    _("Taken over by"),
                    Select([], id="handover-incoming", prompt=_("Choose a colleague")),
                )
                yield Field("equipment", _("Equipment condition"), Input(id="handover-equipment"))
                yield Field(
                    "problems", _("Unresolved or difficult problems"), TextArea(id="handover-problems", soft_wrap=True)
                )
                yield Field(
                    "carried_ticket_ids",
                    _("Open cases to carry over (space ticks; HO-6)"),
                    SelectionList[int](id="handover-carry"),
                )
                yield Field("complaints", _("Complaints"), Input(id="handover-complaints"))
                yield Field("events", _("Major events"), Input(id="handover-events"))
                yield Static("", id="handover-emails")
            with TabPane(_("Book"), id="handover-book"):
                yield PagedTable(
                    [N_("Date"), N_("Shift"), N_("From"), N_("To"), N_("Acknowledged"), N_("Problems")],
                    self._fetch_book,
                    row_key=view_id,
                    page_size=20,
                    load_on_mount=self.initial == "book",
                    id="handover-book-table",
                )
                yield FilterBar("handover-book-table")
        yield DeskFooter()

    def start_form(self) -> None:
        # The cases to carry are ticked afresh from what is open now, the ones that must be among them.
        self._tick_afresh = True
        self._leaving = False
        self.query_one(TabbedContent).active = f"handover-{self.initial}"
        self.load(items=True)

    @on(TabbedContent.TabActivated, "#handover-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()  # "/ Filter" belongs to the book only
        self.follow_tab()

    # -- loading ------------------------------------------------------------------------

    def load(self, *, items: bool = False) -> None:
        actor = self.desk_app.actor
        self.run_service(
            timeclock.release_status, actor, on_done=self._show_status, group="handover-status", exclusive=True
        )
        if items or self.items is None:
            self.run_service(handover.open_items_for_handover, actor, on_done=self._show_items)
            self.run_service(pickers.people, actor, own_squad=True, include_me=False, on_done=self._show_people)

    def _show_status(self, status: handover.LeaveStatus) -> None:
        self.leave, self.waiting_for_me = status
        line = Text()
        if self.leave.ok:
            line.append(_("You may leave: {reason}.").format(reason=self.leave.reason), style="green")
        else:
            line.append(
                _("You may not leave yet ({ids}): ").format(ids=", ".join(self.leave.rule_ids)), style="bold red"
            )
            line.append(self.leave.reason)
        if self.waiting_for_me is not None:
            line.append("\n")
            line.append(
                _("Handover #{id} from {who} waits for your acknowledgement: press a.").format(
                    id=self.waiting_for_me.id, who=self.waiting_for_me.outgoing
                ),
                style="bold yellow",
            )
        self.query_one("#handover-status", Static).update(line)
        self.refresh_bindings()

    def _show_items(self, items: handover.OpenItems) -> None:
        afresh, self._tick_afresh = self._tick_afresh, False
        if items == self.items:
            # A list of a hundred cases is slow to build again, and the picks would go: a form
            # opened again over the same cases only has its ticks put back to the cases that must go.
            if afresh:
                carry = self.query_one("#handover-carry", SelectionList)
                carry.deselect_all()
                for ticket_id in items.must_carry:
                    carry.select(ticket_id)
            return
        self.items = items
        zone = self.desk_app.zone
        self.query_one("#handover-shift", Static).update(
            Text(
                _("{day}: the {shift} shift hands over to the {to} shift (HO-4)").format(
                    day=formats.full_date(items.work_date), shift=value_word(items.shift), to=value_word(items.to_shift)
                ),
                style="bold",
            )
        )
        must = set(items.must_carry)
        carry = self.query_one("#handover-carry", SelectionList)
        carry.clear_options()
        carry.add_options(
            [
                Selection(self._item_text(item, zone, must), item.ticket_id, item.ticket_id in must)
                for item in items.tickets
            ]
        )
        if items.tickets_total > len(items.tickets):
            self.notify(_("Showing {n} of {total} open cases.").format(n=len(items.tickets), total=items.tickets_total))
        emails = self.query_one("#handover-emails", Static)
        if items.emails_total:
            text = Text(
                _("{ids}: {reason} — process them before you go:").format(
                    ids=", ".join(items.email_warning.rule_ids), reason=items.email_warning.reason
                ),
                style="bold yellow",
            )
            for item in items.emails:
                text.append("\n  ")
                text.append_text(self._item_text(item, zone, set()))
            emails.update(text)
        else:
            emails.update(Text(_("No unprocessed email (HO-7)."), style="green"))

    def _item_text(self, item: Any, zone: Any, must: set[int]) -> Text:
        text = Text(f"#{item.ticket_id} ", style="bold")
        text.append(f"{channel_title(item.channel)} · {ticket_status_label(item.status)} · ")
        text.append(clip(item.subject, 34))
        if item.sla_due is not None:
            text.append("  " + _("due {at}").format(at=local(item.sla_due, zone)), style="dim")
        if item.ticket_id in must:
            text.append("  " + _("(carried last time, still open)"), style="yellow")
        return text

    def _show_people(self, people: tuple[pickers.PersonChoice, ...]) -> None:
        options = [(person.label, person.staff_id) for person in people]
        if options == self._people:
            return  # the same people: their choice was put back to none with the rest of the form
        self._people = options
        self.query_one("#handover-incoming", Select).set_options(options)

    def _fetch_book(self, offset: int, limit: int, text: str) -> list[ViewRow]:
        app = self.desk_app
        try:
            views = app.call_service(handover.search_handovers, app.actor, text or None, offset, limit)
        except Exception as exc:  # noqa: BLE001 - shown like any refused call
            app.call_from_thread(report_failure, app, exc, None)
            return []
        zone = app.zone
        rows = []
        for view in views:
            acknowledged = (
                Text(local(view.acknowledged_at, zone), style="green")
                if view.acknowledged_at
                else Text(_("waiting"), style="bold yellow")
            )
            rows.append(
                ViewRow(
                    view,
                    [
                        str(view.work_date),
                        value_word(view.from_shift),
                        clip(view.outgoing, 16),
                        clip(view.incoming or "—", 16),
                        acknowledged,
                        clip(view.problems.replace("\n", " ") or "—", 30),
                    ],
                )
            )
        return rows

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.load()
        self.query_one("#handover-book-table", PagedTable).refresh_rows()

    # -- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge":
            return self.waiting_for_me is not None
        if action == "filter" and self.query_one(TabbedContent).active != "handover-book":
            return False
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Sequence[str]:
        refused = self.desk_app.last_refusal_rule_ids
        if refused:
            return refused
        return tuple(self.leave.rule_ids) if self.leave is not None else ()

    def action_save(self) -> None:
        clear_field_errors(self)
        self.desk_app.last_refusal_rule_ids = ()
        incoming = self.query_one("#handover-incoming", Select).value
        self.run_service(
            handover.write_handover,
            self.desk_app.actor,
            incoming if isinstance(incoming, int) else None,
            self.query_one("#handover-equipment", Input).value,
            self.query_one("#handover-problems", TextArea).text,
            self.query_one("#handover-complaints", Input).value,
            self.query_one("#handover-events", Input).value,
            tuple(self.query_one("#handover-carry", SelectionList).selected),
            on_done=self._written,
            on_error=lambda exc: show_field_error(self, exc),
            reload_after=True,
        )

    def _written(self, view: handover.HandoverView) -> None:
        self.notify(
            _("Handover #{id} written. Wait for {who} to acknowledge it (HO-3).").format(
                id=view.id, who=view.incoming or _("your successor")
            )
        )
        for selector in TEXTS:
            self.query_one(selector, Input).value = ""
        self.query_one("#handover-problems", TextArea).text = ""
        # What was carried now must be carried next time (HO-6); the people are as they were.
        # The handover itself and the book reload after this (on_data_changed).
        self.run_service(handover.open_items_for_handover, self.desk_app.actor, on_done=self._show_items)

    def action_acknowledge(self) -> None:
        if self.waiting_for_me is not None:
            self._open(self.waiting_for_me)

    def _open(self, view: Any) -> None:
        def closed(result: Any) -> None:
            if result is not None:
                self.notify(
                    _("Handover #{id} acknowledged; {who} may leave.").format(id=result.id, who=result.outgoing)
                )
                self.load()
                self.query_one("#handover-book-table", PagedTable).refresh_rows()

        self.app.push_screen(HandoverModal(view), closed)

    @on(DataTable.RowSelected, "#handover-book-table")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.query_one("#handover-book-table", PagedTable).row_at_cursor()
        if isinstance(row, ViewRow):
            self._open(row.view)

    def action_filter(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "handover-book"
        self.query_one(FilterBar).open()

    def _typed(self) -> bool:
        return any(self.query_one(s, Input).value.strip() for s in TEXTS) or bool(
            self.query_one("#handover-problems", TextArea).text.strip()
        )

    def action_back(self) -> None:
        if self._leaving or not self._typed():
            super().action_back()
            return

        def answered(confirmed: Any) -> None:
            if confirmed is not None:
                self._leaving = True
                super(HandoverScreen, self).action_back()

        self.app.push_screen(
            ConfirmModal(
                _("Unsaved handover"),
                _("This handover has not been saved. Leave and throw it away?"),
                confirm_label=_("Throw away"),
                destructive=True,
            ),
            answered,
        )
