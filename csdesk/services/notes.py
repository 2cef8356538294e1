"""Notes for colleagues on a case: kept on its timeline, never sent to the customer.

A note is a timeline line of its own kind (``note``), apart from the replies:
``reply`` answers the customer (and goes through the password guard, TK-14);
``note`` only tells the centre. A note answers no promise, so it stops no
timer, and it changes neither the owner nor the state of the case, so anyone
on the floor may leave one, on any case, closed ones included. Like every
timeline line it is shown with the customer's known details masked to anyone
but the owner and leaders (TK-15), and the audit log keeps that a note was
written, not what it says.
"""

from __future__ import annotations

from csdesk.i18n import N_
from csdesk.services.base import Actor, Desk, audit
from csdesk.services.tickets import NOTE, TicketView, _event, _load, _text, _view

MAX_NOTE = 2000


def note(desk: Desk, actor: Actor, ticket_id: int, text: str) -> TicketView:
    """Adds a note for colleagues to the case's timeline; nothing is sent to the customer."""
    body = _text(text, "text", N_("the note"), MAX_NOTE)
    now = desk.now()
    with desk.write() as session:
        ticket = _load(session, ticket_id)
        _event(session, ticket, actor, NOTE, body, now)
        session.flush()
        audit(session, actor, "ticket.note", "ticket", ticket.id, after={"kind": NOTE, "length": len(body)})
        return _view(session, ticket, desk, actor)
