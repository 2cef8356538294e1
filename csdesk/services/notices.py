"""Notices staff read and acknowledge before starting (HO-2).

A notice is current from its publication until it expires (no expiry: until
superseded by newer ones). Lists are newest first, on the ``published_at``
index, and never longer than a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from csdesk.i18n import _
from csdesk.models import Notice, NoticeAck, Staff
from csdesk.rules.decision import Decision
from csdesk.rules.handover import check_notices_read
from csdesk.rules.staff import Action
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, audit, require

MAX_NOTICES = 100


@dataclass(frozen=True)
class NoticeView:
    id: int
    title: str
    body: str
    author_id: int
    author_number: str
    author_name: str
    published_at: datetime
    expires_at: datetime | None
    # When the viewer acknowledged it; None when unread (or no viewer asked).
    acknowledged_at: datetime | None = None


def _current(now: datetime):
    return and_(col(Notice.published_at) <= now, or_(col(Notice.expires_at).is_(None), col(Notice.expires_at) > now))


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_NOTICES:
        raise InvalidInput(_("show 1 to {MAX_NOTICES} notices").format(MAX_NOTICES=MAX_NOTICES), field="limit")
    return limit


def _view(notice: Notice, author: Staff, acknowledged_at: datetime | None = None) -> NoticeView:
    assert notice.id is not None
    return NoticeView(
        notice.id,
        notice.title,
        notice.body,
        notice.author_id,
        author.employee_number,
        author.real_name,
        notice.published_at,
        notice.expires_at,
        acknowledged_at,
    )


def publish_notice(desk: Desk, actor: Actor, title: str, body: str, expires_at: datetime | None = None) -> NoticeView:
    """HO-2: a business change or offer every agent reads before starting."""
    require(actor, Action.PUBLISH_NOTICE)
    heading = (title or "").strip()
    if not heading:
        raise InvalidInput(_("a notice needs a title"), field="title")
    if len(heading) > 200:
        raise InvalidInput(_("the title is too long (at most 200 characters)"), field="title")
    now = desk.now()
    if expires_at is not None and (expires_at.tzinfo is None or expires_at <= now):
        raise InvalidInput(_("the expiry must be a later time"), field="expires_at")
    with desk.write() as session:
        notice = Notice(
            title=heading, body=(body or "").strip(), author_id=actor.staff_id, published_at=now, expires_at=expires_at
        )
        session.add(notice)
        session.flush()
        audit(session, actor, "notice.publish", "notice", notice.id, after=notice)
        author = session.get(Staff, actor.staff_id)
        assert author is not None
        return _view(notice, author)


def latest_notices(desk: Desk, limit: int = 20) -> tuple[NoticeView, ...]:
    """The current notices, newest first (what the roll call reads out)."""
    now = desk.now()
    with desk.read() as session:
        rows = session.exec(
            select(Notice, Staff)
            .join(Staff, col(Staff.id) == Notice.author_id)
            .where(_current(now))
            .order_by(col(Notice.published_at).desc(), col(Notice.id).desc())
            .limit(_limit(limit))
        ).all()
        return tuple(_view(notice, author) for notice, author in rows)


def _unread(session: Session, actor: Actor, now: datetime, limit: int) -> list[tuple[Notice, Staff]]:
    return list(
        session.exec(
            unread_statement(actor, now, select(Notice, Staff).join(Staff, col(Staff.id) == Notice.author_id))
            .order_by(col(Notice.published_at).desc(), col(Notice.id).desc())
            .limit(limit)
        ).all()
    )


def unread_statement(actor: Actor, now: datetime, statement=None):
    """HO-2: the current notices the actor has not acknowledged (unordered; the inbox counts them)."""
    base = select(Notice) if statement is None else statement
    return base.outerjoin(
        NoticeAck, and_(col(NoticeAck.notice_id) == Notice.id, col(NoticeAck.staff_id) == actor.staff_id)
    ).where(_current(now), col(NoticeAck.id).is_(None))


def unread_notices(desk: Desk, actor: Actor, limit: int = 50) -> tuple[NoticeView, ...]:
    """Current notices the actor has not acknowledged yet, newest first (HO-2)."""
    now = desk.now()
    with desk.read() as session:
        return tuple(_view(n, a) for n, a in _unread(session, actor, now, _limit(limit)))


def notices_read(desk: Desk, actor: Actor, limit: int = 20) -> Decision:
    """HO-2: whether the actor has acknowledged the latest notices (a warning if not)."""
    now = desk.now()
    with desk.read() as session:
        latest = session.exec(
            select(Notice.id)
            .where(_current(now))
            .order_by(col(Notice.published_at).desc(), col(Notice.id).desc())
            .limit(_limit(limit))
        ).all()
        read = (
            session.exec(
                select(NoticeAck.notice_id).where(
                    NoticeAck.staff_id == actor.staff_id, col(NoticeAck.notice_id).in_(latest)
                )
            ).all()
            if latest
            else []
        )
    return check_notices_read(latest, read)


def acknowledge_notice(desk: Desk, actor: Actor, notice_id: int) -> NoticeView:
    """Records that the actor read the notice; acknowledging again changes nothing."""
    now = desk.now()
    with desk.write() as session:
        found = session.exec(
            select(Notice, Staff).join(Staff, col(Staff.id) == Notice.author_id).where(Notice.id == notice_id)
        ).first()
        if found is None:
            raise NotFound(_("there is no notice #{notice_id}").format(notice_id=notice_id))
        notice, author = found
        ack = _ack_of(session, notice_id, actor.staff_id)
        if ack is None:
            try:
                # A savepoint, so a desk that acknowledged a moment ago (PostgreSQL
                # lets both reach here) only costs this insert, not the transaction.
                with session.begin_nested():
                    ack = NoticeAck(notice_id=notice_id, staff_id=actor.staff_id, acknowledged_at=now)
                    session.add(ack)
                audit(
                    session,
                    actor,
                    "notice.acknowledge",
                    "notice",
                    notice_id,
                    after={"staff_id": actor.staff_id, "acknowledged_at": now},
                )
            except IntegrityError:
                ack = _ack_of(session, notice_id, actor.staff_id)
                assert ack is not None
        return _view(notice, author, ack.acknowledged_at)


def _ack_of(session: Session, notice_id: int, staff_id: int) -> NoticeAck | None:
    return session.exec(
        select(NoticeAck).where(NoticeAck.notice_id == notice_id, NoticeAck.staff_id == staff_id)
    ).first()
