"""Keys that behave the same on every screen: tabs by [ ] and number, Enter opens a row,
a dialog's Enter does what its highlighted button says, Help shows the way out."""

from __future__ import annotations

from datetime import date

from textual.app import App
from textual.widgets import Button, DataTable, TabbedContent, Tabs

from csdesk.rules.vocab import ShiftKind
from csdesk.screens.help import HelpScreen
from csdesk.screens.leave import LeaveScreen
from csdesk.screens.queues import QueuesScreen, QueueTable
from csdesk.services import leave
from csdesk.widgets.confirm import Confirmed, ConfirmModal
from csdesk.widgets.detail import DetailModal

from .test_leave import centre, desk_app, open_leave, put_on_roster  # noqa: F401 - the fixture
from .test_queues import app_on, open_screen, run, settle


def test_tabs_switch_by_brackets_and_number_and_the_focus_follows_into_the_shown_tab(desk, make_staff, actor_of):
    agent = actor_of(make_staff(employee_number="1110"))
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen())
            tabs = screen.query_one(TabbedContent)
            assert tabs.active == "queue-forum"
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert tabs.active == "queue-email"
            await pilot.press("left_square_bracket", "left_square_bracket")
            await pilot.pause()
            assert tabs.active == "queue-mine"  # round the end
            await pilot.press("3")
            await settle(app)
            await pilot.pause()
            assert tabs.active == "queue-chat"
            # The list under the keys is the shown tab's, never a hidden one's.
            assert isinstance(app.focused, QueueTable) and app.focused.queue == "chat"
            # On the tab bar, moving along it keeps the focus there.
            screen.query_one(Tabs).focus()
            await pilot.press("right")
            await pilot.pause()
            assert tabs.active == "queue-back_office" and isinstance(app.focused, Tabs)
            assert screen.check_action("tab_number", (6,)) is True
            assert screen.check_action("tab_number", (7,)) is False

    run(scenario())


def test_enter_opens_the_row_and_two_switches_tabs_on_leave(db, desk, centre, drive, settle):  # noqa: F811
    put_on_roster(desk, centre.agent.staff_id, (date(2026, 3, 12), ShiftKind.DAY))
    leave.file_leave(desk, centre.agent, centre.agent.staff_id, "personal", "2026-03-12", "2026-03-12", "trip")
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_leave(pilot, centre.leader, settle)
        await pilot.press("2")
        await settle(app)
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "waiting"
        assert isinstance(app.focused, DataTable) and app.focused.id == "pending-leave"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailModal)
        assert "personal" in app.screen.text.lower() or "Personal" in app.screen.text
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert isinstance(screen, LeaveScreen)

    drive(app, scenario)


def test_a_dialogs_enter_does_what_its_highlighted_button_says(drive):
    results: list[Confirmed | None] = []

    class ConfirmApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ConfirmModal("Approve", "Approve the summary?"), results.append)

    async def scenario(pilot):
        focused = pilot.app.focused
        assert isinstance(focused, Button) and focused.id == "confirm-ok"
        await pilot.press("enter")
        await pilot.pause()
        assert results == [Confirmed("")]
        pilot.app.push_screen(ConfirmModal("Throw away", "Throw it away?", destructive=True), results.append)
        await pilot.pause()
        focused = pilot.app.focused
        assert isinstance(focused, Button) and focused.id == "confirm-cancel"
        await pilot.press("enter")
        await pilot.pause()
        assert results == [Confirmed(""), None]

    drive(ConfirmApp(), scenario)


def test_help_lists_quit_and_sign_out(desk, make_staff, actor_of):
    agent = actor_of(make_staff(employee_number="1110"))
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(pilot, agent, QueuesScreen())
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            table = app.screen.query_one(DataTable)
            words = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
            assert any(w.endswith(" Quit") for w in words)
            assert any("Sign out" in w for w in words)
            assert any("Next tab" in w for w in words), words

    run(scenario())


def test_the_palette_asks_in_the_desks_language(desk, make_staff, actor_of):
    from types import SimpleNamespace

    from textual.command import CommandPalette
    from textual.widgets import Input, OptionList

    from csdesk import i18n
    from csdesk.app import make_app

    agent = actor_of(make_staff(employee_number="1110"))
    app = make_app(SimpleNamespace(lang="zh_CN"), desk.db, desk_factory=lambda: desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            app.signed_in(agent)
            await settle(app)
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            assert app.screen.query_one(Input).placeholder == "搜索命令…"
            await pilot.press(*"qqqzzz")
            # Textual says it found nothing half a second after the typing stops.
            for _ in range(50):
                found = [
                    str(option.prompt.renderable)
                    for option in app.screen.query_one(OptionList).options
                    if option.id == "--no-matches"
                ]
                if found:
                    break
                await pilot.pause(0.05)
            assert found == ["没有匹配的命令"]

    try:
        run(scenario())
    finally:
        i18n.install_language(None)
