"""A proposed month lands as a draft that publishes cleanly and covers what people allow."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from csdesk.models import Ticket
from csdesk.rules.vocab import Category, Channel, Role, ShiftKind
from csdesk.services.base import PermissionDenied
from csdesk.services.proposals import propose_month
from csdesk.services.rostering import month_plan, publish_month

APRIL = date(2026, 4, 1)


@pytest.fixture
def squad(desk, make_squad, make_staff, actor_of):
    lotus = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=lotus)
    agents = [make_staff(squad=lotus) for _ in range(8)]
    # Eight weeks of phone calls: 30 an hour through the day, every day.
    zone = desk.policy.zone
    today = desk.now().astimezone(zone).date()
    with desk.write() as session:
        for back in range(1, 57):
            day = today - timedelta(days=back)
            for hour in range(9, 17):
                for minute in range(0, 60, 4):
                    session.add(
                        Ticket(
                            channel=Channel.PHONE,
                            category=Category.INQUIRY,
                            subject="call",
                            received_at=datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone),
                        )
                    )
    return lotus, actor_of(leader), agents


def test_the_proposal_is_a_draft_that_publishes_and_covers_the_day_shifts(desk, squad):
    lotus, leader, agents = squad
    result = propose_month(desk, leader, lotus.id, APRIL)
    assert result.needed > 0 and result.changed > 0
    assert result.filled == result.needed and result.coverage == 1.0
    plan = month_plan(desk, leader, lotus.id, APRIL)
    assert plan.drafts == result.changed
    monday = date(2026, 4, 13)
    assert plan.planned(monday, ShiftKind.DAY) >= 1
    # Nobody is left without work in a full week, and the draft passes every hard rule.
    for person in plan.people:
        worked = [plan.cell(person.staff_id, monday + timedelta(days=n)).shift for n in range(7)]
        assert sum(1 for k in worked if k) >= 4
    assert publish_month(desk, leader, lotus.id, APRIL).days == result.changed


def test_proposing_again_changes_nothing(desk, squad):
    lotus, leader, _agents = squad
    propose_month(desk, leader, lotus.id, APRIL)
    assert propose_month(desk, leader, lotus.id, APRIL).changed == 0


def test_only_the_squads_leader_or_a_director_proposes(desk, squad, make_squad, make_staff, actor_of):
    lotus, _leader, agents = squad
    with pytest.raises(PermissionDenied):
        propose_month(desk, actor_of(agents[0]), lotus.id, APRIL)
    plum = make_squad("Plum")
    other = make_staff(role=Role.SQUAD_LEADER, squad=plum)
    with pytest.raises(PermissionDenied):
        propose_month(desk, actor_of(other), lotus.id, APRIL)


def test_the_result_and_the_audit_name_the_planner(desk, squad, monkeypatch):
    from sqlalchemy import select

    from csdesk.models import AuditLog
    from csdesk.rules import roster_solver

    lotus, leader, _agents = squad
    monkeypatch.setattr(roster_solver, "available", lambda: False)
    assert propose_month(desk, leader, lotus.id, APRIL).solver == "greedy"
    with desk.read() as session:
        entry = session.execute(select(AuditLog).where(AuditLog.action == "roster.propose")).scalars().one()
    assert entry.after["solver"] == "greedy"


def test_a_whole_centre_shares_the_solvers_time_between_its_squads():
    from csdesk.rules.roster_solver import SOLVE_SECONDS
    from csdesk.services.proposals import CENTRE_SECONDS, MIN_SQUAD_SECONDS, squad_seconds

    assert squad_seconds(1) == SOLVE_SECONDS
    assert squad_seconds(10) == CENTRE_SECONDS / 10
    assert squad_seconds(500) == MIN_SQUAD_SECONDS
