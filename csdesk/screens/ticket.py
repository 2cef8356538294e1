"""One ticket: its header and SLA timers, the timeline, and what the handler does next.

Reply (TK-10, TK-14), resolve, escalate one level at a time or skip in an
emergency (TK-11, TK-12), dispatch (TK-4, TK-5), and the return visit's
contact attempts and closing (TK-8). The service masks the customer for
anyone but the owner and leaders (TK-15); this screen shows what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Header, Input, Select, Static, TextArea

from csdesk.i18n import N_, _
from csdesk.rules.staff import DeskAction, can
from csdesk.rules.tickets import timer_label
from csdesk.rules.vocab import ESCALATION_LADDER, TicketStatus
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.forms import FORMS_CSS, FormModal
from csdesk.screens.kit.services import canned, tickets, waiting
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import CASE_ROWS, TICKET_PAGE
from csdesk.screens.registry import Target
from csdesk.vocabulary import (
    OUTCOME_TITLES,
    category_title,
    channel_title,
    event_label,
    options,
    role_title,
    ticket_status_label,
)
from csdesk.widgets.confirm import ConfirmModal, Reason
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, clear_field_errors, say_on_field, show_field_error
from csdesk.widgets.key_row import KeyRow
from csdesk.widgets.live import DataChanged
from csdesk.widgets.sla import SLA_REFRESH_SECONDS, clock_text, sla_text

OPEN = frozenset(
    {
        TicketStatus.NEW,
        TicketStatus.CLAIMED,
        TicketStatus.WAITING_CUSTOMER,
        TicketStatus.DISPATCHED,
        TicketStatus.ESCALATED,
    }
)
# The customer's own words on the timeline (mail they sent), told apart from the system's.
_CUSTOMER_EVENTS = frozenset({"mail_in"})
# The single-letter keys: off while the reply box (or any field) has the focus.
LETTER_ACTIONS = frozenset(
    {
        "reply",
        "claim",
        "resolve",
        "escalate",
        "dispatch",
        "transfer",
        "attempt",
        "close_visit",
        "note",
        "pause",
        "resume",
        "history",
    }
)


def _reply_said(view: Any) -> str:
    """What the agent is told once a reply is saved: an email reply is on its way, not sent yet."""
    last = view.events[-1].kind if view.events else None
    if last == "mail_queued":
        return _("Reply saved; it goes to the customer by email.")
    if last == "mail_failed":
        return _("Reply saved, but it cannot go by email: see the timeline.")
    return _("Reply sent.")


def owner_text(number: str | None, name: str | None = None) -> str:
    if number is None:
        return _("unclaimed")
    return _("No. {number}").format(number=number) + (f" {name}" if name else "")


# -- the modals -------------------------------------------------------------------


class EscalateModal(FormModal):
    """TK-12: a description and the customer's contact; TK-11: one level, or an emergency skip."""

    CSS_PATH = [FORMS_CSS, "ticket.tcss"]
    title_text = N_("Escalate")

    def fields(self) -> ComposeResult:
        here = ESCALATION_LADDER[self.view.escalation_level]
        above = ESCALATION_LADDER[self.view.escalation_level + 1 :]
        next_up = role_title(above[0]) if above else _("nobody (already at the top)")
        yield Static(
            _("Now with: {here}. Goes to: {next}.").format(here=role_title(here), next=next_up),
            id="escalate-route",
            markup=False,
        )
        yield Field("description", _("Problem description"), Input(id="escalate-description"))
        contact = "" if self.view.contact_masked else self.view.customer_contact
        yield Field("customer_contact", _("Customer contact"), Input(contact, id="escalate-contact"))
        if len(above) > 1:
            # One line, not a bordered box: the whole form, route on top, fits 80x24 without scrolling.
            yield Checkbox(
                _("Emergency: skip a level (the skipped one is told after)"), id="escalate-emergency", compact=True
            )
            skips = [(role_title(role), role.value) for role in above[1:]]
            yield Field(
                "emergency_skip_to",
                _("Skip to"),
                Select(skips, id="escalate-skip-to", allow_blank=False, disabled=True),
            )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#escalate-description", Input))  # at once: keys may follow

    def submit_label(self) -> str:
        return _("Escalate")

    @on(Checkbox.Changed, "#escalate-emergency")
    def _emergency(self, event: Checkbox.Changed) -> None:
        self.query_one("#escalate-skip-to", Select).disabled = not event.value

    def submit(self) -> None:
        skip_to = None
        boxes = self.query("#escalate-emergency")
        if boxes and boxes.first(Checkbox).value:
            skip_to = str(self.query_one("#escalate-skip-to", Select).value)
        self.call(
            tickets.escalate,
            self.view.id,
            self.query_one("#escalate-description", Input).value,
            self.query_one("#escalate-contact", Input).value,
            emergency_skip_to=skip_to,
        )


class DispatchModal(FormModal):
    """TK-4 / TK-5: hand the case to the party responsible for it."""

    title_text = N_("Dispatch")

    def fields(self) -> ComposeResult:
        yield Field("to_party", _("Responsible party (department or person)"), Input(id="dispatch-party"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#dispatch-party", Input))  # at once: keys may follow

    def submit_label(self) -> str:
        return _("Dispatch")

    def submit(self) -> None:
        self.call(tickets.dispatch, self.view.id, self.query_one("#dispatch-party", Input).value)


class TransferModal(FormModal):
    """TK-9: a leader hands the case to a colleague, saying why; the colleague owns it then."""

    title_text = N_("Transfer")

    def fields(self) -> ComposeResult:
        yield Static(
            _("Now with: {owner}").format(owner=owner_text(self.view.owner_number, self.view.owner_name)),
            id="transfer-from",
            markup=False,
        )
        yield Field("to_staff_id", _("Transfer to"), Select([], id="transfer-to", prompt=_("Loading colleagues…")))
        yield Field("reason", _("Why (the timeline keeps it)"), Input(id="transfer-reason"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#transfer-to", Select))  # at once: keys may follow
        self.run_service(
            tickets.transfer_choices,
            self.desk_app.actor,
            self.view.id,
            on_done=self._choices,
            on_error=partial(show_field_error, self),
        )

    def _choices(self, choices: tuple[tickets.TransferChoice, ...]) -> None:
        select = self.query_one("#transfer-to", Select)
        select.set_options([(c.label, c.staff_id) for c in choices])
        select.prompt = _("Choose a colleague") if choices else _("Nobody to transfer to")

    def submit_label(self) -> str:
        return _("Transfer")

    def submit(self) -> None:
        chosen = self.query_one("#transfer-to", Select).value
        if not isinstance(chosen, int):
            say_on_field(self, "to_staff_id", _("Choose whom to transfer the case to."))
            return
        self.call(tickets.transfer, self.view.id, chosen, self.query_one("#transfer-reason", Input).value)


class AttemptModal(FormModal):
    """TK-8: one try at reaching the customer for the return visit."""

    title_text = N_("Return visit: contact attempt")

    def fields(self) -> ComposeResult:
        choices = options(OUTCOME_TITLES)
        yield Field(
            "outcome", _("Outcome"), Select(choices, id="attempt-outcome", allow_blank=False, value="no_answer")
        )
        yield Field("note", _("Note"), Input(id="attempt-note"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#attempt-outcome", Select))  # at once: keys may follow

    def submit(self) -> None:
        visit = self.view.return_visit
        self.call(
            tickets.log_contact_attempt,
            visit.id,
            str(self.query_one("#attempt-outcome", Select).value),
            self.query_one("#attempt-note", Input).value,
        )


class CloseVisitModal(FormModal):
    """TK-8: close the return visit, and with it the case."""

    title_text = N_("Close the return visit")

    def fields(self) -> ComposeResult:
        answers = [(_("Satisfied"), "yes"), (_("Not satisfied"), "no"), (_("Not reached"), "unknown")]
        reached = any(str(a.outcome) == "reached" for a in self.view.return_visit.attempts)
        yield Field(
            "satisfied",
            _("Customer"),
            Select(answers, id="close-satisfied", allow_blank=False, value="yes" if reached else "unknown"),
        )
        yield Field("result", _("Result"), Input(id="close-result"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#close-result", Input))  # at once: keys may follow

    def submit_label(self) -> str:
        return _("Close case")

    def submit(self) -> None:
        choice = self.query_one("#close-satisfied", Select).value
        satisfied = {"yes": True, "no": False}.get(str(choice))
        self.call(
            tickets.close_return_visit,
            self.view.return_visit.id,
            satisfied,
            self.query_one("#close-result", Input).value,
        )


# -- the screen -------------------------------------------------------------------


class TicketScreen(DeskScreen):
    watches = TICKET_PAGE
    clock_refresh = SLA_REFRESH_SECONDS
    CSS_PATH = "ticket.tcss"
    BINDINGS = [
        Binding("ctrl+s", "send", N_("Send reply"), id="send"),
        Binding("f2", "why", N_("Why"), id="why-f2", show=False),
        Binding("r", "reply", N_("Reply"), id="reply"),
        # The footer has no room for these at 80 columns: the "Actions" row above it lists them.
        Binding("c", "claim", N_("Claim"), id="claim", show=False),
        Binding("x", "resolve", N_("Resolve"), id="resolve", show=False),
        Binding("e", "escalate", N_("Escalate"), id="escalate", show=False),
        Binding("d", "dispatch", N_("Dispatch"), id="dispatch", show=False),
        Binding("t", "transfer", N_("Transfer"), id="transfer", show=False),
        Binding("a", "attempt", N_("Contact attempt"), id="attempt", show=False),
        Binding("v", "close_visit", N_("Close case"), id="close-visit", show=False),
        Binding("n", "note", N_("Internal note"), id="note", show=False),
        Binding("p", "pause", N_("Wait"), id="pause", show=False),
        Binding("u", "resume", N_("Resume"), id="resume", show=False),
        Binding("h", "history", N_("Customer history"), id="history", show=False),
        # A function key, so it works while typing the reply too.
        Binding("f4", "canned", N_("Canned reply"), id="canned"),
        # KB-2: "/" while reading the case, F3 while typing the reply.
        Binding("slash", "knowledge", N_("Knowledge"), id="knowledge"),
        Binding("f3", "knowledge", N_("Knowledge"), id="knowledge-f3", show=False),
    ]

    def __init__(self, ticket_id: int, *, answer: bool = False) -> None:
        """``answer``: opened to answer the case (just taken in), so the reply box has the keys."""
        super().__init__()
        self.ticket_id = ticket_id
        self.answer = answer
        self.view: Any = None
        self._leaving = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="ticket-head"):
            yield Static(_("Loading ticket #{id}…").format(id=self.ticket_id), id="ticket-title", markup=False)
            yield Static("", id="ticket-meta")
            yield Static("", id="ticket-customer")
            yield Static("", id="ticket-timers")
            yield Static("", id="ticket-visit")
        yield VerticalScroll(id="ticket-timeline")
        yield Field(
            "text",
            _("Reply to the customer (ctrl+s sends)"),
            TextArea(id="ticket-reply", soft_wrap=True),
            id="ticket-reply-field",
            in_border=True,
        )
        yield KeyRow(
            N_("Actions:"),
            (
                "claim",
                "resolve",
                "escalate",
                "dispatch",
                "transfer",
                "attempt",
                "close-visit",
                "note",
                "pause",
                "resume",
                "history",
            ),
            id="ticket-more",
        )
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#ticket-timeline").border_title = _("Timeline")
        self.load()

    # -- loading ---------------------------------------------------------------------

    def load(self) -> None:
        actor = self.desk_app.actor
        self.run_service(
            tickets.ticket_detail, actor, self.ticket_id, on_done=self.show, group="ticket-load", exclusive=True
        )

    def show(self, view: tickets.TicketView) -> None:
        previous = self.view
        self.view = view
        zone = self.desk_app.zone
        self.query_one("#ticket-title", Static).update(
            Text(f"#{view.id}  {view.subject}", style="bold", no_wrap=True, overflow="ellipsis")
        )
        meta = [
            channel_title(view.channel),
            category_title(view.category),
            ticket_status_label(view.status),
            owner_text(view.owner_number, view.owner_name),
        ]
        if view.escalation_level:
            meta.append(_("with the {role}").format(role=role_title(view.escalated_to)))
        if view.special_request:
            meta.append(_("special request"))
        self.query_one("#ticket-meta", Static).update(Text(" · ".join(meta), no_wrap=True, overflow="ellipsis"))
        customer = Text(_("Customer: "), style="dim")
        customer.append(f"{view.customer_name or '—'}  {view.customer_contact or ''}")
        if view.contact_masked:
            customer.append("  " + _("(masked, TK-15)"), style="dim")
        customer.append("  " + _("received {at}").format(at=local(view.received_at, zone)), style="dim")
        self.query_one("#ticket-customer", Static).update(customer)
        self.query_one("#ticket-timers", Static).update(self._timers_text(view))
        self.query_one("#ticket-visit", Static).update(self._visit_text(view))
        self.query_one("#ticket-visit").display = view.return_visit is not None
        self._show_timeline(view, zone)
        self.query_one("#ticket-reply-field").display = view.status in OPEN
        if previous is None and self.answer and view.status in OPEN:
            # Opened to answer: what is typed next goes into the reply, never to a key.
            self.query_one("#ticket-reply", TextArea).focus()
        if previous is not None and previous.version != view.version and self._typed():
            self.notify(
                _("Ticket #{id} was changed at another desk; the timeline is up to date.").format(id=view.id),
                severity="warning",
            )
        self.refresh_bindings()

    def _timers_text(self, view: Any) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        clock = view.clock
        timers = clock.timers if clock is not None else view.timers
        if clock is not None:
            text.append_text(clock_text(clock, self.desk_app.zone))
        for timer in timers:
            if text:
                text.append("\n")
            text.append(f"{timer_label(timer.kind)} ({timer.rule_id}): ", style="dim")
            text.append_text(sla_text(timer.status, timer.remaining))
        if not timers:
            if text:
                text.append("\n")
            text.append(_("No SLA timer runs."), style="dim")
        return text

    def _visit_text(self, view: Any) -> Text:
        visit = view.return_visit
        if visit is None:
            return Text()
        text = Text(_("Return visit: "), style="dim", no_wrap=True, overflow="ellipsis")
        if visit.done_at is not None:
            text.append(_("done"))
            return text
        text.append_text(sla_text(visit.timer.status, visit.timer.remaining))
        text.append("  " + _("{n} failed attempt(s)").format(n=visit.failed_attempts))
        text.append(f"  {visit.may_close_reason}", style="dim")
        return text

    def _show_timeline(self, view: Any, zone: tzinfo) -> None:
        timeline = self.query_one("#ticket-timeline", VerticalScroll)
        at_end = timeline.scroll_y >= timeline.max_scroll_y
        timeline.remove_children()
        # What the customer was told reads as one text, one widget for a run of events:
        # a widget per event cost most of opening a long case. Notes stay apart, marked.
        told: list[Text] = []
        lines: list[Static] = []

        def close_run() -> None:
            if told:
                lines.append(Static(Text("\n").join(told), classes="event"))
                told.clear()

        if view.body:
            said = Text(_("Customer: "), style="dim")
            said.append(view.body)
            lines.append(Static(said, classes="event ticket-body"))
        for event in view.events:
            line = Text(f"{local(event.at, zone)} ", style="dim")
            if event.actor_number:
                who = owner_text(event.actor_number)
            else:
                who = _("customer") if event.kind in _CUSTOMER_EVENTS else _("system")
            line.append(f"{who} ", style="bold")
            if event.internal_note:
                close_run()
                line.append(f"[{event_label(event.kind)}] ", style="bold magenta")
                line.append(event.text, style="italic")
                lines.append(Static(line, classes="event event-note"))
                continue
            line.append(f"[{event_label(event.kind)}] ", style="red" if event.kind == "mail_failed" else "cyan")
            line.append(event.text)
            told.append(line)
        close_run()
        if not lines:
            lines.append(Static(_("Nothing has happened yet."), classes="event"))
        timeline.mount_all(lines)
        if at_end:
            timeline.call_after_refresh(timeline.scroll_end, animate=False)

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        moved = message.tables
        if self.view is not None and moved is not None and moved & self.watches <= CASE_ROWS:
            # Cases are taken in and claimed all over the centre, nearly always other ones:
            # ask whether this one moved before reading it and its timeline again.
            self.run_service(
                tickets.ticket_stamp,
                self.desk_app.actor,
                self.ticket_id,
                on_done=self._compare_stamp,
                group="ticket-stamp",
                exclusive=True,
            )
            return
        self.load()

    def _compare_stamp(self, stamp: tuple[int, int, int]) -> None:
        if self.view is None or stamp != self.view.stamp:
            self.load()

    # -- what may be done ----------------------------------------------------------------

    def _is_open(self) -> bool:
        return self.view is not None and self.view.status in OPEN

    def _typing(self) -> bool:
        return isinstance(self.focused, TextArea | Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action in LETTER_ACTIONS and self._typing():
            # Letters typed into the reply are words, not commands: shown greyed till Esc.
            return None
        if action in ("send", "reply", "resolve", "escalate", "knowledge", "canned", "note"):
            return self._is_open()
        clock = getattr(view, "clock", None)
        paused = clock is not None and str(clock.state) == "paused"
        if action == "pause":
            return self._is_open() and not paused
        if action == "resume":
            return self._is_open() and paused
        if action == "history":
            return view is not None
        if action == "claim":
            return self._is_open() and view.owner_id is None
        if action == "dispatch":
            return self._is_open() and view.dispatched_at is None
        if action == "transfer":
            # TK-9: a formal transfer is a leader's; the owner asks one.
            actor = self.desk_app.actor
            return self._is_open() and actor is not None and can(actor.role, DeskAction.TRANSFER_TICKET).ok
        visit = view.return_visit if view is not None else None
        if action == "attempt":
            return visit is not None and visit.done_at is None
        if action == "close_visit":
            if visit is None or visit.done_at is not None:
                return False
            # Shown but greyed until the rules let it close (TK-8).
            return True if visit.may_close else None
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Sequence[str]:
        refused = self.desk_app.last_refusal_rule_ids
        if refused:
            return refused
        view = self.view
        if view is None:
            return ()
        ids = [t.rule_id for t in view.timers]
        if view.return_visit is not None:
            ids.append("TK-8")
        if view.contact_masked:
            ids.append("TK-15")
        return tuple(dict.fromkeys(ids))

    # -- actions ---------------------------------------------------------------------------

    def _typed(self) -> bool:
        return bool(self.query_one("#ticket-reply", TextArea).text.strip())

    def _after(self, result: Any, message: str = "") -> None:
        self.desk_app.last_refusal_rule_ids = ()
        view = getattr(result, "ticket", result)
        if hasattr(view, "events"):
            self.show(view)
        else:
            self.load()
        if message:
            self.notify(message)

    def _refused(self, exc: Exception) -> bool:
        from csdesk.services.base import StaleEdit

        if isinstance(exc, StaleEdit):
            self.notify(
                _(
                    "Someone else changed this ticket since you opened it. "
                    "It has been reloaded; your reply is still here — read it again, then send."
                ),
                title=_("Not sent"),
                severity="warning",
            )
            self.load()
            return True
        if show_field_error(self, exc):
            if getattr(exc, "rule_ids", ()):
                field = self.query_one("#ticket-reply-field", Field)
                field.show_error(str(exc) + "  " + _("(F2: why)"))
            return True
        return False

    def action_reply(self) -> None:
        self.query_one("#ticket-reply", TextArea).focus()

    def action_send(self) -> None:
        if not self._is_open():
            return
        box = self.query_one("#ticket-reply", TextArea)
        clear_field_errors(self)
        self.desk_app.last_refusal_rule_ids = ()

        def sent(view: Any) -> None:
            box.text = ""
            self._after(view, _reply_said(view))

        self.run_service(
            tickets.reply,
            self.desk_app.actor,
            self.view.id,
            box.text,
            self.view.version,
            on_done=sent,
            on_error=self._refused,
        )

    def action_knowledge(self) -> None:
        """KB-2: find an answer in the knowledge base and put it into the reply at the cursor."""
        from csdesk.screens.knowledge import KnowledgeSearchModal

        def chosen(entry: Any) -> None:
            if entry is not None:
                box = self.query_one("#ticket-reply", TextArea)
                box.insert(entry.body)
                box.focus()

        self.app.push_screen(KnowledgeSearchModal(_("Enter puts the answer into your reply.")), chosen)

    def action_claim(self) -> None:
        self.run_service(
            tickets.claim,
            self.desk_app.actor,
            self.ticket_id,
            on_done=lambda v: self._after(v, _("You own ticket #{id} now.").format(id=v.id)),
            on_error=lambda exc: self.load(),
        )

    def action_resolve(self) -> None:
        def answered(confirmed: Any) -> None:
            if confirmed is None:
                return
            self.run_service(
                tickets.resolve,
                self.desk_app.actor,
                self.ticket_id,
                confirmed.reason,
                on_done=lambda v: self._after(v, _("Resolved; the return visit is booked (TK-8).")),
            )

        self.app.push_screen(
            ConfirmModal(
                _("Resolve"),
                _("Mark ticket #{id} solved and book its return visit?").format(id=self.ticket_id),
                confirm_label=_("Resolve"),
                reason=Reason.OPTIONAL,
            ),
            answered,
        )

    def action_escalate(self) -> None:
        def done(result: Any) -> None:
            if result is None:
                return
            message = _("Escalated to the {role}.").format(role=role_title(result.to_role))
            if result.inform:
                message += " " + _("Inform afterwards: {who}").format(who="; ".join(t.label for t in result.inform))
            self._after(result, message)

        self.app.push_screen(EscalateModal(self.view), done)

    def action_dispatch(self) -> None:
        def done(view: Any) -> None:
            if view is not None:
                self._after(view, _("Dispatched; the back-office clock runs."))

        self.app.push_screen(DispatchModal(self.view), done)

    def action_transfer(self) -> None:
        def done(view: Any) -> None:
            if view is not None:
                self._after(
                    view, _("Transferred to {owner}.").format(owner=owner_text(view.owner_number, view.owner_name))
                )

        self.app.push_screen(TransferModal(self.view), done)

    def action_attempt(self) -> None:
        def done(visit: Any) -> None:
            if visit is None:
                return
            self.load()
            if visit.may_close:
                self.notify(_("The case may close now (TK-8): press v."))

        self.app.push_screen(AttemptModal(self.view), done)

    def action_close_visit(self) -> None:
        def done(view: Any) -> None:
            if view is not None:
                self._after(view, _("Return visit done; case closed."))

        self.app.push_screen(CloseVisitModal(self.view), done)

    def unsaved_work(self) -> str | None:
        if self._typed() and not self._leaving:
            return _("Your reply has not been sent. Leave and throw it away?")
        return None

    def action_back(self) -> None:
        if not self._typed() or self._leaving:
            super().action_back()
            return

        def answered(confirmed: Any) -> None:
            if confirmed is not None:
                self._leaving = True
                super(TicketScreen, self).action_back()

        self.app.push_screen(
            ConfirmModal(
                _("Unsent reply"),
                _("Your reply has not been sent. Leave and throw it away?"),
                confirm_label=_("Throw away"),
                destructive=True,
            ),
            answered,
        )

    # -- the tools beside the reply ------------------------------------------------------

    def action_canned(self) -> None:
        from csdesk.screens.ticket_tools import CannedFillModal, CannedPickModal, blanks_to_ask

        box = self.query_one("#ticket-reply", TextArea)

        def filled(text: Any) -> None:
            if isinstance(text, str):
                box.insert(text)
                box.focus()
                self.notify(_("Read it over, then ctrl+s sends it."))

        def picked(reply: Any) -> None:
            if reply is None:
                return
            if blanks_to_ask(reply):
                self.app.push_screen(CannedFillModal(self.view, reply), filled)
            else:
                self.run_service(
                    canned.fill_canned_reply,
                    self.desk_app.actor,
                    reply.id,
                    self.ticket_id,
                    on_done=filled,
                )

        self.app.push_screen(CannedPickModal(self.view), picked)

    def action_note(self) -> None:
        from csdesk.screens.ticket_tools import NoteModal

        def done(view: Any) -> None:
            if view is not None:
                self._after(view, _("Note kept for colleagues; the customer does not see it."))

        self.app.push_screen(NoteModal(self.view), done)

    def action_pause(self) -> None:
        from csdesk.screens.ticket_tools import PauseModal

        def done(view: Any) -> None:
            if view is not None:
                self._after(view, _("The case waits; its resolution clock is stopped (TK-5)."))

        self.app.push_screen(PauseModal(self.view), done)

    def action_resume(self) -> None:
        self.run_service(
            waiting.resume_clock,
            self.desk_app.actor,
            self.ticket_id,
            "",
            self.view.version,
            on_done=lambda v: self._after(v, _("The clock runs again; the due time moved by the wait (TK-5).")),
            on_error=self._refused,
        )

    def action_history(self) -> None:
        # Named, not imported: the history's rows open tickets, so an import would go round in a circle.
        self.app.push_screen(Target("csdesk.screens.search:HistoryScreen", (self.ticket_id,))())


__all__ = ["EscalateModal", "TicketScreen"]
