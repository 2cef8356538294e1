from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from csdesk.rules.vocab import Role
from csdesk.screens.base import DeskScreen
from csdesk.services import auth
from csdesk.services.base import Actor
from csdesk.widgets.live import DataChanged, PollingFeed

AGENT = Actor(2, "2048", "Wang Fang", Role.AGENT, 3)


class BoardScreen(DeskScreen):
    def __init__(self) -> None:
        super().__init__()
        self.reloads: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static("board")

    def on_data_changed(self, message: DataChanged) -> None:
        self.reloads.append(message.version)


def test_another_desks_change_reaches_the_visible_screen_within_a_few_seconds(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        await pilot.press("1", "enter", "1", "enter")
        await settle(app)
        board = BoardScreen()
        app.push_screen(board)
        await pilot.pause(1.5)
        assert board.reloads == []
        app.open_desk().db.version = 2  # someone else committed
        for _ in range(30):
            await pilot.pause(0.1)
            if board.reloads:
                break
        assert board.reloads == [2]

    drive(app, scenario)


def test_a_screen_coming_back_into_view_reloads_once_if_data_moved_while_hidden(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        await pilot.press("1", "enter", "1", "enter")
        await settle(app)
        board = BoardScreen()
        app.push_screen(board)
        await pilot.pause()
        app.push_screen(DeskScreen())
        await pilot.pause()
        app.open_desk().db.version = 5
        for _ in range(30):
            await pilot.pause(0.1)
            if app.live.version == 5:
                break
        assert board.reloads == []
        app.pop_screen()
        await pilot.pause()
        await pilot.pause()
        assert board.reloads == [5]

    drive(app, scenario)


def test_polling_feed_reports_the_new_version_only_after_it_changes():
    versions = iter([7, 7, 8])
    feed = PollingFeed(lambda: next(versions), interval=0.01)
    last = feed.current()
    assert feed.wait(last, timeout=1.0) == 7
    assert feed.wait(last, timeout=1.0) == 8
