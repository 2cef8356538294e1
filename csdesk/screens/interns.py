"""Interns on their way to formal staff (ST-4): hours, check-ins, summary, conversion.

Leaders log training hours (``h``) and mentor check-ins (``c``) for their
squad's interns and may recommend early conversion (``r``); the intern writes
the work summary (``s``); a director approves it (``a``) or sends it back
(``b``), approves early conversion (``p``) and converts (``v``), which the
rules refuse until ST-4 holds. Keys a role may not use stay out of the footer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Header, Input, Static

from csdesk.i18n import N_, _, current_language
from csdesk.rules.staff import Action, DeskAction, can
from csdesk.rules.vocab import Role
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.services import interns
from csdesk.screens.kit.tables import add_columns, cursor_back_on, cursor_index
from csdesk.screens.kit.watched import INTERNS
from csdesk.screens.service_worker import OnDone, OnError, failure_text
from csdesk.text import clip
from csdesk.vocabulary import EARLY_STATES, SUMMARY_STATES, styled
from csdesk.widgets.bindings import TranslatedBindings
from csdesk.widgets.confirm import Confirmed, ConfirmModal, Reason
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, clear_field_errors, show_field_error
from csdesk.widgets.key_row import KeyRow
from csdesk.widgets.plain_table import PlainTable

# A form's sending: its values, then what to do with the service's answer and with a refusal.
Send = Callable[[dict[str, str], OnDone[Any], OnError], object]


# Who may use each key (ST-2, ST-4): leaders record, directors decide. The services check again.
def _records(role: Role) -> bool:
    return can(role, DeskAction.RECORD_TRAINING).ok


def _decides(role: Role) -> bool:
    return can(role, Action.CONVERT_INTERN).ok


ACTION_NEEDS = {
    "hours": _records,
    "check_in": _records,
    "recommend": _records,
    "approve_summary": _decides,
    "send_back": _decides,
    "approve_early": _decides,
    "convert": _decides,
}


class EntryForm(TranslatedBindings, ModalScreen[bool | None]):
    """A few labelled inputs; dismisses with True once what they say is saved, or None on Esc.

    A service's complaint about a field is shown under it and the form stays open.
    """

    CSS_PATH = "interns.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cancel")]

    def __init__(self, heading: str, fields: list[tuple[str, str, str]], submit: Any) -> None:
        super().__init__()
        self.heading = heading
        self.fields = fields  # (name, label, starting value)
        self.submit = submit  # values -> None; raises to show an error

    def compose(self) -> ComposeResult:
        with Vertical(id="entry-body") as body:
            body.border_title = self.heading
            for name, label, value in self.fields:
                yield Field(name, label, Input(value, id=f"entry-{name}", compact=True))
            # A refusal about no one field (a rule of the whole case) is said here, on the form.
            said = Static("", id="entry-said", markup=False)
            said.display = False
            yield said
            with Horizontal(id="entry-buttons"):
                yield Button(_("Cancel"), id="entry-cancel")
                yield Button(_("Save"), id="entry-save", variant="primary")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#entry-{name}", Input).value for name, _l, _v in self.fields}

    @on(Button.Pressed, "#entry-save")
    @on(Input.Submitted)
    def _save(self) -> None:
        clear_field_errors(self)
        self.query_one("#entry-said", Static).display = False
        self.submit(self)

    def failed(self, exc: Exception) -> bool:
        if not show_field_error(self, exc):
            said = self.query_one("#entry-said", Static)
            said.update(failure_text(exc))
            said.display = True
        return True

    @on(Button.Pressed, "#entry-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _hours_to_minutes(text: str) -> int:
    try:
        return round(float(text.strip().replace(",", ".")) * 60)
    except ValueError:
        return -1


class InternsScreen(DeskScreen):
    watches = INTERNS
    CSS_PATH = "interns.tcss"
    kept_between_openings = True
    BINDINGS = [
        # A director's decisions first, so they fit the footer at 80 columns.
        Binding("v", "convert", N_("Convert"), id="intern-convert"),
        # The footer has no room for these at 80 columns: the "Actions" row above it lists them.
        Binding("a", "approve_summary", N_("Approve"), id="intern-approve-summary", show=False),
        Binding("b", "send_back", N_("Send back"), id="intern-send-back", show=False),
        Binding("p", "approve_early", N_("Approve early"), id="intern-approve-early", show=False),
        Binding("h", "hours", N_("Hours"), id="intern-hours"),
        Binding("c", "check_in", N_("Check-in"), id="intern-check-in"),
        Binding("s", "summary", N_("Summary"), id="intern-summary"),
        Binding("r", "recommend", N_("Recommend early"), id="intern-recommend", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.views: list[Any] = []
        self._drawn: object = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the interns…"), id="interns-title", markup=False)
        table: PlainTable = PlainTable(id="interns-table", cursor_type="row", zebra_stripes=True)
        add_columns(
            table,
            (_("No."), 5),
            (_("Name"), 12),
            (_("Hours"), 9),
            (_("Check-ins"), 9),
            (_("Summary"), 10),
            (_("Early"), 11),
            (_("Convert"), 7),
        )
        yield table
        yield Static("", id="interns-detail", markup=False)
        yield KeyRow(
            N_("Actions:"),
            ("intern-approve-summary", "intern-send-back", "intern-approve-early", "intern-recommend"),
            id="interns-more",
        )
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Interns")
        self.load()
        self.query_one("#interns-table", DataTable).focus()

    def load(self) -> None:
        self.run_service(interns.interns, self.desk_app.actor, on_done=self._show, group="interns", exclusive=True)

    def on_data_changed(self, message: Any) -> None:
        super().on_data_changed(message)
        self.load()

    def _show(self, views: tuple[interns.InternView, ...]) -> None:
        # Opened again with nothing changed, the rows are left as drawn: drawing them
        # again was most of opening the kept list.
        drawn = (tuple(views), current_language())
        if drawn != self._drawn:
            self._fill(views)
            self._drawn = drawn
        bars = self.desk_app.policy.interns
        ready_count = sum(1 for v in self.views if v.conversion.ok)
        title = _("Interns ({n}) · {ready} ready to convert · bar {hours:g} h and {meetings} check-ins").format(
            n=len(self.views), ready=ready_count, hours=bars.training_hours, meetings=bars.check_ins
        )
        self.query_one("#interns-title", Static).update(title if self.views else _("No interns at present."))
        self._show_detail()
        self.refresh_bindings()

    def _fill(self, views: tuple[interns.InternView, ...]) -> None:
        table = self.query_one("#interns-table", DataTable)
        # Back on the intern the cursor was on, wherever the change moved them.
        before = self._current()
        row_before = table.cursor_row
        table.clear()
        self.views = list(views)
        bars = self.desk_app.policy.interns
        for view in self.views:
            hours_style = "green" if view.hours >= bars.training_hours else ""
            meet_style = "green" if view.check_ins >= bars.check_ins else ""
            summary, s_style = styled(SUMMARY_STATES, view.summary)
            early, e_style = styled(EARLY_STATES, view.early)
            ready = Text(_("ready"), style="bold green") if view.conversion.ok else Text(_("not yet"), style="dim")
            table.add_row(
                view.employee_number,
                clip(view.name, 12),
                Text(f"{view.hours:.1f}/{bars.training_hours:g}", style=hours_style),
                Text(f"{view.check_ins}/{bars.check_ins}", style=meet_style),
                Text(summary, style=s_style),
                Text(early, style=e_style),
                ready,
                key=str(view.staff_id),
            )
        cursor_back_on(
            table, [view.staff_id for view in self.views], before.staff_id if before is not None else None, row_before
        )

    def _current(self) -> Any:
        # Asked by the footer during teardown too, when the table may be gone already.
        tables = self.query("#interns-table")
        if not self.views or not tables:
            return None
        return self.views[cursor_index(tables.first(DataTable), len(self.views))]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        view = self._current()
        detail = self.query_one("#interns-detail", Static)
        if view is None:
            detail.update("")
            return
        lines = [
            f"{view.name} · {view.squad} · " + _("since {day}").format(day=view.hire_date.isoformat()),
            str(view.conversion),
        ]
        if view.summary_note:
            lines.append(_("Sent back: {note}").format(note=view.summary_note))
        elif view.summary_text:
            lines.append(_("Summary: {text}").format(text=view.summary_text.replace("\n", " ")))
        # One line each: a long summary must not push the reason out of the box.
        width = max(20, self.size.width - 2)
        detail.update("\n".join(clip(line, width) for line in lines))

    # -- keys ---------------------------------------------------------------------------

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings
        return {key: item for key, item in shown.items() if self._role_may(item.binding.action)}

    def _role_may(self, action: str) -> bool:
        actor = self.desk_app.actor
        need = ACTION_NEEDS.get(action)
        if actor is None:
            return False
        return need is None or need(actor.role)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self._current()
        if action in ACTION_NEEDS or action == "summary":
            if view is None:
                return False
            actor = self.desk_app.actor
            if action == "summary":
                return actor is not None and (actor.staff_id == view.staff_id or self._role_may("hours"))
            if action in ("approve_summary", "send_back"):
                return self._role_may(action) and str(view.summary) == "waiting"
            if action == "approve_early":
                return self._role_may(action) and str(view.early) == "recommended"
            return self._role_may(action)
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Any:
        if refused := tuple(super().why_rule_ids()):
            return refused
        view = self._current()
        return tuple(view.conversion.rule_ids) if view is not None else ()

    def _form(self, heading: str, fields: list[tuple[str, str, str]], send: Send) -> None:
        """A small form; ``send(values, done, failed)`` runs its service with those two answers."""

        def submit(form: EntryForm) -> None:
            def done(_view: object) -> None:
                form.dismiss(True)
                self._saved()

            try:
                send(form.values(), done, form.failed)
            except ValueError as exc:
                form.failed(exc)

        self.app.push_screen(EntryForm(heading, fields, submit))

    def _saved(self) -> None:
        self.notify(_("Saved."))
        self.load()

    def action_hours(self) -> None:
        view = self._current()
        today = self.desk_app.today()
        actor = self.desk_app.actor

        def send(values: dict[str, str], done: OnDone[Any], failed: OnError) -> None:
            try:
                day = date.fromisoformat(values["work_date"].strip())
            except ValueError:
                raise _FieldError(_("write the date as YYYY-MM-DD"), "work_date") from None
            self.run_service(
                interns.log_training,
                actor,
                view.staff_id,
                day,
                _hours_to_minutes(values["minutes"]),
                values["activity"],
                on_done=done,
                on_error=failed,
            )

        self._form(
            _("Training hours for {name}").format(name=view.name),
            [
                ("work_date", _("Date (YYYY-MM-DD)"), today.isoformat()),
                ("minutes", _("Hours"), ""),
                ("activity", _("What was done"), ""),
            ],
            send,
        )

    def action_check_in(self) -> None:
        view = self._current()
        self._form(
            _("Mentor check-in with {name}").format(name=view.name),
            [("notes", _("Notes"), "")],
            lambda v, done, failed: self.run_service(
                interns.record_check_in, self.desk_app.actor, view.staff_id, v["notes"], on_done=done, on_error=failed
            ),
        )

    def action_summary(self) -> None:
        view = self._current()
        self._form(
            (
                _("Revise the approved summary of {name}: the director approves it again")
                if str(view.summary) == "approved"
                else _("Work summary of {name}")
            ).format(name=view.name),
            # The current text, so editing never silently replaces a summary already written.
            [("text", _("Summary"), view.summary_text or "")],
            lambda v, done, failed: self.run_service(
                interns.submit_summary, self.desk_app.actor, view.staff_id, v["text"], on_done=done, on_error=failed
            ),
        )

    def action_recommend(self) -> None:
        view = self._current()
        self._form(
            _("Recommend early conversion of {name}").format(name=view.name),
            [("reason", _("Reason"), "")],
            lambda v, done, failed: self.run_service(
                interns.recommend_early, self.desk_app.actor, view.staff_id, v["reason"], on_done=done, on_error=failed
            ),
        )

    def action_send_back(self) -> None:
        view = self._current()
        self._form(
            _("Send back the summary of {name}").format(name=view.name),
            [("note", _("Why"), "")],
            lambda v, done, failed: self.run_service(
                interns.decide_summary,
                self.desk_app.actor,
                view.summary_id,
                False,
                v["note"],
                on_done=done,
                on_error=failed,
            ),
        )

    def _confirm(self, title: str, question: str, label: str, send: Callable[[], object]) -> None:
        """Asks first; ``send()`` runs the service once the person confirms."""

        def answered(answer: Confirmed | None) -> None:
            if answer is not None:
                send()

        self.app.push_screen(ConfirmModal(title, question, confirm_label=label, reason=Reason.NONE), answered)

    def _saved_view(self, _view: object) -> None:
        self._saved()

    def action_approve_summary(self) -> None:
        view = self._current()
        self._confirm(
            _("Approve the work summary"),
            clip(view.summary_text, 400),
            _("Approve"),
            lambda: self.run_service(
                interns.decide_summary, self.desk_app.actor, view.summary_id, True, on_done=self._saved_view
            ),
        )

    def action_approve_early(self) -> None:
        view = self._current()
        self._confirm(
            _("Approve early conversion"),
            _("A leader recommends converting {name} early: {why}").format(name=view.name, why=str(view.conversion)),
            _("Approve"),
            lambda: self.run_service(
                interns.approve_early, self.desk_app.actor, view.staff_id, on_done=self._saved_view
            ),
        )

    def action_convert(self) -> None:
        view = self._current()
        if not view.conversion.ok:
            # The rules say no: say why here rather than after a confirmation.
            self.desk_app.remember_refusal(tuple(view.conversion.rule_ids))
            self.notify(str(view.conversion) + "\n" + _("Press w to see why."), title=_("Not done"), severity="warning")
            return
        self._confirm(
            _("Convert to formal staff"),
            _("{name} becomes formal staff ({why}).").format(name=view.name, why=view.conversion.reason),
            _("Convert"),
            lambda: self.run_service(interns.convert, self.desk_app.actor, view.staff_id, on_done=self._saved_view),
        )


class _FieldError(ValueError):
    """Bad input caught on the screen, shown under its field like a service's."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field
