"""Canned replies: the centre's agreed wording (口径) per category and language (TK-14).

Squad leaders and directors keep the wording (create, edit, retire); every
agent lists what is current for a case's category in their language, fills
its blanks and sends it as a reply, through the password guard like any other
(TK-14). A retired reply stays on record but is no longer offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from csdesk.i18n import LANGUAGES, N_, _
from csdesk.models import CannedReply, Staff, Ticket
from csdesk.rules.canned import blanks, check_wording, fill_blanks
from csdesk.rules.password_guard import check_reply
from csdesk.rules.vocab import Category
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, ServiceError, StaleEdit, audit, require
from csdesk.services.permissions import DeskAction
from csdesk.services.tickets import TicketView, _check_handler, _enum, _load, _text, reply

MAX_TITLE = 80
MAX_BODY = 2000
MAX_PAGE = 100


@dataclass(frozen=True)
class CannedReplyView:
    id: int
    category: Category
    language: str
    title: str
    body: str
    blanks: tuple[str, ...]  # in order, each once
    created_by: str | None  # employee number
    created_at: datetime
    updated_at: datetime | None
    retired_at: datetime | None
    version: int


def _view(row: CannedReply, author: str | None) -> CannedReplyView:
    assert row.id is not None
    return CannedReplyView(
        row.id,
        Category(row.category),
        row.language,
        row.title,
        row.body,
        blanks(row.body),
        author,
        row.created_at,
        row.updated_at,
        row.retired_at,
        row.version,
    )


def _language(value: str) -> str:
    if value not in LANGUAGES:
        names = ", ".join(LANGUAGES)
        raise InvalidInput(
            _("{value!r} is not one of the desk's languages: {names}").format(value=value, names=names),
            field="language",
        )
    return value


def _wording(title: str, body: str) -> tuple[str, str]:
    heading = _text(title, "title", N_("a title"), MAX_TITLE)
    text = _text(body, "body", N_("the wording"), MAX_BODY)
    decision = check_wording(text)
    if not decision.ok:
        raise InvalidInput(decision.reason, field="body", rule_ids=decision.rule_ids)
    return heading, text


def _author(session: Session, staff_id: int) -> str | None:
    person = session.get(Staff, staff_id)
    return person.employee_number if person else None


def _row(session: Session, reply_id: int) -> CannedReply:
    row = session.get(CannedReply, reply_id, populate_existing=True)
    if row is None:
        raise NotFound(_("there is no canned reply #{id}").format(id=reply_id))
    return row


def create_canned_reply(
    desk: Desk, actor: Actor, category: Category | str, language: str, title: str, body: str
) -> CannedReplyView:
    """A leader adds agreed wording for one category in one language."""
    require(actor, DeskAction.KEEP_CANNED_REPLIES)
    kind = _enum(Category, category, "category")
    lang = _language(language)
    heading, text = _wording(title, body)
    with desk.write() as session:
        row = CannedReply(
            category=kind, language=lang, title=heading, body=text, created_by_id=actor.staff_id, created_at=desk.now()
        )
        session.add(row)
        session.flush()
        audit(session, actor, "canned_reply.create", "canned_reply", row.id, after=row)
        return _view(row, actor.employee_number)


def edit_canned_reply(
    desk: Desk,
    actor: Actor,
    reply_id: int,
    expected_version: int,
    title: str,
    body: str,
    category: Category | str | None = None,
    language: str | None = None,
) -> CannedReplyView:
    """A leader rewords a reply (or moves it to another category or language)."""
    require(actor, DeskAction.KEEP_CANNED_REPLIES)
    heading, text = _wording(title, body)
    kind = _enum(Category, category, "category") if category is not None else None
    lang = _language(language) if language is not None else None
    with desk.write() as session:
        row = _row(session, reply_id)
        if row.version != expected_version:
            raise StaleEdit(_("this reply was changed since you opened it; reload it, then edit again"))
        if row.retired_at is not None:
            raise ServiceError(_("this reply is retired; write a new one instead"))
        before = row.model_copy()
        row.title, row.body = heading, text
        if kind is not None:
            row.category = kind
        if lang is not None:
            row.language = lang
        row.updated_by_id, row.updated_at = actor.staff_id, desk.now()
        session.add(row)
        session.flush()
        audit(session, actor, "canned_reply.edit", "canned_reply", row.id, before=before, after=row)
        return _view(row, _author(session, row.created_by_id))


def retire_canned_reply(desk: Desk, actor: Actor, reply_id: int) -> CannedReplyView:
    """A leader takes a reply out of use; it stays on record. Retiring again changes nothing."""
    require(actor, DeskAction.KEEP_CANNED_REPLIES)
    with desk.write() as session:
        row = _row(session, reply_id)
        if row.retired_at is None:
            before = row.model_copy()
            row.retired_by_id, row.retired_at = actor.staff_id, desk.now()
            session.add(row)
            session.flush()
            audit(session, actor, "canned_reply.retire", "canned_reply", row.id, before=before, after=row)
        return _view(row, _author(session, row.created_by_id))


def canned_replies(
    desk: Desk,
    actor: Actor,
    category: Category | str | None = None,
    language: str | None = None,
    include_retired: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> tuple[CannedReplyView, ...]:
    """The agreed replies, by category then title; only current ones unless asked (leaders
    keeping them may want the retired ones too). Anyone may list them."""
    if offset < 0:
        raise InvalidInput(_("the page offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {limit} rows").format(limit=MAX_PAGE), field="limit")
    statement = (
        select(CannedReply, Staff.employee_number)
        .outerjoin(Staff, col(Staff.id) == CannedReply.created_by_id)
        .order_by(col(CannedReply.category), col(CannedReply.title), col(CannedReply.id))
    )
    if language is not None:
        statement = statement.where(CannedReply.language == _language(language))
    if category is not None:
        statement = statement.where(CannedReply.category == _enum(Category, category, "category"))
    if not include_retired:
        statement = statement.where(col(CannedReply.retired_at).is_(None))
    with desk.read() as session:
        return tuple(_view(row, number) for row, number in session.exec(statement.offset(offset).limit(limit)))


def _known_values(ticket: Ticket, actor: Actor) -> dict[str, str]:
    """The blanks the desk fills itself (KNOWN_BLANKS), from the case and the agent."""
    return {
        "customer": ticket.customer_name,
        "ticket": f"#{ticket.id}",
        "subject": ticket.subject,
        "agent": actor.employee_number,
        "agent_name": actor.name,
    }


def fill_canned_reply(
    desk: Desk, actor: Actor, reply_id: int, ticket_id: int, values: Mapping[str, str] | None = None
) -> str:
    """The reply's text for this case, its blanks filled: the desk's own ({customer},
    {ticket}, {subject}, {agent}, {agent_name}) from the case, the rest from ``values``
    (which may also override the desk's). Refused, naming them, while a blank is empty;
    refused if the result asks for a password (TK-14). Only one who may handle the case
    (TK-9) fills a reply for it, since it carries the customer's name."""
    with desk.read() as session:
        row = _row(session, reply_id)
        if row.retired_at is not None:
            raise ServiceError(_("this reply is retired; choose a current one"))
        ticket = _load(session, ticket_id)
        _check_handler(session, ticket, actor)
        known = {name: value for name, value in _known_values(ticket, actor).items() if value}
        filled = fill_blanks(row.body, {**known, **(values or {})})
    if filled.text is None:
        raise InvalidInput(filled.decision.reason, field="values", rule_ids=filled.decision.rule_ids)
    guard = check_reply(filled.text)
    if not guard.ok:
        raise InvalidInput(guard.reason, field="values", rule_ids=guard.rule_ids)
    return filled.text


def send_canned_reply(
    desk: Desk,
    actor: Actor,
    ticket_id: int,
    reply_id: int,
    expected_version: int,
    values: Mapping[str, str] | None = None,
    resolve: bool = False,
) -> TicketView:
    """Fills the reply for the case and sends it as ``reply`` does (password guard, TK-14;
    the first reply keeps the answer promise)."""
    text = fill_canned_reply(desk, actor, reply_id, ticket_id, values)
    return reply(desk, actor, ticket_id, text, expected_version, resolve=resolve)
