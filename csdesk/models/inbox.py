"""Items for one person's inbox, and the centre's agreed reply wording (TK-11, TK-14)."""

from datetime import datetime

from sqlalchemy import Column, Index, Integer, Text
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
import csdesk.models.tickets  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field, enum_field
from csdesk.models.states import NotificationKind
from csdesk.rules.vocab import Category, Role

_canned_version = Column("version", Integer, nullable=False)


class Notification(SQLModel, table=True):
    """Something a person is told and marks read, e.g. a level skipped in an emergency (TK-11)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_id_read_at_created_at", "recipient_id", "read_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(foreign_key="staff.id")
    kind: NotificationKind = enum_field(NotificationKind)
    ticket_id: int | None = Field(default=None, foreign_key="tickets.id")
    sender_id: int | None = Field(default=None, foreign_key="staff.id")
    # ESCALATION_SKIPPED: the level the case went to.
    role: Role | None = enum_field(Role, nullable=True)
    created_at: datetime = aware_field()
    read_at: datetime | None = aware_field(nullable=True)


class CannedReply(SQLModel, table=True):
    """An approved answer (口径) for one category and language, kept by the leaders.

    Retired replies are kept (the wording once agreed stays on record) but no
    longer offered.
    """

    __tablename__ = "canned_replies"
    __table_args__ = (Index("ix_canned_replies_language_category_retired_at", "language", "category", "retired_at"),)
    __mapper_args__ = {"version_id_col": _canned_version}

    id: int | None = Field(default=None, primary_key=True)
    category: Category = enum_field(Category)
    language: str = Field(max_length=10)
    title: str = Field(max_length=80)
    body: str = Field(sa_type=Text)
    created_by_id: int = Field(foreign_key="staff.id")
    created_at: datetime = aware_field()
    updated_by_id: int | None = Field(default=None, foreign_key="staff.id")
    updated_at: datetime | None = aware_field(nullable=True)
    retired_by_id: int | None = Field(default=None, foreign_key="staff.id")
    retired_at: datetime | None = aware_field(nullable=True)
    version: int = Field(default=1, sa_column=_canned_version)
