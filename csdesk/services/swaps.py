"""Shift swaps between two people, approved by both squad leaders (SW-1..SW-7, LV-9).

The requester offers one of their rostered shifts for one of the partner's.
``csdesk.rules.swaps`` judges the pair (grade and kind of work, swaps this
month, back-to-back shifts after the swap, leave and holiday duty); each
side's squad leader then decides. The last approval re-checks the swap and
hands the two roster rows to their new owners in the same transaction, which
with the approved request is the swap's registration record.

When an approved swap was unclear and one of its shifts stayed empty, a
leader of either side charges the absenteeism to both parties by their share
of responsibility (SW-5); the shares are kept with the swap and show in the
attendance export.

"Kind of work" (SW-4) is the person's role: an agent swaps with an agent, a
deputy leader with a deputy leader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import or_
from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.models import (
    Attendance,
    Notification,
    NotificationKind,
    RequestStatus,
    RosterEntry,
    ShiftDefinition,
    Staff,
    StepDecision,
    SwapApproval,
    SwapCharge,
    SwapRequest,
    SwapSide,
)
from csdesk.policy import Policy
from csdesk.rules import swaps as rules
from csdesk.rules.decision import Outcome
from csdesk.rules.shifts import ShiftWindow
from csdesk.rules.staff import Action
from csdesk.rules.vocab import AttendanceStatus, Grade, Role, ShiftKind
from csdesk.services.base import (
    Actor,
    Desk,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    audit,
    require,
)
from csdesk.services.leave import leave_covering, roster_window, roster_windows
from csdesk.vocabulary import role_label

MAX_PAGE = 200
_LIVE = (RequestStatus.PENDING, RequestStatus.APPROVED)
_DIRECTORS = (Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)
# SW-5: a shift whose person was marked absent, or failed to come without leave (AT-7), stayed empty.
_EMPTY = (AttendanceStatus.ABSENT, AttendanceStatus.ABSENTEEISM)


# -- views ---------------------------------------------------------------------


@dataclass(frozen=True)
class SwapShift:
    roster_id: int
    day: date
    kind: ShiftKind
    start: datetime
    end: datetime


@dataclass(frozen=True)
class SwapSideView:
    side: SwapSide
    squad_id: int | None
    decision: StepDecision
    approver_label: str
    reason: str
    decided_at: datetime | None


@dataclass(frozen=True)
class SwapChargeView:
    """SW-5: one party's share of the absenteeism for a shift the swap left empty."""

    roster_id: int
    day: date
    kind: ShiftKind
    staff_id: int
    label: str
    share_percent: int
    reason: str


@dataclass(frozen=True)
class SwapView:
    id: int
    requester_id: int
    requester_label: str
    partner_id: int
    partner_label: str
    give: SwapShift  # the requester's shift, worked by the partner after the swap
    take: SwapShift  # the partner's shift, worked by the requester after the swap
    reason: str
    status: RequestStatus
    filed_at: datetime
    sides: tuple[SwapSideView, ...]
    charges: tuple[SwapChargeView, ...] = ()


# -- helpers ---------------------------------------------------------------------


def _page_bounds(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidInput(_("offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {MAX_PAGE} rows").format(MAX_PAGE=MAX_PAGE), field="limit")


def _shift(session: Session, roster_id: int, field: str, policy: Policy) -> tuple[RosterEntry, ShiftWindow]:
    row = session.exec(
        select(RosterEntry, ShiftDefinition)
        .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
        .where(RosterEntry.id == roster_id)
    ).first()
    if row is None:
        raise NotFound(_("no rostered shift {roster_id}").format(roster_id=roster_id), field=field)
    entry, definition = row
    return entry, roster_window(definition, entry.work_date, policy)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _swap_days(session: Session, staff_id: int, days: Sequence[date], leave_out: int | None) -> tuple[date, ...]:
    """SW-2: one day per live swap of this person (the requester's shift day) in the months of ``days``."""
    first, after = _month_start(min(days)), _month_after(max(days))
    statement = (
        select(RosterEntry.work_date)
        .join(SwapRequest, col(SwapRequest.requester_roster_id) == RosterEntry.id)
        .where(
            or_(SwapRequest.requester_id == staff_id, SwapRequest.partner_id == staff_id),
            col(SwapRequest.status).in_(_LIVE),
            RosterEntry.work_date >= first,
            RosterEntry.work_date < after,
        )
    )
    if leave_out is not None:
        statement = statement.where(SwapRequest.id != leave_out)
    return tuple(session.exec(statement).all())


def _party(
    session: Session,
    desk: Desk,
    staff: Staff,
    own: tuple[RosterEntry, ShiftWindow],
    windows: Sequence[ShiftWindow],
    leave_out: int | None,
) -> rules.SwapParty:
    days = [w.day for w in windows]
    roster = roster_windows(
        session,
        staff.id,
        min(days) - timedelta(days=1),
        max(days) + timedelta(days=1),
        desk.policy,
    )
    on_leave = any(leave_covering(session, staff.id, w, desk.policy.zone) for w in windows)
    return rules.SwapParty(
        person_id=Actor.of(staff).label,
        grade=Grade(staff.grade),
        work_kind=role_label(staff.role),
        earlier_swap_days=_swap_days(session, staff.id, days, leave_out),
        on_leave=on_leave,
        holiday_duty=own[0].holiday_duty,
        roster=tuple(window for _, window in roster),
    )


def _check(
    session: Session,
    desk: Desk,
    requester: Staff,
    partner: Staff,
    mine: tuple[RosterEntry, ShiftWindow],
    theirs: tuple[RosterEntry, ShiftWindow],
    leave_out: int | None = None,
) -> None:
    windows = (mine[1], theirs[1])
    request = rules.SwapRequest(
        requester=_party(session, desk, requester, mine, windows, leave_out),
        partner=_party(session, desk, partner, theirs, windows, leave_out),
        give=mine[1],
        take=theirs[1],
    )
    decision = rules.check_swap(request, desk.policy)
    if decision.outcome is not Outcome.NEEDS_APPROVAL:
        raise ServiceError(decision.reason, rule_ids=decision.rule_ids)


# -- use cases -------------------------------------------------------------------


def file_swap(desk: Desk, actor: Actor, my_roster_id: int, partner_roster_id: int, reason: str = "") -> SwapView:
    """SW-1..SW-4, SW-6, LV-9: asks to trade one of the actor's shifts for the partner's."""
    if my_roster_id == partner_roster_id:
        raise InvalidInput(_("choose a shift of someone else to swap with"), field="partner_roster_id")
    policy, now = desk.policy, desk.now()
    with desk.write() as session:
        mine = _shift(session, my_roster_id, "my_roster_id", policy)
        theirs = _shift(session, partner_roster_id, "partner_roster_id", policy)
        if mine[0].staff_id != actor.staff_id:
            raise PermissionDenied(
                _("you can only offer a shift you are rostered for"), field="my_roster_id", rule_ids=("SW-1",)
            )
        if theirs[0].staff_id == actor.staff_id:
            raise InvalidInput(
                _("a swap is with someone else, not with yourself"), field="partner_roster_id", rule_ids=("SW-1",)
            )
        for (entry, window), field in ((mine, "my_roster_id"), (theirs, "partner_roster_id")):
            if window.start <= now:
                raise InvalidInput(
                    _("the {value} shift of {day:%Y-%m-%d} has already started").format(
                        value=window.kind.value, day=window.day
                    ),
                    field=field,
                )
            busy = session.exec(
                select(SwapRequest.id).where(
                    SwapRequest.status == RequestStatus.PENDING,
                    or_(
                        col(SwapRequest.requester_roster_id) == entry.id, col(SwapRequest.partner_roster_id) == entry.id
                    ),
                )
            ).first()
            if busy is not None:
                raise InvalidInput(_("this shift is already in swap request {busy}").format(busy=busy), field=field)
        if (mine[0].work_date, mine[0].shift_id) == (theirs[0].work_date, theirs[0].shift_id):
            raise InvalidInput(_("you both already work that shift"), field="partner_roster_id")
        requester = session.get(Staff, actor.staff_id)
        partner = session.get(Staff, theirs[0].staff_id)
        assert requester is not None and partner is not None
        _check(session, desk, requester, partner, mine, theirs)
        swap = SwapRequest(
            requester_id=requester.id,
            partner_id=partner.id,
            requester_roster_id=my_roster_id,
            partner_roster_id=partner_roster_id,
            reason=(reason or "").strip(),
            filed_at=now,
        )
        session.add(swap)
        session.flush()
        for side, staff in ((SwapSide.REQUESTER, requester), (SwapSide.PARTNER, partner)):
            session.add(SwapApproval(request_id=swap.id, side=side, squad_id=staff.squad_id))
        audit(session, actor, "swap.file", "swap_request", swap.id, after=swap)
        session.flush()
        return _views(session, [swap], policy)[0]


def decide_swap(desk: Desk, actor: Actor, swap_id: int, approve: bool, reason: str = "") -> SwapView:
    """SW-1, SW-7: a squad leader decides their own squad's side; a refusal keeps its reason.

    A leader of both parties decides both sides at once; a director may decide
    any side. When both sides have approved, the swap is checked again and the
    two roster rows change owners.
    """
    require(actor, Action.APPROVE_SWAP)
    text = (reason or "").strip()
    if not approve:
        refusal = rules.refuse_swap(text)
        if not text:
            raise InvalidInput(refusal.reason, field="reason", rule_ids=refusal.rule_ids)
    policy = desk.policy
    with desk.write() as session:
        swap = session.get(SwapRequest, swap_id)
        if swap is None:
            raise NotFound(_("no swap request {swap_id}").format(swap_id=swap_id))
        if swap.status is not RequestStatus.PENDING:
            raise ServiceError(_("this swap is already {value}").format(value=swap.status.value), rule_ids=("SW-1",))
        if actor.staff_id in (swap.requester_id, swap.partner_id):
            raise PermissionDenied(_("nobody decides a swap they are part of"), rule_ids=("SW-1",))
        sides = session.exec(select(SwapApproval).where(SwapApproval.request_id == swap_id)).all()
        mine = [
            s
            for s in sides
            if s.decision is StepDecision.PENDING
            and (actor.role in _DIRECTORS or (actor.squad_id is not None and s.squad_id == actor.squad_id))
        ]
        if not mine:
            raise PermissionDenied(_("this swap waits for the other party's squad leader"), rule_ids=("SW-1",))
        for side in mine:
            before = side.model_copy()
            side.decision = StepDecision.APPROVED if approve else StepDecision.REFUSED
            side.approver_id = actor.staff_id
            side.reason = text
            side.decided_at = desk.now()
            session.add(side)
            audit(
                session,
                actor,
                "swap.approve_side" if approve else "swap.refuse_side",
                "swap_approval",
                side.id,
                before=before,
                after=side,
            )
        approved = {s.side for s in sides if s.decision is StepDecision.APPROVED}
        standing = rules.check_swap_approvals(SwapSide.REQUESTER in approved, SwapSide.PARTNER in approved)
        # One refusal ends the swap; approval ends it only once both sides agree.
        if not approve or standing.ok:
            if approve:
                _register(session, desk, actor, swap)
            was = swap.model_copy()
            swap.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
            session.add(swap)
            audit(session, actor, f"swap.{swap.status.value}", "swap_request", swap.id, before=was, after=swap)
        session.flush()
        return _views(session, [swap], policy)[0]


def _register(session: Session, desk: Desk, actor: Actor, swap: SwapRequest) -> None:
    """SW-1: the approved swap changes the roster, after the rules agree once more."""
    mine = _shift(session, swap.requester_roster_id, "my_roster_id", desk.policy)
    theirs = _shift(session, swap.partner_roster_id, "partner_roster_id", desk.policy)
    requester, partner = session.get(Staff, swap.requester_id), session.get(Staff, swap.partner_id)
    assert requester is not None and partner is not None
    if mine[0].staff_id != requester.id or theirs[0].staff_id != partner.id:
        raise ServiceError(
            _("the roster changed since the swap was asked for; refuse it and ask again"), rule_ids=("SW-1",)
        )
    # Things may have changed since filing (leave granted, roster edited).
    _check(session, desk, requester, partner, mine, theirs, leave_out=swap.id)
    for entry, owner in ((mine[0], partner), (theirs[0], requester)):
        before = entry.model_copy()
        entry.staff_id = owner.id  # type: ignore[assignment]
        session.add(entry)
        session.flush()
        audit(session, actor, "roster.swap", "roster", entry.id, before=before, after=entry)


def _share(value: int | str) -> int:
    """SW-5: the requester's share of responsibility, in whole percent."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) > 100:
        raise InvalidInput(
            _("the requester's share is a whole percent from 0 to 100"),
            field="requester_share_percent",
            rule_ids=("SW-5",),
        )
    return int(text)


def charge_empty_shift(
    desk: Desk, actor: Actor, swap_id: int, roster_id: int, requester_share_percent: int | str, reason: str
) -> SwapView:
    """SW-5, AT-7: a shift of an approved swap stayed empty because the swap was unclear; both
    parties are charged with absenteeism by their share of responsibility.

    A leader of either party's squad, or a director, charges it once per shift,
    saying what was unclear; a party at 0% gets no charge.
    """
    require(actor, Action.APPROVE_SWAP)
    share = _share(requester_share_percent)
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(_("say what about the swap was unclear"), field="reason", rule_ids=("SW-5",))
    policy, now = desk.policy, desk.now()
    with desk.write() as session:
        swap = session.get(SwapRequest, swap_id)
        if swap is None:
            raise NotFound(_("no swap request {swap_id}").format(swap_id=swap_id), field="swap_id")
        if actor.staff_id in (swap.requester_id, swap.partner_id):
            raise PermissionDenied(_("nobody charges a swap they are part of"), rule_ids=("SW-5",))
        squads = session.exec(select(SwapApproval.squad_id).where(SwapApproval.request_id == swap_id)).all()
        if actor.role not in _DIRECTORS and (actor.squad_id is None or actor.squad_id not in squads):
            raise PermissionDenied(
                _("only a squad leader of either party, or a director, charges an empty shift"), rule_ids=("SW-5",)
            )
        if swap.status is not RequestStatus.APPROVED:
            raise InvalidInput(
                _("only an approved swap can leave a shift empty; this one is {value}").format(value=swap.status.value),
                field="swap_id",
                rule_ids=("SW-5",),
            )
        if roster_id not in (swap.requester_roster_id, swap.partner_roster_id):
            raise InvalidInput(_("choose one of the swap's two shifts"), field="roster_id", rule_ids=("SW-5",))
        _entry, window = _shift(session, roster_id, "roster_id", policy)
        if window.start > now:
            raise InvalidInput(
                _("the {value} shift of {day:%Y-%m-%d} has not started yet").format(
                    value=window.kind.value, day=window.day
                ),
                field="roster_id",
                rule_ids=("SW-5",),
            )
        status = session.exec(select(Attendance.status).where(Attendance.roster_id == roster_id)).first()
        if status is None or AttendanceStatus(status) not in _EMPTY:
            raise InvalidInput(
                _("nobody was marked absent on this shift: it was not left empty"),
                field="roster_id",
                rule_ids=("SW-5", "AT-7"),
            )
        done = session.exec(
            select(SwapCharge.id).where(SwapCharge.swap_id == swap_id, SwapCharge.roster_id == roster_id)
        ).first()
        if done is not None:
            raise InvalidInput(_("this empty shift is already charged"), field="roster_id", rule_ids=("SW-5",))
        decision, charges = rules.empty_shift_charges(swap.requester_id, swap.partner_id, Fraction(share, 100))
        rows = [
            SwapCharge(
                swap_id=swap_id,
                roster_id=roster_id,
                staff_id=int(charge.person_id),
                share_percent=int(charge.share * 100),
                reason=text,
                charged_by_id=actor.staff_id,
                charged_at=now,
            )
            for charge in charges
        ]
        session.add_all(rows)
        session.add_all(
            Notification(
                recipient_id=row.staff_id, kind=NotificationKind.SWAP_CHARGED, sender_id=actor.staff_id, created_at=now
            )
            for row in rows
        )
        audit(
            session,
            actor,
            "swap.empty_shift_charge",
            "swap_request",
            swap.id,
            after={
                "roster_id": roster_id,
                "shares": {str(row.staff_id): row.share_percent for row in rows},
                "reason": text,
                "rule_ids": list(decision.rule_ids),
            },
        )
        session.flush()
        return _views(session, [swap], policy)[0]


# -- lists -------------------------------------------------------------------------


def _views(session: Session, swaps: Sequence[SwapRequest], policy: Policy) -> list[SwapView]:
    if not swaps:
        return []
    ids = [s.id for s in swaps]
    sides = session.exec(select(SwapApproval).where(col(SwapApproval.request_id).in_(ids))).all()
    roster_ids = {s.requester_roster_id for s in swaps} | {s.partner_roster_id for s in swaps}
    shifts = {
        entry.id: SwapShift(entry.id, w.day, w.kind, w.start, w.end)
        for entry, definition in session.exec(
            select(RosterEntry, ShiftDefinition)
            .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
            .where(col(RosterEntry.id).in_(roster_ids))
        ).all()
        for w in (roster_window(definition, entry.work_date, policy),)
    }
    people_ids = (
        {s.requester_id for s in swaps}
        | {s.partner_id for s in swaps}
        | {a.approver_id for a in sides if a.approver_id is not None}
    )
    people = {p.id: Actor.of(p).label for p in session.exec(select(Staff).where(col(Staff.id).in_(people_ids)))}
    charged: dict[int, list[SwapChargeView]] = {}
    for c in session.exec(
        select(SwapCharge).where(col(SwapCharge.swap_id).in_(ids)).order_by(col(SwapCharge.id))
    ).all():
        shift = shifts[c.roster_id]
        charged.setdefault(c.swap_id, []).append(
            SwapChargeView(
                c.roster_id, shift.day, shift.kind, c.staff_id, people.get(c.staff_id, ""), c.share_percent, c.reason
            )
        )
    order = {SwapSide.REQUESTER: 0, SwapSide.PARTNER: 1}
    by_swap: dict[int, list[SwapSideView]] = {}
    for a in sorted(sides, key=lambda a: order[SwapSide(a.side)]):
        by_swap.setdefault(a.request_id, []).append(
            SwapSideView(
                SwapSide(a.side),
                a.squad_id,
                StepDecision(a.decision),
                people.get(a.approver_id, "") if a.approver_id else "",
                a.reason,
                a.decided_at,
            )
        )
    return [
        SwapView(
            id=s.id,
            requester_id=s.requester_id,
            requester_label=people.get(s.requester_id, ""),
            partner_id=s.partner_id,
            partner_label=people.get(s.partner_id, ""),
            give=shifts[s.requester_roster_id],
            take=shifts[s.partner_roster_id],
            reason=s.reason,
            status=RequestStatus(s.status),
            filed_at=s.filed_at,
            sides=tuple(by_swap.get(s.id, [])),
            charges=tuple(charged.get(s.id, [])),
        )
        for s in swaps
    ]


def pending_swaps_for(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[SwapView, ...]:
    """SW-1: swaps waiting for the actor's decision on a side, oldest request first."""
    require(actor, Action.APPROVE_SWAP)
    _page_bounds(offset, limit)
    statement = pending_statement(actor).order_by(col(SwapRequest.filed_at), col(SwapRequest.id))
    with desk.read() as session:
        return tuple(_views(session, session.exec(statement.offset(offset).limit(limit)).all(), desk.policy))


def pending_statement(actor: Actor):
    """SW-1: the swaps waiting for the actor's decision on a side (unordered; also what the inbox counts)."""
    waiting = select(SwapApproval.id).where(
        SwapApproval.request_id == SwapRequest.id,
        SwapApproval.decision == StepDecision.PENDING,
    )
    if actor.role not in _DIRECTORS:
        waiting = waiting.where(
            SwapApproval.squad_id.is_not(None),
            SwapApproval.squad_id == actor.squad_id,
        )
    return select(SwapRequest).where(
        SwapRequest.status == RequestStatus.PENDING,
        SwapRequest.requester_id != actor.staff_id,
        SwapRequest.partner_id != actor.staff_id,
        waiting.exists(),
    )


def my_swaps(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[SwapView, ...]:
    """The swaps the actor asked for or was asked for, newest first."""
    _page_bounds(offset, limit)
    statement = (
        select(SwapRequest)
        .where(or_(SwapRequest.requester_id == actor.staff_id, SwapRequest.partner_id == actor.staff_id))
        .order_by(col(SwapRequest.filed_at).desc(), col(SwapRequest.id).desc())
        .offset(offset)
        .limit(limit)
    )
    with desk.read() as session:
        return tuple(_views(session, session.exec(statement).all(), desk.policy))


def decided_swaps_for(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[SwapView, ...]:
    """SW-5: approved swaps of the actor's squad (a director's: every one), newest first, where a
    shift left empty is charged."""
    require(actor, Action.APPROVE_SWAP)
    _page_bounds(offset, limit)
    statement = select(SwapRequest).where(
        SwapRequest.status == RequestStatus.APPROVED,
        SwapRequest.requester_id != actor.staff_id,
        SwapRequest.partner_id != actor.staff_id,
    )
    if actor.role not in _DIRECTORS:
        ours = select(SwapApproval.id).where(
            SwapApproval.request_id == SwapRequest.id,
            SwapApproval.squad_id.is_not(None),
            SwapApproval.squad_id == actor.squad_id,
        )
        statement = statement.where(ours.exists())
    statement = statement.order_by(col(SwapRequest.filed_at).desc(), col(SwapRequest.id).desc())
    with desk.read() as session:
        return tuple(_views(session, session.exec(statement.offset(offset).limit(limit)).all(), desk.policy))
