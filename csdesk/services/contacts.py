"""The department's emergency contact sheet (ST-5), for leaders only (ST-6).

Everyone still on staff, by squad and employee number, with phone, address and
emergency contact; a formal staff member missing a phone or an address is
flagged so a leader can chase it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from csdesk.models import Squad, Staff
from csdesk.rules.decision import Decision
from csdesk.rules.staff import Action, check_emergency_contact
from csdesk.rules.vocab import Role, StaffStatus
from csdesk.services.base import Actor, Desk, require

# Larger than any department; the sheet is read whole.
MAX_PEOPLE = 2000


@dataclass(frozen=True)
class ContactLine:
    staff_id: int
    employee_number: str
    name: str
    role: Role
    squad: str
    status: StaffStatus
    phone: str
    address: str
    emergency_contact: str
    check: Decision  # ST-5: complete, or what is missing


def contact_sheet(desk: Desk, actor: Actor) -> tuple[ContactLine, ...]:
    """ST-5: the contact plan; colleagues' details are for leaders only (ST-6)."""
    require(actor, Action.SEE_COLLEAGUE_CONTACT)
    with desk.read() as session:
        rows = session.execute(
            select(Staff, Squad.name)
            .outerjoin(Squad, col(Squad.id) == Staff.squad_id)
            .where(Staff.status != StaffStatus.LEFT)
            .order_by(col(Staff.employee_number))
            .limit(MAX_PEOPLE)
        ).all()
    lines = [
        ContactLine(
            int(p.id or 0),
            p.employee_number,
            p.real_name,
            Role(p.role),
            squad or "",
            StaffStatus(p.status),
            p.phone,
            p.address,
            p.emergency_contact,
            check_emergency_contact(p.phone, p.address, StaffStatus(p.status)),
        )
        for p, squad in rows
    ]
    # Management (no squad) first, then squad by squad.
    return tuple(sorted(lines, key=lambda line: (line.squad != "", line.squad, line.employee_number)))
