"""The monthly typing test (ST-3): results recorded by the squad's leader, flagged below the grade's bar.

One result per person per month; recording again in the same month replaces
the earlier one (a re-test), and the audit keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from csdesk.i18n import N_, _
from csdesk.models import Staff, TypingTest
from csdesk.rules.decision import Outcome
from csdesk.rules.staff import Action, check_typing_test
from csdesk.rules.vocab import Grade, Role, StaffStatus
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, audit, require
from csdesk.services.months import parse_month
from csdesk.services.roster import DIRECTORS, check_squad_access

# Faster than this is a typing slip, not a typist.
MAX_CPM = 300


@dataclass(frozen=True)
class TypingLine:
    """One person's result for the month; ``chars_per_minute`` None until recorded."""

    staff_id: int
    label: str
    grade: Grade
    bar: int
    chars_per_minute: int | None
    below_bar: bool
    remark: str


def _month(value: object) -> str:
    return f"{parse_month(str(value or '')):%Y-%m}"


def _speed(value: object) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_CPM:
        raise InvalidInput(
            _("the speed is a whole number of characters a minute, 1 to {most}").format(most=MAX_CPM),
            field="chars_per_minute",
            rule_ids=("ST-3",),
        )
    return int(text)


def _line(desk: Desk, person: Staff, result: TypingTest | None) -> TypingLine:
    grade = Grade(person.grade)
    bar = desk.policy.typing_bars.bar(grade)
    assert person.id is not None
    if result is None:
        return TypingLine(person.id, Actor.of(person).label, grade, bar, None, False, "")
    decision = check_typing_test(grade, result.chars_per_minute, desk.policy)
    return TypingLine(
        person.id,
        Actor.of(person).label,
        grade,
        bar,
        result.chars_per_minute,
        decision.outcome is Outcome.WARNING,
        decision.reason,
    )


def _people(session: Session, actor: Actor) -> list[Staff]:
    statement = select(Staff).where(
        Staff.status != StaffStatus.LEFT,
        col(Staff.role).in_((Role.AGENT, Role.DEPUTY_LEADER)),
    )
    if actor.role not in DIRECTORS:
        statement = statement.where(Staff.squad_id == actor.squad_id)
    return list(session.exec(statement.order_by(col(Staff.employee_number))).all())


def typing_month(desk: Desk, actor: Actor, month: object) -> tuple[TypingLine, ...]:
    """ST-3: the squad's results for ``month`` (every squad for a director), those below the bar flagged."""
    require(actor, Action.RECORD_TYPING_TEST)
    when = _month(month)
    with desk.read() as session:
        people = _people(session, actor)
        results = {
            r.staff_id: r
            for r in session.exec(
                select(TypingTest).where(TypingTest.month == when, col(TypingTest.staff_id).in_([p.id for p in people]))
            ).all()
        }
        return tuple(_line(desk, p, results.get(p.id)) for p in people)


def record_typing_test(desk: Desk, actor: Actor, staff_id: int, month: object, chars_per_minute: object) -> TypingLine:
    """ST-3: records a month's typing speed; below the grade's bar it is kept and flagged."""
    require(actor, Action.RECORD_TYPING_TEST)
    when = _month(month)
    speed = _speed(chars_per_minute)
    with desk.write() as session:
        person = session.get(Staff, staff_id)
        if person is None or person.status is StaffStatus.LEFT:
            raise NotFound(_("no current staff member with id {staff_id}").format(staff_id=staff_id), field="staff_id")
        check_squad_access(actor, person.squad_id, N_("record typing tests"))
        row = session.exec(select(TypingTest).where(TypingTest.staff_id == staff_id, TypingTest.month == when)).first()
        before = row.model_dump() if row is not None else None
        if row is None:
            row = TypingTest(staff_id=staff_id, month=when, chars_per_minute=speed, recorded_by_id=actor.staff_id)
        row.chars_per_minute, row.recorded_by_id, row.recorded_at = speed, actor.staff_id, desk.now()
        session.add(row)
        session.flush()
        line = _line(desk, person, row)
        audit(
            session,
            actor,
            "typing_test.record",
            "typing_test",
            row.id,
            before=before,
            after=row.model_dump() | {"below_bar": line.below_bar},
        )
        return line
