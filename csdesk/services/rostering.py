"""Planning a squad's month in the desk: edit days as a draft, check every rule, publish (SC-1..SC-3, SW, LV-9).

The published roster (``roster``) is what roll call, swaps and leave read. A
leader's edits go to ``roster_drafts`` first, one row per person and day, and
the month they see is the published roster with the drafts laid over it.
Publishing checks the hard rules for every person, writes the drafts into the
roster in one transaction, audits it and tells each person whose published
days changed.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from csdesk.i18n import N_, _
from csdesk.models import (
    LeaveRequest,
    Notification,
    NotificationKind,
    RequestStatus,
    RosterDraft,
    RosterEntry,
    ShiftDefinition,
    Squad,
    Staff,
    SwapRequest,
)
from csdesk.policy import Policy
from csdesk.rules.decision import Decision, Outcome
from csdesk.rules.rostering import PersonPlan, Problem, check_day, plan_problems
from csdesk.rules.staff import Action
from csdesk.rules.vocab import Role, ShiftKind, StaffStatus
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, ServiceError, audit, require
from csdesk.services.roster import DIRECTORS, check_squad_access, ensure_shift_definitions

# Squad members who work shifts (the squad leader runs roll call on one too).
SHIFT_ROLES = (Role.AGENT, Role.DEPUTY_LEADER, Role.SQUAD_LEADER)
WORKING = (StaffStatus.FORMAL, StaffStatus.INTERN)
# Days read either side of a month, so a run of days over its edge is seen whole (SC-2).
MARGIN = timedelta(days=7)


def month_span(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass(frozen=True)
class Person:
    staff_id: int
    employee_number: str
    name: str
    role: Role
    intern: bool


@dataclass(frozen=True)
class Cell:
    shift: ShiftKind | None
    holiday_duty: bool = False
    draft: bool = False  # differs from the published roster
    leave: bool = False
    swapped: bool = False


@dataclass(frozen=True)
class MonthPlan:
    squad_id: int
    squad_name: str
    first: date
    last: date
    people: tuple[Person, ...]
    cells: dict[tuple[int, date], Cell]
    holidays: frozenset[date]
    drafts: int  # days changed and not published yet

    def cell(self, staff_id: int, day: date) -> Cell:
        return self.cells.get((staff_id, day), Cell(None))

    def planned(self, day: date, kind: ShiftKind) -> int:
        """People on that shift who are not on leave."""
        return sum(1 for p in self.people if (c := self.cell(p.staff_id, day)).shift is kind and not c.leave)


# -- reading -------------------------------------------------------------------------


def squad_people(session: Session, squad_id: int) -> list[Person]:
    rows = session.execute(
        select(Staff.id, Staff.employee_number, Staff.real_name, Staff.role, Staff.status)
        .where(Staff.squad_id == squad_id, Staff.role.in_(SHIFT_ROLES), Staff.status.in_(WORKING))
        .order_by(Staff.employee_number)
    )
    return [Person(r[0], r[1], r[2], Role(r[3]), StaffStatus(r[4]) is StaffStatus.INTERN) for r in rows]


@dataclass
class _Facts:
    published: dict[tuple[int, date], tuple[ShiftKind, bool]]
    drafts: dict[tuple[int, date], tuple[ShiftKind | None, bool]]
    leave: dict[int, set[date]]
    swapped: dict[int, set[date]]


def _local_days(start: datetime, end: datetime, policy: Policy) -> list[date]:
    first = start.astimezone(policy.zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(policy.zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def load_facts(session: Session, staff_ids: list[int], first: date, last: date, policy: Policy) -> _Facts:
    published: dict[tuple[int, date], tuple[ShiftKind, bool]] = {}
    rows = session.execute(
        select(RosterEntry.staff_id, RosterEntry.work_date, ShiftDefinition.kind, RosterEntry.holiday_duty)
        .join(ShiftDefinition, ShiftDefinition.id == RosterEntry.shift_id)
        .where(RosterEntry.staff_id.in_(staff_ids), RosterEntry.work_date.between(first, last))
        .order_by(ShiftDefinition.start_time)
    )
    for staff_id, day, kind, duty in rows:
        published.setdefault((staff_id, day), (ShiftKind(kind), bool(duty)))
    drafts = {
        (r.staff_id, r.work_date): (ShiftKind(r.shift) if r.shift else None, bool(r.holiday_duty))
        for r in session.execute(
            select(RosterDraft).where(RosterDraft.staff_id.in_(staff_ids), RosterDraft.work_date.between(first, last))
        ).scalars()
    }
    zone = policy.zone
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    leave: dict[int, set[date]] = defaultdict(set)
    for staff_id, starts, ends in session.execute(
        select(LeaveRequest.requester_id, LeaveRequest.starts_at, LeaveRequest.ends_at).where(
            LeaveRequest.requester_id.in_(staff_ids),
            LeaveRequest.status == RequestStatus.APPROVED,
            LeaveRequest.starts_at < end,
            LeaveRequest.ends_at > start,
        )
    ):
        leave[staff_id].update(_local_days(starts, ends, policy))
    swapped: dict[int, set[date]] = defaultdict(set)
    mine = select(SwapRequest.requester_roster_id).where(SwapRequest.status == RequestStatus.APPROVED)
    theirs = select(SwapRequest.partner_roster_id).where(SwapRequest.status == RequestStatus.APPROVED)
    for staff_id, day in session.execute(
        select(RosterEntry.staff_id, RosterEntry.work_date).where(
            RosterEntry.staff_id.in_(staff_ids),
            RosterEntry.work_date.between(first, last),
            RosterEntry.id.in_(mine.union(theirs)),
        )
    ):
        swapped[staff_id].add(day)
    return _Facts(published, drafts, leave, swapped)


def person_plan(person: Person, facts: _Facts, first: date, last: date) -> tuple[PersonPlan, dict[date, Cell]]:
    shifts: dict[date, ShiftKind] = {}
    duty: set[date] = set()
    cells: dict[date, Cell] = {}
    leave = facts.leave.get(person.staff_id, set())
    swapped = facts.swapped.get(person.staff_id, set())
    day = first
    while day <= last:
        key = (person.staff_id, day)
        published = facts.published.get(key)
        shift, on_duty = published if published else (None, False)
        draft = key in facts.drafts and facts.drafts[key] != (shift, on_duty)
        if key in facts.drafts:
            shift, on_duty = facts.drafts[key]
        if shift is not None:
            shifts[day] = shift
        if on_duty:
            duty.add(day)
        cells[day] = Cell(shift, on_duty, draft, day in leave, day in swapped)
        day += timedelta(days=1)
    plan = PersonPlan(
        _("No. {number}").format(number=person.employee_number),
        shifts,
        frozenset(duty),
        frozenset(leave),
        frozenset(swapped),
    )
    return plan, cells


def _squad(session: Session, squad_id: int) -> Squad:
    squad = session.get(Squad, squad_id)
    if squad is None:
        raise NotFound(_("there is no squad #{id}").format(id=squad_id))
    return squad


def may_plan(actor: Actor, squad_id: int) -> None:
    require(actor, Action.CHANGE_ROSTER)
    check_squad_access(actor, squad_id, N_("plan the roster"))


def plannable_squads(desk: Desk, actor: Actor) -> tuple[tuple[int, str], ...]:
    """The squads the actor plans: their own, or every squad for a director."""
    require(actor, Action.CHANGE_ROSTER)
    with desk.read() as session:
        statement = select(Squad.id, Squad.name).order_by(Squad.name)
        if actor.role not in DIRECTORS:
            statement = statement.where(Squad.id == actor.squad_id)
        return tuple((r[0], r[1]) for r in session.execute(statement))


def month_plan(desk: Desk, actor: Actor, squad_id: int, month: date) -> MonthPlan:
    """The squad's month as it will be published: the roster with the drafts laid over it."""
    may_plan(actor, squad_id)
    first, last = month_span(month)
    with desk.read() as session:
        return _month(session, desk.policy, squad_id, first, last)


def _month(session: Session, policy: Policy, squad_id: int, first: date, last: date) -> MonthPlan:
    squad = _squad(session, squad_id)
    people = squad_people(session, squad_id)
    facts = load_facts(session, [p.staff_id for p in people], first, last, policy)
    cells: dict[tuple[int, date], Cell] = {}
    drafts = 0
    for person in people:
        _plan, own = person_plan(person, facts, first, last)
        for day, cell in own.items():
            if cell.shift is not None or cell.leave or cell.draft:
                cells[(person.staff_id, day)] = cell
            drafts += cell.draft
    holidays = frozenset(
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if policy.holidays.is_holiday(first + timedelta(days=n))
    )
    return MonthPlan(squad_id, squad.name, first, last, tuple(people), cells, holidays, drafts)


# -- checking and editing one day -----------------------------------------------------------


@dataclass(frozen=True)
class DayCheck:
    staff_id: int
    day: date
    cell: Cell
    decisions: tuple[Decision, ...]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for d in self.decisions for i in d.rule_ids))

    @property
    def worst(self) -> Decision:
        return self.decisions[0]


def _member(session: Session, actor: Actor, staff_id: int) -> Person:
    """The person to plan, once the actor is known to plan their squad."""
    row = session.execute(
        select(Staff.id, Staff.employee_number, Staff.real_name, Staff.role, Staff.status, Staff.squad_id).where(
            Staff.id == staff_id
        )
    ).first()
    if row is None or row[5] is None:
        raise NotFound(_("there is no one to roster with id {id}").format(id=staff_id))
    may_plan(actor, int(row[5]))
    if StaffStatus(row[4]) not in WORKING:
        raise InvalidInput(_("employee {number} has left (ST-1)").format(number=row[1]), field="staff")
    return Person(row[0], row[1], row[2], Role(row[3]), StaffStatus(row[4]) is StaffStatus.INTERN)


def _check(session: Session, policy: Policy, person: Person, day: date) -> DayCheck:
    facts = load_facts(session, [person.staff_id], day - MARGIN, day + MARGIN, policy)
    plan, cells = person_plan(person, facts, day - MARGIN, day + MARGIN)
    return DayCheck(person.staff_id, day, cells[day], tuple(check_day(plan, day, policy)))


def check_plan_day(desk: Desk, actor: Actor, staff_id: int, day: date) -> DayCheck:
    """Every rule the person's plan of `day` touches, with the reason for each."""
    require(actor, Action.CHANGE_ROSTER)
    with desk.read() as session:
        person = _member(session, actor, staff_id)
        return _check(session, desk.policy, person, day)


def _put(session: Session, actor: Actor, staff_id: int, day: date, shift: ShiftKind | None, duty: bool, now) -> None:
    row = session.execute(
        select(RosterDraft).where(RosterDraft.staff_id == staff_id, RosterDraft.work_date == day)
    ).scalar_one_or_none()
    if row is None:
        row = RosterDraft(staff_id=staff_id, work_date=day, changed_by_id=actor.staff_id, changed_at=now)
    row.shift, row.holiday_duty = shift, duty
    row.changed_by_id, row.changed_at = actor.staff_id, now
    session.add(row)
    session.flush()


def plan_day(
    desk: Desk, actor: Actor, staff_id: int, day: date, shift: ShiftKind | None, holiday_duty: bool = False
) -> DayCheck:
    """Puts a day of someone's plan in the draft: a shift, a rest day (None), holiday duty.

    Refused, changing nothing, when a rule forbids the day outright (approved
    leave, LV-9 holiday duty); six-on-one-off (SC-2) and rest between shifts
    (SW-3) are flagged and must be mended before publishing.
    """
    if holiday_duty and shift is None:
        raise InvalidInput(_("holiday duty needs a shift that day"), field="holiday_duty", rule_ids=("LV-9",))
    require(actor, Action.CHANGE_ROSTER)
    with desk.write() as session:
        person = _member(session, actor, staff_id)
        _put(session, actor, staff_id, day, shift, holiday_duty, desk.now())
        result = _check(session, desk.policy, person, day)
        refused = [d for d in result.decisions if d.outcome is Outcome.REFUSED]
        if refused:
            raise ServiceError(refused[0].reason, field="day", rule_ids=refused[0].rule_ids)
        audit(
            session,
            actor,
            "roster.draft",
            "staff",
            staff_id,
            after={"day": day, "shift": shift, "holiday_duty": holiday_duty},
        )
        return result


def copy_week(desk: Desk, actor: Actor, squad_id: int, source_monday: date, target_monday: date) -> int:
    """Copies every person's week onto another week of the draft; returns the days changed.

    Days someone is on leave in the target week keep no shift; holiday duty is
    not copied (it belongs to the holiday it was set for, LV-9).
    """
    if source_monday.weekday() != 0 or target_monday.weekday() != 0:
        raise InvalidInput(_("a week is copied from a Monday to a Monday"), field="week")
    if source_monday == target_monday:
        raise InvalidInput(_("pick another week to copy onto"), field="week")
    may_plan(actor, squad_id)
    changed = 0
    with desk.write() as session:
        people = squad_people(session, squad_id)
        ids = [p.staff_id for p in people]
        low, high = min(source_monday, target_monday), max(source_monday, target_monday) + timedelta(days=6)
        facts = load_facts(session, ids, low, high, desk.policy)
        now = desk.now()
        for person in people:
            _plan, source = person_plan(person, facts, source_monday, source_monday + timedelta(days=6))
            _plan, target = person_plan(person, facts, target_monday, target_monday + timedelta(days=6))
            for offset in range(7):
                day = target_monday + timedelta(days=offset)
                shift = source[source_monday + timedelta(days=offset)].shift
                if target[day].leave:
                    shift = None
                if target[day].shift is shift and not target[day].holiday_duty:
                    continue
                _put(session, actor, person.staff_id, day, shift, False, now)
                changed += 1
        audit(
            session,
            actor,
            "roster.copy_week",
            "squad",
            squad_id,
            after={"from": source_monday, "to": target_monday, "days": changed},
        )
    return changed


def copy_week_onto(
    desk: Desk,
    actor: Actor,
    squad_id: int,
    month: date,
    source_day: date,
    target: str,
    now: datetime | None = None,
) -> tuple[date, int]:
    """Copies the week holding ``source_day`` onto the week holding the day typed in ``target``.

    The target may be any day of its week (YYYY-MM-DD). Refused, changing nothing,
    when it is no date, lies outside the month being planned, or holds a day gone
    by (what was worked is kept). Returns the target's Monday and the days changed.
    """
    text = target.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            _("{text!r} is not a date; type a day of the week to copy onto, e.g. 2026-03-16").format(text=text),
            field="week",
        ) from None
    first, last = month_span(month)
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    if sunday < first or monday > last:
        raise InvalidInput(
            _("the week of {monday:%Y-%m-%d} is outside {first:%Y-%m}; pick a week of the month being planned").format(
                monday=monday, first=first
            ),
            field="week",
        )
    today = (now or desk.now()).astimezone(desk.policy.zone).date()
    if monday < today:
        raise InvalidInput(
            _("the week of {monday:%Y-%m-%d} has days gone by, which keep what was worked; pick a later week").format(
                monday=monday
            ),
            field="week",
        )
    source = source_day - timedelta(days=source_day.weekday())
    return monday, copy_week(desk, actor, squad_id, source, monday)


def discard_drafts(desk: Desk, actor: Actor, squad_id: int, month: date) -> int:
    """Drops the squad's unpublished changes of the month; returns how many days went back."""
    may_plan(actor, squad_id)
    first, last = month_span(month)
    with desk.write() as session:
        ids = [p.staff_id for p in squad_people(session, squad_id)]
        result = session.execute(
            delete(RosterDraft).where(RosterDraft.staff_id.in_(ids), RosterDraft.work_date.between(first, last))
        )
        count = int(getattr(result, "rowcount", 0) or 0)
        audit(session, actor, "roster.discard", "squad", squad_id, after={"month": first, "days": count})
    return count


# -- publishing ------------------------------------------------------------------------------


class PlanRefused(ServiceError):
    """The plan breaks a hard rule; ``problems`` lists each one."""

    def __init__(self, problems: list[tuple[Person, Problem]]) -> None:
        self.problems = problems
        person, first = problems[0]
        message = _("{name}, {day:%Y-%m-%d}: {reason}").format(
            name=person.name, day=first.day, reason=first.decision.reason
        )
        if len(problems) > 1:
            message = _("{message} (and {n} more)").format(message=message, n=len(problems) - 1)
        super().__init__(message, field="plan", rule_ids=first.decision.rule_ids)


@dataclass(frozen=True)
class Published:
    days: int  # days of the roster written
    told: int  # people told their published days changed


def squad_problems(
    session: Session, policy: Policy, squad_id: int, first: date, last: date
) -> list[tuple[Person, Problem]]:
    people = squad_people(session, squad_id)
    facts = load_facts(session, [p.staff_id for p in people], first - MARGIN, last + MARGIN, policy)
    found: list[tuple[Person, Problem]] = []
    for person in people:
        plan, _cells = person_plan(person, facts, first - MARGIN, last + MARGIN)
        found.extend((person, p) for p in plan_problems(plan, first, last, policy))
    return found


def publish_month(desk: Desk, actor: Actor, squad_id: int, month: date) -> Published:
    """SC-2: the draft becomes the roster once no hard rule is broken; the people changed are told."""
    may_plan(actor, squad_id)
    first, last = month_span(month)
    now = desk.now()
    with desk.write() as session:
        problems = squad_problems(session, desk.policy, squad_id, first, last)
        if problems:
            raise PlanRefused(problems)
        people = squad_people(session, squad_id)
        ids = [p.staff_id for p in people]
        shifts = ensure_shift_definitions(session, desk.policy)
        drafts = list(
            session.execute(
                select(RosterDraft).where(RosterDraft.staff_id.in_(ids), RosterDraft.work_date.between(first, last))
            ).scalars()
        )
        facts = load_facts(session, ids, first, last, desk.policy)
        # Only people who already had a published roster this month are told of a change.
        had_roster = {staff_id for staff_id, _day in facts.published}
        changed_people: set[int] = set()
        written = 0
        for row in drafts:
            key = (row.staff_id, row.work_date)
            now_shift = ShiftKind(row.shift) if row.shift else None
            if facts.published.get(key, (None, False)) == (now_shift, bool(row.holiday_duty)):
                continue
            session.execute(
                delete(RosterEntry).where(RosterEntry.staff_id == row.staff_id, RosterEntry.work_date == row.work_date)
            )
            if now_shift is not None:
                session.execute(
                    insert(RosterEntry),
                    [
                        {
                            "staff_id": row.staff_id,
                            "work_date": row.work_date,
                            "shift_id": shifts[now_shift.value],
                            "holiday_duty": bool(row.holiday_duty),
                        }
                    ],
                )
            written += 1
            if row.staff_id in had_roster:
                changed_people.add(row.staff_id)
        session.execute(delete(RosterDraft).where(RosterDraft.id.in_([r.id for r in drafts])))
        session.add_all(
            Notification(
                recipient_id=staff_id,
                kind=NotificationKind.ROSTER_CHANGED,
                sender_id=actor.staff_id,
                created_at=now,
            )
            for staff_id in sorted(changed_people)
            if staff_id != actor.staff_id
        )
        told = len(changed_people - {actor.staff_id})
        audit(
            session,
            actor,
            "roster.publish",
            "squad",
            squad_id,
            after={"month": first, "days": written, "told": told},
        )
    return Published(written, told)


# -- the published roster as rows ---------------------------------------------------------------


def published_rows(
    desk: Desk, actor: Actor, month: date, squad_id: int | None = None
) -> list[tuple[str, date, str, bool]]:
    """(employee number, day, shift, holiday duty) of the published month, in the order a person reads it.

    A squad leader gets their own squad; a director every squad, or the one named.
    """
    require(actor, Action.CHANGE_ROSTER)
    if squad_id is None and actor.role not in DIRECTORS:
        squad_id = actor.squad_id
    if squad_id is not None:
        may_plan(actor, squad_id)
    first, last = month_span(month)
    statement = (
        select(Staff.employee_number, RosterEntry.work_date, ShiftDefinition.code, RosterEntry.holiday_duty)
        .join(Staff, Staff.id == RosterEntry.staff_id)
        .join(ShiftDefinition, ShiftDefinition.id == RosterEntry.shift_id)
        .where(RosterEntry.work_date.between(first, last))
        .order_by(Staff.employee_number, RosterEntry.work_date, ShiftDefinition.start_time)
    )
    if squad_id is not None:
        statement = statement.where(Staff.squad_id == squad_id)
    with desk.read() as session:
        return [(r[0], r[1], str(r[2]), bool(r[3])) for r in session.execute(statement)]
