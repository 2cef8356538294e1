"""The time clock at the workstation, and the leaders' corrections to it (AT-2..AT-5, AT-9, SC-3).

``time_clock`` is what the person's own clock shows: the shift, the punches,
a break or time away running, the minutes worked so far and the week against
the minimum (AT-4). Punching goes through ``csdesk.services.attendance``
(``clock_in``, ``start_away``, ``end_away``, ``clock_out``). A leader corrects
a missed punch with a reason (``correct_punch``, audited); a director approves
the reason for a week short of the minimum (``approve_short_week``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlmodel import Session

from csdesk.i18n import N_, _
from csdesk.models import Attendance, AwayPeriod, RosterEntry, ShortWeekApproval, Staff
from csdesk.rules import attendance as rules
from csdesk.rules.decision import Decision
from csdesk.rules.shifts import ShiftWindow
from csdesk.rules.staff import Action
from csdesk.rules.vocab import AttendanceStatus, AwayKind, ShiftKind
from csdesk.services.attendance import (
    WeekShifts,
    check_may_clock_out,
    leave_for,
    leave_spans,
    on_file,
    own_shift,
    parse_iso_week,
    read_week,
    roll_call_arrival,
    window_of,
)
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, PermissionDenied, ServiceError, audit, require
from csdesk.services.handover import LeaveStatus, awaiting_my_acknowledgement
from csdesk.services.roster import check_squad_access

# A clock-out this recent is still shown on the clock.
RECENT = timedelta(hours=4)
# A reason is a sentence, not an essay.
MAX_REASON = 500


@dataclass(frozen=True)
class ClockView:
    """One person's time clock now; times in the centre's zone.

    ``shift`` is None when the person is on no shift now or in the next hours.
    """

    staff_id: int
    name: str
    shift: ShiftKind | None
    day: date | None
    starts_at: datetime | None
    ends_at: datetime | None
    clock_in: datetime | None
    clock_out: datetime | None
    from_roll_call: bool  # the clock-in is the roll-call mark
    status: AttendanceStatus | None
    off_post: AwayKind | None  # a break or time away running
    off_since: datetime | None
    minutes_worked: int
    minutes_break: int
    minutes_away: int  # away without permission
    week: str
    week_minutes: int
    week_minimum: int
    may_clock_out: Decision

    @property
    def state(self) -> str:
        """``off``, ``in``, ``break``, ``away`` or ``out``."""
        if self.clock_in is None:
            return "off"
        if self.clock_out is not None:
            return "out"
        return self.off_post.value if self.off_post is not None else "in"


def _iso(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _my_week_minutes(desk: Desk, staff_id: int, monday: date) -> int:
    found = WeekShifts(_iso(monday), monday, None, staff_id)
    return sum(shift.figures.minutes_worked for shift in read_week(desk, found, False) if shift.figures)


def _recent_punch(session: Session, staff_id: int, now: datetime) -> Attendance | None:
    """The shift the person is clocked in on, or clocked out of in the last hours."""
    return (
        session.execute(
            select(Attendance)
            .where(
                Attendance.staff_id == staff_id,
                Attendance.clock_in.is_not(None),
                Attendance.clock_in <= now,
                or_(Attendance.clock_out.is_(None), Attendance.clock_out > now - RECENT),
            )
            .order_by(Attendance.clock_in.desc())
        )
        .scalars()
        .first()
    )


def time_clock(desk: Desk, actor: Actor) -> ClockView:
    """The actor's own clock: the shift now (or next), punches, running minutes and the week (AT-4)."""
    now, policy = desk.now(), desk.policy
    zone = policy.zone
    window: ShiftWindow | None = None
    row: Attendance | None = None
    from_mark = False
    periods: list[AwayPeriod] = []
    with desk.read() as session:
        staff = session.get(Staff, actor.staff_id)
        if staff is None:
            raise NotFound(_("no staff member with id {target_id}").format(target_id=actor.staff_id))
        roster_id = None
        recent = _recent_punch(session, actor.staff_id, now)
        if recent is not None and recent.roster_id is not None:
            # Still clocked in past the shift's end (SC-3), or just clocked out.
            roster_id, window = recent.roster_id, window_of(session, recent, policy)
        else:
            try:
                roster_id, window = own_shift(session, actor.staff_id, now, policy)
            except ServiceError:
                roster_id = None
        if roster_id is not None and window is not None:
            row = session.execute(select(Attendance).where(Attendance.roster_id == roster_id)).scalars().first()
            if row is not None and row.clock_in is not None:
                periods = list(
                    session.execute(
                        select(AwayPeriod).where(AwayPeriod.attendance_id == row.id).order_by(AwayPeriod.id)
                    ).scalars()
                )
            else:
                mark = roll_call_arrival(session, actor.staff_id, roster_id)
                if mark is not None:
                    from_mark = True
                    row = Attendance(
                        staff_id=actor.staff_id,
                        roster_id=roster_id,
                        status=AttendanceStatus(mark.status),
                        clock_in=mark.arrived_at,
                        minutes_late=mark.minutes_late,
                    )
            spans = leave_spans(session, [actor.staff_id], window.start, window.end)
            span = leave_for(spans.get(actor.staff_id, ()), window, zone)
        else:
            span = None
    clock_in = row.clock_in if row is not None else None
    clock_out = row.clock_out if row is not None else None
    worked = breaks = away = 0
    if window is not None and clock_in is not None:
        spans_off = tuple(
            rules.AwayPeriod(p.started_at, p.ended_at or now, p.permitted, p.kind == AwayKind.BREAK) for p in periods
        )
        figures = rules.shift_figures(
            window, clock_in, clock_out or max(now, clock_in), on_file(span), spans_off, policy
        )
        worked, breaks, away = figures.minutes_worked, figures.minutes_break, figures.minutes_away
    running = next((p for p in periods if p.ended_at is None), None)
    monday = rules.week_of(now.astimezone(zone).date())
    week_minutes = _my_week_minutes(desk, actor.staff_id, monday)
    if clock_in is not None and clock_out is None:
        # The week counts a shift once clocked out; until then add what is running.
        week_minutes += worked
    return ClockView(
        staff_id=actor.staff_id,
        name=staff.real_name,
        shift=window.kind if window else None,
        day=window.day if window else None,
        starts_at=window.start.astimezone(zone) if window else None,
        ends_at=window.end.astimezone(zone) if window else None,
        clock_in=clock_in.astimezone(zone) if clock_in else None,
        clock_out=clock_out.astimezone(zone) if clock_out else None,
        from_roll_call=from_mark,
        status=AttendanceStatus(row.status) if row is not None else None,
        off_post=AwayKind(running.kind) if running is not None else None,
        off_since=running.started_at.astimezone(zone) if running is not None else None,
        minutes_worked=worked,
        minutes_break=breaks,
        minutes_away=away,
        week=_iso(monday),
        week_minutes=week_minutes,
        week_minimum=rules.weekly_minimum_minutes(policy),
        may_clock_out=check_may_clock_out(desk, actor, window),
    )


# -- a leader's correction of a missed punch --------------------------------------------


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise InvalidInput(_("give the reason"), field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("the reason is at most {n} characters").format(n=MAX_REASON), field="reason")
    return reason


def _punch(value: time | str | None, window: ShiftWindow, zone: object, field: str) -> datetime | None:
    """A wall-clock time on the shift's own day; after midnight for a night shift."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        raw = value.strip()
        if raw.isdigit() and len(raw) in (3, 4):
            raw = f"{raw[:-2]}:{raw[-2:]}"
        try:
            value = time.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(_("{raw!r} is not a time of day like 17:30").format(raw=raw), field=field) from None
    moment = datetime.combine(window.day, value, tzinfo=window.start.tzinfo)
    if moment < window.start - timedelta(hours=6):
        moment += timedelta(days=1)
    return moment.astimezone(UTC)


def correct_punch(
    desk: Desk,
    actor: Actor,
    roster_id: int,
    clock_in: time | str | None = None,
    clock_out: time | str | None = None,
    reason: str = "",
) -> Attendance:
    """A leader puts in a missed clock-in or clock-out of someone in their squad, with a reason (AT-5).

    Nobody corrects their own punches. The status follows the corrected
    arrival (AT-2, AT-7); the audit log keeps the times before and after, and why.
    """
    require(actor, Action.CORRECT_ATTENDANCE)
    text = _reason(reason)
    with desk.write() as session:
        roster = session.get(RosterEntry, roster_id)
        if roster is None:
            raise NotFound(_("no rostered shift with id {roster_id}").format(roster_id=roster_id))
        staff = session.get(Staff, roster.staff_id)
        assert staff is not None
        if staff.id == actor.staff_id:
            raise PermissionDenied(_("nobody corrects their own clock times"), rule_ids=("AT-5",))
        check_squad_access(actor, staff.squad_id, N_("correct clock times"))
        row = session.execute(select(Attendance).where(Attendance.roster_id == roster_id)).scalars().first()
        probe = row or Attendance(staff_id=staff.id, roster_id=roster_id, status=AttendanceStatus.ABSENTEEISM)
        window = window_of(session, probe, desk.policy)
        arrived = _punch(clock_in, window, desk.policy.zone, "clock_in")
        left = _punch(clock_out, window, desk.policy.zone, "clock_out")
        if arrived is None and left is None:
            raise InvalidInput(_("give the clock-in or the clock-out time"), field="clock_in")
        arrived = arrived or (row.clock_in if row is not None else None)
        if arrived is None:
            raise InvalidInput(_("give the clock-in too: there is none for this shift"), field="clock_in")
        left = left or (row.clock_out if row is not None else None)
        if left is not None and left <= arrived:
            raise InvalidInput(_("the clock-out must be after the clock-in"), field="clock_out")
        if left is not None and left > desk.now():
            raise InvalidInput(_("the clock-out cannot be later than now"), field="clock_out")
        spans = leave_spans(session, [roster.staff_id], window.start, window.end)
        span = leave_for(spans.get(roster.staff_id, ()), window, desk.policy.zone)
        arrival = rules.classify_arrival(window, arrived, desk.policy, on_file(span))
        before = row.model_dump() if row is not None else None
        if row is None:
            row = probe
        row.clock_in, row.clock_out = arrived, left
        row.status, row.minutes_late = arrival.status, arrival.minutes_late
        session.add(row)
        session.flush()
        assert row.id is not None
        after = row.model_dump() | {"reason": text}
        audit(session, actor, "attendance.correct", "attendance", row.id, before=before, after=after)
        return row


# -- a director's approval of a short week (AT-4) ----------------------------------------


def approve_short_week(desk: Desk, actor: Actor, staff_id: int, iso_week: str, reason: str) -> ShortWeekApproval:
    """AT-4: the director approves the reason someone worked less than the weekly minimum."""
    require(actor, Action.APPROVE_SHORT_WEEK)
    text = _reason(reason)
    monday = parse_iso_week(iso_week)
    if staff_id == actor.staff_id:
        raise PermissionDenied(_("nobody approves their own short week"), rule_ids=("AT-4",))
    minutes = _my_week_minutes(desk, staff_id, monday)
    if minutes >= rules.weekly_minimum_minutes(desk.policy):
        raise ServiceError(_("this week is not short of the minimum: nothing to approve"), rule_ids=("AT-4",))
    with desk.write() as session:
        if session.get(Staff, staff_id) is None:
            raise NotFound(_("no staff member with id {target_id}").format(target_id=staff_id))
        found = (
            session.execute(
                select(ShortWeekApproval).where(
                    ShortWeekApproval.staff_id == staff_id, ShortWeekApproval.week_start == monday
                )
            )
            .scalars()
            .first()
        )
        before = found.model_dump() if found is not None else None
        if found is None:
            found = ShortWeekApproval(
                staff_id=staff_id, week_start=monday, reason=text, approved_by_id=actor.staff_id, approved_at=desk.now()
            )
        found.reason, found.approved_by_id, found.approved_at = text, actor.staff_id, desk.now()
        session.add(found)
        session.flush()
        audit(session, actor, "attendance.short_week", "short_week_approval", found.id, before=before, after=found)
        return found


__all__ = ["ClockView", "approve_short_week", "correct_punch", "time_clock"]


# -- may I leave? ---------------------------------------------------------------------


def release_status(desk: Desk, actor: Actor) -> LeaveStatus:
    """AT-9, HO-3, HO-4: may this person leave the shift they work, and which handover waits for them.

    Asked of the person's own shift (the one clocked into, else the rostered
    one now) and their role, as clocking out is, so the handover screen never
    holds back someone the time clock would let go.
    """
    now, policy = desk.now(), desk.policy
    window: ShiftWindow | None = None
    with desk.read() as session:
        recent = _recent_punch(session, actor.staff_id, now)
        if recent is not None and recent.roster_id is not None:
            window = window_of(session, recent, policy)
        else:
            try:
                _roster_id, window = own_shift(session, actor.staff_id, now, policy)
            except ServiceError:
                window = None
    waiting = awaiting_my_acknowledgement(desk, actor, 0, 1)
    if window is None and actor.role in policy.attendance.handover_before_clock_out:
        gate = Decision.allowed(_("not on a shift now, so no handover holds you"), "AT-9")
    else:
        gate = check_may_clock_out(desk, actor, window)
    return LeaveStatus(gate, waiting[0] if waiting else None)
