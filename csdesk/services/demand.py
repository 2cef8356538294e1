"""The agents each shift needs, from the centre's own ticket history (SC-1, SC-2).

Each ticket is one contact at the moment it was received, on its channel; a
ticket dispatched to the back office is also one piece of back-office work at
the moment it was dispatched (TK-4, TK-5). The history is the `history_weeks`
full weeks before the day of "now".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Integer, and_, cast, func, or_, select

from csdesk.i18n import N_, _
from csdesk.models import Staff, Ticket
from csdesk.rules.demand import ShiftNeed, add_needs, bucket_minutes, channel_needs, expected_load, shift_needs
from csdesk.rules.staff import Action
from csdesk.rules.vocab import Role, ShiftKind, StaffStatus
from csdesk.services.base import Actor, Desk, InvalidInput, require
from csdesk.services.roster import check_squad_access
from csdesk.services.rostering import MonthPlan, month_plan

# Who is on the roster and counts against the needed agents.
ROSTERED_ROLES = (Role.AGENT, Role.DEPUTY_LEADER)
WORKING = (StaffStatus.FORMAL, StaffStatus.INTERN)


@dataclass(frozen=True)
class CentreDemand:
    first: date  # the history read, inclusive
    last: date
    contacts: int  # tickets (and back-office dispatches) in the history
    shifts: dict[tuple[int, ShiftKind], ShiftNeed]  # (weekday, shift) -> rostered agents needed
    slots: dict[tuple[int, int], int]  # (weekday, slot) -> agents on contacts needed, all channels

    def needed(self, day: date, kind: ShiftKind) -> int:
        return self.shifts[(day.weekday(), kind)].agents


def _history(desk: Desk, now: datetime) -> tuple[date, date, datetime, datetime]:
    policy = desk.policy
    today = now.astimezone(policy.zone).date()
    last = today - timedelta(days=1)
    first = today - timedelta(weeks=policy.demand.history_weeks)
    start = datetime.combine(first, time(0), tzinfo=policy.zone)
    end = datetime.combine(today, time(0), tzinfo=policy.zone)
    return first, last, start, end


@dataclass(frozen=True)
class _Read:
    """A demand as read, and what it was read from: the history's tickets change only by
    new tickets (a case taken in after the fact may be dated back into it) and by
    dispatches dated into it, so the newest ticket's id and those dispatches tell
    whether reading it again would give the same."""

    policy: Any
    window: tuple[datetime, datetime, int]
    newest_ticket: int
    dispatches: tuple[int, int]
    demand: CentreDemand


# Per database: the roster screen asks for the centre's demand each time it is opened,
# and counting weeks of tickets is the slowest thing it does.
_last_read: WeakKeyDictionary[Any, _Read] = WeakKeyDictionary()


def compute_demand(desk: Desk, now: datetime | None = None) -> CentreDemand:
    """The centre's needs per weekday and shift, from the tickets of the past weeks."""
    policy = desk.policy
    first, last, start, end = _history(desk, now or desk.now())
    step = bucket_minutes(policy)
    window = (start, end, step)
    with desk.read() as session:
        newest = int(session.execute(select(func.coalesce(func.max(Ticket.id), 0))).scalar_one())
        dispatched_in_window = and_(Ticket.dispatched_at >= start, Ticket.dispatched_at < end)
        counted, ids = session.execute(
            select(func.count(), func.coalesce(func.sum(Ticket.id), 0)).where(dispatched_in_window)
        ).one()
        dispatches = (int(counted), int(ids))
        before = _last_read.get(desk.db)
        if before is not None and _still_true(
            session, before, _Read(policy, window, newest, dispatches, before.demand)
        ):
            demand = before.demand
        else:
            demand = _read_demand(session, policy, first, last, start, end, step)
    _last_read[desk.db] = _Read(policy, window, newest, dispatches, demand)
    return demand


def _still_true(session: Any, before: _Read, now: _Read) -> bool:
    """Whether the demand read ``before`` is what reading the history ``now`` would give."""
    if (before.policy, before.window, before.dispatches) != (now.policy, now.window, now.dispatches):
        return False
    if before.newest_ticket == now.newest_ticket:
        return True
    start, end, _step = now.window
    dated_into_window = or_(
        and_(Ticket.received_at >= start, Ticket.received_at < end),
        and_(Ticket.dispatched_at >= start, Ticket.dispatched_at < end),
    )
    newer = select(func.count()).where(Ticket.id > before.newest_ticket, dated_into_window)
    return not session.execute(newer).scalar_one()


def _read_demand(
    session: Any, policy: Any, first: date, last: date, start: datetime, end: datetime, step: int
) -> CentreDemand:
    arrivals: dict[str, dict[datetime, int]] = {name: {} for name in policy.demand.channels}
    # Weeks of a large centre are hundreds of thousands of tickets: the database counts
    # them per few minutes, and only those counts cross over.
    dialect = session.get_bind().dialect.name
    received = _counted(session, Ticket.channel, Ticket.received_at, start, end, step, dialect)
    for channel, moment, count in received:
        if channel in arrivals:
            arrivals[channel][moment] = count
    if "back_office" in arrivals:
        dispatched = _counted(session, None, Ticket.dispatched_at, start, end, step, dialect)
        work = arrivals["back_office"]
        for _channel, moment, count in dispatched:
            work[moment] = work.get(moment, 0) + count
    parts = [
        channel_needs(expected_load(counts, first, last, policy), name, policy) for name, counts in arrivals.items()
    ]
    slots = add_needs(parts)
    contacts = sum(sum(counts.values()) for counts in arrivals.values())
    return CentreDemand(first, last, contacts, shift_needs(slots, policy), slots)


def _counted(
    session: Any, channel: Any, moment: Any, start: datetime, end: datetime, step: int, dialect: str
) -> list[tuple[str | None, datetime, int]]:
    """(channel, UTC moment rounded down to ``step`` minutes, how many) of the tickets whose
    ``moment`` falls from ``start`` to before ``end``; channel None when not asked for."""
    if dialect == "sqlite":
        # Stored as naive UTC text, 'YYYY-MM-DD HH:MM:SS.ffffff'.
        hour = func.substr(moment, 1, 13)
        minute = cast(func.substr(moment, 15, 2), Integer)
    else:
        utc = func.timezone("UTC", moment)
        hour = func.to_char(utc, "YYYY-MM-DD HH24")
        minute = cast(func.extract("minute", utc), Integer)
    bucket = minute // step
    columns = [hour, bucket, func.count()]
    keys = [hour, bucket]
    if channel is not None:
        columns.insert(0, channel)
        keys.insert(0, channel)
    statement = select(*columns).where(moment >= start, moment < end).group_by(*keys)
    counted = []
    hours: dict[str, datetime] = {}
    for row in session.execute(statement):
        which = str(getattr(row[0], "value", row[0])) if channel is not None else None
        at_hour, part, count = row[-3:]
        if (hour_start := hours.get(at_hour)) is None:
            hour_start = hours[at_hour] = datetime.fromisoformat(f"{at_hour}:00").replace(tzinfo=UTC)
        counted.append((which, hour_start + timedelta(minutes=int(part) * step), int(count)))
    return counted


@dataclass(frozen=True)
class SquadDemand:
    squad_id: int
    share: float  # the squad's part of the centre's rostered people
    centre: CentreDemand

    def needed(self, day: date, kind: ShiftKind) -> int:
        """Agents this squad is asked for on that shift: its share of the centre's need."""
        return math.ceil(self.centre.needed(day, kind) * self.share)


def rostered_headcount(session, squad_id: int | None = None) -> int:
    statement = select(func.count()).where(Staff.role.in_(ROSTERED_ROLES), Staff.status.in_(WORKING))
    if squad_id is not None:
        statement = statement.where(Staff.squad_id == squad_id)
    return int(session.execute(statement).scalar_one())


def squad_demand(
    desk: Desk, actor: Actor, squad_id: int, now: datetime | None = None, centre: CentreDemand | None = None
) -> SquadDemand:
    """The squad's part of the centre's demand, split by the people each squad has.

    ``centre``: the centre's demand already computed (planning every squad reads the history once).
    """
    require(actor, Action.CHANGE_ROSTER)
    check_squad_access(actor, squad_id, N_("see the demand"))
    with desk.read() as session:
        everyone = rostered_headcount(session)
        mine = rostered_headcount(session, squad_id)
    if not everyone:
        raise InvalidInput(_("no one is on the register to roster yet"), field="squad")
    return SquadDemand(squad_id, mine / everyone, centre or compute_demand(desk, now))


@dataclass(frozen=True)
class ShiftCoverage:
    day: date
    kind: ShiftKind
    needed: int
    planned: int  # on the plan as it stands, drafts included, people on leave left out


def month_coverage(
    desk: Desk, actor: Actor, squad_id: int, month: date, plan: MonthPlan | None = None
) -> tuple[ShiftCoverage, ...]:
    """Needed versus planned for each shift of the squad's month; ``plan``: that month's
    plan as the caller has just read it (the roster screen), not read again."""
    demand = squad_demand(desk, actor, squad_id)
    if plan is None or (plan.squad_id, plan.first) != (squad_id, month.replace(day=1)):
        plan = month_plan(desk, actor, squad_id, month)
    found = []
    day = plan.first
    while day <= plan.last:
        for kind in ShiftKind:
            found.append(ShiftCoverage(day, kind, demand.needed(day, kind), plan.planned(day, kind)))
        day += timedelta(days=1)
    return tuple(found)
