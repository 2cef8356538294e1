"""Times as the centre reads them: stored times are UTC, people read the centre's wall clock."""

from __future__ import annotations

from datetime import datetime, tzinfo

from csdesk import formats

# The widest a moment gets in a list (``12月30日 08:30``), for the columns that show one.
WHEN_WIDTH = 14


def local(moment: datetime | None, zone: tzinfo, fmt: str | None = None) -> str:
    """A stored time as the centre's wall clock; "" for none.

    Written the one way the person's language writes a moment (``formats.day_and_time``:
    ``25 Nov 17:30`` / ``11月25日 17:30``) unless ``fmt`` asks strftime for a bare clock.
    """
    if moment is None:
        return ""
    here = moment.astimezone(zone)
    return here.strftime(fmt) if fmt else formats.day_and_time(here)


def local_day(moment: datetime, zone: tzinfo) -> str:
    """The day of a stored time on the centre's calendar: ``25 Nov`` / ``11月25日``."""
    return formats.day_month(moment.astimezone(zone).date())


def parse_moment(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """A wall-clock time typed by a person: ``HH:MM`` (today) or ``YYYY-MM-DD HH:MM``, in the
    centre's zone; None when nothing was typed. Raises ValueError on anything else."""
    text = " ".join(text.split())
    if not text:
        return None
    if len(text) <= 5:
        clock = datetime.strptime(text, "%H:%M").time()
        return datetime.combine(now.astimezone(zone).date(), clock, tzinfo=zone)
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone)
