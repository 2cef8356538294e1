"""What the handler of a case reaches from its screen besides replying: the centre's agreed
wording (canned replies with their blanks), notes for colleagues, and putting the case to
wait for the customer or another department (TK-5, TK-9, TK-14).

A canned reply is only put into the reply box: the agent reads it and sends it with the
reply's own key, so it passes the same password guard as anything typed (TK-14).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Select, Static

from csdesk.i18n import N_, _
from csdesk.rules.canned import KNOWN_BLANKS
from csdesk.screens.base import DeskModal
from csdesk.screens.kit.forms import FORMS_CSS, FormModal
from csdesk.screens.kit.services import canned, notes, waiting
from csdesk.screens.kit.tables import add_columns, cursor_index
from csdesk.text import clip
from csdesk.vocabulary import category_title
from csdesk.widgets.form import Field
from csdesk.widgets.plain_table import PlainTable


class CannedPickModal(DeskModal[Any]):
    """The agreed replies for the case's category (then every other), Enter picks one."""

    CSS_PATH = [FORMS_CSS]
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="cancel"),
        Binding("enter", "pick", N_("Use this reply"), id="pick", priority=True),
    ]

    def __init__(self, view: Any) -> None:
        super().__init__()
        self.view = view
        self._replies: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-body", id="canned-body") as body:
            body.border_title = _("Canned replies")
            yield Static(_("Loading the agreed replies…"), id="canned-hint", markup=False)
            table: PlainTable = PlainTable(id="canned-table", cursor_type="row")
            add_columns(table, (_("Category"), 12), (_("Lang."), 5), (_("Title"), 40))
            yield table
            yield Static("", id="canned-preview", markup=False)

    def on_mount(self) -> None:
        self.query_one("#canned-table", DataTable).focus()
        self.run_service(canned.canned_replies, self.desk_app.actor, on_done=self._show)

    def _show(self, replies: tuple[Any, ...]) -> None:
        own = str(self.view.category)
        # The case's own category first: it is almost always the one wanted.
        self._replies = sorted(replies, key=lambda r: (str(r.category) != own, str(r.category), r.title))
        table = self.query_one("#canned-table", DataTable)
        table.clear()
        for reply in self._replies:
            table.add_row(category_title(reply.category), reply.language, clip(reply.title, 40))
        hint = _("Enter puts the reply into yours; blanks are asked next.") if replies else _("No agreed replies yet.")
        self.query_one("#canned-hint", Static).update(hint)
        self._preview()

    def _current(self) -> Any:
        if not self._replies:
            return None
        return self._replies[cursor_index(self.query_one("#canned-table", DataTable), len(self._replies))]

    @on(DataTable.RowHighlighted, "#canned-table")
    def _preview(self) -> None:
        reply = self._current()
        self.query_one("#canned-preview", Static).update(clip(reply.body, 200) if reply else "")

    def action_pick(self) -> None:
        reply = self._current()
        if reply is not None:
            self.dismiss(reply)

    def action_cancel(self) -> None:
        self.dismiss(None)


def blanks_to_ask(reply: Any) -> tuple[str, ...]:
    """The blanks the desk cannot fill from the case and the agent."""
    return tuple(name for name in reply.blanks if name not in KNOWN_BLANKS)


class CannedFillModal(FormModal):
    """The blanks of a canned reply the agent fills; closes with the finished text."""

    title_text = N_("Fill the blanks")

    def __init__(self, view: Any, reply: Any) -> None:
        super().__init__(view)
        self.reply = reply

    def fields(self) -> ComposeResult:
        yield Static(clip(self.reply.body, 300), id="canned-fill-body", markup=False)
        # Ids by position: a blank may be named in Chinese, which an id cannot hold.
        for index, name in enumerate(blanks_to_ask(self.reply)):
            yield Field(name, name, Input(id=f"blank-{index}", classes="blank"))
        # Where the service reports an empty blank or a refused result (TK-14).
        yield Field("values", "", Static("", id="canned-fill-result"))

    def on_mount(self) -> None:
        blanks = self.query(".blank")
        if blanks:
            self.set_focus(blanks.first())

    def submit_label(self) -> str:
        return _("Insert")

    @on(Input.Submitted, ".blank")
    def _submitted(self) -> None:
        self.action_submit()

    def submit(self) -> None:
        values = {
            name: self.query_one(f"#blank-{index}", Input).value for index, name in enumerate(blanks_to_ask(self.reply))
        }
        self.call(canned.fill_canned_reply, self.reply.id, self.view.id, values)


class NoteModal(FormModal):
    """A note for colleagues on the case: kept on the timeline, never sent to the customer."""

    title_text = N_("Internal note")

    def fields(self) -> ComposeResult:
        yield Static(_("Colleagues read this; the customer never does."), markup=False)
        yield Field("text", _("Note"), Input(id="note-text"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#note-text", Input))

    def submit_label(self) -> str:
        return _("Add note")

    @on(Input.Submitted, "#note-text")
    def _submitted(self) -> None:
        self.action_submit()

    def submit(self) -> None:
        self.call(notes.note, self.view.id, self.query_one("#note-text", Input).value)


class PauseModal(FormModal):
    """TK-5: the case waits for the customer or another department; its resolution clock stops."""

    title_text = N_("Wait (the clock stops)")

    def fields(self) -> ComposeResult:
        choices = [(_("the customer"), "customer"), (_("another department"), "department")]
        yield Field(
            "waiting_for", _("Waiting for"), Select(choices, id="pause-for", allow_blank=False, value="customer")
        )
        yield Field("note", _("What was asked, or which department"), Input(id="pause-note"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#pause-note", Input))

    def submit_label(self) -> str:
        return _("Stop the clock")

    @on(Input.Submitted, "#pause-note")
    def _submitted(self) -> None:
        self.action_submit()

    def submit(self) -> None:
        self.call(
            waiting.pause_clock,
            self.view.id,
            str(self.query_one("#pause-for", Select).value),
            self.query_one("#pause-note", Input).value,
            self.view.version,
        )


__all__ = ["CannedFillModal", "CannedPickModal", "NoteModal", "PauseModal", "blanks_to_ask"]
