"""Leave: file a request and watch it climb the approval chain; leaders decide
level by level (LV-1..LV-9).

While the form is filled in, the screen asks the rules what filing it would
meet (``leave.preview_leave``): the notice problems, the shifts it covers and
the chain of approvers, so nobody files blind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import (
    Checkbox,
    DataTable,
    Header,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.rules.shifts import shift_window
from csdesk.rules.staff import Action
from csdesk.rules.vocab import LeaveType, ShiftKind
from csdesk.screens.base import DeskForm
from csdesk.screens.kit.forms import FormModal, fill_select, refuse_for_role, role_may
from csdesk.screens.kit.services import leave, pickers
from csdesk.screens.kit.tables import person_cell, service_pages, view_at_cursor
from csdesk.screens.kit.tabs import TabbedScreen
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import PEOPLE_AND_TIME
from csdesk.vocabulary import (
    LEAVE_TITLES,
    leave_title,
    options,
    request_status_label,
    role_title,
    shift_label,
    value_word,
)
from csdesk.widgets.confirm import Confirmed, ConfirmModal, Reason
from csdesk.widgets.detail import DetailModal
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, clear_field_errors, show_field_error
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from csdesk.policy import Policy

WHOLE_DAY = "whole_day"

# Wait for a pause in typing before asking the rules again.
PREVIEW_DELAY = 0.3


def chain_text(roles: Any) -> str:
    return " → ".join(role_title(r) for r in roles)


def steps_text(request: Any, zone: Any) -> str:
    """Each level of the chain with who decided it, when, and why."""
    lines = []
    for step in request.steps:
        line = f"{step.level}. {role_title(step.role)}: {request_status_label(step.decision)}"
        if step.approver_label:
            line += " " + _("by {who} {when}").format(who=step.approver_label, when=local(step.decided_at, zone))
        if step.reason:
            line += f" — {step.reason}"
        lines.append(line)
    return "\n".join(lines)


def period(start: Any, end: Any, zone: Any) -> tuple[str, str]:
    """First and last moment of a leave as read: whole days as their dates, the
    last day inclusive; shifts with their times."""
    first, after = start.astimezone(zone), end.astimezone(zone)
    if first.time() == after.time() == time(0):
        return formats.day_month(first.date()), formats.day_month((after - timedelta(days=1)).date())
    return formats.day_and_time(first), formats.day_and_time(after)


def covered_text(request: Any) -> str:
    """The rostered shifts a leave covers, as "03-11 day, 03-12 night"."""
    shown = ", ".join(f"{formats.day_month(day)} {value_word(kind)}" for day, kind in request.shifts[:6])
    return shown + (" …" if len(request.shifts) > 6 else "") if shown else _("no rostered shift")


def certificate_text(request: Any, zone: Any, now: Any, *, keys: bool = False) -> str:
    """LV-5: where a sick leave's certificate and leave form stand; "" for other leave."""
    if str(request.leave_type) != LeaveType.SICK.value:
        return ""
    if request.has_certificate:
        text = _("Certificate handed in {when}, for {first} to {last}").format(
            when=local(request.certificate_at, zone) or "—",
            first=formats.day_month(request.certificate_from) if request.certificate_from else "—",
            last=formats.day_month(request.certificate_to) if request.certificate_to else "—",
        )
    elif str(request.status) == "lapsed":
        text = _("No certificate came: the leave lapsed, its shifts are absenteeism (LV-5, AT-7)")
    elif request.certificate_due_at is not None and now >= request.certificate_due_at:
        text = _("Certificate overdue since {due} (LV-5)").format(due=local(request.certificate_due_at, zone))
        if keys:
            text += " · " + _("c records it, x lapses the leave")
    else:
        text = _("Certificate awaited, due by {due} (LV-5)").format(due=local(request.certificate_due_at, zone) or "—")
        if keys:
            text += " · " + _("c records it")
    if request.form_handed_at is not None:
        text += " · " + _("leave form handed in {when}").format(when=local(request.form_handed_at, zone))
    elif keys:
        text += " · " + _("f: leave form handed in")
    return text


def _waiting_for(request: Any) -> str:
    role = request.next_role
    return role_title(role) if role is not None else "—"


def _mine_cells(request: leave.LeaveRequestView, policy: Policy) -> tuple[str, ...]:
    return (
        str(request.id),
        leave_title(request.leave_type),
        *period(request.starts_at, request.ends_at, policy.zone),
        request_status_label(request.status),
        _waiting_for(request),
    )


def _pending_cells(request: leave.LeaveRequestView, policy: Policy) -> tuple[str, ...]:
    return (
        str(request.id),
        person_cell(request.staff_label),
        leave_title(request.leave_type),
        *period(request.starts_at, request.ends_at, policy.zone),
        str(len(request.steps)),
    )


def _certificate_cells(request: leave.LeaveRequestView, policy: Policy) -> tuple[str, ...]:
    return (
        str(request.id),
        person_cell(request.staff_label),
        *period(request.starts_at, request.ends_at, policy.zone),
        request_status_label(request.status),
        local(request.certificate_due_at, policy.zone) or "—",
    )


class LeaveScreen(TabbedScreen):
    """My requests with their steps; for approvers, the requests waiting at their level."""

    watches = PEOPLE_AND_TIME

    CSS_PATH = "leave.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("n", "new", N_("New request"), id="new-leave"),
        Binding("a", "approve", N_("Approve"), id="approve-leave"),
        Binding("r", "refuse", N_("Refuse"), id="refuse-leave"),
        Binding("s", "swaps", N_("Swaps"), id="open-swaps"),
        Binding("c", "certificate", N_("Certificate"), id="leave-certificate-in"),
        # No room in the footer at 80 columns: the detail line of a sick leave names them.
        Binding("f", "leave_form", N_("Leave form"), id="leave-form-in", show=False),
        Binding("x", "lapse", N_("Lapse"), id="leave-lapse", show=False),
    ]
    LEADER_KEYS = {"approve", "refuse", "certificate", "leave_form", "lapse"}

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="leave-tabs", initial="mine"):
            with TabPane(_("My requests"), id="mine"):
                yield PagedTable(
                    [N_("#"), N_("Type"), N_("From"), N_("To"), N_("Status"), N_("Waiting for")],
                    service_pages(self, leave.my_requests, _mine_cells),
                    row_key=lambda row: row[0],
                    id="my-leave",
                )
            if self.approver:
                with TabPane(_("Waiting for me"), id="waiting"):
                    yield PagedTable(
                        [N_("#"), N_("Person"), N_("Type"), N_("From"), N_("To"), N_("Levels")],
                        service_pages(self, leave.pending_for, _pending_cells),
                        row_key=lambda row: row[0],
                        load_on_mount=False,
                        id="pending-leave",
                    )
                with TabPane(_("Certificates"), id="certificates"):
                    yield PagedTable(
                        [N_("#"), N_("Person"), N_("From"), N_("To"), N_("Status"), N_("Due by")],
                        service_pages(self, leave.certificates_awaited, _certificate_cells),
                        row_key=lambda row: row[0],
                        load_on_mount=False,
                        id="certificate-leave",
                    )
        yield Static("", id="leave-detail", markup=False)
        yield DeskFooter()

    @property
    def approver(self) -> bool:
        return role_may(self, Action.APPROVE_LEAVE)

    def on_mount(self) -> None:
        self.title = _("Leave")
        self.query_one("#my-leave", PagedTable).focus()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings
        if self.approver:
            return shown
        return {k: v for k, v in shown.items() if v.binding.action not in self.LEADER_KEYS}

    def current_table(self) -> PagedTable:
        tabs = self.query_one("#leave-tabs", TabbedContent)
        table_id = {"waiting": "#pending-leave", "certificates": "#certificate-leave"}.get(tabs.active, "#my-leave")
        return self.query_one(table_id, PagedTable)

    def current_request(self) -> Any:
        return view_at_cursor(self.current_table())

    def action_tab(self, name: str) -> None:
        if name in ("waiting", "certificates") and not refuse_for_role(self, Action.APPROVE_LEAVE):
            return
        self.show_tab(name)
        self._show_detail()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.follow_tab()
        self._show_detail()

    @on(DataTable.RowHighlighted)
    @on(PagedTable.Loaded)
    def _show_detail(self) -> None:
        request = self.current_request()
        detail = self.query_one("#leave-detail", Static)
        if request is None:
            detail.update(_("No requests here."))
            return
        detail.remove_class("-refused")
        detail.update("\n".join(self.detail_lines(request)))

    def detail_lines(self, request: Any) -> list[str]:
        """What an approver reads before deciding: who, when, why, the shifts, the papers, the steps."""
        zone = self.desk_app.zone
        first, last = period(request.starts_at, request.ends_at, zone)
        head = _("#{id} {type} leave for {who}, {start} to {end}: {status}").format(
            id=request.id,
            type=leave_title(request.leave_type),
            who=request.staff_label,
            start=first,
            end=last,
            status=request_status_label(request.status),
        )
        lines = [
            head,
            _("Reason: {reason} · shifts: {shifts}").format(reason=request.reason, shifts=covered_text(request)),
        ]
        if request.filed_by_label and request.filed_by_label != request.staff_label:
            lines.append(_("Filed by {who}").format(who=request.filed_by_label))
        if papers := certificate_text(request, zone, self.desk_app.now(), keys=self.approver):
            lines.append(papers)
        lines.append(steps_text(request, zone))
        return lines

    @on(DataTable.RowSelected)
    def _open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        request = self.current_request()
        if request is not None:
            self.app.push_screen(DetailModal(_("Leave request"), "\n".join(self.detail_lines(request))))

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()

    def reload(self) -> None:
        for table in self.query(PagedTable):
            table.refresh_rows()

    def action_new(self) -> None:
        if refuse_for_role(self, Action.FILE_LEAVE):
            self.app.push_screen(LeaveForm(), self._after_form)

    def _after_form(self, saved: object) -> None:
        if saved:
            self.reload()

    def action_swaps(self) -> None:
        from csdesk.screens.swaps import SwapsScreen

        self.app.push_screen(SwapsScreen())

    def _decidable(self) -> Any:
        if not refuse_for_role(self, Action.APPROVE_LEAVE):
            return None
        tabs = self.query_one("#leave-tabs", TabbedContent)
        if tabs.active != "waiting":
            self.action_tab("waiting")
            self.notify(_("Choose a request waiting for you, then press the key again."))
            return None
        return self.current_request()

    def action_approve(self) -> None:
        request = self._decidable()
        if request is None:
            return
        question = _("Approve #{id}, {type} leave for {who}, at the {role} level?").format(
            id=request.id,
            type=leave_title(request.leave_type),
            who=request.staff_label,
            role=role_title(self.desk_app.actor.role),
        )
        self.app.push_screen(
            ConfirmModal(_("Approve leave"), question, confirm_label=_("Approve"), reason=Reason.OPTIONAL),
            partial(self._decide, request.id, True),
        )

    def action_refuse(self) -> None:
        request = self._decidable()
        if request is None:
            return
        question = _("Refuse #{id}, {type} leave for {who}? The reason is kept with the request (LV-3).").format(
            id=request.id,
            type=leave_title(request.leave_type),
            who=request.staff_label,
        )
        self.app.push_screen(
            ConfirmModal(
                _("Refuse leave"), question, confirm_label=_("Refuse"), reason=Reason.REQUIRED, destructive=True
            ),
            partial(self._decide, request.id, False),
        )

    def _decide(self, request_id: int, approve: bool, answer: Confirmed | None) -> None:
        if answer is None:
            return
        self.run_service(
            leave.decide_leave, self.desk_app.actor, request_id, approve, answer.reason, on_done=self._decided
        )

    # -- the certificate that follows (LV-5) ----------------------------------------------

    def _sick_request(self) -> Any:
        """The sick leave under the cursor, or None with the reason said where the person looks."""
        if not refuse_for_role(self, Action.APPROVE_LEAVE):
            return None
        request = self.current_request()
        if request is None or str(request.leave_type) != LeaveType.SICK.value:
            tabs = self.query_one("#leave-tabs", TabbedContent)
            if tabs.active != "certificates":
                self.action_tab("certificates")
            self.refuse(_("Choose a sick leave, then press the key again."))
            return None
        return request

    def refuse(self, text: str) -> None:
        detail = self.query_one("#leave-detail", Static)
        detail.update(text)
        detail.add_class("-refused")

    def _refused(self, exc: Exception) -> bool:
        self.refuse(str(exc))
        return True

    def action_certificate(self) -> None:
        request = self._sick_request()
        if request is not None:
            self.app.push_screen(CertificateModal(request), self._papers_saved)

    def action_leave_form(self) -> None:
        request = self._sick_request()
        if request is None:
            return
        question = _("Record that {who} handed in the leave form for #{id} today (LV-5)?").format(
            who=request.staff_label, id=request.id
        )
        self.app.push_screen(
            ConfirmModal(_("Leave form"), question, confirm_label=_("Record")),
            partial(
                self._paper_confirmed,
                lambda: self.run_service(
                    leave.record_leave_form,
                    self.desk_app.actor,
                    request.id,
                    on_done=self._papers_saved,
                    on_error=self._refused,
                ),
            ),
        )

    def action_lapse(self) -> None:
        request = self._sick_request()
        if request is None:
            return
        question = _(
            "No certificate for #{id} of {who}: the leave lapses and its shifts become absenteeism (LV-5, AT-7)."
        ).format(id=request.id, who=request.staff_label)
        self.app.push_screen(
            ConfirmModal(_("Lapse sick leave"), question, confirm_label=_("Lapse"), destructive=True),
            partial(
                self._paper_confirmed,
                lambda: self.run_service(
                    leave.lapse_sick_leave,
                    self.desk_app.actor,
                    request.id,
                    on_done=self._papers_saved,
                    on_error=self._refused,
                ),
            ),
        )

    def _paper_confirmed(self, save: Callable[[], object], answer: Confirmed | None) -> None:
        if answer is not None:
            save()

    def _papers_saved(self, request: leave.LeaveRequestView | None) -> None:
        if request is None:
            return
        self.notify(
            _("Request #{id} is now {status}.").format(id=request.id, status=request_status_label(request.status)),
            title=_("Saved"),
        )
        self.reload()

    def _decided(self, request: leave.LeaveRequestView) -> None:
        if str(request.status) == "pending":
            text = _("Approved at your level; next: {role}.").format(role=_waiting_for(request))
        else:
            text = _("Request #{id} is now {status}.").format(
                id=request.id, status=request_status_label(request.status)
            )
        self.notify(text, title=_("Saved"))
        self.reload()


class CertificateModal(FormModal):
    """LV-5: the medical certificate handed in after the sick leave was filed."""

    title_text = N_("Medical certificate")

    def fields(self) -> ComposeResult:
        request = self.view
        zone = self.desk_app.zone
        first = request.starts_at.astimezone(zone).date()
        last = (request.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
        yield Static(
            _("#{id} {who}: due by {due}").format(
                id=request.id, who=request.staff_label, due=local(request.certificate_due_at, zone) or "—"
            ),
            markup=False,
        )
        yield Field(
            "certificate_from",
            _("Covers from (YYYY-MM-DD)"),
            Input(f"{first:%Y-%m-%d}", id="certificate-from", max_length=10),
        )
        yield Field(
            "certificate_to", _("to (YYYY-MM-DD)"), Input(f"{last:%Y-%m-%d}", id="certificate-to", max_length=10)
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#certificate-from", Input))

    def submit(self) -> None:
        self.call(
            leave.record_certificate,
            self.view.id,
            self.query_one("#certificate-from", Input).value,
            self.query_one("#certificate-to", Input).value,
        )


# -- the form ------------------------------------------------------------------------------


def _shift_options() -> list[tuple[str, str]]:
    return [
        (_("whole day"), WHOLE_DAY),
        (shift_label(ShiftKind.DAY), ShiftKind.DAY.value),
        (shift_label(ShiftKind.NIGHT), ShiftKind.NIGHT.value),
    ]


class LeaveForm(DeskForm):
    """LV-1..LV-9: a leave request, judged by the rules as it is filled in."""

    CSS_PATH = "leave.tcss"
    BINDINGS = [Binding("ctrl+s", "submit", N_("File request"), id="file-leave")]

    _asked = 0
    _timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="leave-form"):
            with Horizontal(classes="form-row"):
                yield Field(
                    "leave_type",
                    _("Type"),
                    Select(
                        options(LEAVE_TITLES),
                        allow_blank=False,
                        value=LeaveType.PERSONAL.value,
                        id="leave-type",
                        compact=True,
                    ),
                    id="leave-type-field",
                )
                yield Field(
                    "staff_id",
                    _("For (others: sick leave only)"),
                    Select(
                        [],
                        prompt=_("Myself"),
                        id="leave-person",
                        compact=True,
                    ),
                    id="leave-person-field",
                )
            with Horizontal(classes="form-row"):
                yield Field(
                    "start",
                    _("From (YYYY-MM-DD)"),
                    Input(id="leave-from", max_length=16, compact=True),
                    id="leave-from-field",
                )
                yield Field(
                    "start_shift",
                    _("starting with"),
                    Select(
                        _shift_options(),
                        allow_blank=False,
                        value=WHOLE_DAY,
                        id="leave-from-shift",
                        compact=True,
                    ),
                    id="leave-from-shift-field",
                )
            with Horizontal(classes="form-row"):
                yield Field(
                    "end", _("To (YYYY-MM-DD)"), Input(id="leave-to", max_length=16, compact=True), id="leave-to-field"
                )
                yield Field(
                    "end_shift",
                    _("ending with"),
                    Select(
                        _shift_options(),
                        allow_blank=False,
                        value=WHOLE_DAY,
                        id="leave-to-shift",
                        compact=True,
                    ),
                    id="leave-to-shift-field",
                )
            yield Field("reason", _("Reason"), Input(id="leave-reason", max_length=300, compact=True))
            with Horizontal(classes="form-row flags"):
                yield Checkbox(_("Doctor's certificate"), id="leave-certificate", compact=True)
                yield Checkbox(_("Phoned the shift leader"), id="leave-phoned", compact=True)
            yield Static("", id="leave-preview", markup=False)
        yield DeskFooter()

    def start_form(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.title = _("Leave")
        self.say(_("Fill in the dates to see what the rules say."))
        self.run_service(
            pickers.people,
            self.desk_app.actor,
            own_squad=True,
            include_me=False,
            on_done=self._show_people,
            group="people",
        )
        today = self.desk_app.today()
        for input_id in ("#leave-from", "#leave-to"):
            self.query_one(input_id, Input).placeholder = f"{today:%Y-%m-%d}"
        self.query_one("#leave-type", Select).focus()

    def _show_people(self, people: tuple[pickers.PersonChoice, ...]) -> None:
        fill_select(
            self.query_one("#leave-person", Select), [(f"{p.label}  {p.squad}".rstrip(), p.staff_id) for p in people]
        )

    def say(self, text: str, *, refused: bool = False) -> None:
        preview = self.query_one("#leave-preview", Static)
        preview.update(text)
        preview.set_class(refused, "-refused")

    # -- reading the form -----------------------------------------------------------------

    def staff_id(self) -> int:
        value = self.query_one("#leave-person", Select).value
        return value if isinstance(value, int) else self.desk_app.actor.staff_id

    def _moment(self, input_id: str, shift_id: str, *, end: bool) -> object:
        """The typed date, or with a shift chosen the start or end of that shift.

        Text that is not a date goes to the service as typed, which names the field.
        """
        text = self.query_one(input_id, Input).value.strip()
        shift = self.query_one(shift_id, Select).value
        if shift == WHOLE_DAY or len(text) != 10:
            return text
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return text
        window = shift_window(day, ShiftKind(str(shift)), self.desk_app.policy)
        return window.end if end else window.start

    def _day(self, input_id: str) -> str:
        return self.query_one(input_id, Input).value.strip()[:10]

    def arguments(self, reason: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
        args = (
            self.desk_app.actor,
            self.staff_id(),
            self.query_one("#leave-type", Select).value,
            self._moment("#leave-from", "#leave-from-shift", end=False),
            self._moment("#leave-to", "#leave-to-shift", end=True),
            reason,
        )
        kwargs: dict[str, Any] = {}
        if self.query_one("#leave-certificate", Checkbox).value:
            kwargs["certificate_from"] = self._day("#leave-from")
            kwargs["certificate_to"] = self._day("#leave-to")
        if self.query_one("#leave-phoned", Checkbox).value:
            kwargs["phoned_leader_at"] = self.desk_app.now()
        return args, kwargs

    # -- the live preview -------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DELAY, self.refresh_preview)

    def refresh_preview(self) -> None:
        starts = self.query_one("#leave-from", Input).value.strip()
        ends = self.query_one("#leave-to", Input).value.strip()
        if len(starts) < 10 or len(ends) < 10:
            self._asked += 1  # an answer still on its way is out of date
            self.say(_("Fill in the dates to see what the rules say."))
            return
        clear_field_errors(self)
        reason = self.query_one("#leave-reason", Input).value.strip() or "-"
        args, kwargs = self.arguments(reason)
        # Answers may arrive out of order; only the latest question's is shown.
        self._asked += 1
        asked = self._asked
        self.run_service(
            leave.preview_leave,
            *args,
            **kwargs,
            on_done=partial(self._show_preview, asked),
            on_error=partial(self._preview_failed, asked),
            group="preview",
        )

    def _show_preview(self, asked: int, preview: Any) -> None:
        if asked != self._asked:
            return
        lines = []
        if preview.shifts:
            covered = ", ".join(f"{formats.day_month(s.day)} {value_word(s.kind)}" for s in preview.shifts[:6]) + (
                " …" if len(preview.shifts) > 6 else ""
            )
            lines.append(_("Covers {shifts} ({days} day(s))").format(shifts=covered, days=preview.days))
        refusal = f"{', '.join(preview.rule_ids)}: {preview.summary}"
        if preview.can_file:
            lines.append(_("Approval: {chain}").format(chain=chain_text(preview.approvers)))
        else:
            lines.append(_("Cannot be filed: {why}").format(why=refusal))
        lines += [f"• {problem}" for problem in preview.problems if problem != refusal]
        self.say("\n".join(lines), refused=not preview.can_file)

    def _preview_failed(self, asked: int, exc: Exception) -> bool:
        if asked != self._asked:
            return True
        self.say("")
        if not show_field_error(self, exc, focus=False):
            self.say(str(exc), refused=True)
        return True

    # -- filing ------------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        clear_field_errors(self)
        args, kwargs = self.arguments(self.query_one("#leave-reason", Input).value)
        self.run_service(
            leave.file_leave, *args, **kwargs, on_done=self._filed, on_error=self._refused, exclusive=True, group="file"
        )

    def _refused(self, exc: Exception) -> bool:
        return show_field_error(self, exc)

    def _filed(self, request: leave.LeaveRequestView) -> None:
        self.notify(
            _("Leave request #{id} filed; waiting for the {role}.").format(id=request.id, role=_waiting_for(request)),
            title=_("Filed"),
        )
        self.dismiss(request)
