"""The week or month a report is asked for, as people type it: ``2026-W47``, ``2026-11``,
or ``last`` and ``this``, which a cron line can say every Monday.

``last`` and ``this`` are read on the centre's calendar at the desk's "now"
(its clock), never the machine's; anything else is passed on as it is, to be
checked by the report that reads it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csdesk.services.base import Desk

RELATIVE = ("last", "this")


def week_named(text: str, today: date) -> str:
    """``"last"`` on Monday 23 November 2026 -> ``"2026-W47"``; ``"2026-W40"`` stays itself."""
    word = text.strip().lower()
    if word not in RELATIVE:
        return text
    year, week, _day = (today - timedelta(days=7) if word == "last" else today).isocalendar()
    return f"{year}-W{week:02d}"


def month_named(text: str, today: date) -> str:
    """``"last"`` on 1 January 2027 -> ``"2026-12"``; ``"2026-03"`` stays itself."""
    word = text.strip().lower()
    if word not in RELATIVE:
        return text
    day = today.replace(day=1) - timedelta(days=1) if word == "last" else today
    return f"{day:%Y-%m}"


def _today(desk: Desk) -> date:
    return desk.now().astimezone(desk.policy.zone).date()


def week_asked(desk: Desk, text: str) -> str:
    return week_named(text, _today(desk))


def month_asked(desk: Desk, text: str) -> str:
    return month_named(text, _today(desk))
