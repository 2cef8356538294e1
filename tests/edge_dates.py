"""Moments at the edges of the calendar, for tests of anything built for "today".

A demo centre, a week's export or a roll call must work whatever day the desk
is used: these are the days where an off-by-one or an empty week shows. Each
is a wall-clock time in the shipped policy's zone; ``test_edge_dates`` checks
that every moment really is the edge its name says.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from csdesk.services.base import Desk

CENTRE_ZONE = ZoneInfo("Asia/Shanghai")


def centre_time(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CENTRE_ZONE)


EDGE_MOMENTS: dict[str, datetime] = {
    "saturday": centre_time(2026, 11, 28, 10, 0),
    "sunday": centre_time(2026, 11, 29, 15, 0),
    # Late evening of the month's last day: the month's figures are complete tomorrow.
    "month-end": centre_time(2026, 11, 30, 23, 0),
    "new-years-eve": centre_time(2026, 12, 31, 12, 0),
    "public-holiday": centre_time(2026, 10, 1, 9, 0),
    # 2026 has 53 ISO weeks; its last one ends on Sunday 3 January 2027.
    "iso-week-53": centre_time(2027, 1, 3, 9, 0),
    # Half past midnight: the night shift that started yesterday at 17:30 is still on.
    "night-shift-0030": centre_time(2026, 11, 25, 0, 30),
}


@contextmanager
def demo_desk_at(moment: datetime, folder: Path) -> Iterator[Desk]:
    """A desk on the demo centre built in ``folder`` as at ``moment``, its clock standing there."""
    from csdesk.demo import build_demo
    from csdesk.policy import default_policy
    from csdesk.services.base import Desk, FixedClock
    from csdesk.store import open_database

    now = moment.astimezone(UTC)
    path = folder / "demo.db"
    build_demo(path, default_policy(), now=now)
    db = open_database(path)
    try:
        yield Desk(db=db, policy=default_policy(), clock=FixedClock(now))
    finally:
        db.close()
