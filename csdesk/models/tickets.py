"""Tickets, their timeline and return visits (TK)."""

from datetime import datetime

from sqlalchemy import Column, Index, Integer, Text
from sqlmodel import Field, SQLModel

from csdesk.models.base import aware_field, enum_field
from csdesk.models.states import ContactOutcome
from csdesk.rules.vocab import Category, Channel, TicketStatus

# Optimistic locking: SQLAlchemy adds "AND version = :seen" to every UPDATE and
# raises StaleDataError when another desk changed the ticket first.
_ticket_version = Column("version", Integer, nullable=False)


class Ticket(SQLModel, table=True):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_sla_due", "status", "sla_due"),
        Index("ix_tickets_owner_id_status", "owner_id", "status"),
        Index("ix_tickets_received_at", "received_at"),
    )
    __mapper_args__ = {"version_id_col": _ticket_version}

    id: int | None = Field(default=None, primary_key=True)
    channel: Channel = enum_field(Channel)
    category: Category = enum_field(Category)
    customer_name: str = Field(default="", max_length=120)
    customer_contact: str = Field(default="", max_length=200)
    subject: str = Field(max_length=200)
    body: str = Field(default="", sa_type=Text)
    status: TicketStatus = enum_field(TicketStatus, default=TicketStatus.NEW)
    # TK-9 / TK-16: the first-contact agent owns the case and it carries their number.
    owner_id: int | None = Field(default=None, foreign_key="staff.id")
    # Index into csdesk.rules.vocab.ESCALATION_LADDER (0 = agent).
    escalation_level: int = Field(default=0)
    received_at: datetime = aware_field()
    dispatched_at: datetime | None = aware_field(nullable=True)
    first_reply_at: datetime | None = aware_field(nullable=True)
    resolved_at: datetime | None = aware_field(nullable=True)
    sla_due: datetime | None = aware_field(nullable=True)
    promised_at: datetime | None = aware_field(nullable=True)
    special_request: bool = Field(default=False)
    version: int = Field(default=1, sa_column=_ticket_version)


class TicketEvent(SQLModel, table=True):
    """The ticket's timeline, oldest first."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_ticket_id_at", "ticket_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    at: datetime = aware_field()
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    kind: str = Field(max_length=32)
    text: str = Field(default="", sa_type=Text)


class ReturnVisit(SQLModel, table=True):
    """TK-8: every case gets one; it may close after enough failed attempts."""

    __tablename__ = "return_visits"
    __table_args__ = (Index("ix_return_visits_done_at_due_at", "done_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id", unique=True)
    due_at: datetime = aware_field()
    done_at: datetime | None = aware_field(nullable=True)
    satisfied: bool | None = Field(default=None)
    result: str = Field(default="", sa_type=Text)


class ContactAttempt(SQLModel, table=True):
    __tablename__ = "contact_attempts"

    id: int | None = Field(default=None, primary_key=True)
    return_visit_id: int = Field(foreign_key="return_visits.id", index=True)
    at: datetime = aware_field()
    actor_id: int = Field(foreign_key="staff.id")
    outcome: ContactOutcome = enum_field(ContactOutcome)
    note: str = Field(default="", sa_type=Text)
