"""What a person is told and marks read: a level an emergency escalation went past (TK-11, DS-1).

An emergency may skip a level of the reporting line, but the superior skipped
is informed afterwards: each one the escalation names (or the squad's leader,
or the directors of that rank) gets an item in their inbox, not only a line on
the ticket's timeline. The item stays until they mark it read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_
from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.models import Notification, NotificationKind, Staff, Ticket
from csdesk.rules.vocab import Role
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, PermissionDenied, audit
from csdesk.vocabulary import role_label

MAX_PAGE = 100


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: NotificationKind
    ticket_id: int | None
    subject: str
    sender_number: str | None
    role: Role | None
    created_at: datetime
    read_at: datetime | None
    text: str  # in the reader's language


def tell_skipped(
    session: Session, ticket: Ticket, actor: Actor, to_role: Role, staff_ids: Iterable[int], now: datetime
) -> list[Notification]:
    """TK-11: one inbox item for each superior the emergency escalation went past."""
    rows = [
        Notification(
            recipient_id=staff_id,
            kind=NotificationKind.ESCALATION_SKIPPED,
            ticket_id=ticket.id,
            sender_id=actor.staff_id,
            role=to_role,
            created_at=now,
        )
        for staff_id in dict.fromkeys(staff_ids)
    ]
    session.add_all(rows)
    return rows


def unread_condition(actor: Actor):
    """The actor's notifications not read yet (on the recipient/read/created index)."""
    return and_(Notification.recipient_id == actor.staff_id, col(Notification.read_at).is_(None))


def _text(kind: NotificationKind, ticket_id: int | None, sender: str | None, role: Role | None) -> str:
    if kind is NotificationKind.ESCALATION_SKIPPED:
        return _(
            "#{ticket} went straight to the {role} in an emergency, past your level; escalated by No. {sender}"
        ).format(ticket=ticket_id, role=role_label(role) if role else "", sender=sender or "?")
    if kind is NotificationKind.ROSTER_CHANGED:
        return _("your published roster changed; No. {sender} published new days, see the roster").format(
            sender=sender or "?"
        )
    if kind is NotificationKind.SWAP_CHARGED:
        return _(
            "No. {sender} charged you a share of the absenteeism for a shift your swap left empty (SW-5); "
            "see the shift swaps"
        ).format(sender=sender or "?")
    return str(kind)


def _views(session: Session, rows: list[tuple[Notification, str | None, str | None]]) -> tuple[NotificationView, ...]:
    views = []
    for row, subject, sender in rows:
        assert row.id is not None
        kind = NotificationKind(row.kind)
        role = Role(row.role) if row.role else None
        views.append(
            NotificationView(
                row.id,
                kind,
                row.ticket_id,
                subject or "",
                sender,
                role,
                row.created_at,
                row.read_at,
                _text(kind, row.ticket_id, sender, role),
            )
        )
    return tuple(views)


def _statement():
    return (
        select(Notification, Ticket.subject, Staff.employee_number)
        .outerjoin(Ticket, col(Ticket.id) == Notification.ticket_id)
        .outerjoin(Staff, col(Staff.id) == Notification.sender_id)
    )


def my_notifications(
    desk: Desk, actor: Actor, unread_only: bool = True, offset: int = 0, limit: int = 20
) -> tuple[NotificationView, ...]:
    """The actor's notifications, newest first; only the unread ones unless asked."""
    if offset < 0:
        raise InvalidInput(_("the page offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {limit} rows").format(limit=MAX_PAGE), field="limit")
    statement = _statement()
    if unread_only:
        statement = statement.where(unread_condition(actor))
    else:
        statement = statement.where(Notification.recipient_id == actor.staff_id)
    statement = statement.order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
    with desk.read() as session:
        return _views(session, list(session.exec(statement.offset(offset).limit(limit)).all()))


def mark_notification_read(desk: Desk, actor: Actor, notification_id: int) -> NotificationView:
    """The person has taken it in; marking it again changes nothing. Only its recipient may."""
    with desk.write() as session:
        row = session.get(Notification, notification_id)
        if row is None:
            raise NotFound(_("there is no notification #{id}").format(id=notification_id))
        if row.recipient_id != actor.staff_id:
            raise PermissionDenied(_("only the person told may mark this read"))
        if row.read_at is None:
            row.read_at = desk.now()
            session.add(row)
            session.flush()
            audit(session, actor, "notification.read", "notification", row.id, after={"read_at": row.read_at})
        found = session.exec(_statement().where(Notification.id == row.id)).one()
        return _views(session, [tuple(found)])[0]
