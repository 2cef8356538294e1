"""The footer follows what the keys do, and is rebuilt only when that changes."""

from __future__ import annotations

from textual.widgets import Footer

from csdesk.rules.vocab import Category, Channel
from csdesk.screens.queues import QueuesScreen
from csdesk.services.tickets import claim, take_in

from .test_queues import agent, app_on, open_screen, other, run, settle, squad  # noqa: F401 - fixtures


def footer_keys(screen):
    return [key.description for key in screen.query_one(Footer).query("FooterKey")]


def test_opening_a_screen_and_moving_along_it_rebuild_the_footer_only_when_its_keys_change(desk, agent, monkeypatch):
    for n in range(6):
        take_in(desk, agent, Channel.FORUM, Category.INQUIRY, "王小明", "13812345678", f"question {n}", "")
    rebuilt = []
    original = Footer.recompose

    async def counted(self):
        rebuilt.append(type(self.screen).__name__)
        return await original(self)

    monkeypatch.setattr(Footer, "recompose", counted)

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
