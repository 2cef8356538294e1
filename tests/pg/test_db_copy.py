"""``csdesk db copy``: a centre moved from its SQLite file to PostgreSQL, whole or not at all."""

from __future__ import annotations

import pytest

from csdesk.cli import main
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import Category, Channel, Role
from csdesk.services.base import Actor, Desk
from csdesk.services.ledger import record_fine
from csdesk.services.tickets import take_in
from csdesk.store import create_database

from . import server

pytestmark = pytest.mark.pg_only


@pytest.fixture
def centre_file(tmp_path, policy, clock):
    """A SQLite centre with squads that point at their leaders, tickets, fines and audit rows."""
    from datetime import date

    from csdesk.models import Squad, Staff

    path = tmp_path / "centre.db"
    db = create_database(path)
    desk = Desk(db=db, policy=policy, clock=clock)
    with desk.write() as session:
        squad = Squad(name="Lotus")
        session.add(squad)
        session.flush()
        people = [
            Staff(
                employee_number=str(900 + n),
                real_name=f"Agent {n}",
                role=role,
                grade="junior",
                status="formal",
                squad_id=squad.id,
                hire_date=date(2024, 1, 15),
            )
            for n, role in enumerate([Role.SQUAD_LEADER, Role.AGENT, Role.DEPARTMENT_DIRECTOR])
        ]
        session.add_all(people)
        session.flush()
        squad.leader_id = people[0].id
    leader, agent, director = (Actor.of(p) for p in people)
    for n in range(3):
        take_in(desk, agent, Channel.PHONE, Category.INQUIRY, "Wang", "13812345678", f"case {n}", "")
    record_fine(desk, director, agent.staff_id, Offence.COMPLAINT, "rude on the phone")
    db.close()
    return path


@pytest.fixture
def empty_pg():
    name = server.fresh_name()
    url = server.create(name)
    yield url
    server.drop(name)


def test_copy_moves_every_row_and_the_server_goes_on_numbering_after_them(
    backend, centre_file, empty_pg, capsys, policy, clock
):
    assert main(["db", "copy", "--from", str(centre_file), "--to", empty_pg]) == 0
    out = capsys.readouterr().out
    assert "counts match on both sides" in out and "ledger: 1 rows" in out

    import sqlite3

    from csdesk.migrations.knowledge_search import FTS_TABLE

    source = sqlite3.connect(centre_file)
    tables = [
        r[0]
        for r in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'"
        )
        # The search index is SQLite's own (PostgreSQL indexes the entries with pg_trgm).
        if not r[0].startswith(FTS_TABLE)
    ]
    for table in tables:
        assert (
            server.fetch(empty_pg, f"SELECT COUNT(*) FROM {table}")
            == source.execute(f"SELECT COUNT(*) FROM {table}").fetchall()
        ), table
    assert (
        server.fetch(empty_pg, "SELECT leader_id FROM squads")
        == source.execute("SELECT leader_id FROM squads").fetchall()
    )
    source.close()

    # The copy is a working centre: a new ticket is numbered after the copied ones.
    from csdesk.store import open_database

    with open_database(empty_pg) as db:
        desk = Desk(db=db, policy=policy, clock=clock)
        staff_id = server.fetch(empty_pg, "SELECT id FROM staff WHERE role = 'agent'")[0][0]
        with desk.read() as session:
            from csdesk.models import Staff

            agent = Actor.of(session.get(Staff, staff_id))
        new = take_in(desk, agent, Channel.EMAIL, Category.INQUIRY, "Li", "13912345678", "after the move", "")
    assert new.id == 4
    assert main(["--db", empty_pg, "check"]) == 0


def test_copy_refuses_a_target_that_already_holds_data_and_changes_nothing(backend, centre_file, empty_pg, capsys):
    assert main(["db", "copy", "--from", str(centre_file), "--to", empty_pg]) == 0
    before = server.fetch(empty_pg, "SELECT COUNT(*) FROM audit_log")
    capsys.readouterr()
    assert main(["db", "copy", "--from", str(centre_file), "--to", empty_pg]) == 1
    err = capsys.readouterr().err
    assert "already holds data" in err and err.count("\n") == 1
    assert server.fetch(empty_pg, "SELECT COUNT(*) FROM audit_log") == before


def test_copy_refuses_a_target_at_another_schema(backend, centre_file, empty_pg, capsys):
    create_database(empty_pg).close()
    server.fetch(empty_pg, "UPDATE alembic_version SET version_num = '9999'")
    assert main(["db", "copy", "--from", str(centre_file), "--to", empty_pg]) == 1
    assert "newer csdesk" in capsys.readouterr().err
    assert server.fetch(empty_pg, "SELECT COUNT(*) FROM staff") == [(0,)]
