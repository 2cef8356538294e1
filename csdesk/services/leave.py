"""Leave requests: preview, filing and the step-by-step approval ladder (LV-1..LV-9).

A request covers the rostered shifts that overlap its period; the rules in
``csdesk.rules.leave`` judge those shifts (notice, night shift, public
holiday, holiday duty, certificate) and give the approval chain. Filing saves
one ``LeaveApproval`` row per level; approvers then decide level by level and
the last approval makes the request approved, which roll call reads (AT-2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.models import (
    Attendance,
    LeaveApproval,
    LeaveRequest,
    RequestStatus,
    RosterEntry,
    ShiftDefinition,
    Staff,
    StepDecision,
)
from csdesk.policy import Policy
from csdesk.rules import leave as rules
from csdesk.rules.decision import Outcome
from csdesk.rules.shifts import ShiftWindow, covers, shift_window
from csdesk.rules.staff import Action
from csdesk.rules.vocab import AttendanceStatus, LeaveType, Role, ShiftKind
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

MAX_PAGE = 200

# Which form field a refusal belongs next to.
_REFUSAL_FIELD = {"LV-4": "staff_id", "LV-5": "certificate_from"}

# A request still in play: it blocks another one for the same shifts.
_LIVE = (RequestStatus.PENDING, RequestStatus.APPROVED)
# Longer than this is a typing slip (a leave "to 2099-12-31"), not a leave.
MAX_SPAN = timedelta(days=366)


# -- views ---------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveShift:
    """A rostered shift the leave covers."""

    roster_id: int
    day: date
    kind: ShiftKind
    start: datetime
    end: datetime
    holiday_duty: bool


@dataclass(frozen=True)
class LeavePreview:
    """What the rules say about a leave form before it is filed."""

    staff_id: int
    staff_label: str
    leave_type: LeaveType
    starts_at: datetime
    ends_at: datetime
    shifts: tuple[LeaveShift, ...]
    days: int
    can_file: bool
    # The refusal, or the approval summary: "1 day of personal leave: approval by ..."
    summary: str
    rule_ids: tuple[str, ...]
    approvers: tuple[Role, ...]
    # Each rule's own remark (late notice, night shift, certificate to follow ...).
    problems: tuple[str, ...]


@dataclass(frozen=True)
class LeaveStep:
    level: int
    role: Role
    decision: StepDecision
    approver_label: str
    reason: str
    decided_at: datetime | None


@dataclass(frozen=True)
class LeaveRequestView:
    id: int
    staff_id: int
    staff_label: str
    filed_by_label: str
    leave_type: LeaveType
    starts_at: datetime
    ends_at: datetime
    reason: str
    has_certificate: bool
    phoned_leader: bool
    status: RequestStatus
    filed_at: datetime
    steps: tuple[LeaveStep, ...]
    certificate_from: date | None = None
    certificate_to: date | None = None
    certificate_at: datetime | None = None
    certificate_due_at: datetime | None = None
    form_handed_at: datetime | None = None
    # The rostered shifts the leave covers, so an approver sees them before deciding.
    shifts: tuple[tuple[date, ShiftKind], ...] = ()

    @property
    def awaiting_certificate(self) -> bool:
        """LV-5: sick leave still in play whose certificate has not been handed in."""
        return (
            self.leave_type is LeaveType.SICK
            and not self.has_certificate
            and self.status in (RequestStatus.PENDING, RequestStatus.APPROVED)
        )

    @property
    def next_role(self) -> Role | None:
        """Who decides next, or None once decided."""
        if self.status is not RequestStatus.PENDING:
            return None
        return next((s.role for s in self.steps if s.decision is StepDecision.PENDING), None)


# -- shared with the swap service -------------------------------------------------


def roster_window(definition: ShiftDefinition, work_date: date, policy: Policy) -> ShiftWindow:
    """SC-1: the concrete times of a rostered shift, from the policy's shift times."""
    return shift_window(work_date, ShiftKind(definition.kind), policy)


def roster_windows(
    session: Session, staff_id: int, first_day: date, last_day: date, policy: Policy
) -> list[tuple[RosterEntry, ShiftWindow]]:
    """A person's rostered shifts belonging to ``first_day``..``last_day``, in time order."""
    rows = session.exec(
        select(RosterEntry, ShiftDefinition)
        .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
        .where(
            RosterEntry.staff_id == staff_id,
            RosterEntry.work_date >= first_day,
            RosterEntry.work_date <= last_day,
        )
    ).all()
    found = [(entry, roster_window(definition, entry.work_date, policy)) for entry, definition in rows]
    return sorted(found, key=lambda pair: pair[1].start)


def leave_overlapping(
    session: Session,
    staff_id: int,
    start: datetime,
    end: datetime,
    statuses: Sequence[RequestStatus] = (RequestStatus.APPROVED,),
) -> LeaveRequest | None:
    """The person's leave (in ``statuses``) overlapping ``start``..``end``, if any."""
    return session.exec(
        select(LeaveRequest).where(
            LeaveRequest.requester_id == staff_id,
            col(LeaveRequest.status).in_(statuses),
            LeaveRequest.starts_at < end.astimezone(UTC),
            LeaveRequest.ends_at > start.astimezone(UTC),
        )
    ).first()


def leave_covering(session: Session, staff_id: int, window: ShiftWindow, zone: ZoneInfo) -> LeaveRequest | None:
    """The person's approved leave covering the shift (SC-1, ``rules.shifts.covers``), if any."""
    found = session.exec(
        select(LeaveRequest).where(
            LeaveRequest.requester_id == staff_id,
            LeaveRequest.status == RequestStatus.APPROVED,
            LeaveRequest.starts_at < window.end.astimezone(UTC),
            LeaveRequest.ends_at > window.start.astimezone(UTC),
        )
    ).all()
    return next((r for r in found if covers(r.starts_at, r.ends_at, window, zone)), None)


# -- input ---------------------------------------------------------------------


def _moment(value: object, field: str, zone: ZoneInfo, *, end: bool = False) -> datetime:
    """A form's date or date-and-time as aware UTC.

    A bare date means the whole day in the centre's zone: its start, or for
    the end of a period the start of the next day. Naive times are the centre's.
    """
    if isinstance(value, str):
        raw = value.strip()
        if not raw:
            raise InvalidInput(_("enter a date"), field=field)
        try:
            value = date.fromisoformat(raw) if len(raw) == 10 else datetime.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(
                _("{raw!r} is not a real date or time (YYYY-MM-DD HH:MM)").format(raw=raw), field=field
            ) from None
    if isinstance(value, datetime):
        local = value if value.tzinfo is not None and value.utcoffset() is not None else value.replace(tzinfo=zone)
        return local.astimezone(UTC)
    if isinstance(value, date):
        day = value + timedelta(days=1) if end else value
        return datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    raise InvalidInput(_("enter a date"), field=field)


def _day(value: object, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(_("{value!r} is not a real date (YYYY-MM-DD)").format(value=value), field=field) from None


def _page_bounds(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidInput(_("offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {MAX_PAGE} rows").format(MAX_PAGE=MAX_PAGE), field="limit")


@dataclass(frozen=True)
class _Form:
    leave_type: LeaveType
    starts_at: datetime
    ends_at: datetime
    reason: str
    certificate_days: frozenset[date] | None
    phoned_leader_at: datetime | None


def _read_form(
    desk: Desk,
    leave_type: LeaveType | str,
    start: object,
    end: object,
    reason: str,
    certificate_from: object,
    certificate_to: object,
    phoned_leader_at: object,
) -> _Form:
    zone = desk.policy.zone
    try:
        kind = LeaveType(leave_type)
    except ValueError:
        raise InvalidInput(
            _("unknown leave type {leave_type!r}").format(leave_type=leave_type), field="leave_type"
        ) from None
    starts = _moment(start, "start", zone)
    ends = _moment(end, "end", zone, end=True)
    if ends <= starts:
        raise InvalidInput(_("the leave must end after it starts"), field="end")
    if ends - starts > MAX_SPAN:
        raise InvalidInput(
            _("a leave lasts at most {days} days: check the end date").format(days=MAX_SPAN.days), field="end"
        )
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(_("a reason for the leave is required"), field="reason")
    certified: frozenset[date] | None = None
    if certificate_from is not None or certificate_to is not None:
        if certificate_from is None or certificate_to is None:
            missing = "certificate_from" if certificate_from is None else "certificate_to"
            raise InvalidInput(_("a certificate covers a first and a last day"), field=missing)
        first, last = _day(certificate_from, "certificate_from"), _day(certificate_to, "certificate_to")
        if last < first:
            raise InvalidInput(_("the certificate's last day is before its first"), field="certificate_to")
        certified = frozenset(first + timedelta(days=n) for n in range((last - first).days + 1))
    phoned = None if phoned_leader_at is None else _moment(phoned_leader_at, "phoned_leader_at", zone)
    return _Form(kind, starts, ends, text, certified, phoned)


# -- judging a form ------------------------------------------------------------------


def _judge(session: Session, desk: Desk, actor: Actor, staff_id: int, form: _Form) -> tuple[Staff, LeavePreview]:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(_("no staff member with id {staff_id}").format(staff_id=staff_id), field="staff_id")
    policy, zone = desk.policy, desk.policy.zone
    # A night shift belongs to the day before the morning it ends on.
    first_day = form.starts_at.astimezone(zone).date() - timedelta(days=1)
    last_day = form.ends_at.astimezone(zone).date()
    covered = [
        (entry, window)
        for entry, window in roster_windows(session, staff_id, first_day, last_day, policy)
        if covers(form.starts_at, form.ends_at, window, zone)
    ]
    request = rules.LeaveRequest(
        type=form.leave_type,
        person_id=staff_id,
        filed_by_id=actor.staff_id,
        filed_at=desk.now(),
        shifts=tuple(window for _, window in covered),
        holiday_duty=any(entry.holiday_duty for entry, _ in covered),
        certificate_days=form.certificate_days,
        phoned_leader_at=form.phoned_leader_at,
    )
    decision = rules.evaluate_leave(request, policy)
    problems: tuple[str, ...] = ()
    if covered:
        problems = tuple(str(d) for d in rules.leave_checks(request, policy) if d.outcome is not Outcome.ALLOWED)
    can_file = decision.outcome is Outcome.NEEDS_APPROVAL
    preview = LeavePreview(
        staff_id=staff_id,
        staff_label=Actor.of(staff).label,
        leave_type=form.leave_type,
        starts_at=form.starts_at,
        ends_at=form.ends_at,
        shifts=tuple(LeaveShift(entry.id, w.day, w.kind, w.start, w.end, entry.holiday_duty) for entry, w in covered),
        days=request.days,
        can_file=can_file,
        summary=decision.reason,
        rule_ids=decision.rule_ids,
        approvers=decision.approvers if can_file else (),
        problems=problems,
    )
    return staff, preview


def preview_leave(
    desk: Desk,
    actor: Actor,
    staff_id: int,
    leave_type: LeaveType | str,
    start: object,
    end: object,
    reason: str,
    *,
    certificate_from: object = None,
    certificate_to: object = None,
    phoned_leader_at: object = None,
) -> LeavePreview:
    """LV-1..LV-9: what filing this form would meet, without saving anything.

    ``start``/``end`` are dates (whole days, end inclusive) or times, as
    objects or ISO text; naive times are the centre's.
    """
    require(actor, Action.FILE_LEAVE)
    form = _read_form(desk, leave_type, start, end, reason, certificate_from, certificate_to, phoned_leader_at)
    with desk.read() as session:
        return _judge(session, desk, actor, staff_id, form)[1]


def file_leave(
    desk: Desk,
    actor: Actor,
    staff_id: int,
    leave_type: LeaveType | str,
    start: object,
    end: object,
    reason: str,
    *,
    certificate_from: object = None,
    certificate_to: object = None,
    phoned_leader_at: object = None,
) -> LeaveRequestView:
    """LV-1..LV-9: files the request with one pending approval per level of its chain."""
    require(actor, Action.FILE_LEAVE)
    form = _read_form(desk, leave_type, start, end, reason, certificate_from, certificate_to, phoned_leader_at)
    with desk.write() as session:
        staff, preview = _judge(session, desk, actor, staff_id, form)
        if not preview.can_file:
            field = next((_REFUSAL_FIELD[r] for r in preview.rule_ids if r in _REFUSAL_FIELD), "start")
            error = PermissionDenied if field == "staff_id" else ServiceError
            raise error(preview.summary, field=field, rule_ids=preview.rule_ids)
        clash = leave_overlapping(session, staff_id, form.starts_at, form.ends_at, _LIVE)
        if clash is not None:
            raise InvalidInput(
                _("{staff_label} already has {value} leave from {zone:%Y-%m-%d %H:%M}").format(
                    staff_label=preview.staff_label,
                    value=clash.status.value,
                    zone=clash.starts_at.astimezone(desk.policy.zone),
                ),
                field="start",
            )
        row = LeaveRequest(
            requester_id=staff_id,
            filed_by_id=actor.staff_id,
            leave_type=form.leave_type,
            starts_at=form.starts_at,
            ends_at=form.ends_at,
            reason=form.reason,
            has_certificate=form.certificate_days is not None,
            phoned_leader=form.phoned_leader_at is not None,
            filed_at=desk.now(),
        )
        if form.certificate_days:
            row.certificate_from, row.certificate_to = min(form.certificate_days), max(form.certificate_days)
            row.certificate_at = desk.now()
        elif form.leave_type is LeaveType.SICK:
            row.certificate_due_at = _certificate_due(session, desk, staff_id, form.ends_at)
        session.add(row)
        session.flush()
        for level, role in enumerate(preview.approvers, start=1):
            session.add(LeaveApproval(request_id=row.id, level=level, role=role))
        audit(
            session,
            actor,
            "leave.file",
            "leave_request",
            row.id,
            after=row.model_dump() | {"approvers": list(preview.approvers), "rule_ids": list(preview.rule_ids)},
        )
        session.flush()
        return _views(session, desk, [row])[0]


# -- deciding ------------------------------------------------------------------


def decide_leave(desk: Desk, actor: Actor, request_id: int, approve: bool, reason: str = "") -> LeaveRequestView:
    """LV-3: the next approver in the chain approves or refuses (a refusal needs a reason).

    A squad leader decides only for their own squad; nobody decides their own
    request. The last approval makes the request approved.
    """
    require(actor, Action.APPROVE_LEAVE)
    text = (reason or "").strip()
    if not approve and not text:
        raise InvalidInput(_("a refusal must give a reason"), field="reason", rule_ids=("LV-3",))
    with desk.write() as session:
        request = session.get(LeaveRequest, request_id)
        if request is None:
            raise NotFound(_("no leave request {request_id}").format(request_id=request_id))
        if request.status is not RequestStatus.PENDING:
            raise ServiceError(
                _("this request is already {value}").format(value=request.status.value), rule_ids=("LV-3",)
            )
        if request.requester_id == actor.staff_id:
            raise PermissionDenied(_("nobody decides their own leave request"), rule_ids=("LV-3",))
        steps = session.exec(
            select(LeaveApproval).where(LeaveApproval.request_id == request_id).order_by(LeaveApproval.level)
        ).all()
        chain = [Role(s.role) for s in steps]
        approved = [Role(s.role) for s in steps if s.decision is StepDecision.APPROVED]
        step_decision = rules.check_approval_step(chain, approved, actor.role)
        if step_decision.outcome is Outcome.REFUSED:
            raise PermissionDenied(step_decision.reason, rule_ids=step_decision.rule_ids)
        step = steps[len(approved)]
        if step.role is Role.SQUAD_LEADER:
            requester = session.get(Staff, request.requester_id)
            if requester is None or actor.squad_id is None or requester.squad_id != actor.squad_id:
                raise PermissionDenied(
                    _("a squad leader decides leave only for their own squad"), rule_ids=("LV-3", "ST-2")
                )
        before = step.model_copy()
        step.approver_id = actor.staff_id
        step.decided_at = desk.now()
        step.reason = text
        step.decision = StepDecision.APPROVED if approve else StepDecision.REFUSED
        session.add(step)
        audit(
            session,
            actor,
            "leave.approve_step" if approve else "leave.refuse_step",
            "leave_approval",
            step.id,
            before=before,
            after=step,
        )
        final = approve and step_decision.outcome is Outcome.ALLOWED
        if final or not approve:
            was = request.model_copy()
            request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
            session.add(request)
            audit(
                session, actor, f"leave.{request.status.value}", "leave_request", request.id, before=was, after=request
            )
            if final and rules.takes_effect(request.leave_type, request.has_certificate, request.phoned_leader):
                _attendance_on_leave(session, desk, actor, request)
        session.flush()
        return _views(session, desk, [request])[0]


def _covered_each(
    session: Session, desk: Desk, requests: Sequence[LeaveRequest]
) -> dict[int | None, list[tuple[RosterEntry, ShiftWindow]]]:
    """The rostered shifts each stored request covers (SC-1), in time order: one query for
    a whole page of requests, each asking only its own person's days."""
    zone = desk.policy.zone
    spans = {
        r.id: (r.starts_at.astimezone(zone).date() - timedelta(days=1), r.ends_at.astimezone(zone).date())
        for r in requests
    }
    if not spans:
        return {}
    rows = session.exec(
        select(RosterEntry, ShiftDefinition)
        .join(ShiftDefinition, col(ShiftDefinition.id) == RosterEntry.shift_id)
        .where(
            or_(
                *(
                    and_(RosterEntry.staff_id == r.requester_id, col(RosterEntry.work_date).between(*spans[r.id]))
                    for r in requests
                )
            )
        )
    ).all()
    windows = [(entry, roster_window(definition, entry.work_date, desk.policy)) for entry, definition in rows]
    windows.sort(key=lambda pair: pair[1].start)
    return {
        r.id: [
            (entry, window)
            for entry, window in windows
            if entry.staff_id == r.requester_id and covers(r.starts_at, r.ends_at, window, zone)
        ]
        for r in requests
    }


def _covered(session: Session, desk: Desk, request: LeaveRequest) -> list[tuple[RosterEntry, ShiftWindow]]:
    """The rostered shifts a stored request covers (SC-1)."""
    return _covered_each(session, desk, [request])[request.id]


def _rewrite_covered_attendance(
    session: Session, desk: Desk, actor: Actor, request: LeaveRequest, status: AttendanceStatus
) -> None:
    """Attendance already written for the shifts the leave covers: "on leave" once it takes
    effect (AT-1), absenteeism once it lapses (AT-7)."""
    covered = [entry.id for entry, _window in _covered(session, desk, request)]
    if not covered:
        return
    on_leave = status is AttendanceStatus.LEAVE
    action = "attendance.on_leave" if on_leave else f"attendance.{status.value}"
    for row in session.exec(select(Attendance).where(col(Attendance.roster_id).in_(covered))).all():
        before = row.model_dump()
        row.status = status
        row.minutes_late = 0
        row.leave_type = request.leave_type if on_leave else None
        session.add(row)
        audit(session, actor, action, "attendance", row.id, before=before, after=row)


def _attendance_on_leave(session: Session, desk: Desk, actor: Actor, request: LeaveRequest) -> None:
    _rewrite_covered_attendance(session, desk, actor, request, AttendanceStatus.LEAVE)


# -- the certificate that follows (LV-5) ----------------------------------------------------

# Far enough ahead to find the first shift back after a long sick leave.
_BACK_HORIZON = timedelta(days=62)


def _certificate_due(session: Session, desk: Desk, staff_id: int, ends_at: datetime) -> datetime:
    zone = desk.policy.zone
    first_day = ends_at.astimezone(zone).date() - timedelta(days=1)
    later = roster_windows(session, staff_id, first_day, first_day + _BACK_HORIZON, desk.policy)
    return rules.certificate_deadline(ends_at, (w for _entry, w in later), zone)


def _sick_request_for(session: Session, actor: Actor, request_id: int) -> LeaveRequest:
    """A sick-leave request the actor may take papers for: their squad's, or any for a director."""
    request = session.get(LeaveRequest, request_id)
    if request is None:
        raise NotFound(_("no leave request {request_id}").format(request_id=request_id))
    if request.leave_type is not LeaveType.SICK:
        raise ServiceError(_("only sick leave has a medical certificate"), rule_ids=("LV-5",))
    if actor.role is Role.SQUAD_LEADER:
        person = session.get(Staff, request.requester_id)
        if person is None or actor.squad_id is None or person.squad_id != actor.squad_id:
            raise PermissionDenied(
                _("a squad leader takes certificates only for their own squad"), rule_ids=("LV-5", "ST-2")
            )
    return request


def record_certificate(
    desk: Desk, actor: Actor, request_id: int, certificate_from: object, certificate_to: object
) -> LeaveRequestView:
    """LV-5: the medical certificate handed in after the sick leave was filed.

    It must cover every day of the leave with consecutive days and come before
    the end of the first shift back. Approved leave then takes effect: the
    attendance of the shifts it covers becomes "on leave".
    """
    require(actor, Action.APPROVE_LEAVE)
    first, last = _day(certificate_from, "certificate_from"), _day(certificate_to, "certificate_to")
    if last < first:
        raise InvalidInput(_("the certificate's last day is before its first"), field="certificate_to")
    if (last - first) > MAX_SPAN:
        raise InvalidInput(
            _("a leave lasts at most {days} days: check the end date").format(days=MAX_SPAN.days),
            field="certificate_to",
        )
    certified = frozenset(first + timedelta(days=n) for n in range((last - first).days + 1))
    with desk.write() as session:
        request = _sick_request_for(session, actor, request_id)
        if request.has_certificate:
            raise ServiceError(_("the certificate for this leave is already recorded"), rule_ids=("LV-5",))
        if request.status not in _LIVE:
            raise ServiceError(
                _("this request is already {value}").format(value=request.status.value), rule_ids=("LV-5",)
            )
        needed = [w.day for _entry, w in _covered(session, desk, request)]
        due = request.certificate_due_at
        zone = desk.policy.zone
        decision = rules.check_certificate_handed(
            needed, certified, desk.now(), None if due is None else due.astimezone(zone)
        )
        if not decision.ok:
            # Days left uncovered are fixed by the end date; anything else by the start.
            field = "certificate_from" if certified.issuperset(needed) else "certificate_to"
            raise ServiceError(decision.reason, field=field, rule_ids=decision.rule_ids)
        before = request.model_copy()
        request.has_certificate = True
        request.certificate_from, request.certificate_to = first, last
        request.certificate_at = desk.now()
        session.add(request)
        audit(session, actor, "leave.certificate", "leave_request", request.id, before=before, after=request)
        if request.status is RequestStatus.APPROVED:
            _attendance_on_leave(session, desk, actor, request)
        session.flush()
        return _views(session, desk, [request])[0]


def record_leave_form(desk: Desk, actor: Actor, request_id: int) -> LeaveRequestView:
    """LV-5: the leave form handed to the leader on the first day back."""
    require(actor, Action.APPROVE_LEAVE)
    with desk.write() as session:
        request = _sick_request_for(session, actor, request_id)
        if request.form_handed_at is not None:
            raise ServiceError(_("the leave form is already recorded"), rule_ids=("LV-5",))
        if request.status in (RequestStatus.REFUSED, RequestStatus.WITHDRAWN):
            raise ServiceError(
                _("this request is already {value}").format(value=request.status.value), rule_ids=("LV-5",)
            )
        before = request.model_copy()
        request.form_handed_at = desk.now()
        session.add(request)
        audit(session, actor, "leave.form", "leave_request", request.id, before=before, after=request)
        session.flush()
        return _views(session, desk, [request])[0]


def lapse_sick_leave(desk: Desk, actor: Actor, request_id: int) -> LeaveRequestView:
    """LV-5, AT-7: sick leave whose certificate never came lapses once the first shift back is over.

    Its shifts were absences without approved leave, so their attendance
    becomes absenteeism. Before the deadline this is refused: the person may
    still bring the certificate.
    """
    require(actor, Action.APPROVE_LEAVE)
    with desk.write() as session:
        request = _sick_request_for(session, actor, request_id)
        if request.has_certificate or request.status not in _LIVE:
            raise ServiceError(_("only sick leave still waiting for its certificate can lapse"), rule_ids=("LV-5",))
        due = request.certificate_due_at or _certificate_due(session, desk, request.requester_id, request.ends_at)
        decision = rules.check_certificate_overdue(due.astimezone(desk.policy.zone), desk.now())
        if decision.outcome is not Outcome.VIOLATION:
            raise ServiceError(decision.reason, rule_ids=decision.rule_ids)
        before = request.model_copy()
        request.status = RequestStatus.LAPSED
        request.certificate_due_at = due
        session.add(request)
        audit(
            session,
            actor,
            "leave.lapsed",
            "leave_request",
            request.id,
            before=before,
            after=request.model_dump() | {"rule_ids": list(decision.rule_ids)},
        )
        _rewrite_covered_attendance(session, desk, actor, request, AttendanceStatus.ABSENTEEISM)
        session.flush()
        return _views(session, desk, [request])[0]


def certificates_awaited(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[LeaveRequestView, ...]:
    """LV-5: sick leave still waiting for its certificate, soonest due first (own squad for a squad leader)."""
    require(actor, Action.APPROVE_LEAVE)
    _page_bounds(offset, limit)
    statement = (
        select(LeaveRequest)
        .join(Staff, col(Staff.id) == LeaveRequest.requester_id)
        .where(
            LeaveRequest.leave_type == LeaveType.SICK,
            col(LeaveRequest.has_certificate).is_(False),
            col(LeaveRequest.status).in_(_LIVE),
        )
        .order_by(col(LeaveRequest.certificate_due_at), col(LeaveRequest.id))
    )
    if actor.role is Role.SQUAD_LEADER:
        statement = statement.where(and_(Staff.squad_id.is_not(None), Staff.squad_id == actor.squad_id))
    with desk.read() as session:
        return tuple(_views(session, desk, session.exec(statement.offset(offset).limit(limit)).all()))


# -- lists ---------------------------------------------------------------------


def _views(session: Session, desk: Desk, requests: Sequence[LeaveRequest]) -> list[LeaveRequestView]:
    if not requests:
        return []
    ids = [r.id for r in requests]
    steps = session.exec(
        select(LeaveApproval).where(col(LeaveApproval.request_id).in_(ids)).order_by(LeaveApproval.level)
    ).all()
    people_ids = (
        {r.requester_id for r in requests}
        | {r.filed_by_id for r in requests}
        | {s.approver_id for s in steps if s.approver_id is not None}
    )
    people = {p.id: Actor.of(p).label for p in session.exec(select(Staff).where(col(Staff.id).in_(people_ids)))}
    by_request: dict[int, list[LeaveStep]] = {}
    for s in steps:
        by_request.setdefault(s.request_id, []).append(
            LeaveStep(
                s.level,
                Role(s.role),
                StepDecision(s.decision),
                people.get(s.approver_id, "") if s.approver_id else "",
                s.reason,
                s.decided_at,
            )
        )
    covered = _covered_each(session, desk, requests)
    return [
        LeaveRequestView(
            id=r.id,
            staff_id=r.requester_id,
            staff_label=people.get(r.requester_id, ""),
            filed_by_label=people.get(r.filed_by_id, ""),
            leave_type=LeaveType(r.leave_type),
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            reason=r.reason,
            has_certificate=r.has_certificate,
            phoned_leader=r.phoned_leader,
            status=RequestStatus(r.status),
            filed_at=r.filed_at,
            steps=tuple(by_request.get(r.id, [])),
            certificate_from=r.certificate_from,
            certificate_to=r.certificate_to,
            certificate_at=r.certificate_at,
            certificate_due_at=r.certificate_due_at,
            form_handed_at=r.form_handed_at,
            shifts=tuple((w.day, w.kind) for _entry, w in covered[r.id]),
        )
        for r in requests
    ]


def my_requests(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[LeaveRequestView, ...]:
    """The actor's own leave requests, latest leave first."""
    _page_bounds(offset, limit)
    with desk.read() as session:
        rows = session.exec(
            select(LeaveRequest)
            .where(LeaveRequest.requester_id == actor.staff_id)
            .order_by(col(LeaveRequest.starts_at).desc(), col(LeaveRequest.id).desc())
            .offset(offset)
            .limit(limit)
        ).all()
        return tuple(_views(session, desk, rows))


def pending_for(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[LeaveRequestView, ...]:
    """LV-3: requests whose next step is the actor's, soonest leave first."""
    require(actor, Action.APPROVE_LEAVE)
    _page_bounds(offset, limit)
    statement = pending_statement(actor).order_by(col(LeaveRequest.starts_at), col(LeaveRequest.id))
    with desk.read() as session:
        return tuple(_views(session, desk, session.exec(statement.offset(offset).limit(limit)).all()))


def pending_statement(actor: Actor):
    """LV-3: the requests whose next step is the actor's (unordered; also what the inbox counts)."""
    earlier = aliased(LeaveApproval)
    open_lower_step = (
        select(earlier.id)
        .where(
            earlier.request_id == LeaveApproval.request_id,
            earlier.level < LeaveApproval.level,
            earlier.decision != StepDecision.APPROVED,
        )
        .exists()
    )
    statement = (
        select(LeaveRequest)
        .join(LeaveApproval, LeaveApproval.request_id == LeaveRequest.id)
        .join(Staff, col(Staff.id) == LeaveRequest.requester_id)
        .where(
            LeaveRequest.status == RequestStatus.PENDING,
            LeaveRequest.requester_id != actor.staff_id,
            LeaveApproval.decision == StepDecision.PENDING,
            LeaveApproval.role == actor.role,
            ~open_lower_step,
        )
    )
    if actor.role is Role.SQUAD_LEADER:
        statement = statement.where(and_(Staff.squad_id.is_not(None), Staff.squad_id == actor.squad_id))
    return statement
