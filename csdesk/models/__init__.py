"""Every table of the desk, importable from one place.

A name is imported from its module when it is first asked for, with the tables
its foreign keys point at: a process loads the tables it uses and no others (the
mailgate, started once per message by the mail system, pays for no attendance,
roster or training tables). ``metadata``, what Alembic compares against,
imports every table first. Times
are aware UTC; money is integer cents (``csdesk.models.money``); vocabulary
columns hold ``csdesk.rules.vocab`` values.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Where each name is defined (a new table's names go here and in the imports above).
_MODULES = {
    "attendance": ("Attendance", "AwayPeriod", "RollCallEntry", "RollCallSession", "ShortWeekApproval"),
    "audit": ("AuditLog",),
    "base": ("NAMING_CONVENTION", "EnumText", "UTCDateTime", "metadata"),
    "handover": ("HandoverItem", "HandoverLog", "Notice", "NoticeAck"),
    "inbox": ("CannedReply", "Notification"),
    "interns": ("EarlyConversion", "InternSummary"),
    "knowledge": ("KnowledgeEntry", "KnowledgeStateChange", "MemoSuggestion"),
    "ledger": ("LedgerEntry",),
    "mail": ("MailAttachment", "MailDirection", "MailMessage", "OutboxMail", "OutboxStatus", "SendAttempt"),
    "money": ("format_cents", "from_cents", "to_cents"),
    "quality": ("Inspection", "SpotCheck"),
    "requests": ("LeaveApproval", "LeaveRequest", "SwapApproval", "SwapCharge", "SwapRequest"),
    "staff": ("RosterDraft", "RosterEntry", "ShiftDefinition", "Squad", "Staff", "UnknownSignIn"),
    "states": (
        "ContactOutcome",
        "NotificationKind",
        "RequestStatus",
        "StepDecision",
        "SuggestionStatus",
        "SwapSide",
        "WaitingFor",
    ),
    "tickets": ("ClockPause", "ContactAttempt", "ReturnVisit", "Ticket", "TicketEvent"),
    "training": ("DutyDone", "TrainingCheckIn", "TrainingLog", "TypingTest"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name == "metadata":
        for each in _MODULES:
            importlib.import_module(f"{__name__}.{each}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
