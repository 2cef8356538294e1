"""Leave and shift-swap requests with their step-by-step approvals (LV, SW), and the absenteeism
charged for a shift an unclear swap left empty (SW-5)."""

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field, enum_field
from csdesk.models.states import RequestStatus, StepDecision, SwapSide
from csdesk.rules.vocab import LeaveType, Role


class LeaveRequest(SQLModel, table=True):
    __tablename__ = "leave_requests"
    __table_args__ = (
        Index("ix_leave_requests_requester_id_starts_at", "requester_id", "starts_at"),
        Index("ix_leave_requests_status_starts_at", "status", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requester_id: int = Field(foreign_key="staff.id")
    # LV-4: differs from the requester only for sick leave.
    filed_by_id: int = Field(foreign_key="staff.id")
    leave_type: LeaveType = enum_field(LeaveType)
    starts_at: datetime = aware_field()
    ends_at: datetime = aware_field()
    reason: str = Field(default="", sa_type=Text)
    has_certificate: bool = Field(default=False)
    # LV-5: a call to the shift leader stands in until the certificate arrives.
    phoned_leader: bool = Field(default=False)
    # LV-5: sick leave may be filed before its certificate is handed in.
    certificate_from: date | None = Field(default=None)
    certificate_to: date | None = Field(default=None)
    certificate_at: datetime | None = aware_field(nullable=True)
    # The end of the first shift back, fixed from the roster when the leave is filed.
    certificate_due_at: datetime | None = aware_field(nullable=True)
    # The leave form handed to the leader on the first day back.
    form_handed_at: datetime | None = aware_field(nullable=True)
    status: RequestStatus = enum_field(RequestStatus, default=RequestStatus.PENDING)
    filed_at: datetime = aware_field()


class LeaveApproval(SQLModel, table=True):
    """LV-3: one row per level, decided in ``level`` order, none skipped."""

    __tablename__ = "leave_approvals"
    __table_args__ = (UniqueConstraint("request_id", "level"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="leave_requests.id")
    level: int
    role: Role = enum_field(Role)
    approver_id: int | None = Field(default=None, foreign_key="staff.id")
    decision: StepDecision = enum_field(StepDecision, default=StepDecision.PENDING)
    reason: str = Field(default="", sa_type=Text)
    decided_at: datetime | None = aware_field(nullable=True)


class SwapRequest(SQLModel, table=True):
    __tablename__ = "swap_requests"
    __table_args__ = (
        Index("ix_swap_requests_requester_id_filed_at", "requester_id", "filed_at"),
        Index("ix_swap_requests_partner_id_filed_at", "partner_id", "filed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requester_id: int = Field(foreign_key="staff.id")
    partner_id: int = Field(foreign_key="staff.id")
    requester_roster_id: int = Field(foreign_key="roster.id")
    partner_roster_id: int = Field(foreign_key="roster.id")
    reason: str = Field(default="", sa_type=Text)
    status: RequestStatus = enum_field(RequestStatus, default=RequestStatus.PENDING)
    filed_at: datetime = aware_field()


class SwapApproval(SQLModel, table=True):
    """SW-1: each side's squad leader decides; SW-7: a refusal keeps its reason."""

    __tablename__ = "swap_approvals"
    __table_args__ = (UniqueConstraint("request_id", "side"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="swap_requests.id")
    side: SwapSide = enum_field(SwapSide)
    squad_id: int | None = Field(default=None, foreign_key="squads.id")
    approver_id: int | None = Field(default=None, foreign_key="staff.id")
    decision: StepDecision = enum_field(StepDecision, default=StepDecision.PENDING)
    reason: str = Field(default="", sa_type=Text)
    decided_at: datetime | None = aware_field(nullable=True)


class SwapCharge(SQLModel, table=True):
    """SW-5: one party's share of the absenteeism for a shift an unclear swap left empty."""

    __tablename__ = "swap_charges"
    __table_args__ = (UniqueConstraint("swap_id", "roster_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    swap_id: int = Field(foreign_key="swap_requests.id")
    # The shift that stayed empty: one of the swap's two.
    roster_id: int = Field(foreign_key="roster.id")
    staff_id: int = Field(foreign_key="staff.id")
    share_percent: int  # 0..100; the two parties' shares of one shift add up to 100
    # What about the swap was unclear.
    reason: str = Field(sa_type=Text)
    charged_by_id: int = Field(foreign_key="staff.id")
    charged_at: datetime = aware_field()
