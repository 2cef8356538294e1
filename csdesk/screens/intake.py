"""Taking a case in while the customer is on the line (TK-1..TK-8, TK-13, TK-16).

The greeting the agent reads on pick-up sits at the top (TK-3). Saving starts
the SLA clocks the rules give the channel and category, and the due time is
shown at once. Nothing typed is lost by accident: leaving with unsaved text
asks first.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Header, Input, Select, Static, TextArea

from csdesk.i18n import N_, _
from csdesk.rules.tickets import greeting_script
from csdesk.rules.vocab import Category, Channel
from csdesk.screens.base import DeskForm
from csdesk.screens.kit.services import tickets
from csdesk.screens.kit.times import local, parse_moment
from csdesk.screens.ticket import TicketScreen
from csdesk.vocabulary import CATEGORY_TITLES, CHANNEL_TITLES, options
from csdesk.widgets.confirm import ConfirmModal
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, clear_field_errors, say_on_field, show_field_error
from csdesk.widgets.sla import sla_text

TEXT_INPUTS = ("#intake-name", "#intake-contact", "#intake-subject", "#intake-reason", "#intake-promised")


class IntakeScreen(DeskForm):
    CSS_PATH = "intake.tcss"
    BINDINGS = [
        # Not priority: these must wait their turn behind the keys typed before them.
        Binding("ctrl+s", "save", N_("Save"), id="save"),
        Binding("ctrl+o", "open_saved", N_("Open saved ticket"), id="open-saved"),
        Binding("f2", "why", N_("Why"), id="why-f2", show=False),
    ]

    def __init__(self, channel: Channel = Channel.PHONE) -> None:
        super().__init__()
        self.channel = channel
        self.saved: Any = None
        self._saving = False
        self._leaving = False

    def compose(self) -> ComposeResult:
        actor = self.desk_app.actor
        yield Header()
        yield Static(self._greeting(actor.employee_number), id="intake-greeting")
        # Above the form, so the due time stays in view while the next call is typed in.
        yield Static("", id="intake-saved")
        with VerticalScroll(id="intake-form"):
            with Horizontal(classes="intake-row"):
                yield Field(
                    "channel",
                    _("Channel"),
                    Select(options(CHANNEL_TITLES), value=self.channel.value, allow_blank=False, id="intake-channel"),
                )
                yield Field(
                    "category",
                    _("Category"),
                    Select(
                        options(CATEGORY_TITLES), value=Category.INQUIRY.value, allow_blank=False, id="intake-category"
                    ),
                )
            with Horizontal(classes="intake-row"):
                yield Field("customer_name", _("Customer name"), Input(id="intake-name"))
                yield Field("customer_contact", _("Contact (phone or email)"), Input(id="intake-contact"))
            yield Field("subject", _("Subject"), Input(id="intake-subject"))
            yield Field("body", _("What the customer said"), TextArea(id="intake-body", soft_wrap=True))
            with Horizontal(classes="intake-row"):
                yield Field("reason_unsolved", _("Not solved now? Why, as told (TK-10)"), Input(id="intake-reason"))
                yield Field(
                    "promised_at",
                    _("Forum: answer promised by (TK-6)"),
                    Input(id="intake-promised", placeholder=_("HH:MM or YYYY-MM-DD HH:MM"), max_length=16),
                )
            yield Checkbox(_("Special request (flagged for the leader, TK-16)"), id="intake-special")
        yield DeskFooter()

    def start_form(self) -> None:
        # A ticket saved at the last opening is not this call's: its line and ctrl+o go.
        self.saved = None
        self._saving = self._leaving = False
        self.query_one("#intake-saved").display = False
        self.refresh_bindings()
        self.set_focus(self.query_one("#intake-channel", Select))  # at once: keys may follow

    # -- state -------------------------------------------------------------------------

    def has_unsaved_text(self) -> bool:
        typed = any(self.query_one(selector, Input).value.strip() for selector in TEXT_INPUTS)
        return typed or bool(self.query_one("#intake-body", TextArea).text.strip())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_saved":
            return self.saved is not None
        return super().check_action(action, parameters)

    # -- saving ------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        clear_field_errors(self)
        self.desk_app.last_refusal_rule_ids = ()
        app = self.desk_app
        try:
            promised = parse_moment(self.query_one("#intake-promised", Input).value, app.now(), app.zone)
        except ValueError:
            say_on_field(self, "promised_at", _("Write the time as HH:MM or YYYY-MM-DD HH:MM, e.g. 14:30."))
            return
        reason = self.query_one("#intake-reason", Input).value.strip() or None
        self._saving = True
        self.run_service(
            tickets.take_in,
            self.desk_app.actor,
            str(self.query_one("#intake-channel", Select).value),
            str(self.query_one("#intake-category", Select).value),
            self.query_one("#intake-name", Input).value,
            self.query_one("#intake-contact", Input).value,
            self.query_one("#intake-subject", Input).value,
            self.query_one("#intake-body", TextArea).text,
            special_request=self.query_one("#intake-special", Checkbox).value,
            promised_at=promised,
            reason_unsolved=reason,
            on_done=self._saved,
            on_error=self._refused,
        )

    def _refused(self, exc: Exception) -> bool:
        self._saving = False
        return show_field_error(self, exc)

    @staticmethod
    def _greeting(number: int | str) -> Text:
        greeting = Text(_("Say: "), style="dim")
        greeting.append(greeting_script(number), style="bold")
        greeting.append("  (TK-3)", style="dim")
        return greeting

    def language_changed(self) -> None:
        # The greeting and the saved line carry a number, which no catalogue holds: written afresh.
        super().language_changed()
        actor = self.desk_app.actor
        if actor is not None:
            self.query_one("#intake-greeting", Static).update(self._greeting(actor.employee_number))
        if self.saved is not None:
            self._say_saved(self.saved)

    def _saved(self, view: tickets.TicketView) -> None:
        self._saving = False
        self.saved = view
        self._say_saved(view)
        self._clear_form()
        self.refresh_bindings()
        self.query_one("#intake-form", VerticalScroll).scroll_home(animate=False)
        self.query_one("#intake-name", Input).focus()

    def _say_saved(self, view: tickets.TicketView) -> None:
        zone = self.desk_app.zone
        line = Text(_("Saved as ticket #{id}. ").format(id=view.id), style="bold")
        running = [t for t in view.timers if t.stopped_at is None]
        urgent = min(running, key=lambda t: t.due_at) if running else None
        if view.sla_due is not None:
            line.append(_("SLA due {at}").format(at=local(view.sla_due, zone)), style="bold")
            if urgent is not None:
                line.append(f" ({urgent.kind}, {urgent.rule_id})")
        else:
            line.append(_("No SLA timer runs for it."))
        line.append("\n")
        if urgent is not None:
            line.append_text(sla_text(urgent.status, urgent.remaining))
            line.append(" · ", style="dim")
        owner = _("It is yours (TK-9).") if view.owner_id is not None else _("It waits in the shared queue.")
        line.append(f"{owner} " + _("ctrl+o opens it."), style="dim")
        saved = self.query_one("#intake-saved", Static)
        saved.update(line)
        saved.display = True

    def _clear_form(self) -> None:
        for selector in TEXT_INPUTS:
            self.query_one(selector, Input).value = ""
        self.query_one("#intake-body", TextArea).text = ""
        self.query_one("#intake-special", Checkbox).value = False
        self.query_one("#intake-category", Select).value = Category.INQUIRY.value

    def action_open_saved(self) -> None:
        if self.saved is not None:
            self.app.push_screen(TicketScreen(self.saved.id, answer=True))

    # -- leaving -----------------------------------------------------------------------

    def unsaved_work(self) -> str | None:
        if self._leaving or not self.has_unsaved_text():
            return None
        return _("This ticket has not been saved. Leave and throw away what you typed?")

    def action_back(self) -> None:
        if self._leaving or not self.has_unsaved_text():
            super().action_back()
            return

        def answered(confirmed: Any) -> None:
            if confirmed is not None:
                self._leaving = True
                super(IntakeScreen, self).action_back()

        self.app.push_screen(
            ConfirmModal(
                _("Unsaved ticket"),
                _("This ticket has not been saved. Leave and throw away what you typed?"),
                confirm_label=_("Throw away"),
                destructive=True,
            ),
            answered,
        )
