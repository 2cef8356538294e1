"""People, squads, shift definitions and the roster (ST, SC)."""

from datetime import date, datetime, time

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from csdesk.models.base import aware_field, enum_field
from csdesk.rules.vocab import Grade, Role, ShiftKind, StaffStatus


class Squad(SQLModel, table=True):
    __tablename__ = "squads"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    # use_alter: squads and staff point at each other; the constraint is added
    # after both tables exist (PostgreSQL needs that, SQLite renders it inline).
    leader_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("staff.id", use_alter=True), nullable=True),
    )


class Staff(SQLModel, table=True):
    """ST-1: archived as ``status=left``, never deleted.

    The PIN lockout lives here, not in memory, so it holds across every desk
    process that opens the same database.
    """

    __tablename__ = "staff"
    __table_args__ = (Index("ix_staff_squad_id_status", "squad_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_number: str = Field(max_length=20, unique=True)
    real_name: str = Field(max_length=80)
    role: Role = enum_field(Role)
    grade: Grade = enum_field(Grade)
    squad_id: int | None = Field(default=None, foreign_key="squads.id")
    status: StaffStatus = enum_field(StaffStatus)
    hire_date: date
    phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=200)
    emergency_contact: str = Field(default="", max_length=200)
    pin_hash: str | None = Field(default=None, max_length=200)
    failed_pin_count: int = Field(default=0)
    locked_until: datetime | None = aware_field(nullable=True)
    # ST-2: lockouts in a row; at the policy's limit only a leader's reset opens the account.
    pin_lockouts: int = Field(default=0)
    # A PIN someone else set must be replaced by its holder at the next sign-in.
    pin_must_change: bool = Field(default=False)


class UnknownSignIn(SQLModel, table=True):
    """Wrong PINs typed for a number nobody holds, counted and locked like a real
    account's, so a lockout never tells which numbers exist."""

    __tablename__ = "unknown_sign_ins"

    id: int | None = Field(default=None, primary_key=True)
    employee_number: str = Field(max_length=20, unique=True)
    failed_pin_count: int = Field(default=0)
    pin_lockouts: int = Field(default=0)
    locked_until: datetime | None = aware_field(nullable=True)


class ShiftDefinition(SQLModel, table=True):
    """SC-1: a night shift ends the next calendar day but belongs to the day it starts."""

    __tablename__ = "shift_definitions"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    kind: ShiftKind = enum_field(ShiftKind)
    start_time: time
    end_time: time
    ends_next_day: bool = Field(default=False)


class RosterEntry(SQLModel, table=True):
    """One person on one shift of one day (``work_date`` is the day the shift starts)."""

    __tablename__ = "roster"
    __table_args__ = (
        UniqueConstraint("staff_id", "work_date", "shift_id"),
        Index("ix_roster_work_date_shift_id", "work_date", "shift_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    work_date: date
    shift_id: int = Field(foreign_key="shift_definitions.id")
    # LV-9 / SW-6: holiday-duty staff may neither swap nor take leave.
    holiday_duty: bool = Field(default=False)


class RosterDraft(SQLModel, table=True):
    """A day of someone's plan changed since the roster was published, not published yet.

    ``shift`` None is a rest day. Publishing writes these into ``roster`` and
    removes them, so the published roster is what roll call and swaps read.
    """

    __tablename__ = "roster_drafts"
    __table_args__ = (
        UniqueConstraint("staff_id", "work_date"),
        Index("ix_roster_drafts_work_date", "work_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    work_date: date
    shift: ShiftKind | None = enum_field(ShiftKind, nullable=True)
    holiday_duty: bool = Field(default=False)
    changed_by_id: int = Field(foreign_key="staff.id")
    changed_at: datetime = aware_field()
