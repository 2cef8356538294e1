"""Time left on an SLA timer, coloured by the state the SLA rule decided.

The rules decide the state (a ``TimerStatus``); this only draws it, with a
word as well as a colour so the state survives a monochrome terminal. A
case's clock as a whole reads running, paused or overdue (``clock_text``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from rich.text import Text
from textual.widgets import Static

from csdesk import formats
from csdesk.i18n import _
from csdesk.rules.tickets import TimerStatus

# How often a screen showing time left reads it afresh while in view: the minutes move
# with no commit, and half a minute keeps the minute shown at most that far behind.
SLA_REFRESH_SECONDS = 30.0

_STYLES = {
    TimerStatus.OK: "green",
    TimerStatus.DUE_SOON: "bold yellow",
    TimerStatus.BREACHED: "bold red",
    TimerStatus.MET: "dim green",
    TimerStatus.MISSED: "red",
    TimerStatus.PAUSED: "bold blue",
}
# A case's clock as a whole (csdesk.services.sla.ClockState), as a word and a colour.
_CLOCK_STYLES = {
    "running": "bold green",
    "paused": "bold blue",
    "overdue": "bold red",
    "stopped": "dim",
}


def span(delta: timedelta) -> str:
    """A short, human duration: ``<1m``, ``12m``, ``2h 05m``, ``3d 4h``."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 1:
        return _("<1m")
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("{d}d {h}h").format(d=days, h=hours)
    if hours:
        return _("{h}h {m:02d}m").format(h=hours, m=mins)
    return _("{m}m").format(m=mins)


def sla_text(state: TimerStatus, remaining: timedelta) -> Text:
    """``remaining`` is negative once the deadline has passed; kept promises read as met or late."""
    # Anything else is a programming error, and must not quietly read as "ok".
    state = TimerStatus(state)
    if state is TimerStatus.BREACHED:
        words = _("overdue {span}").format(span=span(remaining))
    elif state is TimerStatus.DUE_SOON:
        words = _("due soon, {span} left").format(span=span(remaining))
    elif state is TimerStatus.MET:
        words = _("met")
    elif state is TimerStatus.MISSED:
        words = _("late by {span}").format(span=span(remaining))
    elif state is TimerStatus.PAUSED:
        words = _("paused, {span} left").format(span=span(remaining))
    else:
        words = _("{span} left").format(span=span(remaining))
    return Text(words, style=_STYLES[state], no_wrap=True)


def clock_word(state: str) -> Text:
    """RUNNING, PAUSED, OVERDUE or STOPPED, as the ticket screen heads its clocks with."""
    words = {
        "running": _("running"),
        "paused": _("paused"),
        "overdue": _("overdue"),
        "stopped": _("stopped"),
    }
    key = str(state)
    return Text(words.get(key, key).upper(), style=_CLOCK_STYLES.get(key, ""), no_wrap=True)


def clock_text(clock: Any, zone: tzinfo) -> Text:
    """A case's clock in one line: its state in words and colour, then why, how long it has
    waited and how far the waits moved its due time (TK-5)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(_("SLA clock: "), style="dim")
    text.append_text(clock_word(clock.state))
    due: datetime | None = clock.due_at
    if str(clock.state) == "paused":
        text.append("  " + clock.reason)
    elif due is not None:
        text.append("  " + _("due {at}").format(at=formats.day_and_time(due.astimezone(zone))))
    if clock.paused_total > timedelta(0):
        text.append("  " + _("waited {span}").format(span=span(clock.paused_total)), style="dim")
    if clock.due_moved_by > timedelta(0):
        text.append("  " + _("due moved {span}").format(span=span(clock.due_moved_by)), style="dim")
    return text


def row_sla_text(row: Any) -> Text:
    """A list's time-left cell: paused cases say so in blue, cases without a clock a dash."""
    if getattr(row, "paused", False):
        text = Text(_("paused"), style=_CLOCK_STYLES["paused"], no_wrap=True)
        if row.sla_state is not None and row.time_left is not None:
            text.append(" · ")
            text.append_text(sla_text(row.sla_state, row.time_left))
        return text
    if row.sla_state is None or row.time_left is None:
        return Text("—", style="dim")
    return sla_text(row.sla_state, row.time_left)


class SlaCell(Static):
    """A single SLA countdown, for detail views (tables use :func:`sla_text`)."""

    def show(self, state: TimerStatus, remaining: timedelta) -> None:
        self.update(sla_text(state, remaining))
