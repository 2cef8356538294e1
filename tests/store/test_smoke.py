from datetime import UTC, datetime

from sqlmodel import select

from csdesk.models import AuditLog, Ticket
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus
from csdesk.services.base import audit


def test_a_ticket_round_trips_with_aware_times_and_enum_values(desk, make_staff, actor_of):
    agent = make_staff(role=Role.AGENT)
    with desk.write() as session:
        ticket = Ticket(channel=Channel.EMAIL, category=Category.INQUIRY, subject="Bill",
                        received_at=desk.now())
        session.add(ticket)
        session.flush()
        audit(session, actor_of(agent), "ticket.create", "ticket", ticket.id, after=ticket)
    with desk.read() as session:
        got = session.exec(select(Ticket)).one()
        row = session.exec(select(AuditLog)).one()
    assert got.received_at == desk.now() and got.received_at.tzinfo is not None
    assert got.status is TicketStatus.NEW and got.version == 1
    assert row.after["channel"] == "email"
    assert row.at == desk.now()
