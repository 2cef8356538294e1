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

# Home and what waits for me: the shift, the squad, the cases and everything to answer.
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
