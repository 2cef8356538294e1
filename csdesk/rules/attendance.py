"""Roll call and attendance: one status per rostered person per shift (AT-1).

Lateness is measured from the shift's own start, so a night-shift agent who
turns up at 00:10 is 400 minutes late for the shift that began at 17:30 the day
before, not early for something else.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision, Outcome
from csdesk.rules.shifts import ShiftWindow, elapsed
from csdesk.rules.vocab import AttendanceStatus, Role


@dataclass(frozen=True)
class LeaveOnFile:
    """Leave that touches this shift: when it was asked for, and whether it is approved."""

    asked_at: datetime
    approved: bool


@dataclass(frozen=True)
class AwayPeriod:
    """AT-3: time away from the post during a shift."""

    start: datetime
    end: datetime
    permitted: bool = False
    # A break is off the post but neither worked nor a violation.
    on_break: bool = False

    @property
    def length(self) -> timedelta:
        return elapsed(self.start, self.end)


@dataclass(frozen=True)
class Arrival:
    status: AttendanceStatus
    minutes_late: int
    decision: Decision


def _minutes(span: timedelta) -> int:
    """Whole minutes, counting a started minute: 20 min 1 s late is 21 minutes."""
    return max(0, math.ceil(span.total_seconds() / 60))


_LIMITS: dict[int, timedelta] = {}


def _limit(minutes: int) -> timedelta:
    """A policy's limit in minutes as a span, made once: the export compares every shift with it."""
    span = _LIMITS.get(minutes)
    if span is None:
        span = _LIMITS[minutes] = timedelta(minutes=minutes)
    return span


# How an arrival is judged (AT-1, AT-2, AT-7). ``classify_arrival`` words each case;
# the weekly export needs only the status and the violation, not the wording.
_ON_LEAVE, _ABSENT_ASKED, _NO_SHOW, _ON_TIME, _LATE, _LATE_ASKED, _TOO_LATE = range(7)
_STATUS = (
    AttendanceStatus.LEAVE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.ABSENTEEISM,
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENTEEISM,
)
# The rule a violating arrival breaks, or None where the arrival is no violation.
_VIOLATION = (None, None, "AT-7", None, None, None, "AT-2")
_NONE = timedelta(0)


def _judge_arrival(start: datetime, late: timedelta | None, limit: int, leave: LeaveOnFile | None) -> tuple[int, int]:
    """(case, minutes late) for an arrival ``late`` after a shift starting at `start`
    (``elapsed(start, arrived_at)``; None for nobody arriving)."""
    if leave is not None and leave.approved:
        return _ON_LEAVE, 0
    asked_in_time = leave is not None and leave.asked_at < start
    if late is None:
        return (_ABSENT_ASKED if asked_in_time else _NO_SHOW), 0
    if late <= _NONE:
        return _ON_TIME, 0
    minutes = _minutes(late)
    if late <= _limit(limit):
        return _LATE, minutes
    return (_LATE_ASKED if asked_in_time else _TOO_LATE), minutes


def _arrival_decision(case: int, minutes: int, limit: int) -> Decision:
    if case == _ON_LEAVE:
        return Decision.allowed(_("on approved leave"), "AT-1")
    if case == _ABSENT_ASKED:
        return Decision.warning(
            _("absent with leave asked before the shift but not approved; absenteeism unless the leave is approved"),
            "AT-7",
            "LV-2",
        )
    if case == _NO_SHOW:
        return Decision.violation(_("absent from a rostered shift without approved leave"), "AT-7")
    if case == _ON_TIME:
        return Decision.allowed(_("on time"), "AT-2")
    if case == _LATE:
        return Decision.warning(_("{minutes} minutes late").format(minutes=minutes), "AT-2")
    if case == _LATE_ASKED:
        return Decision.warning(
            _("{minutes} minutes late; leave was asked before the shift, so not absenteeism").format(minutes=minutes),
            "AT-2",
        )
    return Decision.violation(
        _(
            "{minutes} minutes late without leave asked before the shift "
            "(more than {limit} minutes counts as absenteeism)"
        ).format(minutes=minutes, limit=limit),
        "AT-2",
    )


def classify_arrival(
    window: ShiftWindow,
    arrived_at: datetime | None,
    policy: Policy,
    leave: LeaveOnFile | None = None,
) -> Arrival:
    """AT-2, AT-7: present, late, absenteeism or on leave for one shift.

    `arrived_at` None means the person never came to this shift.
    """
    limit = policy.attendance.absenteeism_after_minutes_late
    late = None if arrived_at is None else elapsed(window.start, arrived_at)
    case, minutes = _judge_arrival(window.start, late, limit, leave)
    return Arrival(_STATUS[case], minutes, _arrival_decision(case, minutes, limit))


def check_away(period: AwayPeriod, policy: Policy) -> Decision:
    """AT-3: leaving the post needs permission; over the limit without it is a violation."""
    if period.permitted:
        return Decision.allowed(_("away with the leader's permission"), "AT-3")
    limit = policy.attendance.away_limit_minutes
    minutes = _minutes(period.length)
    if period.length <= timedelta(minutes=limit):
        return Decision.warning(_("away {minutes} minutes without permission").format(minutes=minutes), "AT-3")
    return Decision.violation(
        _("away {minutes} minutes without permission (more than {limit} minutes is a violation)").format(
            minutes=minutes, limit=limit
        ),
        "AT-3",
    )


@dataclass(frozen=True)
class AttendanceRecord:
    """Everything known about one person's rostered shift, for the weekly export (AT-5)."""

    window: ShiftWindow
    clock_in: datetime | None
    clock_out: datetime | None = None
    leave: LeaveOnFile | None = None
    away: tuple[AwayPeriod, ...] = ()


@dataclass(frozen=True)
class AttendanceSummary:
    status: AttendanceStatus
    minutes_late: int
    minutes_away: int  # without permission only
    minutes_worked: int
    minutes_overtime: int
    violations: tuple[str, ...]  # rule IDs, one per violation found
    minutes_early: int = 0  # left before the shift's end (AT-9)
    minutes_break: int = 0
    decisions: tuple[Decision, ...] = field(default=())

    @property
    def reason(self) -> str:
        return "; ".join(str(d) for d in self.decisions if d.outcome is not Outcome.ALLOWED)


class ShiftFigures(NamedTuple):
    """One shift's status and minutes (AT-1..AT-3, AT-5, AT-7, SC-3), without the reasons' wording."""

    status: AttendanceStatus
    minutes_late: int
    minutes_away: int  # without permission only
    minutes_worked: int
    minutes_overtime: int
    violations: tuple[str, ...]  # rule IDs, one per violation found
    minutes_early: int  # left before the shift's end (AT-9)
    minutes_break: int


_new = tuple.__new__


def shift_figures(
    window: ShiftWindow,
    clock_in: datetime | None,
    clock_out: datetime | None,
    leave: LeaveOnFile | None,
    away: Sequence[AwayPeriod],
    policy: Policy,
) -> ShiftFigures:
    """What ``classify_attendance`` finds for one shift, less the decisions' text.

    The weekly export classifies every shift of a centre and writes no
    reasons; wording them is most of what classifying a shift costs.
    """
    limits = policy.attendance
    # ``elapsed``'s way of measuring, with each moment put in UTC once rather than per span:
    # a week's export asks this of thousands of shifts whose moments all are UTC already.
    start, end = window.start, window.end
    if start.tzinfo is not UTC:
        start = start.astimezone(UTC)
    if end.tzinfo is not UTC:
        end = end.astimezone(UTC)
    if clock_in is not None and clock_in.tzinfo is not UTC:
        clock_in = clock_in.astimezone(UTC)
    if clock_out is not None and clock_out.tzinfo is not UTC:
        clock_out = clock_out.astimezone(UTC)
    late = None if clock_in is None else clock_in - start
    if leave is None and late is not None and late <= _NONE:
        case, minutes_late = _ON_TIME, 0  # most shifts: ``_judge_arrival``'s first cases, without the call
    else:
        case, minutes_late = _judge_arrival(start, late, limits.absenteeism_after_minutes_late, leave)
    violation = _VIOLATION[case]
    violations: tuple[str, ...] = (violation,) if violation is not None else ()
    unpermitted = breaks = _NONE
    if away:
        limit = _limit(limits.away_limit_minutes)
        for period in away:
            if period.on_break:
                breaks += period.length
            elif not period.permitted:
                length = period.length
                unpermitted += length
                if length > limit:  # check_away's violation
                    violations += ("AT-3",)
    worked = extra = early = 0
    if clock_in is not None and clock_out is not None:
        on_post = clock_out - clock_in
        if away:
            on_post -= unpermitted + breaks
        # Whole minutes, a started one not counted (9 h 38 min 59 s is 578), in integers.
        worked = on_post.days * 1440 + on_post.seconds // 60 if on_post > _NONE else 0
        # Leaving after the shift's end is overtime (SC-3, ``overtime``), before it is leaving early (AT-9).
        past_end = clock_out - end
        if past_end >= _NONE:
            extra = past_end.days * 1440 + past_end.seconds // 60
        else:
            early = _minutes(-past_end)
            violations += ("AT-9",)
    # Made by tuple's constructor: a NamedTuple's own is a Python function, slow for a centre's week.
    return _new(
        ShiftFigures,
        (
            _STATUS[case],
            minutes_late,
            _minutes(unpermitted) if unpermitted else 0,
            worked,
            extra,
            violations,
            early,
            _minutes(breaks) if breaks else 0,
        ),
    )


def check_left_early(window: ShiftWindow, clock_out: datetime) -> Decision:
    """AT-9: nobody leaves the station before their shift ends (the successor takes over then)."""
    early = _minutes(elapsed(clock_out, window.end))
    if not early:
        return Decision.allowed(_("stayed until the end of the shift"), "AT-9")
    return Decision.violation(_("left {minutes} minutes before the end of the shift").format(minutes=early), "AT-9")


def classify_attendance(record: AttendanceRecord, policy: Policy) -> AttendanceSummary:
    """AT-1..AT-3, AT-5, AT-7, SC-3: one shift's status and the minutes behind it."""
    figures = shift_figures(record.window, record.clock_in, record.clock_out, record.leave, record.away, policy)
    arrival = classify_arrival(record.window, record.clock_in, policy, record.leave)
    decisions = (arrival.decision, *(check_away(period, policy) for period in record.away if not period.on_break))
    if record.clock_in is not None and record.clock_out is not None:
        decisions += (check_left_early(record.window, record.clock_out),)
    return AttendanceSummary(*figures, decisions=decisions)


def week_of(day: date) -> date:
    """The Monday that starts the week `day` belongs to (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def weekly_minutes(summaries: Iterable[tuple[date, AttendanceSummary]], week_start: date) -> int:
    """Minutes worked in the week starting `week_start`, counting each shift on the day it belongs to."""
    end = week_start + timedelta(days=7)
    return sum(s.minutes_worked for day, s in summaries if week_start <= day < end)


def _hours(minutes: int) -> str:
    return _("{hours} h {minutes:02d} min").format(hours=minutes // 60, minutes=minutes % 60)


def weekly_minimum_minutes(policy: Policy) -> int:
    """AT-4: the minutes a person works in a week at least."""
    return round(policy.attendance.weekly_min_hours * 60)


def check_weekly_hours(minutes_worked: int, policy: Policy, reason_approved: bool = False) -> Decision:
    """AT-4: at least the weekly minimum, or a reason approved by the director."""
    required = weekly_minimum_minutes(policy)
    worked, needed = _hours(minutes_worked), _hours(required)
    if minutes_worked >= required:
        return Decision.allowed(
            _("{worked} worked this week (at least {needed})").format(worked=worked, needed=needed), "AT-4"
        )
    if reason_approved:
        return Decision.warning(
            _("{worked} of {needed} worked this week; reason approved").format(worked=worked, needed=needed),
            "AT-4",
        )
    return Decision.needs_approval(
        _("only {worked} of {needed} worked this week; the shortfall needs a reason approved by the director").format(
            worked=worked, needed=needed
        ),
        (Role.DEPARTMENT_DIRECTOR,),
        "AT-4",
    )
