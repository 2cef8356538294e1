"""Interns on their way to formal staff (ST-4).

Leaders log training hours and mentor check-ins for the interns of their
squad; the intern (or a leader) writes the work summary; a director approves
it or sends it back. Conversion is refused until the rules allow it: the
hours, the check-ins and an approved summary, or, early, a leader's
recommendation approved by the head. Each use case is one transaction with
its audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select
from sqlmodel import Session, col

from csdesk.i18n import N_, _
from csdesk.models import EarlyConversion, InternSummary, Squad, Staff, TrainingCheckIn, TrainingLog
from csdesk.rules.decision import Decision
from csdesk.rules.interns import (
    MAX_MINUTES_A_DAY,
    check_early_recommendation,
    check_summary_text,
    check_training_entry,
)
from csdesk.rules.staff import Action, InternProgress, check_intern_conversion
from csdesk.rules.vocab import StaffStatus
from csdesk.services.base import (
    Actor,
    Desk,
    InvalidInput,
    NotFound,
    ServiceError,
    audit,
    require,
)
from csdesk.services.permissions import DeskAction
from csdesk.services.roster import DIRECTORS, check_squad_access

# A centre has a handful of interns at a time; the list never grows past this.
MAX_INTERNS = 200


class SummaryState(StrEnum):
    NONE = "none"
    WAITING = "waiting"
    APPROVED = "approved"
    SENT_BACK = "sent back"


class EarlyState(StrEnum):
    NONE = "none"
    RECOMMENDED = "recommended"
    APPROVED = "approved"


@dataclass(frozen=True)
class InternView:
    staff_id: int
    employee_number: str
    name: str
    squad: str
    hire_date: date
    minutes: int
    check_ins: int
    summary: SummaryState
    summary_id: int | None
    summary_text: str
    summary_note: str
    early: EarlyState
    early_id: int | None
    conversion: Decision  # ST-4: whether the intern may be converted now, and why not

    @property
    def hours(self) -> float:
        return self.minutes / 60


def _refuse(decision: Decision, field: str | None = None) -> None:
    if not decision.ok:
        if field is not None:
            raise InvalidInput(decision.reason, field=field, rule_ids=decision.rule_ids)
        raise ServiceError(decision.reason, rule_ids=decision.rule_ids)


def _intern(session: Session, intern_id: int) -> Staff:
    person = session.get(Staff, intern_id)
    if person is None:
        raise NotFound(_("no staff member with id {intern_id}").format(intern_id=intern_id))
    if person.status != StaffStatus.INTERN:
        raise InvalidInput(
            _("{real_name} is not an intern").format(real_name=person.real_name), field="intern", rule_ids=("ST-4",)
        )
    return person


def _for_leader(session: Session, actor: Actor, intern_id: int, what: str) -> Staff:
    """The intern, when the actor leads their squad (directors: any)."""
    person = _intern(session, intern_id)
    check_squad_access(actor, person.squad_id, what)
    return person


def _progress_from(minutes: int, check_ins: int, summary: SummaryState, early: EarlyState) -> InternProgress:
    return InternProgress(
        minutes / 60,
        check_ins,
        summary is SummaryState.APPROVED,
        early is not EarlyState.NONE,
        early is EarlyState.APPROVED,
    )


def _views(session: Session, people: list[tuple[Staff, str]], desk: Desk) -> tuple[InternView, ...]:
    ids = [p.id for p, _ in people]
    if not ids:
        return ()
    minutes: dict[int, int] = dict(
        session.execute(
            select(TrainingLog.intern_id, func.sum(TrainingLog.minutes))
            .where(col(TrainingLog.intern_id).in_(ids))
            .group_by(col(TrainingLog.intern_id))
        ).all()
    )
    meetings: dict[int, int] = dict(
        session.execute(
            select(TrainingCheckIn.intern_id, func.count())
            .where(col(TrainingCheckIn.intern_id).in_(ids))
            .group_by(col(TrainingCheckIn.intern_id))
        ).all()
    )
    summaries: dict[int, InternSummary] = {}
    for row in session.execute(
        select(InternSummary)
        .where(col(InternSummary.intern_id).in_(ids))
        .order_by(col(InternSummary.written_at), col(InternSummary.id))
    ).scalars():
        summaries[row.intern_id] = row  # the latest one counts
    early: dict[int, EarlyConversion] = {}
    for row in session.execute(
        select(EarlyConversion)
        .where(col(EarlyConversion.intern_id).in_(ids))
        .order_by(col(EarlyConversion.recommended_at), col(EarlyConversion.id))
    ).scalars():
        early[row.intern_id] = row
    views = []
    for person, squad in people:
        assert person.id is not None
        summary, recommendation = summaries.get(person.id), early.get(person.id)
        state = SummaryState.NONE
        if summary is not None:
            state = {None: SummaryState.WAITING, True: SummaryState.APPROVED, False: SummaryState.SENT_BACK}[
                summary.approved
            ]
        early_state = EarlyState.NONE
        if recommendation is not None:
            early_state = EarlyState.APPROVED if recommendation.approved_at else EarlyState.RECOMMENDED
        total = int(minutes.get(person.id, 0) or 0)
        progress = _progress_from(total, int(meetings.get(person.id, 0)), state, early_state)
        views.append(
            InternView(
                person.id,
                person.employee_number,
                person.real_name,
                squad,
                person.hire_date,
                total,
                progress.check_ins,
                state,
                summary.id if summary else None,
                summary.text if summary else "",
                summary.decision_note if summary else "",
                early_state,
                recommendation.id if recommendation else None,
                check_intern_conversion(progress, desk.policy),
            )
        )
    return tuple(views)


def _progress(session: Session, person: Staff, desk: Desk) -> InternView:
    squad = session.get(Squad, person.squad_id) if person.squad_id is not None else None
    return _views(session, [(person, squad.name if squad else "")], desk)[0]


def interns(desk: Desk, actor: Actor) -> tuple[InternView, ...]:
    """ST-4: the interns and how far each is; leaders see their squad's, directors all, an intern their own."""
    query = (
        select(Staff, Squad.name)
        .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
        .where(Staff.status == StaffStatus.INTERN)
        .order_by(col(Staff.employee_number))
        .limit(MAX_INTERNS)
    )
    with desk.read() as session:
        me = session.get(Staff, actor.staff_id)
        if me is not None and me.status == StaffStatus.INTERN and not actor.role.is_leader:
            query = query.where(Staff.id == actor.staff_id)
        else:
            require(actor, DeskAction.RECORD_TRAINING)
            if actor.role not in DIRECTORS:
                query = query.where(Staff.squad_id == actor.squad_id)
        people = [(staff, name or "") for staff, name in session.execute(query).all()]
        return _views(session, people, desk)


def log_training(
    desk: Desk, actor: Actor, intern_id: int, work_date: date, minutes: int, activity: str = ""
) -> InternView:
    """ST-4: hours of training or practice towards the bar."""
    require(actor, DeskAction.RECORD_TRAINING)
    today = desk.now().astimezone(desk.policy.zone).date()
    with desk.write() as session:
        person = _for_leader(session, actor, intern_id, N_("log training"))
        decision = check_training_entry(minutes, work_date, today, person.hire_date)
        _refuse(decision, "minutes" if not 0 < minutes <= MAX_MINUTES_A_DAY else "work_date")
        row = TrainingLog(
            intern_id=intern_id,
            work_date=work_date,
            minutes=minutes,
            activity=(activity or "").strip(),
            recorded_by_id=actor.staff_id,
        )
        session.add(row)
        session.flush()
        audit(session, actor, "intern.training", "training_log", row.id, after=row)
        return _progress(session, person, desk)


def record_check_in(desk: Desk, actor: Actor, intern_id: int, notes: str = "") -> InternView:
    """ST-4: a check-in with the mentor (the leader recording it), now."""
    require(actor, DeskAction.RECORD_TRAINING)
    with desk.write() as session:
        person = _for_leader(session, actor, intern_id, N_("record check-ins"))
        row = TrainingCheckIn(intern_id=intern_id, mentor_id=actor.staff_id, at=desk.now(), notes=(notes or "").strip())
        session.add(row)
        session.flush()
        audit(session, actor, "intern.check_in", "training_checkin", row.id, after=row)
        return _progress(session, person, desk)


def submit_summary(desk: Desk, actor: Actor, intern_id: int, text: str) -> InternView:
    """ST-4: the written work summary, by the intern themself or a leader of their squad."""
    _refuse(check_summary_text(text or ""), "text")
    with desk.write() as session:
        if actor.staff_id == intern_id:
            person = _intern(session, intern_id)
        else:
            require(actor, DeskAction.RECORD_TRAINING)
            person = _for_leader(session, actor, intern_id, N_("write a work summary"))
        waiting = session.execute(
            select(InternSummary.id).where(InternSummary.intern_id == intern_id, col(InternSummary.approved).is_(None))
        ).first()
        if waiting is not None:
            raise ServiceError(_("a summary is already waiting for the director"), rule_ids=("ST-4",))
        row = InternSummary(intern_id=intern_id, text=text.strip(), written_by_id=actor.staff_id, written_at=desk.now())
        session.add(row)
        session.flush()
        audit(session, actor, "intern.summary", "intern_summary", row.id, after=row)
        return _progress(session, person, desk)


def decide_summary(desk: Desk, actor: Actor, summary_id: int, approve: bool, note: str = "") -> InternView:
    """ST-4: the director approves the summary, or sends it back with a reason."""
    require(actor, Action.CONVERT_INTERN)
    if not approve and not (note or "").strip():
        raise InvalidInput(_("say why the summary is sent back"), field="note", rule_ids=("ST-4",))
    with desk.write() as session:
        row = session.get(InternSummary, summary_id)
        if row is None:
            raise NotFound(_("no work summary with id {summary_id}").format(summary_id=summary_id))
        if row.approved is not None:
            raise ServiceError(_("this summary was already decided"), rule_ids=("ST-4",))
        person = _intern(session, row.intern_id)
        before = row.model_copy()
        row.approved, row.decided_by_id, row.decided_at = approve, actor.staff_id, desk.now()
        row.decision_note = (note or "").strip()
        session.add(row)
        audit(session, actor, "intern.summary_decided", "intern_summary", row.id, before=before, after=row)
        return _progress(session, person, desk)


def recommend_early(desk: Desk, actor: Actor, intern_id: int, reason: str) -> InternView:
    """ST-4: a leader recommends converting before the hours or check-ins are done."""
    require(actor, DeskAction.RECORD_TRAINING)
    if not (reason or "").strip():
        raise InvalidInput(_("give the reason for early conversion"), field="reason", rule_ids=("ST-4",))
    with desk.write() as session:
        person = _for_leader(session, actor, intern_id, N_("recommend early conversion"))
        _refuse(check_early_recommendation(_as_progress(_progress(session, person, desk)), desk.policy))
        row = EarlyConversion(
            intern_id=intern_id, recommended_by_id=actor.staff_id, recommended_at=desk.now(), reason=reason.strip()
        )
        session.add(row)
        session.flush()
        audit(session, actor, "intern.early_recommended", "intern_early_conversion", row.id, after=row)
        return _progress(session, person, desk)


def approve_early(desk: Desk, actor: Actor, intern_id: int) -> InternView:
    """ST-4: the head approves a leader's recommendation for early conversion."""
    require(actor, Action.CONVERT_INTERN)
    with desk.write() as session:
        person = _intern(session, intern_id)
        row = (
            session.execute(
                select(EarlyConversion)
                .where(EarlyConversion.intern_id == intern_id)
                .order_by(col(EarlyConversion.recommended_at).desc(), col(EarlyConversion.id).desc())
            )
            .scalars()
            .first()
        )
        if row is None:
            raise ServiceError(_("no leader has recommended early conversion"), rule_ids=("ST-4",))
        if row.approved_at is not None:
            raise ServiceError(_("early conversion is already approved"), rule_ids=("ST-4",))
        before = row.model_copy()
        row.approved_by_id, row.approved_at = actor.staff_id, desk.now()
        session.add(row)
        audit(session, actor, "intern.early_approved", "intern_early_conversion", row.id, before=before, after=row)
        return _progress(session, person, desk)


def _as_progress(view: InternView) -> InternProgress:
    return _progress_from(view.minutes, view.check_ins, view.summary, view.early)


def convert(desk: Desk, actor: Actor, intern_id: int) -> InternView:
    """ST-4: the intern becomes formal staff, once the rules allow it."""
    require(actor, Action.CONVERT_INTERN)
    with desk.write() as session:
        person = _intern(session, intern_id)
        view = _progress(session, person, desk)
        _refuse(view.conversion)
        before = person.model_copy()
        person.status = StaffStatus.FORMAL
        session.add(person)
        audit(session, actor, "intern.converted", "staff", person.id, before=before, after=person)
        return view
