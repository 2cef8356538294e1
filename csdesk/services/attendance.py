"""Attendance: clocking in and out, time away from the post, and the week (AT-1..AT-5, AT-7).

The week is always recomputed from what was recorded (clock times, leave on
file, away periods) by ``csdesk.rules.attendance.classify_attendance`` (its
``shift_figures`` for the export, which writes no reasons), so a late leave
approval or a corrected clock time shows up without rewriting stored statuses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import Select, String, bindparam, select, type_coerce
from sqlmodel import Session

from csdesk.i18n import N_, _
from csdesk.models import (
    Attendance,
    AwayPeriod,
    LeaveRequest,
    RollCallEntry,
    RollCallSession,
    RosterEntry,
    ShiftDefinition,
    ShortWeekApproval,
    Squad,
    Staff,
    SwapCharge,
)
from csdesk.models.states import RequestStatus
from csdesk.policy import Policy
from csdesk.rules import attendance as rules
from csdesk.rules.decision import Decision
from csdesk.rules.leave import takes_effect
from csdesk.rules.shifts import ShiftWindow, check_overtime, covers, shift_window
from csdesk.rules.staff import Action
from csdesk.rules.vocab import AttendanceStatus, AwayKind, LeaveType, ShiftKind
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
from csdesk.services.handover import may_leave
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


def leave_spans(
    session: Session, staff_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[LeaveSpan]]:
    """Approved and pending leave touching [start, end), per person (refused and withdrawn leave is ignored)."""
    ids = list(set(staff_ids))
    if not ids:
        return defaultdict(list)
    return _leave_where(session, start, end, LeaveRequest.requester_id.in_(ids))


def _leave_where(session: Session, start: datetime, end: datetime, *where: Any) -> dict[int, list[LeaveSpan]]:
    found: dict[int, list[LeaveSpan]] = defaultdict(list)
    rows = session.execute(
        select(
            LeaveRequest.requester_id,
            LeaveRequest.starts_at,
            LeaveRequest.ends_at,
            LeaveRequest.filed_at,
            LeaveRequest.status,
            LeaveRequest.leave_type,
            LeaveRequest.has_certificate,
            LeaveRequest.phoned_leader,
        ).where(
            *where,
            LeaveRequest.starts_at < end,
            LeaveRequest.ends_at > start,
            LeaveRequest.status.in_([RequestStatus.APPROVED, RequestStatus.PENDING]),
        )
    )
    for staff_id, starts, ends, filed, status, kind, certified, phoned in rows:
        # LV-5: approved sick leave without its certificate (or a call standing in) is not yet in effect.
        approved = RequestStatus(status) is RequestStatus.APPROVED and takes_effect(LeaveType(kind), certified, phoned)
        found[staff_id].append(LeaveSpan(staff_id, starts, ends, filed, approved, LeaveType(kind)))
    return found


def leave_for(spans: Iterable[LeaveSpan], window: ShiftWindow, zone: tzinfo) -> LeaveSpan | None:
    """The leave covering this shift (SC-1, ``rules.shifts.covers``): approved first, else the earliest asked."""
    touching = [s for s in spans if covers(s.starts_at, s.ends_at, window, zone)]
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
    minutes_early: int = 0  # AT-9
    minutes_overtime: int = 0  # SC-3
    minutes_break: int = 0


class WeeklyHours(NamedTuple):
    """AT-4: one person's worked time in the week.

    A named tuple, as ``WeekShift`` is: a centre's thousand people are made in a
    fraction of a frozen dataclass's time.
    """

    staff_id: int
    employee_number: str
    name: str
    squad: str
    shifts: int
    minutes_worked: int
    meets_minimum: bool
    rule_ids: tuple[str, ...]
    reason: str
    # AT-4: the reason a director approved for a week short of the minimum.
    approved_reason: str = ""


@dataclass(frozen=True)
class AttendanceWeek:
    iso_week: str
    week_start: date
    squad_id: int | None
    rows: tuple[AttendanceRow, ...]
    hours: tuple[WeeklyHours, ...]
    minimum_minutes: int  # AT-4: the policy's weekly minimum
    finished: bool  # the week is over in the centre: hours short of the minimum are missed, not to go

    def minutes_to_go(self, person: WeeklyHours) -> int:
        """AT-4: how far a person's minutes so far are from the minimum (0 when there)."""
        return max(0, self.minimum_minutes - person.minutes_worked)


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


@dataclass(frozen=True, eq=False)
class ShiftSlot:
    """One rostered shift of the week, shared by everyone on it; times in the centre's zone."""

    kind: ShiftKind
    day: date
    start: datetime
    end: datetime
    # The same shift in UTC: the rules compare it with clock times, which are UTC.
    window: ShiftWindow
    started: bool


class WeekShift(NamedTuple):
    """One person on one rostered shift as the weekly export writes it.

    The shift's times are in the centre's zone, the clock times in UTC as
    recorded: the export puts each distinct minute in the zone once, not every
    value. ``figures`` is None for a shift that has not started yet.
    """

    staff_id: int
    roster_id: int
    employee_number: str
    name: str
    squad: str
    slot: ShiftSlot
    clock_in: datetime | None
    clock_out: datetime | None
    figures: rules.ShiftFigures | rules.AttendanceSummary | None
    leave_type: LeaveType | None
    # SW-5: the shift stayed empty after an unclear swap and its absenteeism was charged.
    charged: bool = False


# ``WeekShift``'s fields as a plain tuple, which a week of a whole centre makes in a third of
# the time: what the export reads, cell by cell.
ShiftRow = tuple[
    int,
    int,
    str,
    str,
    str,
    ShiftSlot,
    datetime | None,
    datetime | None,
    rules.ShiftFigures | rules.AttendanceSummary | None,
    LeaveType | None,
    bool,
]


def _as_shift(row: ShiftRow) -> WeekShift:
    return _new(WeekShift, row)


class WeekShifts:
    """The week, shift by shift in the export's order (squad, number, day, shift).

    ``rows`` (or ``shifts``, the same as ``WeekShift``) is read once, straight from the database; ``hours`` (AT-4) is
    complete once it has been read to the end. A centre's week is a few
    thousand shifts: going through them one at a time keeps them from piling
    up for the garbage collector to walk over again and again.
    """

    def __init__(
        self, iso_week: str, week_start: date, squad_id: int | None, staff_id: int | None = None, zone: tzinfo = UTC
    ) -> None:
        self.iso_week, self.week_start, self.squad_id = iso_week, week_start, squad_id
        self.staff_id = staff_id  # one person's week only
        self.zone = zone  # the centre's, for the clock times
        self.rows: Iterator[ShiftRow] = iter(())
        self._hours: tuple[WeeklyHours, ...] | None = None

    @property
    def shifts(self) -> Iterator[WeekShift]:
        return map(_as_shift, self.rows)

    @property
    def hours(self) -> tuple[WeeklyHours, ...]:
        if self._hours is None:
            raise RuntimeError("the weekly hours are known once every shift has been read")
        return self._hours


def week(desk: Desk, actor: Actor, iso_week: str, squad_id: int | None = None) -> AttendanceWeek:
    """AT-5: every rostered shift of the week with its status, and each person's hours (AT-4).

    Leaders see their own squad (the default for them); directors every squad
    or the one asked for.
    """
    found = week_shifts(desk, actor, iso_week, squad_id, reasons=True)
    zone = found.zone
    rows = []
    for shift in found.shifts:
        slot, summary = shift.slot, shift.figures
        rows.append(
            AttendanceRow(
                staff_id=shift.staff_id,
                roster_id=shift.roster_id,
                employee_number=shift.employee_number,
                name=shift.name,
                squad=shift.squad,
                date=slot.day,
                shift=slot.kind,
                scheduled_start=slot.start,
                scheduled_end=slot.end,
                clock_in=shift.clock_in.astimezone(zone) if shift.clock_in is not None else None,
                clock_out=shift.clock_out.astimezone(zone) if shift.clock_out is not None else None,
                minutes_late=summary.minutes_late if summary else 0,
                status=summary.status if summary else None,
                leave_type=shift.leave_type,
                minutes_away=summary.minutes_away if summary else 0,
                minutes_worked=summary.minutes_worked if summary else 0,
                violations=(*(summary.violations if summary else ()), *(("SW-5",) if shift.charged else ())),
                reason=summary.reason if isinstance(summary, rules.AttendanceSummary) else "",
                minutes_early=summary.minutes_early if summary else 0,
                minutes_overtime=summary.minutes_overtime if summary else 0,
                minutes_break=summary.minutes_break if summary else 0,
            )
        )
    today = desk.now().astimezone(desk.policy.zone).date()
    return AttendanceWeek(
        found.iso_week,
        found.week_start,
        found.squad_id,
        tuple(rows),
        found.hours,
        rules.weekly_minimum_minutes(desk.policy),
        today > found.week_start + timedelta(days=6),
    )


def week_shifts(
    desk: Desk, actor: Actor, iso_week: str, squad_id: int | None = None, *, reasons: bool = False
) -> WeekShifts:
    """The week as ``week`` finds it, shift by shift; ``reasons`` words each shift's decisions too.

    The export asks for no reasons: it writes none, and for a whole centre's
    week wording them would take longer than everything else.
    """
    require(actor, Action.EXPORT_ATTENDANCE)
    monday = parse_iso_week(iso_week)
    if actor.role not in DIRECTORS:
        squad_id = actor.squad_id if squad_id is None else squad_id
        check_squad_access(actor, squad_id, N_("see attendance"))
    iso = monday.isocalendar()
    found = WeekShifts(f"{iso.year}-W{iso.week:02d}", monday, squad_id, zone=desk.policy.zone)
    found.rows = week_rows(desk, found, reasons)
    return found


def _slot(day: date | str, kind: str, policy: Policy, now: datetime) -> ShiftSlot:
    local = shift_window(date.fromisoformat(day) if isinstance(day, str) else day, ShiftKind(kind), policy)
    utc = ShiftWindow(local.kind, local.day, local.start.astimezone(UTC), local.end.astimezone(UTC))
    zone = policy.zone
    return ShiftSlot(
        local.kind, local.day, local.start.astimezone(zone), local.end.astimezone(zone), utc, utc.start <= now
    )


_new = tuple.__new__


class _WeekQueries(NamedTuple):
    """``read_week``'s statements, the week (``monday``, ``next_monday``) and the squad or
    person (``who``) left as parameters."""

    shifts: Select[Any]
    names: Select[Any]
    away: Select[Any]
    approved: Select[Any]
    charges: Select[Any]


@cache
def _week_queries(scope: str) -> _WeekQueries:
    """The statements for everyone (``scope`` "all"), a squad ("squad") or one person
    ("staff"), built once: building them and finding them in SQLAlchemy's cache of
    compiled statements costs more, each time, than a week's small queries do."""
    in_week = (RosterEntry.work_date >= bindparam("monday"), RosterEntry.work_date < bindparam("next_monday"))
    in_squad: tuple[Any, ...] = ()
    if scope == "squad":
        in_squad = (Staff.squad_id == bindparam("who"),)
    elif scope == "staff":
        in_squad = (Staff.id == bindparam("who"),)
    # Days and clock times are read as the driver gives them, past their column
    # types, whose per-value conversions would cost more than the rest of the row:
    # SQLite gives text (times naive, and naive is UTC: see csdesk.models.base),
    # PostgreSQL dates and aware times. A person's number, name and squad are read
    # once (``names``), not on each of their shifts.
    shifts = (
        select(
            RosterEntry.staff_id,
            RosterEntry.id,
            type_coerce(RosterEntry.work_date, String),
            type_coerce(ShiftDefinition.kind, String),
            type_coerce(Attendance.clock_in, String),
            type_coerce(Attendance.clock_out, String),
        )
        .select_from(RosterEntry)
        .join(Staff, Staff.id == RosterEntry.staff_id)
        .join(ShiftDefinition, ShiftDefinition.id == RosterEntry.shift_id)
        .outerjoin(Squad, Squad.id == Staff.squad_id)
        .outerjoin(Attendance, Attendance.roster_id == RosterEntry.id)
        .where(*in_week, *in_squad)
        .order_by(Squad.name, Staff.employee_number, RosterEntry.work_date, ShiftDefinition.kind)
    )
    # Everyone the week may hold: finding who it does hold would cost more than reading the few more.
    names = (
        select(Staff.id, Staff.employee_number, Staff.real_name, Squad.name)
        .outerjoin(Squad, Squad.id == Staff.squad_id)
        .where(*in_squad)
    )
    # Keyed by the shift (one attendance row each), which the main query reads anyway.
    away = (
        select(
            Attendance.roster_id,
            AwayPeriod.started_at,
            AwayPeriod.ended_at,
            AwayPeriod.permitted,
            type_coerce(AwayPeriod.kind, String),
        )
        .join(Attendance, Attendance.id == AwayPeriod.attendance_id)
        .join(RosterEntry, RosterEntry.id == Attendance.roster_id)
        .where(*in_week)
        .order_by(Attendance.roster_id, AwayPeriod.id)
    )
    if in_squad:
        away = away.join(Staff, Staff.id == RosterEntry.staff_id).where(*in_squad)
    approved = select(ShortWeekApproval.staff_id, ShortWeekApproval.reason).where(
        ShortWeekApproval.week_start == bindparam("monday")
    )
    # SW-5: few shifts are ever charged, so the week's are read whole, for any squad.
    charges = (
        select(SwapCharge.roster_id, SwapCharge.staff_id, SwapCharge.share_percent, RosterEntry.work_date)
        .join(RosterEntry, RosterEntry.id == SwapCharge.roster_id)
        .where(*in_week)
        .order_by(RosterEntry.work_date, SwapCharge.id)
    )
    return _WeekQueries(shifts, names, away, approved, charges)


def read_week(desk: Desk, found: WeekShifts, reasons: bool) -> Iterator[WeekShift]:
    """The week's shifts as ``week_rows`` reads them, each a ``WeekShift``."""
    return map(_as_shift, week_rows(desk, found, reasons))


def week_rows(desk: Desk, found: WeekShifts, reasons: bool) -> Iterator[ShiftRow]:
    policy, zone, now = desk.policy, desk.policy.zone, desk.now()
    monday, squad_id = found.week_start, found.squad_id
    week: dict[str, Any] = {"monday": monday, "next_monday": monday + timedelta(days=7)}
    scope = "all"
    if found.staff_id is not None:
        scope, week["who"] = "staff", found.staff_id
    elif squad_id is not None:
        scope, week["who"] = "squad", squad_id
    queries = _week_queries(scope)
    first = shift_window(monday, ShiftKind.DAY, policy).start - timedelta(days=1)
    last = shift_window(monday + timedelta(days=7), ShiftKind.DAY, policy).start
    squad_leave: tuple[Any, ...] = ()
    if scope == "squad":
        squad_leave = (LeaveRequest.requester_id.in_(select(Staff.id).where(Staff.squad_id == squad_id)),)
    elif scope == "staff":
        squad_leave = (LeaveRequest.requester_id == found.staff_id,)

    slots: dict[tuple[date | str, str], ShiftSlot] = {}
    from_text = datetime.fromisoformat
    counted: dict[int, int] = defaultdict(int)
    # The query holds only shifts of this week, which is what AT-4 counts (rules.weekly_minutes).
    worked: dict[int, int] = defaultdict(int)
    no_away: tuple[rules.AwayPeriod, ...] = ()
    with desk.read() as session:
        spans = _leave_where(session, first, last, *squad_leave)
        away: dict[int, list[rules.AwayPeriod]] = defaultdict(list)
        connection = session.connection()
        for away_roster, started, ended, permitted, kind in connection.execute(queries.away, week):
            away[away_roster].append(
                rules.AwayPeriod(started, ended or max(now, started), bool(permitted), kind == AwayKind.BREAK)
            )
        approved: dict[int, str] = dict(connection.execute(queries.approved, week).all())
        charged_shifts: set[int] = set()
        charges: dict[int, list[tuple[date, int]]] = defaultdict(list)
        for charged_roster, charged_staff, percent, charged_day in connection.execute(queries.charges, week):
            charged_shifts.add(charged_roster)
            charges[charged_staff].append((charged_day, percent))
        names = {
            staff_id: (number, name, squad or "")
            for staff_id, number, name, squad in connection.execute(queries.names, week).cursor
        }
        # The driver's own rows: the columns need none of SQLAlchemy's conversions (see above).
        rows = connection.execute(queries.shifts, week).cursor
        figures_of = rules.shift_figures
        person: int | None = None
        shifts = minutes = 0
        while chunk := rows.fetchmany(1000):
            for staff_id, roster_id, day, kind, clock_in, clock_out in chunk:
                if staff_id != person:
                    # The query's order keeps a person's shifts together: what is theirs is looked up once.
                    if person is not None:
                        counted[person] += shifts
                        worked[person] += minutes
                    person, shifts, minutes = staff_id, 0, 0
                    number, name, squad = names[staff_id]
                    person_spans = spans.get(staff_id)
                slot = slots.get((day, kind))
                if slot is None:
                    slot = slots[(day, kind)] = _slot(day, kind, policy, now)
                span = leave_for(person_spans, slot.window, zone) if person_spans else None
                if type(clock_in) is str:
                    clock_in = from_text(clock_in + "+00:00")
                if type(clock_out) is str:
                    clock_out = from_text(clock_out + "+00:00")
                figures: rules.ShiftFigures | rules.AttendanceSummary | None = None
                if slot.started:
                    periods = away.get(roster_id, no_away) if away else no_away
                    leave = on_file(span) if span else None
                    if reasons:
                        figures = rules.classify_attendance(
                            rules.AttendanceRecord(slot.window, clock_in, clock_out, leave, tuple(periods)), policy
                        )
                    else:
                        figures = figures_of(slot.window, clock_in, clock_out, leave, periods, policy)
                    minutes += figures.minutes_worked
                shifts += 1
                yield (
                    staff_id,
                    roster_id,
                    number,
                    name,
                    squad,
                    slot,
                    clock_in,
                    clock_out,
                    figures,
                    span.leave_type if span else None,
                    roster_id in charged_shifts,
                )
        if person is not None:
            counted[person] += shifts
            worked[person] += minutes

    # AT-4 depends on the minutes alone, and in a centre many people work the same.
    decisions: dict[tuple[int, bool], Decision] = {}
    minimum = rules.weekly_minimum_minutes(policy)
    hours = []
    for staff_id, shifts in counted.items():
        number, name, squad = names[staff_id]
        minutes = worked[staff_id]
        reason = approved.get(staff_id, "")
        key = (minutes, bool(reason))
        decision = decisions.get(key)
        if decision is None:
            decision = decisions[key] = rules.check_weekly_hours(minutes, policy, bool(reason))
        note = f"{decision.reason}: {reason}" if reason else decision.reason
        rule_ids = decision.rule_ids
        if staff_id in charges:
            rule_ids = (*rule_ids, "SW-5")
            note = "; ".join(
                [
                    note,
                    *(
                        _("SW-5: {share} of absenteeism on {day:%Y-%m-%d}").format(share=f"{percent}%", day=day)
                        for day, percent in charges[staff_id]
                    ),
                ]
            )
        # tuple's constructor, as for ``WeekShift``: a centre has a thousand people.
        hours.append(
            _new(
                WeeklyHours,
                (staff_id, number, name, squad, shifts, minutes, minutes >= minimum, rule_ids, note, reason),
            )
        )
    hours.sort(key=attrgetter("squad", "employee_number"))
    found._hours = tuple(hours)


# -- clocking in and out ---------------------------------------------------------------


@dataclass(frozen=True)
class ClockResult:
    attendance_id: int
    at: datetime
    status: AttendanceStatus
    minutes_late: int
    decision: Decision


def own_shift(session: Session, staff_id: int, at: datetime, policy: Policy) -> tuple[int, ShiftWindow]:
    """The rostered shift ``at`` falls in (or is about to start), as (roster id, window)."""
    local_day = at.astimezone(policy.zone).date()
    entries = session.execute(
        select(RosterEntry.id, RosterEntry.work_date, ShiftDefinition.kind)
        .join(ShiftDefinition, ShiftDefinition.id == RosterEntry.shift_id)
        .where(
            RosterEntry.staff_id == staff_id,
            RosterEntry.work_date.between(local_day - timedelta(days=1), local_day + timedelta(days=1)),
        )
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


def roll_call_arrival(session: Session, staff_id: int, roster_id: int) -> RollCallEntry | None:
    """The person's roll-call mark for this rostered shift, when it records an arrival."""
    roster = session.get(RosterEntry, roster_id)
    if roster is None:
        return None
    return (
        session.execute(
            select(RollCallEntry)
            .join(RollCallSession, RollCallSession.id == RollCallEntry.session_id)
            .where(
                RollCallEntry.staff_id == staff_id,
                RollCallSession.work_date == roster.work_date,
                RollCallSession.shift_id == roster.shift_id,
                RollCallEntry.arrived_at.is_not(None),
            )
        )
        .scalars()
        .first()
    )


def clock_in(desk: Desk, actor: Actor, at: datetime | None = None) -> ClockResult:
    """Records the actor's arrival for their rostered shift (AT-2, AT-7).

    A roll-call mark with an arrival counts as the clock-in: clocking in after
    it keeps the time the leader saw.
    """
    moment = at or desk.now()
    with desk.write() as session:
        roster_id, window = own_shift(session, actor.staff_id, moment, desk.policy)
        row = session.execute(select(Attendance).where(Attendance.roster_id == roster_id)).scalars().first()
        if row is not None and row.clock_in is not None:
            shown = row.clock_in.astimezone(desk.policy.zone)
            raise ServiceError(_("already clocked in for this shift at {shown:%H:%M}").format(shown=shown))
        mark = roll_call_arrival(session, actor.staff_id, roster_id)
        if mark is not None and mark.arrived_at is not None:
            moment = mark.arrived_at
        spans = leave_spans(session, [actor.staff_id], window.start, window.end)
        span = leave_for(spans.get(actor.staff_id, ()), window, desk.policy.zone)
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


def check_may_clock_out(desk: Desk, actor: Actor, window: ShiftWindow | None = None) -> Decision:
    """HO-4, AT-9: the roles the policy names clock out of ``window`` (their shift) once their
    handover for it is written and acknowledged."""
    if actor.role not in desk.policy.attendance.handover_before_clock_out:
        return Decision.allowed(_("no handover needed before clocking out"), "AT-9")
    return may_leave(desk, actor, window)


def window_of(session: Session, row: Attendance, policy: Policy) -> ShiftWindow:
    assert row.roster_id is not None
    roster = session.get(RosterEntry, row.roster_id)
    assert roster is not None
    definition = session.get(ShiftDefinition, roster.shift_id)
    assert definition is not None
    return shift_window(roster.work_date, ShiftKind(definition.kind), policy)


def clock_out(desk: Desk, actor: Actor, at: datetime | None = None) -> ClockResult:
    """Records the actor leaving: past the shift's end is overtime (SC-3), before it leaving early (AT-9).

    For the roles the policy names, only once the handover is written and
    acknowledged (HO-4, AT-9).
    """
    moment = at or desk.now()
    with desk.write() as session:
        row = _open_attendance(session, actor.staff_id, moment, desk.policy, _("you are not clocked in"))
        window = window_of(session, row, desk.policy)
        gate = check_may_clock_out(desk, actor, window)
        if not gate.ok:
            raise ServiceError(gate.reason, rule_ids=gate.rule_ids)
        before = row.model_dump()
        row.clock_out = moment
        session.add(row)
        for period in session.execute(
            select(AwayPeriod).where(AwayPeriod.attendance_id == row.id, AwayPeriod.ended_at.is_(None))
        ).scalars():
            period.ended_at = moment
            session.add(period)
        assert row.id is not None
        audit(session, actor, "attendance.clock_out", "attendance", row.id, before=before, after=row)
        early = rules.check_left_early(window, moment)
        decision = early if not early.ok else check_overtime(window, moment)
        return ClockResult(row.id, moment, AttendanceStatus(row.status), row.minutes_late, decision)


# -- away from the post (AT-3) and breaks -------------------------------------------------


@dataclass(frozen=True)
class AwayResult:
    away_id: int
    staff_id: int
    started_at: datetime
    ended_at: datetime | None
    permitted: bool
    minutes: int
    decision: Decision | None
    kind: AwayKind = AwayKind.AWAY


def _target(desk: Desk, session: Session, actor: Actor, staff_id: int | None) -> Staff:
    target_id = actor.staff_id if staff_id is None else staff_id
    staff = session.get(Staff, target_id)
    if staff is None:
        raise NotFound(_("no staff member with id {target_id}").format(target_id=target_id))
    if target_id != actor.staff_id:
        require(actor, Action.RUN_ROLL_CALL)
        check_squad_access(actor, staff.squad_id, N_("record time away"))
    return staff


def _open_attendance(session: Session, staff_id: int, now: datetime, policy: Policy, refusal: str) -> Attendance:
    """The shift the person is clocked in on and not out of yet.

    A roll-call mark with an arrival counts as a clock-in: the attendance row is
    written from it when the person first uses the time clock.
    """
    row = (
        session.execute(
            select(Attendance)
            .where(
                Attendance.staff_id == staff_id,
                Attendance.clock_in.is_not(None),
                Attendance.clock_out.is_(None),
                Attendance.clock_in <= now,
            )
            .order_by(Attendance.clock_in.desc())
        )
        .scalars()
        .first()
    )
    if row is not None and row.roster_id is not None:
        return row
    try:
        roster_id, window = own_shift(session, staff_id, now, policy)
    except ServiceError:
        raise ServiceError(refusal, rule_ids=("AT-1",)) from None
    mark = roll_call_arrival(session, staff_id, roster_id)
    if mark is None or mark.arrived_at is None:
        raise ServiceError(refusal, rule_ids=("AT-1",))
    row = session.execute(select(Attendance).where(Attendance.roster_id == roster_id)).scalars().first()
    if row is not None and row.clock_out is not None:
        raise ServiceError(refusal, rule_ids=("AT-1",))
    if row is None:
        row = Attendance(staff_id=staff_id, roster_id=roster_id, status=AttendanceStatus(mark.status))
    row.clock_in = mark.arrived_at
    row.status = AttendanceStatus(mark.status)
    row.minutes_late = mark.minutes_late
    session.add(row)
    session.flush()
    return row


def start_away(
    desk: Desk,
    actor: Actor,
    staff_id: int | None = None,
    *,
    permitted: bool = False,
    kind: AwayKind | str = AwayKind.AWAY,
) -> AwayResult:
    """Someone leaves the post (AT-3), or takes a break. ``permitted=True`` is the leader's
    permission, so only a leader may give it (an agent can't permit themself)."""
    kind = AwayKind(kind)
    if permitted and not actor.role.is_leader:
        raise PermissionDenied(_("only a leader may permit time away from the post"), rule_ids=("AT-3",))
    moment = desk.now()
    with desk.write() as session:
        staff = _target(desk, session, actor, staff_id)
        row = _open_attendance(
            session, staff.id, moment, desk.policy, _("not clocked in: time away is counted only during a shift")
        )
        already = session.execute(
            select(AwayPeriod.kind).where(AwayPeriod.attendance_id == row.id, AwayPeriod.ended_at.is_(None))
        ).first()
        if already is not None:
            said = (
                _("{real_name} is on a break")
                if already[0] == AwayKind.BREAK
                else _("{real_name} is already away from the post")
            )
            raise ServiceError(said.format(real_name=staff.real_name), rule_ids=("AT-3",))
        period = AwayPeriod(
            attendance_id=row.id,
            started_at=moment,
            permitted=permitted,
            permitted_by_id=actor.staff_id if permitted else None,
            kind=kind,
        )
        session.add(period)
        session.flush()
        assert period.id is not None
        audit(session, actor, f"attendance.{kind.value}_start", "away_period", period.id, after=period)
        return AwayResult(period.id, staff.id, moment, None, permitted, 0, None, kind)


def end_away(desk: Desk, actor: Actor, staff_id: int | None = None) -> AwayResult:
    """Back at the post from a break or time away; returns the AT-3 decision for time away
    (over the limit without permission: violation)."""
    moment = desk.now()
    with desk.write() as session:
        staff = _target(desk, session, actor, staff_id)
        row = _open_attendance(
            session, staff.id, moment, desk.policy, _("not clocked in: time away is counted only during a shift")
        )
        period = (
            session.execute(select(AwayPeriod).where(AwayPeriod.attendance_id == row.id, AwayPeriod.ended_at.is_(None)))
            .scalars()
            .first()
        )
        if period is None:
            raise ServiceError(_("{real_name} is not away from the post").format(real_name=staff.real_name))
        kind = AwayKind(period.kind)
        before = period.model_dump()
        period.ended_at = moment
        session.add(period)
        span = rules.AwayPeriod(period.started_at, moment, period.permitted, kind is AwayKind.BREAK)
        decision = None if span.on_break else rules.check_away(span, desk.policy)
        assert period.id is not None
        audit(session, actor, f"attendance.{kind.value}_end", "away_period", period.id, before=before, after=period)
        return AwayResult(
            period.id,
            staff.id,
            period.started_at,
            moment,
            period.permitted,
            int(-(-span.length.total_seconds() // 60)),
            decision,
            kind,
        )


__all__ = [
    "AttendanceRow",
    "AttendanceWeek",
    "AwayResult",
    "ClockResult",
    "WeeklyHours",
    "check_may_clock_out",
    "clock_in",
    "clock_out",
    "end_away",
    "leave_for",
    "leave_spans",
    "parse_iso_week",
    "start_away",
    "week",
]
