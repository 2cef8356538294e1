"""Every table of the desk, importable from one place.

Importing this package registers all tables on ``metadata`` (what Alembic
compares against). Times are aware UTC; money is integer cents
(``csdesk.models.money``); vocabulary columns hold ``csdesk.rules.vocab`` values.
"""

from csdesk.models.attendance import Attendance, AwayPeriod, RollCallEntry, RollCallSession, ShortWeekApproval
from csdesk.models.audit import AuditLog
from csdesk.models.base import NAMING_CONVENTION, EnumText, UTCDateTime, metadata
from csdesk.models.handover import HandoverItem, HandoverLog, Notice, NoticeAck
from csdesk.models.inbox import CannedReply, Notification
from csdesk.models.interns import EarlyConversion, InternSummary
from csdesk.models.knowledge import KnowledgeEntry, KnowledgeStateChange, MemoSuggestion
from csdesk.models.ledger import LedgerEntry
from csdesk.models.mail import MailAttachment, MailDirection, MailMessage, OutboxMail, OutboxStatus, SendAttempt
from csdesk.models.money import format_cents, from_cents, to_cents
from csdesk.models.quality import Inspection, SpotCheck
from csdesk.models.requests import LeaveApproval, LeaveRequest, SwapApproval, SwapCharge, SwapRequest
from csdesk.models.staff import RosterDraft, RosterEntry, ShiftDefinition, Squad, Staff, UnknownSignIn
from csdesk.models.states import (
    ContactOutcome,
    NotificationKind,
    RequestStatus,
    StepDecision,
    SuggestionStatus,
    SwapSide,
    WaitingFor,
)
from csdesk.models.tickets import ClockPause, ContactAttempt, ReturnVisit, Ticket, TicketEvent
from csdesk.models.training import DutyDone, TrainingCheckIn, TrainingLog, TypingTest

# Tables that only ever grow; the database refuses UPDATE and DELETE on them.
APPEND_ONLY_TABLES = ("audit_log", "ledger")

__all__ = [
    "APPEND_ONLY_TABLES",
    "NAMING_CONVENTION",
    "Attendance",
    "AuditLog",
    "AwayPeriod",
    "CannedReply",
    "ClockPause",
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
    "Notification",
    "NotificationKind",
    "RequestStatus",
    "ReturnVisit",
    "RollCallEntry",
    "RollCallSession",
    "RosterDraft",
    "RosterEntry",
    "SendAttempt",
    "ShiftDefinition",
    "ShortWeekApproval",
    "SpotCheck",
    "Squad",
    "Staff",
    "StepDecision",
    "SuggestionStatus",
    "SwapApproval",
    "SwapCharge",
    "SwapRequest",
    "SwapSide",
    "Ticket",
    "TicketEvent",
    "TrainingCheckIn",
    "TrainingLog",
    "TypingTest",
    "UnknownSignIn",
    "UTCDateTime",
    "WaitingFor",
    "format_cents",
    "from_cents",
    "metadata",
    "to_cents",
]
