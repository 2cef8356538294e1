"""Every rule the desk knows, by its stable ID, in plain words.

This is what the desk shows when someone asks "why?" about a decision: the
`rule_ids` of a `Decision` look up here. Numbers in the statements are the
shipped defaults; the policy file may change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

    @property
    def topic(self) -> str:
        return self.id.split("-")[0]

    def __str__(self) -> str:
        return f"{self.id} {self.title}: {self.statement}"


_RULES: tuple[Rule, ...] = (
    Rule(
        "ST-1",
        "Registered staff, archived not deleted",
        "Every staff member is registered under a verified real name and an employee number; records are archived, never deleted (deactivate instead).",
        (Kind.ENFORCE,),
        "000 §1.6",
    ),
    Rule(
        "ST-2",
        "Roles decide approvals",
        "Roles: agent (representative), squad leader (shift leader / monitor), deputy leader of a shift, quality inspector, department director, centre director. Approvals follow roles, not names.",
        (Kind.ENFORCE,),
        "000 §5.6, 001 responsibilities",
    ),
    Rule(
        "ST-3",
        "Grades and typing test",
        "Grades: junior, intermediate, senior. Monthly typing test: junior ≥ 30, intermediate ≥ 50 Chinese characters per minute.",
        (Kind.RECORD, Kind.FLAG),
        "001 grading rules",
        default="30 / 50 cpm",
    ),
    Rule(
        "ST-4",
        "Intern conversion",
        "Interns: 40 hours of training and practice; two recorded check-ins with the designated mentor; a written work summary approved by the webmaster/director before conversion; early conversion needs the leader's recommendation and the head's approval.",
        (Kind.RECORD, Kind.ENFORCE),
        "000 §1.1–1.5",
        default="40 h, 2 check-ins",
    ),
    Rule(
        "ST-5",
        "Emergency contact sheet",
        "Emergency contact plan: every formal staff member leaves phone and address; the department keeps a contact sheet.",
        (Kind.RECORD, Kind.EXPORT),
        "000 §IV",
    ),
    Rule(
        "ST-6",
        "Colleagues' contact details are private",
        "Colleagues' contact details are not disclosed to others (only leaders see them).",
        (Kind.ENFORCE,),
        "003 §15",
    ),
    Rule(
        "SC-1",
        "Shift times",
        "Shifts: day 08:30–17:30, night 17:30–01:00 (ends next calendar day; belongs to the day it starts).",
        (Kind.CONFIG,),
        "003 §1 (002 uses 09:00–18:00)",
        default="as stated",
    ),
    Rule(
        "SC-2",
        "Six days on, one off",
        "Six days on, one off; rest days rotated by the squad leader. No one is scheduled 7 days in a row.",
        (Kind.FLAG,),
        "003 §1",
        default="6 on / 1 off",
    ),
    Rule(
        "SC-3",
        "Night-shift overtime",
        "The night shift stays on while customers are still being served: work past shift end is overtime, not a violation.",
        (Kind.RECORD,),
        "003 §1",
    ),
    Rule(
        "SC-4",
        "Roll-call lead time",
        "Staff arrive 10 minutes before shift for roll call.",
        (Kind.RECORD,),
        "001 handover, leader duties",
        default="10 min",
    ),
    Rule(
        "SC-5",
        "Recurring duties",
        "Calendar of recurring duties: handover meeting at every shift change; weekly squad meeting; weekly Monday 08:00 meeting; monthly all-hands on the Friday before the 25th; monthly quality-analysis report due before the 22nd; return-visit satisfaction summary by Monday 18:00.",
        (Kind.RECORD, Kind.REMIND),
        "001 meetings, 003 §3",
        default="as stated",
    ),
    Rule(
        "AT-1",
        "Roll call",
        "The squad leader runs roll call before each shift; it is short and specific. Each rostered agent gets one status: present, late, absent, on leave.",
        (Kind.RECORD,),
        "001 handover, leader duties",
    ),
    Rule(
        "AT-2",
        "Late arrival",
        "Arriving after shift start without approved leave is late. More than 20 minutes late without leave asked before the shift is a disciplinary violation, treated as absenteeism.",
        (Kind.FLAG,),
        "001 leave",
        default="20 min",
    ),
    Rule(
        "AT-3",
        "Away from post",
        "Leaving the post needs the leader's permission; away more than 20 minutes without permission is a disciplinary violation.",
        (Kind.FLAG,),
        "001 leave, on-site rules; 003 §9",
        default="20 min",
    ),
    Rule(
        "AT-4",
        "Weekly hours",
        "Weekly working time is at least 30 hours; a shortfall needs a reason approved by the director.",
        (Kind.FLAG,),
        "000 §2.2",
        default="30 h",
    ),
    Rule(
        "AT-5",
        "Weekly attendance record",
        "The leader keeps detailed attendance records every week (the weekly export).",
        (Kind.RECORD, Kind.EXPORT),
        "000 §2.1",
        default="weekly",
    ),
    Rule(
        "AT-6",
        "Monthly evaluation",
        "Monthly evaluation names the best and the worst performers (attendance, quality, fines).",
        (Kind.REPORT,),
        "000 §2.3, §3.6",
        default="monthly",
    ),
    Rule(
        "AT-7",
        "Absent without leave",
        "Absent from a rostered shift without approved leave is absenteeism.",
        (Kind.FLAG,),
        "001 leave",
    ),
    Rule(
        "AT-8",
        "Duty leader lateness",
        "The duty (deputy) leader not at post on time: first time a warning, second time replaced.",
        (Kind.FLAG, Kind.ESCALATE),
        "000 disciplines 6",
        default="1 warning",
    ),
    Rule(
        "AT-9",
        "Wait for the successor",
        "The outgoing agent may not leave the station before the successor arrives.",
        (Kind.ENFORCE,),
        "001 handover",
    ),
    Rule(
        "LV-1",
        "Leave types",
        "Leave types: sick, personal, special, holiday (vacation), business trip / study abroad.",
        (Kind.CONFIG,),
        "001 leave",
    ),
    Rule(
        "LV-2",
        "Leave notice",
        "Notice: ordinary leave is asked at least 1 day ahead; special leave at least 1 hour before shift start. Later than that it takes effect only with management approval; otherwise the absence is absenteeism.",
        (Kind.ENFORCE,),
        "001 leave",
        default="1 day / 1 h",
    ),
    Rule(
        "LV-3",
        "Leave approval chain",
        "Approval goes step by step, no level skipped: squad leader, then department director (final for ≤ 1 day), then centre director (final for > 1 day).",
        (Kind.ENFORCE,),
        "001 leave",
        default="1 day",
    ),
    Rule(
        "LV-4",
        "Who may file leave",
        "Personal leave is filed by the person themself; only sick leave may be filed by someone else on their behalf.",
        (Kind.ENFORCE,),
        "001 leave",
    ),
    Rule(
        "LV-5",
        "Sick-leave certificate",
        "Sick leave needs a medical certificate to take effect; in an emergency a phone call to the shift leader before the shift ends stands in until the certificate arrives; certificates must cover consecutive days; the leave form is handed to the leader on the first day back.",
        (Kind.ENFORCE, Kind.FLAG),
        "001 leave",
    ),
    Rule(
        "LV-6",
        "Night-shift leave",
        "Night-shift leave is not granted in principle; a special case is filed before 12:00 of the same day and takes effect only with management approval.",
        (Kind.ENFORCE,),
        "001 leave",
        default="12:00",
    ),
    Rule(
        "LV-7",
        "Leave on public holidays",
        "Public holidays: no leave except very special cases filed 2 days ahead, with management approval.",
        (Kind.ENFORCE,),
        "001 leave",
        default="2 days",
    ),
    Rule(
        "LV-8",
        "Business trips and study abroad",
        "Business trips and study abroad need the centre director's approval.",
        (Kind.ENFORCE,),
        "001 leave",
    ),
    Rule(
        "LV-9",
        "Holiday duty is fixed",
        "Staff rostered for holiday duty may neither swap nor take leave.",
        (Kind.ENFORCE,),
        "001 shift swaps",
    ),
    Rule(
        "SW-1",
        "Swap approval",
        "A swap needs the approval of both parties' squad leaders and a registration record.",
        (Kind.ENFORCE,),
        "001 swaps; 000 §5.6",
    ),
    Rule(
        "SW-2",
        "Swaps per month",
        "At most 2 swaps per person per calendar month.",
        (Kind.ENFORCE,),
        "001 swaps",
        default="2",
    ),
    Rule(
        "SW-3",
        "No back-to-back shifts",
        "No back-to-back shifts: after the swap (and its return) neither party works two consecutive shifts without a break.",
        (Kind.ENFORCE,),
        "001 swaps",
    ),
    Rule(
        "SW-4",
        "Like for like",
        "Same kind of work and same grade on both sides.",
        (Kind.ENFORCE,),
        "001 swaps",
    ),
    Rule(
        "SW-5",
        "Empty shift after a swap",
        "If a shift is left empty because the swap was unclear, both parties are charged with absenteeism by their share of responsibility.",
        (Kind.FLAG,),
        "001 swaps",
    ),
    Rule(
        "SW-6",
        "No swap while on leave",
        "No swap while on leave, and none for holiday-duty staff (LV-9).",
        (Kind.ENFORCE,),
        "001 swaps",
    ),
    Rule(
        "SW-7",
        "Refused swaps are recorded",
        "A leader may refuse a swap; the refusal is recorded with a reason.",
        (Kind.RECORD,),
        "001 swaps",
    ),
    Rule(
        "HO-1",
        "Handover log contents",
        "The handover log records equipment condition, unresolved/difficult problems, complaints and major events, and the personnel handed over.",
        (Kind.ENFORCE,),
        "001 handover; 002 schedule",
    ),
    Rule(
        "HO-2",
        "Notices read before starting",
        "Before starting, staff read the latest notices (business changes, offers); reading is acknowledged.",
        (Kind.RECORD,),
        "001 handover; 002 schedule",
    ),
    Rule(
        "HO-3",
        "Handover acknowledged",
        "The incoming leader/agent acknowledges the handover; the outgoing one is released only then (AT-9).",
        (Kind.ENFORCE,),
        "001 handover",
    ),
    Rule(
        "HO-4",
        "Day to night, night writes it down",
        "Day shift hands over to night shift; night shift writes its items in the handover book before leaving.",
        (Kind.ENFORCE,),
        "003 §1",
    ),
    Rule(
        "HO-5",
        "Handover failure fine",
        "No handover, or a handed-over item forgotten, causing a loss: fine 10, doubled the second time, third time automatic dismissal.",
        (Kind.FLAG, Kind.FINE),
        "003 §1",
        default="10, ×2, 3rd",
    ),
    Rule(
        "HO-6",
        "Open problems carried over",
        "A problem still open at shift change is marked in the handover and followed until solved.",
        (Kind.ENFORCE,),
        "002 back-office",
    ),
    Rule(
        "HO-7",
        "No email left unprocessed",
        "No unprocessed email is carried to the next shift: handover shows and warns on every open email.",
        (Kind.FLAG,),
        "002 daily work",
        default="0 left",
    ),
    Rule(
        "TK-1",
        "Channels",
        "Channels: phone, forum (BBS), email, chat.",
        (Kind.CONFIG,),
        "000, 002",
    ),
    Rule(
        "TK-2",
        "Categories",
        "Categories: inquiry, complaint, fault report, suggestion, business registration.",
        (Kind.CONFIG,),
        "001, 002",
    ),
    Rule(
        "TK-3",
        "Phone greeting",
        'Phone: pick up within three rings and greet with the agent\'s number ("Hello, agent No. N speaking, how can I help?"); keep a detailed call record.',
        (Kind.RECORD,),
        "002 phone",
        default="3 rings",
    ),
    Rule(
        "TK-4",
        "Complaint dispatch time",
        "A complaint is dispatched to the responsible party within 60 minutes of receipt.",
        (Kind.SLA,),
        "001 senior grade",
        default="60 min",
    ),
    Rule(
        "TK-5",
        "Back-office answer time",
        "A back-office problem is processed and answered within 24 hours.",
        (Kind.SLA,),
        "002 back-office",
        default="24 h",
    ),
    Rule(
        "TK-6",
        "Forum answer time",
        "Forum questions are answered within 10 minutes; if no answer is possible yet, the agent posts a promised time and answers by then.",
        (Kind.SLA,),
        "002 forum",
        default="10 min",
    ),
    Rule(
        "TK-7",
        "Email answered within the shift",
        "Email is processed the same day, before the shift ends.",
        (Kind.SLA,),
        "002 daily work",
        default="end of shift",
    ),
    Rule(
        "TK-8",
        "Return visit",
        "Return visit: the result goes back to the customer within 72 hours; every case gets a return visit; a case may close after 3 failed contact attempts or wrong contact details.",
        (Kind.SLA, Kind.ENFORCE),
        "001 return visit",
        default="72 h, 3 attempts (3–5)",
    ),
    Rule(
        "TK-9",
        "First-contact ownership",
        "First-contact responsibility: the agent who first takes the case owns it until it is closed or formally transferred.",
        (Kind.ENFORCE,),
        "001 representative",
    ),
    Rule(
        "TK-10",
        "Tell the customer why",
        "When a problem can't be solved now, the customer is told why first, and answered as soon as there is an answer.",
        (Kind.RECORD,),
        "002 service rules",
    ),
    Rule(
        "TK-11",
        "Escalation level by level",
        "Escalation goes level by level (agent, squad leader, department director, centre director); in an emergency a level may be skipped, but the skipped superior is informed afterwards.",
        (Kind.ENFORCE, Kind.RECORD),
        "001 reporting",
    ),
    Rule(
        "TK-12",
        "What an escalation carries",
        "An escalation carries a problem description and the customer's contact details.",
        (Kind.ENFORCE,),
        "002 back-office",
    ),
    Rule(
        "TK-13",
        "Chat greeting time",
        "Chat: greet a waiting customer within 30 seconds; each further 30 s of delay costs 5.",
        (Kind.SLA, Kind.FINE),
        "003 §6",
        default="30 s, 5",
    ),
    Rule(
        "TK-14",
        "Never ask for a password",
        "Never ask a customer for a password: an outgoing reply that asks for one is blocked with a warning.",
        (Kind.ENFORCE,),
        "002 service rules",
    ),
    Rule(
        "TK-15",
        "Customer data is confidential",
        "Customer personal data is confidential: lists show it masked; only the owner and leaders see it whole; exports leave it out unless asked for by a leader.",
        (Kind.ENFORCE,),
        "001 security; 002 confidentiality",
    ),
    Rule(
        "TK-16",
        "Agent number on each case",
        "Each order/case handled is marked with the agent's number (for commission); special customer requests are flagged.",
        (Kind.RECORD,),
        "003 §7",
    ),
    Rule(
        "TK-17",
        "Daily and weekly reports",
        "Daily workload report by the shift leader; daily quality report by the supervisor; weekly summary.",
        (Kind.REPORT,),
        "001 leader duties; 002 schedule",
        default="daily / weekly",
    ),
    Rule(
        "FN-1",
        "Handover failure fine",
        "Handover failure causing a loss: 10, doubled the second time, third time automatic dismissal (HO-5).",
        (Kind.FINE,),
        "003 §1",
        default="10, ×2",
    ),
    Rule(
        "FN-2",
        "Chat greeting delay fine",
        "Greeting delay in chat: 5 for every 30 s past the first 30 s (TK-13).",
        (Kind.FINE,),
        "003 §6",
        default="5 / 30 s",
    ),
    Rule(
        "FN-3",
        "Complaint or quarrel fine",
        "A customer complaint caused by service, or a quarrel with a customer, within one calendar month: 50, doubled the second time, third time automatic dismissal.",
        (Kind.FINE,),
        "003 §6",
        default="50, ×2",
    ),
    Rule(
        "FN-4",
        "Non-work activity fine",
        "Non-work activity at the desk (chat apps other than the work one, TV, games, installing software): 10 each time.",
        (Kind.FINE,),
        "003 §10",
        default="10",
    ),
    Rule(
        "FN-5",
        "Untidy desk fine",
        "Desk / office area not cleaned on time: 10 each time.",
        (Kind.FINE,),
        "003 §14",
        default="10",
    ),
    Rule(
        "FN-6",
        "Disclosing a colleague's contact fine",
        "Disclosing a colleague's contact details: 10 each time.",
        (Kind.FINE,),
        "003 §15",
        default="10",
    ),
    Rule(
        "FN-7",
        "Suggestion reward",
        "Adopted suggestion from an agent's memo book: reward 10–100 by importance.",
        (Kind.REWARD,),
        "003 §2",
        default="10–100",
    ),
    Rule(
        "FN-8",
        "The open department fund",
        "All fines go into the department fund, openly: every staff member can see each movement and the balance; spending is for department activities and is recorded with who approved it.",
        (Kind.ENFORCE,),
        "003 §16",
    ),
    Rule(
        "FN-9",
        "Custom fines and rewards",
        "Anything not covered is decided by the department manager: a custom fine or reward needs the manager's approval and a reason.",
        (Kind.ENFORCE,),
        "003 §17",
    ),
    Rule(
        "FN-10",
        "Escalating fines count per month",
        'Escalating offences (FN-1, FN-3) count per person per calendar month; "third time" means the third recorded offence of that rule in that month.',
        (Kind.CONFIG,),
        "003 §1, §6",
        default="calendar month",
    ),
    Rule(
        "QA-1",
        "Monthly sampling",
        "The inspector samples each agent 1–5 times a month on service language, attitude, tone, eliciting needs, and responsiveness.",
        (Kind.RECORD, Kind.FLAG),
        "001 inspector",
        default="1–5 / month",
    ),
    Rule(
        "QA-2",
        "Monthly score sheet",
        "A comprehensive service-quality score sheet per agent per month, submitted for evaluation.",
        (Kind.REPORT,),
        "001 inspector",
        default="monthly",
    ),
    Rule(
        "QA-3",
        "Weekly inspection summary",
        "Weekly summary of inspections with a training plan (whole-team or individual).",
        (Kind.REPORT,),
        "001 inspector",
        default="weekly",
    ),
    Rule(
        "QA-4",
        "Daily spot checks",
        "The supervisor spot-checks recordings, forum and email daily and writes a daily quality report.",
        (Kind.RECORD,),
        "002 schedule",
        default="daily",
    ),
    Rule(
        "DS-1",
        "Reporting level by level",
        "Reports and requests for instructions go level by level; emergencies may skip a level and inform the superior afterwards (TK-11).",
        (Kind.ENFORCE,),
        "001 reporting",
    ),
    Rule(
        "DS-2",
        "Dismissal review",
        "Three recorded offences of an escalating rule in a month trigger dismissal review (FN-1, FN-3): the app raises it to the director; it never deletes the person.",
        (Kind.FLAG,),
        "003 §1, §6",
        default="3",
    ),
    Rule(
        "DS-3",
        "Duty-leader lateness ladder",
        "Duty-leader lateness: warning, then replacement (AT-8).",
        (Kind.FLAG,),
        "000 disciplines 6",
    ),
    Rule(
        "DS-4",
        "Memo book",
        "Memo book: each agent records problems and ideas and reports them to the supervisor; adopted ones earn FN-7.",
        (Kind.RECORD,),
        "003 §2",
    ),
    Rule(
        "KB-1",
        "Knowledge-entry workflow",
        "Knowledge entries go through: notice received, read by the director, understood, material collected, entered, confirmed by the issuing department, rewritten in customer-friendly words. Start and end times of each addition and removal are recorded; originals are kept; entries are catalogued.",
        (Kind.ENFORCE, Kind.RECORD),
        "001 editorial team",
    ),
    Rule(
        "KB-2",
        "Search the knowledge base",
        "Agents search the knowledge base / FAQ while on a case.",
        (Kind.FEATURE,),
        "001, 002",
    ),
)

TOPICS = {
    "ST": "Staff and roster",
    "SC": "Shifts and calendar",
    "AT": "Roll call and attendance",
    "LV": "Leave",
    "SW": "Shift swaps",
    "HO": "Shift handover",
    "TK": "Tickets and queues",
    "FN": "Fines, rewards and the department fund",
    "QA": "Quality inspection",
    "DS": "Discipline and reporting",
    "KB": "Knowledge base",
}

_BY_ID = {r.id: r for r in _RULES}


class UnknownRule(KeyError):
    pass


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
