"""Issue 4: at 80x24 every key a screen's footer shows is on screen, not cut off at the edge;
the keys with no room there are in a row of the screen body instead."""

from __future__ import annotations

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from csdesk.rules.vocab import Role
from csdesk.screens.home import HomeScreen
from csdesk.screens.ticket import TicketScreen
from csdesk.services import tickets
from csdesk.widgets.key_row import KeyRow

from .test_rollcall import app_for, late_desk, squad_of_30  # noqa: F401 - a fixture

WIDTH = 80
# Home's area keys, pressed one after the other; each opens a screen or says why not.
AREAS = "rtqihlfuncgkem"


@pytest.fixture
def team(late_desk, make_squad, make_staff, actor_of):
    return squad_of_30(late_desk, make_squad, make_staff, actor_of)


def cut_keys(screen) -> list[str]:
    """The footer keys of ``screen`` that are not wholly inside the terminal."""
    keys = [key for footer in screen.query(Footer) for key in footer.query(FooterKey)]
    assert keys, f"{type(screen).__name__} has no footer keys"
    return [
        f"{key.key_display or key.key} {key.description}"
        for key in keys
        if key.region.width == 0 or key.region.right > WIDTH
    ]


@pytest.mark.parametrize("role", [Role.AGENT, Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR])
def test_every_footer_key_of_every_screen_fits_at_80_columns(
    db, late_desk, team, make_staff, actor_of, role, drive, settle
):
    person = {
        Role.AGENT: actor_of(team.agents[0]),
        Role.SQUAD_LEADER: team.leader,
        Role.DEPARTMENT_DIRECTOR: actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002")),
    }[role]
    ticket = tickets.take_in(late_desk, team.leader, "phone", "complaint", "钱女士", "13800001111", "送货太慢", "")
    app = app_for(db, late_desk)
    seen: dict[str, list[str]] = {}

    async def look(pilot) -> None:
        await settle(app)
        await pilot.pause()
        # A screen shows its keys once what it shows has loaded; a busy machine takes longer.
        for _ in range(50):
            if any(footer.query(FooterKey) for footer in app.screen.query(Footer)):
                break
            await pilot.pause(0.1)
        seen[type(app.screen).__name__] = cut_keys(app.screen)

    async def scenario(pilot):
        app.signed_in(person)
        await look(pilot)
        for key in AREAS:
            await pilot.press(key)
            await look(pilot)
            if not isinstance(app.screen, HomeScreen):
                await pilot.press("escape")
                await settle(app)
        app.push_screen(TicketScreen(ticket.id))
        await look(pilot)

    drive(app, scenario, size=(WIDTH, 24))
    assert len(seen) >= 8, sorted(seen)
    assert {name: cut for name, cut in seen.items() if cut} == {}


def test_keys_left_out_of_the_footer_are_listed_in_the_screen_and_work(db, late_desk, team, drive, settle):
    ticket = tickets.take_in(late_desk, team.leader, "phone", "complaint", "钱女士", "13800001111", "送货太慢", "")
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        home = app.screen
        go_to = str(home.query_one("#home-goto", KeyRow).render())
        assert go_to.startswith("Go to:")
        for words in ("r Roll call", "l Leave & swaps", "m Memo book"):
            assert words in go_to  # never split across two lines
        assert all(len(line) <= WIDTH - 2 for line in go_to.splitlines())
        app.push_screen(TicketScreen(ticket.id))
        await settle(app)
        await pilot.pause()
        actions = str(app.screen.query_one("#ticket-more", KeyRow).render())
        assert "x Resolve" in actions and "e Escalate" in actions
        await pilot.click("#ticket-more", offset=(actions.index("e Escalate") + 2, 0))
        await settle(app)
        await pilot.pause()
        assert type(app.screen).__name__ != "TicketScreen"  # the escalation form is open

    drive(app, scenario, size=(WIDTH, 24))
