"""Fixtures shared by every test: a database at head, a fixed clock, desks,
and quick ways to add squads and staff.

The database is a SQLite file. When ``CSDESK_TEST_PG_URL`` is set, the tests of
the store, services, commands, demo and reliability that use ``db`` run a second
time on a fresh PostgreSQL database each (ids ``[sqlite]`` / ``[postgresql]``).
A test that asks for ``db_path`` is about the SQLite file itself and runs on
SQLite only, as does one marked ``sqlite_only``; ``pg_only`` tests run only
on PostgreSQL and are skipped, with the reason, when it is not configured.

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
from pg import server as pg_server
from sqlmodel import select

from csdesk.db import Database
from csdesk.models import Squad, Staff
from csdesk.policy import Policy, default_policy
from csdesk.rules.vocab import Grade, Role, StaffStatus
from csdesk.services.base import Actor, Desk, FixedClock
from csdesk.store import open_database

# A Monday morning in UTC (16:00 in Asia/Shanghai), away from month ends.
T0 = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at ``T0``; move it with ``clock.advance(minutes=5)``."""
    return FixedClock(T0)


@pytest.fixture
def policy() -> Policy:
    return default_policy()


# Folders whose database tests also run on PostgreSQL when it is configured; the
# screens' tests (snapshots named after the test) stay on SQLite.
_BOTH_BACKENDS = ("store", "services", "cli", "demo", "reliability", "pg")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about SQLite itself; never run on PostgreSQL")
    config.addinivalue_line("markers", "pg_only: about PostgreSQL itself; needs CSDESK_TEST_PG_URL")


def pytest_report_header(config: pytest.Config) -> str:
    url = pg_server.admin_url()
    if url is None:
        return f"backends: sqlite only ({pg_server.SKIP_REASON})"
    return f"backends: sqlite and postgresql ({url.render_as_string(hide_password=True)})"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    definition = metafunc.definition
    if definition.get_closest_marker("pg_only"):
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
        return
    if pg_server.admin_url() is None or definition.get_closest_marker("sqlite_only"):
        return
    if "db_path" in metafunc.fixturenames:
        return  # the test reads or damages the SQLite file itself
    folder = Path(str(definition.path)).relative_to(Path(__file__).parent).parts[0]
    if folder in _BOTH_BACKENDS:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """ "sqlite" (the default) or "postgresql" for tests parametrized on both."""
    name = getattr(request, "param", "sqlite")
    if name == "postgresql" and pg_server.admin_url() is None:
        pytest.skip(pg_server.SKIP_REASON)
    return name


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per run, copied for each test."""
    from csdesk.store import create_database

    name = pg_server.fresh_name("tmpl")
    url = pg_server.create(name)
    try:
        create_database(url).close()
        yield name
    finally:
        pg_server.drop(name)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the SQLite test database lives (the file is made by the ``db`` fixture).

    Asking for it makes the test SQLite-only.
    """
    return tmp_path / "centre.db"


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """What ``open_database`` takes for the test database: the SQLite file's path,
    or the URL of a fresh PostgreSQL database dropped after the test."""
    if backend == "sqlite":
        # Looked up here rather than declared, so tests not asking for the file can
        # also run on PostgreSQL (see pytest_generate_tests).
        yield str(request.getfixturevalue("db_path"))
        return
    template = request.getfixturevalue("pg_template")
    name = pg_server.fresh_name()
    url = pg_server.create(name, template=template)
    yield url
    pg_server.drop(name)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh database at the newest schema revision."""
    from csdesk.store import create_database

    database = create_database(db_url)
    yield database
    database.close()


@pytest.fixture
def make_desk(db: Database, db_url: str, policy: Policy, clock: FixedClock) -> Iterator[Callable[..., Desk]]:
    """Builds more desks on the same database, like other processes would:
    ``make_desk()`` opens its own connection pool; pass ``clock=`` to differ."""
    opened: list[Database] = []

    def factory(*, clock: Callable[[], datetime] = clock, policy: Policy = policy) -> Desk:
        other = open_database(db_url)
        opened.append(other)
        return Desk(db=other, policy=policy, clock=clock)

    yield factory
    for other in opened:
        other.close()


@pytest.fixture
def desk(db: Database, policy: Policy, clock: FixedClock) -> Desk:
    return Desk(db=db, policy=policy, clock=clock)


_numbers = itertools.count(1001)


def _free_number(desk: Desk) -> str:
    """The next automatic employee number nobody in this database has: the count runs on
    across a worker's tests, and may reach a number a test wrote by hand (1101)."""
    with desk.read() as session:
        taken = set(session.exec(select(Staff.employee_number)).all())
    while (number := str(next(_numbers))) in taken:
        pass
    return number


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
        number = employee_number or _free_number(desk)
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
