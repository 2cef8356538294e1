"""Intern training (ST-4), monthly typing tests (ST-3) and the calendar of recurring duties (SC-5)."""

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field


class TrainingLog(SQLModel, table=True):
    """ST-4: hours of training and practice, summed towards the conversion bar."""

    __tablename__ = "training_logs"
    __table_args__ = (Index("ix_training_logs_intern_id_work_date", "intern_id", "work_date"),)

    id: int | None = Field(default=None, primary_key=True)
    intern_id: int = Field(foreign_key="staff.id")
    work_date: date
    minutes: int
    activity: str = Field(default="", sa_type=Text)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")


class TrainingCheckIn(SQLModel, table=True):
    """ST-4: a recorded check-in with the designated mentor."""

    __tablename__ = "training_checkins"
    __table_args__ = (Index("ix_training_checkins_intern_id_at", "intern_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    intern_id: int = Field(foreign_key="staff.id")
    mentor_id: int = Field(foreign_key="staff.id")
    at: datetime = aware_field()
    notes: str = Field(default="", sa_type=Text)


class DutyDone(SQLModel, table=True):
    """SC-5: a recurring duty marked done for one period (e.g. one week's squad meeting)."""

    __tablename__ = "duties_done"
    __table_args__ = (UniqueConstraint("duty", "period_start", "squad_id"),)

    id: int | None = Field(default=None, primary_key=True)
    duty: str = Field(max_length=40)
    period_start: date
    squad_id: int | None = Field(default=None, foreign_key="squads.id")
    done_by_id: int = Field(foreign_key="staff.id")
    done_at: datetime = aware_field()
    note: str = Field(default="", sa_type=Text)


class TypingTest(SQLModel, table=True):
    """ST-3: one person's typing speed for one month, in Chinese characters a minute."""

    __tablename__ = "typing_tests"
    __table_args__ = (UniqueConstraint("staff_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    # "YYYY-MM": the test is monthly, so a second result in a month replaces the first.
    month: str = Field(max_length=7)
    chars_per_minute: int
    recorded_by_id: int = Field(foreign_key="staff.id")
    recorded_at: datetime = aware_field()
