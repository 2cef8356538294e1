"""Time left on an SLA timer, coloured by the state the SLA rule decided.

The rules decide the state (ok, due soon, breached); this only draws it, with
a word as well as a colour so the state survives a monochrome terminal.
"""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.widgets import Static

from csdesk.i18n import _

OK = "ok"
DUE_SOON = "due_soon"
BREACHED = "breached"

_STYLES = {OK: "green", DUE_SOON: "bold yellow", BREACHED: "bold red"}


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


def sla_text(state: str, remaining: timedelta) -> Text:
    """``remaining`` is negative once the deadline has passed."""
    state = str(state)
    if state == BREACHED:
        words = _("overdue {span}").format(span=span(remaining))
    elif state == DUE_SOON:
        words = _("due soon, {span} left").format(span=span(remaining))
    else:
        words = _("{span} left").format(span=span(remaining))
    return Text(words, style=_STYLES.get(state, ""), no_wrap=True)


class SlaCell(Static):
    """A single SLA countdown, for detail views (tables use :func:`sla_text`)."""

    def show(self, state: str, remaining: timedelta) -> None:
        self.update(sla_text(state, remaining))
