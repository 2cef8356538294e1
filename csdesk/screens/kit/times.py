"""Times as the centre reads them: stored times are UTC, people read the centre's wall clock."""

from __future__ import annotations

from datetime import datetime, tzinfo


def local(moment: datetime | None, zone: tzinfo, fmt: str = "%m-%d %H:%M") -> str:
    """A stored time as the centre's wall clock, ``fmt`` as strftime writes it; "" for none."""
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime(fmt)


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
