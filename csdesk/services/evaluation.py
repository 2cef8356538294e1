"""The monthly evaluation (AT-6) and the month's dismissal reviews (DS-2).

Every figure is summed by the database, one GROUP BY query per source
(roster and attendance, inspections, the ledger), so the cost grows with the
number of people, not with the months of history. The scores and the naming
of best and worst come from ``csdesk.rules.evaluation``.

Squad leaders see their own squad; directors the centre, every squad's best
and worst, and the dismissal reviews the fines rules raised that month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import NamedTuple

from sqlalchemy import Float, and_, case, cast, func, or_, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.models import Attendance, Inspection, LedgerEntry, RosterEntry, ShiftDefinition, Squad, Staff
from csdesk.policy import Policy
from csdesk.rules import evaluation as rules
from csdesk.rules.decision import Decision
from csdesk.rules.staff import Action, can
from csdesk.rules.vocab import AttendanceStatus, LedgerKind, Role, ShiftKind, StaffStatus
from csdesk.services.base import Actor, Desk, PermissionDenied, require
from csdesk.services.ledger import month_bounds
from csdesk.services.months import current_month, parse_month

DIRECTORS = frozenset({Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR})
# AT-6 ranks the people who take the calls.
EVALUATED_ROLES = (Role.AGENT, Role.DEPUTY_LEADER)
ABSENCES = (AttendanceStatus.ABSENT.value, AttendanceStatus.ABSENTEEISM.value)


# -- views ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonMonth:
    """One person's month, their parts (0-1) and score; ranks start at 1, ties share."""

    staff_id: int
    employee_number: str
    name: str
    squad_id: int | None
    squad: str
    shifts_due: int  # rostered, started, not on leave
    lates: int
    absences: int  # absent or absenteeism, and started shifts with nothing recorded
    leave: int
    minutes_worked: int
    minutes_rostered: int
    inspections: int
    quality: float | None  # None: not inspected this month (scored at the month's average)
    fines_cents: int
    rewards_cents: int
    attendance_part: float
    quality_part: float
    score: float
    rank: int  # among everyone shown
    squad_rank: int

    @property
    def label(self) -> str:
        return _("No. {number} {name}").format(number=self.employee_number, name=self.name)


@dataclass(frozen=True)
class SquadResult:
    squad_id: int | None
    name: str
    people: int
    average: float
    best: tuple[str, ...]  # labels
    worst: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class ReviewDue:
    """DS-2: a third (or later) offence of an escalating rule in the month."""

    staff_id: int
    employee_number: str
    name: str
    squad: str
    rule_id: str
    offences: int
    rule_ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class MonthEvaluation:
    month: str  # "2026-03"
    squad_id: int | None  # None: the whole centre
    people: tuple[PersonMonth, ...]  # best first
    best: tuple[PersonMonth, ...]
    worst: tuple[PersonMonth, ...]
    rule_ids: tuple[str, ...]
    reason: str
    squads: tuple[SquadResult, ...]
    # None when the actor may not see them (only directors may, DS-2).
    reviews: tuple[ReviewDue, ...] | None


# -- input ---------------------------------------------------------------------------------


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


# -- the queries ----------------------------------------------------------------------------


def _minutes_between(session: Session, start, end):
    """Minutes from ``start`` to ``end`` as the database computes them."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 1440.0
    return func.extract("epoch", end - start) / 60.0


class _Person(NamedTuple):
    staff_id: int
    employee_number: str
    name: str
    squad_id: int | None
    squad: str | None

    @property
    def label(self) -> str:
        return _("No. {number} {name}").format(number=self.employee_number, name=self.name)


@dataclass
class _Shifts:
    """One person's shifts of the month, added up over the shift kinds."""

    due: int = 0
    lates: int = 0
    absences: int = 0
    leave: int = 0
    minutes_worked: int = 0
    minutes_rostered: int = 0


def _people(session: Session, squad_id: int | None) -> list[_Person]:
    query = (
        select(Staff.id, Staff.employee_number, Staff.real_name, Staff.squad_id, Squad.name)
        .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
        .where(
            col(Staff.role).in_([r.value for r in EVALUATED_ROLES]),
            Staff.status != StaffStatus.LEFT.value,
            col(Staff.squad_id).is_not(None),
        )
        .order_by(Squad.name, Staff.employee_number)
    )
    if squad_id is not None:
        query = query.where(Staff.squad_id == squad_id)
    return [_Person(*row) for row in session.exec(query).all()]


def _shift_totals(rows, lengths: dict[ShiftKind, int]) -> dict[int, _Shifts]:
    totals: dict[int, _Shifts] = defaultdict(_Shifts)
    for staff_id, kind, rostered, leave, lates, absences, minutes in rows:
        t, leave = totals[staff_id], int(leave or 0)
        due = int(rostered) - leave
        t.due += due
        t.lates += int(lates or 0)
        t.absences += int(absences or 0)
        t.leave += leave
        t.minutes_worked += round(float(minutes or 0))
        t.minutes_rostered += due * lengths[ShiftKind(kind)]
    return totals


def _attendance(session: Session, ids: list[int], first: date, following: date, today: date):
    """Per person and shift kind: shifts, leave, lates, absences and minutes worked (AT-2, AT-7)."""
    status = Attendance.status
    recorded = col(Attendance.id).is_not(None)
    worked = case(
        (
            and_(col(Attendance.clock_in).is_not(None), col(Attendance.clock_out).is_not(None)),
            _minutes_between(session, Attendance.clock_in, Attendance.clock_out),
        ),
        else_=0,
    )
    query = (
        select(
            RosterEntry.staff_id,
            ShiftDefinition.kind,
            func.count(RosterEntry.id),
            func.sum(case((status == AttendanceStatus.LEAVE.value, 1), else_=0)),
            func.sum(case((status == AttendanceStatus.LATE.value, 1), else_=0)),
            # AT-7: a past shift with nothing recorded is an absence too.
            func.sum(case((col(status).in_(ABSENCES), 1), (~recorded, 1), else_=0)),
            func.coalesce(func.sum(worked), 0),
        )
        .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
        .outerjoin(Attendance, col(Attendance.roster_id) == RosterEntry.id)
        .where(
            col(RosterEntry.staff_id).in_(ids),
            RosterEntry.work_date >= first,
            RosterEntry.work_date < following,
            RosterEntry.work_date <= today,
            # Today's shifts count once someone recorded them.
            or_(RosterEntry.work_date < today, recorded),
        )
        .group_by(RosterEntry.staff_id, ShiftDefinition.kind)
    )
    return session.exec(query).all()


def _quality(session: Session, ids: list[int], start: datetime, end: datetime) -> dict[int, tuple[float, int]]:
    """QA-2: per agent, the points of every criterion of the month's inspections, and their number."""
    if session.get_bind().dialect.name == "sqlite":
        each = func.json_each(Inspection.scores).table_valued("value")
        points = cast(each.c.value, Float)
    else:
        each = func.json_each_text(Inspection.scores).table_valued("key", "value")
        points = cast(each.c.value, Float)
    query = (
        select(Inspection.agent_id, func.coalesce(func.sum(points), 0), func.count(func.distinct(Inspection.id)))
        .select_from(Inspection)
        .join(each, true())
        .where(col(Inspection.agent_id).in_(ids), Inspection.at >= start, Inspection.at < end)
        .group_by(Inspection.agent_id)
    )
    return {agent: (float(total), int(count)) for agent, total, count in session.exec(query).all()}


def _standing():
    """FN-8: a reversed entry was a mistake and counts for nothing."""
    reversal = aliased(LedgerEntry)
    return ~select(reversal.id).where(reversal.reverses_id == LedgerEntry.id).exists()


def _money(session: Session, ids: list[int], start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    query = (
        select(LedgerEntry.staff_id, LedgerEntry.kind, func.sum(LedgerEntry.amount_cents))
        .where(
            col(LedgerEntry.staff_id).in_(ids),
            col(LedgerEntry.kind).in_([LedgerKind.FINE.value, LedgerKind.REWARD.value]),
            LedgerEntry.at >= start,
            LedgerEntry.at < end,
            _standing(),
        )
        .group_by(LedgerEntry.staff_id, LedgerEntry.kind)
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for staff_id, kind, cents in session.exec(query).all():
        found[int(staff_id)][str(kind)] = abs(int(cents))
    return found


def _offence_counts(
    session: Session, policy: Policy, start: datetime, end: datetime, squad_id: int | None
) -> list[tuple[int, str, int]]:
    """FN-10: standing fines per person and escalating rule in the month."""
    thresholds = rules.escalating_thresholds(policy)
    query = (
        select(LedgerEntry.staff_id, LedgerEntry.rule_id, func.count(LedgerEntry.id))
        .join(Staff, col(Staff.id) == LedgerEntry.staff_id)
        .where(
            LedgerEntry.kind == LedgerKind.FINE.value,
            col(LedgerEntry.rule_id).in_(list(thresholds)),
            LedgerEntry.at >= start,
            LedgerEntry.at < end,
            _standing(),
        )
        .group_by(LedgerEntry.staff_id, LedgerEntry.rule_id)
        .having(func.count(LedgerEntry.id) >= min(thresholds.values()))
    )
    if squad_id is not None:
        query = query.where(Staff.squad_id == squad_id)
    return [(int(s), str(r), int(n)) for s, r, n in session.exec(query).all()]


# -- the use case -----------------------------------------------------------------------------


def monthly_evaluation(
    desk: Desk, actor: Actor, month: str | None = None, squad_id: int | None = None
) -> MonthEvaluation:
    """AT-6, DS-2: the month's ranking, best and worst; reviews for directors.

    Squad leaders get their own squad (asking for another is refused);
    directors the centre, or one squad when ``squad_id`` is given.
    """
    require(actor, Action.SEE_EVALUATION)
    first = parse_month(month or current_month(desk))
    if actor.role not in DIRECTORS:
        if squad_id is not None and squad_id != actor.squad_id:
            raise PermissionDenied(
                _("a squad leader sees the evaluation of their own squad only"),
                field="squad_id",
                rule_ids=("ST-2", "AT-6"),
            )
        if actor.squad_id is None:
            raise PermissionDenied(_("you lead no squad to evaluate"), rule_ids=("AT-6",))
        squad_id = actor.squad_id
    policy, zone = desk.policy, desk.policy.zone
    following = _next_month(first)
    today = desk.now().astimezone(zone).date()
    start, end = month_bounds(datetime.combine(first, time(12), tzinfo=zone), zone)
    lengths = {kind: int(policy.shifts.of(kind).length.total_seconds() // 60) for kind in ShiftKind}
    sees_reviews = can(actor.role, Action.SEE_DISMISSAL_REVIEWS).ok

    with desk.read() as session:
        people = _people(session, squad_id)
        ids = [p.staff_id for p in people]
        shifts = _shift_totals(_attendance(session, ids, first, following, today) if ids else [], lengths)
        quality = _quality(session, ids, start, end) if ids else {}
        money = _money(session, ids, start, end) if ids else {}
        counts = _offence_counts(session, policy, start, end, squad_id) if sees_reviews else []
        offenders = {row.staff_id: row for row in _named(session, {c[0] for c in counts})}

    raw_quality = [rules.quality_share(*quality.get(p.staff_id, (0.0, 0)), policy.qa.total_max) for p in people]
    quality_parts = rules.fill_missing_quality(raw_quality)
    attendance_parts = [
        rules.attendance_share(t.due, t.lates, t.absences, t.minutes_worked, t.minutes_rostered, policy)
        for t in (shifts[p.staff_id] for p in people)
    ]
    result = rules.monthly_evaluation(
        [
            rules.MonthFigures(
                p.staff_id,
                attendance_parts[i],
                quality_parts[i],
                money[p.staff_id].get(LedgerKind.FINE.value, 0),
                money[p.staff_id].get(LedgerKind.REWARD.value, 0),
            )
            for i, p in enumerate(people)
        ],
        policy,
    )
    index = {p.staff_id: i for i, p in enumerate(people)}
    squads, squad_ranks = _squads(result, people, index, policy)

    def view(ranked: rules.Ranked) -> PersonMonth:
        i = index[int(ranked.person_id)]
        p, t = people[i], shifts[people[i].staff_id]
        cents = money[p.staff_id]
        return PersonMonth(
            staff_id=p.staff_id,
            employee_number=p.employee_number,
            name=p.name,
            squad_id=p.squad_id,
            squad=p.squad or "",
            shifts_due=t.due,
            lates=t.lates,
            absences=t.absences,
            leave=t.leave,
            minutes_worked=t.minutes_worked,
            minutes_rostered=t.minutes_rostered,
            inspections=quality.get(p.staff_id, (0.0, 0))[1],
            quality=raw_quality[i],
            fines_cents=cents.get(LedgerKind.FINE.value, 0),
            rewards_cents=cents.get(LedgerKind.REWARD.value, 0),
            attendance_part=attendance_parts[i],
            quality_part=quality_parts[i],
            score=ranked.score,
            rank=ranked.rank,
            squad_rank=squad_ranks[p.staff_id],
        )

    views = {int(r.person_id): view(r) for r in result.ranking}
    reviews = None
    if sees_reviews:
        due = rules.reviews_due((rules.OffenceCount(*c) for c in counts), policy)
        reviews = tuple(
            sorted(
                (_review(offenders[int(count.person_id)], count, decision) for count, decision in due),
                key=lambda r: (r.employee_number, r.rule_id),
            )
        )
    return MonthEvaluation(
        month=f"{first:%Y-%m}",
        squad_id=squad_id,
        people=tuple(views[int(r.person_id)] for r in result.ranking),
        best=tuple(views[int(r.person_id)] for r in result.best),
        worst=tuple(views[int(r.person_id)] for r in result.worst),
        rule_ids=result.decision.rule_ids,
        reason=(
            rules.naming_reason(
                (views[int(r.person_id)].label for r in result.best),
                (views[int(r.person_id)].label for r in result.worst),
            )
            if result.best
            else result.decision.reason
        ),
        squads=squads,
        reviews=reviews,
    )


def _review(who: _Person, count: rules.OffenceCount, decision: Decision) -> ReviewDue:
    return ReviewDue(
        who.staff_id,
        who.employee_number,
        who.name,
        who.squad or "",
        count.rule_id,
        count.offences,
        decision.rule_ids,
        decision.reason,
    )


def _named(session: Session, ids: set[int]) -> list[_Person]:
    if not ids:
        return []
    return [
        _Person(*row)
        for row in session.exec(
            select(Staff.id, Staff.employee_number, Staff.real_name, Staff.squad_id, Squad.name)
            .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
            .where(col(Staff.id).in_(ids))
        ).all()
    ]


def _squads(
    result: rules.Evaluation, people: list[_Person], index: dict[int, int], policy: Policy
) -> tuple[tuple[SquadResult, ...], dict[int, int]]:
    """AT-6 per squad, on the centre's scores: each squad's best and worst, and everyone's place in it."""
    members: dict[int | None, list[rules.Ranked]] = defaultdict(list)
    for ranked in result.ranking:
        members[people[index[int(ranked.person_id)]].squad_id].append(ranked)
    places: dict[int, int] = {}
    results = []
    for squad_id, in_squad in members.items():
        squad = rules.rank_scores([(r.person_id, r.score) for r in in_squad], policy)
        places.update({int(r.person_id): r.rank for r in squad.ranking})

        def labels(chosen: tuple[rules.Ranked, ...]) -> tuple[str, ...]:
            return tuple(people[index[int(r.person_id)]].label for r in chosen)

        results.append(
            SquadResult(
                squad_id,
                people[index[int(in_squad[0].person_id)]].squad or "",
                len(in_squad),
                round(sum(r.score for r in in_squad) / len(in_squad), 4),
                labels(squad.best),
                labels(squad.worst),
                squad.decision.reason,
            )
        )
    return tuple(sorted(results, key=lambda s: s.name)), places


__all__ = [
    "MonthEvaluation",
    "PersonMonth",
    "ReviewDue",
    "SquadResult",
    "current_month",
    "monthly_evaluation",
    "parse_month",
]
