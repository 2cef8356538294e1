"""Leave requests: who may file, how early, who approves in what order (LV-1..LV-9).

A request covers the rostered shifts the person will miss. Its length in days
is the number of distinct days those shifts belong to, so one night shift is
one day of leave even though it ends after midnight.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from csdesk.i18n import _, ngettext
from csdesk.policy import Policy
from csdesk.rules.decision import Decision, Outcome
from csdesk.rules.shifts import ShiftWindow, elapsed
from csdesk.rules.vocab import LeaveType, Role, ShiftKind
from csdesk.vocabulary import leave_label, role_label

# LV-3: the approval ladder, lowest first; nobody may be skipped.
APPROVAL_LADDER = (Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)


@dataclass(frozen=True)
class LeaveRequest:
    type: LeaveType
    person_id: int | str
    filed_by_id: int | str
    filed_at: datetime
    shifts: tuple[ShiftWindow, ...]
    # LV-9: rostered for duty on a public holiday in this period.
    holiday_duty: bool = False
    # LV-5: sick leave only.
    certificate_days: frozenset[date] | None = None
    phoned_leader_at: datetime | None = None

    @property
    def days(self) -> int:
        return len({s.day for s in self.shifts})

    @property
    def first_start(self) -> datetime:
        return min(s.start for s in self.shifts)


def approval_chain(leave_type: LeaveType, days: int, policy: Policy, exceptional: bool = False) -> tuple[Role, ...]:
    """LV-3, LV-8: the roles that approve, in order.

    The department director is final up to the policy's limit; longer leave,
    and every business trip, goes on to the centre director. Exceptional leave
    (late notice, night shift, public holiday) goes at least up to management.
    """
    final = Role.DEPARTMENT_DIRECTOR
    if leave_type is LeaveType.BUSINESS_TRIP or days > policy.leave.department_director_final_max_days:
        final = Role.CENTRE_DIRECTOR
    if exceptional and policy.leave.management_role in APPROVAL_LADDER:
        final = max(final, policy.leave.management_role, key=APPROVAL_LADDER.index)
    return APPROVAL_LADDER[: APPROVAL_LADDER.index(final) + 1]


def check_filer(request: LeaveRequest) -> Decision:
    """LV-4: only sick leave may be filed on someone else's behalf."""
    if request.filed_by_id == request.person_id:
        return Decision.allowed(_("filed by the person on leave"), "LV-4")
    if request.type is LeaveType.SICK:
        return Decision.allowed(_("sick leave filed on the person's behalf"), "LV-4")
    return Decision.refused(
        _("{leave} must be filed by the person themself").format(leave=leave_label(request.type)), "LV-4"
    )


def _notice(request: LeaveRequest, policy: Policy) -> timedelta:
    if request.type is LeaveType.SPECIAL:
        return timedelta(minutes=policy.leave.special_notice_minutes)
    return timedelta(hours=policy.leave.ordinary_notice_hours)


def check_notice(request: LeaveRequest, policy: Policy) -> Decision:
    """LV-2: enough notice, else management must approve or it is absenteeism."""
    notice = _notice(request, policy)
    given = elapsed(request.filed_at, request.first_start)
    label = _("special leave") if request.type is LeaveType.SPECIAL else _("ordinary leave")
    if given >= notice:
        return Decision.allowed(_("{leave} filed with enough notice").format(leave=label), "LV-2")
    if request.type is LeaveType.SICK and phoned_in_time(request):
        return Decision.allowed(_("short notice covered by a phone call to the shift leader"), "LV-2", "LV-5")
    needed = _describe(notice)
    return Decision.needs_approval(
        _(
            "{leave} needs {notice} notice; later than that it takes effect only with management "
            "approval, otherwise the absence is absenteeism"
        ).format(leave=label, notice=needed),
        approval_chain(request.type, request.days, policy, exceptional=True),
        "LV-2",
    )


def _describe(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("{n} day's", "{n} days'", days).format(n=days)
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("{n} hour's", "{n} hours'", hours).format(n=hours)
    return _("{n} minutes'").format(n=minutes)


def night_shift_deadline(window: ShiftWindow, policy: Policy) -> datetime:
    return datetime.combine(window.day, policy.leave.night_shift_deadline, tzinfo=window.start.tzinfo)


def check_night_shift(request: LeaveRequest, policy: Policy) -> Decision:
    """LV-6: night-shift leave only as a special case, filed before noon the same day."""
    nights = [s for s in request.shifts if s.kind is ShiftKind.NIGHT]
    if not nights:
        return Decision.allowed(_("no night shift involved"), "LV-6")
    first = min(nights, key=lambda s: s.start)
    deadline = night_shift_deadline(first, policy)
    if request.filed_at >= deadline:
        return Decision.refused(
            _("night-shift leave must be filed before {deadline:%H:%M} of the same day").format(deadline=deadline),
            "LV-6",
        )
    return Decision.needs_approval(
        _("night-shift leave is granted only as a special case, with management approval"),
        approval_chain(request.type, request.days, policy, exceptional=True),
        "LV-6",
    )


def check_public_holiday(request: LeaveRequest, policy: Policy) -> Decision:
    """LV-7: public-holiday leave only in special cases, filed days ahead, with management approval."""
    holidays = sorted({s.day for s in request.shifts if policy.holidays.is_holiday(s.day)})
    if not holidays:
        return Decision.allowed(_("no public holiday involved"), "LV-7")
    ahead = policy.leave.public_holiday_notice_days
    first = min(s.start for s in request.shifts if s.day == holidays[0])
    if elapsed(request.filed_at, first) < timedelta(days=ahead):
        return Decision.refused(
            _("leave on a public holiday ({day:%Y-%m-%d}) must be filed at least {ahead} days ahead").format(
                day=holidays[0], ahead=ahead
            ),
            "LV-7",
        )
    return Decision.needs_approval(
        _("leave on a public holiday is granted only in very special cases, with management approval"),
        approval_chain(request.type, request.days, policy, exceptional=True),
        "LV-7",
    )


def check_holiday_duty(request: LeaveRequest) -> Decision:
    """LV-9: staff rostered for holiday duty neither swap nor take leave."""
    if request.holiday_duty:
        return Decision.refused(_("staff rostered for holiday duty may not take leave"), "LV-9")
    return Decision.allowed(_("not on holiday duty"), "LV-9")


def phoned_in_time(request: LeaveRequest) -> bool:
    """LV-5: an emergency phone call counts only if made before the (first) shift ends."""
    if request.phoned_leader_at is None or not request.shifts:
        return False
    first = min(request.shifts, key=lambda s: s.start)
    return request.phoned_leader_at < first.end


def _consecutive(days: Iterable[date]) -> bool:
    ordered = sorted(days)
    return all(b - a == timedelta(days=1) for a, b in zip(ordered, ordered[1:]))


def _certificate_gap(needed: Iterable[date], certified: Iterable[date]) -> Decision | None:
    """LV-5: why a certificate falls short of the days it must cover, if it does."""
    certified = frozenset(certified)
    if not _consecutive(certified):
        return Decision.refused(_("the medical certificate must cover consecutive days"), "LV-5")
    missing = sorted(set(needed) - certified)
    if not missing:
        return None
    if len(missing) > 1:
        text = _("the medical certificate does not cover {day:%Y-%m-%d} and {more} more day(s)")
    else:
        text = _("the medical certificate does not cover {day:%Y-%m-%d}")
    return Decision.refused(text.format(day=missing[0], more=len(missing) - 1), "LV-5")


def check_certificate(request: LeaveRequest) -> Decision:
    """LV-5: sick leave takes effect with a certificate covering consecutive days.

    The certificate is needed for the leave to take effect, not to file it: a
    sick person cannot fetch one before being ill. Until it arrives, a phone
    call to the shift leader before the shift ends stands in; the form is
    handed to the leader on the first day back.
    """
    if request.type is not LeaveType.SICK:
        return Decision.allowed(_("no certificate needed"), "LV-5")
    certified = request.certificate_days or frozenset()
    if certified:
        gap = _certificate_gap((s.day for s in request.shifts), certified)
        return gap or Decision.allowed(_("medical certificate covers the leave"), "LV-5")
    if phoned_in_time(request):
        return Decision.warning(
            _(
                "phone call to the shift leader stands in until the certificate arrives; "
                "hand the form to the leader on the first day back"
            ),
            "LV-5",
        )
    return Decision.warning(
        _(
            "sick leave takes effect once the medical certificate is handed in, "
            "by the end of the first shift back; without it the absence is absenteeism"
        ),
        "LV-5",
    )


def takes_effect(leave_type: LeaveType, has_certificate: bool, phoned_leader: bool) -> bool:
    """LV-5: approved sick leave counts as leave only with its certificate, or a phone call standing in."""
    return leave_type is not LeaveType.SICK or has_certificate or phoned_leader


def certificate_deadline(leave_ends_at: datetime, shifts: Iterable[ShiftWindow], zone: tzinfo) -> datetime:
    """LV-5: the certificate comes with the leave form on the first day back.

    That is by the end of the first rostered shift starting once the leave is
    over; with none rostered, by the end of the day the person is back.
    """
    later = [s for s in shifts if s.start >= leave_ends_at]
    if later:
        return min(later, key=lambda s: s.start).end
    back = leave_ends_at.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(back, time(0), tzinfo=zone)


def check_certificate_handed(
    needed: Iterable[date], certified: Iterable[date], handed_at: datetime, due: datetime | None
) -> Decision:
    """LV-5: a certificate handed in after filing must cover the leave's days, and come in time."""
    certified = frozenset(certified)
    if not certified:
        return Decision.refused(_("a medical certificate covers at least one day"), "LV-5")
    gap = _certificate_gap(needed, certified)
    if gap is not None:
        return gap
    if due is not None and handed_at >= due:
        return Decision.refused(
            _("the medical certificate was due by {due:%Y-%m-%d %H:%M}; the leave has lapsed").format(due=due),
            "LV-5",
        )
    return Decision.allowed(_("medical certificate covers the leave"), "LV-5")


def check_certificate_overdue(due: datetime, now: datetime) -> Decision:
    """LV-5, AT-7: once the first shift back is over without a certificate, the leave lapses.

    Without its certificate the sick leave never took effect, so each shift it
    covered is an absence without approved leave: absenteeism.
    """
    if now < due:
        return Decision.refused(
            _("the medical certificate can still be handed in until {due:%Y-%m-%d %H:%M}").format(due=due), "LV-5"
        )
    return Decision.violation(
        _(
            "no medical certificate by {due:%Y-%m-%d %H:%M}: the sick leave lapses and its absence is absenteeism"
        ).format(due=due),
        "LV-5",
        "AT-7",
    )


def check_business_trip(request: LeaveRequest, policy: Policy) -> Decision:
    """LV-8: business trips and study abroad go up to the centre director."""
    if request.type is not LeaveType.BUSINESS_TRIP:
        return Decision.allowed(_("not a business trip"), "LV-8")
    return Decision.needs_approval(
        _("business trips and study abroad need the centre director's approval"),
        approval_chain(request.type, request.days, policy),
        "LV-8",
    )


def leave_checks(request: LeaveRequest, policy: Policy) -> list[Decision]:
    """LV-2, LV-4..LV-9: each rule's own answer, in the order `evaluate_leave` weighs them.

    A leave form shows these one by one, so a person sees every notice problem
    at once rather than only the one that decided the outcome.
    """
    return [
        check_filer(request),
        check_holiday_duty(request),
        check_certificate(request),
        check_night_shift(request, policy),
        check_public_holiday(request, policy),
        check_notice(request, policy),
        check_business_trip(request, policy),
    ]


def evaluate_leave(request: LeaveRequest, policy: Policy) -> Decision:
    """LV-1..LV-9 together: the first refusal, else who must approve, in order.

    A refusal names only the rule that refused; an approval names every rule
    that shaped the chain, and the chain is the longest any of them asks for.
    """
    if not request.shifts:
        return Decision.refused(_("a leave request must cover at least one rostered shift"), "LV-1")
    checks = leave_checks(request, policy)
    for decision in checks:
        if decision.outcome in (Outcome.REFUSED, Outcome.VIOLATION):
            return decision
    chain = approval_chain(request.type, request.days, policy)
    rule_ids = ["LV-3"]
    reasons = []
    for decision in checks:
        if decision.outcome is Outcome.NEEDS_APPROVAL:
            if len(decision.approvers) > len(chain):
                chain = decision.approvers
            rule_ids += [r for r in decision.rule_ids if r not in rule_ids]
            reasons.append(decision.reason)
        elif decision.outcome is Outcome.WARNING:
            rule_ids += [r for r in decision.rule_ids if r not in rule_ids]
            reasons.append(decision.reason)
    # Translators: between approvers in the order they approve ("squad leader then department director").
    approvers = _(" then ").join(role_label(r) for r in chain)
    days = ngettext("{n} day", "{n} days", request.days).format(n=request.days)
    reason = _("{days} of {leave}: approval by {approvers}").format(
        days=days, leave=leave_label(request.type), approvers=approvers
    )
    if reasons:
        # Translators: between the separate findings that make up one reason.
        reason += _("; ") + _("; ").join(reasons)
    return Decision.needs_approval(reason, chain, *rule_ids)


def check_approval_step(chain: Sequence[Role], approved_so_far: Sequence[Role], approver: Role) -> Decision:
    """LV-3: approvals go step by step; the next approver must be the next role in the chain."""
    done = len(approved_so_far)
    if list(approved_so_far) != list(chain[:done]):
        return Decision.refused(_("earlier approvals are out of order"), "LV-3")
    if done >= len(chain):
        return Decision.refused(_("the request is already fully approved"), "LV-3")
    expected = chain[done]
    if approver is not expected:
        return Decision.refused(
            _("the next approval is by the {role}; no level may be skipped").format(role=role_label(expected)),
            "LV-3",
        )
    if done + 1 == len(chain):
        return Decision.allowed(_("final approval by the {role}").format(role=role_label(approver)), "LV-3")
    following = chain[done + 1]
    return Decision.needs_approval(
        _("approved by the {role}; next the {next_role}").format(
            role=role_label(approver), next_role=role_label(following)
        ),
        tuple(chain[done + 1 :]),
        "LV-3",
    )
