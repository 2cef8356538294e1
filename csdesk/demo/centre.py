"""The demo centre as it is made: people, shifts, attendance, leave, swaps, tickets, the fund,
handovers, notices and training, as rows built in memory with the ids chosen here.

``DemoBuilder`` is what each part of the demo adds itself to (``csdesk.demo.quality``,
``.knowledge``, ``.staffing``, ``.evaluation``); ``csdesk.demo.builder.build_demo`` runs
them in order and writes every row in one transaction.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, SQLModel

from csdesk.demo.people import (
    AGENT_NAMES,
    CUSTOMER_NAMES,
    MANAGEMENT,
    NOTICES,
    SQUADS,
    SUBJECTS,
)
from csdesk.i18n import _
from csdesk.models import (
    Attendance,
    AwayPeriod,
    CannedReply,
    ClockPause,
    ContactAttempt,
    HandoverItem,
    HandoverLog,
    Inspection,
    KnowledgeEntry,
    KnowledgeStateChange,
    LeaveApproval,
    LeaveRequest,
    LedgerEntry,
    MemoSuggestion,
    Notice,
    NoticeAck,
    Notification,
    ReturnVisit,
    RollCallEntry,
    RollCallSession,
    RosterEntry,
    ShiftDefinition,
    SpotCheck,
    Squad,
    Staff,
    SwapApproval,
    SwapRequest,
    Ticket,
    TicketEvent,
    TrainingLog,
)
from csdesk.models.states import ContactOutcome, RequestStatus, StepDecision, SuggestionStatus, SwapSide, WaitingFor
from csdesk.policy import Policy
from csdesk.rules.attendance import LeaveOnFile, classify_arrival
from csdesk.rules.contact import contact_key
from csdesk.rules.fines import Offence, assess_fine, greeting_delay_fine
from csdesk.rules.leave import approval_chain, certificate_deadline
from csdesk.rules.shifts import ShiftWindow, shift_window
from csdesk.rules.tickets import return_visit_timer
from csdesk.rules.vocab import (
    ESCALATION_LADDER,
    Category,
    Channel,
    Grade,
    LeaveType,
    LedgerKind,
    Role,
    ShiftKind,
    StaffStatus,
    TicketStatus,
)
from csdesk.services.queues import running_deadlines
from csdesk.vocabulary import channel_label, role_label

WEEKS = 4
# Rostered weeks after this one: a demo built on a Sunday night still has shifts to
# call the roll for, swap and take leave from.
WEEKS_AHEAD = 2
TICKETS = 320


# -- the build -----------------------------------------------------------------------------


class Rows:
    """Rows per table, inserted in dependency order at the end."""

    def __init__(self) -> None:
        self.tables: dict[type[SQLModel], list[dict[str, Any]]] = {}
        self.ids: Counter[type[SQLModel]] = Counter()

    def add(self, model: type[SQLModel], **values: Any) -> int:
        self.ids[model] += 1
        values.setdefault("id", self.ids[model])
        self.tables.setdefault(model, []).append(values)
        return int(values["id"])

    def count(self, model: type[SQLModel]) -> int:
        return len(self.tables.get(model, ()))

    def insert_all(self, session: Session) -> None:
        # Squads and their leaders point at each other: leaders are set once staff exist.
        leaders = {row["id"]: row["leader_id"] for row in self.tables.get(Squad, [])}
        for model in ORDER:
            rows = self.tables.get(model)
            if model is Squad:
                rows = [{**row, "leader_id": None} for row in rows or []]
            if rows:
                session.execute(insert(model), rows)
            if model is Staff:
                for squad_id, leader_id in leaders.items():
                    session.execute(update(Squad).where(Squad.id == squad_id).values(leader_id=leader_id))


# Parents before children; squads' leaders are set after staff exist.
ORDER = (
    ShiftDefinition,
    Squad,
    Staff,
    RosterEntry,
    RollCallSession,
    RollCallEntry,
    Attendance,
    AwayPeriod,
    LeaveRequest,
    LeaveApproval,
    SwapRequest,
    SwapApproval,
    Ticket,
    TicketEvent,
    ClockPause,
    ReturnVisit,
    ContactAttempt,
    Inspection,
    SpotCheck,
    LedgerEntry,
    MemoSuggestion,
    HandoverLog,
    HandoverItem,
    Notice,
    NoticeAck,
    TrainingLog,
    KnowledgeEntry,
    KnowledgeStateChange,
    Notification,
    CannedReply,
)


@dataclass
class DemoPerson:
    id: int
    number: str
    name: str
    role: Role
    grade: Grade
    squad_index: int | None
    status: StaffStatus = StaffStatus.FORMAL


class DemoBuilder:
    def __init__(self, policy: Policy, seed: int, now: datetime) -> None:
        self.policy = policy
        self.zone = policy.zone
        self.rng = random.Random(seed)
        self.now = now.astimezone(UTC)
        self.today = now.astimezone(self.zone).date()
        self.first_day = self.today - timedelta(days=self.today.weekday()) - timedelta(weeks=WEEKS - 1)
        self.days = [self.first_day + timedelta(days=i) for i in range((WEEKS + WEEKS_AHEAD) * 7)]
        self.rows = Rows()
        self.people: list[DemoPerson] = []
        self.squad_ids: list[int] = []
        self.shift_ids: dict[ShiftKind, int] = {}
        # (staff id, day) -> (roster id, window) for shifts worked
        self.shifts: dict[tuple[int, date], tuple[int, ShiftWindow]] = {}

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    # -- people ---------------------------------------------------------------------

    def staff(self, pin_hash: str) -> None:
        for kind in ShiftKind:
            definition = self.policy.shifts.of(kind)
            self.shift_ids[kind] = self.rows.add(
                ShiftDefinition,
                code=kind.value,
                kind=kind,
                start_time=definition.start,
                end_time=definition.end,
                ends_next_day=definition.crosses_midnight,
            )
        for name, *_rest in SQUADS:
            self.squad_ids.append(self.rows.add(Squad, name=name, leader_id=None))

        def person(
            number: str,
            name: str,
            role: Role,
            squad: int | None,
            grade: Grade,
            status: StaffStatus = StaffStatus.FORMAL,
        ) -> DemoPerson:
            hired = self.today - timedelta(days=self.rng.randint(60, 2000))
            if status is StaffStatus.INTERN:
                hired = self.today - timedelta(days=self.rng.randint(10, 40))
            staff_id = self.rows.add(
                Staff,
                employee_number=number,
                real_name=name,
                role=role,
                grade=grade,
                squad_id=self.squad_ids[squad] if squad is not None else None,
                status=status,
                hire_date=hired,
                phone=f"139{self.rng.randint(10_000_000, 99_999_999)}",
                address=f"{self.rng.randint(1, 300)} Harbour Road",
                emergency_contact="family",
                pin_hash=pin_hash,
                failed_pin_count=0,
                locked_until=None,
            )
            p = DemoPerson(staff_id, number, name, role, grade, squad, status)
            self.people.append(p)
            return p

        for number, name, role in MANAGEMENT:
            person(number, name, role, None, Grade.SENIOR)
        names = list(AGENT_NAMES)
        for index, (_name, _shift, leader, deputy) in enumerate(SQUADS):
            lead = person(leader[0], leader[1], Role.SQUAD_LEADER, index, Grade.SENIOR)
            self.rows.tables[Squad][index]["leader_id"] = lead.id
            person(deputy[0], deputy[1], Role.DEPUTY_LEADER, index, Grade.SENIOR)
            for k in range(10):
                grade = (Grade.JUNIOR, Grade.INTERMEDIATE, Grade.INTERMEDIATE, Grade.SENIOR)[k % 4]
                status = StaffStatus.INTERN if k == 9 else StaffStatus.FORMAL
                person(f"{leader[0][:2]}{k + 10}", names[index * 10 + k], Role.AGENT, index, grade, status)

    def members(self, squad: int) -> list[DemoPerson]:
        return [p for p in self.people if p.squad_index == squad]

    def by_name(self, name: str) -> DemoPerson:
        return next(p for p in self.people if p.name == name)

    # -- roster and attendance --------------------------------------------------------------

    def kind_for(self, squad: int, day: date) -> ShiftKind:
        fixed = SQUADS[squad][1]
        if fixed is not None:
            return fixed
        return ShiftKind.DAY if day.isocalendar().week % 2 == 0 else ShiftKind.NIGHT

    def roster(self) -> None:
        for squad in range(len(SQUADS)):
            for position, member in enumerate(self.members(squad)):
                for day_index, day in enumerate(self.days):
                    # SC-2: six on, one off; rest days rotate through the squad.
                    if (day_index + position) % 7 == 6:
                        continue
                    kind = self.kind_for(squad, day)
                    roster_id = self.rows.add(
                        RosterEntry,
                        staff_id=member.id,
                        work_date=day,
                        shift_id=self.shift_ids[kind],
                        holiday_duty=self.policy.holidays.is_holiday(day),
                    )
                    self.shifts[(member.id, day)] = (roster_id, shift_window(day, kind, self.policy))

    def leave(self) -> dict[tuple[int, date], tuple[LeaveType, datetime]]:
        """Approved leave in the past (and one pending, one refused ahead); returns who was off when."""
        off: dict[tuple[int, date], tuple[LeaveType, datetime]] = {}
        past = [d for d in self.days if d < self.today - timedelta(days=1)]
        plans = [
            (self.by_name("Lucía Pérez"), past[-6], LeaveType.SICK, RequestStatus.APPROVED, 1),
            (self.by_name("Oliver Brown"), past[-12], LeaveType.PERSONAL, RequestStatus.APPROVED, 2),
            (self.by_name("孙悦"), past[-3], LeaveType.HOLIDAY, RequestStatus.APPROVED, 1),
            (self.by_name("杨帆"), self.today + timedelta(days=3), LeaveType.PERSONAL, RequestStatus.PENDING, 1),
            (self.by_name("Grace Miller"), self.today + timedelta(days=5), LeaveType.SICK, RequestStatus.PENDING, 1),
            (
                self.by_name("Diego Torres"),
                self.today + timedelta(days=4),
                LeaveType.PERSONAL,
                RequestStatus.REFUSED,
                1,
            ),
        ]
        directors: dict[Role, DemoPerson] = {
            p.role: p for p in self.people if p.role in (Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)
        }
        for who, first, kind, status, days in plans:
            starts = self.local(first, 0)
            certified = kind is LeaveType.SICK and status is not RequestStatus.PENDING
            filed = starts - timedelta(days=3, hours=self.rng.randint(0, 20))
            request_id = self.rows.add(
                LeaveRequest,
                requester_id=who.id,
                filed_by_id=who.id,
                leave_type=kind,
                starts_at=starts,
                ends_at=starts + timedelta(days=days),
                reason=f"{kind.value} leave",
                # LV-5: the pending sick leave still waits for its certificate.
                has_certificate=certified,
                certificate_from=first if certified else None,
                certificate_to=first + timedelta(days=days - 1) if certified else None,
                certificate_at=filed if certified else None,
                certificate_due_at=(
                    certificate_deadline(starts + timedelta(days=days), (), self.policy.zone)
                    if kind is LeaveType.SICK and not certified
                    else None
                ),
                phoned_leader=False,
                status=status,
                filed_at=filed,
            )
            leader = next(p for p in self.members(who.squad_index or 0) if p.role is Role.SQUAD_LEADER)
            for level, role in enumerate(approval_chain(kind, days, self.policy), start=1):
                approver = leader if role is Role.SQUAD_LEADER else directors[role]
                if status is RequestStatus.APPROVED or (status is RequestStatus.REFUSED and level == 1):
                    decision = StepDecision.APPROVED if status is RequestStatus.APPROVED else StepDecision.REFUSED
                    self.rows.add(
                        LeaveApproval,
                        request_id=request_id,
                        level=level,
                        role=role,
                        approver_id=approver.id,
                        decision=decision,
                        reason="" if decision is StepDecision.APPROVED else "short-staffed that day",
                        decided_at=filed + timedelta(hours=level * 3),
                    )
                else:
                    self.rows.add(
                        LeaveApproval,
                        request_id=request_id,
                        level=level,
                        role=role,
                        approver_id=None,
                        decision=StepDecision.PENDING,
                        reason="",
                        decided_at=None,
                    )
            if status is RequestStatus.APPROVED:
                for offset in range(days):
                    off[(who.id, first + timedelta(days=offset))] = (kind, filed)
        return off

    def attendance(self, off: dict[tuple[int, date], tuple[LeaveType, datetime]]) -> None:
        wang = self.by_name("王芳")
        late_day = max(d for (sid, d) in self.shifts if sid == wang.id and d < self.today - timedelta(days=1))
        calls: dict[tuple[int, date], int] = {}
        absent_budget = 5
        for (staff_id, day), (roster_id, window) in sorted(self.shifts.items(), key=lambda item: item[1][1].start):
            if window.start > self.now:
                continue
            member = next(p for p in self.people if p.id == staff_id)
            leave = off.get((staff_id, day))
            roll = self.rng.random()
            if leave is not None:
                arrived = None
            elif staff_id == wang.id and day == late_day:
                arrived = window.start + timedelta(minutes=21)  # AT-2: one minute past the limit
            elif roll < 0.008 and absent_budget > 0:
                absent_budget -= 1
                arrived = None
            elif roll < 0.06:
                arrived = window.start + timedelta(minutes=self.rng.randint(2, 18))
            else:
                arrived = window.start - timedelta(minutes=self.rng.randint(2, 14))
            on_file = LeaveOnFile(asked_at=leave[1], approved=True) if leave else None
            arrival = classify_arrival(window, arrived, self.policy, on_file)
            left = None
            if arrived is not None and window.end <= self.now:
                extra = (
                    self.rng.randint(15, 45)
                    if window.kind is ShiftKind.NIGHT and roll > 0.8
                    else self.rng.randint(0, 8)
                )
                left = window.end + timedelta(minutes=extra)  # SC-3: overtime, never a violation
            attendance_id = self.rows.add(
                Attendance,
                staff_id=staff_id,
                roster_id=roster_id,
                clock_in=arrived,
                clock_out=left,
                status=arrival.status,
                minutes_late=arrival.minutes_late,
                leave_type=leave[0] if leave else None,
            )
            if arrived is not None and roll > 0.97:
                start = arrived + timedelta(hours=2)
                permitted = roll > 0.985
                self.rows.add(
                    AwayPeriod,
                    attendance_id=attendance_id,
                    started_at=start,
                    ended_at=start + timedelta(minutes=25 if not permitted else 35),
                    permitted=permitted,
                    permitted_by_id=self.leader_of(member).id if permitted else None,
                )
            # AT-1: the roll call that recorded it.
            key = (member.squad_index or 0, day)
            if key not in calls:
                leader = self.leader_of(member)
                closed = (
                    window.start + timedelta(minutes=2) if window.start + timedelta(minutes=2) <= self.now else None
                )
                calls[key] = self.rows.add(
                    RollCallSession,
                    squad_id=self.squad_ids[key[0]],
                    work_date=day,
                    shift_id=self.shift_ids[window.kind],
                    leader_id=leader.id,
                    opened_at=window.start - timedelta(minutes=10),
                    closed_at=closed,
                )
            self.rows.add(
                RollCallEntry,
                session_id=calls[key],
                staff_id=staff_id,
                status=arrival.status,
                arrived_at=arrived if arrived and arrived <= window.start + timedelta(minutes=30) else None,
                minutes_late=arrival.minutes_late,
                rule_ids=list(arrival.decision.rule_ids),
            )

    def leader_of(self, member: DemoPerson) -> DemoPerson:
        return next(p for p in self.members(member.squad_index or 0) if p.role is Role.SQUAD_LEADER)

    def swaps(self) -> None:
        future = [d for d in self.days if d > self.today]
        pairs = [
            ("王秀英", "Samuel Taylor", RequestStatus.APPROVED, ""),
            ("Javier Morales", "马琳", RequestStatus.PENDING, ""),
            ("黄丽", "Hannah Moore", RequestStatus.REFUSED, "both are needed for the Monday meeting"),
        ]
        for left_name, right_name, status, reason in pairs:
            left, right = self.by_name(left_name), self.by_name(right_name)
            left_day = next((d for d in future if (left.id, d) in self.shifts), None)
            right_day = next((d for d in future if (right.id, d) in self.shifts and d != left_day), None)
            if left_day is None or right_day is None:
                continue
            filed = self.now - timedelta(days=1, hours=self.rng.randint(1, 10))
            swap_id = self.rows.add(
                SwapRequest,
                requester_id=left.id,
                partner_id=right.id,
                requester_roster_id=self.shifts[(left.id, left_day)][0],
                partner_roster_id=self.shifts[(right.id, right_day)][0],
                reason="family matters",
                status=status,
                filed_at=filed,
            )
            for side, who in ((SwapSide.REQUESTER, left), (SwapSide.PARTNER, right)):
                leader = self.leader_of(who)
                if status is RequestStatus.PENDING and side is SwapSide.PARTNER:
                    decision, approver, at = StepDecision.PENDING, None, None
                elif status is RequestStatus.REFUSED and side is SwapSide.PARTNER:
                    decision, approver, at = StepDecision.REFUSED, leader.id, filed + timedelta(hours=2)
                else:
                    decision, approver, at = StepDecision.APPROVED, leader.id, filed + timedelta(hours=1)
                self.rows.add(
                    SwapApproval,
                    request_id=swap_id,
                    side=side,
                    squad_id=self.squad_ids[who.squad_index or 0],
                    approver_id=approver,
                    decision=decision,
                    reason=reason if decision is StepDecision.REFUSED else "",
                    decided_at=at,
                )

    # -- tickets -------------------------------------------------------------------------

    def tickets(self) -> None:
        agents = [p for p in self.people if p.role is Role.AGENT]
        channels, categories, statuses = list(Channel), list(Category), list(TicketStatus)
        for n in range(TICKETS):
            channel = channels[n % len(channels)]
            category = categories[(n // len(channels)) % len(categories)]
            status = statuses[(n * 3 + n // 7) % len(statuses)]
            received = self.now - timedelta(minutes=self.rng.randint(20, 14 * 24 * 60))
            if status is TicketStatus.NEW:
                received = self.now - timedelta(minutes=self.rng.randint(1, 90))
            owner = None if status is TicketStatus.NEW else self.rng.choice(agents)
            customer = self.rng.choice(CUSTOMER_NAMES)
            contact = (
                f"13{self.rng.randint(100_000_000, 999_999_999)}"
                if channel in (Channel.PHONE, Channel.CHAT)
                else f"customer{n}@example.com"
            )
            first_reply = received + timedelta(minutes=self.rng.randint(1, 15)) if owner else None
            escalation = 0
            if status is TicketStatus.ESCALATED:
                escalation = 1 + n % (len(ESCALATION_LADDER) - 1)
            resolved = None
            if status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
                resolved = min(received + timedelta(hours=self.rng.randint(1, 30)), self.now)
            dispatched = received + timedelta(minutes=30) if status is TicketStatus.DISPATCHED else None
            # TK-5: a case waiting for the customer has its resolution clock stopped since it asked.
            paused = (
                first_reply + timedelta(minutes=2)
                if status is TicketStatus.WAITING_CUSTOMER and first_reply is not None
                else None
            )
            ticket_id = self.add_ticket(
                channel=channel,
                category=category,
                customer_name=customer,
                customer_contact=contact,
                subject=self.rng.choice(SUBJECTS[category.value]),
                body="Customer wrote in; details on file.",
                status=status,
                owner_id=owner.id if owner else None,
                escalation_level=escalation,
                received_at=received,
                dispatched_at=dispatched,
                first_reply_at=first_reply,
                resolved_at=resolved,
                promised_at=None,
                special_request=n % 23 == 0,
                paused_since=paused,
                paused_for=WaitingFor.CUSTOMER if paused else None,
            )
            # The same steps, in the same words, as the ticket services write them.
            events = [
                (
                    "intake",
                    received,
                    None,
                    _("{who} took it in by {channel} into the shared queue").format(
                        who=_("system"), channel=channel_label(channel)
                    ),
                )
            ]
            if owner:
                who = _("No. {number} {name}").format(number=owner.number, name=owner.name)
                events.append(
                    ("claim", received + timedelta(minutes=1), owner.id, _("claimed by {who}").format(who=who))
                )
                events.append(("reply", first_reply, owner.id, _("first answer sent")))
            if status is TicketStatus.WAITING_CUSTOMER and paused is not None and owner is not None:
                events.append(("reply", paused, owner.id, _("asked the customer for details")))
                asked = _("the order number on the receipt")
                events.append(
                    (
                        "pause",
                        paused,
                        owner.id,
                        _("{who} waits for the customer: {note}; the resolution clock stops").format(
                            who=who, note=asked
                        ),
                    )
                )
                self.rows.add(
                    ClockPause,
                    ticket_id=ticket_id,
                    waiting_for=WaitingFor.CUSTOMER,
                    note=asked,
                    started_at=paused,
                    started_by_id=owner.id,
                    ended_at=None,
                    ended_by_id=None,
                    credit_seconds=0,
                )
            if status is TicketStatus.DISPATCHED:
                events.append(
                    (
                        "dispatch",
                        dispatched,
                        owner.id,
                        _("dispatched to {party} by {who}").format(party=_("the back office"), who=who),
                    )
                )
            if escalation:
                for level in range(1, escalation + 1):
                    events.append(
                        (
                            "escalate",
                            received + timedelta(minutes=20 * level),
                            owner.id,
                            _("escalated to the {role} by {who}: {description} — contact: {contact}").format(
                                role=role_label(ESCALATION_LADDER[level]),
                                who=who,
                                description=_("customer insists on compensation"),
                                contact=contact,
                            ),
                        )
                    )
            if resolved:
                events.append(("resolve", resolved, owner.id, _("resolved by {who}").format(who=who)))
            for kind, at, actor, text in events:
                self.rows.add(TicketEvent, ticket_id=ticket_id, at=at, actor_id=actor, kind=kind, text=text)
            if resolved is not None:
                self.return_visit(ticket_id, status, resolved, owner)

    def add_ticket(self, **values: Any) -> int:
        """A ticket row with what the ticket services store besides: its contact as one
        key, and its running deadlines worked out by the same rules (TK-4..TK-8)."""
        values = {"version": 1, "paused_since": None, "paused_for": None, "paused_seconds": 0, **values}
        values["contact_key"] = contact_key(values["customer_contact"], self.policy.centre.phone_region)
        values["sla_due"], values["sla_warn_at"] = running_deadlines(Ticket(**values), self.policy)
        return self.rows.add(Ticket, **values)

    def return_visit(self, ticket_id: int, status: TicketStatus, resolved: datetime, owner: DemoPerson) -> None:
        due = return_visit_timer(resolved, self.policy).due_at
        closed = status is TicketStatus.CLOSED
        attempts = 1 if closed else self.rng.randint(0, 2)
        visit_id = self.rows.add(
            ReturnVisit,
            ticket_id=ticket_id,
            due_at=due,
            done_at=min(resolved + timedelta(hours=20), self.now) if closed else None,
            satisfied=(self.rng.random() > 0.15) if closed else None,
            result="customer confirmed the fix" if closed else "",
        )
        for k in range(attempts):
            at = min(resolved + timedelta(hours=4 * (k + 1)), self.now)
            reached = closed and k == attempts - 1
            self.rows.add(
                ContactAttempt,
                return_visit_id=visit_id,
                at=at,
                actor_id=owner.id,
                outcome=ContactOutcome.REACHED if reached else ContactOutcome.NO_ANSWER,
                note="" if reached else "no answer, will try again",
            )

    # -- money, handover, notices ------------------------------------------------------------

    def ledger(self) -> None:
        director = next(p for p in self.people if p.role is Role.DEPARTMENT_DIRECTOR)
        month_start = datetime.combine(self.today.replace(day=1), time(0), tzinfo=self.zone).astimezone(UTC)
        span = self.now - month_start

        def fine(who: DemoPerson, offence: Offence, earlier: int, at: datetime, reason: str) -> None:
            assessed = assess_fine(offence, earlier, self.policy)
            self.rows.add(
                LedgerEntry,
                kind=LedgerKind.FINE,
                staff_id=who.id,
                rule_id=assessed.decision.rule_ids[0],
                amount_cents=assessed.amount * 100,
                reason=f"{reason} ({assessed.decision.reason})",
                approver_id=None,
                recorded_by_id=self.leader_of(who).id,
                reverses_id=None,
                at=at,
            )

        zhang = self.by_name("张伟")
        # FN-3: two complaint fines this month, the second one doubled.
        fine(zhang, Offence.COMPLAINT, 0, month_start + span / 3, "customer complaint about tone")
        fine(zhang, Offence.COMPLAINT, 1, month_start + span * 2 / 3, "quarrel with a customer")
        last_month = month_start - timedelta(days=10)
        fine(self.by_name("Henry Wilson"), Offence.HANDOVER, 0, last_month, "open complaint left out of the handover")
        fine(self.by_name("吴强"), Offence.NON_WORK, 0, last_month + timedelta(days=2), "video site on the desk PC")
        fine(self.by_name("Chloe Davis"), Offence.DESK_NOT_CLEAN, 0, month_start + span / 2, "desk not cleaned")
        greeting = greeting_delay_fine(timedelta(seconds=75), self.policy)
        if greeting:
            chat = self.by_name("Valentina Castro")
            self.rows.add(
                LedgerEntry,
                kind=LedgerKind.FINE,
                staff_id=chat.id,
                rule_id="FN-2",
                amount_cents=greeting * 100,
                reason="chat customer greeted after 75 seconds",
                approver_id=None,
                recorded_by_id=self.leader_of(chat).id,
                reverses_id=None,
                at=month_start + span / 4,
            )
        # FN-7: an adopted suggestion earns a reward.
        author = self.by_name("Lucas Anderson")
        amount = self.policy.rewards.min_amount * 5
        reward_id = self.rows.add(
            LedgerEntry,
            kind=LedgerKind.REWARD,
            staff_id=author.id,
            rule_id="FN-7",
            amount_cents=-amount * 100,
            reason="adopted suggestion: shorter phone menu",
            approver_id=None,
            recorded_by_id=self.leader_of(author).id,
            reverses_id=None,
            at=month_start + span / 5,
        )
        self.rows.add(
            MemoSuggestion,
            author_id=author.id,
            text="Shorten the phone menu to three options.",
            written_at=month_start - timedelta(days=3),
            status=SuggestionStatus.ADOPTED,
            reviewed_by_id=self.leader_of(author).id,
            reviewed_at=month_start + span / 5,
            reward_entry_id=reward_id,
        )
        self.rows.add(
            MemoSuggestion,
            author_id=self.by_name("郭敏").id,
            text="Add a macro for refund questions.",
            written_at=self.now - timedelta(days=2),
            status=SuggestionStatus.OPEN,
            reviewed_by_id=None,
            reviewed_at=None,
            reward_entry_id=None,
        )
        self.rows.add(
            LedgerEntry,
            kind=LedgerKind.REWARD,
            staff_id=self.by_name("何静").id,
            rule_id="FN-7",
            amount_cents=-self.policy.rewards.min_amount * 100,
            reason="praised by a customer",
            approver_id=None,
            recorded_by_id=self.leader_of(self.by_name("何静")).id,
            reverses_id=None,
            at=last_month + timedelta(days=4),
        )
        # FN-8: the fund pays for the team's tea, approved by the director.
        self.rows.add(
            LedgerEntry,
            kind=LedgerKind.SPENDING,
            staff_id=None,
            rule_id="FN-8",
            amount_cents=-6000,
            reason="tea and fruit for the night shift",
            approver_id=director.id,
            recorded_by_id=director.id,
            reverses_id=None,
            at=month_start + span / 2,
        )

    def handover(self) -> None:
        last_week = [d for d in self.days if self.today - timedelta(days=7) <= d < self.today]
        open_tickets = [
            row["id"]
            for row in self.rows.tables[Ticket]
            if row["status"] in (TicketStatus.CLAIMED, TicketStatus.WAITING_CUSTOMER)
        ]
        for squad in range(len(SQUADS)):
            members = self.members(squad)
            leader = next(p for p in members if p.role is Role.SQUAD_LEADER)
            deputy = next(p for p in members if p.role is Role.DEPUTY_LEADER)
            other = self.members((squad + 1) % len(SQUADS))[0]
            for day in last_week:
                kind = self.kind_for(squad, day)
                window = shift_window(day, kind, self.policy)
                if window.end > self.now:
                    continue
                outgoing = leader if day.toordinal() % 2 else deputy
                acknowledged = day < self.today - timedelta(days=1) or squad != 0
                log_id = self.rows.add(
                    HandoverLog,
                    squad_id=self.squad_ids[squad],
                    work_date=day,
                    from_shift_id=self.shift_ids[kind],
                    outgoing_id=outgoing.id,
                    # HO-3: the successor is named when it is written; Lotus's latest still waits for them.
                    incoming_id=other.id,
                    equipment="all headsets working" if day.day % 3 else "headset 7 crackles; reported to IT",
                    complaints="one refund complaint still open" if day.day % 2 else "none",
                    events="system slow 14:00-14:20" if day.day % 4 == 0 else "quiet shift",
                    written_at=window.end - timedelta(minutes=5),
                    acknowledged_at=window.end + timedelta(minutes=3) if acknowledged else None,
                    acknowledged_by_id=other.id if acknowledged else None,
                )
                if open_tickets:
                    self.rows.add(
                        HandoverItem,
                        log_id=log_id,
                        kind="open_problem",
                        text="follow up with the customer",
                        ticket_id=self.rng.choice(open_tickets),
                    )
                if kind is ShiftKind.DAY and open_tickets:
                    self.rows.add(
                        HandoverItem,
                        log_id=log_id,
                        kind="open_email",
                        text="answer pending email",
                        ticket_id=self.rng.choice(open_tickets),
                    )

    def notices(self) -> None:
        authors = [p for p in self.people if p.role in (Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR)]
        everyone = [p for p in self.people if p.squad_index is not None]
        for k, (title, body) in enumerate(NOTICES):
            published = self.now - timedelta(days=len(NOTICES) - k, hours=2)
            notice_id = self.rows.add(
                Notice,
                title=title,
                body=body,
                author_id=authors[k % len(authors)].id,
                published_at=published,
                expires_at=None,
            )
            readers = everyone if k < len(NOTICES) - 1 else everyone[::3]
            for reader in readers:
                self.rows.add(
                    NoticeAck,
                    notice_id=notice_id,
                    staff_id=reader.id,
                    acknowledged_at=published + timedelta(hours=self.rng.randint(1, 20)),
                )

    def training(self) -> None:
        for intern in (p for p in self.people if p.status is StaffStatus.INTERN):
            for k in range(6):
                self.rows.add(
                    TrainingLog,
                    intern_id=intern.id,
                    work_date=self.today - timedelta(days=2 * k + 1),
                    minutes=240,
                    activity="shadowing calls with the mentor",
                    recorded_by_id=self.leader_of(intern).id,
                )
