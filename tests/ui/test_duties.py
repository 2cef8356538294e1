"""Duties calendar and home (SC-5, TK-17): marked done by the keeper, with what landed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from textual.widgets import DataTable

from csdesk.models import DutyDone
from csdesk.screens.duties import DutiesScreen, span
from csdesk.screens.home import HomeScreen

from .test_home import rows
from .test_rollcall import app_for, late_desk, squad_of_30  # noqa: F401 - a fixture


@pytest.fixture
def team(late_desk, make_squad, make_staff, actor_of):
    return squad_of_30(late_desk, make_squad, make_staff, actor_of)


def _marks(desk):
    with desk.read() as session:
        return [(r.duty, r.period_start, r.done_by_id) for r in session.exec(select(DutyDone)).all()]


def test_sc_5_week_and_month_spans():
    assert span(date(2026, 3, 11), False) == (date(2026, 3, 9), date(2026, 3, 15))
    assert span(date(2026, 2, 14), True) == (date(2026, 2, 1), date(2026, 2, 28))
    assert span(date(2026, 12, 31), True) == (date(2026, 12, 1), date(2026, 12, 31))


def test_tk_17_the_leader_marks_the_workload_report_done_in_the_calendar(db, late_desk, team, drive, settle):
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        await pilot.press("u")
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DutiesScreen)
        table = screen.query_one("#duties-table", DataTable)
        listed = rows(table)
        assert any("Daily workload report" in r for r in listed)
        assert not any("Daily quality report" in r for r in listed)  # the supervisor's
        index = next(
            i
            for i, line in enumerate(screen.lines)
            if line.duty_id == "workload-report" and line.at.date() == date(2026, 3, 9)
        )
        table.move_cursor(row=index)
        await pilot.pause()
        await pilot.press("d")
        await settle(app)
        await pilot.pause()
        assert "李娜" in rows(table)[index]
        await pilot.press("m")  # the month
        await settle(app)
        assert len(screen.lines) > len(listed)

    drive(app, scenario)
    assert _marks(late_desk) == [("workload-report", date(2026, 3, 9), team.leader.staff_id)]


def test_sc_5_an_agent_sees_the_squads_duties_but_cannot_mark_them(db, late_desk, team, actor_of, drive, settle):
    agent = actor_of(team.agents[0])
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(agent)
        await settle(app)
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert "d" not in {b.binding.key for b in home.active_bindings.values() if b.enabled}
        await pilot.press("d")
        await pilot.press("u")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, DutiesScreen) and app.screen.lines
        await pilot.press("d")
        await settle(app)

    drive(app, scenario)
    assert _marks(late_desk) == []


def test_sc_5_d_on_home_marks_the_leaders_duty(db, late_desk, team, drive, settle):
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        home = app.screen
        table = home.query_one("#home-duties", DataTable)
        index = next(
            i
            for i, line in enumerate(home._duties)
            if line.duty_id == "handover-meeting" and line.at.date() == date(2026, 3, 9) and line.at.hour == 8
        )
        table.focus()
        table.move_cursor(row=index)
        await pilot.press("d")
        await settle(app)

    drive(app, scenario)
    assert _marks(late_desk) == [("handover-meeting@08:30", date(2026, 3, 9), team.leader.staff_id)]
