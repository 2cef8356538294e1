"""How the desk's fixed vocabulary reads and shows: every stored value's words and colour.

Stored values (``csdesk.rules.vocab``, ``csdesk.models.states`` and the states
services hand back) never change; this is the one place that says how a
person reads them, for the rules' reasons, the screens, the exports and the
demo alike. Words are translated when read, in the language in force.

- ``*_label``: the value as a sentence or a list cell says it ("squad leader", "late");
- ``*_title``: capitalised, for options, headings and cells of their own ("Squad leader");
- ``value_word``: the stored value itself in the desk's language, as exports write it;
- ``styled``: a label with the colour (a rich style) screens show it in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from csdesk.i18n import N_, _
from csdesk.rules.vocab import (
    AttendanceStatus,
    Category,
    Channel,
    Grade,
    LeaveType,
    LedgerKind,
    Role,
    ShiftKind,
    TicketStatus,
)


class Term(NamedTuple):
    """How one value reads (English source, translated when shown) and its colour."""

    label: str
    colour: str = ""
    letter: str = ""  # one letter for a week grid


Terms = Mapping[str, Term]


def label(terms: Terms, value: object) -> str:
    """``value``'s label in ``terms``, translated; a value it does not know, as stored."""
    term = terms.get(str(value))
    return _(term.label) if term is not None else str(value)


def styled(terms: Terms, value: object) -> tuple[str, str]:
    """``value``'s label, translated, and its colour ("" for a value ``terms`` does not know)."""
    term = terms.get(str(value))
    return (_(term.label), term.colour) if term is not None else (str(value), "")


def options(terms: Terms) -> list[tuple[str, str]]:
    """``(label, stored value)`` for each value, in order: a Select's choices."""
    return [(_(term.label), str(value)) for value, term in terms.items()]


# -- people -----------------------------------------------------------------------------

ROLE_LABELS: dict[str, Term] = {
    Role.AGENT: Term(N_("agent")),
    Role.DEPUTY_LEADER: Term(N_("deputy leader")),
    Role.SQUAD_LEADER: Term(N_("squad leader")),
    Role.INSPECTOR: Term(N_("inspector")),
    Role.DEPARTMENT_DIRECTOR: Term(N_("department director")),
    Role.CENTRE_DIRECTOR: Term(N_("centre director")),
}
ROLE_TITLES: dict[str, Term] = {
    Role.AGENT: Term(N_("Agent")),
    Role.DEPUTY_LEADER: Term(N_("Deputy leader")),
    Role.SQUAD_LEADER: Term(N_("Squad leader")),
    Role.INSPECTOR: Term(N_("Quality inspector")),
    Role.DEPARTMENT_DIRECTOR: Term(N_("Department director")),
    Role.CENTRE_DIRECTOR: Term(N_("Centre director")),
}
GRADE_LABELS: dict[str, Term] = {
    Grade.JUNIOR: Term(N_("junior")),
    Grade.INTERMEDIATE: Term(N_("intermediate")),
    Grade.SENIOR: Term(N_("senior")),
}


def role_label(role: Role | str) -> str:
    """A role inside a sentence: "only a squad leader may …"."""
    return _(ROLE_LABELS[Role(role)].label)


def role_title(role: Role | str) -> str:
    """A role on its own: a table cell, the signed-in line, the demo's sign-in list."""
    return label(ROLE_TITLES, Role(role))


def grade_label(grade: Grade | str) -> str:
    return _(GRADE_LABELS[Grade(grade)].label)


# -- shifts, attendance and the squad board ---------------------------------------------------

SHIFT_LABELS: dict[str, Term] = {ShiftKind.DAY: Term(N_("day shift")), ShiftKind.NIGHT: Term(N_("night shift"))}
SHIFT_TITLES: dict[str, Term] = {ShiftKind.DAY: Term(N_("Day shift")), ShiftKind.NIGHT: Term(N_("Night shift"))}

# AT-1, AT-2, AT-7: as the roll call marks them, and their letter in the attendance week.
ATTENDANCE: dict[str, Term] = {
    AttendanceStatus.PRESENT: Term(N_("present"), "green", "P"),
    AttendanceStatus.LATE: Term(N_("late"), "bold yellow", "L"),
    AttendanceStatus.ABSENT: Term(N_("absent"), "yellow", "A"),
    AttendanceStatus.ABSENTEEISM: Term(N_("absenteeism"), "bold red", "X"),
    AttendanceStatus.LEAVE: Term(N_("on leave"), "cyan", "V"),
}
ATTENDANCE_LEGEND = N_("P present · L late · A absent · X absenteeism · V leave · · not yet · - off")

# SC-1, LV-9: a day of the roster grid, its letter and colour.
ROSTER_CELLS: dict[str, Term] = {
    ShiftKind.DAY: Term(N_("day shift"), "green", "D"),
    ShiftKind.NIGHT: Term(N_("night shift"), "magenta", "N"),
    "rest": Term(N_("rest day"), "dim", "·"),
    "leave": Term(N_("on leave"), "cyan", "V"),
}
ROSTER_LEGEND = N_("D day  N night  V leave  · rest  * holiday duty  ~ swapped  underlined: draft")
# Which planner made a proposed month (csdesk.rules.proposal.Proposal.solver).
PLANNERS: dict[str, Term] = {
    "cp-sat": Term(N_("CP-SAT solver")),
    "greedy": Term(N_("greedy pass (no solver installed)")),
    "greedy-timeout": Term(N_("greedy pass (the solver found no better plan in time)")),
}
# The same, short enough for the roster's title line.
PLANNER_TAGS: dict[str, Term] = {
    "cp-sat": Term(N_("proposed by CP-SAT")),
    "greedy": Term(N_("proposed greedily")),
    "greedy-timeout": Term(N_("proposed greedily")),
}

# Where each member of a squad is now (csdesk.services.home.BoardLine.state).
BOARD_STATES: dict[str, Term] = {
    "present": Term(N_("present"), "green"),
    "away": Term(N_("away"), "bold yellow"),
    "leave": Term(N_("on leave"), "cyan"),
    "not_in": Term(N_("not in"), "bold red"),
    "absent": Term(N_("absent"), "bold red"),
    "due": Term(N_("due")),
    "gone": Term(N_("gone home"), "dim"),
    "off": Term(N_("rest day"), "dim"),
}

# A recurring duty on a day (SC-5, TK-17): on home, today's; in the calendar, any day's.
DUTY_STATES: dict[str, Term] = {
    "overdue": Term(N_("overdue"), "bold red"),
    "due": Term(N_("due now"), "bold yellow"),
    "upcoming": Term(N_("later today")),
    "done": Term(N_("done"), "green"),
}
CALENDAR_STATES: dict[str, Term] = {**DUTY_STATES, "upcoming": Term(N_("to come"))}


def shift_label(kind: ShiftKind | str) -> str:
    """ "day shift" or "night shift"."""
    return _(SHIFT_LABELS[ShiftKind(kind)].label)


def shift_title(kind: ShiftKind | str) -> str:
    """ "Day shift" or "Night shift"."""
    return label(SHIFT_TITLES, kind)


# -- leave, swaps and their approvals ---------------------------------------------------------

# Reasons always speak of "<type> leave", so the whole phrase is one message.
LEAVE_LABELS: dict[str, Term] = {
    LeaveType.SICK: Term(N_("sick leave")),
    LeaveType.PERSONAL: Term(N_("personal leave")),
    LeaveType.SPECIAL: Term(N_("special leave")),
    LeaveType.HOLIDAY: Term(N_("holiday leave")),
    LeaveType.BUSINESS_TRIP: Term(N_("business trip leave")),
}
LEAVE_TITLES: dict[str, Term] = {
    LeaveType.SICK: Term(N_("Sick")),
    LeaveType.PERSONAL: Term(N_("Personal")),
    LeaveType.SPECIAL: Term(N_("Special")),
    LeaveType.HOLIDAY: Term(N_("Holiday")),
    LeaveType.BUSINESS_TRIP: Term(N_("Business trip")),
}
# A leave or swap request, and each approver's step of it (csdesk.models.states).
REQUEST_STATUSES: dict[str, Term] = {
    "pending": Term(N_("pending")),
    "approved": Term(N_("approved")),
    "refused": Term(N_("refused")),
    "withdrawn": Term(N_("withdrawn")),
    "lapsed": Term(N_("lapsed")),
}
SWAP_SIDES: dict[str, Term] = {
    "requester": Term(N_("Requester's leader")),
    "partner": Term(N_("Partner's leader")),
}


def leave_label(leave_type: LeaveType | str) -> str:
    """ "sick leave", "personal leave", ..."""
    return _(LEAVE_LABELS[LeaveType(leave_type)].label)


def leave_title(leave_type: LeaveType | str) -> str:
    """ "Sick", "Personal", ...: a leave type on its own."""
    return label(LEAVE_TITLES, LeaveType(leave_type))


def request_status_label(status: object) -> str:
    return label(REQUEST_STATUSES, status)


# -- tickets ----------------------------------------------------------------------------------

TICKET_STATUSES: dict[str, Term] = {
    TicketStatus.NEW: Term(N_("new")),
    TicketStatus.CLAIMED: Term(N_("claimed")),
    TicketStatus.WAITING_CUSTOMER: Term(N_("waiting for customer")),
    TicketStatus.DISPATCHED: Term(N_("dispatched")),
    TicketStatus.ESCALATED: Term(N_("escalated")),
    TicketStatus.RESOLVED: Term(N_("resolved")),
    TicketStatus.CLOSED: Term(N_("closed")),
}
CHANNEL_LABELS: dict[str, Term] = {
    Channel.PHONE: Term(N_("phone")),
    Channel.FORUM: Term(N_("forum")),
    Channel.EMAIL: Term(N_("email")),
    Channel.CHAT: Term(N_("chat")),
}
CHANNEL_TITLES: dict[str, Term] = {
    Channel.PHONE: Term(N_("Phone")),
    Channel.FORUM: Term(N_("Forum")),
    Channel.EMAIL: Term(N_("Email")),
    Channel.CHAT: Term(N_("Chat")),
}
CATEGORY_TITLES: dict[str, Term] = {
    Category.INQUIRY: Term(N_("Inquiry")),
    Category.COMPLAINT: Term(N_("Complaint")),
    Category.FAULT_REPORT: Term(N_("Fault report")),
    Category.SUGGESTION: Term(N_("Suggestion")),
    Category.BUSINESS_REGISTRATION: Term(N_("Registration")),
}
# TK-8: one try at reaching the customer for the return visit (csdesk.models.states.ContactOutcome).
OUTCOME_LABELS: dict[str, Term] = {
    "reached": Term(N_("reached")),
    "no_answer": Term(N_("no answer")),
    "wrong_details": Term(N_("wrong details")),
}
OUTCOME_TITLES: dict[str, Term] = {
    "reached": Term(N_("Reached the customer")),
    "no_answer": Term(N_("No answer")),
    "wrong_details": Term(N_("Contact details are wrong")),
}
# What each line of a ticket's timeline records (the kinds the ticket services write).
TICKET_EVENTS: dict[str, Term] = {
    "intake": Term(N_("intake")),
    "claim": Term(N_("claim")),
    "transfer": Term(N_("transfer")),
    "reply": Term(N_("reply")),
    "unsolved": Term(N_("unsolved")),
    "note": Term(N_("internal note")),
    "resolve": Term(N_("resolve")),
    "escalate": Term(N_("escalate")),
    "inform": Term(N_("inform")),
    "dispatch": Term(N_("dispatch")),
    "handover": Term(N_("handover")),
    "visit_attempt": Term(N_("return visit")),
    "close": Term(N_("close")),
    # Mail of the email queue: the customer's message, machine-written mail, and a reply's way out.
    "mail_in": Term(N_("email in")),
    "mail_auto": Term(N_("automatic mail")),
    "mail_queued": Term(N_("email queued")),
    "mail_sent": Term(N_("email sent")),
    "mail_failed": Term(N_("email not sent")),
    # A wait stops the resolution clock and its end starts it again (TK-5).
    "pause": Term(N_("clock paused")),
    "resume": Term(N_("clock resumed")),
}


def ticket_status_label(status: TicketStatus | str) -> str:
    return label(TICKET_STATUSES, TicketStatus(status))


def channel_label(channel: Channel | str) -> str:
    """ "phone", "email", ...: a channel inside a sentence."""
    return _(CHANNEL_LABELS[Channel(channel)].label)


def channel_title(channel: Channel | str) -> str:
    return label(CHANNEL_TITLES, Channel(channel))


def category_title(category: Category | str) -> str:
    return label(CATEGORY_TITLES, Category(category))


# The work queues as a sentence names them ("Queue load: forum 3 · back office 1").
QUEUE_WORDS = {
    "forum": N_("forum"),
    "email": N_("email"),
    "chat": N_("chat"),
    "back_office": N_("back office"),
    "return_visits": N_("return visits"),
    "mine": N_("mine"),
}


def queue_word(queue: str) -> str:
    return _(QUEUE_WORDS[queue]) if queue in QUEUE_WORDS else queue


def outcome_label(outcome: object) -> str:
    return label(OUTCOME_LABELS, outcome)


def event_label(kind: str) -> str:
    return label(TICKET_EVENTS, kind)


# -- the fund, the memo book, quality and interns ----------------------------------------------

LEDGER_KINDS: dict[str, Term] = {
    LedgerKind.FINE: Term(N_("fine")),
    LedgerKind.REWARD: Term(N_("reward")),
    LedgerKind.SPENDING: Term(N_("spending")),
    LedgerKind.REVERSAL: Term(N_("reversal")),
}
MEMO_KINDS: dict[str, Term] = {"problem": Term(N_("problem")), "idea": Term(N_("idea"))}
MEMO_STATUSES: dict[str, Term] = {
    "open": Term(N_("open"), "bold yellow"),
    "adopted": Term(N_("adopted"), "green"),
    "declined": Term(N_("declined"), "dim"),
}
# QA-1: how far an agent's samples of the month are (csdesk.rules.quality.SamplingStatus).
SAMPLING: dict[str, Term] = {
    "under": Term(N_("needs a sample"), "bold red"),
    "sampling": Term(N_("in progress")),
    "complete": Term(N_("complete"), "green"),
    "over": Term(N_("over the maximum"), "bold yellow"),
}
# ST-4: an intern's work summary and early conversion.
SUMMARY_STATES: dict[str, Term] = {
    "none": Term(N_("not written"), "dim"),
    "waiting": Term(N_("waiting"), "yellow"),
    "approved": Term(N_("approved"), "green"),
    "sent back": Term(N_("sent back"), "bold red"),
}
EARLY_STATES: dict[str, Term] = {
    "none": Term(N_("—"), "dim"),
    "recommended": Term(N_("recommended"), "yellow"),
    "approved": Term(N_("approved"), "green"),
}


def ledger_kind_label(kind: LedgerKind | str) -> str:
    return label(LEDGER_KINDS, kind)


# -- the stored values themselves, as exports write them -----------------------------------------

# The values an export's reader meets, in the desk's language ("late" -> "迟到"); stored values
# this does not list are written as stored.
VALUE_WORDS = frozenset(
    {
        N_("day"),
        N_("night"),
        N_("present"),
        N_("late"),
        N_("absent"),
        N_("leave"),
        N_("absenteeism"),
        N_("sick"),
        N_("personal"),
        N_("special"),
        N_("holiday"),
        N_("business_trip"),
        N_("under"),
        N_("sampling"),
        N_("complete"),
        N_("over"),
    }
)


def value_word(value: object) -> str:
    """A stored value (an enum, a string or None) in the desk's language; None is ""."""
    if value is None:
        return ""
    text = str(getattr(value, "value", value))
    return _(text) if text in VALUE_WORDS else text
