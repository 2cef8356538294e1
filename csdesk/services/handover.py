"""The shift handover book (HO-1..HO-7, AT-9).

The outgoing person writes the handover for the shift they are ending, naming
the colleague who takes over; only that colleague acknowledges it, and only
then may the outgoing person leave. Open cases are picked and carried over
(HO-6); unprocessed email is listed with a warning (HO-7). The free-text
"unresolved problems" and each carried or warned-about ticket are handover
items linked to the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import exists, func, insert, or_
from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.models import HandoverItem, HandoverLog, ShiftDefinition, Staff, Ticket, TicketEvent
from csdesk.policy import Policy
from csdesk.rules.decision import Decision
from csdesk.rules.handover import (
    REQUIRED_FIELDS,
    check_handover_fields,
    check_handover_written,
    check_open_emails,
    check_open_problems_carried,
    may_release_outgoing,
    receiving_shift,
)
from csdesk.rules.shifts import ShiftWindow, shift_at, shift_window
from csdesk.rules.staff import Action
from csdesk.rules.vocab import Channel, Role, ShiftKind, StaffStatus, TicketStatus
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
from csdesk.services.queues import OPEN_STATUSES
from csdesk.services.roster import ensure_shift_definitions

_DIRECTORS = (Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)
MAX_ITEMS = 200
MAX_PAGE = 100
# The handover item kinds.
PROBLEMS = "problems"
CARRIED = "ticket"
OPEN_EMAIL = "email"
# Which argument of write_handover fills each HO-1 part, to point at the empty one.
_FIELD_OF = {
    "equipment": "equipment",
    "open_problems": "problems",
    "complaints": "complaints",
    "personnel": "incoming_staff_id",
}


# -- views ----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenItem:
    ticket_id: int
    channel: Channel
    subject: str
    status: TicketStatus
    owner_number: str | None
    sla_due: datetime | None


@dataclass(frozen=True)
class OpenItems:
    """What the outgoing side picks from: their open cases and every unprocessed email."""

    shift: ShiftKind
    work_date: date
    to_shift: ShiftKind
    tickets: tuple[OpenItem, ...]
    tickets_total: int
    # HO-6: cases carried in the last handover that are still open; they must be carried again.
    must_carry: tuple[int, ...]
    emails: tuple[OpenItem, ...]
    emails_total: int
    email_warning: Decision


@dataclass(frozen=True)
class HandoverView:
    id: int
    squad_id: int
    work_date: date
    from_shift: ShiftKind
    to_shift: ShiftKind
    outgoing_id: int
    outgoing: str
    incoming_id: int | None
    incoming: str | None
    equipment: str
    problems: str
    complaints: str
    events: str
    written_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    carried_ticket_ids: tuple[int, ...]
    open_email_ids: tuple[int, ...]


# -- shifts -----------------------------------------------------------------------


def handover_shift(now: datetime, policy: Policy) -> ShiftWindow:
    """The shift being handed over: the one running, else the one that just ended."""
    running = shift_at(now, policy)
    if running is not None:
        return running
    local = now.astimezone(policy.zone).date()
    ended = [shift_window(day, kind, policy) for day in (local, local - timedelta(days=1)) for kind in ShiftKind]
    return max((w for w in ended if w.start <= now), key=lambda w: w.start)


def _label(staff: Staff | None) -> str | None:
    return _("No. {number} {name}").format(number=staff.employee_number, name=staff.real_name) if staff else None


# -- open items ---------------------------------------------------------------------


def _scope_owner_ids(actor: Actor):
    """The outgoing person's cases; a leader hands over the whole squad's."""
    if actor.role.is_leader and actor.squad_id is not None:
        return col(Ticket.owner_id).in_(select(Staff.id).where(Staff.squad_id == actor.squad_id))
    return col(Ticket.owner_id) == actor.staff_id


def _items(session: Session, where: Sequence[object], limit: int) -> tuple[tuple[OpenItem, ...], int]:
    rows = session.exec(
        select(Ticket, Staff.employee_number)
        .outerjoin(Staff, col(Staff.id) == Ticket.owner_id)
        .where(*where)
        .order_by(col(Ticket.id))
        .limit(limit)
    ).all()
    total = session.exec(select(func.count()).select_from(Ticket).where(*where)).one()
    items = tuple(OpenItem(t.id, t.channel, t.subject, t.status, number, t.sla_due) for t, number in rows)
    return items, total


def _open_emails_where() -> list[object]:
    return [
        col(Ticket.status).in_(OPEN_STATUSES),
        Ticket.channel == Channel.EMAIL,
        col(Ticket.first_reply_at).is_(None),
    ]


def _previous_log(session: Session, squad_id: int, before: datetime) -> HandoverLog | None:
    return session.exec(
        select(HandoverLog)
        .where(HandoverLog.squad_id == squad_id, col(HandoverLog.written_at) < before)
        .order_by(col(HandoverLog.written_at).desc(), col(HandoverLog.id).desc())
        .limit(1)
    ).first()


def _still_open_carried(session: Session, log: HandoverLog | None) -> tuple[list[int], list[int]]:
    """HO-6: the cases the last handover carried: (all of them, those solved since)."""
    if log is None:
        return [], []
    rows = session.exec(
        select(Ticket.id, Ticket.status)
        .join(HandoverItem, col(HandoverItem.ticket_id) == Ticket.id)
        .where(HandoverItem.log_id == log.id, HandoverItem.kind == CARRIED)
    ).all()
    return [int(r[0]) for r in rows], [int(r[0]) for r in rows if r[1] not in OPEN_STATUSES]


def open_items_for_handover(desk: Desk, actor: Actor, limit: int = 100) -> OpenItems:
    """The open cases to pick and carry (HO-6) and the unprocessed email to warn about (HO-7)."""
    if not 1 <= limit <= MAX_ITEMS:
        raise InvalidInput(_("show 1 to {MAX_ITEMS} items").format(MAX_ITEMS=MAX_ITEMS), field="limit")
    window = handover_shift(desk.now(), desk.policy)
    with desk.read() as session:
        tickets, total = _items(session, [_scope_owner_ids(actor), col(Ticket.status).in_(OPEN_STATUSES)], limit)
        emails, emails_total = _items(session, _open_emails_where(), limit)
        must_carry: list[int] = []
        if actor.squad_id is not None:
            carried, solved = _still_open_carried(session, _previous_log(session, actor.squad_id, window.start))
            must_carry = [t for t in carried if t not in solved]
        # The rule counts what is left, including emails beyond this page.
        warning = check_open_emails(range(emails_total))
    return OpenItems(
        window.kind,
        window.day,
        receiving_shift(window.kind),
        tickets,
        total,
        tuple(must_carry),
        emails,
        emails_total,
        warning,
    )


# -- writing and acknowledging -----------------------------------------------------------


def _view(session: Session, log: HandoverLog) -> HandoverView:
    return _views(session, [log])[0]


def _views(session: Session, logs: Sequence[HandoverLog]) -> tuple[HandoverView, ...]:
    """Views of a page of handovers in four queries, however long the page."""
    if not logs:
        return ()
    log_ids = [log.id for log in logs]
    shifts = {
        s.id: s.kind
        for s in session.exec(
            select(ShiftDefinition).where(col(ShiftDefinition.id).in_({log.from_shift_id for log in logs}))
        )
    }
    people = {
        p.id: p
        for p in session.exec(
            select(Staff).where(
                col(Staff.id).in_(
                    {log.outgoing_id for log in logs} | {log.incoming_id for log in logs if log.incoming_id}
                )
            )
        )
    }
    items: dict[int | None, list[tuple[str, str | None, int | None]]] = {log_id: [] for log_id in log_ids}
    for log_id, kind, text, ticket_id in session.exec(
        select(HandoverItem.log_id, HandoverItem.kind, HandoverItem.text, HandoverItem.ticket_id)
        .where(col(HandoverItem.log_id).in_(log_ids))
        .order_by(col(HandoverItem.id))
    ):
        items[log_id].append((kind, text, ticket_id))
    views = []
    for log in logs:
        assert log.id is not None
        kind = shifts[log.from_shift_id]
        own = items[log.id]
        views.append(
            HandoverView(
                id=log.id,
                squad_id=log.squad_id,
                work_date=log.work_date,
                from_shift=kind,
                to_shift=receiving_shift(kind),
                outgoing_id=log.outgoing_id,
                outgoing=_label(people.get(log.outgoing_id)) or "",
                incoming_id=log.incoming_id,
                incoming=_label(people.get(log.incoming_id)) if log.incoming_id else None,
                equipment=log.equipment,
                problems="\n".join(text or "" for k, text, _ticket in own if k == PROBLEMS),
                complaints=log.complaints,
                events=log.events,
                written_at=log.written_at,
                acknowledged_at=log.acknowledged_at,
                acknowledged_by_id=log.acknowledged_by_id,
                carried_ticket_ids=tuple(t for k, _text, t in own if k == CARRIED and t),
                open_email_ids=tuple(t for k, _text, t in own if k == OPEN_EMAIL and t),
            )
        )
    return tuple(views)


def _own_log(session: Session, actor: Actor, window: ShiftWindow, shift_id: int) -> HandoverLog | None:
    if actor.squad_id is None:
        return None
    return session.exec(
        select(HandoverLog)
        .where(
            HandoverLog.squad_id == actor.squad_id,
            HandoverLog.work_date == window.day,
            HandoverLog.from_shift_id == shift_id,
            HandoverLog.outgoing_id == actor.staff_id,
        )
        .order_by(col(HandoverLog.id).desc())
        .limit(1)
    ).first()


def _carried_tickets(session: Session, ticket_ids: Iterable[int]) -> list[Ticket]:
    wanted = list(dict.fromkeys(ticket_ids))
    if not wanted:
        return []
    if len(wanted) > MAX_ITEMS:
        raise InvalidInput(
            _("carry at most {MAX_ITEMS} cases in one handover").format(MAX_ITEMS=MAX_ITEMS), field="carried_ticket_ids"
        )
    found = {t.id: t for t in session.exec(select(Ticket).where(col(Ticket.id).in_(wanted))).all()}
    for ticket_id in wanted:
        ticket = found.get(ticket_id)
        if ticket is None:
            raise InvalidInput(
                _("there is no ticket #{ticket_id} to carry over").format(ticket_id=ticket_id),
                field="carried_ticket_ids",
            )
        if ticket.status not in OPEN_STATUSES:
            raise InvalidInput(
                _("ticket #{ticket_id} is {value}; only open cases are carried").format(
                    ticket_id=ticket_id, value=ticket.status.value
                ),
                field="carried_ticket_ids",
                rule_ids=("HO-6",),
            )
    return [found[t] for t in wanted]


def write_handover(
    desk: Desk,
    actor: Actor,
    incoming_staff_id: int | None,
    equipment: str,
    problems: str,
    complaints: str,
    events: str,
    carried_ticket_ids: Sequence[int] = (),
) -> HandoverView:
    """Writes the outgoing side's handover for the shift now ending (HO-1, HO-4, HO-6, HO-7).

    Every required part must say something ("none" if nothing); cases still
    open from the last handover must be carried again or be solved; every
    unprocessed email is attached with a warning.
    """
    require(actor, Action.WRITE_HANDOVER)
    if actor.squad_id is None:
        raise ServiceError(_("handovers are written per squad, and you are not in one"), rule_ids=("HO-1",))
    now = desk.now()
    window = handover_shift(now, desk.policy)
    with desk.write() as session:
        incoming = session.get(Staff, incoming_staff_id) if incoming_staff_id is not None else None
        if incoming_staff_id is not None and (incoming is None or incoming.status is StaffStatus.LEFT):
            raise InvalidInput(_("choose a current colleague who takes over"), field="incoming_staff_id")
        if incoming is not None and incoming.id == actor.staff_id:
            raise InvalidInput(_("you cannot hand over to yourself"), field="incoming_staff_id", rule_ids=("HO-3",))
        parts = {
            "equipment": equipment,
            "open_problems": (problems or "").strip() or list(carried_ticket_ids),
            "complaints": complaints,
            "personnel": _label(incoming),
        }
        decision = check_handover_fields(parts)
        if not decision.ok:
            empty = _first_empty(parts)
            raise InvalidInput(decision.reason, field=_FIELD_OF[empty], rule_ids=decision.rule_ids)
        shift_id = ensure_shift_definitions(session, desk.policy)[window.kind.value]
        existing = _own_log(session, actor, window, shift_id)
        if existing is not None:
            raise ServiceError(
                _("you already wrote the handover for this shift (#{id})").format(id=existing.id), rule_ids=("HO-1",)
            )
        carried = _carried_tickets(session, carried_ticket_ids)
        previous, solved = _still_open_carried(session, _previous_log(session, actor.squad_id, window.start))
        kept = check_open_problems_carried(previous, solved, [int(t.id or 0) for t in carried])
        if not kept.ok:
            raise InvalidInput(kept.reason, field="carried_ticket_ids", rule_ids=kept.rule_ids)
        log = HandoverLog(
            squad_id=actor.squad_id,
            work_date=window.day,
            from_shift_id=shift_id,
            outgoing_id=actor.staff_id,
            incoming_id=incoming.id if incoming else None,
            equipment=equipment.strip(),
            complaints=complaints.strip(),
            events=(events or "").strip(),
            written_at=now,
        )
        session.add(log)
        session.flush()
        assert log.id is not None
        if (problems or "").strip():
            session.add(HandoverItem(log_id=log.id, kind=PROBLEMS, text=problems.strip()))
        for ticket in carried:
            assert ticket.id is not None
            session.add(HandoverItem(log_id=log.id, kind=CARRIED, ticket_id=ticket.id))
            session.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    at=now,
                    actor_id=actor.staff_id,
                    kind="handover",
                    text=f"carried over to the {receiving_shift(window.kind).value} shift in handover #{log.id}",
                )
            )
        email_ids = session.exec(
            select(Ticket.id).where(*_open_emails_where()).order_by(col(Ticket.id)).limit(MAX_ITEMS)
        ).all()
        warning = check_open_emails(email_ids).reason
        session.flush()
        if email_ids:
            # Up to MAX_ITEMS rows: one executemany, not a round trip each.
            session.execute(
                insert(HandoverItem),
                [
                    {"log_id": log.id, "kind": OPEN_EMAIL, "ticket_id": email_id, "text": warning}
                    for email_id in email_ids
                ],
            )
        audit(
            session,
            actor,
            "handover.write",
            "handover",
            log.id,
            after={**log.model_dump(), "carried": [t.id for t in carried], "open_emails": list(email_ids)},
        )
        return _view(session, log)


def _first_empty(parts: dict[str, object]) -> str:
    """The first HO-1 part the rule finds empty, tried one at a time."""
    filled: dict[str, object] = {key: "x" for key in REQUIRED_FIELDS}
    return next(key for key in REQUIRED_FIELDS if not check_handover_fields(filled | {key: parts[key]}).ok)


def acknowledge_handover(desk: Desk, actor: Actor, handover_id: int) -> HandoverView:
    """HO-3: the named successor confirms the handover, which releases the outgoing side."""
    now = desk.now()
    with desk.write() as session:
        log = session.get(HandoverLog, handover_id)
        if log is None:
            raise NotFound(_("there is no handover #{handover_id}").format(handover_id=handover_id))
        if log.incoming_id != actor.staff_id:
            raise PermissionDenied(_("only the colleague taking over acknowledges this handover"), rule_ids=("HO-3",))
        if log.acknowledged_at is None:
            before = log.model_dump()
            log.acknowledged_at = now
            log.acknowledged_by_id = actor.staff_id
            session.add(log)
            session.flush()
            audit(session, actor, "handover.acknowledge", "handover", log.id, before=before, after=log)
        return _view(session, log)


def may_leave(desk: Desk, actor: Actor, window: ShiftWindow | None = None) -> Decision:
    """AT-9, HO-3, HO-4: free to go once the handover is written and acknowledged.

    ``window`` is the shift the person worked (the time clock knows it); by
    default the shift being handed over now.
    """
    now = desk.now()
    window = window or handover_shift(now, desk.policy)
    with desk.read() as session:
        shift = session.exec(select(ShiftDefinition).where(ShiftDefinition.code == window.kind.value)).first()
        log = _own_log(session, actor, window, shift.id) if shift and shift.id else None
        successor = session.get(Staff, log.incoming_id) if log is not None and log.incoming_id else None
    if log is None:
        return check_handover_written(window.kind, None, now)
    return may_release_outgoing(log.acknowledged_at, _label(successor))


def _check_page(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidInput(_("the page offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {MAX_PAGE} handovers").format(MAX_PAGE=MAX_PAGE), field="limit")


def awaiting_my_acknowledgement(desk: Desk, actor: Actor, offset: int = 0, limit: int = 20) -> tuple[HandoverView, ...]:
    """HO-3: handovers naming the actor as successor, not yet acknowledged, newest first.

    Asked of the successor directly rather than picked from the squad's recent
    book, so one written in another squad or behind many newer ones is found.
    """
    _check_page(offset, limit)
    statement = (
        awaiting_statement(actor)
        .order_by(col(HandoverLog.written_at).desc(), col(HandoverLog.id).desc())
        .offset(offset)
        .limit(limit)
    )
    with desk.read() as session:
        return _views(session, session.exec(statement).all())


class LeaveStatus(NamedTuple):
    may_leave: Decision  # AT-9
    waiting: HandoverView | None  # HO-3: the latest handover waiting for the person's acknowledgement


def leave_status(desk: Desk, actor: Actor) -> LeaveStatus:
    """May the person leave (AT-9), and the latest handover waiting for their acknowledgement (HO-3)."""
    waiting = awaiting_my_acknowledgement(desk, actor, 0, 1)
    return LeaveStatus(may_leave(desk, actor), waiting[0] if waiting else None)


def awaiting_statement(actor: Actor):
    """HO-3: the handovers naming the actor as successor, not yet acknowledged (unordered)."""
    return select(HandoverLog).where(
        HandoverLog.incoming_id == actor.staff_id, col(HandoverLog.acknowledged_at).is_(None)
    )


def search_handovers(
    desk: Desk, actor: Actor, text: str | None = None, offset: int = 0, limit: int = 20
) -> tuple[HandoverView, ...]:
    """Past handovers of the actor's squad (every squad for directors), newest first."""
    _check_page(offset, limit)
    statement = select(HandoverLog)
    if actor.role in _DIRECTORS:
        statement = statement.order_by(col(HandoverLog.id).desc())
    elif actor.squad_id is None:
        return ()
    else:
        statement = statement.where(HandoverLog.squad_id == actor.squad_id).order_by(
            col(HandoverLog.written_at).desc(), col(HandoverLog.id).desc()
        )
    words = (text or "").strip()
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        problem_match = exists().where(
            HandoverItem.log_id == HandoverLog.id,
            HandoverItem.kind == PROBLEMS,
            col(HandoverItem.text).ilike(pattern, escape="\\"),
        )
        statement = statement.where(
            or_(
                col(HandoverLog.equipment).ilike(pattern, escape="\\"),
                col(HandoverLog.complaints).ilike(pattern, escape="\\"),
                col(HandoverLog.events).ilike(pattern, escape="\\"),
                problem_match,
            )
        )
    with desk.read() as session:
        return _views(session, session.exec(statement.offset(offset).limit(limit)).all())
