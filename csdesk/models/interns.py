"""ST-4: an intern's written work summary and the early-conversion path."""

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field


class InternSummary(SQLModel, table=True):
    """The written work summary; conversion waits until one is approved.

    A summary sent back is kept, and the intern writes a new one.
    """

    __tablename__ = "intern_summaries"
    __table_args__ = (Index("ix_intern_summaries_intern_id_written_at", "intern_id", "written_at"),)

    id: int | None = Field(default=None, primary_key=True)
    intern_id: int = Field(foreign_key="staff.id")
    text: str = Field(sa_type=Text)
    written_by_id: int = Field(foreign_key="staff.id")
    written_at: datetime = aware_field()
    # None while waiting for the director; True approved, False sent back.
    approved: bool | None = Field(default=None)
    decided_by_id: int | None = Field(default=None, foreign_key="staff.id")
    decided_at: datetime | None = aware_field(nullable=True)
    decision_note: str = Field(default="", sa_type=Text)


class EarlyConversion(SQLModel, table=True):
    """A leader's recommendation to convert before the hours or check-ins are done."""

    __tablename__ = "intern_early_conversions"
    __table_args__ = (Index("ix_intern_early_conversions_intern_id_recommended_at", "intern_id", "recommended_at"),)

    id: int | None = Field(default=None, primary_key=True)
    intern_id: int = Field(foreign_key="staff.id")
    recommended_by_id: int = Field(foreign_key="staff.id")
    recommended_at: datetime = aware_field()
    reason: str = Field(sa_type=Text)
    approved_by_id: int | None = Field(default=None, foreign_key="staff.id")
    approved_at: datetime | None = aware_field(nullable=True)
