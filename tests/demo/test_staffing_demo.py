"""The demo centre's interns (ST-4), duties (SC-5, TK-17) and contact sheet (ST-5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from csdesk.demo import build_demo
from csdesk.models import Staff
from csdesk.rules.calendar import DutyStatus
from csdesk.rules.decision import Outcome
from csdesk.services import contacts, home, interns
from csdesk.services.base import Actor, Desk, FixedClock
from csdesk.store import open_database

NOW = datetime(2026, 3, 12, 6, 0, tzinfo=UTC)  # Thursday 14:00 in the centre


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    from csdesk.policy import default_policy

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, default_policy(), now=NOW)
    db = open_database(path)
    yield Desk(db=db, policy=default_policy(), clock=FixedClock(NOW))
    db.close()


def _actor(desk, number):
    with desk.read() as session:
        return Actor.of(session.execute(select(Staff).where(Staff.employee_number == number)).scalar_one())


def test_st_4_one_intern_ready_one_summary_waiting_one_early_recommendation(desk):
    director = _actor(desk, "1002")
    views = interns.interns(desk, director)
    assert len(views) == 3
    ready = [v for v in views if v.conversion.ok]
    assert len(ready) == 1 and ready[0].hours >= 40 and ready[0].check_ins == 2
    assert {str(v.summary) for v in views} == {"approved", "waiting"}
    [early] = [v for v in views if str(v.early) == "recommended"]
    assert early.conversion.outcome is Outcome.NEEDS_APPROVAL and early.hours < 40
    # Each leader sees their own squad's intern only.
    assert len(interns.interns(desk, _actor(desk, "1101"))) == 1


def test_sc_5_tk_17_duties_done_and_overdue_by_squad(desk):
    lotus = home.duties_today(desk, _actor(desk, "1101"))
    bamboo = home.duties_today(desk, _actor(desk, "1301"))
    assert not any(line.status is DutyStatus.OVERDUE and line.duty_id == "workload-report" for line in lotus)
    assert any(line.status is DutyStatus.OVERDUE and line.duty_id == "workload-report" for line in bamboo)
    assert any(line.status is DutyStatus.DONE for line in lotus)
    inspector = home.duties_today(desk, _actor(desk, "1003"))
    assert any(line.status is DutyStatus.OVERDUE and line.duty_id == "daily-quality-report" for line in inspector)


def test_st_5_the_contact_sheet_flags_two_missing_addresses(desk):
    sheet = contacts.contact_sheet(desk, _actor(desk, "1101"))
    assert len(sheet) == 39
    assert sum(line.check.outcome is Outcome.WARNING for line in sheet) == 2
    assert all(line.emergency_contact for line in sheet)
