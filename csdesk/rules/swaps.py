"""Shift swaps between two people (SW-1..SW-7, LV-9).

`give` is the shift the requester hands over; `take` is the shift they work in
return (None for a one-way cover). Each party's roster is checked as it would
be after the swap, so a swap that creates back-to-back shifts is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from csdesk.formats import month_year
from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision
from csdesk.rules.shifts import ShiftWindow, rest_between
from csdesk.rules.vocab import Grade, Role
from csdesk.rules.wording import both
from csdesk.vocabulary import grade_label, shift_label


@dataclass(frozen=True)
class SwapParty:
    person_id: int | str
    grade: Grade
    work_kind: str  # what they do on shift, e.g. "phone" or "back office"
    # Days of this person's swaps already recorded (any month; counted per month).
    earlier_swap_days: tuple[date, ...] = ()
    on_leave: bool = False
    holiday_duty: bool = False
    # The shifts this person is rostered for around the swap, before it.
    roster: tuple[ShiftWindow, ...] = ()


@dataclass(frozen=True)
class SwapRequest:
    requester: SwapParty
    partner: SwapParty
    give: ShiftWindow
    take: ShiftWindow | None = None


def swaps_in_month(swap_days: Iterable[date], month_of: date) -> int:
    """SW-2: swaps in the calendar month that `month_of` falls in."""
    return sum(1 for d in swap_days if (d.year, d.month) == (month_of.year, month_of.month))


def back_to_back(shifts: Sequence[ShiftWindow], policy: Policy) -> tuple[ShiftWindow, ShiftWindow] | None:
    """SW-3: the first pair of shifts with less rest between them than the policy's minimum."""
    ordered = sorted(shifts, key=lambda s: s.start)
    minimum = timedelta(minutes=policy.swaps.min_rest_minutes)
    for earlier, later in zip(ordered, ordered[1:]):
        if rest_between(earlier, later) < minimum:
            return earlier, later
    return None


def _after_swap(party: SwapParty, gives: ShiftWindow | None, takes: ShiftWindow | None) -> list[ShiftWindow]:
    shifts = [s for s in party.roster if s != gives]
    if takes is not None:
        shifts.append(takes)
    return shifts


def _label(window: ShiftWindow) -> str:
    return _("{shift} of {day:%Y-%m-%d}").format(shift=shift_label(window.kind), day=window.day)


def check_swap(request: SwapRequest, policy: Policy) -> Decision:
    """SW-2..SW-4, SW-6, LV-9, then SW-1: the approvals a valid swap still needs."""
    parties = (request.requester, request.partner)
    for party in parties:
        if party.holiday_duty:
            return Decision.refused(
                _("{person} is rostered for holiday duty and may not swap").format(person=party.person_id),
                "SW-6",
                "LV-9",
            )
        if party.on_leave:
            return Decision.refused(
                _("{person} is on leave; no swap while on leave").format(person=party.person_id), "SW-6"
            )

    a, b = parties
    if a.grade is not b.grade:
        return Decision.refused(
            _("both sides must have the same grade ({a} vs {b})").format(
                a=grade_label(a.grade), b=grade_label(b.grade)
            ),
            "SW-4",
        )
    if a.work_kind != b.work_kind:
        return Decision.refused(
            _("both sides must do the same kind of work ({a} vs {b})").format(a=a.work_kind, b=b.work_kind), "SW-4"
        )

    limit = policy.swaps.max_per_month
    months = {request.give.day} | ({request.take.day} if request.take else set())
    for party in parties:
        for month_of in months:
            done = swaps_in_month(party.earlier_swap_days, month_of)
            if done >= limit:
                return Decision.refused(
                    _("{person} already has {done} swap(s) in {month}; at most {limit} a month").format(
                        person=party.person_id, done=done, month=month_year(month_of), limit=limit
                    ),
                    "SW-2",
                )

    rosters = (_after_swap(a, request.give, request.take), _after_swap(b, request.take, request.give))
    for party, roster in zip(parties, rosters):
        pair = back_to_back(roster, policy)
        if pair is not None:
            return Decision.refused(
                _("after the swap {person} would work the {first} and the {second} back to back").format(
                    person=party.person_id, first=_label(pair[0]), second=_label(pair[1])
                ),
                "SW-3",
            )

    return Decision.needs_approval(
        _("a swap needs the approval of both parties' squad leaders and is registered"),
        (Role.SQUAD_LEADER, Role.SQUAD_LEADER),
        "SW-1",
    )


def check_swap_approvals(requester_leader_approved: bool, partner_leader_approved: bool) -> Decision:
    """SW-1: the swap stands only once both squad leaders have approved it."""
    if requester_leader_approved and partner_leader_approved:
        return Decision.allowed(_("approved by both squad leaders; register the swap"), "SW-1")
    waiting = []
    if not requester_leader_approved:
        waiting.append(_("the requester's squad leader"))
    if not partner_leader_approved:
        waiting.append(_("the partner's squad leader"))
    return Decision.needs_approval(
        _("waiting for {whom}").format(whom=both(waiting)), (Role.SQUAD_LEADER,) * len(waiting), "SW-1"
    )


def refuse_swap(reason: str) -> Decision:
    """SW-7: a leader may refuse a swap, but only with a recorded reason."""
    if not reason.strip():
        return Decision.refused(_("a refusal must give a reason"), "SW-7")
    return Decision.refused(_("swap refused: {reason}").format(reason=reason.strip()), "SW-7")


@dataclass(frozen=True)
class Charge:
    person_id: int | str
    share: Fraction


def empty_shift_charges(
    requester_id: int | str, partner_id: int | str, requester_share: Fraction = Fraction(1, 2)
) -> tuple[Decision, tuple[Charge, ...]]:
    """SW-5: a shift left empty by an unclear swap is absenteeism for both, by share of blame."""
    share = Fraction(requester_share)
    if not 0 <= share <= 1:
        raise ValueError("the requester's share of responsibility must be between 0 and 1")
    charges = tuple(c for c in (Charge(requester_id, share), Charge(partner_id, 1 - share)) if c.share)
    decision = Decision.violation(
        _("shift left empty after an unclear swap: absenteeism charged to both by their share of responsibility"),
        "SW-5",
        "AT-7",
    )
    return decision, charges
