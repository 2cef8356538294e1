"""Mail of the email queue: every message in and out, attachments, and the outbox (TK-7).

A ticket's thread is the set of Message-IDs recorded for it: a customer's answer
names one of them in In-Reply-To or References. A reply leaves through the
outbox, written in the same transaction as its timeline entry; the sender claims
one row at a time and records each attempt, so a reply goes out once even when a
sender or the relay dies half-way.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

import csdesk.models.tickets  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field, enum_field

# Message-IDs are kept whole up to this length; a longer one is stored as its digest.
MESSAGE_ID_LENGTH = 255


class MailDirection(StrEnum):
    IN = "in"
    OUT = "out"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the policy's attempts


class MailMessage(SQLModel, table=True):
    """One message of a ticket's thread, received or sent, by its Message-ID."""

    __tablename__ = "mail_messages"
    __table_args__ = (Index("ix_mail_messages_ticket_id_at", "ticket_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    # Unique: the same message delivered twice is recognised and taken in once.
    message_id: str = Field(max_length=MESSAGE_ID_LENGTH, unique=True)
    ticket_id: int = Field(foreign_key="tickets.id")
    direction: MailDirection = enum_field(MailDirection)
    at: datetime = aware_field()
    # An auto-reply, bounce or list message: recorded, never answered.
    automatic: bool = Field(default=False)
    event_id: int | None = Field(default=None, foreign_key="ticket_events.id")


class MailAttachment(SQLModel, table=True):
    """A file that came with a customer's message; its content only within the policy's limit."""

    __tablename__ = "mail_attachments"

    id: int | None = Field(default=None, primary_key=True)
    mail_message_id: int = Field(foreign_key="mail_messages.id", index=True)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=127)
    size: int
    # None when the file was larger than [mail] max_attachment_bytes.
    content: bytes | None = Field(default=None, sa_type=LargeBinary)


class OutboxMail(SQLModel, table=True):
    """A reply waiting to be sent, being sent, sent or given up on."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id", index=True)
    # The reply's timeline entry.
    event_id: int = Field(foreign_key="ticket_events.id")
    # Fixed when queued, so every attempt sends the same message and a resend is recognisable.
    message_id: str = Field(max_length=MESSAGE_ID_LENGTH, unique=True)
    to_address: str = Field(max_length=320)
    subject: str = Field(max_length=400)
    body: str = Field(sa_type=Text)
    in_reply_to: str = Field(default="", max_length=MESSAGE_ID_LENGTH)
    references: str = Field(default="", sa_type=Text)
    created_at: datetime = aware_field()
    status: OutboxStatus = enum_field(OutboxStatus, default=OutboxStatus.QUEUED)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = aware_field()
    # Set while a sender holds the row; a claim older than the lease is taken over.
    claimed_at: datetime | None = aware_field(nullable=True)
    claim_token: str | None = Field(default=None, max_length=32)
    sent_at: datetime | None = aware_field(nullable=True)
    last_error: str = Field(default="", sa_type=Text)


class SendAttempt(SQLModel, table=True):
    """One try at handing a reply to the relay; unfinished if its sender died."""

    __tablename__ = "mail_send_attempts"

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="mail_outbox.id", index=True)
    started_at: datetime = aware_field()
    finished_at: datetime | None = aware_field(nullable=True)
    # "sent", "failed", or "" while running (and for ever if the sender died).
    outcome: str = Field(default="", max_length=16)
    detail: str = Field(default="", sa_type=Text)
