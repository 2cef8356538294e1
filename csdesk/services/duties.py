"""The duties calendar (SC-5, TK-17): what falls when, what is done, and marking it done.

A squad's own duty (``per_squad`` in the policy) is marked for that squad; a
centre duty once for everyone. Each person sees the duties they keep, and
the squad's own duties of their squad.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlmodel import Session, col

from csdesk.i18n import _
from csdesk.models import DutyDone, Staff
from csdesk.policy import Duty
from csdesk.rules.calendar import DutyStatus, duty_status, occurrences
from csdesk.rules.duties import check_mark_done, done_key, keepers
from csdesk.services.base import Actor, Desk, InvalidInput, PermissionDenied, audit, require
from csdesk.services.permissions import DeskAction

# The calendar screen shows at most a month.
MAX_SPAN_DAYS = 31


@dataclass(frozen=True)
class DutyLine:
    duty_id: str
    title: str
    at: datetime
    status: DutyStatus
    rule_ids: tuple[str, ...]
    reason: str
    missed: int = 0  # earlier occurrences still not done, folded into this line
    mine: bool = False  # the viewer's role keeps this duty and may mark it done
    done_by: str = ""
    done_at: datetime | None = None


def visible(duty: Duty, actor: Actor) -> bool:
    return actor.role in keepers(duty) or (duty.per_squad and actor.squad_id is not None)


def _squad_of(duty: Duty, actor: Actor) -> int | None:
    return actor.squad_id if duty.per_squad else None


def done_marks(
    session: Session, actor: Actor, first: date, last: date
) -> dict[tuple[str, date, int | None], tuple[str, datetime]]:
    """(key, period start, squad) -> (who, when) of the marks covering ``first``..``last``."""
    rows = session.execute(
        select(DutyDone.duty, DutyDone.period_start, DutyDone.squad_id, Staff.real_name, DutyDone.done_at)
        .join(Staff, col(Staff.id) == DutyDone.done_by_id)
        .where(
            col(DutyDone.period_start).between(first - timedelta(days=31), last),
            or_(col(DutyDone.squad_id).is_(None), col(DutyDone.squad_id) == actor.squad_id),
        )
    ).all()
    return {(key, start, squad): (str(name), done_at) for key, start, squad, name, done_at in rows}


def calendar_lines(desk: Desk, actor: Actor, first: date, last: date) -> list[tuple[DutyLine, bool]]:
    """Every occurrence the actor sees between two days, with whether it is done."""
    policy = desk.policy
    zone, now = policy.zone, desk.now()
    duties = [d for d in policy.duties if visible(d, actor)]
    by_id = {d.id: d for d in duties}
    with desk.read() as session:
        marks = done_marks(session, actor, first, last)
    lines = []
    for occ in occurrences(policy, first, last, duties):
        duty = by_id[occ.duty_id]
        key, start = done_key(duty, occ.at, zone)
        mark = marks.get((key, start, _squad_of(duty, actor)))
        status = duty_status(occ, now, mark is not None)
        lines.append(
            (
                DutyLine(
                    occ.duty_id,
                    occ.title,
                    occ.at.astimezone(zone),
                    status,
                    occ.rule_ids,
                    "",
                    mine=actor.role in keepers(duty),
                    done_by=mark[0] if mark else "",
                    done_at=mark[1] if mark else None,
                ),
                mark is not None,
            )
        )
    return lines


def duty_calendar(desk: Desk, actor: Actor, first: date, last: date) -> tuple[DutyLine, ...]:
    """SC-5, TK-17: the duties of a week or a month, in time order, each with its state."""
    if last < first:
        raise InvalidInput(_("the last day is before the first"), field="last")
    if (last - first).days >= MAX_SPAN_DAYS:
        raise InvalidInput(
            _("show at most {MAX_SPAN_DAYS} days at a time").format(MAX_SPAN_DAYS=MAX_SPAN_DAYS), field="last"
        )
    return tuple(line for line, _done in calendar_lines(desk, actor, first, last))


def mark_duty_done(desk: Desk, actor: Actor, duty_id: str, at: datetime) -> DutyLine:
    """SC-5, TK-17: the occurrence of ``duty_id`` at ``at`` is done, by the role that keeps it.

    Marking it again changes nothing.
    """
    require(actor, DeskAction.MARK_DUTY_DONE)
    duty = next((d for d in desk.policy.duties if d.id == duty_id), None)
    if duty is None:
        raise InvalidInput(_("there is no duty {duty_id!r} in the policy").format(duty_id=duty_id), field="duty")
    zone, now = desk.policy.zone, desk.now()
    decision = check_mark_done(duty, actor.role, at, now, zone)
    if not decision.ok:
        raise PermissionDenied(decision.reason, rule_ids=decision.rule_ids)
    with desk.write() as session:
        record_done(session, desk, actor, duty, at)
    return DutyLine(
        duty.id,
        duty.title,
        at.astimezone(zone),
        DutyStatus.DONE,
        tuple(duty.rule_ids),
        "",
        mine=True,
        done_by=actor.name,
        done_at=now,
    )


def record_done(session: Session, desk: Desk, actor: Actor, duty: Duty, at: datetime) -> None:
    """Writes the mark for the occurrence at ``at`` in the caller's transaction, once."""
    key, period = done_key(duty, at, desk.policy.zone)
    squad_id = _squad_of(duty, actor)
    found = session.execute(
        select(DutyDone.id).where(
            DutyDone.duty == key,
            DutyDone.period_start == period,
            col(DutyDone.squad_id).is_(None) if squad_id is None else DutyDone.squad_id == squad_id,
        )
    ).first()
    if found is None:
        row = DutyDone(duty=key, period_start=period, squad_id=squad_id, done_by_id=actor.staff_id, done_at=desk.now())
        session.add(row)
        session.flush()
        audit(session, actor, "duty.done", "duty_done", row.id, after=row)


def mark_done_by_record(session: Session, desk: Desk, actor: Actor, rule_id: str) -> list[str]:
    """Ticks today's duties that the record of ``rule_id`` fulfils and the actor keeps.

    A daily report written on the desk (QA-4's spot checks) is the duty the
    calendar asks for, so the person is not asked to mark it done by hand as
    well. Returns the duties ticked.
    """
    zone, now = desk.policy.zone, desk.now()
    today = now.astimezone(zone).date()
    duties = [d for d in desk.policy.duties if rule_id in d.rule_ids and d.freq == "daily"]
    ticked = []
    for occurrence in occurrences(desk.policy, today, today, duties):
        duty = next(d for d in duties if d.id == occurrence.duty_id)
        if check_mark_done(duty, actor.role, occurrence.at, now, zone).ok:
            record_done(session, desk, actor, duty, occurrence.at)
            ticked.append(duty.id)
    return ticked
