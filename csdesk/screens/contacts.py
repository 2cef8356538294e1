"""The emergency contact sheet (ST-5): for leaders only (ST-6), exported as a confidential CSV.

``e`` writes the sheet with the same writer as ``csdesk export contacts`` and
says where it went. Anyone else who opens it is told which rule keeps it from them.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from csdesk.i18n import N_, _, current_language
from csdesk.rules.decision import Outcome
from csdesk.rules.staff import Action, can
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.services import contacts, exports
from csdesk.screens.kit.tables import add_columns, cursor_back_on, cursor_index
from csdesk.screens.kit.watched import PEOPLE
from csdesk.text import clip
from csdesk.vocabulary import role_title
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.plain_table import PlainTable


class ContactsScreen(DeskScreen):
    watches = PEOPLE
    CSS_PATH = "contacts.tcss"
    kept_between_openings = True
    BINDINGS = [Binding("e", "export", N_("Export CSV"), id="contacts-export")]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[Any] = []
        self._drawn: object = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the contact sheet…"), id="contacts-title", markup=False)
        yield Static(
            _("Confidential: leaders only (ST-5, ST-6). Do not pass these details on."),
            id="contacts-note",
            markup=False,
        )
        table: PlainTable = PlainTable(id="contacts-table", cursor_type="row", zebra_stripes=True)
        # 66 columns of text: with the cell padding it fits 80 without a sideways scroll.
        add_columns(
            table,
            (_("No."), 5),
            (_("Name"), 12),
            (_("Squad"), 7),
            (_("Phone"), 11),
            (_("Address"), 16),
            (_("Emergency"), 15),
        )
        yield table
        yield Static("", id="contacts-detail", markup=False)
        yield Static("", id="contacts-said", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Emergency contacts")
        self.reload()
        if self.query_one("#contacts-table").display:
            self.query_one("#contacts-table", DataTable).focus()

    def reload(self) -> None:
        """Everything the screen shows, from who is signed in: the screen is kept between
        openings, so whether they may see the sheet is asked again each time, never remembered."""
        actor = self.desk_app.actor
        decision = can(actor.role, Action.SEE_COLLEAGUE_CONTACT)
        table = self.query_one("#contacts-table", DataTable)
        if not decision.ok:
            self.lines = []
            self._drawn = None
            table.clear()
            table.display = False
            self.query_one("#contacts-detail", Static).update("")
            self.query_one("#contacts-title", Static).update(
                _("The contact sheet is for leaders. You are signed in as {role}: {reason} ({rules}).").format(
                    role=role_title(actor.role), reason=decision.reason, rules=", ".join(decision.rule_ids)
                )
            )
            self.desk_app.remember_refusal(tuple(decision.rule_ids))
            self.refresh_bindings()
            return
        table.display = True
        self.load()

    def load(self) -> None:
        self.run_service(
            contacts.contact_sheet, self.desk_app.actor, on_done=self._show, group="contacts", exclusive=True
        )

    def reopen(self) -> None:
        super().reopen()
        # What the last opening exported is not news to this one.
        self.query_one("#contacts-said", Static).update("")

    def on_data_changed(self, message: Any) -> None:
        super().on_data_changed(message)
        self.reload()

    def _show(self, lines: tuple[contacts.ContactLine, ...]) -> None:
        # Opened again with nothing changed, the rows are left as drawn: drawing them
        # again was most of opening the kept sheet.
        drawn = (tuple(lines), current_language())
        if drawn != self._drawn:
            self._fill(lines)
            self._drawn = drawn
        missing = sum(1 for line in self.lines if line.check.outcome is Outcome.WARNING)
        title = _("Emergency contacts · {n} people").format(n=len(self.lines))
        if missing:
            title += " · " + _("{n} formal staff missing a phone or address").format(n=missing)
        self.query_one("#contacts-title", Static).update(title)
        self._show_detail()
        self.refresh_bindings()

    def _fill(self, lines: tuple[contacts.ContactLine, ...]) -> None:
        table = self.query_one("#contacts-table", DataTable)
        # Back on the person the cursor was on, wherever the change moved them.
        before = self._current()
        row_before = table.cursor_row
        table.clear()
        self.lines = list(lines)
        for line in self.lines:
            table.add_row(
                line.employee_number,
                clip(line.name, 12),
                clip(line.squad, 7),
                Text(line.phone or _("missing"), style="" if line.phone else "bold red"),
                Text(clip(line.address, 16) or _("missing"), style="" if line.address else "bold red"),
                clip(line.emergency_contact, 15),
                key=str(line.staff_id),
            )
        cursor_back_on(
            table, [line.staff_id for line in self.lines], before.staff_id if before is not None else None, row_before
        )

    def _current(self) -> Any:
        if not self.lines:
            return None
        table = self.query_one("#contacts-table", DataTable)
        return self.lines[cursor_index(table, len(self.lines))]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        line = self._current()
        if line is None:
            return
        parts = [f"{line.name} · {role_title(line.role)}", line.address, line.emergency_contact]
        if line.check.outcome is Outcome.WARNING:
            parts.append(str(line.check))
        self.query_one("#contacts-detail", Static).update(" · ".join(p for p in parts if p))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return bool(self.lines)
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Any:
        if refused := tuple(super().why_rule_ids()):
            return refused
        line = self._current()
        return tuple(line.check.rule_ids) if line is not None else ()

    def action_export(self) -> None:
        self.run_service(exports.export_contacts, self.desk_app.actor, on_done=self._exported)

    def _exported(self, files: exports.ExportedContacts) -> None:
        said = _("Wrote the confidential contact sheet of {n} people to {path} (readable by you only).").format(
            n=files.people, path=files.path
        )
        self.query_one("#contacts-said", Static).update(said)
        self.notify(said, title=_("Exported"))
