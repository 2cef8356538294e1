"""Every rule the desk knows, by its stable ID, in plain words.

This is what the desk shows when someone asks "why?" about a decision: the
`rule_ids` of a `Decision` look up here. Numbers in the statements are the
shipped defaults; the policy file may change them.

The texts are built once at import, in English (marked with ``N_``); the
``*_text()`` accessors translate them into the language in force when read,
from the ``csdesk-rules`` catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from csdesk.i18n import N_, _


class Kind(StrEnum):
    """How the desk acts on a rule."""

    ENFORCE = "enforce"  # the desk refuses or blocks
    FLAG = "flag"  # recorded as a violation or warning and shown
    RECORD = "record"  # kept and reported on
    CONFIG = "config"  # a setting or vocabulary other rules use
    REMIND = "remind"
    EXPORT = "export"
    REPORT = "report"
    ESCALATE = "escalate"
    SLA = "sla"
    FINE = "fine"
    REWARD = "reward"
    FEATURE = "feature"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    statement: str
    kinds: tuple[Kind, ...]
    source: str
    default: str = ""
    # The function that decides the rule, as "package.module.function": the place to read
    # (and the "why?" view's pointer) for what the desk does about it.
    decided_by: str = ""

    @property
    def topic(self) -> str:
        return self.id.split("-")[0]

    def title_text(self) -> str:
        return _(self.title)

    def statement_text(self) -> str:
        return _(self.statement)

    def source_text(self) -> str:
        return _(self.source)

    def default_text(self) -> str:
        # gettext("") is the catalogue's header, not an empty default.
        return _(self.default) if self.default else ""

    def __str__(self) -> str:
        return f"{self.id} {self.title_text()}: {self.statement_text()}"


_RULES: tuple[Rule, ...] = (
    Rule(
        "ST-1",
        N_("Registered staff, archived not deleted"),
        N_(
            "Every staff member is registered under a verified real name and an employee number; records are archived, never deleted (deactivate instead)."
        ),
        (Kind.ENFORCE,),
        N_("000 §1.6"),
        decided_by="csdesk.rules.staff.check_registration",
    ),
    Rule(
        "ST-2",
        N_("Roles decide approvals"),
        N_(
            "Roles: agent (representative), squad leader (shift leader / monitor), deputy leader of a shift, quality inspector, department director, centre director. Approvals follow roles, not names."
        ),
        (Kind.ENFORCE,),
        N_("000 §5.6, 001 responsibilities"),
        decided_by="csdesk.rules.staff.can",
    ),
    Rule(
        "ST-3",
        N_("Grades and typing test"),
        N_(
            "Grades: junior, intermediate, senior. Monthly typing test: junior ≥ 30, intermediate ≥ 50 Chinese characters per minute."
        ),
        (Kind.RECORD, Kind.FLAG),
        N_("001 grading rules"),
        default=N_("30 / 50 cpm"),
        decided_by="csdesk.rules.staff.check_typing_test",
    ),
    Rule(
        "ST-4",
        N_("Intern conversion"),
        N_(
            "Interns: 40 hours of training and practice; two recorded check-ins with the designated mentor; a written work summary approved by the webmaster/director before conversion; early conversion needs the leader's recommendation and the head's approval."
        ),
        (Kind.RECORD, Kind.ENFORCE),
        N_("000 §1.1–1.5"),
        default=N_("40 h, 2 check-ins"),
        decided_by="csdesk.rules.staff.check_intern_conversion",
    ),
    Rule(
        "ST-5",
        N_("Emergency contact sheet"),
        N_(
            "Emergency contact plan: every formal staff member leaves phone and address; the department keeps a contact sheet."
        ),
        (Kind.RECORD, Kind.EXPORT),
        N_("000 §IV"),
        decided_by="csdesk.rules.staff.check_emergency_contact",
    ),
    Rule(
        "ST-6",
        N_("Colleagues' contact details are private"),
        N_("Colleagues' contact details are not disclosed to others (only leaders see them)."),
        (Kind.ENFORCE,),
        N_("003 §15"),
        decided_by="csdesk.rules.privacy.may_see_colleague_contact",
    ),
    Rule(
        "SC-1",
        N_("Shift times"),
        N_("Shifts: day 08:30–17:30, night 17:30–01:00 (ends next calendar day; belongs to the day it starts)."),
        (Kind.CONFIG,),
        N_("003 §1 (002 uses 09:00–18:00)"),
        default=N_("as stated"),
        decided_by="csdesk.rules.shifts.shift_window",
    ),
    Rule(
        "SC-2",
        N_("Six days on, one off"),
        N_("Six days on, one off; rest days rotated by the squad leader. No one is scheduled 7 days in a row."),
        (Kind.FLAG,),
        N_("003 §1"),
        default=N_("6 on / 1 off"),
        decided_by="csdesk.rules.shifts.check_consecutive_days",
    ),
    Rule(
        "SC-3",
        N_("Night-shift overtime"),
        N_(
            "The night shift stays on while customers are still being served: work past shift end is overtime, not a violation."
        ),
        (Kind.RECORD,),
        N_("003 §1"),
        decided_by="csdesk.rules.shifts.check_overtime",
    ),
    Rule(
        "SC-4",
        N_("Roll-call lead time"),
        N_("Staff arrive 10 minutes before shift for roll call."),
        (Kind.RECORD,),
        N_("001 handover, leader duties"),
        default=N_("10 min"),
        decided_by="csdesk.rules.shifts.check_roll_call_lead",
    ),
    Rule(
        "SC-5",
        N_("Recurring duties"),
        N_(
            "Calendar of recurring duties: handover meeting at every shift change; weekly squad meeting; weekly Monday 08:00 meeting; monthly all-hands on the Friday before the 25th; monthly quality-analysis report due before the 22nd; return-visit satisfaction summary by Monday 18:00."
        ),
        (Kind.RECORD, Kind.REMIND),
        N_("001 meetings, 003 §3"),
        default=N_("as stated"),
        decided_by="csdesk.rules.duties.check_mark_done",
    ),
    Rule(
        "AT-1",
        N_("Roll call"),
        N_(
            "The squad leader runs roll call before each shift; it is short and specific. Each rostered agent gets one status: present, late, absent, on leave."
        ),
        (Kind.RECORD,),
        N_("001 handover, leader duties"),
        decided_by="csdesk.rules.attendance.classify_arrival",
    ),
    Rule(
        "AT-2",
        N_("Late arrival"),
        N_(
            "Arriving after shift start without approved leave is late. More than 20 minutes late without leave asked before the shift is a disciplinary violation, treated as absenteeism."
        ),
        (Kind.FLAG,),
        N_("001 leave"),
        default=N_("20 min"),
        decided_by="csdesk.rules.attendance.classify_arrival",
    ),
    Rule(
        "AT-3",
        N_("Away from post"),
        N_(
            "Leaving the post needs the leader's permission; away more than 20 minutes without permission is a disciplinary violation."
        ),
        (Kind.FLAG,),
        N_("001 leave, on-site rules; 003 §9"),
        default=N_("20 min"),
        decided_by="csdesk.rules.attendance.check_away",
    ),
    Rule(
        "AT-4",
        N_("Weekly hours"),
        N_("Weekly working time is at least 30 hours; a shortfall needs a reason approved by the director."),
        (Kind.FLAG,),
        N_("000 §2.2"),
        default=N_("30 h"),
        decided_by="csdesk.rules.attendance.check_weekly_hours",
    ),
    Rule(
        "AT-5",
        N_("Weekly attendance record"),
        N_("The leader keeps detailed attendance records every week (the weekly export)."),
        (Kind.RECORD, Kind.EXPORT),
        N_("000 §2.1"),
        default=N_("weekly"),
        decided_by="csdesk.services.exports.export_attendance",
    ),
    Rule(
        "AT-6",
        N_("Monthly evaluation"),
        N_("Monthly evaluation names the best and the worst performers (attendance, quality, fines)."),
        (Kind.REPORT,),
        N_("000 §2.3, §3.6"),
        default=N_("monthly"),
        decided_by="csdesk.rules.evaluation.monthly_evaluation",
    ),
    Rule(
        "AT-7",
        N_("Absent without leave"),
        N_("Absent from a rostered shift without approved leave is absenteeism."),
        (Kind.FLAG,),
        N_("001 leave"),
        decided_by="csdesk.rules.attendance.classify_attendance",
    ),
    Rule(
        "AT-8",
        N_("Duty leader lateness"),
        N_("The duty (deputy) leader not at post on time: first time a warning, second time replaced."),
        (Kind.FLAG, Kind.ESCALATE),
        N_("000 disciplines 6"),
        default=N_("1 warning"),
        decided_by="csdesk.rules.discipline.duty_leader_lateness",
    ),
    Rule(
        "AT-9",
        N_("Wait for the successor"),
        N_("The outgoing agent may not leave the station before the successor arrives."),
        (Kind.ENFORCE,),
        N_("001 handover"),
        decided_by="csdesk.rules.handover.may_release_outgoing",
    ),
    Rule(
        "LV-1",
        N_("Leave types"),
        N_("Leave types: sick, personal, special, holiday (vacation), business trip / study abroad."),
        (Kind.CONFIG,),
        N_("001 leave"),
        decided_by="csdesk.rules.leave.evaluate_leave",
    ),
    Rule(
        "LV-2",
        N_("Leave notice"),
        N_(
            "Notice: ordinary leave is asked at least 1 day ahead; special leave at least 1 hour before shift start. Later than that it takes effect only with management approval; otherwise the absence is absenteeism."
        ),
        (Kind.ENFORCE,),
        N_("001 leave"),
        default=N_("1 day / 1 h"),
        decided_by="csdesk.rules.leave.check_notice",
    ),
    Rule(
        "LV-3",
        N_("Leave approval chain"),
        N_(
            "Approval goes step by step, no level skipped: squad leader, then department director (final for ≤ 1 day), then centre director (final for > 1 day)."
        ),
        (Kind.ENFORCE,),
        N_("001 leave"),
        default=N_("1 day"),
        decided_by="csdesk.rules.leave.check_approval_step",
    ),
    Rule(
        "LV-4",
        N_("Who may file leave"),
        N_(
            "Personal leave is filed by the person themself; only sick leave may be filed by someone else on their behalf."
        ),
        (Kind.ENFORCE,),
        N_("001 leave"),
        decided_by="csdesk.rules.leave.check_filer",
    ),
    Rule(
        "LV-5",
        N_("Sick-leave certificate"),
        N_(
            "Sick leave needs a medical certificate to take effect; in an emergency a phone call to the shift leader before the shift ends stands in until the certificate arrives; certificates must cover consecutive days; the leave form is handed to the leader on the first day back."
        ),
        (Kind.ENFORCE, Kind.FLAG),
        N_("001 leave"),
        decided_by="csdesk.rules.leave.check_certificate",
    ),
    Rule(
        "LV-6",
        N_("Night-shift leave"),
        N_(
            "Night-shift leave is not granted in principle; a special case is filed before 12:00 of the same day and takes effect only with management approval."
        ),
        (Kind.ENFORCE,),
        N_("001 leave"),
        default=N_("12:00"),
        decided_by="csdesk.rules.leave.check_night_shift",
    ),
    Rule(
        "LV-7",
        N_("Leave on public holidays"),
        N_("Public holidays: no leave except very special cases filed 2 days ahead, with management approval."),
        (Kind.ENFORCE,),
        N_("001 leave"),
        default=N_("2 days"),
        decided_by="csdesk.rules.leave.check_public_holiday",
    ),
    Rule(
        "LV-8",
        N_("Business trips and study abroad"),
        N_("Business trips and study abroad need the centre director's approval."),
        (Kind.ENFORCE,),
        N_("001 leave"),
        decided_by="csdesk.rules.leave.check_business_trip",
    ),
    Rule(
        "LV-9",
        N_("Holiday duty is fixed"),
        N_("Staff rostered for holiday duty may neither swap nor take leave."),
        (Kind.ENFORCE,),
        N_("001 shift swaps"),
        decided_by="csdesk.rules.leave.check_holiday_duty",
    ),
    Rule(
        "SW-1",
        N_("Swap approval"),
        N_("A swap needs the approval of both parties' squad leaders and a registration record."),
        (Kind.ENFORCE,),
        N_("001 swaps; 000 §5.6"),
        decided_by="csdesk.rules.swaps.check_swap_approvals",
    ),
    Rule(
        "SW-2",
        N_("Swaps per month"),
        N_("At most 2 swaps per person per calendar month."),
        (Kind.ENFORCE,),
        N_("001 swaps"),
        default=N_("2"),
        decided_by="csdesk.rules.swaps.check_swap",
    ),
    Rule(
        "SW-3",
        N_("No back-to-back shifts"),
        N_(
            "No back-to-back shifts: after the swap (and its return) neither party works two consecutive shifts without a break."
        ),
        (Kind.ENFORCE,),
        N_("001 swaps"),
        decided_by="csdesk.rules.swaps.check_swap",
    ),
    Rule(
        "SW-4",
        N_("Like for like"),
        N_("Same kind of work and same grade on both sides."),
        (Kind.ENFORCE,),
        N_("001 swaps"),
        decided_by="csdesk.rules.swaps.check_swap",
    ),
    Rule(
        "SW-5",
        N_("Empty shift after a swap"),
        N_(
            "If a shift is left empty because the swap was unclear, both parties are charged with absenteeism by their share of responsibility."
        ),
        (Kind.FLAG,),
        N_("001 swaps"),
        decided_by="csdesk.rules.swaps.empty_shift_charges",
    ),
    Rule(
        "SW-6",
        N_("No swap while on leave"),
        N_("No swap while on leave, and none for holiday-duty staff (LV-9)."),
        (Kind.ENFORCE,),
        N_("001 swaps"),
        decided_by="csdesk.rules.swaps.check_swap",
    ),
    Rule(
        "SW-7",
        N_("Refused swaps are recorded"),
        N_("A leader may refuse a swap; the refusal is recorded with a reason."),
        (Kind.RECORD,),
        N_("001 swaps"),
        decided_by="csdesk.rules.swaps.refuse_swap",
    ),
    Rule(
        "HO-1",
        N_("Handover log contents"),
        N_(
            "The handover log records equipment condition, unresolved/difficult problems, complaints and major events, and the personnel handed over."
        ),
        (Kind.ENFORCE,),
        N_("001 handover; 002 schedule"),
        decided_by="csdesk.rules.handover.check_handover_fields",
    ),
    Rule(
        "HO-2",
        N_("Notices read before starting"),
        N_("Before starting, staff read the latest notices (business changes, offers); reading is acknowledged."),
        (Kind.RECORD,),
        N_("001 handover; 002 schedule"),
        decided_by="csdesk.rules.handover.check_notices_read",
    ),
    Rule(
        "HO-3",
        N_("Handover acknowledged"),
        N_("The incoming leader/agent acknowledges the handover; the outgoing one is released only then (AT-9)."),
        (Kind.ENFORCE,),
        N_("001 handover"),
        decided_by="csdesk.rules.handover.may_release_outgoing",
    ),
    Rule(
        "HO-4",
        N_("Day to night, night writes it down"),
        N_("Day shift hands over to night shift; night shift writes its items in the handover book before leaving."),
        (Kind.ENFORCE,),
        N_("003 §1"),
        decided_by="csdesk.rules.handover.check_handover_written",
    ),
    Rule(
        "HO-5",
        N_("Handover failure fine"),
        N_(
            "No handover, or a handed-over item forgotten, causing a loss: fine 10, doubled the second time, third time automatic dismissal."
        ),
        (Kind.FLAG, Kind.FINE),
        N_("003 §1"),
        default=N_("10, ×2, 3rd"),
        decided_by="csdesk.rules.fines.assess_fine",
    ),
    Rule(
        "HO-6",
        N_("Open problems carried over"),
        N_("A problem still open at shift change is marked in the handover and followed until solved."),
        (Kind.ENFORCE,),
        N_("002 back-office"),
        decided_by="csdesk.rules.handover.check_open_problems_carried",
    ),
    Rule(
        "HO-7",
        N_("No email left unprocessed"),
        N_("No unprocessed email is carried to the next shift: handover shows and warns on every open email."),
        (Kind.FLAG,),
        N_("002 daily work"),
        default=N_("0 left"),
        decided_by="csdesk.rules.handover.check_open_emails",
    ),
    Rule(
        "TK-1",
        N_("Channels"),
        N_("Channels: phone, forum (BBS), email, chat."),
        (Kind.CONFIG,),
        N_("000, 002"),
        decided_by="csdesk.services.tickets.take_in",
    ),
    Rule(
        "TK-2",
        N_("Categories"),
        N_("Categories: inquiry, complaint, fault report, suggestion, business registration."),
        (Kind.CONFIG,),
        N_("001, 002"),
        decided_by="csdesk.services.tickets.take_in",
    ),
    Rule(
        "TK-3",
        N_("Phone greeting"),
        N_(
            'Phone: pick up within three rings and greet with the agent\'s number ("Hello, agent No. N speaking, how can I help?"); keep a detailed call record.'
        ),
        (Kind.RECORD,),
        N_("002 phone"),
        default=N_("3 rings"),
        decided_by="csdesk.rules.tickets.greeting_script",
    ),
    Rule(
        "TK-4",
        N_("Complaint dispatch time"),
        N_("A complaint is dispatched to the responsible party within 60 minutes of receipt."),
        (Kind.SLA,),
        N_("001 senior grade"),
        default=N_("60 min"),
        decided_by="csdesk.rules.tickets.complaint_dispatch_timer",
    ),
    Rule(
        "TK-5",
        N_("Back-office answer time"),
        N_("A back-office problem is processed and answered within 24 hours."),
        (Kind.SLA,),
        N_("002 back-office"),
        default=N_("24 h"),
        decided_by="csdesk.rules.tickets.back_office_timer",
    ),
    Rule(
        "TK-6",
        N_("Forum answer time"),
        N_(
            "Forum questions are answered within 10 minutes; if no answer is possible yet, the agent posts a promised time and answers by then."
        ),
        (Kind.SLA,),
        N_("002 forum"),
        default=N_("10 min"),
        decided_by="csdesk.rules.tickets.forum_timer",
    ),
    Rule(
        "TK-7",
        N_("Email answered within the shift"),
        N_("Email is processed the same day, before the shift ends."),
        (Kind.SLA,),
        N_("002 daily work"),
        default=N_("end of shift"),
        decided_by="csdesk.rules.tickets.email_timer",
    ),
    Rule(
        "TK-8",
        N_("Return visit"),
        N_(
            "Return visit: the result goes back to the customer within 72 hours; every case gets a return visit; a case may close after 3 failed contact attempts or wrong contact details."
        ),
        (Kind.SLA, Kind.ENFORCE),
        N_("001 return visit"),
        default=N_("72 h, 3 attempts (3–5)"),
        decided_by="csdesk.rules.tickets.return_visit_may_close",
    ),
    Rule(
        "TK-9",
        N_("First-contact ownership"),
        N_(
            "First-contact responsibility: the agent who first takes the case owns it until it is closed or formally transferred."
        ),
        (Kind.ENFORCE,),
        N_("001 representative"),
        decided_by="csdesk.rules.tickets.check_transfer",
    ),
    Rule(
        "TK-10",
        N_("Tell the customer why"),
        N_(
            "When a problem can't be solved now, the customer is told why first, and answered as soon as there is an answer."
        ),
        (Kind.RECORD,),
        N_("002 service rules"),
        decided_by="csdesk.rules.tickets.check_unsolved_reply",
    ),
    Rule(
        "TK-11",
        N_("Escalation level by level"),
        N_(
            "Escalation goes level by level (agent, squad leader, department director, centre director); in an emergency a level may be skipped, but the skipped superior is informed afterwards."
        ),
        (Kind.ENFORCE, Kind.RECORD),
        N_("001 reporting"),
        decided_by="csdesk.rules.discipline.check_escalation",
    ),
    Rule(
        "TK-12",
        N_("What an escalation carries"),
        N_("An escalation carries a problem description and the customer's contact details."),
        (Kind.ENFORCE,),
        N_("002 back-office"),
        decided_by="csdesk.rules.tickets.check_escalation_fields",
    ),
    Rule(
        "TK-13",
        N_("Chat greeting time"),
        N_("Chat: greet a waiting customer within 30 seconds; each further 30 s of delay costs 5."),
        (Kind.SLA, Kind.FINE),
        N_("003 §6"),
        default=N_("30 s, 5"),
        decided_by="csdesk.rules.tickets.chat_greeting_timer",
    ),
    Rule(
        "TK-14",
        N_("Never ask for a password"),
        N_("Never ask a customer for a password: an outgoing reply that asks for one is blocked with a warning."),
        (Kind.ENFORCE,),
        N_("002 service rules"),
        decided_by="csdesk.rules.password_guard.check_reply",
    ),
    Rule(
        "TK-15",
        N_("Customer data is confidential"),
        N_(
            "Customer personal data is confidential: lists show it masked; only the owner and leaders see it whole; exports leave it out unless asked for by a leader."
        ),
        (Kind.ENFORCE,),
        N_("001 security; 002 confidentiality"),
        decided_by="csdesk.rules.privacy.may_see_customer_contact",
    ),
    Rule(
        "TK-16",
        N_("Agent number on each case"),
        N_(
            "Each order/case handled is marked with the agent's number (for commission); special customer requests are flagged."
        ),
        (Kind.RECORD,),
        N_("003 §7"),
        decided_by="csdesk.rules.tickets.check_agent_number_marked",
    ),
    Rule(
        "TK-17",
        N_("Daily and weekly reports"),
        N_("Daily workload report by the shift leader; daily quality report by the supervisor; weekly summary."),
        (Kind.REPORT,),
        N_("001 leader duties; 002 schedule"),
        default=N_("daily / weekly"),
        decided_by="csdesk.rules.duties.check_mark_done",
    ),
    Rule(
        "FN-1",
        N_("Handover failure fine"),
        N_("Handover failure causing a loss: 10, doubled the second time, third time automatic dismissal (HO-5)."),
        (Kind.FINE,),
        N_("003 §1"),
        default=N_("10, ×2"),
        decided_by="csdesk.rules.fines.assess_fine",
    ),
    Rule(
        "FN-2",
        N_("Chat greeting delay fine"),
        N_("Greeting delay in chat: 5 for every 30 s past the first 30 s (TK-13)."),
        (Kind.FINE,),
        N_("003 §6"),
        default=N_("5 / 30 s"),
        decided_by="csdesk.rules.fines.check_greeting_delay",
    ),
    Rule(
        "FN-3",
        N_("Complaint or quarrel fine"),
        N_(
            "A customer complaint caused by service, or a quarrel with a customer, within one calendar month: 50, doubled the second time, third time automatic dismissal."
        ),
        (Kind.FINE,),
        N_("003 §6"),
        default=N_("50, ×2"),
        decided_by="csdesk.rules.fines.assess_fine",
    ),
    Rule(
        "FN-4",
        N_("Non-work activity fine"),
        N_(
            "Non-work activity at the desk (chat apps other than the work one, TV, games, installing software): 10 each time."
        ),
        (Kind.FINE,),
        N_("003 §10"),
        default=N_("10"),
        decided_by="csdesk.rules.fines.assess_fine",
    ),
    Rule(
        "FN-5",
        N_("Untidy desk fine"),
        N_("Desk / office area not cleaned on time: 10 each time."),
        (Kind.FINE,),
        N_("003 §14"),
        default=N_("10"),
        decided_by="csdesk.rules.fines.assess_fine",
    ),
    Rule(
        "FN-6",
        N_("Disclosing a colleague's contact fine"),
        N_("Disclosing a colleague's contact details: 10 each time."),
        (Kind.FINE,),
        N_("003 §15"),
        default=N_("10"),
        decided_by="csdesk.rules.fines.assess_fine",
    ),
    Rule(
        "FN-7",
        N_("Suggestion reward"),
        N_("Adopted suggestion from an agent's memo book: reward 10–100 by importance."),
        (Kind.REWARD,),
        N_("003 §2"),
        default=N_("10–100"),
        decided_by="csdesk.rules.fines.check_reward",
    ),
    Rule(
        "FN-8",
        N_("The open department fund"),
        N_(
            "All fines go into the department fund, openly: every staff member can see each movement and the balance; spending is for department activities and is recorded with who approved it."
        ),
        (Kind.ENFORCE,),
        N_("003 §16"),
        decided_by="csdesk.rules.fines.check_spending",
    ),
    Rule(
        "FN-9",
        N_("Custom fines and rewards"),
        N_(
            "Anything not covered is decided by the department manager: a custom fine or reward needs the manager's approval and a reason."
        ),
        (Kind.ENFORCE,),
        N_("003 §17"),
        decided_by="csdesk.rules.fines.check_custom_entry",
    ),
    Rule(
        "FN-10",
        N_("Escalating fines count per month"),
        N_(
            'Escalating offences (FN-1, FN-3) count per person per calendar month; "third time" means the third recorded offence of that rule in that month.'
        ),
        (Kind.CONFIG,),
        N_("003 §1, §6"),
        default=N_("calendar month"),
        decided_by="csdesk.rules.fines.assess_fine",
    ),
    Rule(
        "QA-1",
        N_("Monthly sampling"),
        N_(
            "The inspector samples each agent 1–5 times a month on service language, attitude, tone, eliciting needs, and responsiveness."
        ),
        (Kind.RECORD, Kind.FLAG),
        N_("001 inspector"),
        default=N_("1–5 / month"),
        decided_by="csdesk.rules.quality.check_sample_scores",
    ),
    Rule(
        "QA-2",
        N_("Monthly score sheet"),
        N_("A comprehensive service-quality score sheet per agent per month, submitted for evaluation."),
        (Kind.REPORT,),
        N_("001 inspector"),
        default=N_("monthly"),
        decided_by="csdesk.rules.quality.score_sheet",
    ),
    Rule(
        "QA-3",
        N_("Weekly inspection summary"),
        N_("Weekly summary of inspections with a training plan (whole-team or individual)."),
        (Kind.REPORT,),
        N_("001 inspector"),
        default=N_("weekly"),
        decided_by="csdesk.rules.quality.weekly_summary",
    ),
    Rule(
        "QA-4",
        N_("Daily spot checks"),
        N_("The supervisor spot-checks recordings, forum and email daily and writes a daily quality report."),
        (Kind.RECORD,),
        N_("002 schedule"),
        default=N_("daily"),
        decided_by="csdesk.rules.quality.check_daily_report",
    ),
    Rule(
        "DS-1",
        N_("Reporting level by level"),
        N_(
            "Reports and requests for instructions go level by level; emergencies may skip a level and inform the superior afterwards (TK-11)."
        ),
        (Kind.ENFORCE,),
        N_("001 reporting"),
        decided_by="csdesk.rules.discipline.check_escalation",
    ),
    Rule(
        "DS-2",
        N_("Dismissal review"),
        N_(
            "Three recorded offences of an escalating rule in a month trigger dismissal review (FN-1, FN-3): the app raises it to the director; it never deletes the person."
        ),
        (Kind.FLAG,),
        N_("003 §1, §6"),
        default=N_("3"),
        decided_by="csdesk.rules.discipline.dismissal_review",
    ),
    Rule(
        "DS-3",
        N_("Duty-leader lateness ladder"),
        N_("Duty-leader lateness: warning, then replacement (AT-8)."),
        (Kind.FLAG,),
        N_("000 disciplines 6"),
        decided_by="csdesk.rules.discipline.duty_leader_lateness",
    ),
    Rule(
        "DS-4",
        N_("Memo book"),
        N_(
            "Memo book: each agent records problems and ideas and reports them to the supervisor; adopted ones earn FN-7."
        ),
        (Kind.RECORD,),
        N_("003 §2"),
        decided_by="csdesk.rules.discipline.check_memo",
    ),
    Rule(
        "KB-1",
        N_("Knowledge-entry workflow"),
        N_(
            "Knowledge entries go through: notice received, read by the director, understood, material collected, entered, confirmed by the issuing department, rewritten in customer-friendly words. Start and end times of each addition and removal are recorded; originals are kept; entries are catalogued."
        ),
        (Kind.ENFORCE, Kind.RECORD),
        N_("001 editorial team"),
        decided_by="csdesk.rules.knowledge.check_kb_step",
    ),
    Rule(
        "KB-2",
        N_("Search the knowledge base"),
        N_("Agents search the knowledge base / FAQ while on a case."),
        (Kind.FEATURE,),
        N_("001, 002"),
        decided_by="csdesk.services.knowledge.search_knowledge",
    ),
)

TOPICS = {
    "ST": N_("Staff and roster"),
    "SC": N_("Shifts and calendar"),
    "AT": N_("Roll call and attendance"),
    "LV": N_("Leave"),
    "SW": N_("Shift swaps"),
    "HO": N_("Shift handover"),
    "TK": N_("Tickets and queues"),
    "FN": N_("Fines, rewards and the department fund"),
    "QA": N_("Quality inspection"),
    "DS": N_("Discipline and reporting"),
    "KB": N_("Knowledge base"),
}

_BY_ID = {r.id: r for r in _RULES}


class UnknownRule(KeyError):
    pass


def topic_title(topic: str) -> str:
    """A topic's heading ("LV" -> "Leave") in the language in force."""
    try:
        return _(TOPICS[topic.strip().upper()])
    except KeyError:
        raise UnknownRule(f"no topic {topic!r}") from None


def rule(rule_id: str) -> Rule:
    """The rule with this ID (case and spaces ignored, so "lv 6" finds LV-6)."""
    key = rule_id.strip().upper().replace(" ", "-")
    try:
        return _BY_ID[key]
    except KeyError:
        raise UnknownRule(f"no rule {rule_id!r}") from None


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in catalogue order (by topic, then number)."""
    return _RULES


def explain(rule_ids: tuple[str, ...] | list[str]) -> list[Rule]:
    """The rules behind a decision, skipping IDs the catalogue does not know."""
    return [_BY_ID[i] for i in rule_ids if i in _BY_ID]
