"""Read-only look-ups the fund, leave and swap forms need before anything is saved.

Choosing a person or a shift, and the previews a form shows while it is being
filled in: the fine the rules would set (FN-1..FN-6, FN-10, DS-2) and the swap
checks (SW-2..SW-6, LV-9). Nothing here writes; filing goes through
``ledger``, ``leave`` and ``swaps``, which decide again inside their own
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import col, select

from csdesk.i18n import _
from csdesk.models import RosterEntry, ShiftDefinition, Squad, Staff
from csdesk.models.money import to_cents
from csdesk.rules import fines
from csdesk.rules import swaps as swap_rules
from csdesk.rules.decision import Outcome
from csdesk.rules.staff import Action
from csdesk.rules.vocab import Role, ShiftKind, StaffStatus
from csdesk.services import ledger
from csdesk.services import swaps as swap_service
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, PermissionDenied, require
from csdesk.services.leave import roster_window

MAX_CHOICES = 200
_DIRECTORS = (Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)


@dataclass(frozen=True)
class PersonChoice:
    staff_id: int
    label: str  # "No. 1024 李娜"
    squad: str


@dataclass(frozen=True)
class ShiftChoice:
    roster_id: int
    staff_id: int
    day: date
    kind: ShiftKind
    start: datetime
    end: datetime


@dataclass(frozen=True)
class FinePreview:
    """What recording this offence now would book, before anything is saved."""

    offence: str
    amount_cents: int
    base_cents: int  # the first offence's amount, to say how far it has grown
    nth_this_month: int
    escalating: bool
    dismissal_review: bool
    reason: str
    rule_ids: tuple[str, ...]
    currency: str


@dataclass(frozen=True)
class SwapPreview:
    can_file: bool
    reason: str
    rule_ids: tuple[str, ...]


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_CHOICES:
        raise InvalidInput(_("a list holds 1 to {MAX_CHOICES} choices").format(MAX_CHOICES=MAX_CHOICES), field="limit")
    return limit


def people(
    desk: Desk,
    actor: Actor,
    *,
    own_squad: bool = False,
    same_role: bool = False,
    include_me: bool = True,
    limit: int = MAX_CHOICES,
) -> tuple[PersonChoice, ...]:
    """Staff still working here, by employee number.

    ``own_squad`` keeps a squad leader to their squad (directors see everyone,
    ST-2); ``same_role`` keeps people who do the actor's kind of work (SW-4).
    """
    statement = (
        select(Staff, Squad.name)
        .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
        .where(Staff.status != StaffStatus.LEFT)
        .order_by(col(Staff.employee_number))
        .limit(_limit(limit))
    )
    if own_squad and actor.role not in _DIRECTORS:
        statement = statement.where(Staff.squad_id == actor.squad_id)
    if same_role:
        statement = statement.where(Staff.role == actor.role)
    if not include_me:
        statement = statement.where(Staff.id != actor.staff_id)
    with desk.read() as session:
        return tuple(
            PersonChoice(staff.id, Actor.of(staff).label, squad or "") for staff, squad in session.exec(statement).all()
        )


def upcoming_shifts(
    desk: Desk, actor: Actor, staff_id: int | None = None, *, days: int = 31, limit: int = 100
) -> tuple[ShiftChoice, ...]:
    """A person's rostered shifts that have not started yet, soonest first (the actor's by default)."""
    who = actor.staff_id if staff_id is None else staff_id
    policy = desk.policy
    now = desk.now()
    today = now.astimezone(policy.zone).date()
    statement = (
        select(RosterEntry, ShiftDefinition)
        .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
        .where(
            RosterEntry.staff_id == who,
            RosterEntry.work_date >= today,
            RosterEntry.work_date <= today + timedelta(days=days),
        )
        .order_by(col(RosterEntry.work_date), col(ShiftDefinition.start_time))
        .limit(_limit(limit))
    )
    with desk.read() as session:
        found = []
        for entry, definition in session.exec(statement).all():
            window = roster_window(definition, entry.work_date, policy)
            if window.start > now:
                found.append(
                    ShiftChoice(
                        entry.id,
                        entry.staff_id,
                        window.day,
                        window.kind,
                        window.start,
                        window.end,
                    )
                )
        return tuple(found)


def preview_fine(
    desk: Desk,
    actor: Actor,
    staff_id: int,
    offence: str,
    waited_seconds: float | None = None,
) -> FinePreview:
    """FN-1..FN-6, FN-10, DS-2: the fine ``ledger.record_fine`` would book now, unsaved."""
    require(actor, Action.RECORD_FINE)
    policy = desk.policy
    currency = policy.centre.currency
    if offence == ledger.GREETING_DELAY:
        if waited_seconds is None:
            raise InvalidInput(_("enter how long the customer waited"), field="waited")
        if waited_seconds < 0:
            raise InvalidInput(_("a wait cannot be negative"), field="waited")
        wait = timedelta(seconds=waited_seconds)
        amount = fines.greeting_delay_fine(wait, policy)
        decision = fines.check_greeting_delay(wait, policy)
        return FinePreview(
            offence,
            to_cents(amount),
            to_cents(policy.fines.greeting_delay.amount),
            1,
            False,
            False,
            decision.reason,
            decision.rule_ids,
            currency,
        )
    try:
        kind = fines.Offence(offence)
    except ValueError:
        raise InvalidInput(_("unknown offence {offence!r}").format(offence=offence), field="offence") from None
    primary = fines.OFFENCE_RULES[kind][0]
    now = desk.now()
    with desk.read() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise NotFound(_("no staff member with id {staff_id}").format(staff_id=staff_id), field="staff_id")
        if actor.role not in _DIRECTORS and (actor.squad_id is None or staff.squad_id != actor.squad_id):
            raise PermissionDenied(
                _("a squad leader records fines only for their own squad"), field="staff_id", rule_ids=("ST-2",)
            )
        # The same count record_fine makes, so the preview and the booking agree.
        earlier = ledger._earlier_offences(session, staff_id, primary, now, policy.zone)
    assessment = fines.assess_fine(kind, earlier, policy)
    base = getattr(policy.fines, kind.value).amount
    return FinePreview(
        offence,
        to_cents(assessment.amount),
        to_cents(base),
        assessment.nth_this_month,
        kind in fines.ESCALATING,
        assessment.dismissal_review,
        assessment.decision.reason,
        assessment.decision.rule_ids,
        currency,
    )


def preview_swap(desk: Desk, actor: Actor, my_roster_id: int, partner_roster_id: int) -> SwapPreview:
    """SW-2..SW-6, LV-9: what the swap rules say about this pair of shifts, unsaved."""
    policy, now = desk.policy, desk.now()
    with desk.read() as session:
        # The swap service's own look-ups, so the preview judges exactly what filing will.
        mine = swap_service._shift(session, my_roster_id, "my_roster_id", policy)
        theirs = swap_service._shift(session, partner_roster_id, "partner_roster_id", policy)
        if mine[0].staff_id != actor.staff_id:
            return SwapPreview(False, "you can only offer a shift you are rostered for", ("SW-1",))
        if theirs[0].staff_id == actor.staff_id:
            return SwapPreview(False, "a swap is with someone else, not with yourself", ("SW-1",))
        for _, window in (mine, theirs):
            if window.start <= now:
                return SwapPreview(
                    False, f"the {window.kind.value} shift of {window.day:%Y-%m-%d} has already started", ()
                )
        if (mine[0].work_date, mine[0].shift_id) == (theirs[0].work_date, theirs[0].shift_id):
            return SwapPreview(False, "you both already work that shift", ())
        requester = session.get(Staff, mine[0].staff_id)
        partner = session.get(Staff, theirs[0].staff_id)
        assert requester is not None and partner is not None
        windows = (mine[1], theirs[1])
        request = swap_rules.SwapRequest(
            requester=swap_service._party(session, desk, requester, mine, windows, None),
            partner=swap_service._party(session, desk, partner, theirs, windows, None),
            give=mine[1],
            take=theirs[1],
        )
    decision = swap_rules.check_swap(request, policy)
    return SwapPreview(decision.outcome is Outcome.NEEDS_APPROVAL, decision.reason, decision.rule_ids)
