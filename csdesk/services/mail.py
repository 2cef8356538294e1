"""Mail in: one message from the mail system becomes a ticket of the email queue,
or a new entry on the ticket it answers (TK-7, TK-15).

How a message finds its ticket, in order:

1. Its Message-ID was taken in before (the mail system delivered it twice):
   nothing changes.
2. It answers a message of a ticket's thread (In-Reply-To, References).
3. Its subject carries ``[#123]`` and it comes from that ticket's customer.

An answer to an open ticket is added to its timeline; a ticket waiting for the
customer goes back to being worked. An answer to a resolved or closed case
opens a new ticket that names the old one, so the finished case keeps its
figures and the new message gets its own same-shift promise (TK-7).

Mail written by a machine (auto-replies, bounces, list mail, the centre's own
address) never opens a ticket and is never answered: when it belongs to a
ticket's thread it is recorded on that ticket's timeline (a bounce tells the
agent the reply did not arrive); otherwise it is dropped.

Timeline entries and audit rows never carry the customer's address: the
address is the ticket's contact, masked for anyone but the owner and leaders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from csdesk.i18n import N_, _
from csdesk.mail.reading import IncomingMail, read_message, size_words
from csdesk.mail.threads import same_address, ticket_token
from csdesk.models import MailAttachment, MailDirection, MailMessage, Ticket, TicketEvent
from csdesk.rules.vocab import Category, Channel, TicketStatus
from csdesk.services.base import Desk, InvalidInput, audit
from csdesk.services.queues import OPEN_STATUSES
from csdesk.services.tickets import _save, _state

# The queue that takes mail: the email channel's shared queue.
MAIL_QUEUE = "email"


class UnknownQueue(InvalidInput):
    """The mail system was told to deliver into a queue that takes no mail."""

    def __init__(self, queue: str) -> None:
        super().__init__(
            _("there is no mail queue {queue!r}; mail goes to the {email} queue").format(queue=queue, email=MAIL_QUEUE),
            field="queue",
        )


class Outcome(StrEnum):
    NEW = "new"  # a new ticket
    ADDED = "added"  # added to the ticket it answers
    DUPLICATE = "duplicate"  # taken in before
    RECORDED = "recorded"  # machine-written, recorded on its ticket
    DROPPED = "dropped"  # machine-written, belongs to no ticket


@dataclass(frozen=True)
class Received:
    outcome: Outcome
    ticket_id: int | None
    # For machine-written mail: what gave it away ("Auto-Submitted: auto-replied").
    automatic: str | None = None


def receive(desk: Desk, raw: bytes, queue: str = MAIL_QUEUE, category: Category | str = Category.INQUIRY) -> Received:
    """Takes in one message (RFC 5322 bytes) in one transaction.

    Raises ``UnknownQueue``, ``MailTooLarge`` or ``UnreadableMail`` (permanent:
    the mail system returns the message to its sender), or a database error
    (temporary: the mail system keeps the message and delivers it again).
    Delivering the same message again changes nothing.
    """
    if queue != MAIL_QUEUE:
        raise UnknownQueue(queue)
    category = Category(category)
    mail = read_message(raw, desk.policy.mail.max_message_bytes)
    if (
        mail.automatic is None
        and desk.policy.mail.from_address
        and same_address(mail.sender, desk.policy.mail.from_address)
    ):
        mail = _as_automatic(mail, _("sent from the centre's own address"))
    try:
        return _receive(desk, mail, category)
    except IntegrityError:
        # Another delivery of the same message committed first: this one finds it taken in.
        return _receive(desk, mail, category)


def _as_automatic(mail: IncomingMail, why: str) -> IncomingMail:
    from dataclasses import replace

    return replace(mail, automatic=why)


def _receive(desk: Desk, mail: IncomingMail, category: Category) -> Received:
    now = desk.now()
    with desk.write() as session:
        known = session.exec(select(MailMessage).where(MailMessage.message_id == mail.message_id)).first()
        if known is not None:
            return Received(Outcome.DUPLICATE, known.ticket_id, mail.automatic)
        ticket = _thread_of(session, mail)
        if mail.automatic is not None:
            if ticket is None:
                return Received(Outcome.DROPPED, None, mail.automatic)
            _record(session, ticket, mail, now, "mail_auto", _automatic_words(mail))
            return Received(Outcome.RECORDED, ticket.id, mail.automatic)
        if ticket is not None and ticket.status in OPEN_STATUSES:
            _add_to(session, desk, ticket, mail, now)
            return Received(Outcome.ADDED, ticket.id)
        new = _open_ticket(session, desk, mail, category, now, follows=ticket)
        return Received(Outcome.NEW, new.id)


def _thread_of(session: Session, mail: IncomingMail) -> Ticket | None:
    """The ticket the message belongs to, by the IDs it answers, else by its subject's token."""
    ids = list(mail.answers) + list(mail.returned)
    if ids:
        rows = session.exec(
            select(MailMessage.message_id, MailMessage.ticket_id).where(col(MailMessage.message_id).in_(ids))
        ).all()
        by_id = dict(rows)
        for wanted in ids:  # the most direct answer first
            if wanted in by_id:
                return session.get(Ticket, by_id[wanted])
    number = ticket_token(mail.subject)
    if number is not None:
        ticket = session.get(Ticket, number)
        if (
            ticket is not None
            and ticket.channel is Channel.EMAIL
            and same_address(mail.sender, ticket.customer_contact)
        ):
            return ticket
    return None


def _attachment_words(mail: IncomingMail, limit: int) -> str:
    if not mail.attachments:
        return ""
    items = []
    for item in mail.attachments:
        if item.size > limit:
            items.append(
                _("{name} ({size}, not kept: larger than {limit})").format(
                    name=item.filename, size=size_words(item.size), limit=size_words(limit)
                )
            )
        else:
            items.append(_("{name} ({size})").format(name=item.filename, size=size_words(item.size)))
    return _("Attachments: {items}").format(items="; ".join(items))


def _words(desk: Desk, mail: IncomingMail, lead: str = "") -> str:
    """The timeline entry of a customer's message: subject, text, attachments."""
    parts = [
        lead,
        mail.subject or _("(no subject)"),
        mail.text,
        _attachment_words(mail, desk.policy.mail.max_attachment_bytes),
    ]
    return "\n\n".join(part for part in parts if part)


def _automatic_words(mail: IncomingMail) -> str:
    said = _("automatic mail ({why}), not answered: {subject}").format(
        why=mail.automatic, subject=mail.subject or _("(no subject)")
    )
    if mail.returned_reason:
        said += "\n" + _("the customer's mail server said: {reason}").format(reason=mail.returned_reason)
    return said


def _record(
    session: Session, ticket: Ticket, mail: IncomingMail, now: datetime, kind: str, text: str, keep_limit: int = 0
) -> MailMessage:
    assert ticket.id is not None
    event = TicketEvent(ticket_id=ticket.id, at=now, actor_id=None, kind=kind, text=text)
    session.add(event)
    session.flush()
    message = MailMessage(
        message_id=mail.message_id,
        ticket_id=ticket.id,
        direction=MailDirection.IN,
        at=now,
        automatic=mail.automatic is not None,
        event_id=event.id,
    )
    session.add(message)
    session.flush()
    for item in mail.attachments if mail.automatic is None else ():
        session.add(
            MailAttachment(
                mail_message_id=message.id,
                filename=item.filename,
                content_type=item.content_type[:127],
                size=item.size,
                content=item.content if item.size <= keep_limit else None,
            )
        )
    return message


def _add_to(session: Session, desk: Desk, ticket: Ticket, mail: IncomingMail, now: datetime) -> None:
    before = _state(ticket)
    if ticket.status is TicketStatus.WAITING_CUSTOMER:
        ticket.status = TicketStatus.CLAIMED if ticket.owner_id is not None else TicketStatus.NEW
    # A new version even when nothing else changed: a reply typed against the older
    # view is stopped until the agent has seen the customer's new message.
    flag_modified(ticket, "status")
    _save(session, ticket, desk)
    _record(session, ticket, mail, now, "mail_in", _words(desk, mail), desk.policy.mail.max_attachment_bytes)
    audit(session, None, "ticket.mail_in", "ticket", ticket.id, before=before, after=_state(ticket), at=now)


def _open_ticket(
    session: Session, desk: Desk, mail: IncomingMail, category: Category, now: datetime, follows: Ticket | None
) -> Ticket:
    subject = " ".join((mail.subject or _("(no subject)")).split())
    ticket = Ticket(
        channel=Channel.EMAIL,
        category=category,
        customer_name=mail.sender_name,
        customer_contact=mail.sender,
        subject=subject[:200],
        body="",
        status=TicketStatus.NEW,
        owner_id=None,
        received_at=now,
    )
    _save(session, ticket, desk)
    lead = ""
    if follows is not None:
        lead = _("Follow-up to ticket #{id}, which is {status}.").format(
            id=follows.id, status=_status_words(follows.status)
        )
    _record(session, ticket, mail, now, "mail_in", _words(desk, mail, lead), desk.policy.mail.max_attachment_bytes)
    audit(session, None, "ticket.mail_in", "ticket", ticket.id, after=_state(ticket), at=now)
    return ticket


_FINISHED = {TicketStatus.RESOLVED: N_("resolved"), TicketStatus.CLOSED: N_("closed")}


def _status_words(status: TicketStatus) -> str:
    return _(_FINISHED.get(status, status.value))
