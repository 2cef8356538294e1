"""Shift times on the calendar, and the roster rules that only need those times.

A shift belongs to the day it starts (SC-1): the night shift of 3 March runs
from 17:30 on 3 March to 01:00 on 4 March, and everything that happens in it
(roll call, lateness, overtime) is counted on 3 March.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision
from csdesk.rules.vocab import ShiftKind


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from `start` to `end`.

    Subtracting two datetimes that share a zone gives wall-clock time, which is
    an hour off across a daylight-saving change; going through UTC is not.
    """
    if start.tzinfo is UTC and end.tzinfo is UTC:
        return end - start  # the stored times already are UTC: a week's export asks this 100,000 times
    return end.astimezone(UTC) - start.astimezone(UTC)


@dataclass(frozen=True)
class ShiftWindow:
    """One concrete shift: its kind, the day it belongs to, and aware start/end."""

    kind: ShiftKind
    day: date
    start: datetime
    end: datetime

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def shift_window(day: date, kind: ShiftKind, policy: Policy) -> ShiftWindow:
    """The start and end of the `kind` shift that belongs to `day`, in the centre's zone."""
    definition = policy.shifts.of(kind)
    zone = policy.zone
    start = datetime.combine(day, definition.start, tzinfo=zone)
    end_day = day + timedelta(days=1) if definition.crosses_midnight else day
    end = datetime.combine(end_day, definition.end, tzinfo=zone)
    return ShiftWindow(ShiftKind(kind), day, start, end)


def covers(starts_at: datetime, ends_at: datetime, window: ShiftWindow, zone: tzinfo) -> bool:
    """SC-1: does a span (of leave) cover this shift?

    A shift starting within the span is covered, and so is one the span starts
    in the middle of (leaving part of a shift). But whole days, counted from a
    midnight, cover only the shifts belonging to them: the night shift of
    23 November ends at 01:00 on the 24th yet belongs to the 23rd, so a day's
    leave for the 24th does not cover it.
    """
    if not (starts_at < window.end and ends_at > window.start):
        return False
    if starts_at <= window.start:
        return True
    local = starts_at.astimezone(zone)
    return not (local.time() == time(0) and local.date() > window.day)


def shift_at(moment: datetime, policy: Policy) -> ShiftWindow | None:
    """The shift running at `moment`, or None between shifts (e.g. 01:00-08:30)."""
    local = moment.astimezone(policy.zone)
    # The night shift of the day before may still be running after midnight.
    for day in (local.date(), local.date() - timedelta(days=1)):
        for kind in ShiftKind:
            window = shift_window(day, kind, policy)
            if window.contains(moment):
                return window
    return None


def next_shift(moment: datetime, policy: Policy) -> ShiftWindow:
    """The shift running at `moment`, else the next one to start."""
    running = shift_at(moment, policy)
    if running is not None:
        return running
    local = moment.astimezone(policy.zone)
    candidates = [
        shift_window(day, kind, policy)
        for day in (local.date(), local.date() + timedelta(days=1))
        for kind in ShiftKind
    ]
    return min((w for w in candidates if w.start >= moment), key=lambda w: w.start)


def roll_call_time(window: ShiftWindow, policy: Policy) -> datetime:
    """SC-4: staff are at their desks this long before the shift for roll call."""
    return window.start - timedelta(minutes=policy.roster.roll_call_lead_minutes)


def check_roll_call_open(window: ShiftWindow, now: datetime, policy: Policy) -> Decision:
    """AT-1, SC-4: marks are taken from the policy's lead before the shift until the shift ends."""
    opens = window.start - timedelta(minutes=policy.roster.roll_call_opens_before_minutes)
    zone = policy.zone
    if now < opens:
        return Decision.refused(
            _("the roll call of this shift opens at {opens:%m-%d %H:%M}").format(opens=opens.astimezone(zone)),
            "AT-1",
            "SC-4",
        )
    if now >= window.end:
        return Decision.refused(
            _("this shift ended at {end:%m-%d %H:%M}: its roll call is over").format(end=window.end.astimezone(zone)),
            "AT-1",
        )
    return Decision.allowed(_("the roll call of this shift is open"), "AT-1", "SC-4")


def check_roll_call_lead(window: ShiftWindow, arrived_at: datetime, policy: Policy) -> Decision:
    """SC-4: arriving after roll call but before the shift is recorded, not late."""
    call = roll_call_time(window, policy)
    if arrived_at <= call:
        return Decision.allowed(_("arrived in time for roll call"), "SC-4")
    if arrived_at <= window.start:
        lead = policy.roster.roll_call_lead_minutes
        return Decision.warning(
            _("arrived after roll call at {call:%H:%M}; staff arrive {lead} minutes before the shift").format(
                call=call, lead=lead
            ),
            "SC-4",
        )
    return Decision.warning(_("arrived after the shift started (see lateness)"), "SC-4", "AT-2")


def longest_run(days: Iterable[date]) -> tuple[date, int] | None:
    """The first day and length of the longest run of consecutive days worked."""
    ordered = sorted(set(days))
    best: tuple[date, int] | None = None
    run_start, run_length = None, 0
    previous = None
    for day in ordered:
        if previous is not None and day - previous == timedelta(days=1):
            run_length += 1
        else:
            run_start, run_length = day, 1
        if best is None or run_length > best[1]:
            best = (run_start, run_length)  # type: ignore[assignment]
        previous = day
    return best


def check_consecutive_days(days_worked: Iterable[date], policy: Policy) -> Decision:
    """SC-2: six days on, one off; nobody is rostered seven days in a row."""
    limit = policy.roster.max_consecutive_days
    run = longest_run(days_worked)
    if run is None or run[1] <= limit:
        return Decision.allowed(_("no one works more than {limit} days in a row").format(limit=limit), "SC-2")
    first, length = run
    return Decision.violation(
        _("{length} days in a row from {first:%Y-%m-%d}; at most {limit} before a rest day").format(
            length=length, first=first, limit=limit
        ),
        "SC-2",
    )


def rest_between(earlier: ShiftWindow, later: ShiftWindow) -> timedelta:
    return elapsed(earlier.end, later.start)


def overtime(window: ShiftWindow, clocked_out: datetime) -> timedelta:
    """SC-3: time worked past the shift's end (zero when leaving on time)."""
    return max(elapsed(window.end, clocked_out), timedelta(0))


def check_overtime(window: ShiftWindow, clocked_out: datetime) -> Decision:
    """SC-3: staying on while customers are served is overtime, never a violation."""
    extra = overtime(window, clocked_out)
    if not extra:
        return Decision.allowed(_("left at or before the end of the shift"), "SC-3")
    minutes = int(extra.total_seconds() // 60)
    return Decision.allowed(
        _("{minutes} minutes past the end of the shift recorded as overtime").format(minutes=minutes), "SC-3"
    )
