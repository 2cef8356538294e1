"""Time left on an SLA timer, coloured by the state the SLA rule decided.

The rules decide the state (a ``TimerStatus``); this only draws it, with a
word as well as a colour so the state survives a monochrome terminal.
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.widgets import Static

from csdesk.i18n import _
from csdesk.rules.tickets import TimerStatus

_STYLES = {
    TimerStatus.OK: "green",
    TimerStatus.DUE_SOON: "bold yellow",
    TimerStatus.BREACHED: "bold red",
    TimerStatus.MET: "dim green",
    TimerStatus.MISSED: "red",
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
    else:
        words = _("{span} left").format(span=span(remaining))
    return Text(words, style=_STYLES[state], no_wrap=True)


class SlaCell(Static):
    """A single SLA countdown, for detail views (tables use :func:`sla_text`)."""

    def show(self, state: TimerStatus, remaining: timedelta) -> None:
        self.update(sla_text(state, remaining))
