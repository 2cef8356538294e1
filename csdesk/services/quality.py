"""Quality inspection (QA-1..QA-4).

The inspector samples each agent 1-5 times a calendar month on the policy's
rubric (QA-1); each month gives a score sheet per agent (QA-2), each week a
summary with a training plan (QA-3), and each day the supervisor writes a
spot-check report over recordings, forum and email (QA-4). Months and weeks
are the centre's calendar (its time zone), stored times are UTC.

Inspectors and directors see every agent; a squad's leaders see their squad.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.models import Inspection, SpotCheck, Squad, Staff, Ticket, TicketEvent
from csdesk.policy import Policy
from csdesk.rules import quality as rules
from csdesk.rules.decision import Outcome
from csdesk.rules.quality import Sampling
from csdesk.rules.staff import Action
from csdesk.rules.vocab import Channel, Role, StaffStatus
from csdesk.services.attendance import parse_iso_week
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
from csdesk.services.duties import mark_done_by_record
from csdesk.services.ledger import month_bounds
from csdesk.services.months import current_month, parse_month

MAX_PAGE = 100
MAX_NOTE = 500
MAX_COMMENTS = 2000
# Who is sampled: the people answering customers (QA-1 "each agent").
FRONT_LINE = (Role.AGENT, Role.DEPUTY_LEADER)
_SEE_ALL = (Role.INSPECTOR, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)
ONLY = ("under", "complete")


# -- views ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentSampling:
    """QA-1: one agent's samples in the month."""

    staff_id: int
    label: str  # "No. 1024 李娜"
    squad: str
    samples: int
    status: Sampling
    reason: str
    last_at: datetime | None
    employee_number: str
    name: str


@dataclass(frozen=True)
class SamplingCounts:
    month: str
    agents: int
    under: int  # fewer than the minimum: flagged
    complete: int  # at the maximum: no more samples


@dataclass(frozen=True)
class InspectionView:
    id: int
    agent_id: int
    agent: str
    inspector: str
    ticket_id: int | None
    at: datetime
    scores: dict[str, int]
    notes: dict[str, str]
    comments: str
    total: float
    total_max: int
    samples_this_month: int
    sampling: str  # what QA-1 says after this sample


@dataclass(frozen=True)
class MonthlySheet:
    """QA-2: the comprehensive score sheet of one agent for one month."""

    agent_id: int
    agent: str
    employee_number: str
    name: str
    squad: str
    month: str
    inspections: tuple[InspectionView, ...]
    averages: dict[str, float]
    percents: dict[str, float]
    total: float | None
    overall: float | None
    weakest: tuple[str, ...]
    status: Sampling
    reason: str
    rule_ids: tuple[str, ...]


@dataclass(frozen=True)
class WeeklyLine:
    agent_id: int
    agent: str
    employee_number: str
    name: str
    squad: str
    samples: int
    overall: float
    percents: dict[str, float]
    training: tuple[str, ...]  # this agent's individual training


@dataclass(frozen=True)
class WeeklyReport:
    """QA-3: the week's inspections and the training plan they call for."""

    iso_week: str
    monday: date
    inspections: int
    agents: int
    percents: dict[str, float]  # the team's share of each criterion's scale
    overall: float | None
    lowest: tuple[str, ...]
    team_training: tuple[str, ...]
    lines: tuple[WeeklyLine, ...]
    reason: str
    rule_ids: tuple[str, ...]


@dataclass(frozen=True)
class TicketChoice:
    ticket_id: int
    channel: Channel
    subject: str
    received_at: datetime


@dataclass(frozen=True)
class SpotCheckView:
    id: int
    supervisor: str
    work_date: date
    checked: tuple[str, ...]
    findings: str
    training: str
    at: datetime
    reason: str  # QA-4: complete, or what was left unchecked
    rule_ids: tuple[str, ...]


# -- parsing and scope -----------------------------------------------------------------


def this_week(desk: Desk) -> str:
    year, week, _day = desk.now().astimezone(desk.policy.zone).isocalendar()
    return f"{year}-W{week:02d}"


def _month_window(month: str | None, desk: Desk) -> tuple[str, datetime, datetime]:
    first = parse_month(month or current_month(desk))
    start, end = month_bounds(datetime(first.year, first.month, 15, tzinfo=desk.policy.zone), desk.policy.zone)
    return first.strftime("%Y-%m"), start, end


def _page(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidInput(_("the page offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {MAX_PAGE} rows").format(MAX_PAGE=MAX_PAGE), field="limit")


def _may_see(actor: Actor) -> None:
    require(actor, Action.SEE_QUALITY_SHEETS)


def _scope(statement, actor: Actor):
    """Front-line staff still here, limited to the leader's own squad."""
    statement = statement.where(col(Staff.role).in_(FRONT_LINE), Staff.status != StaffStatus.LEFT)
    if actor.role not in _SEE_ALL:
        statement = statement.where(Staff.squad_id == actor.squad_id)
    return statement


def _label(staff: Staff) -> str:
    return _("No. {number} {name}").format(number=staff.employee_number, name=staff.real_name)


def _in_scope(session: Session, actor: Actor, staff_id: int) -> tuple[Staff, str]:
    row = session.exec(
        _scope(
            select(Staff, Squad.name).outerjoin(Squad, col(Squad.id) == Staff.squad_id).where(Staff.id == staff_id),
            actor,
        )
    ).first()
    if row is None:
        raise NotFound(_("there is no agent #{staff_id} you can see").format(staff_id=staff_id), rule_ids=("QA-1",))
    staff, squad = row
    return staff, squad or ""


# -- QA-1: sampling ----------------------------------------------------------------------


def _counts_subquery(start: datetime, end: datetime):
    return (
        select(
            col(Inspection.agent_id).label("agent_id"),
            func.count().label("n"),
            func.max(Inspection.at).label("last_at"),
        )
        .where(col(Inspection.at) >= start, col(Inspection.at) < end)
        .group_by(col(Inspection.agent_id))
        .subquery()
    )


def sampling_page(
    desk: Desk, actor: Actor, month: str | None = None, only: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[AgentSampling, ...]:
    """QA-1: agents by employee number with their samples this month.

    ``only="under"`` keeps those below the minimum (flagged), ``"complete"``
    those at the maximum (no more samples).
    """
    _may_see(actor)
    _page(offset, limit)
    if only is not None and only not in ONLY:
        raise InvalidInput(_("show one of {join_ONLY}").format(join_ONLY=", ".join(ONLY)), field="only")
    _month, start, end = _month_window(month, desk)
    qa = desk.policy.qa
    counts = _counts_subquery(start, end)
    n = func.coalesce(counts.c.n, 0)
    statement = _scope(
        select(Staff, Squad.name, n, counts.c.last_at)
        .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
        .outerjoin(counts, counts.c.agent_id == Staff.id),
        actor,
    )
    if only == "under":
        statement = statement.where(n < qa.min_samples_per_month)
    elif only == "complete":
        statement = statement.where(n >= qa.max_samples_per_month)
    statement = statement.order_by(col(Staff.employee_number)).offset(offset).limit(limit)
    with desk.read() as session:
        rows = session.exec(statement).all()
    out = []
    for staff, squad, samples, last_at in rows:
        status, decision = rules.sampling_status(int(samples), desk.policy)
        last = last_at if last_at is None or last_at.tzinfo else last_at.replace(tzinfo=UTC)
        out.append(
            AgentSampling(
                staff.id,
                _label(staff),
                squad or "",
                int(samples),
                status,
                str(decision),
                last,
                staff.employee_number,
                staff.real_name,
            )
        )
    return tuple(out)


def sampling_counts(desk: Desk, actor: Actor, month: str | None = None) -> SamplingCounts:
    """QA-1: how many agents are flagged under the minimum and how many are complete."""
    _may_see(actor)
    label, start, end = _month_window(month, desk)
    qa = desk.policy.qa
    counts = _counts_subquery(start, end)
    n = func.coalesce(counts.c.n, 0)
    statement = _scope(select(n).select_from(Staff).outerjoin(counts, counts.c.agent_id == Staff.id), actor)
    with desk.read() as session:
        values = [int(v) for v in session.exec(statement).all()]
    return SamplingCounts(
        label,
        len(values),
        sum(v < qa.min_samples_per_month for v in values),
        sum(v >= qa.max_samples_per_month for v in values),
    )


def agent_tickets(desk: Desk, actor: Actor, agent_id: int, limit: int = 30) -> tuple[TicketChoice, ...]:
    """The agent's latest tickets (calls included), to pick the sampled contact from."""
    require(actor, Action.RECORD_QA_SAMPLE)
    _page(0, limit)
    with desk.read() as session:
        _in_scope(session, actor, agent_id)
        rows = session.exec(
            select(Ticket)
            .where(Ticket.owner_id == agent_id)
            .order_by(col(Ticket.received_at).desc(), col(Ticket.id).desc())
            .limit(limit)
        ).all()
    return tuple(TicketChoice(t.id, t.channel, t.subject, t.received_at) for t in rows)


def _points(raw: object, key: str, policy: Policy) -> int:
    top = policy.qa.scale(key)
    text = str(raw).strip() if raw is not None else ""
    try:
        value = int(text)
    except ValueError:
        raise InvalidInput(
            _("{replace}: enter whole points from 0 to {top}").format(replace=key.replace("_", " "), top=top),
            field=key,
            rule_ids=("QA-1",),
        ) from None
    return value


def _clean_scores(scores: Mapping[str, object], policy: Policy) -> dict[str, int]:
    unknown = [key for key in scores if key not in policy.qa.criteria]
    if unknown:
        raise InvalidInput("not a criterion of this centre: " + ", ".join(unknown), field="scores", rule_ids=("QA-1",))
    parsed = {key: _points(scores.get(key), key, policy) for key in policy.qa.criteria}
    decision = rules.check_sample_scores(parsed, policy)
    if not decision.ok:
        key = rules.criterion_at_fault(parsed, policy) or "scores"
        top = policy.qa.scale(key) if key in policy.qa.criteria else policy.qa.total_max
        raise InvalidInput(
            _("{replace} runs from 0 to {top}").format(replace=key.replace("_", " "), top=top),
            field=key,
            rule_ids=decision.rule_ids,
        )
    return parsed


def _clean_notes(notes: Mapping[str, str] | None, policy: Policy) -> dict[str, str]:
    cleaned = {}
    for key, text in (notes or {}).items():
        if key not in policy.qa.criteria:
            raise InvalidInput(_("not a criterion of this centre: {key}").format(key=key), field="notes")
        text = (text or "").strip()
        if len(text) > MAX_NOTE:
            raise InvalidInput(
                _("the remark on {replace} is too long (at most {MAX_NOTE})").format(
                    replace=key.replace("_", " "), MAX_NOTE=MAX_NOTE
                ),
                field=f"note-{key}",
            )
        if text:
            cleaned[key] = text
    return cleaned


def _handled_by(session: Session, ticket: Ticket, agent_id: int) -> bool:
    if ticket.owner_id == agent_id:
        return True
    return (
        session.exec(
            select(TicketEvent.id).where(TicketEvent.ticket_id == ticket.id, TicketEvent.actor_id == agent_id).limit(1)
        ).first()
        is not None
    )


def _inspection_view(
    inspection: Inspection, agent: str, inspector: str, samples: int, policy: Policy
) -> InspectionView:
    assert inspection.id is not None
    return InspectionView(
        inspection.id,
        inspection.agent_id,
        agent,
        inspector,
        inspection.ticket_id,
        inspection.at,
        dict(inspection.scores),
        dict(inspection.notes or {}),
        inspection.comments,
        rules.sample_total(inspection.scores, policy),
        policy.qa.total_max,
        samples,
        str(rules.check_sample_count(samples, policy)),
    )


def record_inspection(
    desk: Desk,
    actor: Actor,
    agent_id: int,
    scores: Mapping[str, object],
    comments: str = "",
    ticket_id: int | None = None,
    notes: Mapping[str, str] | None = None,
) -> InspectionView:
    """QA-1: one sampled contact of an agent, scored on every criterion of the rubric.

    Refused at the month's maximum of samples for that agent (see
    ``rules.quality.may_add_sample``); nothing is saved on any bad score.
    """
    require(actor, Action.RECORD_QA_SAMPLE)
    policy = desk.policy
    parsed = _clean_scores(scores, policy)
    remarks = _clean_notes(notes, policy)
    text = (comments or "").strip()
    if len(text) > MAX_COMMENTS:
        raise InvalidInput(
            _("the comments are too long (at most {MAX_COMMENTS} characters)").format(MAX_COMMENTS=MAX_COMMENTS),
            field="comments",
        )
    now = desk.now()
    _label_month, start, end = _month_window(None, desk)
    with desk.write() as session:
        agent, _squad = _in_scope(session, actor, agent_id)
        if agent.id == actor.staff_id:
            raise PermissionDenied(_("no one inspects their own contacts"), rule_ids=("QA-1",))
        if ticket_id is not None:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise InvalidInput(_("there is no ticket #{ticket_id}").format(ticket_id=ticket_id), field="ticket_id")
            if not _handled_by(session, ticket, agent_id):
                raise InvalidInput(
                    _("ticket #{ticket_id} was not handled by {label_agent}").format(
                        ticket_id=ticket_id, label_agent=_label(agent)
                    ),
                    field="ticket_id",
                )
        earlier = session.exec(
            select(func.count())
            .select_from(Inspection)
            .where(Inspection.agent_id == agent_id, col(Inspection.at) >= start, col(Inspection.at) < end)
        ).one()
        allowed = rules.may_add_sample(earlier, policy)
        if not allowed.ok:
            raise ServiceError(
                _("{label_agent}: {reason}").format(label_agent=_label(agent), reason=allowed.reason),
                rule_ids=allowed.rule_ids,
            )
        inspection = Inspection(
            inspector_id=actor.staff_id,
            agent_id=agent_id,
            ticket_id=ticket_id,
            scores=parsed,
            notes=remarks,
            comments=text,
            at=now,
        )
        session.add(inspection)
        session.flush()
        audit(session, actor, "quality.inspect", "inspection", inspection.id, after=inspection)
        return _inspection_view(inspection, _label(agent), actor.label, earlier + 1, policy)


# -- QA-2: the monthly sheet -----------------------------------------------------------------


def _sheet(
    session: Session, desk: Desk, agent: Staff, squad: str, month: str, start: datetime, end: datetime
) -> MonthlySheet:
    policy = desk.policy
    rows = session.exec(
        select(Inspection, Staff)
        .join(Staff, col(Staff.id) == Inspection.inspector_id)
        .where(Inspection.agent_id == agent.id, col(Inspection.at) >= start, col(Inspection.at) < end)
        .order_by(col(Inspection.at), col(Inspection.id))
    ).all()
    views = tuple(_inspection_view(i, _label(agent), _label(by), n, policy) for n, (i, by) in enumerate(rows, 1))
    sheet = rules.score_sheet([_complete(v.scores, policy) for v in views], policy)
    status, _count = rules.sampling_status(len(views), policy)
    decision = sheet.decision if views else rules.check_sample_count(0, policy)
    return MonthlySheet(
        agent.id,
        _label(agent),
        agent.employee_number,
        agent.real_name,
        squad,
        month,
        views,
        sheet.averages,
        sheet.percents,
        sheet.total,
        sheet.overall,
        sheet.weakest,
        status,
        decision.reason,
        decision.rule_ids,
    )


def _complete(scores: Mapping[str, int], policy: Policy) -> dict[str, int]:
    """A stored sample on today's rubric: a criterion added since it was scored counts as
    not scored (0) rather than breaking the sheet."""
    return {key: scores.get(key, 0) for key in policy.qa.criteria}


def monthly_sheet(desk: Desk, actor: Actor, agent_id: int, month: str | None = None) -> MonthlySheet:
    """QA-2: one agent's score sheet for the month; agents may read their own."""
    if actor.staff_id != agent_id:
        _may_see(actor)
    label, start, end = _month_window(month, desk)
    with desk.read() as session:
        if actor.staff_id == agent_id:
            agent = session.get(Staff, agent_id)
            assert agent is not None
            squad_row = session.get(Squad, agent.squad_id) if agent.squad_id else None
            squad = squad_row.name if squad_row else ""
        else:
            agent, squad = _in_scope(session, actor, agent_id)
        return _sheet(session, desk, agent, squad, label, start, end)


def monthly_sheets(desk: Desk, actor: Actor, month: str | None = None) -> tuple[MonthlySheet, ...]:
    """QA-2: every agent's sheet for the month (the actor's squad for a squad's leaders)."""
    _may_see(actor)
    label, start, end = _month_window(month, desk)
    with desk.read() as session:
        people = session.exec(
            _scope(select(Staff, Squad.name).outerjoin(Squad, col(Squad.id) == Staff.squad_id), actor).order_by(
                col(Staff.employee_number)
            )
        ).all()
        return tuple(_sheet(session, desk, staff, squad or "", label, start, end) for staff, squad in people)


# -- QA-3: the weekly summary --------------------------------------------------------------


def weekly_report(desk: Desk, actor: Actor, iso_week: str | None = None) -> WeeklyReport:
    """QA-3: the week's inspections pooled, ranked by criterion, with a team or individual plan."""
    _may_see(actor)
    policy = desk.policy
    monday = parse_iso_week(iso_week or this_week(desk))
    year, week, _day = monday.isocalendar()
    start = datetime.combine(monday, datetime.min.time(), tzinfo=policy.zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=policy.zone).astimezone(UTC)
    with desk.read() as session:
        rows = session.exec(
            _scope(
                select(Inspection, Staff, Squad.name)
                .join(Staff, col(Staff.id) == Inspection.agent_id)
                .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
                .where(col(Inspection.at) >= start, col(Inspection.at) < end),
                actor,
            ).order_by(col(Staff.employee_number), col(Inspection.at))
        ).all()
    by_agent: dict[int, list[dict[str, int]]] = {}
    people: dict[int, tuple[Staff, str]] = {}
    for inspection, staff, squad in rows:
        by_agent.setdefault(staff.id, []).append(_complete(inspection.scores, policy))
        people[staff.id] = (staff, squad or "")
    summary = rules.weekly_summary(by_agent, policy)
    lines = []
    for agent_id, samples in by_agent.items():
        sheet = rules.score_sheet(samples, policy)
        staff, squad = people[agent_id]
        lines.append(
            WeeklyLine(
                agent_id,
                _label(staff),
                staff.employee_number,
                staff.real_name,
                squad,
                len(samples),
                sheet.overall or 0.0,
                sheet.percents,
                summary.plan.individual.get(agent_id, ()),
            )
        )
    return WeeklyReport(
        f"{year}-W{week:02d}",
        monday,
        summary.inspections,
        summary.agents,
        summary.team.percents,
        summary.team.overall,
        summary.lowest,
        summary.plan.team,
        tuple(lines),
        summary.decision.reason,
        summary.decision.rule_ids,
    )


# -- QA-4: the supervisor's daily spot-checks ------------------------------------------------------


def _spot_view(check: SpotCheck, supervisor: Staff) -> SpotCheckView:
    assert check.id is not None
    decision = rules.check_daily_spot_checks(check.checked)
    return SpotCheckView(
        check.id,
        _label(supervisor),
        check.work_date,
        tuple(check.checked),
        check.findings,
        check.training,
        check.at,
        decision.reason,
        decision.rule_ids,
    )


def record_spot_check(
    desk: Desk, actor: Actor, checked: Sequence[str], findings: str, training: str = ""
) -> SpotCheckView:
    """QA-4: today's quality report over recordings, forum and email, one per supervisor a day.

    A channel left unchecked is saved with a warning (the report says so);
    a report with nothing checked or no findings is refused.
    """
    require(actor, Action.RECORD_SPOT_CHECK)
    channels = [c for c in rules.DAILY_SPOT_CHECKS if c in set(checked)]
    unknown = [c for c in checked if c not in rules.DAILY_SPOT_CHECKS]
    decision = rules.check_daily_report([*channels, *unknown], findings or "")
    if decision.outcome is Outcome.REFUSED:
        field = "checked" if unknown or not channels else "findings"
        raise InvalidInput(decision.reason, field=field, rule_ids=decision.rule_ids)
    if len(findings) > MAX_COMMENTS or len(training or "") > MAX_COMMENTS:
        raise InvalidInput(_("at most {MAX_COMMENTS} characters").format(MAX_COMMENTS=MAX_COMMENTS), field="findings")
    now = desk.now()
    today = now.astimezone(desk.policy.zone).date()
    with desk.write() as session:
        earlier = session.exec(
            select(SpotCheck).where(SpotCheck.supervisor_id == actor.staff_id, SpotCheck.work_date == today)
        ).first()
        if earlier is not None:
            raise ServiceError(
                _("you already wrote today's quality report (#{id})").format(id=earlier.id), rule_ids=("QA-4",)
            )
        check = SpotCheck(
            supervisor_id=actor.staff_id,
            work_date=today,
            checked=channels,
            findings=findings.strip(),
            training=(training or "").strip(),
            at=now,
        )
        try:
            with session.begin_nested():
                session.add(check)
        except IntegrityError:
            raise ServiceError(_("you already wrote today's quality report"), rule_ids=("QA-4",)) from None
        audit(session, actor, "quality.spot_check", "spot_check", check.id, after=check)
        # The report is the calendar's daily quality-report duty (TK-17): it is ticked with it.
        mark_done_by_record(session, desk, actor, "QA-4")
        supervisor = session.get(Staff, actor.staff_id)
        assert supervisor is not None
        return _spot_view(check, supervisor)


def spot_checks_page(desk: Desk, actor: Actor, offset: int = 0, limit: int = 20) -> tuple[SpotCheckView, ...]:
    """QA-4: the daily quality reports, newest day first."""
    _may_see(actor)
    _page(offset, limit)
    with desk.read() as session:
        rows = session.exec(
            select(SpotCheck, Staff)
            .join(Staff, col(Staff.id) == SpotCheck.supervisor_id)
            .order_by(col(SpotCheck.work_date).desc(), col(SpotCheck.id).desc())
            .offset(offset)
            .limit(limit)
        ).all()
        return tuple(_spot_view(check, who) for check, who in rows)


__all__ = [
    "AgentSampling",
    "InspectionView",
    "MonthlySheet",
    "SamplingCounts",
    "SpotCheckView",
    "TicketChoice",
    "WeeklyLine",
    "WeeklyReport",
    "agent_tickets",
    "monthly_sheet",
    "monthly_sheets",
    "parse_month",
    "record_inspection",
    "record_spot_check",
    "sampling_counts",
    "sampling_page",
    "spot_checks_page",
    "current_month",
    "this_week",
    "weekly_report",
]
