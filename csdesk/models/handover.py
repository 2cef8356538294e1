"""Shift handover book and notices that must be read before starting (HO)."""

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
import csdesk.models.tickets  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field


class HandoverLog(SQLModel, table=True):
    """HO-1 / HO-3: the outgoing side is released only once ``acknowledged_at`` is set."""

    __tablename__ = "handover_logs"
    __table_args__ = (
        Index("ix_handover_logs_squad_id_written_at", "squad_id", "written_at"),
        # HO-3: a successor's unacknowledged handovers, newest first.
        Index(
            "ix_handover_logs_incoming_id_acknowledged_at_written_at", "incoming_id", "acknowledged_at", "written_at"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    squad_id: int = Field(foreign_key="squads.id")
    work_date: date
    from_shift_id: int = Field(foreign_key="shift_definitions.id")
    outgoing_id: int = Field(foreign_key="staff.id")
    incoming_id: int | None = Field(default=None, foreign_key="staff.id")
    equipment: str = Field(default="", sa_type=Text)
    complaints: str = Field(default="", sa_type=Text)
    events: str = Field(default="", sa_type=Text)
    written_at: datetime = aware_field()
    acknowledged_at: datetime | None = aware_field(nullable=True)
    acknowledged_by_id: int | None = Field(default=None, foreign_key="staff.id")


class HandoverItem(SQLModel, table=True):
    """HO-6 / HO-7: an open problem or email carried over, linked to its ticket."""

    __tablename__ = "handover_items"

    id: int | None = Field(default=None, primary_key=True)
    log_id: int = Field(foreign_key="handover_logs.id", index=True)
    kind: str = Field(max_length=32)
    text: str = Field(default="", sa_type=Text)
    ticket_id: int | None = Field(default=None, foreign_key="tickets.id", index=True)


class Notice(SQLModel, table=True):
    """HO-2: business changes and offers staff read before starting."""

    __tablename__ = "notices"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_type=Text)
    author_id: int = Field(foreign_key="staff.id")
    published_at: datetime = aware_field(index=True)
    expires_at: datetime | None = aware_field(nullable=True)


class NoticeAck(SQLModel, table=True):
    __tablename__ = "notice_acks"
    __table_args__ = (UniqueConstraint("notice_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notices.id")
    staff_id: int = Field(foreign_key="staff.id", index=True)
    acknowledged_at: datetime = aware_field()
