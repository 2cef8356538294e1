"""The keys people know from terminal tools work the same on every screen."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.command import CommandPalette
from textual.widgets import DataTable, Footer

from csdesk.i18n import N_
from csdesk.rules.vocab import LEADER_ROLES, Role
from csdesk.screens import commands
from csdesk.screens.base import DeskScreen
from csdesk.screens.commands import register_command
from csdesk.screens.help import HelpScreen
from csdesk.services import auth
from csdesk.services.base import Actor
from csdesk.widgets.filter_bar import FilterBar
from csdesk.widgets.paged_table import PagedTable

from .conftest import StubHome

LEADER = Actor(1, "1024", "Li Na", Role.SQUAD_LEADER, 3)
AGENT = Actor(2, "2048", "Wang Fang", Role.AGENT, 3)


class QueueScreen(DeskScreen):
    def __init__(self, queue: str = "forum") -> None:
        super().__init__()
        self.queue = queue

    def compose(self) -> ComposeResult:
        yield PagedTable(["Ticket"], lambda offset, limit, text: [("T1",), ("T2",)], id="queue")
        yield FilterBar("queue")
        yield Footer()


def signed_in_as(stub_app, actor):
    return stub_app({auth.sign_in: lambda desk, number, pin: actor})


async def sign_in(pilot, settle):
    await pilot.press(*"1", "enter", *"1", "enter")
    await settle(pilot.app)
    await pilot.pause()


def help_rows(app) -> list[tuple[str, str]]:
    table = app.screen.query_one("#help-keys", DataTable)
    return [tuple(table.get_row_at(i)) for i in range(table.row_count)]


def test_question_mark_lists_the_keys_of_the_screen_it_was_pressed_on(stub_app, settle, drive):
    app = signed_in_as(stub_app, AGENT)

    async def scenario(pilot):
        await sign_in(pilot, settle)
        app.push_screen(QueueScreen())
        await pilot.pause()
        app.screen.query_one(PagedTable).focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict((what, key) for key, what in help_rows(app))
        assert rows["Down"] == "j"
        assert rows["Up"] == "k"
        assert rows["Open"] == "⏎"
        assert rows["Filter"] == "/"
        assert rows["Back"] == "esc"
        assert rows["Commands"] == "^p"
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)

    drive(app, scenario)


def test_escape_goes_back_but_never_signs_out_from_home(stub_app, settle, drive):
    app = signed_in_as(stub_app, AGENT)

    async def scenario(pilot):
        await sign_in(pilot, settle)
        app.push_screen(QueueScreen())
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StubHome)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StubHome)

    drive(app, scenario)


def test_slash_opens_the_filter_and_escape_clears_it(stub_app, settle, drive):
    app = signed_in_as(stub_app, AGENT)

    async def scenario(pilot):
        await sign_in(pilot, settle)
        app.push_screen(QueueScreen())
        await pilot.pause()
        bar = app.screen.query_one(FilterBar)
        assert not bar.display
        await pilot.press("slash")
        assert bar.display and app.focused is bar
        await pilot.press(*"T2", "escape")
        await pilot.pause()
        assert bar.value == "" and not bar.display
        assert app.focused is app.screen.query_one(PagedTable)

    drive(app, scenario)


def palette_prompts(app) -> list[str]:
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one("CommandList")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def test_palette_offers_only_what_the_role_may_use(stub_app, settle, drive, isolated_commands):
    register_command(
        "fines",
        N_("Record a fine"),
        N_("Fine an agent"),
        action=lambda app: None,
        roles=LEADER_ROLES,
    )
    register_command("tickets", N_("My queue"), N_("Tickets to work on"), action=lambda app: None)

    def prompts_for(actor) -> list[str]:
        seen: list[str] = []
        app = signed_in_as(stub_app, actor)

        async def scenario(pilot):
            await sign_in(pilot, settle)
            await pilot.press("ctrl+p")  # an empty search lists every command offered
            await pilot.pause(0.5)
            seen.extend(palette_prompts(app))

        drive(app, scenario)
        return " | ".join(seen)

    agent_sees = prompts_for(AGENT)
    leader_sees = prompts_for(LEADER)
    assert "My queue" in agent_sees and "My queue" in leader_sees
    assert "Record a fine" not in agent_sees
    assert "Record a fine" in leader_sees


async def run_from_palette(pilot, settle, typed: str) -> None:
    """Signs in, types ``typed`` into the command palette and runs the first match."""
    await sign_in(pilot, settle)
    await pilot.press("ctrl+p", *typed)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()


def test_palette_opens_a_registered_screen(stub_app, settle, drive, isolated_commands):
    register_command("tickets", N_("My queue"), N_("Tickets to work on"), screen=QueueScreen)
    app = signed_in_as(stub_app, AGENT)

    async def scenario(pilot):
        await run_from_palette(pilot, settle, "my queue")
        assert isinstance(app.screen, QueueScreen)

    drive(app, scenario)


def test_palette_opens_a_screen_named_by_module_with_its_arguments(stub_app, settle, drive, isolated_commands):
    command = register_command(
        "tickets", N_("My queue"), N_("Tickets to work on"), screen=f"{__name__}:QueueScreen", args=("mine",)
    )
    assert command.owner == __name__  # what home's Go to row goes by
    app = signed_in_as(stub_app, AGENT)

    async def scenario(pilot):
        await run_from_palette(pilot, settle, "my queue")
        assert isinstance(app.screen, QueueScreen) and app.screen.queue == "mine"

    drive(app, scenario)


def test_every_command_of_the_desk_opens_something_that_exists():
    commands.load_area_modules()
    named = [c for c in commands._registry if c.owner.startswith("csdesk.screens.")]
    assert {c.owner for c in named} >= {"csdesk.screens.fines", "csdesk.screens.home", "csdesk.screens.queues"}
    for command in named:
        run = command.run
        target = run.args[0] if isinstance(run, partial) else run
        assert callable(target.resolve()), command.title


def test_footer_shows_the_navigation_keys(stub_app, settle, drive):
    app = signed_in_as(stub_app, AGENT)

    async def scenario(pilot):
        await sign_in(pilot, settle)
        app.push_screen(QueueScreen())
        await pilot.pause()
        app.screen.query_one(PagedTable).focus()
        await pilot.pause()
        footer = " ".join(str(w.render()) for w in app.screen.query_one(Footer).query("*"))
        for words in ("Help", "Back", "Filter", "Open", "Commands"):
            assert words in footer

    drive(app, scenario)


def test_sign_out_returns_to_a_clean_sign_in(stub_app, settle, drive):
    from textual.widgets import Input

    from csdesk.screens.signin import SignInScreen

    app = signed_in_as(stub_app, AGENT)

    async def scenario(pilot):
        await sign_in(pilot, settle)
        app.sign_out()
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert app.actor is None and app.live is None
        assert [i.value for i in app.screen.query(Input)] == ["", "", ""]

    drive(app, scenario)
