"""Ticket queues: who sees which open tickets, most urgent first (TK-4..TK-8, TK-15).

A queue row carries the state of its most urgent running SLA timer, decided by
``csdesk.rules.tickets.timer_state`` at ``desk.now()``. ``sla_due`` on the
ticket is the due time of that timer (None once nothing runs), so "breached
first, then least time left" is a plain ``ORDER BY sla_due`` on an index.

The queues:

* ``forum``, ``email``, ``chat``: unclaimed tickets of that channel (the shared
  queues agents claim from), on ``ix_tickets_status_sla_due`` with status
  ``new``.
* ``back_office`` (phone / back office): cases dispatched to a responsible
  party, whose TK-5 clock runs, on the same index with status ``dispatched``
  (not those waiting for another department: their clock is stopped).
* ``return_visits``: open return visits by due time (TK-8).
* ``mine``: the actor's own open cases (TK-9), small by nature.
* ``escalated``: open cases escalated to the actor's level (TK-11): a squad's
  leader (and deputy) see their squad's cases escalated to the squad leader,
  each director the cases escalated to their own level, on
  ``ix_tickets_escalation_level_status``; few at a time, like ``mine``.

Customer name and contact are masked unless the viewer owns the ticket or is a
leader (TK-15).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, bindparam, case, false, func, literal, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, select

from csdesk.i18n import _
from csdesk.models import ContactAttempt, ReturnVisit, Staff, Ticket
from csdesk.policy import Policy
from csdesk.rules.privacy import mask_contact, may_see_customer_contact
from csdesk.rules.tickets import (
    SlaTimer,
    TimerKind,
    TimerStatus,
    back_office_timer,
    sla_timers,
    timer_state,
)
from csdesk.rules.vocab import ESCALATION_LADDER, Category, Channel, Role, TicketStatus
from csdesk.services.base import Actor, Desk, InvalidInput

OPEN_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.CLAIMED,
    TicketStatus.WAITING_CUSTOMER,
    TicketStatus.DISPATCHED,
    TicketStatus.ESCALATED,
)
MAX_PAGE = 200


class Queue(StrEnum):
    FORUM = "forum"
    EMAIL = "email"
    CHAT = "chat"
    BACK_OFFICE = "back_office"
    RETURN_VISITS = "return_visits"
    MINE = "mine"
    ESCALATED = "escalated"


# The queues counted together for the queue tabs and the squad board; the cases
# escalated to a person are counted on their own (``queue_count``, the inbox).
DESK_QUEUES = (Queue.FORUM, Queue.EMAIL, Queue.CHAT, Queue.BACK_OFFICE, Queue.RETURN_VISITS, Queue.MINE)
# TK-11: the deputy stands in for the squad's leader, so both see what reached that level.
_LEVEL_OF = {
    Role.SQUAD_LEADER: 1,
    Role.DEPUTY_LEADER: 1,
    Role.DEPARTMENT_DIRECTOR: ESCALATION_LADDER.index(Role.DEPARTMENT_DIRECTOR),
    Role.CENTRE_DIRECTOR: ESCALATION_LADDER.index(Role.CENTRE_DIRECTOR),
}


def escalation_level_of(role: Role) -> int | None:
    """The rung of the escalation ladder a role answers for (TK-11); None for agents and inspectors."""
    return _LEVEL_OF.get(Role(role))


_SHARED_CHANNELS = {Queue.FORUM: Channel.FORUM, Queue.EMAIL: Channel.EMAIL, Queue.CHAT: Channel.CHAT}


# -- timers of one ticket -------------------------------------------------------


def ticket_timers(ticket: Ticket, policy: Policy) -> tuple[tuple[SlaTimer, datetime | None], ...]:
    """Every SLA timer of the ticket with the time it was stopped (None while running).

    The intake timers come from the rules; a phone case not solved on the call
    is a back-office problem from receipt (TK-5), any other case from the
    moment it is dispatched. The first reply keeps the answer promises
    (TK-6, TK-7, TK-13), dispatch keeps the complaint promise (TK-4), and
    resolution stops whatever still runs.
    """
    timers = list(sla_timers(ticket.channel, ticket.category, ticket.received_at, policy, ticket.promised_at))
    clock = resolution_clock(ticket, policy)
    if clock is not None:
        timers.append(clock)
    return tuple((timer, _stopped_at(timer.kind, ticket)) for timer in timers)


def resolution_clock(ticket: Ticket, policy: Policy) -> SlaTimer | None:
    """TK-5 with the case's pauses: from receipt for a phone case, else from dispatch (None before)."""
    started = ticket.received_at if ticket.channel is Channel.PHONE else ticket.dispatched_at
    if started is None:
        return None
    paused_since = max(ticket.paused_since, started) if ticket.paused_since is not None else None
    return back_office_timer(started, policy, timedelta(seconds=ticket.paused_seconds or 0), paused_since)


def _stopped_at(kind: TimerKind, ticket: Ticket) -> datetime | None:
    candidates: tuple[datetime | None, ...]
    if kind in (TimerKind.CHAT_GREETING, TimerKind.FORUM_ANSWER, TimerKind.EMAIL_ANSWER):
        candidates = (ticket.first_reply_at, ticket.resolved_at)
    elif kind is TimerKind.COMPLAINT_DISPATCH:
        candidates = (ticket.dispatched_at, ticket.resolved_at)
    else:
        candidates = (ticket.resolved_at,)
    present = [moment for moment in candidates if moment is not None]
    return min(present) if present else None


def _running(ticket: Ticket, policy: Policy) -> list[SlaTimer]:
    """The timers still running: not stopped by a kept promise, nor paused while the case waits."""
    return [timer for timer, stopped in ticket_timers(ticket, policy) if stopped is None and timer.paused_since is None]


def running_due(ticket: Ticket, policy: Policy) -> datetime | None:
    """The due time of the most urgent running timer: what ``sla_due`` stores."""
    due = [timer.due_at for timer in _running(ticket, policy)]
    return min(due) if due else None


def running_deadlines(ticket: Ticket, policy: Policy) -> tuple[datetime | None, datetime | None]:
    """(``sla_due``, ``sla_warn_at``): when the most urgent running timer is due, and
    the first moment any running timer turns "due soon" as ``timer_state`` judges it."""
    running = _running(ticket, policy)
    if not running:
        return None, None
    fraction = policy.tickets.due_soon_fraction
    return (min(t.due_at for t in running), min(t.due_at - t.allowed * fraction for t in running))


@dataclass(frozen=True)
class TimerView:
    kind: TimerKind
    rule_id: str
    started_at: datetime
    due_at: datetime
    status: TimerStatus
    # Positive: time left (or the margin it was met by); negative: overdue / late by.
    remaining: timedelta
    reason: str
    stopped_at: datetime | None
    # The resolution clock (TK-5) while the case waits: stopped since then (status PAUSED).
    paused_since: datetime | None = None
    # How far the pauses over moved its due time.
    paused: timedelta = timedelta(0)


def timer_view(timer: SlaTimer, now: datetime, policy: Policy, stopped_at: datetime | None) -> TimerView:
    state = timer_state(timer, now, policy, stopped_at)
    return TimerView(
        timer.kind,
        timer.rule_id,
        timer.started_at,
        timer.due_at,
        state.status,
        state.remaining,
        state.decision.reason,
        stopped_at,
        timer.paused_since if stopped_at is None else None,
        timer.paused,
    )


def ticket_timer_views(
    ticket: Ticket, now: datetime, policy: Policy, *, include_paused: bool = False
) -> tuple[TimerView, ...]:
    """The ticket's timers; a paused resolution clock only when asked (its status is PAUSED)."""
    views = (timer_view(t, now, policy, stopped) for t, stopped in ticket_timers(ticket, policy))
    return tuple(v for v in views if include_paused or v.status is not TimerStatus.PAUSED)


def _most_urgent(ticket: Ticket, now: datetime, policy: Policy) -> TimerView | None:
    running = [timer_view(t, now, policy, None) for t in _running(ticket, policy)]
    return min(running, key=lambda view: view.due_at) if running else None


# -- masking --------------------------------------------------------------------


def sees_contact(actor: Actor, owner_id: int | None) -> bool:
    """TK-15: the owner and leaders see the customer whole."""
    return may_see_customer_contact(actor.staff_id, actor.role, owner_id).ok


def masked(value: str, visible: bool) -> str:
    return value if visible else mask_contact(value)


def mask_known(text: str, secrets: Iterable[str], visible: bool) -> str:
    """Free text with the customer's known name and contact details masked in it."""
    if visible:
        return text
    for secret in sorted({s.strip() for s in secrets if s and s.strip()}, key=len, reverse=True):
        text = text.replace(secret, mask_contact(secret))
    return text


# -- rows -----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    """One line of a queue. For return visits, ``due_at``/``sla_*`` are the visit's."""

    ticket_id: int
    channel: Channel
    category: Category
    subject: str
    customer_name: str
    customer_contact: str
    contact_masked: bool
    status: TicketStatus
    owner_id: int | None
    owner_number: str | None
    received_at: datetime
    due_at: datetime | None
    sla_state: TimerStatus | None
    time_left: timedelta | None
    sla_reason: str
    sla_rule_id: str | None
    special_request: bool
    version: int
    visit_id: int | None = None
    visit_attempts: int = 0
    # TK-5: the case waits for the customer or another department; its resolution clock is stopped.
    paused: bool = False
    escalation_level: int = 0


def _row(
    ticket: Ticket,
    owner_number: str | None,
    actor: Actor,
    now: datetime,
    policy: Policy,
    timer: TimerView | None,
    visit_id: int | None = None,
    attempts: int = 0,
) -> QueueRow:
    visible = sees_contact(actor, ticket.owner_id)
    assert ticket.id is not None
    return QueueRow(
        ticket_id=ticket.id,
        channel=ticket.channel,
        category=ticket.category,
        subject=ticket.subject,
        customer_name=masked(ticket.customer_name, visible),
        customer_contact=masked(ticket.customer_contact, visible),
        contact_masked=not visible,
        status=ticket.status,
        owner_id=ticket.owner_id,
        owner_number=owner_number,
        received_at=ticket.received_at,
        due_at=timer.due_at if timer else None,
        sla_state=timer.status if timer else None,
        time_left=timer.remaining if timer else None,
        sla_reason=timer.reason if timer else _("no running timer"),
        sla_rule_id=timer.rule_id if timer else None,
        special_request=ticket.special_request,
        version=ticket.version,
        visit_id=visit_id,
        visit_attempts=attempts,
        paused=ticket.paused_since is not None,
        escalation_level=ticket.escalation_level,
    )


def _page_bounds(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidInput(_("the page offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {MAX_PAGE} rows").format(MAX_PAGE=MAX_PAGE), field="limit")


def _text_filter(statement, filter_text: str | None):
    """Matches the subject, or the ticket number ("#12" or "12"); never customer data."""
    text = (filter_text or "").strip()
    if not text:
        return statement
    number = text.removeprefix("#")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    condition: ColumnElement[bool] = col(Ticket.subject).ilike(f"%{escaped}%", escape="\\")
    if number.isdigit():
        condition = condition | (col(Ticket.id) == int(number))
    return statement.where(condition)


def queue_statement(actor: Actor, queue: Queue, filter_text: str | None = None):
    """The SELECT behind a ticket queue (not return visits), ordered most urgent first."""
    statement = select(Ticket, Staff.employee_number).outerjoin(Staff, col(Staff.id) == Ticket.owner_id)
    if queue in _SHARED_CHANNELS:
        statement = statement.where(
            Ticket.status == TicketStatus.NEW,
            col(Ticket.sla_due).is_not(None),
            Ticket.channel == _SHARED_CHANNELS[queue],
        ).order_by(col(Ticket.sla_due), col(Ticket.id))
    elif queue is Queue.BACK_OFFICE:
        # A case waiting for another department is that department's, not the back office's (TK-5).
        statement = statement.where(
            Ticket.status == TicketStatus.DISPATCHED,
            col(Ticket.sla_due).is_not(None),
            col(Ticket.paused_since).is_(None),
        ).order_by(col(Ticket.sla_due), col(Ticket.id))
    elif queue is Queue.MINE:
        # Few rows per person, so sorting them costs nothing; cases with no
        # running timer go last on every database.
        statement = statement.where(Ticket.owner_id == actor.staff_id, col(Ticket.status).in_(OPEN_STATUSES)).order_by(
            col(Ticket.sla_due).is_(None), col(Ticket.sla_due), col(Ticket.id)
        )
    elif queue is Queue.ESCALATED:
        statement = statement.where(escalated_to(actor)).order_by(
            col(Ticket.sla_due).is_(None), col(Ticket.sla_due), col(Ticket.id)
        )
    else:
        raise InvalidInput(_("{queue} is not a ticket queue").format(queue=queue), field="queue")
    return _text_filter(statement, filter_text)


def escalated_to(actor: Actor):
    """TK-11: the condition on a ticket (joined to its owner as ``Staff``) of being an
    open case escalated to the actor: their level, and for a squad's leaders their squad."""
    level = escalation_level_of(actor.role)
    if level is None or (level == 1 and actor.squad_id is None):
        return false()
    condition = and_(Ticket.escalation_level == level, col(Ticket.status).in_(OPEN_STATUSES))
    if level == 1:
        member = aliased(Staff)
        squad_cases = select(member.id).where(member.squad_id == actor.squad_id)
        condition = and_(condition, col(Ticket.owner_id).in_(squad_cases))
    return condition


def _parse_queue(queue: Queue | str) -> Queue:
    try:
        return Queue(queue)
    except ValueError:
        names = ", ".join(q.value for q in Queue)
        raise InvalidInput(
            _("unknown queue {queue!r}; choose one of {names}").format(queue=queue, names=names), field="queue"
        ) from None


def ticket_rows(
    rows: Iterable[tuple[Ticket, str | None]], actor: Actor, now: datetime, policy: Policy
) -> tuple[QueueRow, ...]:
    """Queue lines of (ticket, owner's number) pairs, masked for ``actor`` (TK-15)."""
    return tuple(_row(ticket, number, actor, now, policy, _most_urgent(ticket, now, policy)) for ticket, number in rows)


def check_page(offset: int, limit: int) -> None:
    """Refuses a page that starts before the first row or holds more than ``MAX_PAGE``."""
    _page_bounds(offset, limit)


def queue_page(
    desk: Desk, actor: Actor, queue: Queue | str, offset: int = 0, limit: int = 50, filter_text: str | None = None
) -> tuple[QueueRow, ...]:
    """One page of a queue, most urgent first."""
    which = _parse_queue(queue)
    _page_bounds(offset, limit)
    now = desk.now()
    with desk.read() as session:
        if which is Queue.RETURN_VISITS:
            return _visit_page(session, actor, now, desk.policy, offset, limit, filter_text)
        rows = session.exec(queue_statement(actor, which, filter_text).offset(offset).limit(limit)).all()
        return ticket_rows(rows, actor, now, desk.policy)


def visit_timer(visit: ReturnVisit, ticket: Ticket) -> SlaTimer:
    """TK-8: the visit's own due time, set from the policy when the case was resolved."""
    started = ticket.resolved_at or visit.due_at
    return SlaTimer(TimerKind.RETURN_VISIT, "TK-8", started, visit.due_at)


def visit_statement(filter_text: str | None = None):
    statement = (
        select(ReturnVisit, Ticket, Staff.employee_number)
        .join(Ticket, col(Ticket.id) == ReturnVisit.ticket_id)
        .outerjoin(Staff, col(Staff.id) == Ticket.owner_id)
        .where(col(ReturnVisit.done_at).is_(None))
        .order_by(col(ReturnVisit.due_at), col(ReturnVisit.id))
    )
    return _text_filter(statement, filter_text)


def _visit_page(
    session: Session, actor: Actor, now: datetime, policy: Policy, offset: int, limit: int, filter_text: str | None
) -> tuple[QueueRow, ...]:
    rows = session.exec(visit_statement(filter_text).offset(offset).limit(limit)).all()
    ids = [visit.id for visit, _, _ in rows]
    counts: dict[int, int] = {}
    if ids:
        counted = session.exec(
            select(ContactAttempt.return_visit_id, func.count())
            .where(col(ContactAttempt.return_visit_id).in_(ids))
            .group_by(col(ContactAttempt.return_visit_id))
        ).all()
        counts = {visit_id: count for visit_id, count in counted}
    result = []
    for visit, ticket, number in rows:
        timer = timer_view(visit_timer(visit, ticket), now, policy, None)
        result.append(_row(ticket, number, actor, now, policy, timer, visit.id, counts.get(visit.id or 0, 0)))
    return tuple(result)


# -- counts ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueueCount:
    total: int
    breached: int


def _count_select(actor: Actor, queue: Queue):
    """One queue's badge as a SELECT of (queue, waiting, overdue), each on its own index;
    overdue means due before the bound parameter ``now``."""
    table: type[SQLModel]
    if queue is Queue.RETURN_VISITS:
        table, due, where = ReturnVisit, col(ReturnVisit.due_at), col(ReturnVisit.done_at).is_(None)
    else:
        table, due, where = Ticket, col(Ticket.sla_due), queue_statement(actor, queue).whereclause
    overdue = func.count(case((due < bindparam("now"), 1)))
    return select(literal(queue.value), func.count(), overdue).select_from(table).where(where)


@lru_cache(maxsize=64)
def _all_counts_select(actor: Actor):
    # Built once per person: every commit in the centre reloads the badges at every desk,
    # and building the statement cost as much as running it.
    return union_all(*(_count_select(actor, queue) for queue in DESK_QUEUES))


def _count(session: Session, actor: Actor, queue: Queue, now: datetime) -> QueueCount:
    _queue, total, breached = session.execute(_count_select(actor, queue), {"now": now}).one()
    return QueueCount(total, breached)


def queue_counts(desk: Desk, actor: Actor) -> dict[Queue, QueueCount]:
    """Badges for the queue tabs: how many are waiting, and how many are overdue.

    One statement for every tab: a claim refreshes these, and a dozen separate counts
    cost a third of it on a large centre. Each part keeps the index its queue's page uses.
    """
    now = desk.now()
    with desk.read() as session:
        rows = session.execute(_all_counts_select(actor), {"now": now}).all()
    counts = {Queue(queue): QueueCount(total, breached) for queue, total, breached in rows}
    return {queue: counts[queue] for queue in DESK_QUEUES}


def queue_count(desk: Desk, actor: Actor, queue: Queue | str) -> QueueCount:
    """One queue's badge, e.g. the cases escalated to the actor (TK-11)."""
    which = _parse_queue(queue)
    with desk.read() as session:
        return _count(session, actor, which, desk.now())
