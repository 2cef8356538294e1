"""The tables behind each kind of screen, for ``DeskScreen.watches``.

A screen naming its tables is reloaded only when a commit changed one of them:
a desk on the queues stays still while the centre clocks in, records fines or
scores contacts. Each set is every table its screens read for any role, tab or
hour, which ``tests/ui/test_watched_tables.py`` checks by recording what they
read; a table read but not named here would leave that screen stale.
"""

from __future__ import annotations

# Cases: the queues, a found list of them and one case's page.
TICKETS = frozenset({"tickets", "clock_pauses", "contact_attempts", "return_visits", "staff"})
# What a commit changes of a case as it is taken in, claimed or answered: a ticket's page
# first asks whether its own case is among them (``tickets.ticket_stamp``).
CASE_ROWS = frozenset({"tickets", "ticket_events"})
TICKET_PAGE = TICKETS | {"ticket_events", "mail_messages", "mail_attachments", "mail_outbox"}

# Who works when, and how it went: the time clock and the attendance week.
PEOPLE_AND_TIME = frozenset(
    {
        "attendance",
        "away_periods",
        "handover_logs",
        "leave_approvals",
        "leave_requests",
        "roll_call_entries",
        "roll_call_sessions",
        "roster",
        "shift_definitions",
        "short_week_approvals",
        "squads",
        "staff",
        "swap_approvals",
        "swap_charges",
        "swap_requests",
    }
)

# What waits for me: the shift, the squad, the cases and everything to answer. (Home reads
# the same but names none: see HomeScreen.)
DESK_OVERVIEW = (
    TICKETS
    | PEOPLE_AND_TIME
    | {
        "duties_done",
        "handover_items",
        "intern_early_conversions",
        "intern_summaries",
        "notice_acks",
        "notices",
        "notifications",
    }
)

# A squad leader's screens, area by area.
ROLL_CALL = PEOPLE_AND_TIME | {"notices", "notice_acks"}
HANDOVER = PEOPLE_AND_TIME | TICKETS | {"handover_items"}
# The roster's demand is counted from the cases of past weeks.
ROSTER = PEOPLE_AND_TIME | {"roster_drafts", "tickets"}
DUTIES = frozenset({"duties_done", "roster", "shift_definitions", "squads", "staff"})
FUND = frozenset({"ledger", "squads", "staff"})
PEOPLE = frozenset({"squads", "staff"})
INTERNS = PEOPLE | {"intern_early_conversions", "intern_summaries", "training_checkins", "training_logs"}
TYPING = PEOPLE | {"typing_tests"}
QUALITY = PEOPLE | {"inspections", "quality_spot_checks", "tickets"}
EVALUATION = PEOPLE_AND_TIME | QUALITY | TYPING | INTERNS | FUND
KNOWLEDGE = frozenset({"knowledge_entries", "knowledge_state_changes", "staff"})
MEMOS = FUND | {"memo_suggestions"}
