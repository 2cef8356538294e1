"""A case waiting for the customer or another department, and its return (TK-5, TK-9, TK-10).

Putting a case to wait stops its resolution clock (TK-5); when the customer
answers or the department hands it back, the owner resumes it and the due time
moves by the clock's own time the wait took. The case keeps its owner (TK-9);
the person who puts it to wait or resumes it must be one who may handle it.
Everything a screen shows about it is in ``TicketView.clock`` (``sla_clock``
alone gives the same without the timeline).
"""

from __future__ import annotations

from sqlmodel import Session

from csdesk.i18n import _
from csdesk.models import Ticket, WaitingFor
from csdesk.rules.shifts import elapsed
from csdesk.rules.tickets import duration_words
from csdesk.rules.vocab import TicketStatus
from csdesk.services.base import Actor, Desk, InvalidInput, ServiceError, StaleEdit, audit
from csdesk.services.sla import PAUSE, RESUME, WAITING_STATUS, ClockView, clock_view, end_pause, start_pause
from csdesk.services.tickets import (
    TicketView,
    _check_handler,
    _enum,
    _event,
    _load,
    _require_open,
    _save,
    _state,
    _take_if_unclaimed,
    _view,
)

MAX_NOTE = 500


def _checked_version(ticket: Ticket, expected_version: int | None) -> None:
    if expected_version is not None and ticket.version != expected_version:
        raise StaleEdit(_("this ticket changed since you opened it; reload it, then try again"))


def _note(note: str | None, waiting_for: WaitingFor) -> str:
    text = (note or "").strip()
    if waiting_for is WaitingFor.DEPARTMENT and not text:
        raise InvalidInput(_("name the department the case waits for"), field="note", rule_ids=("TK-5",))
    if len(text) > MAX_NOTE:
        raise InvalidInput(_("the note is too long (at most {limit} characters)").format(limit=MAX_NOTE), field="note")
    return text


def pause_clock(
    desk: Desk,
    actor: Actor,
    ticket_id: int,
    waiting_for: WaitingFor | str,
    note: str = "",
    expected_version: int | None = None,
) -> TicketView:
    """Puts the case to wait for the customer (``customer``: what was asked of them) or for
    another department (``department``: which one), stopping its resolution clock (TK-5).

    A case waiting for a department counts as handed to it: the complaint promise
    (TK-4) is kept, as by a dispatch.
    """
    waiting = _enum(WaitingFor, waiting_for, "waiting_for")
    text = _note(note, waiting)
    now = desk.now()
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        _checked_version(ticket, expected_version)
        _require_open(ticket)
        _check_handler(session, ticket, actor)
        if ticket.paused_since is not None:
            raise ServiceError(
                _("ticket #{id} is already waiting; resume it first").format(id=ticket.id), rule_ids=("TK-5",)
            )
        before = _state(ticket)
        _take_if_unclaimed(ticket, actor)
        ticket.status = WAITING_STATUS[waiting]
        if waiting is WaitingFor.DEPARTMENT and ticket.dispatched_at is None:
            ticket.dispatched_at = now
        start_pause(session, ticket, actor.staff_id, waiting, text, now)
        _save(session, ticket, desk)
        if waiting is WaitingFor.DEPARTMENT:
            said = _("{who} handed the case to {department} and waits for it; the resolution clock stops").format(
                who=actor.label, department=text
            )
        elif text:
            said = _("{who} waits for the customer: {note}; the resolution clock stops").format(
                who=actor.label, note=text
            )
        else:
            said = _("{who} waits for the customer; the resolution clock stops").format(who=actor.label)
        _event(session, ticket, actor, PAUSE, said, now)
        audit(
            session,
            actor,
            "ticket.pause",
            "ticket",
            ticket.id,
            before=before,
            after={**_state(ticket), "waiting_for": waiting},
        )
        return _view(session, ticket, desk, actor)


def resume_clock(
    desk: Desk, actor: Actor, ticket_id: int, note: str = "", expected_version: int | None = None
) -> TicketView:
    """The customer answered, or the department handed the case back: it is the owner's
    again and its resolution clock runs, due later by the time the wait took (TK-5)."""
    text = _note(note, WaitingFor.CUSTOMER)
    now = desk.now()
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        _checked_version(ticket, expected_version)
        _require_open(ticket)
        _check_handler(session, ticket, actor)
        if ticket.paused_since is None:
            raise ServiceError(_("ticket #{id} is not waiting").format(id=ticket.id), rule_ids=("TK-5",))
        before = _state(ticket)
        waited = elapsed(ticket.paused_since, now)
        moved = end_pause(session, ticket, actor.staff_id, now, desk.policy)
        ticket.status = TicketStatus.CLAIMED
        _save(session, ticket, desk)
        said = _("{who} resumed the case after {waited} of waiting; the due time moves by {moved}").format(
            who=actor.label, waited=duration_words(waited), moved=duration_words(moved)
        )
        if text:
            said += ": " + text
        _event(session, ticket, actor, RESUME, said, now)
        audit(session, actor, "ticket.resume", "ticket", ticket.id, before=before, after=_state(ticket))
        return _view(session, ticket, desk, actor)


def _clock(session: Session, ticket: Ticket, desk: Desk) -> ClockView:
    return clock_view(session, ticket, desk.now(), desk.policy)


def sla_clock(desk: Desk, actor: Actor, ticket_id: int) -> ClockView:
    """Where the case's clocks stand: running, paused or overdue, and its waits (TK-4..TK-8)."""
    with desk.read() as session:
        return _clock(session, _load(session, ticket_id), desk)
