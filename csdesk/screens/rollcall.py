"""Roll call before a shift (AT-1, AT-2, AT-7, SC-4), built for few keystrokes.

The cursor starts on the first unmarked person. ``p`` marks present and
moves on, ``l`` late (the arrival time defaults to now: Enter accepts it),
``a`` absent, ``c`` closes after one confirmation and then shows the notices
to read out (HO-2). Every mark is saved as it is made, one at a time in the
order given, so leaving the screen loses nothing: the screen waits for the
marks still on their way before it goes.
"""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.rules.staff import Action, can
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.services import home, rollcall
from csdesk.screens.kit.tables import add_columns
from csdesk.screens.kit.times import local_day
from csdesk.screens.kit.watched import ROLL_CALL
from csdesk.text import clip
from csdesk.vocabulary import ATTENDANCE, label, shift_label, styled
from csdesk.widgets import confirm, why
from csdesk.widgets.bindings import TranslatedBindings
from csdesk.widgets.confirm import ConfirmModal
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field
from csdesk.widgets.live import DataChanged
from csdesk.widgets.plain_table import PlainTable
from csdesk.widgets.why import WhyModal

if TYPE_CHECKING:
    from csdesk.screens.kit.desk_app import DeskApp


def parse_arrival(text: str) -> time | None:
    """``08:40``, ``8:40`` or ``0840``; None when it is no time of day."""
    raw = text.strip()
    if raw.isdigit() and len(raw) in (3, 4):
        raw = f"{raw[:-2]}:{raw[-2:]}"
    try:
        return datetime.strptime(raw, "%H:%M").time()
    except ValueError:
        return None


def mark_text(status: str | None, pending: bool = False) -> Text:
    if status is None:
        return Text("·", style="dim")
    word, style = styled(ATTENDANCE, status)
    text = Text(word, style=style)
    if pending:
        text.append(" …", style="dim")
    return text


class Line:
    """One person as shown: the saved roll-call line, or the mark on its way."""

    def __init__(self, saved: Any) -> None:
        self.saved = saved
        self.pending: str | None = None
        self.refusal = ""

    @property
    def status(self) -> str | None:
        if self.pending is not None:
            return self.pending
        return str(self.saved.status) if self.saved.status is not None else None

    @property
    def markable(self) -> bool:
        return str(self.saved.status) != "leave"


class LateModal(TranslatedBindings, ModalScreen[time | None]):
    """The arrival time of someone late; it starts at now, so Enter is enough."""

    CSS_PATH = "rollcall.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cancel")]

    def __init__(self, name: str, default: str) -> None:
        super().__init__()
        self.person = name
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="late-body") as body:
            body.border_title = _("Late: {name}").format(name=self.person)
            yield Field(
                "arrival",
                _("Arrived at (HH:MM), Enter to accept"),
                Input(self.default, id="late-arrival", max_length=5),
            )

    def on_mount(self) -> None:
        self.query_one("#late-arrival", Input).focus()

    @on(Input.Submitted, "#late-arrival")
    def _submit(self, event: Input.Submitted) -> None:
        arrival = parse_arrival(event.value)
        if arrival is None:
            self.query_one(Field).show_error(_("Write the time as HH:MM or HHMM, e.g. 08:51 or 0851."))
            return
        self.dismiss(arrival)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CloseConfirm(ConfirmModal):
    """Closing is final, but it is what the leader came to do: Enter confirms."""

    # Relative paths are read beside the defining module: keep the modal's own stylesheet.
    CSS_PATH = str(Path(confirm.__file__).with_name("confirm.tcss"))

    def on_mount(self) -> None:
        # After the base class's own mount handler, which focuses Cancel.
        self.call_after_refresh(self.query_one("#confirm-ok").focus)


class NoticesToRead(TranslatedBindings, ModalScreen[None]):
    """HO-2: what to read out to the squad before the shift starts."""

    CSS_PATH = "rollcall.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", N_("Done"), id="close"),
        Binding("enter", "dismiss", N_("Done"), show=False, id="close-enter"),
    ]

    def __init__(self, summary: str, notices: Any) -> None:
        super().__init__()
        self.summary = summary
        self.notices = notices

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="notices-body") as body:
            body.border_title = _("Roll call closed: read these out")
            yield Static(self.summary, id="notices-summary", markup=False)
            if not self.notices:
                yield Static(_("No current notices."), markup=False)
            for notice in self.notices:
                yield Static(
                    f"{local_day(notice.published_at, cast('DeskApp', self.app).zone)} {notice.title}",
                    classes="notice-title",
                    markup=False,
                )
                yield Static(notice.body, classes="notice-body", markup=False)
        yield DeskFooter()


class SquadChoice(TranslatedBindings, ModalScreen[int | None]):
    """Directors have no squad of their own: they choose whose roll call to run."""

    CSS_PATH = "rollcall.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cancel")]

    def __init__(self, squads: tuple[tuple[int, str], ...]) -> None:
        super().__init__()
        self.squads = squads

    def compose(self) -> ComposeResult:
        with Vertical(id="squad-body") as body:
            body.border_title = _("Whose roll call? Enter opens it")
            yield OptionList(*(Option(name, id=str(id_)) for id_, name in self.squads), id="squad-list")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ClassificationWhy(WhyModal):
    """The rules behind a mark, led by what the rules made of this arrival."""

    CSS_PATH = str(Path(why.__file__).with_name("why.tcss"))

    def __init__(self, rule_ids: Any, headline: str) -> None:
        super().__init__(rule_ids)
        self.headline = headline

    def on_mount(self) -> None:
        body = self.query_one("#why-body")
        body.mount(Static(self.headline, classes="why-headline", markup=False), before=0)


class RollCallScreen(DeskScreen):
    watches = ROLL_CALL
    CSS_PATH = "rollcall.tcss"
    # Every mark is saved as it is made and leaving waits for the last: nothing is lost.
    # Each opening shows the squad's coming roll call afresh (see ``reopen``).
    kept_between_openings = True
    BINDINGS = [
        Binding("p", "mark('present')", N_("Present"), id="rc-present"),
        Binding("l", "late", N_("Late"), id="rc-late"),
        Binding("a", "mark('absent')", N_("Absent"), id="rc-absent"),
        Binding("c", "close_call", N_("Close"), id="rc-close"),
        Binding("P", "rest_present", N_("Rest present"), id="rc-rest-present"),
        Binding("s", "choose_squad", N_("Squad"), id="rc-squad"),
        Binding("j", "cursor(1)", N_("Down"), show=False, id="rc-down"),
        Binding("k", "cursor(-1)", N_("Up"), show=False, id="rc-up"),
    ]

    def __init__(self, squad_id: int | None = None) -> None:
        super().__init__()
        self.squad_id = squad_id
        self.view: Any = None
        self.rc_lines: list[Line] = []
        # (row, status, arrival, whether the cursor moves on once it is saved)
        self._marks: deque[tuple[int, str, time | None, bool]] = deque()
        self._saving = False
        # Set while no mark is waiting for its answer.
        self._answered = asyncio.Event()
        self._answered.set()
        self._leave_when_saved = False
        self._finishing = False
        # Bumped by every mark, so a reload asked for before it is not shown after it.
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the roll call…"), id="rc-title", markup=False)
        table: PlainTable = PlainTable(id="rc-table", cursor_type="row", zebra_stripes=True)
        # Fixed widths: marks arriving one by one must not make the columns jump.
        add_columns(
            table, (_("No."), 6), (_("Name"), 18), (_("Mark"), 13), (_("Arrived"), 7), (_("Late"), 7), (_("Rules"), 16)
        )
        yield table
        yield Static("", id="rc-status", markup=False)
        yield DeskFooter()

    @property
    def allowed(self) -> Any:
        actor = self.desk_app.actor
        return can(actor.role, Action.RUN_ROLL_CALL)

    def on_mount(self) -> None:
        table = self.query_one("#rc-table", DataTable)
        decision = self.allowed
        if not decision.ok:
            table.display = False
            self.query_one("#rc-title", Static).update(
                _("Roll call is not for you: {reason} ({rules}).").format(
                    reason=decision.reason, rules=", ".join(decision.rule_ids)
                )
            )
            self.desk_app.remember_refusal(tuple(decision.rule_ids))
            return
        self._start()

    def _start(self) -> None:
        if self.squad_id is None and self.desk_app.actor.squad_id is None:
            self.action_choose_squad()
            return
        self._coming()

    def reopen(self) -> None:
        # Not the roll call shown last time read again, as a list would be: the squad's coming
        # roll call, which may be another shift's by now, opened as on the first opening.
        self._leave_when_saved = False
        if self._marks or self._saving or not self.allowed.ok:
            # Marks of the last opening still on their way (left by Home): they land where they were made.
            return
        self._finishing = False
        self._clear()
        self._start()

    def _clear(self) -> None:
        """Nothing shown, nothing to mark, until the roll call to show is read."""
        self._generation += 1  # a reload of the roll call shown before is not shown after
        self.view = None
        self.rc_lines = []
        self.query_one("#rc-table", DataTable).clear()
        self.query_one("#rc-title", Static).update(_("Opening the roll call…"))
        self.query_one("#rc-status", Static).update("")
        self.refresh_bindings()

    def _coming(self) -> None:
        self.run_service(
            home.coming_roll_call, self.desk_app.actor, self.squad_id, on_done=self._open, on_error=self._failed
        )

    def action_choose_squad(self) -> None:
        self.run_service(home.squads, self.desk_app.actor, on_done=self._choose_from)

    def _choose_from(self, squads: tuple[tuple[int, str], ...]) -> None:
        if not squads:
            self.query_one("#rc-title", Static).update(_("There is no squad to call the roll for."))
            return

        def chosen(squad_id: int | None) -> None:
            if squad_id is None:
                if self.view is None:
                    self.query_one("#rc-title", Static).update(_("No squad chosen: press s to choose one."))
                return
            self.squad_id = squad_id
            self._clear()
            self._coming()

        self.app.push_screen(SquadChoice(squads), chosen)

    def _failed(self, exc: Exception) -> bool:
        from csdesk.screens.service_worker import failure_text

        self.query_one("#rc-title", Static).update(failure_text(exc))
        return False

    def _open(self, coming: home.ComingShift) -> None:
        self.run_service(
            rollcall.open_roll_call,
            self.desk_app.actor,
            coming.squad_id,
            coming.day,
            coming.code,
            on_done=self._show,
            on_error=self._failed,
        )

    # -- showing ------------------------------------------------------------------------

    def _show(self, view: rollcall.RollCallView) -> None:
        self.view = view
        self.rc_lines = [Line(line) for line in view.lines]
        table = self.query_one("#rc-table", DataTable)
        table.clear()
        for line in self.rc_lines:
            table.add_row(*self._cells(line), key=str(line.saved.staff_id))
        shift = shift_label(view.shift)
        title = _("Roll call · {squad} · {date} {shift} {start} · roll call {call}").format(
            squad=view.squad,
            date=formats.short_date(view.date),
            shift=shift,
            start=f"{view.starts_at:%H:%M}",
            call=f"{view.roll_call_at:%H:%M}",
        )
        if view.closed:
            title += " · " + _("closed")
        self.query_one("#rc-title", Static).update(title)
        first = self._next_unmarked(-1)
        table.move_cursor(row=first if first is not None else 0)
        table.focus()
        self._show_status()
        self.refresh_bindings()

    def _cells(self, line: Line) -> tuple[Any, ...]:
        saved = line.saved
        pending = line.pending is not None
        arrived = "" if pending or saved.arrived_at is None else f"{saved.arrived_at:%H:%M}"
        late = "" if pending or not saved.minutes_late else _("{n} min").format(n=saved.minutes_late)
        rules: str | Text = "" if pending else " ".join(saved.rule_ids)
        if line.refusal:
            rules = Text(_("refused"), style="bold red")
        name = clip(saved.name, 18)
        if saved.leave_type is not None and str(saved.status) != "leave" and isinstance(rules, str):
            rules = (rules + " " + _("leave asked")).strip()
        return (saved.employee_number, name, mark_text(line.status, pending), arrived, late, rules)

    def _refresh_row(self, index: int) -> None:
        table = self.query_one("#rc-table", DataTable)
        key = str(self.rc_lines[index].saved.staff_id)
        for column, value in zip(table.columns, self._cells(self.rc_lines[index]), strict=True):
            table.update_cell(key, column, value)

    def _show_status(self) -> None:
        # Only what was saved counts: a mark on its way is not a mark yet.
        saved = [str(line.saved.status) for line in self.rc_lines if line.saved.status is not None]
        marked = len(saved)
        counts: dict[str, int] = {}
        for status in saved:
            counts[status] = counts.get(status, 0) + 1
        parts = [_("{marked} of {total} marked").format(marked=marked, total=len(self.rc_lines))]
        parts += [f"{label(ATTENDANCE, s)} {n}" for s, n in counts.items() if s in ATTENDANCE]
        if self._marks or self._saving:
            parts.append(_("saving…"))
        index = self.cursor
        if index is not None and self.rc_lines[index].refusal:
            line = self.rc_lines[index]
            parts = [_("Not marked: {name}: {why}").format(name=line.saved.name, why=line.refusal)]
        elif index is not None and self.rc_lines[index].pending is None and self.rc_lines[index].saved.duty_note:
            # AT-8, DS-3: the duty leader's lateness is said where the leader looks, not only in its rule ids.
            saved = self.rc_lines[index].saved
            parts.insert(0, _("Duty leader {name}: {note}").format(name=saved.name, note=saved.duty_note))
        self.query_one("#rc-status", Static).update(" · ".join(parts))

    def _next_unmarked(self, after: int) -> int | None:
        count = len(self.rc_lines)
        for step in range(1, count + 1):
            index = (after + step) % count
            if self.rc_lines[index].status is None:
                return index
        return None

    @property
    def cursor(self) -> int | None:
        if not self.rc_lines:
            return None
        row = self.query_one("#rc-table", DataTable).cursor_row
        return row if 0 <= row < len(self.rc_lines) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_status()

    # -- keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "late", "close_call", "rest_present"):
            return self.view is not None and not self.view.closed and not self._finishing
        if action == "choose_squad":
            # Directors only: a leader's roll call is their own squad's.
            actor = self.desk_app.actor
            return actor.squad_id is None and self.allowed.ok and not (self._marks or self._saving)
        return super().check_action(action, parameters)

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#rc-table", DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    # A key acts on the row the cursor is on once the mark before it has been
    # answered: typed ahead, it waits (and so do the keys behind it), so a mark
    # never lands on a row the leader has not seen the cursor reach.

    async def action_mark(self, status: str) -> None:
        await self._answered.wait()
        index = self.cursor
        if index is None or not self._markable(index):
            return
        self._marks.append((index, status, None, True))
        self._pump()

    async def action_late(self) -> None:
        await self._answered.wait()
        index = self.cursor
        if index is None or not self._markable(index):
            return
        line = self.rc_lines[index]
        now = self.desk_app.now().astimezone(self.desk_app.zone)

        def chosen(arrival: time | None) -> None:
            if arrival is not None:
                self._marks.append((index, "late", arrival, True))
                self._pump()

        self.app.push_screen(LateModal(line.saved.name, f"{now:%H:%M}"), chosen)

    async def action_rest_present(self) -> None:
        await self._answered.wait()
        # Saved one at a time, in order; the cursor stays where it is.
        for index, line in enumerate(self.rc_lines):
            if line.status is None and line.markable:
                self._marks.append((index, "present", None, False))
        self._pump()

    def _markable(self, index: int) -> bool:
        line = self.rc_lines[index]
        if line.markable:
            return True
        self._refuse_here(index, _("{name} is on approved leave for this shift.").format(name=line.saved.name))
        return False

    # -- saving, one mark at a time, in order -----------------------------------------------

    def _pump(self) -> None:
        if self._saving:
            return
        if not self._marks:
            self._answered.set()
            self._show_status()
            if self._leave_when_saved:
                self._leave_when_saved = False
                self._leave()
            return
        self._answered.clear()
        index, status, arrival, follow = self._marks.popleft()
        line = self.rc_lines[index]
        line.pending = status
        line.refusal = ""
        self._generation += 1
        self._refresh_row(index)
        self._saving = True
        self._show_status()
        self.run_service(
            rollcall.mark,
            self.desk_app.actor,
            self.view.session_id,
            line.saved.staff_id,
            status,
            arrival,
            on_done=lambda saved: self._saved(index, saved, follow),
            on_error=lambda exc: self._refused(index, exc),
            group="rollcall-mark",
        )

    def _saved(self, index: int, saved: Any, follow: bool) -> None:
        line = self.rc_lines[index]
        line.saved = saved
        line.pending = None
        self._refresh_row(index)
        self._saving = False
        if saved.duty_note:
            # AT-8, DS-3: the cursor stays on the duty leader so the warning or replacement is read.
            follow = False
            self.notify(
                _("Duty leader {name}: {note}").format(name=saved.name, note=saved.duty_note),
                severity="warning",
                timeout=10,
            )
        if follow and self.cursor == index:
            following = self._next_unmarked(index)
            self.query_one("#rc-table", DataTable).move_cursor(
                row=following if following is not None else min(index + 1, len(self.rc_lines) - 1)
            )
        self._pump()

    def _refused(self, index: int, exc: Exception) -> bool:
        from csdesk.screens.service_worker import failure_text

        self._saving = False
        self.rc_lines[index].pending = None
        self._refuse_here(index, failure_text(exc))
        self._pump()
        return False  # the refusal is also shown as a notification, naming the rule

    def _refuse_here(self, index: int, message: str) -> None:
        """The refused row keeps the cursor and says why."""
        line = self.rc_lines[index]
        line.refusal = message
        self._refresh_row(index)
        self.query_one("#rc-table", DataTable).move_cursor(row=index)
        self._show_status()

    def action_back(self) -> None:
        if self._marks or self._saving:
            self._leave_when_saved = True
            self.notify(_("Saving the last marks before leaving…"))
            return
        super().action_back()

    # -- closing ------------------------------------------------------------------------

    def action_close_call(self) -> None:
        unmarked = [line for line in self.rc_lines if line.status is None]
        if unmarked:
            names = ", ".join(clip(line.saved.name, 12) for line in unmarked[:3])
            more = _(" and {n} more").format(n=len(unmarked) - 3) if len(unmarked) > 3 else ""
            self.notify(_("Not marked yet: {names}{more}").format(names=names, more=more), severity="warning")
            return
        counts = self.query_one("#rc-status", Static).render()
        question = _("Close the roll call and write attendance for everyone?") + f"\n{counts}"
        self.app.push_screen(CloseConfirm(_("Close roll call"), question, confirm_label=_("Close")), self._confirmed)

    def _confirmed(self, answer: Any) -> None:
        if answer is None:
            return
        self._finishing = True
        self.refresh_bindings()
        self._close_when_saved()

    def _close_when_saved(self) -> None:
        if self._marks or self._saving:
            self.set_timer(0.05, self._close_when_saved)
            return
        self.run_service(
            rollcall.close_roll_call,
            self.desk_app.actor,
            self.view.session_id,
            on_done=self._on_closed,
            on_error=self._close_refused,
        )

    def _close_refused(self, exc: Exception) -> bool:
        self._finishing = False
        self.refresh_bindings()
        return False

    def _on_closed(self, result: rollcall.RollCallClosed) -> None:
        counts = ", ".join(f"{label(ATTENDANCE, s)} {n}" for s, n in result.counts)
        summary = _("{rows} attendance rows written: {counts}.").format(rows=result.attendance_rows, counts=counts)
        self.app.push_screen(NoticesToRead(summary, result.notices), lambda _r: self._leave())

    def _leave(self) -> None:
        # Kept between openings, the screen may have been left already (Home from the palette)
        # while its saving went on: then whatever is on screen now stays.
        if self.is_active:
            self.dismiss()

    # -- why ---------------------------------------------------------------------------

    def why_rule_ids(self) -> Any:
        index = self.cursor
        if index is not None and self.rc_lines[index].pending is None and self.rc_lines[index].saved.rule_ids:
            return tuple(self.rc_lines[index].saved.rule_ids)
        return super().why_rule_ids()

    def action_why(self) -> None:
        index = self.cursor
        if index is None or not self.rc_lines[index].saved.rule_ids or self.rc_lines[index].pending is not None:
            super().action_why()
            return
        saved = self.rc_lines[index].saved
        self.app.push_screen(ClassificationWhy(saved.rule_ids, self._headline(saved)))

    def _headline(self, saved: Any) -> str:
        text = self._arrival_headline(saved)
        return f"{text}\n{saved.duty_note}" if saved.duty_note else text

    def _arrival_headline(self, saved: Any) -> str:
        status = label(ATTENDANCE, saved.status)
        if saved.arrived_at is not None and saved.minutes_late:
            return _("{name}: {status}, arrived {time}, {n} minutes after the shift started.").format(
                name=saved.name, status=status, time=f"{saved.arrived_at:%H:%M}", n=saved.minutes_late
            )
        if saved.arrived_at is not None:
            return _("{name}: {status}, arrived {time}.").format(
                name=saved.name, status=status, time=f"{saved.arrived_at:%H:%M}"
            )
        return _("{name}: {status}.").format(name=saved.name, status=status)

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        # Another desk may have marked someone; only reload when nothing of ours is on its way.
        if self.view is not None and not (self._marks or self._saving or self._finishing):
            generation = self._generation
            self.run_service(
                rollcall.roll_call,
                self.desk_app.actor,
                self.view.session_id,
                on_done=lambda view: self._reshow(view, generation),
                group="rollcall-reload",
                exclusive=True,
            )

    def _reshow(self, view: Any, generation: int) -> None:
        if self._marks or self._saving or self._finishing or generation != self._generation:
            return
        row = self.cursor or 0
        self._show(view)
        self.query_one("#rc-table", DataTable).move_cursor(row=row)
