"""Where a case's clocks stand, and the stretches its resolution clock was stopped (TK-4..TK-8).

A case waiting for the customer, or for another department it was handed to,
stops its resolution clock (TK-5). Each wait is a ``ClockPause`` row; when it
ends, the due time moves by the clock's own time the wait took (working time,
where the policy counts it so) and the ticket keeps the sum, so every queue
can judge its timers from the ticket row alone. ``ClockView`` is what a
screen shows: running, paused or overdue, since when, for how long, and by how
much the due time moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.models import ClockPause, Staff, Ticket, WaitingFor
from csdesk.policy import Policy
from csdesk.rules.shifts import elapsed
from csdesk.rules.tickets import TimerStatus, pause_credit
from csdesk.rules.vocab import TicketStatus
from csdesk.services.queues import TimerView, resolution_clock, ticket_timer_views

# The timeline kinds of a wait's start and end.
PAUSE = "pause"
RESUME = "resume"
# The status a case has while it waits, by whom it waits for.
WAITING_STATUS = {WaitingFor.CUSTOMER: TicketStatus.WAITING_CUSTOMER, WaitingFor.DEPARTMENT: TicketStatus.DISPATCHED}
MAX_PAUSES = 100


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    OVERDUE = "overdue"
    STOPPED = "stopped"  # nothing runs: every promise kept, or the case is solved


@dataclass(frozen=True)
class PauseView:
    waiting_for: WaitingFor
    note: str
    started_at: datetime
    started_by: str | None  # employee number
    ended_at: datetime | None
    ended_by: str | None
    length: timedelta  # up to now while it lasts
    # How far it moved the resolution clock's due time (set when it ends).
    moved_due_by: timedelta


@dataclass(frozen=True)
class ClockView:
    state: ClockState
    # A running timer is past due, or the stopped clock was already past due when the wait began.
    overdue: bool
    # The most urgent running timer's due time; while paused, the resolution clock's.
    due_at: datetime | None
    waiting_for: WaitingFor | None
    paused_since: datetime | None
    # How long the case has waited in all, the wait going on included.
    paused_total: timedelta
    # How far the waits over moved the resolution clock's due time (TK-5).
    due_moved_by: timedelta
    timers: tuple[TimerView, ...]  # every timer, the paused one included
    pauses: tuple[PauseView, ...]  # oldest first
    reason: str

    @property
    def paused_minutes(self) -> int:
        return int(self.paused_total.total_seconds() // 60)


def _state(timers: tuple[TimerView, ...], paused: bool) -> ClockState:
    if paused:
        return ClockState.PAUSED
    running = [t for t in timers if t.stopped_at is None]
    if any(t.status is TimerStatus.BREACHED for t in running):
        return ClockState.OVERDUE
    return ClockState.RUNNING if running else ClockState.STOPPED


def _reason(state: ClockState, ticket: Ticket, timers: tuple[TimerView, ...], policy: Policy) -> str:
    if state is ClockState.PAUSED:
        assert ticket.paused_since is not None
        since = ticket.paused_since.astimezone(policy.zone)
        if ticket.paused_for is WaitingFor.DEPARTMENT:
            return _(
                "waiting for another department since {since:%Y-%m-%d %H:%M}; the resolution clock is stopped"
            ).format(since=since)
        return _("waiting for the customer since {since:%Y-%m-%d %H:%M}; the resolution clock is stopped").format(
            since=since
        )
    running = sorted((t for t in timers if t.stopped_at is None), key=lambda t: t.due_at)
    if not running:
        return _("no clock runs")
    return running[0].reason


def clock_view(session: Session, ticket: Ticket, now: datetime, policy: Policy) -> ClockView:
    """The case's clocks and waits at ``now`` (one query for the waits)."""
    assert ticket.id is not None
    rows = session.exec(
        select(ClockPause)
        .where(ClockPause.ticket_id == ticket.id)
        .order_by(col(ClockPause.started_at), col(ClockPause.id))
        .limit(MAX_PAUSES)
    ).all()
    numbers = (
        dict(
            session.exec(
                select(Staff.id, Staff.employee_number).where(
                    col(Staff.id).in_({r.started_by_id for r in rows} | {r.ended_by_id for r in rows if r.ended_by_id})
                )
            ).all()
        )
        if rows
        else {}
    )
    pauses = tuple(
        PauseView(
            WaitingFor(r.waiting_for),
            r.note,
            r.started_at,
            numbers.get(r.started_by_id),
            r.ended_at,
            numbers.get(r.ended_by_id) if r.ended_by_id else None,
            elapsed(r.started_at, r.ended_at or now),
            timedelta(seconds=r.credit_seconds),
        )
        for r in rows
    )
    timers = ticket_timer_views(ticket, now, policy, include_paused=True)
    paused = ticket.paused_since is not None
    state = _state(timers, paused)
    running = [t.due_at for t in timers if t.stopped_at is None and t.status is not TimerStatus.PAUSED]
    frozen = [t.due_at for t in timers if t.status is TimerStatus.PAUSED]
    return ClockView(
        state=state,
        overdue=any(t.remaining < timedelta(0) for t in timers if t.stopped_at is None),
        due_at=min(running) if running else (min(frozen) if frozen else None),
        waiting_for=ticket.paused_for if paused else None,
        paused_since=ticket.paused_since,
        paused_total=sum((p.length for p in pauses), timedelta(0)),
        due_moved_by=timedelta(seconds=ticket.paused_seconds or 0),
        timers=timers,
        pauses=pauses,
        reason=_reason(state, ticket, timers, policy),
    )


# -- the bookkeeping every ticket change goes through --------------------------------------


def start_pause(
    session: Session, ticket: Ticket, staff_id: int, waiting_for: WaitingFor, note: str, now: datetime
) -> ClockPause:
    assert ticket.id is not None and ticket.paused_since is None
    ticket.paused_since = now
    ticket.paused_for = waiting_for
    row = ClockPause(ticket_id=ticket.id, waiting_for=waiting_for, note=note, started_at=now, started_by_id=staff_id)
    session.add(row)
    return row


def end_pause(session: Session, ticket: Ticket, staff_id: int | None, now: datetime, policy: Policy) -> timedelta:
    """Ends the wait going on; returns how far it moved the resolution clock's due time."""
    assert ticket.paused_since is not None
    clock = resolution_clock(ticket, policy)
    credit = pause_credit(clock, ticket.paused_since, now, policy)
    seconds = int(credit.total_seconds())
    row = session.exec(
        select(ClockPause)
        .where(ClockPause.ticket_id == ticket.id, col(ClockPause.ended_at).is_(None))
        .order_by(col(ClockPause.started_at).desc())
        .limit(1)
    ).first()
    if row is not None:
        row.ended_at, row.ended_by_id, row.credit_seconds = now, staff_id, seconds
        session.add(row)
    ticket.paused_seconds = (ticket.paused_seconds or 0) + seconds
    ticket.paused_since = None
    ticket.paused_for = None
    return timedelta(seconds=seconds)


def settle_pause(session: Session, ticket: Ticket, now: datetime, policy: Policy) -> bool:
    """A case that no longer waits (escalated, dispatched to the back office, resolved)
    runs again; returns whether a wait ended here."""
    if ticket.paused_since is None or ticket.paused_for is None:
        return False
    if ticket.status is WAITING_STATUS[WaitingFor(ticket.paused_for)]:
        return False
    end_pause(session, ticket, None, now, policy)
    return True
