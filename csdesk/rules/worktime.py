"""Working time: the clock of the timers that run only while the back office works (TK-5, TK-8).

The policy's ``[working_hours]`` names the weekdays and the hours, and whether
public holidays (``[holidays]``) are days off; make-up working days
(``[holidays] working_dates``) work whatever their weekday. A span of working
time started at some moment runs out at ``add_working_time``; the working time
between two moments is ``working_time_between``. Both walk the calendar one day
at a time with dateutil's rrule, in the centre's zone, and do their arithmetic
in UTC so a daylight-saving change costs no hour.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, rrule

from csdesk.policy import WEEKDAYS, Policy

# However the policy lists its holidays, a working day comes within ten years.
MAX_DAYS = 3660


@dataclass(frozen=True)
class WorkingCalendar:
    zone: ZoneInfo
    weekdays: frozenset[int]  # Monday = 0
    start: time
    end: time
    holidays_off: bool
    policy: Policy

    def is_working_day(self, day: date) -> bool:
        holidays = self.policy.holidays
        if day in holidays.working_dates:
            return True
        if day.weekday() not in self.weekdays:
            return False
        return not (self.holidays_off and holidays.is_holiday(day))

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working hours of ``day`` as aware UTC times; None on a day off."""
        if not self.is_working_day(day):
            return None
        opens = datetime.combine(day, self.start, tzinfo=self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.end, tzinfo=self.zone).astimezone(UTC)
        return opens, closes

    def windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working hours from ``moment`` on, the first one cut to start at it."""
        moment = moment.astimezone(UTC)
        first = moment.astimezone(self.zone).date()
        for occurrence in rrule(DAILY, dtstart=datetime.combine(first, time()), count=MAX_DAYS):
            window = self.window(occurrence.date())
            if window is None or window[1] <= moment:
                continue
            yield max(window[0], moment), window[1]


def working_calendar(policy: Policy) -> WorkingCalendar:
    hours = policy.working_hours
    return WorkingCalendar(
        policy.zone,
        frozenset(WEEKDAYS.index(d) for d in hours.weekdays),
        hours.start,
        hours.end,
        hours.public_holidays_off,
        policy,
    )


def add_working_time(start: datetime, span: timedelta, calendar: WorkingCalendar) -> datetime:
    """When ``span`` of working time, counted from ``start``, runs out (aware UTC).

    A span that runs out exactly at closing time ends then, not at the next opening.
    """
    left = max(span, timedelta(0))
    if not left:
        return start.astimezone(UTC)
    for opens, closes in calendar.windows_from(start):
        available = closes - opens
        if left <= available:
            return opens + left
        left -= available
    raise ValueError(f"no working day within {MAX_DAYS} days of {start:%Y-%m-%d}")


def working_time_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> timedelta:
    """The working time from ``start`` to ``end`` (zero when ``end`` is not later)."""
    end = end.astimezone(UTC)
    total = timedelta(0)
    if end <= start:
        return total
    for opens, closes in calendar.windows_from(start):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total
