"""The memo book (DS-4): everyone writes down problems and ideas and sees what became
of them; leaders adopt one with its reward from the fund (FN-7) or decline it with a reason.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Select, Static

from csdesk.formats import currency_name, money
from csdesk.i18n import N_, _
from csdesk.rules.staff import Action, who_may
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.forms import FORMS_CSS, FormScreen, refuse_for_role
from csdesk.screens.kit.services import memo as memos
from csdesk.screens.kit.tables import ViewRow, person_cell, service_pages, view_at_cursor, view_id
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import MEMOS
from csdesk.text import clip
from csdesk.vocabulary import MEMO_KINDS, MEMO_STATUSES, label, options, styled
from csdesk.widgets.confirm import Confirmed, ConfirmModal, Reason
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from csdesk.policy import Policy

ADOPTERS = who_may(Action.RECORD_REWARD)

STATUSES = ("open", "adopted", "declined")


def status_cell(memo: Any) -> Text:
    word, style = styled(MEMO_STATUSES, memo.status)
    return Text(word, style=style)


def reward_cell(memo: Any) -> str:
    return money(memo.reward_cents) if memo.reward_cents else ""


def _detail(memo: Any, zone: Any) -> str:
    parts = [f"#{memo.id} {memo.text}"]
    if memo.reviewed_by_label:
        verdict = label(MEMO_STATUSES, memo.status)
        parts.append(
            _("{verdict} by {who} {when}").format(
                verdict=verdict, who=memo.reviewed_by_label, when=local(memo.reviewed_at, zone)
            )
        )
    if memo.review_note:
        parts.append(memo.review_note)
    if memo.reward_cents:
        parts.append(
            _("reward {amount}, fund entry #{id}").format(amount=money(memo.reward_cents), id=memo.reward_entry_id)
        )
    return " · ".join(parts)


class MemoBookScreen(DeskScreen):
    """DS-4: my own memo book, newest first; n writes a new entry."""

    watches = MEMOS

    CSS_PATH = "memo.tcss"
    kept_between_openings = True
    BINDINGS = [Binding("n", "new", N_("New memo"), id="memo-new")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("My memo book: problems and ideas for the supervisor (DS-4)"), id="memo-title", markup=False)
        yield PagedTable(
            [N_("Written"), N_("Kind"), N_("Memo"), N_("Status"), N_("Reward")],
            service_pages(self, memos.my_memos, self._cells),
            row_key=view_id,
            id="memo-mine",
        )
        yield Static("", id="memo-detail", markup=False)
        yield DeskFooter()

    def _cells(self, memo: memos.MemoView, policy: Policy) -> tuple[Any, ...]:
        return (
            local(memo.written_at, policy.zone),
            label(MEMO_KINDS, memo.kind),
            clip(memo.text, max(16, self.size.width - 48)),
            status_cell(memo),
            reward_cell(memo),
        )

    def on_mount(self) -> None:
        self.title = _("Memo book")
        self.query_one("#memo-mine", PagedTable).focus()

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.query_one("#memo-mine", PagedTable).refresh_rows()

    @on(DataTable.RowHighlighted, "#memo-mine")
    def _show_detail(self) -> None:
        memo = view_at_cursor(self.query_one("#memo-mine", PagedTable))
        zone = self.desk_app.zone
        self.query_one("#memo-detail", Static).update(_detail(memo, zone) if memo is not None else "")

    def why_rule_ids(self) -> tuple[str, ...]:
        return ("DS-4", "FN-7")

    def action_new(self) -> None:
        self.app.push_screen(MemoForm(), self._after_form)

    def _after_form(self, saved: object) -> None:
        if saved:
            self.query_one("#memo-mine", PagedTable).refresh_rows()


class MemoForm(FormScreen):
    """DS-4: a problem met on the job, or an idea, in a few words."""

    CSS_PATH = [FORMS_CSS, "memo.tcss"]
    HEADING = N_("Write in the memo book")

    def fields(self) -> ComposeResult:
        yield Field(
            "kind",
            _("Problem or idea"),
            Select(options(MEMO_KINDS), value="idea", allow_blank=False, id="memo-kind", compact=True),
        )
        yield Field("text", _("What is it?"), Input(id="memo-text", max_length=2000, compact=True))

    def start_form(self) -> None:
        super().start_form()
        self.title = _("Memo book")
        self.say(_("Your squad leader reads it; an adopted idea earns a reward from the fund (FN-7)."))
        self.query_one("#memo-text", Input).focus()

    def save(self) -> None:
        self.run_service(
            memos.write_memo,
            self.desk_app.actor,
            self.query_one("#memo-kind", Select).value,
            self.query_one("#memo-text", Input).value,
            on_done=self._saved,
            on_error=self.failed,
            exclusive=True,
        )

    def _saved(self, memo: Any) -> None:
        self.notify(_("Memo #{id} saved for your supervisor.").format(id=memo.id), title=_("Saved"))
        self.dismiss(memo)


class MemoReviewScreen(DeskScreen):
    """DS-4, FN-7: memos to review, by status; a adopts with a reward, d declines with a reason."""

    watches = MEMOS

    CSS_PATH = "memo.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("a", "adopt", N_("Adopt"), id="memo-adopt"),
        Binding("d", "decline", N_("Decline"), id="memo-decline"),
        Binding("s", "next_status", N_("Status"), id="memo-status"),
        Binding("n", "new", N_("New memo"), id="memo-new"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status = "open"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="memo-title", markup=False)
        yield PagedTable(
            [N_("Written"), N_("By"), N_("Kind"), N_("Memo"), N_("Reward")],
            self._fetch,
            row_key=view_id,
            id="memo-review",
        )
        yield Static("", id="memo-detail", markup=False)
        yield DeskFooter()

    def _fetch(self, offset: int, limit: int, _filter: str) -> list[ViewRow]:
        """The memos of the status chosen, a page at a time (in the fetching thread)."""
        app = self.desk_app
        views = app.call_service(memos.memos_to_review, app.actor, self.status, offset=offset, limit=limit)
        return [ViewRow(view, self._cells(view, app.policy)) for view in views]

    def _cells(self, memo: memos.MemoView, policy: Policy) -> tuple[Any, ...]:
        return (
            local(memo.written_at, policy.zone),
            person_cell(memo.author_label, 14),
            label(MEMO_KINDS, memo.kind),
            clip(memo.text, max(16, self.size.width - 52)),
            reward_cell(memo),
        )

    def on_mount(self) -> None:
        self.title = _("Memo book")
        self._show_title()
        self.query_one("#memo-review", PagedTable).focus()

    def _show_title(self) -> None:
        self.query_one("#memo-title", Static).update(
            _("Memos to review: {status} (s changes) · DS-4, FN-7").format(status=label(MEMO_STATUSES, self.status))
        )

    def reload(self) -> None:
        self._show_title()
        self.query_one("#memo-review", PagedTable).refresh_rows()
        self.refresh_bindings()

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.reload()

    @on(DataTable.RowHighlighted, "#memo-review")
    def _show_detail(self) -> None:
        memo = view_at_cursor(self.query_one("#memo-review", PagedTable))
        zone = self.desk_app.zone
        self.query_one("#memo-detail", Static).update(_detail(memo, zone) if memo is not None else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("adopt", "decline"):
            if self.status != "open":
                return False
            actor = self.desk_app.actor
            if action == "adopt" and (actor is None or actor.role not in ADOPTERS):
                return False
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> tuple[str, ...]:
        if refused := tuple(super().why_rule_ids()):
            return refused
        return ("DS-4", "FN-7")

    def _current(self) -> Any:
        return view_at_cursor(self.query_one("#memo-review", PagedTable))

    def action_next_status(self) -> None:
        self.status = STATUSES[(STATUSES.index(self.status) + 1) % len(STATUSES)]
        self.reload()

    def action_new(self) -> None:
        self.app.push_screen(MemoForm(), lambda saved: self.reload() if saved else None)

    def action_adopt(self) -> None:
        if not refuse_for_role(self, Action.RECORD_REWARD):
            return
        memo = self._current()
        if memo is not None:
            self.app.push_screen(AdoptForm(memo), lambda saved: self.reload() if saved else None)

    def action_decline(self) -> None:
        memo = self._current()
        if memo is None:
            return
        question = _("Decline memo #{id} by {who}? The reason is kept and the author sees it (DS-4).").format(
            id=memo.id, who=memo.author_label
        )
        modal = ConfirmModal(_("Decline a memo"), question, confirm_label=_("Decline"), reason=Reason.REQUIRED)
        self.app.push_screen(modal, partial(self._decline, memo.id))

    def _decline(self, memo_id: int, answer: Confirmed | None) -> None:
        if answer is None:
            return
        self.run_service(memos.decline, self.desk_app.actor, memo_id, answer.reason, on_done=self._declined)

    def _declined(self, memo: memos.MemoView) -> None:
        self.notify(_("Memo #{id} declined.").format(id=memo.id), title=_("Saved"))
        self.reload()


class AdoptForm(FormScreen):
    """FN-7: adopting pays the author a reward within the policy's range, from the fund."""

    CSS_PATH = [FORMS_CSS, "memo.tcss"]
    HEADING = N_("Adopt a memo")

    def __init__(self, memo: Any) -> None:
        super().__init__()
        self.memo = memo

    def fields(self) -> ComposeResult:
        yield Static(
            f"#{self.memo.id} {self.memo.author_label}: {clip(self.memo.text, 200)}",
            classes="memo-quoted",
            markup=False,
        )
        yield Field("amount", _("Reward"), Input(id="adopt-amount", max_length=12, compact=True))
        yield Field("note", _("Note (optional)"), Input(id="adopt-note", max_length=300, compact=True))

    def start_form(self) -> None:
        super().start_form()
        self.title = _("Memo book")
        rewards, currency = self.desk_app.policy.rewards, currency_name(self.desk_app.policy.centre.currency)
        self.say(
            _("A reward is between {low} and {high} {currency} by importance (FN-7); it is paid from the fund.").format(
                low=rewards.min_amount, high=rewards.max_amount, currency=currency
            )
        )
        self.query_one("#adopt-amount", Input).focus()

    def save(self) -> None:
        self.run_service(
            memos.adopt,
            self.desk_app.actor,
            self.memo.id,
            self.query_one("#adopt-amount", Input).value,
            self.query_one("#adopt-note", Input).value,
            on_done=self._saved,
            on_error=self.failed,
            exclusive=True,
        )

    def _saved(self, memo: Any) -> None:
        self.notify(
            _("Memo #{id} adopted; reward {amount} {currency} is fund entry #{entry}.").format(
                id=memo.id,
                amount=money(memo.reward_cents),
                currency=currency_name(self.desk_app.policy.centre.currency),
                entry=memo.reward_entry_id,
            ),
            title=_("Saved"),
        )
        self.dismiss(memo)
