"""The contract every use-case service is written against.

A service is a plain function taking a ``Desk`` first, then the ``Actor``
doing it, then its inputs. It checks permission, does its work inside ONE
transaction, writes an audit row, and raises a ``ServiceError`` subclass with
a sentence a leader can read when it refuses. Example::

    def publish_notice(desk: Desk, actor: Actor, title: str, body: str) -> int:
        require(actor, Action.PUBLISH_NOTICE)      # csdesk.rules.staff.Action
        if not title.strip():
            raise InvalidInput("a notice needs a title", field="title")
        with desk.write() as session:
            notice = Notice(title=title, body=body, author_id=actor.staff_id,
                            published_at=desk.now())
            session.add(notice)
            session.flush()                      # assigns notice.id
            audit(session, actor, "notice.publish", "notice", notice.id,
                  before=None, after=notice)
            return notice.id

Refusals are raised *before* anything is written, or from inside the
``with`` block, which then rolls everything back: bad input changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from csdesk.errors import ExplainedError
from csdesk.i18n import _
from csdesk.models import AuditLog
from csdesk.rules.staff import Action, DeskAction, can
from csdesk.rules.vocab import Role, StaffStatus

if TYPE_CHECKING:
    from csdesk.db import Database
    from csdesk.models import Staff
    from csdesk.policy import Policy

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware, in UTC."""


def system_clock() -> datetime:
    return datetime.now(UTC)


class FixedClock:
    """A clock for tests and demos: stands still until moved."""

    def __init__(self, at: datetime) -> None:
        self.at = _aware_utc(at)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        """``clock.advance(minutes=1)``; returns the new time."""
        self.at = self.at + timedelta(**delta)
        return self.at

    def set(self, at: datetime) -> None:
        self.at = _aware_utc(at)


def _aware_utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a clock needs a timezone-aware time")
    return at.astimezone(UTC)


# -- errors -------------------------------------------------------------------


class ServiceError(ExplainedError):
    """A refusal the user sees as one plain sentence.

    ``field`` names the form field at fault (so a screen can put the message
    next to it); ``rule_ids`` name the policy rules behind the refusal.
    """

    def __init__(self, message: str, *, field: str | None = None, rule_ids: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule_ids = tuple(rule_ids)

    def __str__(self) -> str:
        ids = ", ".join(self.rule_ids)
        return f"{ids}: {self.message}" if ids else self.message


class PermissionDenied(ServiceError):
    """The actor's role (or a rule) does not allow this."""


class InvalidInput(ServiceError):
    """An input value is wrong; ``field`` names it."""

    def __init__(self, message: str, *, field: str, rule_ids: tuple[str, ...] = ()) -> None:
        super().__init__(message, field=field, rule_ids=rule_ids)


class StaleEdit(ServiceError):
    """Someone else changed the record since it was shown; reload and redo."""


class NotFound(ServiceError):
    """The record asked for does not exist (or is not visible to the actor)."""


# -- who and where ------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """The signed-in person a service acts for."""

    staff_id: int
    employee_number: str
    name: str
    role: Role
    squad_id: int | None = None
    intern: bool = False  # ST-4: still training; the interns area shows them their own record

    @classmethod
    def of(cls, staff: Staff) -> Actor:
        assert staff.id is not None, "staff row must be saved first"
        return cls(
            staff.id,
            staff.employee_number,
            staff.real_name,
            Role(staff.role),
            staff.squad_id,
            StaffStatus(staff.status) is StaffStatus.INTERN,
        )

    @property
    def label(self) -> str:
        """How the actor is named in messages and timelines: "No. 1024 Li Na"."""
        return _("No. {number} {name}").format(number=self.employee_number, name=self.name)


@dataclass
class Desk:
    """Everything a service needs: the database, the policy and the time.

    Build one per process (or per test) and pass it to every service call.
    """

    db: Database
    policy: Policy
    clock: Clock = field(default=system_clock)

    def now(self) -> datetime:
        """The current time, aware UTC (convert with ``policy.zone`` for display)."""
        return _aware_utc(self.clock())

    def write(self) -> AbstractContextManager[Session]:
        """The use case's ONE transaction; see ``unit_of_work``."""
        return unit_of_work(self)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.db.read() as session:
            session.info["desk"] = self
            yield session


def _too_long(session: Session, _context: Any, _instances: Any) -> None:
    """Refuses a text longer than its column before it is written: PostgreSQL would
    fail on it ("value too long"), SQLite would silently keep it."""
    for row in (*session.new, *session.dirty):
        table = getattr(row, "__table__", None)
        if table is None:
            continue
        for column in table.columns:
            longest = getattr(column.type, "length", None)
            if longest is None:
                continue
            value = getattr(row, column.key, None)
            if isinstance(value, str) and len(value) > longest:
                raise InvalidInput(
                    _("{field} is longer than {n} characters").format(field=column.key, n=longest), field=column.key
                )


@contextmanager
def unit_of_work(desk: Desk) -> Iterator[Session]:
    """One short write transaction for one use case; commits on normal exit.

    A concurrent change to a versioned row (a ticket edited on two desks)
    becomes ``StaleEdit``; any exception rolls everything back.
    """
    try:
        with desk.db.write() as session:
            session.info["desk"] = desk
            event.listen(session, "before_flush", _too_long)
            yield session
    except StaleDataError:
        raise StaleEdit(_("someone else changed this record while you were editing; reload it and try again")) from None


# -- permission and audit -----------------------------------------------------


def require(actor: Actor, action: Action | DeskAction) -> None:
    """Raises ``PermissionDenied`` (naming who may, and the rule) unless the
    actor's role may do ``action``: a ``csdesk.rules.staff.Action`` or, for
    the desk's own chores, a ``csdesk.rules.staff.DeskAction``."""
    decision = can(actor.role, action)
    if not decision.ok:
        raise PermissionDenied(decision.reason, rule_ids=decision.rule_ids)


# Never copied into the audit log, whatever the entity.
SECRET_FIELDS = frozenset({"pin_hash"})


def snapshot(value: SQLModel | dict[str, Any] | None) -> dict[str, Any] | None:
    """A JSON-ready copy of a row (or dict) for the audit log, secrets left out."""
    if value is None:
        return None
    data = value.model_dump() if isinstance(value, SQLModel) else dict(value)
    return {key: _jsonable(item) for key, item in data.items() if key not in SECRET_FIELDS}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return value


def audit(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: object,
    before: SQLModel | dict[str, Any] | None = None,
    after: SQLModel | dict[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> AuditLog:
    """Adds an audit row to the current transaction (saved only if it commits).

    ``actor=None`` means the system itself (migrations, imports). Rows and
    dicts are snapshotted now, so later changes to the object don't leak in.
    The time comes from the desk's clock unless ``at`` is given.
    """
    if at is None:
        desk = session.info.get("desk")
        at = desk.now() if desk is not None else system_clock()
    row = AuditLog(
        at=at,
        actor_id=actor.staff_id if actor else None,
        action=action,
        entity=entity,
        entity_id="" if entity_id is None else str(entity_id),
        before=snapshot(before),
        after=snapshot(after),
    )
    session.add(row)
    return row
