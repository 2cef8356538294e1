"""Quality inspections (QA)."""

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from csdesk.models.base import aware_field, json_field


class Inspection(SQLModel, table=True):
    __tablename__ = "inspections"
    __table_args__ = (Index("ix_inspections_agent_id_at", "agent_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    inspector_id: int = Field(foreign_key="staff.id")
    agent_id: int = Field(foreign_key="staff.id")
    ticket_id: int | None = Field(default=None, foreign_key="tickets.id")
    # QA-1 criterion -> score, e.g. {"service_language": 4, "attitude": 5}.
    scores: dict[str, int] = json_field(default_factory=dict)
    comments: str = Field(default="", sa_type=Text)
    at: datetime = aware_field()
