"""Ticket timers and handling rules (TK-3..TK-13).

Every service-level promise is a `SlaTimer` with a due time; `timer_state`
tells, for a given "now", whether it is fine, due soon or breached. Intake
starts the timers from `sla_timers`; dispatch to the back office and resolution
start theirs from the functions named after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from csdesk.i18n import N_, _
from csdesk.policy import Policy
from csdesk.rules.contact import check_contact
from csdesk.rules.decision import Decision
from csdesk.rules.shifts import elapsed, next_shift
from csdesk.rules.vocab import Category, Channel, Role
from csdesk.rules.wording import both
from csdesk.rules.worktime import add_working_time, working_calendar, working_time_between


class TimerKind(StrEnum):
    CHAT_GREETING = "chat greeting"
    FORUM_ANSWER = "forum answer"
    EMAIL_ANSWER = "email answer"
    COMPLAINT_DISPATCH = "complaint dispatch"
    BACK_OFFICE = "back-office answer"
    RETURN_VISIT = "return visit"


_TIMER_LABELS = {
    TimerKind.CHAT_GREETING: N_("chat greeting"),
    TimerKind.FORUM_ANSWER: N_("forum answer"),
    TimerKind.EMAIL_ANSWER: N_("email answer"),
    TimerKind.COMPLAINT_DISPATCH: N_("complaint dispatch"),
    TimerKind.BACK_OFFICE: N_("back-office answer"),
    TimerKind.RETURN_VISIT: N_("return visit"),
}


def timer_label(kind: TimerKind) -> str:
    """The promise a timer keeps, as people read it ("forum answer")."""
    return _(_TIMER_LABELS[TimerKind(kind)])


# The case's resolution clock (TK-5: processed and answered within the policy's hours).
# It is the one that stops while the case waits for the customer or another department.
RESOLUTION_CLOCK = TimerKind.BACK_OFFICE


@dataclass(frozen=True)
class SlaTimer:
    kind: TimerKind
    rule_id: str
    started_at: datetime
    due_at: datetime
    # The resolution clock only: stopped since this moment (None while it runs), and
    # how far the pauses already over have moved its due time.
    paused_since: datetime | None = None
    paused: timedelta = timedelta(0)

    @property
    def allowed(self) -> timedelta:
        return elapsed(self.started_at, self.due_at)


class TimerStatus(StrEnum):
    OK = "ok"
    DUE_SOON = "due soon"
    BREACHED = "breached"
    MET = "met"
    MISSED = "missed"  # done, but after the due time
    PAUSED = "paused"  # the case waits for the customer or another department


@dataclass(frozen=True)
class TimerState:
    status: TimerStatus
    # Positive: time left; negative: how long overdue. For a stopped timer, the
    # margin it was met or missed by.
    remaining: timedelta
    decision: Decision


def chat_greeting_timer(waiting_since: datetime, policy: Policy) -> SlaTimer:
    """TK-13: greet a waiting chat customer within the policy's seconds."""
    due = waiting_since + timedelta(seconds=policy.tickets.chat_greeting_seconds)
    return SlaTimer(TimerKind.CHAT_GREETING, "TK-13", waiting_since, due)


def forum_timer(received_at: datetime, policy: Policy, promised_at: datetime | None = None) -> SlaTimer:
    """TK-6: answer within the policy's minutes, or by the time promised in a posted reply."""
    due = promised_at or received_at + timedelta(minutes=policy.tickets.forum_answer_minutes)
    return SlaTimer(TimerKind.FORUM_ANSWER, "TK-6", received_at, due)


def email_timer(received_at: datetime, policy: Policy) -> SlaTimer:
    """TK-7: answered before the end of the shift it arrived in.

    Mail that arrives between shifts is due by the end of the next shift.
    """
    return SlaTimer(TimerKind.EMAIL_ANSWER, "TK-7", received_at, next_shift(received_at, policy).end)


def complaint_dispatch_timer(received_at: datetime, policy: Policy) -> SlaTimer:
    """TK-4: a complaint reaches the responsible party within the policy's minutes."""
    due = received_at + timedelta(minutes=policy.tickets.complaint_dispatch_minutes)
    return SlaTimer(TimerKind.COMPLAINT_DISPATCH, "TK-4", received_at, due)


def span_end(start: datetime, span: timedelta, policy: Policy, rule_id: str) -> datetime:
    """When ``span`` of the timer's time runs out: working time for the rules the
    policy's ``[working_hours]`` names (TK-5, TK-8), round the clock otherwise."""
    if policy.working_hours.counts(rule_id):
        return add_working_time(start, span, working_calendar(policy))
    return start + span


def counted_time(start: datetime, end: datetime, policy: Policy, rule_id: str) -> timedelta:
    """The timer's time between two moments: working time where the policy says so."""
    if end <= start:
        return timedelta(0)
    if policy.working_hours.counts(rule_id):
        return working_time_between(start, end, working_calendar(policy))
    return elapsed(start, end)


def back_office_timer(
    handed_over_at: datetime, policy: Policy, paused: timedelta = timedelta(0), paused_since: datetime | None = None
) -> SlaTimer:
    """TK-5: a back-office problem is processed and answered within the policy's hours.

    This is the case's resolution clock: ``paused`` is how much the pauses over
    moved it (``pause_credit``), ``paused_since`` the start of a pause still on.
    """
    due = span_end(handed_over_at, timedelta(hours=policy.tickets.back_office_hours) + paused, policy, "TK-5")
    return SlaTimer(TimerKind.BACK_OFFICE, "TK-5", handed_over_at, due, paused_since, paused)


def return_visit_timer(resolved_at: datetime, policy: Policy) -> SlaTimer:
    """TK-8: the result goes back to the customer within the policy's hours."""
    due = span_end(resolved_at, timedelta(hours=policy.tickets.return_visit_hours), policy, "TK-8")
    return SlaTimer(TimerKind.RETURN_VISIT, "TK-8", resolved_at, due)


def pause_credit(clock: SlaTimer | None, paused_at: datetime, resumed_at: datetime, policy: Policy) -> timedelta:
    """How far a pause that just ended moves the resolution clock's due time (TK-5).

    Only the clock's own time counts (working time where the policy says so),
    from when the clock started. A pause that began once the clock was already
    overdue moves nothing: the promise was broken before the case waited.
    """
    if clock is None or paused_at >= clock.due_at:
        return timedelta(0)
    return counted_time(max(paused_at, clock.started_at), resumed_at, policy, clock.rule_id)


def sla_timers(
    channel: Channel,
    category: Category,
    received_at: datetime,
    policy: Policy,
    promised_at: datetime | None = None,
) -> tuple[SlaTimer, ...]:
    """The timers a new ticket starts with, by channel and category."""
    timers: list[SlaTimer] = []
    if channel is Channel.CHAT:
        timers.append(chat_greeting_timer(received_at, policy))
    elif channel is Channel.FORUM:
        timers.append(forum_timer(received_at, policy, promised_at))
    elif channel is Channel.EMAIL:
        timers.append(email_timer(received_at, policy))
    if category is Category.COMPLAINT:
        timers.append(complaint_dispatch_timer(received_at, policy))
    return tuple(timers)


def _span(delta: timedelta) -> str:
    seconds = int(abs(delta).total_seconds())
    if seconds < 120:
        return _("{seconds} s").format(seconds=seconds)
    minutes = seconds // 60
    if minutes < 120:
        return _("{minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    return _("{hours} h {minutes:02d} min").format(hours=hours, minutes=minutes)


def duration_words(delta: timedelta) -> str:
    """A duration as the rules' reasons write it ("45 s", "12 min", "3 h 05 min")."""
    return _span(delta)


def timer_state(timer: SlaTimer, now: datetime, policy: Policy, stopped_at: datetime | None = None) -> TimerState:
    """Where a timer stands at `now`; `stopped_at` is when the promise was kept, if it was."""
    # Times a person reads are in the centre's zone, whatever zone the caller used.
    what = _("{timer} due {due:%Y-%m-%d %H:%M}").format(
        timer=timer_label(timer.kind), due=timer.due_at.astimezone(policy.zone)
    )
    if stopped_at is None and timer.paused_since is not None:
        return _paused_state(timer, policy)
    if stopped_at is not None:
        margin = elapsed(stopped_at, timer.due_at)
        if margin >= timedelta(0):
            return TimerState(
                TimerStatus.MET, margin, Decision.allowed(_("{what}: done in time").format(what=what), timer.rule_id)
            )
        return TimerState(
            TimerStatus.MISSED,
            margin,
            Decision.violation(_("{what}: done {span} late").format(what=what, span=_span(margin)), timer.rule_id),
        )
    left = elapsed(now, timer.due_at)
    if left < timedelta(0):
        return TimerState(
            TimerStatus.BREACHED,
            left,
            Decision.violation(_("{what}: overdue by {span}").format(what=what, span=_span(left)), timer.rule_id),
        )
    if left <= timer.allowed * policy.tickets.due_soon_fraction:
        return TimerState(
            TimerStatus.DUE_SOON,
            left,
            Decision.warning(_("{what}: {span} left").format(what=what, span=_span(left)), timer.rule_id),
        )
    return TimerState(
        TimerStatus.OK,
        left,
        Decision.allowed(_("{what}: {span} left").format(what=what, span=_span(left)), timer.rule_id),
    )


def _paused_state(timer: SlaTimer, policy: Policy) -> TimerState:
    """A stopped resolution clock keeps the time it had left when it stopped."""
    assert timer.paused_since is not None
    left = elapsed(timer.paused_since, timer.due_at)
    what = _("{timer} paused since {since:%Y-%m-%d %H:%M}").format(
        timer=timer_label(timer.kind), since=timer.paused_since.astimezone(policy.zone)
    )
    if left < timedelta(0):
        reason = _("{what}, already overdue by {span}").format(what=what, span=_span(left))
        return TimerState(TimerStatus.PAUSED, left, Decision.violation(reason, timer.rule_id))
    reason = _("{what}; {span} left when it runs again").format(what=what, span=_span(left))
    return TimerState(TimerStatus.PAUSED, left, Decision.allowed(reason, timer.rule_id))


def return_visit_may_close(failed_attempts: int, contact_details_wrong: bool, policy: Policy) -> Decision:
    """TK-8: every case gets a return visit; it may close unanswered only after enough tries."""
    limit = policy.tickets.return_visit_max_attempts
    if contact_details_wrong:
        return Decision.allowed(_("contact details are wrong; the case may close"), "TK-8")
    if failed_attempts >= limit:
        return Decision.allowed(
            _("{failed} failed contact attempts; the case may close").format(failed=failed_attempts), "TK-8"
        )
    return Decision.refused(
        _("{failed} of {limit} contact attempts made; keep trying before closing").format(
            failed=failed_attempts, limit=limit
        ),
        "TK-8",
    )


def greeting_script(agent_number: int | str) -> str:
    """TK-3: the phone greeting an agent reads on pick-up."""
    return _("Hello, agent No. {number} speaking, how can I help?").format(number=agent_number)


def check_ownership(owner_id: int | str | None, actor_id: int | str) -> Decision:
    """TK-9: the agent who first takes a case owns it until it closes or is transferred."""
    if owner_id is None:
        return Decision.allowed(_("unclaimed; whoever takes it first owns it"), "TK-9")
    if owner_id == actor_id:
        return Decision.allowed(_("you own this case"), "TK-9")
    return Decision.refused(_("this case belongs to the agent who took it first; ask for a formal transfer"), "TK-9")


def check_transfer(owner_id: int | str, actor_id: int | str, actor_role: Role, reason: str) -> Decision:
    """TK-9: a formal transfer is made by the owner or a leader, with a reason."""
    if owner_id != actor_id and not actor_role.is_leader:
        return Decision.refused(_("only the owner or a leader may transfer a case"), "TK-9")
    if not reason.strip():
        return Decision.refused(_("a transfer must say why"), "TK-9")
    return Decision.allowed(_("case transferred; the new agent owns it"), "TK-9")


def check_unsolved_reply(reason_given: str) -> Decision:
    """TK-10: when a problem can't be solved now, the customer is first told why."""
    if not reason_given.strip():
        return Decision.refused(_("tell the customer why it can't be solved yet before putting it on hold"), "TK-10")
    return Decision.allowed(_("customer told why; answer as soon as there is an answer"), "TK-10")


def check_escalation_fields(description: str, customer_contact: str, phone_region: str = "CN") -> Decision:
    """TK-12: an escalation carries a description of the problem and the customer's contact,
    one the centre can reach them on (a valid phone number or email address)."""
    missing = [
        label
        for label, value in (
            (_("a problem description"), description),
            (_("the customer's contact details"), customer_contact),
        )
        if not value.strip()
    ]
    if missing:
        return Decision.refused(_("an escalation must carry {missing}").format(missing=both(missing)), "TK-12")
    contact = check_contact(customer_contact, phone_region)
    if not contact.ok:
        return Decision.refused(
            _("an escalation must carry a contact the customer can be reached on: {reason}").format(
                reason=contact.decision.reason
            ),
            "TK-12",
        )
    return Decision.allowed(_("escalation has description and contact"), "TK-12")


def check_agent_number_marked(agent_number: str | int | None) -> Decision:
    """TK-16: each handled case carries the agent's number (it is what commission is counted on)."""
    if agent_number is None or not str(agent_number).strip():
        return Decision.refused(_("mark the case with your agent number"), "TK-16")
    return Decision.allowed(_("case marked with the agent number"), "TK-16")
