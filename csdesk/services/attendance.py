"""Attendance: clocking in and out, time away from the post, and the week (AT-1..AT-5, AT-7).

The week is always recomputed from what was recorded (clock times, leave on
file, away periods) by ``csdesk.rules.attendance.classify_attendance``, so a
late leave approval or a corrected clock time shows up without rewriting
stored statuses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from csdesk.i18n import N_, _
from csdesk.models import Attendance, AwayPeriod, LeaveRequest, RosterEntry, ShiftDefinition, Squad, Staff
from csdesk.models.states import RequestStatus
from csdesk.policy import Policy
from csdesk.rules import attendance as rules
from csdesk.rules.decision import Decision
from csdesk.rules.shifts import ShiftWindow, check_overtime, shift_window
from csdesk.rules.staff import Action
from csdesk.rules.vocab import AttendanceStatus, LeaveType, ShiftKind
from csdesk.services.base import (
    Actor,
    Desk,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    audit,
    require,
)
from csdesk.services.roster import DIRECTORS, check_squad_access

# How early before a shift clocking in counts for that shift.
CLOCK_IN_EARLIEST = timedelta(hours=3)


# -- leave on file -------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveSpan:
    staff_id: int
    starts_at: datetime
    ends_at: datetime
    filed_at: datetime
    approved: bool
    leave_type: LeaveType


def leave_spans(session: Session, staff_ids: Iterable[int], start: datetime, end: datetime) -> dict[int, list[LeaveSpan]]:
    """Approved and pending leave touching [start, end), per person (refused and withdrawn leave is ignored)."""
    ids = list(set(staff_ids))
    found: dict[int, list[LeaveSpan]] = defaultdict(list)
    if not ids:
        return found
    rows = session.execute(
        select(LeaveRequest.requester_id, LeaveRequest.starts_at, LeaveRequest.ends_at,
               LeaveRequest.filed_at, LeaveRequest.status, LeaveRequest.leave_type)
        .where(
            LeaveRequest.requester_id.in_(ids),  # type: ignore[attr-defined]
            LeaveRequest.starts_at < end,
            LeaveRequest.ends_at > start,
            LeaveRequest.status.in_([RequestStatus.APPROVED, RequestStatus.PENDING]),  # type: ignore[attr-defined]
        )
    )
    for staff_id, starts, ends, filed, status, kind in rows:
        found[staff_id].append(LeaveSpan(staff_id, starts, ends, filed,
                                         RequestStatus(status) is RequestStatus.APPROVED, LeaveType(kind)))
    return found


def leave_for(spans: Iterable[LeaveSpan], window: ShiftWindow) -> LeaveSpan | None:
    """The leave that touches this shift: approved leave first, else the earliest asked."""
    touching = [s for s in spans if s.starts_at < window.end and s.ends_at > window.start]
    if not touching:
        return None
    return min(touching, key=lambda s: (not s.approved, s.filed_at))


def on_file(span: LeaveSpan | None) -> rules.LeaveOnFile | None:
    return None if span is None else rules.LeaveOnFile(asked_at=span.filed_at, approved=span.approved)


# -- the week ------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    """One person on one rostered shift; times are in the centre's zone.

    ``status`` is empty for a shift that has not started yet.
    """

    staff_id: int
    roster_id: int
    employee_number: str
    name: str
    squad: str
    date: date
    shift: ShiftKind
    scheduled_start: datetime
    scheduled_end: datetime
    clock_in: datetime | None
    clock_out: datetime | None
    minutes_late: int
    status: AttendanceStatus | None
    leave_type: LeaveType | None
    minutes_away: int
    minutes_worked: int
    violations: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class WeeklyHours:
    """AT-4: one person's worked time in the week."""

    staff_id: int
    employee_number: str
    name: str
    squad: str
    shifts: int
    minutes_worked: int
    meets_minimum: bool
    rule_ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class AttendanceWeek:
    iso_week: str
    week_start: date
    squad_id: int | None
    rows: tuple[AttendanceRow, ...]
    hours: tuple[WeeklyHours, ...]


def parse_iso_week(text: str) -> date:
    """``"2026-W47"`` -> the Monday of that week."""
    raw = (text or "").strip().upper()
    try:
        year, week = raw.split("-W")
        if len(year) != 4 or len(week) != 2:
            raise ValueError
        return date.fromisoformat(f"{year}-W{week}-1")
    except ValueError:
        raise InvalidInput(_("{text!r} is not a week like 2026-W47").format(text=text), field="iso_week") from None


def week(desk: Desk, actor: Actor, iso_week: str, squad_id: int | None = None) -> AttendanceWeek:
    """AT-5: every rostered shift of the week with its status, and each person's hours (AT-4).

    Leaders see their own squad (the default for them); directors every squad
    or the one asked for.
    """
    require(actor, Action.EXPORT_ATTENDANCE)
    monday = parse_iso_week(iso_week)
    if actor.role not in DIRECTORS:
        squad_id = actor.squad_id if squad_id is None else squad_id
        check_squad_access(actor, squad_id, N_("see attendance"))
    policy, zone, now = desk.policy, desk.policy.zone, desk.now()

    query = (
        select(Staff.id, Staff.employee_number, Staff.real_name, Squad.name, RosterEntry.id,
               RosterEntry.work_date, ShiftDefinition.kind, Attendance.id, Attendance.clock_in,
               Attendance.clock_out)
        .select_from(RosterEntry)
        .join(Staff, Staff.id == RosterEntry.staff_id)
        .join(ShiftDefinition, ShiftDefinition.id == RosterEntry.shift_id)
        .outerjoin(Squad, Squad.id == Staff.squad_id)
        .outerjoin(Attendance, Attendance.roster_id == RosterEntry.id)
        .where(RosterEntry.work_date >= monday, RosterEntry.work_date < monday + timedelta(days=7))
        .order_by(Squad.name, Staff.employee_number, RosterEntry.work_date, ShiftDefinition.kind)
    )
    if squad_id is not None:
        query = query.where(Staff.squad_id == squad_id)

    with desk.read() as session:
        shifts = session.execute(query).all()
        first = shift_window(monday, ShiftKind.DAY, policy).start - timedelta(days=1)
        last = shift_window(monday + timedelta(days=7), ShiftKind.DAY, policy).start
        spans = leave_spans(session, (r[0] for r in shifts), first, last)
        away: dict[int, list[rules.AwayPeriod]] = defaultdict(list)
        attendance_ids = [r[7] for r in shifts if r[7] is not None]
        for chunk_start in range(0, len(attendance_ids), 500):
            chunk = attendance_ids[chunk_start:chunk_start + 500]
            for att_id, started, ended, permitted in session.execute(
                select(AwayPeriod.attendance_id, AwayPeriod.started_at, AwayPeriod.ended_at,
                       AwayPeriod.permitted).where(AwayPeriod.attendance_id.in_(chunk))  # type: ignore[attr-defined]
            ):
                away[att_id].append(rules.AwayPeriod(started, ended or max(now, started), bool(permitted)))

    rows: list[AttendanceRow] = []
    per_person: dict[int, list[tuple[date, rules.AttendanceSummary]]] = defaultdict(list)
    people: dict[int, tuple[str, str, str]] = {}
    counted: dict[int, int] = defaultdict(int)
    for staff_id, number, name, squad, roster_id, work_date, kind, att_id, clock_in, clock_out in shifts:
        window = shift_window(work_date, ShiftKind(kind), policy)
        span = leave_for(spans.get(staff_id, ()), window)
        people[staff_id] = (number, name, squad or "")
        counted[staff_id] += 1
        started = window.start <= now
        summary = rules.classify_attendance(
            rules.AttendanceRecord(window, clock_in, clock_out, on_file(span),
                                   tuple(away.get(att_id, ())) if att_id else ()),
            policy,
        )
        if started:
            per_person[staff_id].append((work_date, summary))
        rows.append(AttendanceRow(
            staff_id=staff_id, roster_id=roster_id, employee_number=number, name=name,
            squad=squad or "", date=work_date, shift=ShiftKind(kind),
            scheduled_start=window.start.astimezone(zone), scheduled_end=window.end.astimezone(zone),
            clock_in=clock_in.astimezone(zone) if clock_in else None,
            clock_out=clock_out.astimezone(zone) if clock_out else None,
            minutes_late=summary.minutes_late if started else 0,
            status=summary.status if started else None,
            leave_type=span.leave_type if span else None,
            minutes_away=summary.minutes_away if started else 0,
            minutes_worked=summary.minutes_worked if started else 0,
            violations=summary.violations if started else (),
            reason=summary.reason if started else "",
        ))

    hours = []
    for staff_id, (number, name, squad) in people.items():
        minutes = rules.weekly_minutes(per_person.get(staff_id, []), monday)
        decision = rules.check_weekly_hours(minutes, policy)
        hours.append(WeeklyHours(staff_id, number, name, squad, counted[staff_id], minutes,
                                 decision.ok, decision.rule_ids, decision.reason))
    hours.sort(key=lambda h: (h.squad, h.employee_number))
    label = f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}"
    return AttendanceWeek(label, monday, squad_id, tuple(rows), tuple(hours))


# -- clocking in and out ---------------------------------------------------------------


@dataclass(frozen=True)
class ClockResult:
    attendance_id: int
    at: datetime
    status: AttendanceStatus
    minutes_late: int
    decision: Decision


def _own_shift(session: Session, staff_id: int, at: datetime, policy: Policy) -> tuple[int, ShiftWindow]:
    """The rostered shift ``at`` falls in (or is about to start), as (roster id, window)."""
    local_day = at.astimezone(policy.zone).date()
    entries = session.execute(
        select(RosterEntry.id, RosterEntry.work_date, ShiftDefinition.kind)
        .join(ShiftDefinition, ShiftDefinition.id == RosterEntry.shift_id)
        .where(RosterEntry.staff_id == staff_id,
               RosterEntry.work_date.between(local_day - timedelta(days=1), local_day + timedelta(days=1)))  # type: ignore[attr-defined]
    ).all()
    candidates = []
    for roster_id, work_date, kind in entries:
        window = shift_window(work_date, ShiftKind(kind), policy)
        if window.start - CLOCK_IN_EARLIEST <= at < window.end:
            candidates.append((window.start, roster_id, window))
    if not candidates:
        raise ServiceError(_("you are not rostered on a shift now"), rule_ids=("AT-1",))
    _start, roster_id, window = min(candidates, key=lambda c: c[0])
    return roster_id, window


def clock_in(desk: Desk, actor: Actor, at: datetime | None = None) -> ClockResult:
    """Records the actor's arrival for their rostered shift (AT-2, AT-7)."""
    moment = at or desk.now()
    with desk.write() as session:
        roster_id, window = _own_shift(session, actor.staff_id, moment, desk.policy)
        row = session.execute(select(Attendance).where(Attendance.roster_id == roster_id)).scalars().first()
        if row is not None and row.clock_in is not None:
            shown = row.clock_in.astimezone(desk.policy.zone)
            raise ServiceError(_("already clocked in for this shift at {shown:%H:%M}").format(shown=shown))
        spans = leave_spans(session, [actor.staff_id], window.start, window.end)
        span = leave_for(spans.get(actor.staff_id, ()), window)
        arrival = rules.classify_arrival(window, moment, desk.policy, on_file(span))
        before = row.model_dump() if row is not None else None
        if row is None:
            row = Attendance(staff_id=actor.staff_id, roster_id=roster_id, status=arrival.status)
        row.clock_in = moment
        row.status = arrival.status
        row.minutes_late = arrival.minutes_late
        session.add(row)
        session.flush()
        assert row.id is not None
        audit(session, actor, "attendance.clock_in", "attendance", row.id, before=before, after=row)
        return ClockResult(row.id, moment, arrival.status, arrival.minutes_late, arrival.decision)


def clock_out(desk: Desk, actor: Actor, at: datetime | None = None) -> ClockResult:
    """Records the actor leaving; time past the shift's end is overtime (SC-3)."""
    moment = at or desk.now()
    with desk.write() as session:
        row = session.execute(
            select(Attendance)
            .where(Attendance.staff_id == actor.staff_id, Attendance.clock_in.is_not(None),  # type: ignore[union-attr]
                   Attendance.clock_out.is_(None), Attendance.clock_in <= moment)  # type: ignore[union-attr,operator]
            .order_by(Attendance.clock_in.desc())  # type: ignore[union-attr]
        ).scalars().first()
        if row is None or row.roster_id is None:
            raise ServiceError(_("you are not clocked in"))
        roster = session.get(RosterEntry, row.roster_id)
        assert roster is not None
        kind = session.get(ShiftDefinition, roster.shift_id).kind  # type: ignore[union-attr]
        window = shift_window(roster.work_date, ShiftKind(kind), desk.policy)
        before = row.model_dump()
        row.clock_out = moment
        session.add(row)
        for period in session.execute(
            select(AwayPeriod).where(AwayPeriod.attendance_id == row.id, AwayPeriod.ended_at.is_(None))  # type: ignore[union-attr]
        ).scalars():
            period.ended_at = moment
            session.add(period)
        assert row.id is not None
        audit(session, actor, "attendance.clock_out", "attendance", row.id, before=before, after=row)
        return ClockResult(row.id, moment, AttendanceStatus(row.status), row.minutes_late,
                           check_overtime(window, moment))


# -- away from the post (AT-3) -----------------------------------------------------------


@dataclass(frozen=True)
class AwayResult:
    away_id: int
    staff_id: int
    started_at: datetime
    ended_at: datetime | None
    permitted: bool
    minutes: int
    decision: Decision | None


def _target(desk: Desk, session: Session, actor: Actor, staff_id: int | None) -> Staff:
    target_id = actor.staff_id if staff_id is None else staff_id
    staff = session.get(Staff, target_id)
    if staff is None:
        raise NotFound(_("no staff member with id {target_id}").format(target_id=target_id))
    if target_id != actor.staff_id:
        require(actor, Action.RUN_ROLL_CALL)
        check_squad_access(actor, staff.squad_id, N_("record time away"))
    return staff


def _open_attendance(session: Session, staff_id: int) -> Attendance:
    row = session.execute(
        select(Attendance)
        .where(Attendance.staff_id == staff_id, Attendance.clock_in.is_not(None),  # type: ignore[union-attr]
               Attendance.clock_out.is_(None))  # type: ignore[union-attr]
        .order_by(Attendance.clock_in.desc())  # type: ignore[union-attr]
    ).scalars().first()
    if row is None:
        raise ServiceError(_("not clocked in: time away is counted only during a shift"), rule_ids=("AT-3",))
    return row


def start_away(desk: Desk, actor: Actor, staff_id: int | None = None, *, permitted: bool = False) -> AwayResult:
    """Someone leaves the post (AT-3). ``permitted=True`` is the leader's permission,
    so only a leader may give it (an agent can't permit themself)."""
    if permitted and not actor.role.is_leader:
        raise PermissionDenied(_("only a leader may permit time away from the post"), rule_ids=("AT-3",))
    moment = desk.now()
    with desk.write() as session:
        staff = _target(desk, session, actor, staff_id)
        row = _open_attendance(session, staff.id)  # type: ignore[arg-type]
        already = session.execute(
            select(AwayPeriod.id).where(AwayPeriod.attendance_id == row.id, AwayPeriod.ended_at.is_(None))  # type: ignore[union-attr]
        ).first()
        if already is not None:
            raise ServiceError(_("{real_name} is already away from the post").format(real_name=staff.real_name), rule_ids=("AT-3",))
        period = AwayPeriod(attendance_id=row.id, started_at=moment, permitted=permitted,  # type: ignore[arg-type]
                            permitted_by_id=actor.staff_id if permitted else None)
        session.add(period)
        session.flush()
        assert period.id is not None
        audit(session, actor, "attendance.away_start", "away_period", period.id, after=period)
        return AwayResult(period.id, staff.id, moment, None, permitted, 0, None)  # type: ignore[arg-type]


def end_away(desk: Desk, actor: Actor, staff_id: int | None = None) -> AwayResult:
    """Back at the post; returns the AT-3 decision (over the limit without permission: violation)."""
    moment = desk.now()
    with desk.write() as session:
        staff = _target(desk, session, actor, staff_id)
        row = _open_attendance(session, staff.id)  # type: ignore[arg-type]
        period = session.execute(
            select(AwayPeriod).where(AwayPeriod.attendance_id == row.id, AwayPeriod.ended_at.is_(None))  # type: ignore[union-attr]
        ).scalars().first()
        if period is None:
            raise ServiceError(_("{real_name} is not away from the post").format(real_name=staff.real_name))
        before = period.model_dump()
        period.ended_at = moment
        session.add(period)
        decision = rules.check_away(rules.AwayPeriod(period.started_at, moment, period.permitted), desk.policy)
        assert period.id is not None
        audit(session, actor, "attendance.away_end", "away_period", period.id, before=before, after=period)
        minutes = rules.AwayPeriod(period.started_at, moment).length
        return AwayResult(period.id, staff.id, period.started_at, moment, period.permitted,  # type: ignore[arg-type]
                          int(-(-minutes.total_seconds() // 60)), decision)


__all__ = [
    "AttendanceRow", "AttendanceWeek", "AwayResult", "ClockResult", "WeeklyHours", "clock_in",
    "clock_out", "end_away", "leave_for", "leave_spans", "parse_iso_week", "start_away", "week",
]
