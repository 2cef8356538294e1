"""The department fund: its open ledger and balance for everyone (FN-8), and the
forms leaders use to record fines by rule, rewards, spending and reversals.

The fine form shows what the rules will charge before anything is saved
(FN-1..FN-6, FN-10), including when the offence raises a dismissal review
(DS-2). Nothing in the ledger is edited or deleted: a mistake is reversed.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Select, Static

from csdesk.formats import currency_name, money, priced
from csdesk.i18n import N_, _
from csdesk.rules.fines import Offence
from csdesk.rules.staff import Action
from csdesk.rules.vocab import LedgerKind
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.forms import FormScreen, refuse_for_role, role_may
from csdesk.screens.kit.services import ledger, pickers
from csdesk.screens.kit.tables import person_cell, service_pages, view_at_cursor, view_of
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import FUND
from csdesk.text import clip
from csdesk.vocabulary import ledger_kind_label, role_title
from csdesk.widgets.confirm import Confirmed, ConfirmModal, Reason
from csdesk.widgets.detail import DetailModal
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, show_field_error
from csdesk.widgets.key_row import KeyRow
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from csdesk.policy import Policy

# ledger.GREETING_DELAY; repeated here because the screen may not import the store.
GREETING_DELAY = "greeting_delay"

OFFENCE_LABELS: dict[str, str] = {
    Offence.COMPLAINT: N_("Complaint against the agent (FN-3)"),
    Offence.HANDOVER: N_("No handover / handed-over item forgotten (FN-1, HO-5)"),
    Offence.NON_WORK: N_("Non-work activity on shift (FN-4)"),
    Offence.DESK_NOT_CLEAN: N_("Desk not cleaned on time (FN-5)"),
    Offence.CONTACT_DISCLOSURE: N_("Disclosed a colleague's contact details (FN-6)"),
    GREETING_DELAY: N_("Late chat greeting (FN-2, TK-13)"),
}

OFFENCE_NAMES: dict[str, str] = {
    Offence.COMPLAINT: N_("complaint"),
    Offence.HANDOVER: N_("handover offence"),
    Offence.NON_WORK: N_("non-work activity"),
    Offence.DESK_NOT_CLEAN: N_("desk not clean"),
    Offence.CONTACT_DISCLOSURE: N_("contact disclosure"),
}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return _("{n}{suffix}").format(n=n, suffix=suffix)


def fine_preview_text(preview: Any) -> str:
    """What the rules will charge, in the words a leader checks before saving."""
    amount = priced(preview.amount_cents, preview.currency)
    if preview.offence == GREETING_DELAY:
        if preview.amount_cents <= 0:
            return _("{reason}: within the grace, no fine").format(reason=preview.reason)
        return _("Late greeting: {amount}").format(amount=amount)
    name = _(OFFENCE_NAMES.get(preview.offence, preview.offence))
    if not preview.escalating:
        return _("{name}: {amount} each time").format(name=name.capitalize(), amount=amount)
    text = _("{nth} {name} this month: {amount}").format(nth=ordinal(preview.nth_this_month), name=name, amount=amount)
    if preview.nth_this_month > 1 and preview.base_cents:
        factor = preview.amount_cents // preview.base_cents
        if factor == 2:
            text += " " + _("(doubled)")
        elif factor == 4:
            text += " " + _("(doubled twice)")
        else:
            text += " " + _("(×{factor})").format(factor=factor)
    if preview.dismissal_review:
        text += "\n" + _("This offence raises a dismissal review to the directors (DS-2).")
    return text


# Columns before the note, with their cell padding and the scrollbar.
_LEDGER_FIXED_WIDTH = 70


def _ledger_cells(
    row: ledger.LedgerRow, policy: Policy, note_width: int = 40, person_width: int = 16
) -> tuple[str, ...]:
    kind = ledger_kind_label(row.kind)
    if row.kind is LedgerKind.REVERSAL and row.reverses_id is not None:
        kind = _("undo #{id}").format(id=row.reverses_id)
    elif row.reversed:
        kind = _("{kind} ↺").format(kind=kind)
    who = row.staff_label or row.approver_label
    return (
        local(row.at, policy.zone),
        str(row.id),
        kind,
        person_cell(who, person_width),
        row.rule_id or "",
        money(row.amount_cents, signed=True),
        clip(row.reason, note_width),
    )


class FinesScreen(DeskScreen):
    """FN-8: the ledger, newest first, with the balance; leaders record from here."""

    watches = FUND

    CSS_PATH = "fines.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("f", "record_fine", N_("Fine"), id="record-fine"),
        Binding("r", "reward", N_("Reward"), id="record-reward"),
        Binding("s", "spend", N_("Spend"), id="record-spending"),
        # The footer has no room for these at 80 columns: the "Actions" row above it lists them.
        Binding("x", "reverse", N_("Reverse"), id="reverse-entry", show=False),
        Binding("v", "reviews", N_("Reviews"), id="dismissal-reviews", show=False),
        Binding("c", "custom", N_("Custom entry"), id="custom-entry", show=False),
    ]

    # What each key needs; keys the role may not use are left out of the footer,
    # and pressing one says which role is signed in and who may.
    ACTION_NEEDS = {
        "record_fine": Action.RECORD_FINE,
        "reward": Action.RECORD_REWARD,
        "spend": Action.RECORD_SPENDING,
        "reverse": Action.REVERSE_LEDGER_ENTRY,
        "reviews": Action.SEE_DISMISSAL_REVIEWS,
        "custom": Action.DECIDE_CUSTOM_FINE,
    }

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="fund-top"):
            yield Static(_("Department fund"), id="fund-title")
            yield Static(_("Balance …"), id="fund-balance")
        actor = self.desk_app.actor
        if actor is not None and not role_may(self, Action.RECORD_FINE):
            yield Static(
                _(
                    "Signed in as {role}: you can read the ledger; fines, rewards and spending "
                    "are recorded by squad leaders and directors."
                ).format(role=role_title(actor.role)),
                id="fund-note",
                markup=False,
            )
        yield PagedTable(
            [N_("When"), N_("#"), N_("Kind"), N_("Person"), N_("Rule"), N_("Amount"), N_("Note")],
            service_pages(
                self,
                ledger.ledger_page,
                lambda row, policy: _ledger_cells(row, policy, self.note_width(), self.person_width()),
            ),
            row_key=lambda row: row[1],
            id="ledger",
        )
        yield Static("", id="ledger-detail", markup=False)
        yield KeyRow(N_("Actions:"), ("reverse-entry", "dismissal-reviews", "custom-entry"), id="fund-more")
        yield DeskFooter()

    def person_width(self) -> int:
        # Wide terminals show whole western names; 80 columns keep room for the note.
        return 16 if self.size.width < 120 else 24

    def note_width(self) -> int:
        """The note gets what the other columns leave; the detail line below has it whole."""
        extra = self.person_width() - 16
        return max(10, min(80, self.size.width - _LEDGER_FIXED_WIDTH - extra))

    def on_mount(self) -> None:
        self.title = _("Fines & fund")
        self.load_balance()
        self.query_one("#ledger", PagedTable).focus()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings
        return {
            key: item
            for key, item in shown.items()
            if item.binding.action not in self.ACTION_NEEDS or role_may(self, self.ACTION_NEEDS[item.binding.action])
        }

    def load_balance(self) -> None:
        self.run_service(ledger.fund_balance, on_done=self._show_balance, group="balance", exclusive=True)

    def _show_balance(self, cents: int) -> None:
        currency = currency_name(self.desk_app.policy.centre.currency)
        self.query_one("#fund-balance", Static).update(
            _("Balance {amount} {currency}").format(amount=money(cents), currency=currency)
        )

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()

    def reload(self) -> None:
        self.load_balance()
        self.query_one("#ledger", PagedTable).refresh_rows()

    @on(DataTable.RowSelected, "#ledger")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        text = str(self.query_one("#ledger-detail", Static).render())
        if text.strip():
            self.app.push_screen(DetailModal(_("Ledger entry"), text))

    @on(DataTable.RowHighlighted, "#ledger")
    def _show_detail(self) -> None:
        row = view_at_cursor(self.query_one("#ledger", PagedTable))
        detail = self.query_one("#ledger-detail", Static)
        if row is None:
            detail.update("")
            return
        parts = [f"#{row.id} {row.reason}"]
        if row.recorded_by_label:
            parts.append(_("recorded by {who}").format(who=row.recorded_by_label))
        if row.approver_label:
            parts.append(_("approved by {who}").format(who=row.approver_label))
        if row.reversed_by_id is not None:
            parts.append(_("reversed by #{id}").format(id=row.reversed_by_id))
        detail.update(" · ".join(parts))

    def why_rule_ids(self) -> tuple[str, ...]:
        """The last refusal first; otherwise the rule of the highlighted entry."""
        if refused := tuple(super().why_rule_ids()):
            return refused
        row = view_at_cursor(self.query_one("#ledger", PagedTable))
        return (row.rule_id,) if row is not None and row.rule_id else ()

    # -- actions --------------------------------------------------------------------

    def _open_form(self, action: Action, form: DeskScreen) -> None:
        if refuse_for_role(self, action):
            self.app.push_screen(form, self._after_form)

    def _after_form(self, saved: object) -> None:
        if saved:
            self.reload()

    def action_record_fine(self) -> None:
        self._open_form(Action.RECORD_FINE, FineForm())

    def action_reward(self) -> None:
        self._open_form(Action.RECORD_REWARD, RewardForm())

    def action_spend(self) -> None:
        self._open_form(Action.RECORD_SPENDING, SpendingForm())

    def action_custom(self) -> None:
        self._open_form(Action.DECIDE_CUSTOM_FINE, CustomEntryForm())

    def action_reviews(self) -> None:
        if refuse_for_role(self, Action.SEE_DISMISSAL_REVIEWS):
            self.app.push_screen(DismissalReviewsScreen())

    def action_reverse(self) -> None:
        if not refuse_for_role(self, Action.REVERSE_LEDGER_ENTRY):
            return
        row = view_at_cursor(self.query_one("#ledger", PagedTable))
        if row is None:
            return
        question = _(
            "Reverse entry #{id}: {kind} {amount} for {who}? The entry stays in the "
            "ledger and a reversal entry undoes it (FN-8)."
        ).format(
            id=row.id,
            kind=ledger_kind_label(row.kind),
            amount=money(row.amount_cents, signed=True),
            who=row.staff_label or "—",
        )
        modal = ConfirmModal(
            _("Reverse an entry"), question, confirm_label=_("Reverse"), reason=Reason.REQUIRED, destructive=True
        )
        self.app.push_screen(modal, partial(self._reverse, row.id))

    def _reverse(self, entry_id: int, answer: Confirmed | None) -> None:
        if answer is None:
            return
        self.run_service(ledger.reverse, self.desk_app.actor, entry_id, answer.reason, on_done=self._reversed)

    def _reversed(self, reversal_id: int) -> None:
        self.notify(_("Reversed; entry #{id} records it.").format(id=reversal_id))
        self.reload()


# -- forms ------------------------------------------------------------------------------


class FineForm(FormScreen):
    """FN-1..FN-6, FN-10, DS-2: a fine by rule, its amount shown before saving."""

    HEADING = N_("Record a fine")
    _asked = 0

    def fields(self) -> ComposeResult:
        yield self.person_field()
        yield Field(
            "offence",
            _("Offence"),
            Select(
                [(_(label), value) for value, label in OFFENCE_LABELS.items()],
                prompt=_("Choose the offence"),
                id="fine-offence",
                compact=True,
            ),
        )
        yield Field(
            "waited",
            _("Customer waited (seconds)"),
            Input(id="fine-waited", restrict=r"[0-9]*", max_length=5, compact=True),
            id="fine-waited-field",
        )
        yield Field("note", _("What happened"), Input(id="fine-note", max_length=300, compact=True))

    def start_form(self) -> None:
        super().start_form()
        self.title = _("Fines & fund")
        self.query_one("#fine-waited-field").display = False
        self.query_one("#form-person", Select).focus()
        self.say(_("Choose the person and the offence to see the fine."))
        self.query_one("#form-preview").set_class(False, "-review")

    def offence(self) -> str | None:
        value = self.query_one("#fine-offence", Select).value
        return value if isinstance(value, str) else None

    def waited(self) -> int | None:
        text = self.query_one("#fine-waited", Input).value.strip()
        return int(text) if text else None

    @on(Select.Changed)
    @on(Input.Changed, "#fine-waited")
    def _inputs_changed(self) -> None:
        self.query_one("#fine-waited-field").display = self.offence() == GREETING_DELAY
        self.refresh_preview()

    def refresh_preview(self) -> None:
        staff_id, offence = self.person_id(), self.offence()
        if staff_id is None or offence is None:
            return
        waited = self.waited()
        if offence == GREETING_DELAY and waited is None:
            self.say(_("Enter how long the customer waited."))
            return
        # Answers may come back out of order; only the latest question's is shown.
        self._asked += 1
        asked = self._asked
        self.run_service(
            pickers.preview_fine,
            self.desk_app.actor,
            staff_id,
            offence,
            waited,
            on_done=partial(self._show_preview, asked),
            on_error=partial(self._preview_failed, asked),
            group="preview",
        )

    def _show_preview(self, asked: int, preview: Any) -> None:
        if asked != self._asked:
            return
        self.say(fine_preview_text(preview))
        self.query_one("#form-preview").set_class(preview.dismissal_review, "-review")

    def _preview_failed(self, asked: int, exc: Exception) -> bool:
        if asked != self._asked:
            return True
        if not show_field_error(self, exc, focus=False):
            self.say(str(exc))
        return True

    def save(self) -> None:
        staff_id = self.need_person()
        offence = self.offence()
        if offence is None:
            if staff_id is not None:  # else the cursor stays on the first refusal, the person
                self.query_one("#fine-offence", Select).focus()
            for field in self.query(Field):
                if field.field == "offence":
                    field.show_error(_("Choose the offence."))
        if staff_id is None or offence is None:
            return
        note = self.query_one("#fine-note", Input).value
        self.run_service(
            ledger.record_fine,
            self.desk_app.actor,
            staff_id,
            offence,
            note,
            None,
            self.waited(),
            on_done=self._saved,
            on_error=self.failed,
            exclusive=True,
        )

    def _saved(self, result: Any) -> None:
        currency = currency_name(self.desk_app.policy.centre.currency)
        if result.entry_id is None:
            self.notify(_("No fine: {reason}").format(reason=result.reason))
        else:
            text = _("Fine #{id}: {amount} {currency} for {who}").format(
                id=result.entry_id,
                amount=money(result.amount_cents),
                currency=currency,
                who=result.staff_label,
            )
            if result.dismissal_review:
                text += "\n" + _("A dismissal review was raised to the directors (DS-2).")
            self.notify(text, title=_("Saved"))
        self.dismiss(result)


class RewardForm(FormScreen):
    """FN-7: a reward within the policy's range, paid from the fund."""

    HEADING = N_("Grant a reward")

    def fields(self) -> ComposeResult:
        yield self.person_field()
        yield Field("amount", _("Amount"), Input(id="reward-amount", max_length=12, compact=True))
        yield Field("reason", _("Reason"), Input(id="reward-reason", max_length=300, compact=True))

    def start_form(self) -> None:
        super().start_form()
        self.title = _("Fines & fund")
        rewards, currency = self.desk_app.policy.rewards, currency_name(self.desk_app.policy.centre.currency)
        self.say(
            _("A reward is between {low} and {high} {currency} (FN-7).").format(
                low=rewards.min_amount, high=rewards.max_amount, currency=currency
            )
        )
        self.query_one("#form-person", Select).focus()

    def save(self) -> None:
        staff_id = self.need_person()
        if staff_id is None:
            return
        self.run_service(
            ledger.grant_reward,
            self.desk_app.actor,
            staff_id,
            self.query_one("#reward-amount", Input).value,
            self.query_one("#reward-reason", Input).value,
            on_done=self._saved,
            on_error=self.failed,
            exclusive=True,
        )

    def _saved(self, entry_id: int) -> None:
        self.notify(_("Reward recorded as entry #{id}.").format(id=entry_id), title=_("Saved"))
        self.dismiss(entry_id)


class CustomEntryForm(FormScreen):
    """FN-9: a fine or reward the rules don't cover, decided by the department manager with a reason."""

    HEADING = N_("A fine or reward the rules don't cover")

    def fields(self) -> ComposeResult:
        yield self.person_field(own_squad=False)
        yield Field(
            "kind",
            _("Fine or reward"),
            Select(
                [(_("Fine"), LedgerKind.FINE.value), (_("Reward"), LedgerKind.REWARD.value)],
                value=LedgerKind.FINE.value,
                allow_blank=False,
                id="custom-kind",
                compact=True,
            ),
        )
        yield Field("amount", _("Amount"), Input(id="custom-amount", max_length=12, compact=True))
        yield Field("reason", _("Reason"), Input(id="custom-reason", max_length=300, compact=True))

    def start_form(self) -> None:
        super().start_form()
        self.title = _("Fines & fund")
        actor = self.desk_app.actor
        self.say(
            _("Decided by {who}, {role}, with a reason (FN-9).").format(who=actor.label, role=role_title(actor.role))
        )
        self.query_one("#form-person", Select).focus()

    def save(self) -> None:
        staff_id = self.need_person()
        if staff_id is None:
            return
        self.run_service(
            ledger.custom_entry,
            self.desk_app.actor,
            staff_id,
            self.query_one("#custom-kind", Select).value,
            self.query_one("#custom-amount", Input).value,
            self.query_one("#custom-reason", Input).value,
            on_done=self._saved,
            on_error=self.failed,
            exclusive=True,
        )

    def _saved(self, entry_id: int) -> None:
        self.notify(_("Custom entry recorded as #{id}.").format(id=entry_id), title=_("Saved"))
        self.dismiss(entry_id)


class SpendingForm(FormScreen):
    """FN-8: spending on a department activity, approved by the director recording it."""

    HEADING = N_("Spend from the fund")

    def fields(self) -> ComposeResult:
        yield Field("amount", _("Amount"), Input(id="spend-amount", max_length=12, compact=True))
        yield Field(
            "purpose", _("Department activity it pays for"), Input(id="spend-purpose", max_length=300, compact=True)
        )

    def start_form(self) -> None:
        super().start_form()
        self.title = _("Fines & fund")
        actor = self.desk_app.actor
        self.say(_("Approved by {who}, {role} (FN-8).").format(who=actor.label, role=role_title(actor.role)))
        self.query_one("#spend-amount", Input).focus()

    def save(self) -> None:
        self.run_service(
            ledger.record_spending,
            self.desk_app.actor,
            self.query_one("#spend-amount", Input).value,
            self.query_one("#spend-purpose", Input).value,
            on_done=self._saved,
            on_error=self.failed,
            exclusive=True,
        )

    def _saved(self, entry_id: int) -> None:
        self.notify(_("Spending recorded as entry #{id}.").format(id=entry_id), title=_("Saved"))
        self.dismiss(entry_id)


# -- dismissal reviews -----------------------------------------------------------------------


def _review_cells(review: ledger.DismissalReview, policy: Policy) -> tuple[str, ...]:
    return (
        local(review.raised_at, policy.zone),
        person_cell(review.staff_label),
        review.rule_id,
        str(review.offences_this_month),
        review.month,
        f"#{review.fine_entry_id}",
        _("fine reversed") if review.fine_reversed else _("open"),
    )


class DismissalReviewsScreen(DeskScreen):
    """DS-2: third escalating offences in a month, raised to the directors."""

    CSS_PATH = "fines.tcss"
    kept_between_openings = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Dismissal reviews (DS-2), newest first"), id="reviews-title")
        yield PagedTable(
            [N_("Raised"), N_("Person"), N_("Rule"), N_("Offences"), N_("Month"), N_("Fine"), N_("Status")],
            service_pages(self, ledger.dismissal_reviews, _review_cells),
            row_key=lambda row: view_of(row).fine_entry_id,
            id="reviews",
        )
        yield Static("", id="review-detail", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Fines & fund")
        self.query_one("#reviews", PagedTable).focus()

    def on_data_changed(self, message: DataChanged) -> None:
        self.query_one("#reviews", PagedTable).refresh_rows()

    @on(DataTable.RowHighlighted, "#reviews")
    def _detail(self) -> None:
        review = view_at_cursor(self.query_one("#reviews", PagedTable))
        if review is not None:
            self.query_one("#review-detail", Static).update(
                _("{reason} · raised by {who}").format(reason=review.reason, who=review.raised_by_label)
            )

    def why_rule_ids(self) -> tuple[str, ...]:
        review = view_at_cursor(self.query_one("#reviews", PagedTable))
        if review is not None:
            return (review.rule_id, "DS-2")
        return tuple(super().why_rule_ids())
