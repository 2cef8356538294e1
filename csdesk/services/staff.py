"""The staff directory: who is who, with contact details for leaders only (ST-6).

Everyone may look colleagues up by name, number, role and squad; phone,
address and emergency contact are filled in only when
``csdesk.rules.privacy.may_see_colleague_contact`` allows it (the person
themself, or a leader), and are empty otherwise, with ``contact_hidden`` set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from csdesk.i18n import _
from csdesk.models import Squad, Staff
from csdesk.rules.identity import normalise_employee_number
from csdesk.rules.privacy import may_see_colleague_contact
from csdesk.rules.vocab import Grade, Role, StaffStatus
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, PermissionDenied

PAGE_SIZE = 50


@dataclass(frozen=True)
class StaffCard:
    staff_id: int
    employee_number: str
    name: str
    role: Role
    grade: Grade
    status: StaffStatus
    squad: str
    hire_date: date
    phone: str
    address: str
    emergency_contact: str
    contact_hidden: bool


_COLUMNS = (
    Staff.id,
    Staff.employee_number,
    Staff.real_name,
    Staff.role,
    Staff.grade,
    Staff.status,
    Squad.name,
    Staff.hire_date,
    Staff.phone,
    Staff.address,
    Staff.emergency_contact,
)


def _card(actor: Actor, row: tuple) -> StaffCard:
    staff_id, number, name, role, grade, status, squad, hired, phone, address, emergency = row
    visible = may_see_colleague_contact(actor.staff_id, actor.role, staff_id).ok
    return StaffCard(
        staff_id=staff_id,
        employee_number=number,
        name=name,
        role=Role(role),
        grade=Grade(grade),
        status=StaffStatus(status),
        squad=squad or "",
        hire_date=hired,
        phone=phone if visible else "",
        address=address if visible else "",
        emergency_contact=emergency if visible else "",
        contact_hidden=not visible,
    )


def directory(
    desk: Desk,
    actor: Actor,
    *,
    squad_id: int | None = None,
    include_left: bool = False,
    after_number: str | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[StaffCard, ...]:
    """One page of colleagues by employee number; pass the last number shown as
    ``after_number`` for the next page (keyset paging on the unique number index)."""
    if not 1 <= limit <= 500:
        raise InvalidInput(_("a page holds 1 to 500 people"), field="limit")
    query = select(*_COLUMNS).outerjoin(Squad, Squad.id == Staff.squad_id).order_by(Staff.employee_number).limit(limit)
    if squad_id is not None:
        query = query.where(Staff.squad_id == squad_id)
    if not include_left:
        query = query.where(Staff.status != StaffStatus.LEFT)
    if after_number is not None:
        query = query.where(Staff.employee_number > after_number)
    with desk.read() as session:
        return tuple(_card(actor, row) for row in session.execute(query).all())


def card(desk: Desk, actor: Actor, staff_id: int) -> StaffCard:
    """One colleague's card."""
    with desk.read() as session:
        row = session.execute(
            select(*_COLUMNS).outerjoin(Squad, Squad.id == Staff.squad_id).where(Staff.id == staff_id)
        ).first()
    if row is None:
        raise NotFound(_("no staff member with id {staff_id}").format(staff_id=staff_id))
    return _card(actor, tuple(row))


def acting_person(desk: Desk, number: str) -> Actor:
    """The staff member a command acts as (``--as``); someone who has left may not (ST-1).

    The command line trusts the account that can open the database, so no PIN is asked.
    """
    with desk.read() as session:
        staff = session.scalars(select(Staff).where(Staff.employee_number == normalise_employee_number(number))).first()
    if staff is None:
        raise NotFound(_("--as: no staff member with employee number {number}").format(number=number))
    if staff.status == StaffStatus.LEFT:
        raise PermissionDenied(_("--as: employee {number} has left").format(number=number), rule_ids=("ST-1",))
    return Actor.of(staff)
