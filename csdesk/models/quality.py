"""Quality inspections (QA-1..QA-3) and the supervisor's daily spot-checks (QA-4)."""

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
import csdesk.models.tickets  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field, json_field


class Inspection(SQLModel, table=True):
    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_agent_id_at", "agent_id", "at"),
        # The weekly summary and the month's counts read by time across agents.
        Index("ix_inspections_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inspector_id: int = Field(foreign_key="staff.id")
    agent_id: int = Field(foreign_key="staff.id")
    ticket_id: int | None = Field(default=None, foreign_key="tickets.id")
    # QA-1 rubric key -> points, e.g. {"service_language": 18, "attitude": 22}.
    scores: dict[str, int] = json_field(default_factory=dict)
    # QA-2: the inspector's remark on a criterion, where there is one (rubric key -> text).
    notes: dict[str, str] = json_field(default_factory=dict)
    comments: str = Field(default="", sa_type=Text)
    at: datetime = aware_field()


class SpotCheck(SQLModel, table=True):
    """QA-4: a supervisor's daily quality report over recordings, forum and email."""

    __tablename__ = "quality_spot_checks"
    __table_args__ = (
        UniqueConstraint("supervisor_id", "work_date"),
        Index("ix_quality_spot_checks_work_date", "work_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    supervisor_id: int = Field(foreign_key="staff.id")
    work_date: date
    # Which of csdesk.rules.quality.DAILY_SPOT_CHECKS were checked.
    checked: list[str] = json_field(default_factory=list)
    findings: str = Field(default="", sa_type=Text)
    training: str = Field(default="", sa_type=Text)
    at: datetime = aware_field()
