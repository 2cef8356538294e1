"""Shift swaps: offer one of my shifts for a colleague's, with the swap rules
checked before filing; each side's squad leader decides (SW-1..SW-7, LV-9).
A shift an approved swap left empty is charged to both parties from the
leaders' "Approved" tab (SW-5).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Input, Select, Static, TabbedContent, TabPane

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.rules.staff import Action
from csdesk.screens.base import DeskForm
from csdesk.screens.kit.forms import FormModal, fill_select, refuse_for_role, role_may
from csdesk.screens.kit.services import pickers, swaps
from csdesk.screens.kit.tables import person_cell, service_pages, view_at_cursor
from csdesk.screens.kit.tabs import TabbedScreen
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import PEOPLE_AND_TIME
from csdesk.vocabulary import SWAP_SIDES, label, request_status_label, value_word
from csdesk.widgets.confirm import Confirmed, ConfirmModal, Reason
from csdesk.widgets.detail import DetailModal
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, clear_field_errors, show_field_error
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from csdesk.policy import Policy


def shift_text(shift: Any) -> str:
    return f"{formats.day_month(shift.day)} {value_word(shift.kind)}"


def sides_text(swap: Any, zone: Any) -> str:
    """SW-1: the two approvals a swap needs, each with who decided, when and why."""
    lines = []
    for side in swap.sides:
        line = f"{label(SWAP_SIDES, side.side)}: {request_status_label(side.decision)}"
        if side.approver_label:
            line += " " + _("by {who} {when}").format(who=side.approver_label, when=local(side.decided_at, zone))
        if side.reason:
            line += f" — {side.reason}"
        lines.append(line)
    return "\n".join(lines)


def charges_text(swap: Any) -> str:
    """SW-5: who was charged what share of each shift the swap left empty."""
    lines = []
    for shift in (swap.give, swap.take):
        shares = [c for c in swap.charges if c.roster_id == shift.roster_id]
        if shares:
            charged = ", ".join(f"{c.label} {c.share_percent}%" for c in shares)
            lines.append(_("SW-5: {charged} (empty {shift})").format(charged=charged, shift=shift_text(shift)))
    return "\n".join(lines)


def _approvals(swap: Any) -> str:
    done = sum(1 for side in swap.sides if str(side.decision) == "approved")
    return f"{done}/{len(swap.sides)}"


def _swap_cells(swap: swaps.SwapView, policy: Policy) -> tuple[str, ...]:
    return (
        str(swap.id),
        person_cell(swap.requester_label, 14),
        shift_text(swap.give),
        person_cell(swap.partner_label, 14),
        shift_text(swap.take),
        request_status_label(swap.status),
        _approvals(swap),
    )


COLUMNS = [N_("#"), N_("Asked by"), N_("Gives"), N_("Partner"), N_("Takes"), N_("Status"), N_("OK")]


class SwapsScreen(TabbedScreen):
    """My swaps, and for squad leaders the swaps waiting for their side's decision."""

    watches = PEOPLE_AND_TIME

    CSS_PATH = "swaps.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("n", "new", N_("New swap"), id="new-swap"),
        Binding("a", "approve", N_("Approve"), id="approve-swap"),
        Binding("r", "refuse", N_("Refuse"), id="refuse-swap"),
        Binding("e", "empty_shift", N_("Empty shift"), id="empty-shift"),
    ]
    LEADER_KEYS = {"approve", "refuse"}
    # Shown on the approved swaps only, where an empty shift is charged.
    APPROVED_KEYS = {"empty_shift"}
    TABLES = {"mine": "#my-swaps", "waiting": "#pending-swaps", "approved": "#approved-swaps"}

    @property
    def approver(self) -> bool:
        return role_may(self, Action.APPROVE_SWAP)

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="swap-tabs", initial="mine"):
            with TabPane(_("My swaps"), id="mine"):
                yield PagedTable(
                    COLUMNS, service_pages(self, swaps.my_swaps, _swap_cells), row_key=lambda row: row[0], id="my-swaps"
                )
            if self.approver:
                with TabPane(_("Waiting for me"), id="waiting"):
                    yield PagedTable(
                        COLUMNS,
                        service_pages(self, swaps.pending_swaps_for, _swap_cells),
                        row_key=lambda row: row[0],
                        id="pending-swaps",
                    )
                with TabPane(_("Approved"), id="approved"):
                    yield PagedTable(
                        COLUMNS,
                        service_pages(self, swaps.decided_swaps_for, _swap_cells),
                        row_key=lambda row: row[0],
                        id="approved-swaps",
                    )
        yield Static("", id="swap-detail", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Shift swaps")
        self.query_one("#my-swaps", PagedTable).focus()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings
        tabs = self.query("#swap-tabs")
        on_approved = self.approver and bool(tabs) and tabs.first(TabbedContent).active == "approved"
        # Approving and refusing are for the swaps still waiting, none of which is on the approved tab.
        hidden = self.LEADER_KEYS if on_approved else self.APPROVED_KEYS
        if not self.approver:
            hidden = hidden | self.LEADER_KEYS
        return {k: v for k, v in shown.items() if v.binding.action not in hidden}

    def current_table(self) -> PagedTable:
        tabs = self.query_one("#swap-tabs", TabbedContent)
        return self.query_one(self.TABLES.get(tabs.active, "#my-swaps"), PagedTable)

    def action_tab(self, name: str) -> None:
        if name != "mine" and not refuse_for_role(self, Action.APPROVE_SWAP):
            return
        self.show_tab(name)
        self._show_detail()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()  # "e Empty shift" belongs to the approved swaps only
        self.follow_tab()
        self._show_detail()

    @on(DataTable.RowHighlighted)
    @on(PagedTable.Loaded)
    def _show_detail(self) -> None:
        swap = view_at_cursor(self.current_table())
        detail = self.query_one("#swap-detail", Static)
        if swap is None:
            detail.update(_("No swaps here."))
            return
        zone = self.desk_app.zone
        head = _("#{id} {a} gives {give}, {b} gives {take}: {status}").format(
            id=swap.id,
            a=swap.requester_label,
            give=shift_text(swap.give),
            b=swap.partner_label,
            take=shift_text(swap.take),
            status=request_status_label(swap.status),
        )
        charged = charges_text(swap)
        detail.update(f"{head}\n{sides_text(swap, zone)}" + (f"\n{charged}" if charged else ""))

    @on(DataTable.RowSelected)
    def _open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        text = str(self.query_one("#swap-detail", Static).render())
        if text.strip():
            self.app.push_screen(DetailModal(_("Shift swap"), text))

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()

    def reload(self) -> None:
        for table in self.query(PagedTable):
            table.refresh_rows()

    def action_new(self) -> None:
        self.app.push_screen(SwapForm(), self._after_form)

    def _after_form(self, saved: object) -> None:
        if saved:
            self.reload()

    def _decidable(self) -> Any:
        if not refuse_for_role(self, Action.APPROVE_SWAP):
            return None
        if self.query_one("#swap-tabs", TabbedContent).active != "waiting":
            self.action_tab("waiting")
            self.notify(_("Choose a swap waiting for you, then press the key again."))
            return None
        return view_at_cursor(self.current_table())

    def action_approve(self) -> None:
        swap = self._decidable()
        if swap is None:
            return
        question = _("Approve swap #{id} for your squad's side?").format(id=swap.id)
        self.app.push_screen(
            ConfirmModal(_("Approve swap"), question, confirm_label=_("Approve"), reason=Reason.OPTIONAL),
            partial(self._decide, swap.id, True),
        )

    def action_refuse(self) -> None:
        swap = self._decidable()
        if swap is None:
            return
        question = _("Refuse swap #{id}? The reason is kept with the swap (SW-7).").format(id=swap.id)
        self.app.push_screen(
            ConfirmModal(
                _("Refuse swap"), question, confirm_label=_("Refuse"), reason=Reason.REQUIRED, destructive=True
            ),
            partial(self._decide, swap.id, False),
        )

    def action_empty_shift(self) -> None:
        """SW-5: charge the absenteeism of a shift the swap left empty to both parties."""
        if not refuse_for_role(self, Action.APPROVE_SWAP):
            return
        if self.query_one("#swap-tabs", TabbedContent).active != "approved":
            self.action_tab("approved")
            self.notify(_("Choose the approved swap whose shift stayed empty, then press the key again."))
            return
        swap = view_at_cursor(self.current_table())
        if swap is None:
            self.notify(_("No approved swap here."))
            return
        self.app.push_screen(EmptyShiftForm(swap), self._charged)

    def _charged(self, swap: swaps.SwapView | None) -> None:
        if swap is None:
            return
        self.notify(_("Absenteeism charged to both parties of swap #{id} (SW-5).").format(id=swap.id), title=_("Saved"))
        self.reload()

    def _decide(self, swap_id: int, approve: bool, answer: Confirmed | None) -> None:
        if answer is None:
            return
        self.run_service(swaps.decide_swap, self.desk_app.actor, swap_id, approve, answer.reason, on_done=self._decided)

    def _decided(self, swap: swaps.SwapView) -> None:
        if str(swap.status) == "pending":
            text = _("Your side approved; the swap waits for the other squad leader (SW-1).")
        else:
            text = _("Swap #{id} is now {status}.").format(id=swap.id, status=request_status_label(swap.status))
        self.notify(text, title=_("Saved"))
        self.reload()


class EmptyShiftForm(FormModal):
    """SW-5: the shift the swap left empty, the requester's share of the blame and what was unclear."""

    title_text = N_("Shift left empty (SW-5)")

    def fields(self) -> ComposeResult:
        swap = self.view
        yield Static(
            _("Swap #{id}: {a} and {b} are charged with absenteeism by their share.").format(
                id=swap.id, a=swap.requester_label, b=swap.partner_label
            ),
            markup=False,
        )
        choices = [
            (_("{shift}, worked by {who} after the swap").format(shift=shift_text(shift), who=who), shift.roster_id)
            for shift, who in ((swap.give, swap.partner_label), (swap.take, swap.requester_label))
        ]
        yield Field(
            "roster_id",
            _("Shift left empty"),
            Select(choices, value=choices[0][1], allow_blank=False, id="empty-roster", compact=True),
        )
        yield Field(
            "requester_share_percent",
            _("Share of {who} (%)").format(who=swap.requester_label),
            Input("50", id="empty-share", max_length=3, compact=True),
        )
        yield Field("reason", _("What was unclear"), Input(id="empty-reason", max_length=300, compact=True))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#empty-roster", Select))

    def submit(self) -> None:
        self.call(
            swaps.charge_empty_shift,
            self.view.id,
            self.query_one("#empty-roster", Select).value,
            self.query_one("#empty-share", Input).value,
            self.query_one("#empty-reason", Input).value,
        )


class SwapForm(DeskForm):
    """SW-1..SW-6: my shift for a colleague's, the rules checked before filing."""

    CSS_PATH = "swaps.tcss"
    BINDINGS = [Binding("ctrl+s", "submit", N_("File swap"), id="file-swap")]

    _asked = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="swap-form"):
            yield Field(
                "my_roster_id",
                _("My shift to give"),
                Select([], prompt=_("Loading your shifts…"), id="swap-mine", compact=True),
            )
            yield Field(
                "partner", _("Swap with"), Select([], prompt=_("Loading colleagues…"), id="swap-partner", compact=True)
            )
            yield Field(
                "partner_roster_id",
                _("Their shift to take"),
                Select([], prompt=_("Choose a colleague first"), id="swap-theirs", compact=True),
            )
            yield Field("reason", _("Reason (optional)"), Input(id="swap-reason", max_length=300, compact=True))
            yield Static(_("Choose both shifts to see the swap rules' answer."), id="swap-preview", markup=False)
        yield DeskFooter()

    def start_form(self) -> None:
        self.title = _("Shift swaps")
        preview = self.query_one("#swap-preview", Static)
        preview.update(_("Choose both shifts to see the swap rules' answer."))
        preview.remove_class("-refused")
        theirs = self.query_one("#swap-theirs", Select)
        theirs.prompt = _("Choose a colleague first")
        fill_select(theirs, [])
        actor = self.desk_app.actor
        self.run_service(pickers.upcoming_shifts, actor, on_done=self._show_mine, group="mine")
        self.run_service(
            pickers.people, actor, same_role=True, include_me=False, on_done=self._show_people, group="people"
        )
        self.query_one("#swap-mine", Select).focus()

    def _shift_options(self, shifts: Any) -> list[tuple[str, int]]:
        zone = self.desk_app.zone
        return [
            (f"{shift_text(s)}  {local(s.start, zone, '%H:%M')}–{local(s.end, zone, '%H:%M')}", s.roster_id)
            for s in shifts
        ]

    def _show_mine(self, shifts: tuple[pickers.ShiftChoice, ...]) -> None:
        select = self.query_one("#swap-mine", Select)
        select.prompt = _("Choose one of your shifts") if shifts else _("You have no shift coming up")
        fill_select(select, self._shift_options(shifts))

    def _show_people(self, people: tuple[pickers.PersonChoice, ...]) -> None:
        select = self.query_one("#swap-partner", Select)
        select.prompt = _("Choose a colleague (type to search)")
        fill_select(select, [(f"{p.label}  {p.squad}".rstrip(), p.staff_id) for p in people])

    def _show_theirs(self, shifts: tuple[pickers.ShiftChoice, ...]) -> None:
        select = self.query_one("#swap-theirs", Select)
        select.prompt = _("Choose their shift") if shifts else _("No shift of theirs coming up")
        fill_select(select, self._shift_options(shifts))

    def chosen(self, select_id: str) -> int | None:
        value = self.query_one(select_id, Select).value
        return value if isinstance(value, int) else None

    @on(Select.Changed, "#swap-partner")
    def _partner_changed(self) -> None:
        partner = self.chosen("#swap-partner")
        fill_select(self.query_one("#swap-theirs", Select), [])
        if partner is not None:
            self.run_service(
                pickers.upcoming_shifts, self.desk_app.actor, partner, on_done=self._show_theirs, group="theirs"
            )

    @on(Select.Changed, "#swap-mine")
    @on(Select.Changed, "#swap-theirs")
    def refresh_preview(self) -> None:
        mine, theirs = self.chosen("#swap-mine"), self.chosen("#swap-theirs")
        if mine is None or theirs is None:
            return
        self._asked += 1
        asked = self._asked
        self.run_service(
            pickers.preview_swap,
            self.desk_app.actor,
            mine,
            theirs,
            on_done=partial(self._show_preview, asked),
            group="preview",
        )

    def _show_preview(self, asked: int, preview: Any) -> None:
        if asked != self._asked:
            return
        ids = ", ".join(preview.rule_ids)
        text = f"{ids}: {preview.reason}" if ids else preview.reason
        if not preview.can_file:
            text = _("Cannot be filed: {why}").format(why=text)
        widget = self.query_one("#swap-preview", Static)
        widget.update(text)
        widget.set_class(not preview.can_file, "-refused")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        clear_field_errors(self)
        mine, theirs = self.chosen("#swap-mine"), self.chosen("#swap-theirs")
        for value, field in ((mine, "my_roster_id"), (theirs, "partner_roster_id")):
            if value is None:
                for candidate in self.query(Field):
                    if candidate.field == field:
                        candidate.show_error(_("Choose a shift."))
        if mine is None or theirs is None:
            return
        self.run_service(
            swaps.file_swap,
            self.desk_app.actor,
            mine,
            theirs,
            self.query_one("#swap-reason", Input).value,
            on_done=self._filed,
            on_error=partial(show_field_error, self),
            exclusive=True,
            group="file",
        )

    def _filed(self, swap: swaps.SwapView) -> None:
        self.notify(_("Swap #{id} filed; both squad leaders decide (SW-1).").format(id=swap.id), title=_("Filed"))
        self.dismiss(swap)
