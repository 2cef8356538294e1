"""Every table of the desk, importable from one place.

Importing this package registers all tables on ``metadata`` (what Alembic
compares against). Times are aware UTC; money is integer cents
(``csdesk.models.money``); vocabulary columns hold ``csdesk.rules.vocab`` values.
"""

from csdesk.models.attendance import Attendance, AwayPeriod, RollCallEntry, RollCallSession
from csdesk.models.audit import AuditLog
from csdesk.models.base import NAMING_CONVENTION, EnumText, UTCDateTime, metadata
from csdesk.models.handover import HandoverItem, HandoverLog, Notice, NoticeAck
from csdesk.models.interns import EarlyConversion, InternSummary
from csdesk.models.knowledge import KnowledgeEntry, KnowledgeStateChange, MemoSuggestion
from csdesk.models.ledger import LedgerEntry
from csdesk.models.mail import MailAttachment, MailDirection, MailMessage, OutboxMail, OutboxStatus, SendAttempt
from csdesk.models.money import format_cents, from_cents, to_cents
from csdesk.models.quality import Inspection, SpotCheck
from csdesk.models.requests import LeaveApproval, LeaveRequest, SwapApproval, SwapRequest
from csdesk.models.staff import RosterEntry, ShiftDefinition, Squad, Staff
from csdesk.models.states import (
    ContactOutcome,
    RequestStatus,
    StepDecision,
    SuggestionStatus,
    SwapSide,
)
from csdesk.models.tickets import ContactAttempt, ReturnVisit, Ticket, TicketEvent
from csdesk.models.training import DutyDone, TrainingCheckIn, TrainingLog

# Tables that only ever grow; the database refuses UPDATE and DELETE on them.
APPEND_ONLY_TABLES = ("audit_log", "ledger")

__all__ = [
    "APPEND_ONLY_TABLES",
    "NAMING_CONVENTION",
    "Attendance",
    "AuditLog",
    "AwayPeriod",
    "ContactAttempt",
    "ContactOutcome",
    "DutyDone",
    "EarlyConversion",
    "EnumText",
    "HandoverItem",
    "HandoverLog",
    "Inspection",
    "InternSummary",
    "KnowledgeEntry",
    "KnowledgeStateChange",
    "LeaveApproval",
    "LeaveRequest",
    "LedgerEntry",
    "MailAttachment",
    "MailDirection",
    "MailMessage",
    "MemoSuggestion",
    "Notice",
    "NoticeAck",
    "OutboxMail",
    "OutboxStatus",
    "RequestStatus",
    "ReturnVisit",
    "RollCallEntry",
    "RollCallSession",
    "RosterEntry",
    "SendAttempt",
    "ShiftDefinition",
    "SpotCheck",
    "Squad",
    "Staff",
    "StepDecision",
    "SuggestionStatus",
    "SwapApproval",
    "SwapRequest",
    "SwapSide",
    "Ticket",
    "TicketEvent",
    "TrainingCheckIn",
    "TrainingLog",
    "UTCDateTime",
    "format_cents",
    "from_cents",
    "metadata",
    "to_cents",
]
