"""The time clock at the workstation (AT-2..AT-4, AT-9, HO-4, SC-3).

``i`` clocks in (a roll-call mark already counts as one), ``b`` starts or ends
a break, ``a`` starts or ends time away from the post, ``o`` clocks out. What
is shown changes only once the punch was saved; a refusal is said under the
figures and stays there until the next punch, or until the clock is opened again.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.services import attendance, timeclock
from csdesk.screens.kit.watched import PEOPLE_AND_TIME
from csdesk.vocabulary import shift_label
from csdesk.widgets.footer import DeskFooter

# How often the running minutes are read again.
REFRESH_SECONDS = 30


def hours_text(minutes: int) -> str:
    return _("{hours} h {minutes:02d} min").format(hours=minutes // 60, minutes=minutes % 60)


class TimeClockScreen(DeskScreen):
    watches = PEOPLE_AND_TIME
    CSS_PATH = "timeclock.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("i", "punch('in')", N_("Clock in"), id="tc-in"),
        Binding("b", "punch('break')", N_("Break"), id="tc-break"),
        Binding("a", "punch('away')", N_("Away"), id="tc-away"),
        Binding("o", "punch('out')", N_("Clock out"), id="tc-out"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: Any = None
        self._busy = False
        # A refresh fell due while the screen was out of view.
        self._missed_refresh = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Reading your clock…"), id="tc-title", markup=False)
        yield Static("", id="tc-state", markup=False)
        yield Static("", id="tc-figures", markup=False)
        yield Static("", id="tc-week", markup=False)
        yield Static("", id="tc-handover", markup=False)
        yield Static("", id="tc-said", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_SECONDS, self._refresh_due)

    def _refresh_due(self) -> None:
        # Kept between openings, the clock is not read for nobody: it is read as it comes back.
        if self.is_current:
            self.load()
        else:
            self._missed_refresh = True

    def on_screen_resume(self) -> None:
        # Before DeskScreen's own handler, which reads the clock again when asked to.
        if self._missed_refresh:
            self._missed_refresh = False
            self._reload_on_resume = True

    def reopen(self) -> None:
        super().reopen()
        if not self._busy:
            # What the last opening's punch said, or why it was refused, belongs to that opening.
            said = self.query_one("#tc-said", Static)
            said.update("")
            said.set_class(False, "tc-warning")

    def load(self) -> None:
        self.run_service(
            timeclock.time_clock, self.desk_app.actor, on_done=self._show, group="timeclock", exclusive=True
        )

    def on_data_changed(self, message: Any) -> None:
        super().on_data_changed(message)
        if not self._busy:
            self.load()

    # -- showing --------------------------------------------------------------------------

    def _show(self, view: timeclock.ClockView) -> None:
        self.view = view
        title = _("Time clock · {name}").format(name=view.name)
        if view.shift is not None and view.day and view.starts_at and view.ends_at:
            title += " · " + _("{shift} {day} {start}–{end}").format(
                shift=shift_label(view.shift),
                day=formats.short_date(view.day),
                start=formats.clock(view.starts_at),
                end=formats.clock(view.ends_at),
            )
        self.query_one("#tc-title", Static).update(title)
        self.query_one("#tc-state", Static).update(self._state_text(view))
        figures = ""
        if view.clock_in is not None:
            figures = _("Worked {worked} · breaks {breaks} · away without permission {away} min").format(
                worked=hours_text(view.minutes_worked), breaks=hours_text(view.minutes_break), away=view.minutes_away
            )
        self.query_one("#tc-figures", Static).update(figures)
        to_go = max(0, view.week_minimum - view.week_minutes)
        week = _("Week {week}: {worked} of at least {minimum} h (AT-4)").format(
            week=view.week, worked=hours_text(view.week_minutes), minimum=f"{view.week_minimum / 60:g}"
        )
        week += " · " + (_("{left} to go").format(left=hours_text(to_go)) if to_go else _("minimum reached"))
        self.query_one("#tc-week", Static).update(week)
        gate = view.may_clock_out
        gated = view.state in ("in", "break", "away") and not gate.ok
        self.query_one("#tc-handover", Static).update(
            _("You may not clock out yet ({ids}): {reason}").format(ids=", ".join(gate.rule_ids), reason=gate.reason)
            if gated
            else ""
        )
        self.query_one("#tc-handover").set_class(gated, "tc-warning")
        self.refresh_bindings()

    def _state_text(self, view: Any) -> str:
        state = view.state
        if view.shift is None:
            return _("You are on no shift now.")
        if state == "off":
            return _("Not clocked in: press i to clock in.")
        since = formats.clock(view.clock_in)
        if state == "out":
            return _("Clocked in {start}, out {end}.").format(start=since, end=formats.clock(view.clock_out))
        if state == "break":
            return _("On a break since {at}: press b when back.").format(at=formats.clock(view.off_since))
        if state == "away":
            return _("Away from the post since {at}: press a when back (AT-3).").format(
                at=formats.clock(view.off_since)
            )
        if view.from_roll_call:
            return _("At work since {at} (the roll-call mark).").format(at=since)
        return _("At work since {at}.").format(at=since)

    # -- punching ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "punch":
            if self.view is None or self._busy or self.view.shift is None:
                return False
            state, wanted = self.view.state, parameters[0]
            return {
                "in": state == "off",
                "break": state in ("in", "break"),
                "away": state in ("in", "away"),
                "out": state in ("in", "break", "away"),
            }[str(wanted)]
        return super().check_action(action, parameters)

    def action_punch(self, what: str) -> None:
        if self.view is None or self._busy:
            return
        state, actor = self.view.state, self.desk_app.actor
        self._busy = True
        self.refresh_bindings()
        self.query_one("#tc-said", Static).update(_("Saving…"))
        done, failed = self._punched, self._refused
        if what == "in":
            self.run_service(attendance.clock_in, actor, on_done=done, on_error=failed)
        elif what == "out":
            self.run_service(attendance.clock_out, actor, on_done=done, on_error=failed)
        elif state == what:
            self.run_service(attendance.end_away, actor, on_done=done, on_error=failed)
        else:
            self.run_service(attendance.start_away, actor, None, kind=what, on_done=done, on_error=failed)

    def _punched(self, result: Any) -> None:
        self._busy = False
        self.query_one("#tc-said", Static).update(self._result_text(result))
        self.query_one("#tc-said").set_class(False, "tc-warning")
        self.load()

    def _result_text(self, result: Any) -> str:
        decision = getattr(result, "decision", None)
        if hasattr(result, "attendance_id"):  # a clock-in or clock-out
            said = _("Saved at {at}.").format(at=formats.clock(result.at.astimezone(self.desk_app.zone)))
        elif getattr(result, "ended_at", None) is None:
            said = _("Saved: since {at}.").format(at=formats.clock(result.started_at.astimezone(self.desk_app.zone)))
        else:
            said = _("Back after {n} min.").format(n=result.minutes)
        if decision is not None:
            said += f" {decision}"
        return said

    def _refused(self, exc: Exception) -> bool:
        from csdesk.screens.service_worker import failure_text

        self._busy = False
        self.query_one("#tc-said", Static).update(failure_text(exc))
        self.query_one("#tc-said").set_class(True, "tc-warning")
        self.refresh_bindings()
        return False

    def why_rule_ids(self) -> Any:
        if self.view is not None and not self.view.may_clock_out.ok:
            return tuple(self.view.may_clock_out.rule_ids)
        return ("AT-3", "AT-4", "AT-9")
