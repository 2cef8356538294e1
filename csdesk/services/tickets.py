"""Ticket use cases: intake, claim, transfer, reply, escalate, dispatch, resolve,
return visits and the ticket's detail view (TK-1..TK-16, DS-1).

Every ticket use case runs in one transaction and writes one audit row per
state change. Audit rows carry the ticket's workflow state only, never the
customer's name, contact or message (TK-15). Anyone on the floor may take in
and handle tickets; which record a person may act on is decided per ticket by
the first-contact rule (TK-9): its owner, or a leader (of the owner's squad,
unless a director).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from csdesk.i18n import N_, _
from csdesk.models import ContactAttempt, ContactOutcome, ReturnVisit, Squad, Staff, Ticket, TicketEvent
from csdesk.rules.contact import check_contact
from csdesk.rules.discipline import check_escalation, next_escalation
from csdesk.rules.identity import is_one_line
from csdesk.rules.password_guard import check_reply
from csdesk.rules.tickets import (
    check_agent_number_marked,
    check_escalation_fields,
    check_ownership,
    check_transfer,
    check_unsolved_reply,
    greeting_script,
    return_visit_may_close,
    return_visit_timer,
)
from csdesk.rules.vocab import ESCALATION_LADDER, Category, Channel, Role, StaffStatus, TicketStatus
from csdesk.rules.wording import listing
from csdesk.services.base import (
    Actor,
    Desk,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    StaleEdit,
    audit,
    require,
)
from csdesk.services.notifications import tell_skipped
from csdesk.services.outbox import queue_reply
from csdesk.services.permissions import DeskAction
from csdesk.services.queues import (
    OPEN_STATUSES,
    TimerView,
    mask_known,
    masked,
    running_deadlines,
    sees_contact,
    ticket_timer_views,
    timer_view,
    visit_timer,
)
from csdesk.services.sla import RESUME, ClockView, clock_view, settle_pause
from csdesk.vocabulary import channel_label, outcome_label, role_label

_DIRECTORS = (Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)
# Forum and email arrive in a shared queue; the first to claim owns them (TK-9).
SHARED_CHANNELS = frozenset({Channel.FORUM, Channel.EMAIL})
MAX_TIMELINE = 500


# -- views ----------------------------------------------------------------------


# The only timeline kind that went to the customer; every other line is the centre's own.
CUSTOMER_FACING_KINDS = frozenset({"reply"})
# A colleague's note on the case: never sent, shown apart from the replies.
NOTE = "note"


@dataclass(frozen=True)
class EventView:
    at: datetime
    kind: str
    actor_id: int | None
    actor_number: str | None
    text: str

    @property
    def to_customer(self) -> bool:
        """What the customer was sent (a reply), as opposed to the centre's own record."""
        return self.kind in CUSTOMER_FACING_KINDS

    @property
    def internal_note(self) -> bool:
        return self.kind == NOTE


@dataclass(frozen=True)
class AttemptView:
    at: datetime
    actor_number: str | None
    outcome: ContactOutcome
    note: str


@dataclass(frozen=True)
class ReturnVisitView:
    id: int
    ticket_id: int
    due_at: datetime
    done_at: datetime | None
    satisfied: bool | None
    result: str
    timer: TimerView
    attempts: tuple[AttemptView, ...]
    failed_attempts: int
    # TK-8: whether it may be closed now, and why (reason to show next to the button).
    may_close: bool
    may_close_reason: str


@dataclass(frozen=True)
class TicketView:
    id: int
    channel: Channel
    category: Category
    subject: str
    body: str
    customer_name: str
    customer_contact: str
    contact_masked: bool
    status: TicketStatus
    owner_id: int | None
    owner_number: str | None
    owner_name: str | None
    escalation_level: int
    escalated_to: Role
    received_at: datetime
    promised_at: datetime | None
    first_reply_at: datetime | None
    dispatched_at: datetime | None
    resolved_at: datetime | None
    sla_due: datetime | None
    special_request: bool
    version: int
    timers: tuple[TimerView, ...]
    events: tuple[EventView, ...]
    # TK-3: what the owner says on pick-up (phone only).
    greeting: str | None
    return_visit: ReturnVisitView | None
    # TK-4..TK-8: running, paused or overdue, with the waits that stopped the
    # resolution clock. ``timers`` leaves a paused clock out; ``clock.timers`` has all.
    clock: ClockView | None = None
    # What ``ticket_stamp`` said when this view was read (a view read otherwise: all 0).
    stamp: tuple[int, int, int] = (0, 0, 0)

    @property
    def replies(self) -> tuple[EventView, ...]:
        """What the customer was sent, oldest first."""
        return tuple(e for e in self.events if e.to_customer)

    @property
    def notes(self) -> tuple[EventView, ...]:
        """Colleagues' notes, never sent to the customer, oldest first."""
        return tuple(e for e in self.events if e.internal_note)


@dataclass(frozen=True)
class InformTarget:
    """TK-11: a superior an emergency escalation skipped, to be told afterwards."""

    role: Role
    staff_id: int | None
    label: str


@dataclass(frozen=True)
class EscalationResult:
    ticket: TicketView
    to_role: Role
    reason: str
    inform: tuple[InformTarget, ...]


# -- small helpers ---------------------------------------------------------------


def greeting_for(actor: Actor) -> str:
    """TK-3: the phone greeting the form shows before the call is saved."""
    return greeting_script(actor.employee_number)


def _label(staff: Staff) -> str:
    return _("No. {number} {name}").format(number=staff.employee_number, name=staff.real_name)


def _role_name(role: Role) -> str:
    return role_label(role)


def _state(ticket: Ticket) -> dict[str, Any]:
    """The audited part of a ticket: workflow only, no customer data (TK-15)."""
    return {
        "id": ticket.id,
        "channel": ticket.channel,
        "category": ticket.category,
        "status": ticket.status,
        "owner_id": ticket.owner_id,
        "escalation_level": ticket.escalation_level,
        "received_at": ticket.received_at,
        "first_reply_at": ticket.first_reply_at,
        "dispatched_at": ticket.dispatched_at,
        "resolved_at": ticket.resolved_at,
        "sla_due": ticket.sla_due,
        "promised_at": ticket.promised_at,
        "special_request": ticket.special_request,
        "version": ticket.version,
        "paused_since": ticket.paused_since,
        "paused_for": ticket.paused_for,
        "paused_seconds": ticket.paused_seconds,
    }


def _text(value: str | None, field: str, what: str, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(_("enter {what}").format(what=_(what)), field=field)
    if max_length is not None and len(text) > max_length:
        raise InvalidInput(
            _("{what} is too long (at most {max_length} characters)").format(what=_(what), max_length=max_length),
            field=field,
        )
    return text


def _contact_key(contact: str, desk: Desk) -> str:
    """TK-12: the customer's contact as one key, refused unless it is a phone number or email address."""
    checked = check_contact(contact, desk.policy.centre.phone_region)
    if checked.contact is None:
        raise InvalidInput(checked.decision.reason, field="customer_contact", rule_ids=checked.decision.rule_ids)
    return checked.contact.key


def _refuse(decision: Any, field: str | None = None) -> None:
    if not decision.ok:
        if field is not None:
            raise InvalidInput(decision.reason, field=field, rule_ids=decision.rule_ids)
        raise ServiceError(decision.reason, rule_ids=decision.rule_ids)


def _load(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id, populate_existing=True)
    if ticket is None:
        raise _no_ticket(ticket_id)
    return ticket


def _no_ticket(ticket_id: int) -> NotFound:
    return NotFound(_("there is no ticket #{ticket_id}").format(ticket_id=ticket_id))


def _require_open(ticket: Ticket) -> None:
    if ticket.status not in OPEN_STATUSES:
        raise ServiceError(_("ticket #{id} is already {value}").format(id=ticket.id, value=ticket.status.value))


def _event(session: Session, ticket: Ticket, actor: Actor | None, kind: str, text: str, at: datetime) -> TicketEvent:
    assert ticket.id is not None
    event = TicketEvent(ticket_id=ticket.id, at=at, actor_id=actor.staff_id if actor else None, kind=kind, text=text)
    session.add(event)
    return event


def _check_handler(session: Session, ticket: Ticket, actor: Actor) -> None:
    """TK-9: the owner works the case; a leader may step in for their squad (directors anywhere).

    An unclaimed ticket may be handled by anyone, who thereby takes it.
    """
    decision = check_ownership(ticket.owner_id, actor.staff_id)
    if decision.ok:
        return
    if not actor.role.is_leader:
        owner = session.get(Staff, ticket.owner_id)
        who = f" (No. {owner.employee_number})" if owner else ""
        raise PermissionDenied(decision.reason + who, rule_ids=decision.rule_ids)
    if actor.role not in _DIRECTORS:
        owner = session.get(Staff, ticket.owner_id)
        if owner is None or owner.squad_id != actor.squad_id:
            raise PermissionDenied(_("a leader handles the cases of their own squad"), rule_ids=("TK-9",))


def _take_if_unclaimed(ticket: Ticket, actor: Actor) -> bool:
    """TK-9: whoever first works an unclaimed case owns it."""
    if ticket.owner_id is not None:
        return False
    ticket.owner_id = actor.staff_id
    if ticket.status is TicketStatus.NEW:
        ticket.status = TicketStatus.CLAIMED
    return True


def _save(session: Session, ticket: Ticket, desk: Desk) -> None:
    now = desk.now()
    if settle_pause(session, ticket, now, desk.policy):
        _event(session, ticket, None, RESUME, _("no longer waiting; the resolution clock runs again"), now)
    ticket.sla_due, ticket.sla_warn_at = running_deadlines(ticket, desk.policy)
    session.add(ticket)
    session.flush()


# -- views from rows -------------------------------------------------------------


def _visit_view(session: Session, visit: ReturnVisit, ticket: Ticket, desk: Desk, actor: Actor) -> ReturnVisitView:
    assert visit.id is not None
    rows = session.exec(
        select(ContactAttempt, Staff.employee_number)
        .outerjoin(Staff, col(Staff.id) == ContactAttempt.actor_id)
        .where(ContactAttempt.return_visit_id == visit.id)
        .order_by(col(ContactAttempt.at), col(ContactAttempt.id))
    ).all()
    visible = sees_contact(actor, ticket.owner_id)
    secrets = (ticket.customer_name, ticket.customer_contact)
    attempts = tuple(AttemptView(a.at, number, a.outcome, mask_known(a.note, secrets, visible)) for a, number in rows)
    failed, decision = _closing_decision([a.outcome for a in attempts], desk)
    return ReturnVisitView(
        id=visit.id,
        ticket_id=visit.ticket_id,
        due_at=visit.due_at,
        done_at=visit.done_at,
        satisfied=visit.satisfied,
        result=mask_known(visit.result, secrets, visible),
        timer=timer_view(visit_timer(visit, ticket), desk.now(), desk.policy, visit.done_at),
        attempts=attempts,
        failed_attempts=failed,
        may_close=visit.done_at is None and decision.ok,
        may_close_reason=decision.reason if visit.done_at is None else "closed",
    )


def _closing_decision(outcomes: Sequence[ContactOutcome], desk: Desk) -> tuple[int, Any]:
    """TK-8: a visit closes once the customer was reached, or after enough failed tries."""
    from csdesk.rules.decision import Decision

    failed = sum(1 for outcome in outcomes if outcome is not ContactOutcome.REACHED)
    if ContactOutcome.REACHED in outcomes:
        return failed, Decision.allowed("the customer was reached; the visit may close", "TK-8")
    wrong = ContactOutcome.WRONG_DETAILS in outcomes
    return failed, return_visit_may_close(failed, wrong, desk.policy)


def _view(session: Session, ticket: Ticket, desk: Desk, actor: Actor, *, with_events: bool = True) -> TicketView:
    assert ticket.id is not None
    visible = sees_contact(actor, ticket.owner_id)
    secrets = (ticket.customer_name, ticket.customer_contact)
    owner = session.get(Staff, ticket.owner_id) if ticket.owner_id is not None else None
    events: tuple[EventView, ...] = ()
    if with_events:
        rows = session.exec(
            select(TicketEvent, Staff.employee_number)
            .outerjoin(Staff, col(Staff.id) == TicketEvent.actor_id)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(col(TicketEvent.at), col(TicketEvent.id))
            .limit(MAX_TIMELINE)
        ).all()
        # Escalations carry their own copy of the contact (TK-12); mask that too.
        escalation_contacts = [e.text.rsplit("contact: ", 1)[-1] for e, _ in rows if e.kind == "escalate"]
        hidden = (*secrets, *escalation_contacts)
        events = tuple(
            EventView(e.at, e.kind, e.actor_id, number, mask_known(e.text, hidden, visible)) for e, number in rows
        )
    visit = session.exec(select(ReturnVisit).where(ReturnVisit.ticket_id == ticket.id)).first()
    greeting_owner = owner.employee_number if owner else actor.employee_number
    return TicketView(
        id=ticket.id,
        channel=ticket.channel,
        category=ticket.category,
        subject=ticket.subject,
        body=mask_known(ticket.body, secrets, visible),
        customer_name=masked(ticket.customer_name, visible),
        customer_contact=masked(ticket.customer_contact, visible),
        contact_masked=not visible,
        status=ticket.status,
        owner_id=ticket.owner_id,
        owner_number=owner.employee_number if owner else None,
        owner_name=owner.real_name if owner else None,
        escalation_level=ticket.escalation_level,
        escalated_to=ESCALATION_LADDER[ticket.escalation_level],
        received_at=ticket.received_at,
        promised_at=ticket.promised_at,
        first_reply_at=ticket.first_reply_at,
        dispatched_at=ticket.dispatched_at,
        resolved_at=ticket.resolved_at,
        sla_due=ticket.sla_due,
        special_request=ticket.special_request,
        version=ticket.version,
        timers=ticket_timer_views(ticket, desk.now(), desk.policy),
        events=events,
        greeting=greeting_script(greeting_owner) if ticket.channel is Channel.PHONE else None,
        return_visit=_visit_view(session, visit, ticket, desk, actor) if visit else None,
        clock=clock_view(session, ticket, desk.now(), desk.policy),
    )


def ticket_detail(desk: Desk, actor: Actor, ticket_id: int) -> TicketView:
    """The ticket with its timeline and SLA timers, masked unless owner or leader (TK-15)."""
    with desk.read() as session:
        # Read first: a change landing before the view is read makes the next stamp differ.
        stamp = _stamp(session, ticket_id)
        return replace(_view(session, _load(session, ticket_id), desk, actor), stamp=stamp)


def ticket_stamp(desk: Desk, actor: Actor, ticket_id: int) -> tuple[int, int, int]:
    """What moves whenever the ticket's own row or timeline does: its version (every update
    of the row bumps it), how many events it has and the newest one's id (events are only
    ever added). A ticket's page asks this, far cheaper than ``ticket_detail``, when the
    centre changed only tickets and timelines, nearly always other people's."""
    with desk.read() as session:
        return _stamp(session, ticket_id)


def _stamp(session: Session, ticket_id: int) -> tuple[int, int, int]:
    row = session.execute(
        select(col(Ticket.version), func.count(col(TicketEvent.id)), func.max(col(TicketEvent.id)))
        .select_from(Ticket)
        .outerjoin(TicketEvent, col(TicketEvent.ticket_id) == col(Ticket.id))
        .where(col(Ticket.id) == ticket_id)
        .group_by(col(Ticket.id), col(Ticket.version))
    ).one_or_none()
    if row is None:
        raise _no_ticket(ticket_id)
    version, events, newest = row
    return int(version), int(events), int(newest or 0)


# -- intake -----------------------------------------------------------------------


def _enum(enum_class: Any, value: Any, field: str) -> Any:
    try:
        return enum_class(value)
    except ValueError:
        names = ", ".join(member.value for member in enum_class)
        raise InvalidInput(
            _("{value!r} is not one of: {names}").format(value=value, names=names), field=field
        ) from None


def take_in(
    desk: Desk,
    actor: Actor,
    channel: Channel | str,
    category: Category | str,
    customer_name: str,
    customer_contact: str,
    subject: str,
    body: str,
    received_at: datetime | None = None,
    promised_at: datetime | None = None,
    special_request: bool = False,
    reason_unsolved: str | None = None,
) -> TicketView:
    """Saves a new case and starts its SLA clocks (TK-1..TK-8, TK-13, TK-16).

    Phone and chat cases belong to the agent who takes them in (TK-9); forum
    and email cases wait unclaimed in their shared queue. ``promised_at`` is
    the answer time promised on a forum post (TK-6); ``reason_unsolved`` what
    the customer was told about why it can't be solved yet (TK-10).
    """
    channel = _enum(Channel, channel, "channel")
    category = _enum(Category, category, "category")
    subject = _text(subject, "subject", N_("a subject"), 200)
    name = (customer_name or "").strip()
    contact = (customer_contact or "").strip()
    if len(name) > 120:
        raise InvalidInput(_("the customer's name is too long (at most 120 characters)"), field="customer_name")
    if not is_one_line(name):
        raise InvalidInput(_("the customer's name holds a control character or a line break"), field="customer_name")
    if not is_one_line(contact):
        raise InvalidInput(_("the contact details hold a control character or a line break"), field="customer_contact")
    if len(contact) > 200:
        raise InvalidInput(_("the contact details are too long (at most 200 characters)"), field="customer_contact")
    key = _contact_key(contact, desk) if contact else ""
    now = desk.now()
    received = now if received_at is None else received_at
    if not isinstance(received, datetime):
        raise InvalidInput(_("the time received must be a date and time"), field="received_at")
    if received.tzinfo is None:
        raise InvalidInput(_("the time received needs a time zone"), field="received_at")
    if received > now:
        raise InvalidInput(_("the time received cannot be in the future"), field="received_at")
    if promised_at is not None:
        if channel is not Channel.FORUM:
            raise InvalidInput(_("a promised answer time is for forum posts"), field="promised_at", rule_ids=("TK-6",))
        if not isinstance(promised_at, datetime) or promised_at.tzinfo is None or promised_at <= received:
            raise InvalidInput(
                _("the promised time must be after the post arrived"), field="promised_at", rule_ids=("TK-6",)
            )
    reason = None
    if reason_unsolved is not None:
        _refuse(check_unsolved_reply(reason_unsolved), field="reason_unsolved")
        # The customer is told this reason, so it is held to TK-14 like any reply.
        _refuse(check_reply(reason_unsolved), field="reason_unsolved")
        reason = _text(reason_unsolved, "reason_unsolved", N_("why it can't be solved yet"), 500)
    _refuse(check_agent_number_marked(actor.employee_number))
    shared = channel in SHARED_CHANNELS
    with desk.write() as session:
        ticket = Ticket(
            channel=channel,
            category=category,
            customer_name=name,
            customer_contact=contact,
            subject=subject,
            body=(body or "").strip(),
            status=TicketStatus.NEW if shared else TicketStatus.CLAIMED,
            owner_id=None if shared else actor.staff_id,
            received_at=received,
            promised_at=promised_at,
            special_request=bool(special_request),
            contact_key=key,
        )
        _save(session, ticket, desk)
        # Timeline lines are written in the desk's language, like a note typed by hand.
        if shared:
            said = _("{who} took it in by {channel} into the shared queue")
        else:
            said = _("{who} took it in by {channel} and owns it")
        said = said.format(who=actor.label, channel=channel_label(channel))
        if special_request:
            said += _("; special request")
        _event(session, ticket, actor, "intake", said, now)
        if reason is not None:
            _event(session, ticket, actor, "unsolved", _("told the customer why: {reason}").format(reason=reason), now)
        audit(session, actor, "ticket.take_in", "ticket", ticket.id, after=_state(ticket))
        return _view(session, ticket, desk, actor)


# -- ownership ---------------------------------------------------------------------


def claim(desk: Desk, actor: Actor, ticket_id: int) -> TicketView:
    """TK-9: the first to claim an unclaimed ticket owns it; everyone else is told who."""
    with desk.write() as session:
        # One conditional UPDATE: of two desks claiming at once exactly one
        # matches the row, on SQLite and PostgreSQL alike.
        claimed = session.execute(
            update(Ticket)
            .where(col(Ticket.id) == ticket_id, col(Ticket.owner_id).is_(None))
            .values(owner_id=actor.staff_id, status=TicketStatus.CLAIMED, version=col(Ticket.version) + 1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise _no_ticket(ticket_id)
            if ticket.owner_id == actor.staff_id:
                raise ServiceError(
                    _("ticket #{ticket_id} is already yours").format(ticket_id=ticket_id), rule_ids=("TK-9",)
                )
            owner = session.get(Staff, ticket.owner_id)
            who = _label(owner) if owner else _("someone else")
            raise ServiceError(
                _("already claimed by {who}; ask a leader for a formal transfer").format(who=who), rule_ids=("TK-9",)
            )
        ticket = _load(session, ticket_id)
        before = {**_state(ticket), "owner_id": None, "version": ticket.version - 1}
        _event(session, ticket, actor, "claim", _("claimed by {who}").format(who=actor.label), desk.now())
        audit(session, actor, "ticket.claim", "ticket", ticket.id, before=before, after=_state(ticket))
        return _view(session, ticket, desk, actor)


def transfer(desk: Desk, actor: Actor, ticket_id: int, to_staff_id: int, reason: str) -> TicketView:
    """TK-9: a formal transfer by a leader, with a reason; the new agent owns the case."""
    require(actor, DeskAction.TRANSFER_TICKET)
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        _require_open(ticket)
        target = session.get(Staff, to_staff_id)
        if target is None or target.status is StaffStatus.LEFT:
            raise InvalidInput(_("choose a current colleague to transfer to"), field="to_staff_id")
        if target.id == ticket.owner_id:
            raise InvalidInput(
                _("{label_target} already owns this case").format(label_target=_label(target)), field="to_staff_id"
            )
        owner_id = ticket.owner_id or actor.staff_id
        decision = check_transfer(owner_id, actor.staff_id, actor.role, reason or "")
        # The refusal is the reason's when any reason would have been accepted.
        about_reason = check_transfer(owner_id, actor.staff_id, actor.role, "-").ok
        _refuse(decision, field="reason" if about_reason else None)
        if actor.role not in _DIRECTORS:
            owner = session.get(Staff, ticket.owner_id) if ticket.owner_id else None
            if target.squad_id != actor.squad_id or (owner is not None and owner.squad_id != actor.squad_id):
                raise PermissionDenied(_("a leader transfers cases within their own squad"), rule_ids=("TK-9",))
        before = _state(ticket)
        previous = session.get(Staff, ticket.owner_id) if ticket.owner_id else None
        ticket.owner_id = target.id
        if ticket.status is TicketStatus.NEW:
            ticket.status = TicketStatus.CLAIMED
        _save(session, ticket, desk)
        source = _label(previous) if previous else _("the shared queue")
        _event(
            session,
            ticket,
            actor,
            "transfer",
            _("transferred from {source} to {target} by {who}: {reason}").format(
                source=source, target=_label(target), who=actor.label, reason=reason.strip()
            ),
            desk.now(),
        )
        audit(
            session,
            actor,
            "ticket.transfer",
            "ticket",
            ticket.id,
            before=before,
            after={**_state(ticket), "reason": reason.strip()},
        )
        return _view(session, ticket, desk, actor)


MAX_TRANSFER_CHOICES = 200


@dataclass(frozen=True)
class TransferChoice:
    staff_id: int
    label: str  # "No. 1024 李娜"


def transfer_choices(
    desk: Desk, actor: Actor, ticket_id: int, limit: int = MAX_TRANSFER_CHOICES
) -> tuple[TransferChoice, ...]:
    """TK-9: whom a leader may hand the case to, by employee number.

    A squad's leader chooses within the squad; a director within the owner's
    squad (anyone, for a case nobody owns). The current owner is left out.
    """
    require(actor, DeskAction.TRANSFER_TICKET)
    if not 1 <= limit <= MAX_TRANSFER_CHOICES:
        raise InvalidInput(
            _("a list holds 1 to {MAX_TRANSFER_CHOICES} choices").format(MAX_TRANSFER_CHOICES=MAX_TRANSFER_CHOICES),
            field="limit",
        )
    with desk.read() as session:
        ticket = _load(session, ticket_id)
        owner = session.get(Staff, ticket.owner_id) if ticket.owner_id is not None else None
        squad_id = actor.squad_id if actor.role not in _DIRECTORS else (owner.squad_id if owner else None)
        # Served by ix_staff_squad_id_status; employee numbers are unique, so the sort is short.
        statement = (
            select(Staff).where(Staff.status != StaffStatus.LEFT).order_by(col(Staff.employee_number)).limit(limit)
        )
        if squad_id is not None:
            statement = statement.where(Staff.squad_id == squad_id)
        if owner is not None:
            statement = statement.where(Staff.id != owner.id)
        people = session.exec(statement).all()
        return tuple(TransferChoice(p.id, _label(p)) for p in people)


# -- reply and resolution -------------------------------------------------------------


def reply(
    desk: Desk,
    actor: Actor,
    ticket_id: int,
    text: str,
    expected_version: int,
    resolve: bool = False,
    reason_unsolved: str | None = None,
) -> TicketView:
    """Answers the customer (TK-10, TK-14); the first reply keeps the answer promise.
    On an email ticket the reply also goes into the mail outbox (see ``services.outbox``).

    ``expected_version`` is the version the form was showing: if the ticket
    changed since, nothing is saved (``StaleEdit``). A reply asking for a
    password is refused and nothing is saved. ``reason_unsolved`` marks a
    reply telling the customer why it can't be solved yet (TK-10).
    """
    body = _text(text, "text", N_("the reply"))
    _refuse(check_reply(body), field="text")
    if resolve and reason_unsolved is not None:
        raise InvalidInput(_("a resolving reply has no reason for being unsolved"), field="reason_unsolved")
    if reason_unsolved is not None:
        _refuse(check_unsolved_reply(reason_unsolved), field="reason_unsolved")
        _refuse(check_reply(reason_unsolved), field="reason_unsolved")
    now = desk.now()
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        if ticket.version != expected_version:
            raise StaleEdit(_("this ticket changed since you opened it; reload it, then reply again"))
        _require_open(ticket)
        _check_handler(session, ticket, actor)
        before = _state(ticket)
        _take_if_unclaimed(ticket, actor)
        if ticket.first_reply_at is None:
            ticket.first_reply_at = now
        said = _event(session, ticket, actor, "reply", body, now)
        if ticket.channel is Channel.EMAIL:
            # The outbox row commits with the reply or not at all.
            queue_reply(session, desk, ticket, said, body, now)
        if reason_unsolved is not None:
            _event(
                session,
                ticket,
                actor,
                "unsolved",
                _("told the customer why: {reason}").format(reason=reason_unsolved.strip()),
                now,
            )
        if resolve:
            _resolve(session, ticket, actor, desk, now)
        else:
            _save(session, ticket, desk)
        audit(session, actor, "ticket.reply", "ticket", ticket.id, before=before, after=_state(ticket))
        return _view(session, ticket, desk, actor)


def _resolve(session: Session, ticket: Ticket, actor: Actor, desk: Desk, now: datetime) -> None:
    """Marks the case solved and books its return visit (TK-8)."""
    ticket.status = TicketStatus.RESOLVED
    ticket.resolved_at = now
    _save(session, ticket, desk)
    _event(session, ticket, actor, "resolve", _("resolved by {who}").format(who=actor.label), now)
    _book_visit(session, ticket, actor, desk, now)


def _book_visit(session: Session, ticket: Ticket, actor: Actor, desk: Desk, now: datetime) -> ReturnVisit:
    existing = session.exec(select(ReturnVisit).where(ReturnVisit.ticket_id == ticket.id)).first()
    if existing is not None:
        return existing
    assert ticket.id is not None and ticket.resolved_at is not None
    visit = ReturnVisit(ticket_id=ticket.id, due_at=return_visit_timer(ticket.resolved_at, desk.policy).due_at)
    session.add(visit)
    session.flush()
    audit(session, actor, "return_visit.schedule", "return_visit", visit.id, after=visit, at=now)
    return visit


def resolve(desk: Desk, actor: Actor, ticket_id: int, note: str = "") -> TicketView:
    """Marks a case solved without a further reply; its return visit is booked (TK-8)."""
    now = desk.now()
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        _require_open(ticket)
        _check_handler(session, ticket, actor)
        before = _state(ticket)
        _take_if_unclaimed(ticket, actor)
        if note.strip():
            _event(session, ticket, actor, "note", note.strip(), now)
        _resolve(session, ticket, actor, desk, now)
        audit(session, actor, "ticket.resolve", "ticket", ticket.id, before=before, after=_state(ticket))
        return _view(session, ticket, desk, actor)


# -- escalation and dispatch -------------------------------------------------------------


def _superiors(session: Session, role: Role, ticket: Ticket, actor: Actor) -> list[Staff]:
    """Who holds a skipped level: the squad's leader, or the current directors."""
    if role is Role.SQUAD_LEADER:
        owner = session.get(Staff, ticket.owner_id) if ticket.owner_id else None
        squad_id = owner.squad_id if owner and owner.squad_id else actor.squad_id
        squad = session.get(Squad, squad_id) if squad_id else None
        leader = session.get(Staff, squad.leader_id) if squad and squad.leader_id else None
        return [leader] if leader and leader.status is not StaffStatus.LEFT else []
    return list(
        session.exec(
            select(Staff).where(Staff.role == role, Staff.status != StaffStatus.LEFT).order_by(col(Staff.id)).limit(5)
        ).all()
    )


def _inform_targets(
    session: Session, skipped: tuple[Role, ...], inform: Sequence[int] | None, ticket: Ticket, actor: Actor
) -> list[InformTarget]:
    chosen: dict[Role, list[Staff]] = {}
    for staff_id in inform or ():
        person = session.get(Staff, staff_id)
        if person is None or person.status is StaffStatus.LEFT or person.role not in skipped:
            names = listing(_role_name(r) for r in skipped) or _("nobody (no level is skipped)")
            raise InvalidInput(
                _("the people to inform are the skipped {names}").format(names=names),
                field="inform",
                rule_ids=("TK-11",),
            )
        chosen.setdefault(person.role, []).append(person)
    targets: list[InformTarget] = []
    for role in skipped:
        people = chosen.get(role) or _superiors(session, role, ticket, actor)
        if not people:
            targets.append(InformTarget(role, None, _("the {role} (no one on record)").format(role=_role_name(role))))
        targets.extend(InformTarget(role, p.id, f"{_label(p)}, {_role_name(role)}") for p in people)
    return targets


def escalate(
    desk: Desk,
    actor: Actor,
    ticket_id: int,
    description: str,
    customer_contact: str,
    emergency_skip_to: Role | str | None = None,
    inform: Sequence[int] | None = None,
) -> EscalationResult:
    """Takes the case one level up the line (TK-11, TK-12, DS-1).

    In an emergency ``emergency_skip_to`` names a higher level; the skipped
    superiors (the ones given in ``inform``, else the squad's leader or the
    current directors) are recorded on the timeline to be told afterwards.
    """
    fields = check_escalation_fields(description or "", customer_contact or "", desk.policy.centre.phone_region)
    if not fields.ok:
        field = "description" if not (description or "").strip() else "customer_contact"
        raise InvalidInput(fields.reason, field=field, rule_ids=fields.rule_ids)
    if inform and emergency_skip_to is None:
        raise InvalidInput(
            _("only an emergency escalation skips someone to inform"), field="inform", rule_ids=("TK-11",)
        )
    now = desk.now()
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        _require_open(ticket)
        _check_handler(session, ticket, actor)
        here = ESCALATION_LADDER[ticket.escalation_level]
        if emergency_skip_to is None:
            to_role = next_escalation(here)
            if to_role is None:
                raise ServiceError(
                    _("the case is already with the centre director; there is no level above"),
                    rule_ids=("TK-11", "DS-1"),
                )
            decision = check_escalation(here, to_role)
        else:
            to_role = _enum(Role, emergency_skip_to, "emergency_skip_to")
            decision = check_escalation(here, to_role, emergency=True)
        if not decision.ok:
            raise ServiceError(
                decision.reason, field="emergency_skip_to" if emergency_skip_to else None, rule_ids=decision.rule_ids
            )
        if inform and not decision.inform:
            raise InvalidInput(
                _("no level is skipped, so there is no one to inform"), field="inform", rule_ids=("TK-11",)
            )
        targets = _inform_targets(session, decision.inform, inform, ticket, actor)
        before = _state(ticket)
        _take_if_unclaimed(ticket, actor)
        contact = customer_contact.strip()
        if not ticket.customer_contact:
            ticket.customer_contact = contact[:200]
            ticket.contact_key = _contact_key(contact, desk)
        ticket.escalation_level = ESCALATION_LADDER.index(to_role)
        ticket.status = TicketStatus.ESCALATED
        _save(session, ticket, desk)
        if decision.inform:
            said = _("emergency escalation to the {role} by {who}: {description} — contact: {contact}")
        else:
            said = _("escalated to the {role} by {who}: {description} — contact: {contact}")
        _event(
            session,
            ticket,
            actor,
            "escalate",
            said.format(role=_role_name(to_role), who=actor.label, description=description.strip(), contact=contact),
            now,
        )
        for target in targets:
            _event(
                session,
                ticket,
                actor,
                "inform",
                _("inform {target} afterwards: the emergency escalation skipped this level").format(
                    target=target.label
                ),
                now,
            )
        tell_skipped(session, ticket, actor, to_role, [t.staff_id for t in targets if t.staff_id], now)
        audit(
            session,
            actor,
            "ticket.escalate",
            "ticket",
            ticket.id,
            before=before,
            after={
                **_state(ticket),
                "to_role": to_role,
                "emergency": bool(decision.inform),
                "inform": [t.staff_id for t in targets],
            },
        )
        return EscalationResult(_view(session, ticket, desk, actor), to_role, decision.reason, tuple(targets))


def dispatch(desk: Desk, actor: Actor, ticket_id: int, to_party: str) -> TicketView:
    """Hands the case to the responsible party: keeps the complaint promise (TK-4)
    and starts the back-office one (TK-5)."""
    party = _text(to_party, "to_party", N_("who the case goes to"), 200)
    now = desk.now()
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        _require_open(ticket)
        _check_handler(session, ticket, actor)
        if ticket.dispatched_at is not None:
            shown = ticket.dispatched_at.astimezone(desk.policy.zone)
            raise ServiceError(
                _("ticket #{id} was already dispatched at {shown:%Y-%m-%d %H:%M}").format(id=ticket.id, shown=shown),
                rule_ids=("TK-4",),
            )
        before = _state(ticket)
        _take_if_unclaimed(ticket, actor)
        ticket.dispatched_at = now
        ticket.status = TicketStatus.DISPATCHED
        _save(session, ticket, desk)
        _event(
            session,
            ticket,
            actor,
            "dispatch",
            _("dispatched to {party} by {who}").format(party=party, who=actor.label),
            now,
        )
        audit(
            session,
            actor,
            "ticket.dispatch",
            "ticket",
            ticket.id,
            before=before,
            after={**_state(ticket), "to_party": party},
        )
        return _view(session, ticket, desk, actor)


# -- return visits ----------------------------------------------------------------------


def _load_visit(session: Session, visit_id: int) -> tuple[ReturnVisit, Ticket]:
    visit = session.get(ReturnVisit, visit_id, populate_existing=True)
    if visit is None:
        raise NotFound(_("there is no return visit #{visit_id}").format(visit_id=visit_id))
    return visit, _load(session, visit.ticket_id)


def schedule_return_visit(desk: Desk, actor: Actor, ticket_id: int) -> ReturnVisitView:
    """TK-8: every resolved case gets one return visit (booked again, it is the same one)."""
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        if ticket.resolved_at is None:
            raise ServiceError(_("a return visit follows the resolution; resolve the case first"), rule_ids=("TK-8",))
        visit = _book_visit(session, ticket, actor, desk, desk.now())
        return _visit_view(session, visit, ticket, desk, actor)


def log_contact_attempt(
    desk: Desk, actor: Actor, visit_id: int, outcome: ContactOutcome | str, note: str = ""
) -> ReturnVisitView:
    """Records one try to reach the customer for the return visit (TK-8)."""
    result = _enum(ContactOutcome, outcome, "outcome")
    now = desk.now()
    with desk.write() as session:
        visit, ticket = _load_visit(session, visit_id)
        if visit.done_at is not None:
            raise ServiceError(
                _("return visit #{visit_id} is already closed").format(visit_id=visit_id), rule_ids=("TK-8",)
            )
        _check_handler(session, ticket, actor)
        attempt = ContactAttempt(
            return_visit_id=visit_id, at=now, actor_id=actor.staff_id, outcome=result, note=(note or "").strip()
        )
        session.add(attempt)
        session.flush()
        _event(
            session,
            ticket,
            actor,
            "visit_attempt",
            _("return visit: {result}").format(result=outcome_label(result)),
            now,
        )
        audit(
            session,
            actor,
            "return_visit.attempt",
            "return_visit",
            visit_id,
            after={"attempt_id": attempt.id, "outcome": result},
        )
        return _visit_view(session, visit, ticket, desk, actor)


def close_return_visit(
    desk: Desk, actor: Actor, visit_id: int, satisfied: bool | None = None, result: str = ""
) -> ReturnVisitView:
    """Closes the visit and with it the case: once the customer was reached, or
    after enough failed attempts or wrong contact details (TK-8)."""
    now = desk.now()
    with desk.write() as session:
        visit, ticket = _load_visit(session, visit_id)
        _close_visit(session, visit, ticket, actor, desk, now, satisfied, result)
        return _visit_view(session, visit, ticket, desk, actor)


def _close_visit(
    session: Session,
    visit: ReturnVisit,
    ticket: Ticket,
    actor: Actor,
    desk: Desk,
    now: datetime,
    satisfied: bool | None,
    result: str,
) -> None:
    if visit.done_at is not None:
        raise ServiceError(_("return visit #{id} is already closed").format(id=visit.id), rule_ids=("TK-8",))
    _check_handler(session, ticket, actor)
    outcomes = session.exec(select(ContactAttempt.outcome).where(ContactAttempt.return_visit_id == visit.id)).all()
    _closing, decision = _closing_decision(list(outcomes), desk)
    if not decision.ok:
        raise ServiceError(decision.reason, rule_ids=decision.rule_ids)
    before_ticket = _state(ticket)
    visit.done_at = now
    visit.satisfied = satisfied
    visit.result = (result or "").strip()
    session.add(visit)
    ticket.status = TicketStatus.CLOSED
    _save(session, ticket, desk)
    _event(session, ticket, actor, "close", _("return visit done; case closed by {who}").format(who=actor.label), now)
    # The visit's result may quote the customer; the audit row keeps the outcome only.
    audit(
        session,
        actor,
        "return_visit.close",
        "return_visit",
        visit.id,
        after={"ticket_id": visit.ticket_id, "done_at": visit.done_at, "satisfied": visit.satisfied},
    )
    audit(session, actor, "ticket.close", "ticket", ticket.id, before=before_ticket, after=_state(ticket))


def close(desk: Desk, actor: Actor, ticket_id: int, satisfied: bool | None = None, result: str = "") -> TicketView:
    """Closes a resolved case through its return visit (TK-8)."""
    now = desk.now()
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        visit = session.exec(select(ReturnVisit).where(ReturnVisit.ticket_id == ticket_id)).first()
        if visit is None:
            raise ServiceError(_("every case gets a return visit; resolve the case first"), rule_ids=("TK-8",))
        _close_visit(session, visit, ticket, actor, desk, now, satisfied, result)
        return _view(session, ticket, desk, actor)


__all__ = [
    "AttemptView",
    "EscalationResult",
    "EventView",
    "InformTarget",
    "ReturnVisitView",
    "TicketView",
    "claim",
    "close",
    "close_return_visit",
    "dispatch",
    "escalate",
    "greeting_for",
    "log_contact_attempt",
    "reply",
    "resolve",
    "schedule_return_visit",
    "take_in",
    "ticket_detail",
    "transfer",
    "transfer_choices",
    "TransferChoice",
]
