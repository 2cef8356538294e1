"""What the home screen shows at a glance: my shift, today's duties, the squad board.

Read-only queries, each one short transaction. The board and the coming
roll call are for leaders (AT-1); everyone sees their own shift and duties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from csdesk.i18n import N_, _
from csdesk.models import (
    Attendance,
    AwayPeriod,
    RollCallEntry,
    RollCallSession,
    RosterEntry,
    ShiftDefinition,
    Squad,
    Staff,
    Ticket,
)
from csdesk.policy import Policy
from csdesk.rules.calendar import DutyStatus, duties_at
from csdesk.rules.duties import keepers
from csdesk.rules.shifts import ShiftWindow, roll_call_time, shift_at, shift_window
from csdesk.rules.staff import Action
from csdesk.rules.vocab import AttendanceStatus, LeaveType, Role, ShiftKind, StaffStatus
from csdesk.services.attendance import leave_for, leave_spans
from csdesk.services.base import Actor, Desk, NotFound, ServiceError, require

# The home screen marks duties done as "home.mark_duty_done".
from csdesk.services.duties import (
    DutyLine,
    calendar_lines,
    mark_duty_done,  # noqa: F401
    visible,
)
from csdesk.services.queues import OPEN_STATUSES, queue_counts
from csdesk.services.roster import DIRECTORS, check_squad_access

# How far ahead "my next shift" is looked for.
LOOK_AHEAD_DAYS = 7
# Overdue duties are looked for this far back (leaders only: they mark them done).
OVERDUE_DAYS = 7


@dataclass(frozen=True)
class ShiftInfo:
    """A shift as the person sees it; times in the centre's zone."""

    kind: ShiftKind
    day: date
    starts_at: datetime
    ends_at: datetime
    roll_call_at: datetime  # SC-4
    running: bool


@dataclass(frozen=True)
class MyShift:
    squad: str | None
    centre_shift: ShiftInfo | None  # the shift the centre is in now; None between shifts
    mine: ShiftInfo | None  # my own rostered shift, running or next
    holiday_duty: bool


class BoardState:
    PRESENT = "present"
    AWAY = "away"
    LEAVE = "leave"
    NOT_IN = "not_in"
    ABSENT = "absent"  # marked absent at a roll call not closed yet
    DUE = "due"
    GONE = "gone"
    OFF = "off"


@dataclass(frozen=True)
class BoardLine:
    staff_id: int
    employee_number: str
    name: str
    role: Role
    state: str  # a BoardState value
    since: datetime | None  # clock-in, away since, or when they are due
    late: bool
    leave_type: LeaveType | None
    open_tickets: int
    # The state comes from a mark of a roll call still open (no attendance written yet).
    marked_at_roll_call: bool = False


@dataclass(frozen=True)
class QueueLoad:
    queue: str
    total: int
    breached: int


@dataclass(frozen=True)
class SquadBoard:
    squad_id: int
    squad: str
    lines: tuple[BoardLine, ...]
    queues: tuple[QueueLoad, ...]

    def count(self, state: str) -> int:
        return sum(1 for line in self.lines if line.state == state)


@dataclass(frozen=True)
class HomeSummary:
    shift: MyShift
    duties: tuple[DutyLine, ...]
    board: SquadBoard | None  # leaders of a squad only


@dataclass(frozen=True)
class ComingShift:
    squad_id: int
    squad: str
    day: date
    code: str
    starts_at: datetime


def _info(window: ShiftWindow, now: datetime, policy: Policy) -> ShiftInfo:
    zone = policy.zone
    return ShiftInfo(
        window.kind,
        window.day,
        window.start.astimezone(zone),
        window.end.astimezone(zone),
        roll_call_time(window, policy).astimezone(zone),
        window.contains(now),
    )


def _windows(
    session: Session, staff_ids: list[int], first: date, last: date, policy: Policy
) -> list[tuple[int, int, ShiftWindow, bool]]:
    """(staff id, roster id, window, holiday duty) of the rostered shifts between two days."""
    if not staff_ids:
        return []
    rows = session.execute(
        select(
            RosterEntry.staff_id, RosterEntry.id, RosterEntry.work_date, ShiftDefinition.kind, RosterEntry.holiday_duty
        )
        .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
        .where(col(RosterEntry.staff_id).in_(staff_ids), col(RosterEntry.work_date).between(first, last))
    ).all()
    return [(s, r, shift_window(d, ShiftKind(k), policy), bool(h)) for s, r, d, k, h in rows]


def _current_or_next(
    windows: list[tuple[int, int, ShiftWindow, bool]],
    now: datetime,
) -> tuple[int, int, ShiftWindow, bool] | None:
    """The shift running at ``now``, else the next to start."""
    live = [w for w in windows if w[2].end > now]
    return min(live, key=lambda w: w[2].start) if live else None


def my_shift(desk: Desk, actor: Actor) -> MyShift:
    """The centre's shift now and my own rostered shift (running or next) (SC-1)."""
    now, policy = desk.now(), desk.policy
    today = now.astimezone(policy.zone).date()
    centre = shift_at(now, policy)
    with desk.read() as session:
        squad = None
        if actor.squad_id is not None:
            found = session.get(Squad, actor.squad_id)
            squad = found.name if found else None
        mine = _current_or_next(
            _windows(
                session, [actor.staff_id], today - timedelta(days=1), today + timedelta(days=LOOK_AHEAD_DAYS), policy
            ),
            now,
        )
    return MyShift(
        squad=squad,
        centre_shift=_info(centre, now, policy) if centre else None,
        mine=_info(mine[2], now, policy) if mine else None,
        holiday_duty=bool(mine and mine[3]),
    )


def duties_today(desk: Desk, actor: Actor) -> tuple[DutyLine, ...]:
    """SC-5, TK-17: today's duties with their state, and (for leaders) overdue ones of earlier days.

    Each person sees the duties their role keeps and their squad's own duties.
    """
    now, policy = desk.now(), desk.policy
    zone = policy.zone
    today = now.astimezone(zone).date()
    look_back = OVERDUE_DAYS if actor.role.is_leader or actor.role is Role.INSPECTOR else 0
    candidates = calendar_lines(desk, actor, today - timedelta(days=look_back), today)
    done = {(line.duty_id, line.at) for line, is_done in candidates if is_done}
    shown = [d for d in policy.duties if visible(d, actor)]
    mine = {d.id for d in shown if actor.role in keepers(d)}
    lines: dict[tuple[str, datetime], DutyLine] = {}
    latest_overdue: dict[str, tuple[datetime, int]] = {}
    for occ, status, decision in duties_at(
        policy.model_copy(update={"duties": shown}), now, done, look_back_days=look_back
    ):
        if status is DutyStatus.OVERDUE:
            # A duty missed every day would fill the screen: keep its latest miss and count the rest.
            previous = latest_overdue.get(occ.duty_id)
            if previous is not None:
                lines.pop((occ.duty_id, previous[0]))
            latest_overdue[occ.duty_id] = (occ.at, previous[1] + 1 if previous else 0)
        lines[(occ.duty_id, occ.at)] = DutyLine(
            occ.duty_id,
            occ.title,
            occ.at.astimezone(zone),
            status,
            decision.rule_ids,
            decision.reason,
            latest_overdue[occ.duty_id][1] if status is DutyStatus.OVERDUE else 0,
            occ.duty_id in mine,
        )
    # What is still to come today, or done, shows too, so the day can be planned.
    for line, _is_done in candidates:
        if line.at.date() != today or (line.duty_id, line.at) in lines:
            continue
        if line.status is DutyStatus.OVERDUE:
            continue  # folded into the duty's latest miss above
        lines[(line.duty_id, line.at)] = line
    order = {DutyStatus.OVERDUE: 0, DutyStatus.DUE: 1, DutyStatus.UPCOMING: 2, DutyStatus.DONE: 3}
    return tuple(sorted(lines.values(), key=lambda d: (order[d.status], d.at, d.duty_id)))


def squad_board(desk: Desk, actor: Actor, squad_id: int | None = None) -> SquadBoard:
    """Who of the squad is present, away, on leave or not in yet, with their open tickets."""
    require(actor, Action.RUN_ROLL_CALL)
    squad_id = actor.squad_id if squad_id is None else squad_id
    check_squad_access(actor, squad_id, N_("see the squad board"))
    now, policy = desk.now(), desk.policy
    today = now.astimezone(policy.zone).date()
    with desk.read() as session:
        squad = session.get(Squad, squad_id)
        if squad is None:
            raise NotFound(_("no squad with id {squad_id}").format(squad_id=squad_id))
        members = session.execute(
            select(Staff.id, Staff.employee_number, Staff.real_name, Staff.role)
            .where(Staff.squad_id == squad_id, Staff.status != StaffStatus.LEFT)
            .order_by(Staff.employee_number)
        ).all()
        ids = [m[0] for m in members]
        windows = _windows(session, ids, today - timedelta(days=1), today + timedelta(days=1), policy)
        by_person: dict[int, list[tuple[int, int, ShiftWindow, bool]]] = {}
        for w in windows:
            by_person.setdefault(w[0], []).append(w)
        chosen = {}
        for staff_id, own in by_person.items():
            found = _current_or_next(own, now)
            # Tomorrow's shift is not "today": someone whose day is over has gone home.
            if found is not None and found[2].day <= today:
                chosen[staff_id] = found
            else:
                ended = [w for w in own if w[2].end <= now and w[2].end.astimezone(policy.zone).date() == today]
                if ended:
                    chosen[staff_id] = max(ended, key=lambda w: w[2].end)
        roster_ids = [w[1] for w in chosen.values()]
        attendance = (
            {
                roster_id: (att_id, clock_in, clock_out, AttendanceStatus(status))
                for att_id, roster_id, clock_in, clock_out, status in session.execute(
                    select(
                        Attendance.id,
                        Attendance.roster_id,
                        Attendance.clock_in,
                        Attendance.clock_out,
                        Attendance.status,
                    ).where(col(Attendance.roster_id).in_(roster_ids))
                ).all()
            }
            if roster_ids
            else {}
        )
        att_ids = [a[0] for a in attendance.values()]
        away: dict[int, datetime] = (
            dict(
                session.execute(
                    select(AwayPeriod.attendance_id, func.min(AwayPeriod.started_at))
                    .where(col(AwayPeriod.attendance_id).in_(att_ids), col(AwayPeriod.ended_at).is_(None))
                    .group_by(col(AwayPeriod.attendance_id))
                ).all()
            )
            if att_ids
            else {}
        )
        marks = _open_roll_call_marks(session, squad_id, [w[2] for w in chosen.values()])
        spans = leave_spans(session, ids, now - timedelta(days=1), now + timedelta(days=1))
        tickets: dict[int, int] = (
            dict(
                session.execute(
                    select(Ticket.owner_id, func.count())
                    .where(col(Ticket.owner_id).in_(ids), col(Ticket.status).in_(OPEN_STATUSES))
                    .group_by(col(Ticket.owner_id))
                ).all()
            )
            if ids
            else {}
        )
    zone = policy.zone
    lines = []
    for staff_id, number, name, role in members:
        state, since, late, leave_type, marked = BoardState.OFF, None, False, None, False
        shift = chosen.get(staff_id)
        if shift is not None:
            _day, roster_id, window, _ends = shift
            span = leave_for(spans.get(staff_id, ()), window, policy.zone)
            record = attendance.get(roster_id)
            if span is not None and span.approved:
                state, leave_type = BoardState.LEAVE, span.leave_type
            elif record is not None and record[1] is not None:
                att_id, clock_in, clock_out, status = record
                late = status in (AttendanceStatus.LATE, AttendanceStatus.ABSENTEEISM)
                if clock_out is not None:
                    state, since = BoardState.GONE, clock_out
                elif att_id in away:
                    state, since = BoardState.AWAY, away[att_id]
                else:
                    state, since = BoardState.PRESENT, clock_in
            elif record is not None and record[3] is AttendanceStatus.LEAVE:
                state = BoardState.LEAVE
            elif (entry := marks.get((window.day, window.kind, staff_id))) is not None:
                # The leader is calling the roll: what was marked shows before it is closed.
                state, since, marked = _mark_state(*entry), entry[1], True
                late = entry[0] in (AttendanceStatus.LATE, AttendanceStatus.ABSENTEEISM)
            elif window.start <= now < window.end:
                state, since = BoardState.NOT_IN, window.start
            elif window.start > now:
                state, since = BoardState.DUE, window.start
            else:
                state, since = BoardState.GONE, None
        lines.append(
            BoardLine(
                staff_id,
                number,
                name,
                Role(role),
                state,
                since.astimezone(zone) if since else None,
                late,
                leave_type,
                int(tickets.get(staff_id, 0)),
                marked,
            )
        )
    loads = tuple(QueueLoad(str(q), c.total, c.breached) for q, c in queue_counts(desk, actor).items())
    return SquadBoard(squad_id, squad.name, tuple(lines), loads)


def _mark_state(status: AttendanceStatus, arrived_at: datetime | None) -> str:
    """A roll-call mark as a board state: someone who came, however late (AT-2), is present."""
    if status is AttendanceStatus.LEAVE:
        return BoardState.LEAVE
    return BoardState.PRESENT if arrived_at is not None or status is AttendanceStatus.PRESENT else BoardState.ABSENT


def _open_roll_call_marks(
    session: Session,
    squad_id: int,
    windows: list[ShiftWindow],
) -> dict[tuple[date, ShiftKind, int], tuple[AttendanceStatus, datetime | None]]:
    """(shift day, kind, staff id) -> (status, arrival) marked at a roll call of the squad not closed yet."""
    days = sorted({w.day for w in windows})
    if not days:
        return {}
    # Sessions by their unique (squad, day, shift) index; entries by (session, staff).
    rows = session.execute(
        select(
            RollCallSession.work_date,
            ShiftDefinition.kind,
            RollCallEntry.staff_id,
            RollCallEntry.status,
            RollCallEntry.arrived_at,
        )
        .join(ShiftDefinition, col(ShiftDefinition.id) == RollCallSession.shift_id)
        .join(RollCallEntry, col(RollCallEntry.session_id) == RollCallSession.id)
        .where(
            RollCallSession.squad_id == squad_id,
            col(RollCallSession.work_date).in_(days),
            col(RollCallSession.closed_at).is_(None),
        )
    ).all()
    return {
        (day, ShiftKind(kind), staff_id): (AttendanceStatus(status), arrived)
        for day, kind, staff_id, status, arrived in rows
    }


def home_summary(desk: Desk, actor: Actor) -> HomeSummary:
    """Everything the home screen shows besides tickets and notices."""
    board = None
    if actor.role.is_leader and actor.squad_id is not None:
        board = squad_board(desk, actor)
    return HomeSummary(my_shift(desk, actor), duties_today(desk, actor), board)


# How far ahead the coming roll call is looked for.
ROLL_CALL_DAYS = 7


def coming_roll_call(desk: Desk, actor: Actor, squad_id: int | None = None) -> ComingShift:
    """The squad's shift to call the roll for: the one running now, else the next (AT-1, SC-4)."""
    require(actor, Action.RUN_ROLL_CALL)
    squad_id = actor.squad_id if squad_id is None else squad_id
    if squad_id is None:
        raise ServiceError(_("choose a squad: directors have none of their own"), field="squad")
    check_squad_access(actor, squad_id, N_("run roll call"))
    now, policy = desk.now(), desk.policy
    today = now.astimezone(policy.zone).date()
    with desk.read() as session:
        squad = session.get(Squad, squad_id)
        if squad is None:
            raise NotFound(_("no squad with id {squad_id}").format(squad_id=squad_id))
        shifts = session.execute(
            select(RosterEntry.work_date, ShiftDefinition.kind, ShiftDefinition.code)
            .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
            .join(Staff, col(Staff.id) == RosterEntry.staff_id)
            .where(
                Staff.squad_id == squad_id,
                col(RosterEntry.work_date).between(today - timedelta(days=1), today + timedelta(days=ROLL_CALL_DAYS)),
            )
            .distinct()
        ).all()
    windows = [(shift_window(day, ShiftKind(kind), policy), code) for day, kind, code in shifts]
    live = [(w, code) for w, code in windows if w.end > now]
    if not live:
        over = [w for w, _code in windows if w.end <= now]
        if over:
            last = max(over, key=lambda w: w.end)
            raise ServiceError(
                _(
                    "{name}'s last rostered shift ({shift} of {day:%m-%d}) ended at {end:%H:%M}; none is rostered in the next {days} days"
                ).format(
                    name=squad.name,
                    shift=_(last.kind.value),
                    day=last.day,
                    end=last.end.astimezone(policy.zone),
                    days=ROLL_CALL_DAYS,
                ),
                rule_ids=("AT-1",),
            )
        raise ServiceError(
            _("nobody of {name} is rostered in the next {days} days").format(name=squad.name, days=ROLL_CALL_DAYS),
            rule_ids=("AT-1",),
        )
    window, code = min(live, key=lambda item: item[0].start)
    return ComingShift(squad_id, squad.name, window.day, str(code), window.start.astimezone(policy.zone))


def squads(desk: Desk, actor: Actor) -> tuple[tuple[int, str], ...]:
    """(id, name) of the squads the actor may look at: their own, or all for directors."""
    require(actor, Action.EXPORT_ATTENDANCE)
    with desk.read() as session:
        rows = session.execute(select(Squad.id, Squad.name).order_by(Squad.name)).all()
    return tuple((int(i), str(n)) for i, n in rows if actor.role in DIRECTORS or i == actor.squad_id)
