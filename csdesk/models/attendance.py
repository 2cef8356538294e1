"""Roll call, attendance and time away from the post (AT)."""

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field, enum_field, json_field
from csdesk.rules.vocab import AttendanceStatus, AwayKind, LeaveType


class RollCallSession(SQLModel, table=True):
    """AT-1: the squad leader's roll call before one shift."""

    __tablename__ = "roll_call_sessions"
    __table_args__ = (
        UniqueConstraint("squad_id", "work_date", "shift_id"),
        Index("ix_roll_call_sessions_work_date_shift_id", "work_date", "shift_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    squad_id: int = Field(foreign_key="squads.id")
    work_date: date
    shift_id: int = Field(foreign_key="shift_definitions.id")
    leader_id: int = Field(foreign_key="staff.id")
    opened_at: datetime = aware_field()
    closed_at: datetime | None = aware_field(nullable=True)


class RollCallEntry(SQLModel, table=True):
    __tablename__ = "roll_call_entries"
    __table_args__ = (UniqueConstraint("session_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="roll_call_sessions.id")
    staff_id: int = Field(foreign_key="staff.id", index=True)
    status: AttendanceStatus = enum_field(AttendanceStatus)
    arrived_at: datetime | None = aware_field(nullable=True)
    minutes_late: int = Field(default=0)
    # The rule ids behind the status, so a leader can always ask "why?".
    rule_ids: list[str] = json_field(default_factory=list)


class Attendance(SQLModel, table=True):
    """One status per rostered person per shift (AT-1, AT-2, AT-7)."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("roster_id"),
        Index("ix_attendance_staff_id_clock_in", "staff_id", "clock_in"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    roster_id: int | None = Field(default=None, foreign_key="roster.id")
    clock_in: datetime | None = aware_field(nullable=True)
    clock_out: datetime | None = aware_field(nullable=True)
    status: AttendanceStatus = enum_field(AttendanceStatus)
    minutes_late: int = Field(default=0)
    leave_type: LeaveType | None = enum_field(LeaveType, nullable=True)


class AwayPeriod(SQLModel, table=True):
    """AT-3: time away from the post; unpermitted and over the limit is a violation.

    A break is time off the post too, but neither worked nor a violation.
    """

    __tablename__ = "away_periods"

    id: int | None = Field(default=None, primary_key=True)
    attendance_id: int = Field(foreign_key="attendance.id", index=True)
    kind: AwayKind = enum_field(AwayKind, default=AwayKind.AWAY, sa_column_kwargs={"server_default": "away"})
    started_at: datetime = aware_field()
    ended_at: datetime | None = aware_field(nullable=True)
    permitted: bool = Field(default=False)
    permitted_by_id: int | None = Field(default=None, foreign_key="staff.id")


class ShortWeekApproval(SQLModel, table=True):
    """AT-4: a director's approval of the reason a person worked less than the weekly minimum."""

    __tablename__ = "short_week_approvals"
    __table_args__ = (UniqueConstraint("staff_id", "week_start"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    week_start: date  # the Monday
    reason: str
    approved_by_id: int = Field(foreign_key="staff.id")
    approved_at: datetime = aware_field()
