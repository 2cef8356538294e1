"""Every command of the palette, and through it every area home's "Go to" row opens.

Screens and actions are named as ``"package.module:name"`` and imported only
when their command runs: the signed-in role's home is ready without loading
the screens of areas nobody has opened yet. Who may use a command comes from
the rule catalogue (``csdesk.rules.staff``), the same answer the area gives
once it is open.

Within an area, the first command a role may use is what the area's key on
home opens.
"""

from __future__ import annotations

from csdesk.i18n import N_
from csdesk.rules.staff import Action, DeskAction, who_may
from csdesk.rules.vocab import LEADER_ROLES, Channel, Role
from csdesk.screens.registry import register_command


def leader_or_intern(actor: object) -> bool:
    """ST-4: leaders keep the interns' records; an agent sees only their own, while still an intern."""
    return getattr(actor, "role", None) is not Role.AGENT or bool(getattr(actor, "intern", False))


MEMO_REVIEWERS = who_may(DeskAction.REVIEW_SUGGESTION)

register_command(
    "attendance",
    N_("Attendance week"),
    N_("Statuses, violations and weekly hours; export CSV"),
    screen="csdesk.screens.attendance:AttendanceScreen",
    roles=who_may(Action.EXPORT_ATTENDANCE),
)

# Everyone with a shift clocks in and out at their workstation.
register_command(
    "timeclock",
    N_("Time clock"),
    N_("Clock in and out, breaks and time away; your week against the minimum"),
    screen="csdesk.screens.timeclock:TimeClockScreen",
)

register_command(
    "contacts",
    N_("Emergency contacts"),
    N_("The department's contact sheet; export CSV (leaders)"),
    screen="csdesk.screens.contacts:ContactsScreen",
    roles=who_may(Action.SEE_COLLEAGUE_CONTACT),
)

# Everyone may look: agents see their squad's meetings; only a duty's keeper marks it done.
register_command(
    "duties",
    N_("Duties calendar"),
    N_("This week's or month's meetings and reports, with their state"),
    screen="csdesk.screens.duties:DutiesScreen",
)

register_command(
    "roster",
    N_("Roster"),
    N_("Plan the squad's month by key, every rule checked; needed vs planned; publish"),
    screen="csdesk.screens.roster:RosterScreen",
    roles=who_may(Action.CHANGE_ROSTER),
)

register_command(
    "evaluation",
    N_("Monthly evaluation"),
    N_("Ranking by attendance, quality, fines and rewards; best and worst (AT-6)"),
    screen="csdesk.screens.evaluation:EvaluationScreen",
    roles=who_may(Action.SEE_EVALUATION),
)

# ST-3: with the month's evaluation, after it, so e on home still opens the ranking.
register_command(
    "evaluation",
    N_("Typing tests"),
    N_("The month's typing speeds, below the grade's bar flagged (ST-3)"),
    screen="csdesk.screens.typing_tests:TypingTestsScreen",
    roles=who_may(Action.RECORD_TYPING_TEST),
)

register_command(
    "fines",
    N_("Fines & fund"),
    N_("The department fund's ledger and balance"),
    screen="csdesk.screens.fines:FinesScreen",
)
register_command(
    "fines",
    N_("Record a fine"),
    N_("Book a fine by rule, amount shown first"),
    screen="csdesk.screens.fines:FineForm",
    roles=who_may(Action.RECORD_FINE),
)
register_command(
    "fines",
    N_("Grant a reward"),
    N_("A reward paid from the fund"),
    screen="csdesk.screens.fines:RewardForm",
    roles=who_may(Action.RECORD_REWARD),
)
register_command(
    "fines",
    N_("Spend from the fund"),
    N_("Pay for a department activity"),
    screen="csdesk.screens.fines:SpendingForm",
    roles=who_may(Action.RECORD_SPENDING),
)
register_command(
    "fines",
    N_("Dismissal reviews"),
    N_("Third offences raised to the directors"),
    screen="csdesk.screens.fines:DismissalReviewsScreen",
    roles=who_may(Action.SEE_DISMISSAL_REVIEWS),
)

register_command(
    "handover",
    N_("Shift handover"),
    N_("Write the handover, or acknowledge yours (HO-1, HO-3)"),
    screen="csdesk.screens.handover:HandoverScreen",
)
register_command(
    "handover",
    N_("Handover book"),
    N_("Past handovers of the squad, searchable"),
    screen="csdesk.screens.handover:HandoverScreen",
    args=("book",),
)

register_command(
    "desk", N_("Sign out"), N_("Leave the desk for the next person"), action="csdesk.screens.home:sign_out"
)
register_command("desk", N_("Home"), N_("Back to my shift"), action="csdesk.screens.home:back_home")
register_command(
    "desk",
    N_("What waits for me"),
    N_("Escalations, requests, handovers, notices and cases waiting for me"),
    screen="csdesk.screens.inbox:InboxScreen",
)

register_command(
    "tickets",
    N_("Find a ticket"),
    N_("Any ticket, closed ones too, by number, subject or the customer's contact (#)"),
    screen="csdesk.screens.search:SearchScreen",
)

# Anyone on the floor takes cases in (TK-9 decides who then owns them).
register_command(
    "tickets",
    N_("Take in a phone call"),
    N_("New ticket with the phone greeting (TK-3)"),
    screen="csdesk.screens.intake:IntakeScreen",
)
register_command(
    "tickets",
    N_("Take in an email or forum post"),
    N_("New ticket for the shared queues"),
    screen="csdesk.screens.intake:IntakeScreen",
    args=(Channel.EMAIL,),
)

register_command(
    "interns",
    N_("Interns"),
    N_("Training hours, check-ins, work summary and conversion (ST-4)"),
    screen="csdesk.screens.interns:InternsScreen",
    roles=LEADER_ROLES | {Role.AGENT},
    audience=leader_or_intern,
)

register_command(
    "knowledge",
    N_("Knowledge base"),
    N_("The catalogue, entries and their editorial steps (KB-1)"),
    screen="csdesk.screens.knowledge:KnowledgeScreen",
)
register_command(
    "knowledge",
    N_("Search the knowledge base"),
    N_("Find an answer (KB-2)"),
    screen="csdesk.screens.knowledge:KnowledgeScreen",
    kwargs={"search_first": True},
)

register_command(
    "language",
    N_("Language / 语言"),
    N_("Switch the desk between English and 简体中文"),
    action="csdesk.screens.language:choose_language",
)

register_command(
    "leave", N_("Leave"), N_("My leave requests and their approvals"), screen="csdesk.screens.leave:LeaveScreen"
)
register_command(
    "leave",
    N_("Ask for leave"),
    N_("File a leave request, checked as you type"),
    screen="csdesk.screens.leave:LeaveForm",
)

# Leaders land on the list to review; everyone else on their own book.
register_command(
    "memo",
    N_("Review memos"),
    N_("Adopt with a reward or decline problems and ideas"),
    screen="csdesk.screens.memo:MemoReviewScreen",
    roles=MEMO_REVIEWERS,
)
register_command(
    "memo",
    N_("Memo book"),
    N_("My problems and ideas, and what became of them"),
    screen="csdesk.screens.memo:MemoBookScreen",
)
register_command(
    "memo",
    N_("Write a memo"),
    N_("Record a problem or an idea for the supervisor"),
    screen="csdesk.screens.memo:MemoForm",
)

register_command(
    "quality",
    N_("Quality inspection"),
    N_("Agents' samples this month: under 1, at 5 (QA-1)"),
    screen="csdesk.screens.quality:QualityScreen",
    roles=who_may(Action.SEE_QUALITY_SHEETS),
)
register_command(
    "quality",
    N_("Score a contact"),
    N_("Score an agent's call or ticket on the rubric (QA-1)"),
    screen="csdesk.screens.quality:InspectionForm",
    roles=who_may(Action.RECORD_QA_SAMPLE),
)
register_command(
    "quality",
    N_("Weekly quality summary"),
    N_("The week's inspections and training plan (QA-3)"),
    screen="csdesk.screens.quality:WeeklySummaryScreen",
    roles=who_may(Action.SEE_QUALITY_SHEETS),
)
register_command(
    "quality",
    N_("Daily quality report"),
    N_("Spot-check recordings, forum and email (QA-4)"),
    screen="csdesk.screens.quality:SpotCheckScreen",
    roles=who_may(Action.RECORD_SPOT_CHECK),
)

register_command(
    "tickets",
    N_("Ticket queues"),
    N_("Forum, email, back office, return visits and yours"),
    screen="csdesk.screens.queues:QueuesScreen",
)
register_command(
    "tickets",
    N_("My tickets"),
    N_("The open cases you own (TK-9)"),
    screen="csdesk.screens.queues:QueuesScreen",
    args=("mine",),
)

register_command(
    "rollcall",
    N_("Roll call"),
    N_("Mark the squad present, late or absent before the shift"),
    screen="csdesk.screens.rollcall:RollCallScreen",
    roles=who_may(Action.RUN_ROLL_CALL),
)

register_command(
    "leave", N_("Shift swaps"), N_("My swaps and the two leaders' approvals"), screen="csdesk.screens.swaps:SwapsScreen"
)
register_command(
    "leave",
    N_("Ask for a swap"),
    N_("Offer one of your shifts for a colleague's"),
    screen="csdesk.screens.swaps:SwapForm",
)
