"""The knowledge base: editorial steps (KB-1) and search while on a case (KB-2).

A business notice is received as an entry whose original text is kept
exactly as it came. The editors take it through the steps of KB-1 one at a
time; every step is a ``KnowledgeStateChange`` row, so each step's start is
its own row and its end the next one. Removal is one more step: the entry
and its history stay. Entries sit in a catalogue path such as
``Billing/Refunds``. Agents see and find published entries only; editors
see every entry not removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from csdesk.fulltext import terms_of, with_match
from csdesk.i18n import _
from csdesk.models import KnowledgeEntry, KnowledgeStateChange, Staff
from csdesk.rules.knowledge import (
    BODY_REQUIRED,
    KbState,
    check_kb_step,
    check_kb_transition,
    is_searchable,
    may_see_drafts,
    next_step,
    roles_for,
)
from csdesk.rules.staff import Action
from csdesk.services.base import (
    Actor,
    Desk,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    audit,
    require,
)

MAX_PAGE = 100
MAX_TITLE = 200
MAX_CATALOGUE = 80
MAX_QUERY = 200
SNIPPET = 120


@dataclass(frozen=True)
class KnowledgeStep:
    """One editorial step: when it started, when the next one ended it (None: still current)."""

    state: KbState
    started_at: datetime
    ended_at: datetime | None
    by: str
    note: str


@dataclass(frozen=True)
class KnowledgeLine:
    """An entry in a list or a search result."""

    id: int
    title: str
    catalogue: str
    state: KbState
    snippet: str


@dataclass(frozen=True)
class KnowledgeView:
    id: int
    title: str
    catalogue: str
    body: str
    original: str
    state: KbState
    created_at: datetime
    removed_at: datetime | None
    history: tuple[KnowledgeStep, ...]
    # The step an editor takes next (None once published or removed).
    next_state: KbState | None


@dataclass(frozen=True)
class CatalogueCount:
    path: str
    entries: int


# -- inputs ---------------------------------------------------------------------------


def normalise_catalogue(path: str) -> str:
    """``" Billing / Refunds "`` -> ``"Billing/Refunds"``; refuses empty levels."""
    parts = [part.strip() for part in (path or "").split("/")]
    if parts == [""]:
        raise InvalidInput(_("choose a catalogue, e.g. Billing/Refunds"), field="catalogue")
    if any(not part for part in parts):
        raise InvalidInput(_("a catalogue level cannot be empty (check the slashes)"), field="catalogue")
    joined = "/".join(" ".join(part.split()) for part in parts)
    if len(joined) > MAX_CATALOGUE:
        raise InvalidInput(
            _("the catalogue is too long (at most {MAX_CATALOGUE} characters)").format(MAX_CATALOGUE=MAX_CATALOGUE),
            field="catalogue",
        )
    return joined


def _title(title: str) -> str:
    heading = " ".join((title or "").split())
    if not heading:
        raise InvalidInput(_("an entry needs a title"), field="title")
    if len(heading) > MAX_TITLE:
        raise InvalidInput(
            _("the title is too long (at most {MAX_TITLE} characters)").format(MAX_TITLE=MAX_TITLE), field="title"
        )
    return heading


def _page(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidInput(_("the page offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {MAX_PAGE} entries").format(MAX_PAGE=MAX_PAGE), field="limit")


# -- views ----------------------------------------------------------------------------


def _snippet(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…"


def _line(entry: KnowledgeEntry) -> KnowledgeLine:
    assert entry.id is not None
    return KnowledgeLine(entry.id, entry.title, entry.catalogue, KbState(entry.state), _snippet(entry.body))


def _view(session: Session, entry: KnowledgeEntry) -> KnowledgeView:
    assert entry.id is not None
    rows = session.exec(
        select(KnowledgeStateChange, Staff)
        .outerjoin(Staff, col(Staff.id) == KnowledgeStateChange.actor_id)
        .where(KnowledgeStateChange.entry_id == entry.id)
        .order_by(col(KnowledgeStateChange.at), col(KnowledgeStateChange.id))
    ).all()
    steps = []
    for index, (change, who) in enumerate(rows):
        following = rows[index + 1][0].at if index + 1 < len(rows) else None
        by = Actor.of(who).label if who is not None else ""
        steps.append(KnowledgeStep(KbState(change.state), change.at, following, by, change.note))
    state = KbState(entry.state)
    return KnowledgeView(
        entry.id,
        entry.title,
        entry.catalogue,
        entry.body,
        entry.original,
        state,
        entry.created_at,
        entry.removed_at,
        tuple(steps),
        next_step(state),
    )


def _visible(actor: Actor):
    """KB-2: agents see published entries; editors every entry not removed."""
    if may_see_drafts(actor.role):
        return col(KnowledgeEntry.state) != KbState.REMOVED.value
    return col(KnowledgeEntry.state) == KbState.PUBLISHED.value


def _entry(session: Session, actor: Actor, entry_id: int) -> KnowledgeEntry:
    entry = session.get(KnowledgeEntry, entry_id)
    if entry is None or not (may_see_drafts(actor.role) or is_searchable(KbState(entry.state))):
        raise NotFound(_("there is no knowledge entry #{entry_id}").format(entry_id=entry_id))
    return entry


# -- the editorial steps --------------------------------------------------------------------


def receive_notice(
    desk: Desk, actor: Actor, title: str, original: str, catalogue: str, source: str = ""
) -> KnowledgeView:
    """KB-1: a business notice arrives; its text is kept exactly as received."""
    require(actor, Action.EDIT_KNOWLEDGE)
    heading = _title(title)
    if not (original or "").strip():
        raise InvalidInput(_("paste the notice as it was received"), field="original")
    path = normalise_catalogue(catalogue)
    sender = " ".join((source or "").split())
    if len(sender) > 120:
        raise InvalidInput(_("the issuing department is too long (at most 120 characters)"), field="source")
    now = desk.now()
    with desk.write() as session:
        entry = KnowledgeEntry(
            title=heading, catalogue=path, original=original, state=KbState.NOTICE_RECEIVED.value, created_at=now
        )
        session.add(entry)
        session.flush()
        assert entry.id is not None
        session.add(
            KnowledgeStateChange(
                entry_id=entry.id,
                state=KbState.NOTICE_RECEIVED.value,
                actor_id=actor.staff_id,
                at=now,
                note=f"from {sender}" if sender else "",
            )
        )
        audit(session, actor, "knowledge.receive", "knowledge_entry", entry.id, after=entry)
        session.flush()
        return _view(session, entry)


def _refuse(current: KbState, target: KbState, actor: Actor, note: str, body: str) -> None:
    decision = check_kb_step(current, target, actor.role, note=note, body=body)
    if decision.ok:
        return
    if not check_kb_transition(current, target).ok:
        raise ServiceError(decision.reason, field="state", rule_ids=decision.rule_ids)
    if actor.role not in roles_for(target):
        raise PermissionDenied(decision.reason, rule_ids=decision.rule_ids)
    field = "body" if target in BODY_REQUIRED and not body.strip() else "note"
    raise InvalidInput(decision.reason, field=field, rule_ids=decision.rule_ids)


def advance_entry(
    desk: Desk, actor: Actor, entry_id: int, target: KbState | str, note: str = "", body: str | None = None
) -> KnowledgeView:
    """KB-1: take the entry into ``target`` (the next step, or removal).

    ``body`` replaces the entry's text (entering it, then rewriting it for
    customers); a published or removed entry's text no longer changes.
    """
    try:
        goal = KbState(target)
    except ValueError:
        raise InvalidInput(_("{target!r} is not an editorial step").format(target=target), field="state") from None
    if actor.role not in roles_for(goal) and not may_see_drafts(actor.role):
        # Before reading the entry: an agent learns nothing about drafts.
        raise PermissionDenied(
            _("only an editor may mark an entry {value!r}").format(value=goal.value), rule_ids=("KB-1",)
        )
    note = (note or "").strip()
    now = desk.now()
    with desk.write() as session:
        entry = _entry(session, actor, entry_id)
        current = KbState(entry.state)
        text = entry.body if body is None or goal is KbState.REMOVED else body.strip()
        _refuse(current, goal, actor, note, text)
        before = entry.model_copy()
        entry.state = goal.value
        if goal is KbState.REMOVED:
            entry.removed_at = now
        else:
            entry.body = text
        session.add(entry)
        session.add(
            KnowledgeStateChange(entry_id=entry_id, state=goal.value, actor_id=actor.staff_id, at=now, note=note)
        )
        action = "knowledge.remove" if goal is KbState.REMOVED else "knowledge.advance"
        audit(session, actor, action, "knowledge_entry", entry_id, before=before, after=entry)
        session.flush()
        return _view(session, entry)


def remove_entry(desk: Desk, actor: Actor, entry_id: int, reason: str) -> KnowledgeView:
    """KB-1: withdraw the entry; it and its history are kept, and search no longer finds it."""
    return advance_entry(desk, actor, entry_id, KbState.REMOVED, note=reason)


# -- reading --------------------------------------------------------------------------------


def entry_detail(desk: Desk, actor: Actor, entry_id: int) -> KnowledgeView:
    with desk.read() as session:
        return _view(session, _entry(session, actor, entry_id))


def catalogue_tree(desk: Desk, actor: Actor) -> tuple[CatalogueCount, ...]:
    """Every catalogue path holding an entry the actor may see, with how many, by path."""
    with desk.read() as session:
        rows = session.exec(
            select(KnowledgeEntry.catalogue, func.count())
            .where(_visible(actor))
            .group_by(col(KnowledgeEntry.catalogue))
            .order_by(col(KnowledgeEntry.catalogue))
        ).all()
    return tuple(CatalogueCount(path, int(n)) for path, n in rows)


def entries_in(desk: Desk, actor: Actor, catalogue: str, offset: int = 0, limit: int = 50) -> tuple[KnowledgeLine, ...]:
    """The entries filed under exactly ``catalogue``, by title."""
    _page(offset, limit)
    path = normalise_catalogue(catalogue)
    with desk.read() as session:
        entries = session.exec(
            select(KnowledgeEntry)
            .where(KnowledgeEntry.catalogue == path, _visible(actor))
            .order_by(col(KnowledgeEntry.catalogue), col(KnowledgeEntry.title), col(KnowledgeEntry.id))
            .offset(offset)
            .limit(limit)
        ).all()
        return tuple(_line(e) for e in entries)


def search_knowledge(desk: Desk, actor: Actor, query: str, limit: int = 20) -> tuple[KnowledgeLine, ...]:
    """KB-2: entries holding every word of ``query`` (any part of a Chinese phrase too), best first.

    Agents find published entries only; editors also find drafts. Removed
    entries are never found.
    """
    _page(0, limit)
    words = (query or "").strip()
    if len(words) > MAX_QUERY:
        raise InvalidInput(_("search for at most {MAX_QUERY} characters").format(MAX_QUERY=MAX_QUERY), field="query")
    terms = terms_of(words)
    if not terms:
        return ()
    with desk.read() as session:
        dialect = session.get_bind().dialect.name
        statement = with_match(select(KnowledgeEntry).where(_visible(actor)), dialect, terms)
        return tuple(_line(e) for e in session.exec(statement.limit(limit)).all())
