"""Find any ticket: by its number, by words of its subject or by the customer's whole
contact, closed ones included; and a customer's earlier cases (TK-9, TK-15).

Results are newest first, a page at a time, each page read with LIMIT on an
index in the order asked: ``ix_tickets_received_at_id`` for every ticket and
``ix_tickets_contact_key_received_at_id`` for one customer's. A contact is
matched only whole (a phone number however it is typed, an email address in
any case), never by a part of it, so nobody can go fishing for customers with
a few digits; and it shows masked to anyone but the case's owner and leaders
(TK-15), like every list.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, tuple_
from sqlmodel import col, select

from csdesk.i18n import _
from csdesk.models import Staff, Ticket
from csdesk.rules.contact import check_contact
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound
from csdesk.services.queues import QueueRow, check_page, ticket_rows
from csdesk.services.tickets import TicketView, ticket_detail

MAX_NUMBER = 2**31 - 1


@dataclass(frozen=True)
class SearchTerms:
    """What a search box's text was read as."""

    number: int | None  # "321" or "#321"
    contact_key: str | None  # a whole phone number or email address
    words: str | None  # part of a subject


def ticket_number(text: str | int) -> int:
    """ "#321", "321" or 321 as a ticket number; anything else is refused on the field."""
    raw = str(text).strip().removeprefix("#").strip()
    if not raw.isdigit() or not 0 < int(raw) <= MAX_NUMBER:
        raise InvalidInput(_("type a ticket number, such as 321 or #321"), field="number")
    return int(raw)


def read_terms(text: str | None, phone_region: str = "CN") -> SearchTerms:
    """A number, a whole contact or words of a subject, whichever the text can be."""
    raw = (text or "").strip()
    if not raw:
        return SearchTerms(None, None, None)
    number = raw.removeprefix("#").strip()
    if raw.startswith("#") and number.isdigit() and 0 < int(number) <= MAX_NUMBER:
        return SearchTerms(int(number), None, None)
    contact = check_contact(raw, phone_region).contact
    digits = raw.isdigit() and 0 < int(raw) <= MAX_NUMBER
    # Digits alone may be a ticket number and a phone number at once (or an order
    # number in a subject); a partial contact is only ever words of a subject.
    return SearchTerms(int(raw) if digits else None, contact.key if contact else None, None if contact else raw)


def _escaped(words: str) -> str:
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_statement(terms: SearchTerms):
    """Every ticket matching the terms, newest first (the search index's order)."""
    statement = (
        select(Ticket, Staff.employee_number)
        .outerjoin(Staff, col(Staff.id) == Ticket.owner_id)
        .order_by(col(Ticket.received_at).desc(), col(Ticket.id).desc())
    )
    matches = []
    if terms.number is not None:
        matches.append(col(Ticket.id) == terms.number)
    if terms.contact_key:
        matches.append(col(Ticket.contact_key) == terms.contact_key)
    if terms.words:
        matches.append(col(Ticket.subject).ilike(_escaped(terms.words), escape="\\"))
    if matches:
        statement = statement.where(or_(*matches))
    return statement


def search_tickets(
    desk: Desk, actor: Actor, text: str | None, offset: int = 0, limit: int = 20
) -> tuple[QueueRow, ...]:
    """All tickets, closed ones included, whose number, subject or whole customer contact
    matches ``text``, newest first; customers masked as the viewer may see them (TK-15).
    Empty text lists every ticket."""
    check_page(offset, limit)
    terms = read_terms(text, desk.policy.centre.phone_region)
    with desk.read() as session:
        rows = session.exec(search_statement(terms).offset(offset).limit(limit)).all()
        return ticket_rows(rows, actor, desk.now(), desk.policy)


def open_ticket(desk: Desk, actor: Actor, number: str | int) -> TicketView:
    """The ticket with that number ("321" or "#321"), whatever its queue or state, as
    ``ticket_detail`` shows it: the customer masked unless owner or leader (TK-15)."""
    return ticket_detail(desk, actor, ticket_number(number))


def history_statement(ticket: Ticket):
    """The same customer's cases before this one, newest first, on the contact index."""
    return (
        select(Ticket, Staff.employee_number)
        .outerjoin(Staff, col(Staff.id) == Ticket.owner_id)
        .where(
            col(Ticket.contact_key) == ticket.contact_key,
            tuple_(col(Ticket.received_at), col(Ticket.id)) < tuple_(ticket.received_at, ticket.id),
        )
        .order_by(col(Ticket.received_at).desc(), col(Ticket.id).desc())
    )


def customer_history(
    desk: Desk, actor: Actor, ticket_id: int, offset: int = 0, limit: int = 20
) -> tuple[QueueRow, ...]:
    """Every earlier case of the customer of ``ticket_id``, matched on the whole contact
    (however it was typed), newest first. A case with no usable contact has none."""
    check_page(offset, limit)
    with desk.read() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise NotFound(_("there is no ticket #{ticket_id}").format(ticket_id=ticket_id))
        if not ticket.contact_key:
            return ()
        rows = session.exec(history_statement(ticket).offset(offset).limit(limit)).all()
        return ticket_rows(rows, actor, desk.now(), desk.policy)


__all__ = [
    "SearchTerms",
    "customer_history",
    "open_ticket",
    "read_terms",
    "search_statement",
    "search_tickets",
    "ticket_number",
]
