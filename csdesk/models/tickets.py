"""Tickets, their timeline and return visits (TK)."""

from datetime import datetime

from sqlalchemy import Column, Index, Integer, Text, text
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field, enum_field
from csdesk.models.states import ContactOutcome, WaitingFor
from csdesk.rules.vocab import Category, Channel, TicketStatus

# Optimistic locking: SQLAlchemy adds "AND version = :seen" to every UPDATE and
# raises StaleDataError when another desk changed the ticket first.
_ticket_version = Column("version", Integer, nullable=False)


class Ticket(SQLModel, table=True):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_sla_due", "status", "sla_due"),
        Index("ix_tickets_owner_id_status", "owner_id", "status"),
        # Search: every ticket, newest first, paged (also by number and subject).
        Index("ix_tickets_received_at_id", "received_at", "id"),
        # Search by the customer's contact and the customer's history, newest first.
        Index("ix_tickets_contact_key_received_at_id", "contact_key", "received_at", "id"),
        # TK-11: the open cases escalated to a level (a squad's leader, a director).
        Index("ix_tickets_escalation_level_status", "escalation_level", "status"),
        # HO-7: a channel's open tickets nobody has answered yet, listed at every handover.
        Index("ix_tickets_channel_status_first_reply_at_id", "channel", "status", "first_reply_at", "id"),
        # TK-4..TK-6: a channel's queue most urgent first, and its tab's count.
        Index("ix_tickets_channel_status_sla_due_id", "channel", "status", "sla_due", "id"),
        # TK-5: the back office's queue, whose paused cases wait for another department.
        Index("ix_tickets_status_paused_since_sla_due_id", "status", "paused_since", "sla_due", "id"),
        # SC-1: the back office's work by when it was dispatched, for the roster's demand.
        Index(
            "ix_tickets_dispatched_at",
            "dispatched_at",
            sqlite_where=text("dispatched_at IS NOT NULL"),
            postgresql_where=text("dispatched_at IS NOT NULL"),
        ),
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
    # The contact as one key (+8613812345678, zhang@example.com): search and history
    # match it whole, whatever way it was typed. Empty when there is none.
    contact_key: str = Field(default="", max_length=200)
    # TK-5: the resolution clock is stopped since this moment while the case waits.
    paused_since: datetime | None = aware_field(nullable=True)
    paused_for: WaitingFor | None = enum_field(WaitingFor, nullable=True)
    # How far the pauses already over moved the resolution clock's due time.
    paused_seconds: int = Field(default=0)
    # When the most urgent running timer turns "due soon" (or None): the inbox's
    # "my tickets near or past their SLA" is a plain comparison with now.
    sla_warn_at: datetime | None = aware_field(nullable=True)


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


class ClockPause(SQLModel, table=True):
    """TK-5: one stretch of a case waiting for the customer or another department."""

    __tablename__ = "clock_pauses"
    __table_args__ = (Index("ix_clock_pauses_ticket_id_started_at", "ticket_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    waiting_for: WaitingFor = enum_field(WaitingFor)
    # Whom the case waits on, for a department ("billing"); what was asked, for a customer.
    note: str = Field(default="", sa_type=Text)
    started_at: datetime = aware_field()
    started_by_id: int = Field(foreign_key="staff.id")
    ended_at: datetime | None = aware_field(nullable=True)
    ended_by_id: int | None = Field(default=None, foreign_key="staff.id")
    # How far this pause moved the resolution clock's due time (its own time only).
    credit_seconds: int = Field(default=0)


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
