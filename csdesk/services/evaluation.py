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

from sqlalchemy import Float, and_, case, cast, func, or_, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from csdesk.models import Attendance, Inspection, LedgerEntry, RosterEntry, ShiftDefinition, Squad, Staff
from csdesk.policy import Policy
from csdesk.rules import evaluation as rules
from csdesk.rules.staff import Action, can
from csdesk.rules.vocab import AttendanceStatus, LedgerKind, Role, ShiftKind, StaffStatus
from csdesk.services.base import Actor, Desk, InvalidInput, PermissionDenied, require
from csdesk.services.ledger import month_bounds

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
        return f"No. {self.employee_number} {self.name}"


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


def parse_month(text: str) -> date:
    """``"2026-03"`` -> 2026-03-01."""
    raw = (text or "").strip()
    try:
        year, month = raw.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a month like 2026-03", field="month") from None


def current_month(desk: Desk) -> str:
    return f"{desk.now().astimezone(desk.policy.zone):%Y-%m}"


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


# -- the queries ----------------------------------------------------------------------------


def _minutes_between(session: Session, start, end):  # type: ignore[no-untyped-def]
    """Minutes from ``start`` to ``end`` as the database computes them."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 1440.0
    return func.extract("epoch", end - start) / 60.0


def _people(session: Session, squad_id: int | None) -> list[tuple[int, str, str, int | None, str]]:
    query = (
        select(Staff.id, Staff.employee_number, Staff.real_name, Staff.squad_id, Squad.name)
        .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
        .where(col(Staff.role).in_([r.value for r in EVALUATED_ROLES]),
               Staff.status != StaffStatus.LEFT.value, col(Staff.squad_id).is_not(None))
        .order_by(Squad.name, Staff.employee_number)
    )
    if squad_id is not None:
        query = query.where(Staff.squad_id == squad_id)
    return [tuple(row) for row in session.exec(query).all()]  # type: ignore[misc]


def _attendance(session: Session, ids: list[int], first: date, following: date, today: date):  # type: ignore[no-untyped-def]
    """Per person and shift kind: shifts, leave, lates, absences and minutes worked (AT-2, AT-7)."""
    status = Attendance.status
    recorded = col(Attendance.id).is_not(None)
    worked = case(
        (and_(col(Attendance.clock_in).is_not(None), col(Attendance.clock_out).is_not(None)),
         _minutes_between(session, Attendance.clock_in, Attendance.clock_out)),
        else_=0,
    )
    query = (
        select(
            RosterEntry.staff_id, ShiftDefinition.kind,
            func.count(RosterEntry.id),
            func.sum(case((status == AttendanceStatus.LEAVE.value, 1), else_=0)),
            func.sum(case((status == AttendanceStatus.LATE.value, 1), else_=0)),
            # AT-7: a past shift with nothing recorded is an absence too.
            func.sum(case((col(status).in_(ABSENCES), 1), (~recorded, 1), else_=0)),
            func.coalesce(func.sum(worked), 0),
        )
        .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
        .outerjoin(Attendance, col(Attendance.roster_id) == RosterEntry.id)
        .where(col(RosterEntry.staff_id).in_(ids), RosterEntry.work_date >= first,
               RosterEntry.work_date < following, RosterEntry.work_date <= today,
               # Today's shifts count once someone recorded them.
               or_(RosterEntry.work_date < today, recorded))
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
        select(Inspection.agent_id, func.coalesce(func.sum(points), 0),
               func.count(func.distinct(Inspection.id)))
        .select_from(Inspection)
        .join(each, true())
        .where(col(Inspection.agent_id).in_(ids), Inspection.at >= start, Inspection.at < end)
        .group_by(Inspection.agent_id)
    )
    return {agent: (float(total), int(count)) for agent, total, count in session.exec(query).all()}


def _standing():  # type: ignore[no-untyped-def]
    """FN-8: a reversed entry was a mistake and counts for nothing."""
    reversal = aliased(LedgerEntry)
    return ~select(reversal.id).where(reversal.reverses_id == LedgerEntry.id).exists()


def _money(session: Session, ids: list[int], start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    query = (
        select(LedgerEntry.staff_id, LedgerEntry.kind, func.sum(LedgerEntry.amount_cents))
        .where(col(LedgerEntry.staff_id).in_(ids),
               col(LedgerEntry.kind).in_([LedgerKind.FINE.value, LedgerKind.REWARD.value]),
               LedgerEntry.at >= start, LedgerEntry.at < end, _standing())
        .group_by(LedgerEntry.staff_id, LedgerEntry.kind)
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for staff_id, kind, cents in session.exec(query).all():
        found[staff_id][str(kind)] = abs(int(cents))
    return found


def _offence_counts(session: Session, policy: Policy, start: datetime, end: datetime,
                    squad_id: int | None) -> list[tuple[int, str, int]]:
    """FN-10: standing fines per person and escalating rule in the month."""
    thresholds = rules.escalating_thresholds(policy)
    query = (
        select(LedgerEntry.staff_id, LedgerEntry.rule_id, func.count(LedgerEntry.id))
        .join(Staff, col(Staff.id) == LedgerEntry.staff_id)
        .where(LedgerEntry.kind == LedgerKind.FINE.value, col(LedgerEntry.rule_id).in_(list(thresholds)),
               LedgerEntry.at >= start, LedgerEntry.at < end, _standing())
        .group_by(LedgerEntry.staff_id, LedgerEntry.rule_id)
        .having(func.count(LedgerEntry.id) >= min(thresholds.values()))
    )
    if squad_id is not None:
        query = query.where(Staff.squad_id == squad_id)
    return [(int(s), str(r), int(n)) for s, r, n in session.exec(query).all()]


def _points_per_inspection(policy: Policy) -> int:
    qa = policy.qa
    total = getattr(qa, "total_max", None)
    if total:
        return int(total)
    return int(getattr(qa, "score_max", 0)) * len(qa.criteria)


# -- the use case -----------------------------------------------------------------------------


def monthly_evaluation(desk: Desk, actor: Actor, month: str | None = None,
                       squad_id: int | None = None) -> MonthEvaluation:
    """AT-6, DS-2: the month's ranking, best and worst; reviews for directors.

    Squad leaders get their own squad (asking for another is refused);
    directors the centre, or one squad when ``squad_id`` is given.
    """
    require(actor, Action.SEE_EVALUATION)
    first = parse_month(month or current_month(desk))
    if actor.role not in DIRECTORS:
        if squad_id is not None and squad_id != actor.squad_id:
            raise PermissionDenied("a squad leader sees the evaluation of their own squad only",
                                   field="squad_id", rule_ids=("ST-2", "AT-6"))
        if actor.squad_id is None:
            raise PermissionDenied("you lead no squad to evaluate", rule_ids=("AT-6",))
        squad_id = actor.squad_id
    policy, zone = desk.policy, desk.policy.zone
    following = _next_month(first)
    today = desk.now().astimezone(zone).date()
    start, end = month_bounds(datetime.combine(first, time(12), tzinfo=zone), zone)
    lengths = {kind: int(policy.shifts.of(kind).length.total_seconds() // 60) for kind in ShiftKind}
    sees_reviews = can(actor.role, Action.SEE_DISMISSAL_REVIEWS).ok

    with desk.read() as session:
        people = _people(session, squad_id)
        ids = [p[0] for p in people]
        shifts = _attendance(session, ids, first, following, today) if ids else []
        quality = _quality(session, ids, start, end) if ids else {}
        money = _money(session, ids, start, end) if ids else {}
        counts = _offence_counts(session, policy, start, end, squad_id) if sees_reviews else []
        named = {}
        if counts:
            named = {row[0]: row[1:] for row in session.exec(
                select(Staff.id, Staff.employee_number, Staff.real_name, Squad.name)
                .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
                .where(col(Staff.id).in_({c[0] for c in counts}))
            ).all()}

    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for staff_id, kind, rostered, leave, lates, absences, minutes in shifts:
        t = totals[staff_id]
        leave, lates, absences = int(leave or 0), int(lates or 0), int(absences or 0)
        t[0] += int(rostered) - leave
        t[1] += lates
        t[2] += absences
        t[3] += leave
        t[4] += round(float(minutes or 0))
        t[5] += (int(rostered) - leave) * lengths[ShiftKind(kind)]

    per_inspection = _points_per_inspection(policy)
    raw_quality = [rules.quality_share(*quality.get(p[0], (0.0, 0)), per_inspection) for p in people]
    filled = rules.fill_missing_quality(raw_quality)
    attendance_parts = []
    figures = []
    for person, quality_part in zip(people, filled, strict=True):
        due, lates, absences, _leave, worked, rostered = totals[person[0]]
        part = rules.attendance_share(due, lates, absences, worked, rostered, policy)
        attendance_parts.append(part)
        cents = money.get(person[0], {})
        figures.append(rules.MonthFigures(person[0], part, quality_part, cents.get(LedgerKind.FINE.value, 0),
                                          cents.get(LedgerKind.REWARD.value, 0)))
    result = rules.monthly_evaluation(figures, policy)
    by_id = {p[0]: i for i, p in enumerate(people)}

    squad_ranks: dict[int, int] = {}
    squad_results = []
    by_squad: dict[int | None, list[rules.Ranked]] = defaultdict(list)
    for ranked in result.ranking:
        by_squad[people[by_id[ranked.person_id]][3]].append(ranked)  # type: ignore[index]
    for sid, members in by_squad.items():
        squad_eval = rules.rank_scores([(r.person_id, r.score) for r in members], policy)
        for r in squad_eval.ranking:
            squad_ranks[int(r.person_id)] = r.rank
        label = {int(r.person_id): _label(people[by_id[r.person_id]]) for r in members}  # type: ignore[index]
        squad_results.append(SquadResult(
            sid, people[by_id[members[0].person_id]][4] or "", len(members),  # type: ignore[index]
            round(sum(r.score for r in members) / len(members), 4),
            tuple(label[int(r.person_id)] for r in squad_eval.best),
            tuple(label[int(r.person_id)] for r in squad_eval.worst),
            squad_eval.decision.reason,
        ))
    squad_results.sort(key=lambda s: s.name)

    views = {}
    for ranked in result.ranking:
        i = by_id[ranked.person_id]  # type: ignore[index]
        sid, number, name, squad, squad_name = people[i][0], people[i][1], people[i][2], people[i][3], people[i][4]
        due, lates, absences, leave, worked, rostered = totals[sid]
        share, count = quality.get(sid, (0.0, 0))
        cents = money.get(sid, {})
        views[sid] = PersonMonth(
            staff_id=sid, employee_number=number, name=name, squad_id=squad, squad=squad_name or "",
            shifts_due=due, lates=lates, absences=absences, leave=leave, minutes_worked=worked,
            minutes_rostered=rostered, inspections=count, quality=raw_quality[i],
            fines_cents=cents.get(LedgerKind.FINE.value, 0), rewards_cents=cents.get(LedgerKind.REWARD.value, 0),
            attendance_part=attendance_parts[i], quality_part=filled[i], score=ranked.score, rank=ranked.rank,
            squad_rank=squad_ranks.get(sid, ranked.rank),
        )

    reviews = None
    if sees_reviews:
        due_reviews = rules.reviews_due((rules.OffenceCount(*c) for c in counts), policy)
        reviews = tuple(
            ReviewDue(int(c.person_id), named[c.person_id][0], named[c.person_id][1], named[c.person_id][2] or "",
                      c.rule_id, c.offences, d.rule_ids, d.reason)
            for c, d in sorted(due_reviews, key=lambda cd: (named[cd[0].person_id][0], cd[0].rule_id))
        )
    return MonthEvaluation(
        month=f"{first:%Y-%m}", squad_id=squad_id,
        people=tuple(views[int(r.person_id)] for r in result.ranking),
        best=tuple(views[int(r.person_id)] for r in result.best),
        worst=tuple(views[int(r.person_id)] for r in result.worst),
        rule_ids=result.decision.rule_ids,
        reason=_labelled_reason(result, views),
        squads=tuple(squad_results),
        reviews=reviews,
    )


def _label(person: tuple[int, str, str, int | None, str]) -> str:
    return f"No. {person[1]} {person[2]}"


def _labelled_reason(result: rules.Evaluation, views: dict[int, PersonMonth]) -> str:
    """The rule's reason with people named, not numbered by their database id."""
    if not result.best:
        return result.decision.reason
    return rules.naming_reason((views[int(r.person_id)].label for r in result.best),
                               (views[int(r.person_id)].label for r in result.worst))


__all__ = ["MonthEvaluation", "PersonMonth", "ReviewDue", "SquadResult", "current_month",
           "monthly_evaluation", "parse_month"]
