"""The demo centre's quality inspections look like a month and a half of real work (QA-1..QA-4)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from csdesk.demo import build_demo
from csdesk.models import Inspection, SpotCheck, Staff, Ticket
from csdesk.policy import default_policy
from csdesk.rules.quality import Sampling, check_sample_scores
from csdesk.rules.vocab import Role
from csdesk.services import quality
from csdesk.services.base import Actor, Desk, FixedClock
from csdesk.store import open_database

NOW = datetime(2026, 3, 19, 6, 0, tzinfo=UTC)  # Thursday 14:00 in the centre, 19 March


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, default_policy(), now=NOW)
    db = open_database(path)
    desk = Desk(db=db, policy=default_policy(), clock=FixedClock(NOW))
    with desk.read() as session:
        inspector = session.execute(select(Staff).where(Staff.role == Role.INSPECTOR)).scalar_one()
    yield desk, Actor.of(inspector)
    db.close()


def test_qa_1_last_month_every_agent_was_sampled_one_to_five_times(demo):
    desk, inspector = demo
    rows = quality.sampling_page(desk, inspector, "2026-02", limit=100)
    assert len(rows) == 33  # 30 agents and 3 deputies
    assert {r.status for r in rows} <= {Sampling.SAMPLING, Sampling.COMPLETE}


def test_qa_1_this_month_some_are_flagged_and_some_already_complete(demo):
    desk, inspector = demo
    counts = quality.sampling_counts(desk, inspector, "2026-03")
    assert counts.under >= 3 and counts.complete >= 3
    assert all(r.samples <= 5 for r in quality.sampling_page(desk, inspector, limit=100))


def test_qa_1_every_demo_sample_is_on_the_rubric_and_links_the_agents_own_ticket(demo):
    desk, _ = demo
    with desk.read() as session:
        rows = session.execute(
            select(Inspection, Ticket.owner_id).outerjoin(Ticket, Ticket.id == Inspection.ticket_id)
        ).all()
    assert len(rows) > 100
    assert all(check_sample_scores(i.scores, desk.policy).ok for i, _ in rows)
    assert all(owner == i.agent_id for i, owner in rows if i.ticket_id is not None)
    # Tickets reach back two weeks: the recent samples are mostly of a real contact.
    assert sum(i.ticket_id is not None for i, _ in rows) >= 30
    assert all(i.at <= NOW for i, _ in rows)
    assert any(i.notes for i, _ in rows)


def test_qa_2_qa_3_sheets_name_training_and_a_week_plans_team_training(demo):
    desk, inspector = demo
    sheets = {s.name: s for s in quality.monthly_sheets(desk, inspector, "2026-02")}
    assert {"attitude", "tone"} & set(sheets["张伟"].weakest)
    weeks = [quality.weekly_report(desk, inspector, f"2026-W{n:02d}") for n in (7, 8, 9, 10, 11)]
    assert any(w.team_training for w in weeks) and any(w.lines for w in weeks)


def test_qa_4_squad_leaders_wrote_daily_spot_checks_on_weekdays(demo):
    desk, _ = demo
    with desk.read() as session:
        days = Counter(session.execute(select(SpotCheck.work_date)).scalars())
    assert days and all(day.weekday() < 5 for day in days) and set(days.values()) == {3}
