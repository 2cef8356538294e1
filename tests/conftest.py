"""Fixtures shared by every test: a database file at head, a fixed clock, desks,
and quick ways to add squads and staff.

    def test_something(desk, make_staff, actor_of):
        leader = make_staff(role=Role.SQUAD_LEADER)
        some_service(desk, actor_of(leader), ...)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from csdesk.db import Database, open_database
from csdesk.models import Squad, Staff
from csdesk.policy import Policy, default_policy
from csdesk.rules.vocab import Grade, Role, StaffStatus
from csdesk.services.base import Actor, Desk, FixedClock

# A Monday morning in UTC (16:00 in Asia/Shanghai), away from month ends.
T0 = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at ``T0``; move it with ``clock.advance(minutes=5)``."""
    return FixedClock(T0)


@pytest.fixture
def policy() -> Policy:
    return default_policy()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test database lives (the file is made by the ``db`` fixture)."""
    return tmp_path / "centre.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A fresh database file at the newest schema revision."""
    from csdesk.store import create_database

    database = create_database(db_path)
    yield database
    database.close()


@pytest.fixture
def make_desk(db: Database, policy: Policy, clock: FixedClock) -> Iterator[Callable[..., Desk]]:
    """Builds more desks on the same file, like other processes would:
    ``make_desk()`` opens its own connection pool; pass ``clock=`` to differ."""
    opened: list[Database] = []

    def factory(*, clock: Callable[[], datetime] = clock, policy: Policy = policy) -> Desk:
        other = open_database(db.path)
        opened.append(other)
        return Desk(db=other, policy=policy, clock=clock)

    yield factory
    for other in opened:
        other.close()


@pytest.fixture
def desk(db: Database, policy: Policy, clock: FixedClock) -> Desk:
    return Desk(db=db, policy=policy, clock=clock)


_numbers = itertools.count(1001)


@pytest.fixture
def make_squad(desk: Desk) -> Callable[..., Squad]:
    """``make_squad("A")`` -> a saved Squad (leader set later with make_staff)."""
    counter = itertools.count(1)

    def factory(name: str | None = None, leader_id: int | None = None) -> Squad:
        squad = Squad(name=name or f"Squad {next(counter)}", leader_id=leader_id)
        with desk.write() as session:
            session.add(squad)
        return squad

    return factory


@pytest.fixture
def make_staff(desk: Desk) -> Callable[..., Staff]:
    """``make_staff(role=Role.SQUAD_LEADER, squad=squad, pin="1234")`` -> a saved Staff.

    Every field has a sensible default; a leader of a squad becomes its leader.
    """
    from csdesk.services.auth import hash_pin

    def factory(
        *,
        role: Role = Role.AGENT,
        squad: Squad | None = None,
        grade: Grade = Grade.JUNIOR,
        status: StaffStatus = StaffStatus.FORMAL,
        pin: str | None = None,
        employee_number: str | None = None,
        real_name: str | None = None,
        **fields: object,
    ) -> Staff:
        number = employee_number or str(next(_numbers))
        staff = Staff(
            employee_number=number,
            real_name=real_name or f"Agent {number}",
            role=role,
            grade=grade,
            status=status,
            squad_id=squad.id if squad else None,
            hire_date=fields.pop("hire_date", date(2024, 1, 15)),
            pin_hash=hash_pin(pin) if pin else None,
            **fields,
        )
        with desk.write() as session:
            session.add(staff)
            session.flush()
            if squad is not None and role == Role.SQUAD_LEADER and squad.leader_id is None:
                squad.leader_id = staff.id
                session.add(squad)
        return staff

    return factory


@pytest.fixture
def actor_of() -> Callable[[Staff], Actor]:
    """``actor_of(staff)`` -> the Actor services expect for that person."""
    return Actor.of
