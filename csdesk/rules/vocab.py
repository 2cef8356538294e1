"""The centre's fixed vocabulary, shared by rules, store and screens.

Values are the strings stored in the database and written to exports, so they
never change once released.
"""

from enum import StrEnum


class Role(StrEnum):
    """ST-2: approvals follow roles, not names. Ordered by rank below."""

    AGENT = "agent"
    DEPUTY_LEADER = "deputy_leader"
    SQUAD_LEADER = "squad_leader"
    INSPECTOR = "inspector"
    DEPARTMENT_DIRECTOR = "department_director"
    CENTRE_DIRECTOR = "centre_director"

    @property
    def is_leader(self) -> bool:
        return self in LEADER_ROLES


LEADER_ROLES = frozenset({Role.DEPUTY_LEADER, Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR})

# TK-11 / DS-1: the reporting line, one level at a time.
ESCALATION_LADDER = (
    Role.AGENT,
    Role.SQUAD_LEADER,
    Role.DEPARTMENT_DIRECTOR,
    Role.CENTRE_DIRECTOR,
)


class Grade(StrEnum):
    """ST-3."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"


class StaffStatus(StrEnum):
    """ST-1, ST-4: people are archived as LEFT, never deleted."""

    INTERN = "intern"
    FORMAL = "formal"
    LEFT = "left"


class ShiftKind(StrEnum):
    """SC-1."""

    DAY = "day"
    NIGHT = "night"


class Channel(StrEnum):
    """TK-1, plus the back office and return visits that tickets move through."""

    PHONE = "phone"
    FORUM = "forum"
    EMAIL = "email"
    CHAT = "chat"


class Category(StrEnum):
    """TK-2."""

    INQUIRY = "inquiry"
    COMPLAINT = "complaint"
    FAULT_REPORT = "fault_report"
    SUGGESTION = "suggestion"
    BUSINESS_REGISTRATION = "business_registration"


class LeaveType(StrEnum):
    """LV-1."""

    SICK = "sick"
    PERSONAL = "personal"
    SPECIAL = "special"
    HOLIDAY = "holiday"
    BUSINESS_TRIP = "business_trip"


class AwayKind(StrEnum):
    """Time off the post during a shift: a break, or away (AT-3)."""

    BREAK = "break"
    AWAY = "away"


class AttendanceStatus(StrEnum):
    """AT-1, AT-2, AT-7: one status per rostered agent per shift."""

    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    LEAVE = "leave"
    ABSENTEEISM = "absenteeism"


class TicketStatus(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    WAITING_CUSTOMER = "waiting_customer"
    DISPATCHED = "dispatched"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"


class LedgerKind(StrEnum):
    """FN-8: one append-only ledger for every movement of the fund."""

    FINE = "fine"
    REWARD = "reward"
    SPENDING = "spending"
    REVERSAL = "reversal"
