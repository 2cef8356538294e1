"""The calendar month a monthly report is asked for, as people type it: "2026-03"."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from csdesk.i18n import _
from csdesk.services.base import InvalidInput

if TYPE_CHECKING:
    from csdesk.services.base import Desk


def parse_month(text: str) -> date:
    """``"2026-03"`` -> 1 March 2026; anything else is refused on the month field."""
    raw = (text or "").strip()
    try:
        year, month = raw.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError:
        raise InvalidInput(_("{text!r} is not a month like 2026-03").format(text=text), field="month") from None


def current_month(desk: Desk) -> str:
    """This month in the centre's time zone, written the way ``parse_month`` reads it."""
    return f"{desk.now().astimezone(desk.policy.zone):%Y-%m}"
