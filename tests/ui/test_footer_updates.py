"""The footer follows what the keys do, and is rebuilt only when that changes."""

from __future__ import annotations

import pytest
from textual.widgets import Footer

from csdesk.rules.vocab import Category, Channel
from csdesk.screens.queues import QueuesScreen
from csdesk.services.tickets import claim, take_in

from .test_queues import agent, app_on, open_screen, other, queues_command, run, settle, squad  # noqa: F401 - fixtures


@pytest.fixture
def rebuilt(monkeypatch):
    """The screens whose footer was built again, one entry a rebuild."""
    rebuilds: list[str] = []
    original = Footer.recompose

    async def counted(self):
        rebuilds.append(type(self.screen).__name__)
        return await original(self)

    monkeypatch.setattr(Footer, "recompose", counted)
    return rebuilds


def footer_keys(screen):
    return [key.description for key in screen.query_one(Footer).query("FooterKey")]


def test_opening_a_screen_and_moving_along_it_rebuild_the_footer_only_when_its_keys_change(desk, agent, rebuilt):
    for n in range(6):
        take_in(desk, agent, Channel.FORUM, Category.INQUIRY, "王小明", "13812345678", f"question {n}", "")

    async def scenario():
        app = app_on(desk)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen("forum"))
            # Its first keys, then "claim" once a row is under the cursor: every
            # focus move and reactive change used to rebuild it as well.
            assert rebuilt.count("QueuesScreen") <= 3
            rebuilt.clear()
            for _ in range(5):
                await pilot.press("down")
            await settle(app)
            await pilot.pause()
            assert "Claim" in footer_keys(screen)
            assert rebuilt == []

    run(scenario())


def test_the_footer_drops_a_key_once_it_no_longer_applies(desk, agent, other):
    ticket = take_in(desk, agent, Channel.FORUM, Category.INQUIRY, "王小明", "13812345678", "mine soon", "")

    async def scenario():
        app = app_on(desk)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen("forum"))
            assert "Claim" in footer_keys(screen)
            claim(desk, other, ticket.id)
            screen.active_table().refresh_rows()
            await settle(app)
            await pilot.pause()
            await pilot.pause()
            assert "Claim" not in footer_keys(screen)

    run(scenario())


def footer_state(screen):
    return {key.description: key.disabled for key in screen.query_one(Footer).query("FooterKey")}


def test_a_key_greyed_out_and_back_is_restyled_not_rebuilt(rebuilt):
    from textual.app import App
    from textual.binding import Binding
    from textual.screen import Screen

    from csdesk.widgets.footer import DeskFooter

    class Board(Screen[None]):
        BINDINGS = [Binding("a", "advance", "Next step"), Binding("x", "remove", "Remove")]
        may_advance = True

        def compose(self):
            yield DeskFooter()

        def check_action(self, action, parameters):
            # As a knowledge entry with no next step: the key stays in view, greyed.
            return (True if self.may_advance else None) if action == "advance" else True

    class BoardApp(App[None]):
        def on_mount(self):
            self.push_screen(Board())

    async def scenario():
        app = BoardApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            board = app.screen
            assert footer_state(board) == {"Next step": False, "Remove": False, "palette": False}
            rebuilt.clear()
            for may, greyed in ((False, True), (True, False)):
                board.may_advance = may
                board.refresh_bindings()
                for _ in range(20):
                    await pilot.pause(0.05)
                    if footer_state(board)["Next step"] is greyed:
                        break
                assert footer_state(board) == {"Next step": greyed, "Remove": False, "palette": False}
            assert rebuilt == []

    run(scenario())


def test_a_kept_screen_opened_again_shows_its_keys_without_rebuilding_them(desk, agent, rebuilt):
    take_in(desk, agent, Channel.FORUM, Category.INQUIRY, "王小明", "13812345678", "question", "")

    async def scenario():
        app = app_on(desk)
        async with app.run_test(size=(80, 24)) as pilot:
            app.signed_in(agent)
            await settle(app)
            queues = queues_command()(agent)
            queues.run(app)
            await settle(app)
            await pilot.pause()
            first = app.screen
            keys = footer_keys(first)
            assert "Back" in keys and "Claim" in keys
            for _ in range(2):
                await pilot.press("escape")
                await settle(app)
                rebuilt.clear()
                queues.run(app)
                await settle(app)
                await pilot.pause()
                assert app.screen is first and footer_keys(first) == keys
                assert "QueuesScreen" not in rebuilt

    run(scenario())
