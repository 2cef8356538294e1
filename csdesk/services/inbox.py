"""What is waiting for me: one inbox of everything someone else left for the signed-in person.

Each kind is what the person is expected to act on, with the service that
acts on it:

* ``escalations``: open cases escalated to my level (TK-11) - open the ticket;
* ``skipped``: emergencies that went past my level, to be told (TK-11) -
  ``notifications.mark_notification_read``;
* ``leave`` and ``swaps``: requests whose next step is mine (LV-3, SW-1) -
  ``leave.decide_leave``, ``swaps.decide_swap``;
* ``handover``: handovers naming me as successor, not acknowledged (HO-3) -
  ``handover.acknowledge_handover``;
* ``notices``: current notices I have not read (HO-2) - ``notices.acknowledge_notice``;
* ``sla``: my own open cases due soon or overdue (TK-4..TK-8) - open the ticket;
* ``summaries``: interns' work summaries waiting for a director (ST-4) -
  ``interns.decide_summary``.

``inbox_counts`` answers every count in ONE statement (a scalar subquery per
kind, each on its own index), cheap enough to run on every change the desk
hears of; ``inbox_page`` lists one kind, a page at a time, as plain lines.
A kind the person's role never receives is not offered at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import col, select

from csdesk.i18n import _
from csdesk.models import InternSummary, Notification, Staff, Ticket
from csdesk.rules.staff import Action
from csdesk.rules.tickets import TimerStatus
from csdesk.rules.vocab import StaffStatus
from csdesk.services import handover, leave, notices, notifications, swaps
from csdesk.services.base import Actor, Desk, InvalidInput
from csdesk.services.permissions import can
from csdesk.services.queues import (
    OPEN_STATUSES,
    Queue,
    QueueRow,
    check_page,
    escalated_to,
    escalation_level_of,
    queue_page,
    ticket_rows,
)
from csdesk.vocabulary import leave_label, shift_label


class InboxKind(StrEnum):
    ESCALATIONS = "escalations"
    SKIPPED = "skipped"
    LEAVE = "leave"
    SWAPS = "swaps"
    HANDOVER = "handover"
    NOTICES = "notices"
    SLA = "sla"
    SUMMARIES = "summaries"


@dataclass(frozen=True)
class InboxCounts:
    """How many of each kind wait; only the kinds offered to this person are in ``counts``."""

    counts: Mapping[InboxKind, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, kind: InboxKind) -> int:
        return self.counts.get(InboxKind(kind), 0)


@dataclass(frozen=True)
class InboxLine:
    """One thing waiting, as a home list shows it; ``ref_id`` is what its own service takes."""

    kind: InboxKind
    ref_id: int  # ticket, notification, leave request, swap, handover, notice or summary id
    ticket_id: int | None
    title: str
    detail: str
    at: datetime  # when it arrived
    due_at: datetime | None
    urgent: bool  # overdue, or a request whose day has come


def offered(actor: Actor) -> tuple[InboxKind, ...]:
    """The kinds this person's role can receive, in the order home lists them."""
    kinds = []
    if escalation_level_of(actor.role) is not None:
        kinds.append(InboxKind.ESCALATIONS)
    kinds.append(InboxKind.SKIPPED)
    if can(actor.role, Action.APPROVE_LEAVE).ok:
        kinds.append(InboxKind.LEAVE)
    if can(actor.role, Action.APPROVE_SWAP).ok:
        kinds.append(InboxKind.SWAPS)
    kinds += [InboxKind.HANDOVER, InboxKind.NOTICES, InboxKind.SLA]
    if can(actor.role, Action.CONVERT_INTERN).ok:
        kinds.append(InboxKind.SUMMARIES)
    return tuple(kinds)


def _near_sla(actor: Actor, now: datetime):
    """My open cases whose most urgent running timer is due soon or overdue (on owner/status)."""
    return (
        Ticket.owner_id == actor.staff_id,
        col(Ticket.status).in_(OPEN_STATUSES),
        col(Ticket.sla_warn_at).is_not(None),
        col(Ticket.sla_warn_at) <= now,
    )


def _summaries_waiting():
    return (
        select(InternSummary, Staff)
        .join(Staff, col(Staff.id) == InternSummary.intern_id)
        .where(col(InternSummary.approved).is_(None), Staff.status == StaffStatus.INTERN)
    )


def _counted(statement):
    return select(func.count()).select_from(statement.subquery()).scalar_subquery()


def _count_statements(actor: Actor, now: datetime) -> dict[InboxKind, object]:
    every = {
        InboxKind.ESCALATIONS: lambda: (
            select(func.count()).select_from(Ticket).where(escalated_to(actor)).scalar_subquery()
        ),
        InboxKind.SKIPPED: lambda: (
            select(func.count())
            .select_from(Notification)
            .where(notifications.unread_condition(actor))
            .scalar_subquery()
        ),
        InboxKind.LEAVE: lambda: _counted(leave.pending_statement(actor)),
        InboxKind.SWAPS: lambda: _counted(swaps.pending_statement(actor)),
        InboxKind.HANDOVER: lambda: _counted(handover.awaiting_statement(actor)),
        InboxKind.NOTICES: lambda: _counted(notices.unread_statement(actor, now)),
        InboxKind.SLA: lambda: select(func.count()).select_from(Ticket).where(*_near_sla(actor, now)).scalar_subquery(),
        InboxKind.SUMMARIES: lambda: _counted(_summaries_waiting()),
    }
    return {kind: every[kind]() for kind in offered(actor)}


def inbox_counts(desk: Desk, actor: Actor) -> InboxCounts:
    """How many of each kind wait for the actor, in one statement."""
    statements = _count_statements(actor, desk.now())
    with desk.read() as session:
        row = session.execute(select(*statements.values())).one()
    return InboxCounts({kind: int(value or 0) for kind, value in zip(statements, row, strict=True)})


# -- the lines of one kind -------------------------------------------------------------------


def _ticket_line(kind: InboxKind, row: QueueRow) -> InboxLine:
    return InboxLine(
        kind,
        row.ticket_id,
        row.ticket_id,
        _("#{id} {subject}").format(id=row.ticket_id, subject=row.subject),
        row.sla_reason,
        row.received_at,
        row.due_at,
        row.sla_state is TimerStatus.BREACHED,
    )


def _escalations(desk: Desk, actor: Actor, offset: int, limit: int) -> list[InboxLine]:
    return [_ticket_line(InboxKind.ESCALATIONS, row) for row in queue_page(desk, actor, Queue.ESCALATED, offset, limit)]


def _sla(desk: Desk, actor: Actor, offset: int, limit: int) -> list[InboxLine]:
    now = desk.now()
    statement = (
        select(Ticket, Staff.employee_number)
        .outerjoin(Staff, col(Staff.id) == Ticket.owner_id)
        .where(*_near_sla(actor, now))
        .order_by(col(Ticket.sla_due), col(Ticket.id))
    )
    with desk.read() as session:
        rows = ticket_rows(session.exec(statement.offset(offset).limit(limit)).all(), actor, now, desk.policy)
    return [_ticket_line(InboxKind.SLA, row) for row in rows]


def _skipped(desk: Desk, actor: Actor, offset: int, limit: int) -> list[InboxLine]:
    return [
        InboxLine(InboxKind.SKIPPED, n.id, n.ticket_id, n.text, n.subject, n.created_at, None, True)
        for n in notifications.my_notifications(desk, actor, True, offset, limit)
    ]


def _leave(desk: Desk, actor: Actor, offset: int, limit: int) -> list[InboxLine]:
    now, zone = desk.now(), desk.policy.zone
    return [
        InboxLine(
            InboxKind.LEAVE,
            r.id,
            None,
            _("{who}: {kind}").format(who=r.staff_label, kind=leave_label(r.leave_type)),
            _("from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}").format(
                start=r.starts_at.astimezone(zone), end=r.ends_at.astimezone(zone)
            ),
            r.filed_at,
            r.starts_at,
            r.starts_at <= now,
        )
        for r in leave.pending_for(desk, actor, offset, limit)
    ]


def _swaps(desk: Desk, actor: Actor, offset: int, limit: int) -> list[InboxLine]:
    now, zone = desk.now(), desk.policy.zone
    lines = []
    for s in swaps.pending_swaps_for(desk, actor, offset, limit):
        first = min(s.give.start, s.take.start)
        lines.append(
            InboxLine(
                InboxKind.SWAPS,
                s.id,
                None,
                _("{who} swaps with {partner}").format(who=s.requester_label, partner=s.partner_label),
                _("{give:%Y-%m-%d} {give_shift} for {take:%Y-%m-%d} {take_shift}").format(
                    give=s.give.start.astimezone(zone),
                    give_shift=shift_label(s.give.kind),
                    take=s.take.start.astimezone(zone),
                    take_shift=shift_label(s.take.kind),
                ),
                s.filed_at,
                first,
                first <= now,
            )
        )
    return lines


def _handovers(desk: Desk, actor: Actor, offset: int, limit: int) -> list[InboxLine]:
    # Urgent: the outgoing side may not leave until the successor acknowledges (AT-9, HO-3).
    return [
        InboxLine(
            InboxKind.HANDOVER,
            h.id,
            None,
            _("handover from {outgoing}").format(outgoing=h.outgoing),
            _("{shift} of {day:%Y-%m-%d}: acknowledge it to take over").format(
                shift=shift_label(h.from_shift), day=h.work_date
            ),
            h.written_at,
            None,
            True,
        )
        for h in handover.awaiting_my_acknowledgement(desk, actor, offset, limit)
    ]


def _notices(desk: Desk, actor: Actor, offset: int, limit: int) -> list[InboxLine]:
    # Unread notices are few (the current ones); the page is cut here.
    unread = notices.unread_notices(desk, actor, min(offset + limit, notices.MAX_NOTICES))[offset:]
    return [
        InboxLine(InboxKind.NOTICES, n.id, None, n.title, n.author_name, n.published_at, n.expires_at, False)
        for n in unread
    ]


def _summaries(desk: Desk, actor: Actor, offset: int, limit: int) -> list[InboxLine]:
    statement = _summaries_waiting().order_by(col(InternSummary.written_at), col(InternSummary.id))
    with desk.read() as session:
        rows = session.exec(statement.offset(offset).limit(limit)).all()
    return [
        InboxLine(
            InboxKind.SUMMARIES,
            summary.id,
            None,
            _("work summary of No. {number} {name}").format(number=intern.employee_number, name=intern.real_name),
            summary.text[:80],
            summary.written_at,
            None,
            False,
        )
        for summary, intern in rows
    ]


_PAGES = {
    InboxKind.ESCALATIONS: _escalations,
    InboxKind.SKIPPED: _skipped,
    InboxKind.LEAVE: _leave,
    InboxKind.SWAPS: _swaps,
    InboxKind.HANDOVER: _handovers,
    InboxKind.NOTICES: _notices,
    InboxKind.SLA: _sla,
    InboxKind.SUMMARIES: _summaries,
}


def inbox_page(
    desk: Desk, actor: Actor, kind: InboxKind | str, offset: int = 0, limit: int = 20
) -> tuple[InboxLine, ...]:
    """One kind's lines, a page at a time: the most pressing first (escalations and cases by
    due time, requests by the day they concern, the rest oldest first, notices newest)."""
    try:
        which = InboxKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in InboxKind)
        raise InvalidInput(_("{kind!r} is not one of: {names}").format(kind=kind, names=names), field="kind") from None
    check_page(offset, limit)
    if which not in offered(actor):
        return ()
    return tuple(_PAGES[which](desk, actor, offset, limit))


__all__ = ["InboxCounts", "InboxKind", "InboxLine", "inbox_counts", "inbox_page", "offered"]
