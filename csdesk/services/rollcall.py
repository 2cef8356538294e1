"""The squad leader's roll call before a shift (AT-1, AT-2, AT-7, SC-4, HO-2).

Every mark is saved at once, one small transaction per mark, in the
``roll_call_entries`` table: a screen can be closed or crash mid-call and the
leader picks up where they left off by opening the same roll call again.
Closing turns the marks into attendance rows for everyone rostered, all in
ONE transaction, and returns the notices to read out before the shift.

A screen drives it like this::

    view = open_roll_call(desk, actor, squad_id, today, "day")   # leave pre-filled
    mark(desk, actor, view.session_id, staff_id, "late", arrival=time(8, 41))
    mark_rest_present(desk, actor, view.session_id)              # one key for the rest
    closed = close_roll_call(desk, actor, view.session_id)       # closed.notices
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlmodel import Session

from csdesk.i18n import N_, _
from csdesk.models import Attendance, Notice, RollCallEntry, RollCallSession, RosterEntry, Squad, Staff
from csdesk.rules.attendance import classify_arrival
from csdesk.rules.decision import Decision, Outcome
from csdesk.rules.discipline import duty_leader_lateness
from csdesk.rules.shifts import (
    ShiftWindow,
    check_roll_call_lead,
    check_roll_call_open,
    roll_call_time,
    shift_window,
)
from csdesk.rules.staff import Action
from csdesk.rules.vocab import AttendanceStatus, LeaveType, Role, ShiftKind
from csdesk.services.attendance import LeaveSpan, leave_for, leave_spans, on_file
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, ServiceError, audit, require
from csdesk.services.roster import (
    RosteredPerson,
    check_squad_access,
    ensure_shift_definitions,
    rostered,
    shift_definition,
)

NOTICES_SHOWN = 5
MARKABLE = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT)


@dataclass(frozen=True)
class RollCallLine:
    """One rostered person; ``status`` None until marked. Times in the centre's zone."""

    staff_id: int
    employee_number: str
    name: str
    role: Role
    status: AttendanceStatus | None
    arrived_at: datetime | None
    minutes_late: int
    rule_ids: tuple[str, ...]
    leave_type: LeaveType | None
    holiday_duty: bool
    # AT-8, DS-3: a late duty leader's warning, or the call to replace them.
    duty_note: str = ""


@dataclass(frozen=True)
class RollCallView:
    session_id: int
    squad_id: int
    squad: str
    date: date
    shift: ShiftKind
    starts_at: datetime
    roll_call_at: datetime  # SC-4: staff are at their desks by then
    closed: bool
    lines: tuple[RollCallLine, ...]

    @property
    def unmarked(self) -> tuple[RollCallLine, ...]:
        return tuple(line for line in self.lines if line.status is None)


@dataclass(frozen=True)
class NoticeView:
    id: int
    title: str
    body: str
    author: str
    published_at: datetime


@dataclass(frozen=True)
class RollCallClosed:
    session_id: int
    attendance_rows: int
    counts: tuple[tuple[AttendanceStatus, int], ...]
    notices: tuple[NoticeView, ...]  # HO-2: read out before the shift, newest first


# -- helpers ------------------------------------------------------------------------------


def _window(desk: Desk, session: Session, call: RollCallSession) -> ShiftWindow:
    from csdesk.models import ShiftDefinition

    definition = session.get(ShiftDefinition, call.shift_id)
    assert definition is not None
    return shift_window(call.work_date, ShiftKind(definition.kind), desk.policy)


def _load(desk: Desk, session: Session, actor: Actor, session_id: int) -> RollCallSession:
    call = session.get(RollCallSession, session_id)
    if call is None:
        raise NotFound(_("no roll call with id {session_id}").format(session_id=session_id))
    require(actor, Action.RUN_ROLL_CALL)
    check_squad_access(actor, call.squad_id, N_("run roll call"))
    return call


def _check_open(desk: Desk, window: ShiftWindow) -> None:
    decision = check_roll_call_open(window, desk.now(), desk.policy)
    if not decision.ok:
        raise ServiceError(decision.reason, rule_ids=decision.rule_ids)


def _spans(session: Session, people: list[RosteredPerson], window: ShiftWindow) -> dict[int, list[LeaveSpan]]:
    return leave_spans(session, (p.staff_id for p in people), window.start, window.end)


def _view(desk: Desk, session: Session, call: RollCallSession) -> RollCallView:
    window = _window(desk, session, call)
    people = rostered(session, call.squad_id, call.work_date, call.shift_id)
    entries = {
        e.staff_id: e
        for e in session.execute(select(RollCallEntry).where(RollCallEntry.session_id == call.id)).scalars()
    }
    spans = _spans(session, people, window)
    zone = desk.policy.zone
    lines = []
    for person in people:
        entry = entries.get(person.staff_id)
        span = leave_for(spans.get(person.staff_id, ()), window, desk.policy.zone)
        duty = _duty_lateness(desk, session, person, call.work_date, entry.minutes_late) if entry else None
        lines.append(
            RollCallLine(
                staff_id=person.staff_id,
                employee_number=person.employee_number,
                name=person.name,
                role=person.role,
                status=AttendanceStatus(entry.status) if entry else None,
                arrived_at=entry.arrived_at.astimezone(zone) if entry and entry.arrived_at else None,
                minutes_late=entry.minutes_late if entry else 0,
                rule_ids=tuple(entry.rule_ids) if entry else (),
                leave_type=span.leave_type if span else None,
                holiday_duty=person.holiday_duty,
                duty_note=duty.reason if duty is not None else "",
            )
        )
    squad = session.get(Squad, call.squad_id)
    assert call.id is not None
    return RollCallView(
        session_id=call.id,
        squad_id=call.squad_id,
        squad=squad.name if squad else "",
        date=call.work_date,
        shift=window.kind,
        starts_at=window.start.astimezone(zone),
        roll_call_at=roll_call_time(window, desk.policy).astimezone(zone),
        closed=call.closed_at is not None,
        lines=tuple(lines),
    )


def _earlier_lateness(session: Session, staff_id: int, work_date: date) -> int:
    """AT-8: the person's late shifts earlier in the same calendar month (the month restarts the count)."""
    first = work_date.replace(day=1)
    return len(
        session.execute(
            select(Attendance.id)
            .join(RosterEntry, RosterEntry.id == Attendance.roster_id)
            .where(
                Attendance.staff_id == staff_id,
                Attendance.minutes_late > 0,
                RosterEntry.work_date >= first,
                RosterEntry.work_date < work_date,
            )
        ).all()
    )


def _duty_lateness(
    desk: Desk, session: Session, person: RosteredPerson, work_date: date, minutes: int
) -> Decision | None:
    """AT-8, DS-3: the duty (deputy) leader late to post: the month's first time a warning, then replacement."""
    if person.role is not Role.DEPUTY_LEADER or minutes <= 0:
        return None
    return duty_leader_lateness(_earlier_lateness(session, person.staff_id, work_date), desk.policy)


def _arrival_moment(arrival: datetime | time, window: ShiftWindow, zone: object) -> datetime:
    """A wall-clock time is read on the shift's own day; after midnight for a night shift."""
    if isinstance(arrival, str):
        try:
            arrival = time.fromisoformat(arrival.strip())
        except ValueError:
            raise InvalidInput(
                _("{arrival!r} is not a time of day like 08:41").format(arrival=arrival), field="arrival"
            ) from None
    if not isinstance(arrival, (datetime, time)):
        raise InvalidInput(_("give the arrival as a time of day like 08:41"), field="arrival")
    if isinstance(arrival, datetime):
        if arrival.tzinfo is None or arrival.utcoffset() is None:
            raise InvalidInput(_("the arrival time needs a time zone"), field="arrival")
        return arrival
    moment = datetime.combine(window.day, arrival, tzinfo=zone)
    if moment < window.start - timedelta(hours=6):
        moment += timedelta(days=1)
    return moment


# -- the use cases ----------------------------------------------------------------------------


def open_roll_call(desk: Desk, actor: Actor, squad_id: int, shift_date: date, shift_code: str) -> RollCallView:
    """Starts (or resumes) the roll call of a squad's shift; approved leave is pre-filled."""
    require(actor, Action.RUN_ROLL_CALL)
    check_squad_access(actor, squad_id, N_("run roll call"))
    with desk.write() as session:
        if session.get(Squad, squad_id) is None:
            raise NotFound(_("no squad with id {squad_id}").format(squad_id=squad_id))
        ensure_shift_definitions(session, desk.policy)
        definition = shift_definition(session, shift_code)
        assert definition.id is not None
        call = (
            session.execute(
                select(RollCallSession).where(
                    RollCallSession.squad_id == squad_id,
                    RollCallSession.work_date == shift_date,
                    RollCallSession.shift_id == definition.id,
                )
            )
            .scalars()
            .first()
        )
        if call is None:
            _check_open(desk, shift_window(shift_date, ShiftKind(definition.kind), desk.policy))
            people = rostered(session, squad_id, shift_date, definition.id)
            if not people:
                raise ServiceError(
                    _("nobody of this squad is rostered on {shift_date:%Y-%m-%d} ({code} shift)").format(
                        shift_date=shift_date, code=definition.code
                    ),
                    rule_ids=("AT-1",),
                )
            call = RollCallSession(
                squad_id=squad_id,
                work_date=shift_date,
                shift_id=definition.id,
                leader_id=actor.staff_id,
                opened_at=desk.now(),
            )
            session.add(call)
            session.flush()
            window = shift_window(shift_date, ShiftKind(definition.kind), desk.policy)
            spans = _spans(session, people, window)
            for person in people:
                span = leave_for(spans.get(person.staff_id, ()), window, desk.policy.zone)
                if span is not None and span.approved:
                    session.add(
                        RollCallEntry(
                            session_id=call.id,
                            staff_id=person.staff_id,
                            status=AttendanceStatus.LEAVE,
                            rule_ids=["AT-1"],
                        )
                    )
            audit(session, actor, "rollcall.open", "roll_call", call.id, after=call)
            session.flush()
        return _view(desk, session, call)


def roll_call(desk: Desk, actor: Actor, session_id: int) -> RollCallView:
    """The roll call as it stands (to come back to it)."""
    with desk.read() as session:
        return _view(desk, session, _load(desk, session, actor, session_id))


def _classify(
    desk: Desk, window: ShiftWindow, status: AttendanceStatus, arrival: datetime | time | None, span: LeaveSpan | None
) -> tuple[AttendanceStatus, datetime | None, int, list[str]]:
    zone = desk.policy.zone
    if status is AttendanceStatus.ABSENT:
        if arrival is not None:
            raise InvalidInput(_("an absent person has no arrival time"), field="arrival")
        result = classify_arrival(window, None, desk.policy, on_file(span))
        return result.status, None, 0, list(result.decision.rule_ids)
    if status is AttendanceStatus.LATE and arrival is None:
        raise InvalidInput(_("give the arrival time of someone late"), field="arrival")
    moment = _arrival_moment(arrival, window, zone) if arrival is not None else min(desk.now(), window.start)
    if status is AttendanceStatus.LATE and moment <= window.start:
        raise InvalidInput(
            _(
                "arrival {astimezone_zone:%H:%M} is not after the shift start {astimezone_zone2:%H:%M}; mark them present"
            ).format(astimezone_zone=moment.astimezone(zone), astimezone_zone2=window.start.astimezone(zone)),
            field="arrival",
        )
    result = classify_arrival(window, moment, desk.policy, on_file(span))
    rule_ids = list(result.decision.rule_ids)
    lead = check_roll_call_lead(window, moment, desk.policy)
    if moment <= window.start and lead.outcome is Outcome.WARNING:
        rule_ids.append("SC-4")
    return result.status, moment, result.minutes_late, rule_ids


def _record(
    desk: Desk,
    session: Session,
    actor: Actor,
    call: RollCallSession,
    window: ShiftWindow,
    person: RosteredPerson,
    span: LeaveSpan | None,
    status: AttendanceStatus,
    arrival: datetime | time | None,
) -> None:
    if span is not None and span.approved:
        raise ServiceError(_("{name} is on approved leave for this shift").format(name=person.name), rule_ids=("AT-1",))
    final, moment, minutes, rule_ids = _classify(desk, window, status, arrival, span)
    duty = _duty_lateness(desk, session, person, call.work_date, minutes)
    if duty is not None:
        rule_ids = [*rule_ids, *(r for r in duty.rule_ids if r not in rule_ids)]
    entry = (
        session.execute(
            select(RollCallEntry).where(RollCallEntry.session_id == call.id, RollCallEntry.staff_id == person.staff_id)
        )
        .scalars()
        .first()
    )
    before = entry.model_dump() if entry else None
    if entry is None:
        entry = RollCallEntry(session_id=call.id, staff_id=person.staff_id, status=final)
    entry.status, entry.arrived_at, entry.minutes_late, entry.rule_ids = final, moment, minutes, rule_ids
    session.add(entry)
    session.flush()
    audit(session, actor, "rollcall.mark", "roll_call_entry", entry.id, before=before, after=entry)
    if duty is not None:
        audit(
            session,
            actor,
            "discipline.duty_leader_late",
            "roll_call_entry",
            entry.id,
            after={"staff_id": person.staff_id, "outcome": duty.outcome.value, "reason": duty.reason},
        )


def mark(
    desk: Desk,
    actor: Actor,
    session_id: int,
    staff_id: int,
    status: AttendanceStatus | str,
    arrival: datetime | time | None = None,
) -> RollCallLine:
    """Marks one person present, late (with the arrival time) or absent, and saves it at once.

    The rules decide the final status: more than the policy's minutes late, or
    absent without leave asked in time, becomes absenteeism (AT-2, AT-7).
    ``arrival`` is an aware datetime or a wall-clock time in the centre's zone.
    """
    try:
        wanted = AttendanceStatus(status)
    except ValueError:
        wanted = None
    if wanted not in MARKABLE:
        raise InvalidInput(
            _("mark {status!r} is not one of present, late, absent").format(status=status), field="status"
        )
    with desk.write() as session:
        call = _load(desk, session, actor, session_id)
        if call.closed_at is not None:
            raise ServiceError(_("this roll call is already closed"), rule_ids=("AT-1",))
        window = _window(desk, session, call)
        _check_open(desk, window)
        people = {p.staff_id: p for p in rostered(session, call.squad_id, call.work_date, call.shift_id)}
        person = people.get(staff_id)
        if person is None:
            raise NotFound(_("staff member {staff_id} is not rostered on this shift").format(staff_id=staff_id))
        span = leave_for(_spans(session, [person], window).get(staff_id, ()), window, desk.policy.zone)
        _record(desk, session, actor, call, window, person, span, wanted, arrival)
        view = _view(desk, session, call)
    return next(line for line in view.lines if line.staff_id == staff_id)


def mark_rest_present(desk: Desk, actor: Actor, session_id: int) -> RollCallView:
    """Marks everyone not yet marked as present (arrived by now, or at the shift start)."""
    with desk.write() as session:
        call = _load(desk, session, actor, session_id)
        if call.closed_at is not None:
            raise ServiceError(_("this roll call is already closed"), rule_ids=("AT-1",))
        window = _window(desk, session, call)
        _check_open(desk, window)
        people = rostered(session, call.squad_id, call.work_date, call.shift_id)
        marked = set(
            session.execute(select(RollCallEntry.staff_id).where(RollCallEntry.session_id == call.id)).scalars()
        )
        spans = _spans(session, people, window)
        for person in people:
            if person.staff_id in marked:
                continue
            span = leave_for(spans.get(person.staff_id, ()), window, desk.policy.zone)
            _record(desk, session, actor, call, window, person, span, AttendanceStatus.PRESENT, None)
        return _view(desk, session, call)


def close_roll_call(desk: Desk, actor: Actor, session_id: int) -> RollCallClosed:
    """Writes one attendance row per rostered person, all or nothing, and returns
    the latest notices to read out before the shift (HO-2)."""
    now = desk.now()
    with desk.write() as session:
        call = _load(desk, session, actor, session_id)
        if call.closed_at is not None:
            raise ServiceError(_("this roll call is already closed"), rule_ids=("AT-1",))
        window = _window(desk, session, call)
        people = rostered(session, call.squad_id, call.work_date, call.shift_id)
        entries = {
            e.staff_id: e
            for e in session.execute(select(RollCallEntry).where(RollCallEntry.session_id == call.id)).scalars()
        }
        unmarked = [p for p in people if p.staff_id not in entries]
        if unmarked:
            names = ", ".join(f"{p.employee_number} {p.name}" for p in unmarked[:5])
            more = f" and {len(unmarked) - 5} more" if len(unmarked) > 5 else ""
            raise InvalidInput(
                _("not marked yet: {names}{more}").format(names=names, more=more), field="entries", rule_ids=("AT-1",)
            )
        spans = _spans(session, people, window)
        existing = {
            a.roster_id: a
            for a in session.execute(
                select(Attendance).where(Attendance.roster_id.in_([p.roster_id for p in people]))
            ).scalars()
        }
        counts: dict[AttendanceStatus, int] = {}
        for person in people:
            entry = entries[person.staff_id]
            span = leave_for(spans.get(person.staff_id, ()), window, desk.policy.zone)
            row = existing.get(person.roster_id)
            before = row.model_dump() if row else None
            if row is None:
                row = Attendance(staff_id=person.staff_id, roster_id=person.roster_id, status=entry.status)
            row.status = AttendanceStatus(entry.status)
            row.minutes_late = entry.minutes_late
            # A clock-in at the terminal stands; roll call fills it in otherwise.
            if row.clock_in is None:
                row.clock_in = entry.arrived_at
            row.leave_type = span.leave_type if span is not None and row.status is AttendanceStatus.LEAVE else None
            session.add(row)
            session.flush()
            audit(session, actor, "attendance.record", "attendance", row.id, before=before, after=row)
            counts[row.status] = counts.get(row.status, 0) + 1
        call.closed_at = now
        session.add(call)
        audit(session, actor, "rollcall.close", "roll_call", call.id, after={"closed_at": now, "rows": len(people)})
        notices = session.execute(
            select(Notice, Staff.real_name)
            .join(Staff, Staff.id == Notice.author_id)
            .where(Notice.published_at <= now, or_(Notice.expires_at.is_(None), Notice.expires_at > now))
            .order_by(Notice.published_at.desc())
            .limit(NOTICES_SHOWN)
        ).all()
        zone = desk.policy.zone
        assert call.id is not None
        return RollCallClosed(
            session_id=call.id,
            attendance_rows=len(people),
            counts=tuple(sorted(counts.items())),
            notices=tuple(
                NoticeView(n.id, n.title, n.body, author, n.published_at.astimezone(zone)) for n, author in notices
            ),
        )
