"""Mail out: replies to email tickets leave through an outbox (TK-7, TK-14).

``queue_reply`` runs inside the reply's own transaction: the timeline entry and
the outbox row are saved together or not at all. ``send_due`` works through the
outbox, one row at a time:

1. Claim: one short transaction marks the row ``sending`` under a fresh token
   and records the attempt. Only one sender can claim a row; a claim older
   than ``[mail] sending_lease_minutes`` belongs to a sender that died and is
   taken over.
2. Send, outside any transaction, with the Message-ID fixed when the reply was
   queued: a resend after a crash is the same message, recognisable as such.
3. Finish: ``sent``, or back to ``queued`` for a later try (waiting twice as
   long each time), or ``failed`` after ``[mail] max_attempts``. Each outcome
   is a line on the ticket's timeline: queued, sent, or not sent with the reason.

The password guard (TK-14) reads each reply again just before it leaves, so no
text reaches a customer without passing it, however it got into the outbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.mail.compose import reply_message
from csdesk.mail.threads import new_message_id, references, reply_subject
from csdesk.models import MailDirection, MailMessage, OutboxMail, OutboxStatus, SendAttempt, Ticket, TicketEvent
from csdesk.policy import Mail
from csdesk.rules.password_guard import check_reply
from csdesk.services.base import Desk

# Deliver(message, envelope sender): hands the message to the relay or raises RelayFailed.
Deliver = Callable[[EmailMessage, str], None]
_WAITING = (OutboxStatus.QUEUED, OutboxStatus.SENDING)


def _looks_like_address(value: str) -> bool:
    local, at, domain = value.strip().rpartition("@")
    return bool(at and local and "." in domain and not any(ch.isspace() for ch in value.strip()))


def _line(session: Session, ticket_id: int, kind: str, text: str, at: datetime) -> TicketEvent:
    event = TicketEvent(ticket_id=ticket_id, at=at, actor_id=None, kind=kind, text=text)
    session.add(event)
    return event


# -- queueing, inside the reply's transaction -------------------------------------------


def queue_reply(
    session: Session, desk: Desk, ticket: Ticket, reply: TicketEvent, body: str, now: datetime
) -> OutboxMail | None:
    """Puts the reply of an email ticket in the outbox, threaded onto the customer's mail.

    Does nothing while the centre sends no mail ([mail] from_address and relay
    host unset): replies then stay on the desk as they always have.
    """
    settings = desk.policy.mail
    if not settings.sends:
        return None
    assert ticket.id is not None
    session.flush()  # the reply's timeline entry gets its id
    if not _looks_like_address(ticket.customer_contact):
        _line(
            session, ticket.id, "mail_failed", _("not sent by email: the ticket's contact is not an email address"), now
        )
        return None
    thread = session.exec(
        select(MailMessage.message_id, MailMessage.direction, MailMessage.automatic)
        .where(MailMessage.ticket_id == ticket.id)
        .order_by(col(MailMessage.at), col(MailMessage.id))
    ).all()
    people = [message_id for message_id, _direction, automatic in thread if not automatic]
    from_customer = [m for m, direction, automatic in thread if direction is MailDirection.IN and not automatic]
    message_id = new_message_id(ticket.id, settings.from_address)
    row = OutboxMail(
        ticket_id=ticket.id,
        event_id=reply.id,
        message_id=message_id,
        to_address=ticket.customer_contact.strip(),
        subject=reply_subject(ticket.subject, ticket.id),
        body=body,
        in_reply_to=from_customer[-1] if from_customer else "",
        references=" ".join(references(people)),
        created_at=now,
        status=OutboxStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
    )
    session.add(row)
    session.add(
        MailMessage(message_id=message_id, ticket_id=ticket.id, direction=MailDirection.OUT, at=now, event_id=reply.id)
    )
    _line(session, ticket.id, "mail_queued", _("queued to be sent by email"), now)
    return row


# -- sending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    outbox_id: int
    ticket_id: int
    token: str
    attempt_id: int
    attempt: int  # 1 for the first try
    message_id: str
    message: EmailMessage
    body: str


@dataclass
class SendReport:
    sent: list[int]
    retrying: list[tuple[int, str]]
    failed: list[tuple[int, str]]

    @property
    def attempted(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


def _message_of(row: OutboxMail, settings: Mail) -> EmailMessage:
    return reply_message(
        from_address=settings.from_address,
        from_name=settings.from_name,
        to_address=row.to_address,
        subject=row.subject,
        body=row.body,
        message_id=row.message_id,
        in_reply_to=row.in_reply_to,
        references=row.references.split(),
        written_at=row.created_at,
    )


def claim_next(desk: Desk) -> Claim | None:
    """Takes the next reply that is due (or whose sender died) for this sender alone."""
    settings = desk.policy.mail
    now = desk.now()
    abandoned = now - timedelta(minutes=settings.sending_lease_minutes)
    with desk.write() as session:
        row = session.exec(
            select(OutboxMail)
            .where(
                or_(
                    and_(col(OutboxMail.status) == OutboxStatus.QUEUED, col(OutboxMail.next_attempt_at) <= now),
                    and_(col(OutboxMail.status) == OutboxStatus.SENDING, col(OutboxMail.claimed_at) < abandoned),
                )
            )
            .order_by(col(OutboxMail.next_attempt_at), col(OutboxMail.id))
            .limit(1)
        ).first()
        if row is None:
            return None
        token = uuid.uuid4().hex
        taken = session.execute(
            update(OutboxMail)
            .where(
                col(OutboxMail.id) == row.id,
                col(OutboxMail.status) == row.status,
                col(OutboxMail.attempts) == row.attempts,
            )
            .values(status=OutboxStatus.SENDING, claimed_at=now, claim_token=token, attempts=row.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            return None  # another sender took it a moment ago; the next pass looks again
        if row.status is OutboxStatus.SENDING:
            # Its sender stopped half-way: whether the relay took it is unknown, so the
            # same message (same Message-ID) goes again.
            session.execute(
                update(SendAttempt)
                .where(col(SendAttempt.outbox_id) == row.id, col(SendAttempt.finished_at).is_(None))
                .values(
                    finished_at=now,
                    outcome="interrupted",
                    detail=_("the sender stopped before it finished; sent again"),
                )
                .execution_options(synchronize_session=False)
            )
        attempt = SendAttempt(outbox_id=row.id, started_at=now)
        session.add(attempt)
        session.flush()
        assert row.id is not None and attempt.id is not None
        return Claim(
            row.id,
            row.ticket_id,
            token,
            attempt.id,
            row.attempts + 1,
            row.message_id,
            _message_of(row, settings),
            row.body,
        )


def _finish(session: Session, claim: Claim, now: datetime, outcome: str, detail: str, **values: object) -> bool:
    done = session.execute(
        update(OutboxMail)
        .where(col(OutboxMail.id) == claim.outbox_id, col(OutboxMail.claim_token) == claim.token)
        .values(claimed_at=None, claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(SendAttempt)
        .where(col(SendAttempt.id) == claim.attempt_id)
        .values(finished_at=now, outcome=outcome, detail=detail)
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


def _retry_delay(settings: Mail, attempt: int) -> timedelta:
    seconds = settings.retry_first_seconds * 2 ** max(0, attempt - 1)
    return timedelta(seconds=min(seconds, settings.retry_max_seconds))


def mark_sent(desk: Desk, claim: Claim) -> None:
    now = desk.now()
    with desk.write() as session:
        if _finish(session, claim, now, "sent", "", status=OutboxStatus.SENT, sent_at=now, last_error=""):
            _line(session, claim.ticket_id, "mail_sent", _("sent by email to the customer"), now)


def mark_failed(desk: Desk, claim: Claim, reason: str, *, final: bool = False) -> bool:
    """Records a failed try; the reply waits for the next one unless this was the last.
    Returns True when the reply is given up on."""
    settings = desk.policy.mail
    now = desk.now()
    give_up = final or claim.attempt >= settings.max_attempts
    with desk.write() as session:
        if give_up:
            kept = _finish(session, claim, now, "failed", reason, status=OutboxStatus.FAILED, last_error=reason)
            said = (
                _("not sent after {n} attempts: {reason}; answer the customer another way").format(
                    n=claim.attempt, reason=reason
                )
                if not final
                else _("not sent: {reason}").format(reason=reason)
            )
        else:
            retry_at = now + _retry_delay(settings, claim.attempt)
            kept = _finish(
                session,
                claim,
                now,
                "failed",
                reason,
                status=OutboxStatus.QUEUED,
                next_attempt_at=retry_at,
                last_error=reason,
            )
            said = _("not sent yet: {reason}; next try at {at:%H:%M}").format(
                reason=reason, at=retry_at.astimezone(desk.policy.zone)
            )
        if kept:
            _line(session, claim.ticket_id, "mail_failed", said, now)
    return give_up


def through_relay(desk: Desk, environ: Mapping[str, str] | None = None) -> Deliver:
    """Delivery through the policy's relay, signed in with the password of the moment
    (read now: a rotated password file is picked up by the next pass)."""
    from csdesk.mail.relay import deliver, relay_password

    relay = desk.policy.mail.relay
    password = relay_password(relay, environ)
    return lambda message, envelope_from: deliver(message, relay, password, envelope_from)


def send_due(desk: Desk, deliver: Deliver, limit: int | None = None) -> SendReport:
    """Sends every reply that is due now (at most ``limit``), one at a time."""
    from csdesk.mail.relay import RelayFailed

    report = SendReport([], [], [])
    envelope_from = desk.policy.mail.from_address
    while limit is None or report.attempted < limit:
        claim = claim_next(desk)
        if claim is None:
            break
        guard = check_reply(claim.body)
        if not guard.ok:
            mark_failed(desk, claim, f"{', '.join(guard.rule_ids)}: {guard.reason}", final=True)
            report.failed.append((claim.ticket_id, guard.reason))
            continue
        try:
            deliver(claim.message, envelope_from)
        except Exception as exc:
            # Whatever went wrong, the reply waits for the next try rather than the sender dying on it.
            reason = (
                str(exc)
                if isinstance(exc, RelayFailed)
                else _("the reply could not be handed to the relay ({kind})").format(kind=type(exc).__name__)
            )
            if mark_failed(desk, claim, reason):
                report.failed.append((claim.ticket_id, reason))
            else:
                report.retrying.append((claim.ticket_id, reason))
            continue
        mark_sent(desk, claim)
        report.sent.append(claim.ticket_id)
    return report


# -- the outbox's health, for `csdesk check` ---------------------------------------------


@dataclass(frozen=True)
class OutboxState:
    waiting: int
    oldest: datetime | None
    failed: int


def outbox_state(desk: Desk) -> OutboxState:
    with desk.read() as session:
        waiting, oldest = session.exec(
            select(func.count(), func.min(OutboxMail.created_at)).where(col(OutboxMail.status).in_(_WAITING))
        ).one()
        failed = session.exec(
            select(func.count()).select_from(OutboxMail).where(OutboxMail.status == OutboxStatus.FAILED)
        ).one()
    if oldest is not None and oldest.tzinfo is None:  # SQLite hands aggregates back naive (UTC)
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    return OutboxState(int(waiting), oldest, int(failed))


def outbox_problems(desk: Desk) -> list[str]:
    """The outbox not draining: a reply waiting longer than ``[mail] outbox_alarm_minutes``."""
    state = outbox_state(desk)
    if state.oldest is None:
        return []
    waited = desk.now() - state.oldest
    if waited <= timedelta(minutes=desk.policy.mail.outbox_alarm_minutes):
        return []
    return [
        _(
            "the mail outbox is not draining: {n} replies waiting, the oldest for {minutes} min "
            "(is `csdesk mail send` running? is the relay up?)"
        ).format(n=state.waiting, minutes=int(waited.total_seconds() // 60))
    ]


def mail_problems(desk: Desk, environ: Mapping[str, str] | None = None) -> list[str]:
    """For `csdesk check`: an outbox not draining, and (when the centre sends mail) a relay
    that can't be reached or signed in to."""
    from csdesk.mail.relay import RelayFailed, probe, relay_password

    problems = outbox_problems(desk)
    settings = desk.policy.mail
    if settings.sends:
        try:
            why = probe(settings.relay, relay_password(settings.relay, environ))
        except RelayFailed as exc:
            why = str(exc)
        if why:
            problems.append(_("replies cannot be sent by email: {why}").format(why=why))
    return problems
