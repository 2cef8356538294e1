"""The month's typing tests (ST-3), recorded by the squad's leader at the desk."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from csdesk.models import TypingTest
from csdesk.rules.vocab import Grade, Role
from csdesk.screens.commands import commands_offered
from csdesk.screens.typing_tests import TypingResultModal, TypingTestsScreen

from .test_home import rows
from .test_rollcall import app_for, late_desk  # noqa: F401 - a fixture


@pytest.fixture
def squad(make_squad, make_staff, actor_of):
    lotus = make_squad("莲花组")
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1101", real_name="李娜"))
    junior = actor_of(make_staff(squad=lotus, employee_number="2001", real_name="王芳", grade=Grade.JUNIOR))
    return leader, junior


async def _record(app, pilot, settle, speed: str) -> None:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, TypingResultModal)
    app.screen.query_one("#typing-speed", Input).value = speed
    await pilot.press("ctrl+s")
    await settle(app)
    await pilot.pause()
    assert isinstance(app.screen, TypingTestsScreen)
    await settle(app)
    await pilot.pause()


@pytest.mark.parametrize(("speed", "below"), [("29", True), ("30", False)], ids=["one under the bar", "at the bar"])
def test_a_junior_typing_test_is_recorded_and_flagged_below_30_a_minute(
    db, late_desk, squad, drive, settle, speed, below
):  # rule: ST-3
    leader, junior = squad
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(leader)
        await settle(app)
        await pilot.pause()
        # The palette offers it to leaders, never to the agents tested.
        assert "Typing tests" in {c.title for c in commands_offered("evaluation", leader)}
        assert "Typing tests" not in {c.title for c in commands_offered("evaluation", junior)}
        app.push_screen(TypingTestsScreen())
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert "not tested yet" in rows(screen.query_one("#typing-table", DataTable))[0]
        # A speed that is not a number is refused on its field; the form stays open, nothing saved.
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        modal.query_one("#typing-speed", Input).value = "abc"
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert app.screen is modal and "whole number" in " ".join(str(w.render()) for w in modal.query(Static))
        await pilot.press("escape")
        await pilot.pause()
        await _record(app, pilot, settle, speed)
        (row,) = rows(screen.query_one("#typing-table", DataTable))
        detail = str(screen.query_one("#typing-detail", Static).render())
        if below:
            assert "below the bar" in row and "29 characters a minute is below the junior bar of 30" in detail
        else:
            assert "meets the bar" in row and "30 characters a minute (bar 30)" in detail

    drive(app, scenario)
    with late_desk.read() as session:
        (result,) = session.exec(select(TypingTest)).all()
    assert (result.staff_id, result.month, result.chars_per_minute) == (junior.staff_id, "2026-03", int(speed))
