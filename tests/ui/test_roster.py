"""The month roster by keyboard: a shift put on a day, checked live, refused in place, published."""

from __future__ import annotations

from datetime import date

import pytest
from rich.cells import cell_len
from sqlmodel import select
from textual.widgets import DataTable, Static

from csdesk.models import Notification, RosterDraft, RosterEntry
from csdesk.screens.home import HomeScreen
from csdesk.screens.roster import CoverageModal, RosterScreen

from .test_rollcall import SHIFT_DAY, app_for, late_desk, squad_of_30  # noqa: F401 - a fixture


@pytest.fixture
def team(late_desk, make_squad, make_staff, actor_of):
    return squad_of_30(late_desk, make_squad, make_staff, actor_of)


def _drafts(desk):
    with desk.read() as session:
        return [(r.staff_id, r.work_date, r.shift) for r in session.exec(select(RosterDraft)).all()]


async def _open(pilot, app, team, settle):
    app.signed_in(team.leader)
    await settle(app)
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("s")
    await settle(app)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RosterScreen)
    return screen


def test_the_leader_puts_a_night_shift_on_a_day_and_sees_its_rules(db, late_desk, team, drive, settle):
    app = app_for(db, late_desk)
    first = team.agents[0]

    async def scenario(pilot):
        screen = await _open(pilot, app, team, settle)
        table = screen.query_one("#roster-table", DataTable)
        title = str(screen.query_one("#roster-title", Static).render())
        assert "莲花组" in title and "published" in title
        # 30 agents and their leader, a column per day of March and the names.
        assert table.row_count == 31 and len(table.columns) == 32
        # The first agent, 9 March: published on the day shift.
        table.move_cursor(row=1, column=9)
        await settle(app)
        await pilot.pause()
        assert str(table.get_cell_at((1, 9))).strip() == "D"
        await pilot.press("n")
        await settle(app)
        await pilot.pause()
        assert str(table.get_cell_at((1, 9))).strip() == "N"
        check = str(screen.query_one("#roster-check", Static).render())
        assert "SC-2" in check and "SC-1/SC-3" in check
        assert "draft: 1 day(s)" in str(screen.query_one("#roster-title", Static).render())
        assert screen.why_rule_ids()[:1] == ("SC-2",) or "SC-1" in screen.why_rule_ids()
        # Holiday duty on an ordinary Monday is refused; the cell stays as it was.
        await pilot.press("h")
        await settle(app)
        await pilot.pause()
        assert str(table.get_cell_at((1, 9))).strip() == "N"
        assert app.last_refusal_rule_ids == ("LV-9",)

    drive(app, scenario)
    assert _drafts(late_desk) == [(first.id, SHIFT_DAY, "night")]


def test_publishing_writes_the_roster_and_tells_the_person(db, late_desk, team, drive, settle):
    app = app_for(db, late_desk)
    first = team.agents[0]

    async def scenario(pilot):
        screen = await _open(pilot, app, team, settle)
        table = screen.query_one("#roster-table", DataTable)
        table.move_cursor(row=1, column=9)
        await settle(app)
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await settle(app)
        await pilot.pause()
        assert "published" in str(screen.query_one("#roster-title", Static).render())
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, CoverageModal)

    drive(app, scenario)
    with late_desk.read() as session:
        assert first.id not in [r.staff_id for r in session.exec(select(RosterEntry)).all()]
        assert [n.recipient_id for n in session.exec(select(Notification)).all()] == [first.id]


def test_the_leader_proposes_the_month_and_sees_the_draft(db, late_desk, team, drive, settle, monkeypatch):
    from csdesk.rules import roster_solver

    # Planned by the greedy pass whether or not the solver is installed.
    monkeypatch.setattr(roster_solver, "available", lambda: False)
    app = app_for(db, late_desk)

    async def scenario(pilot):
        screen = await _open(pilot, app, team, settle)
        await pilot.press("a")
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await settle(app)
        await pilot.pause()
        title = str(screen.query_one("#roster-title", Static).render())
        assert "draft:" in title and "proposed greedily" in title

    drive(app, scenario)
    assert _drafts(late_desk)


def test_an_agent_has_no_roster_key(db, late_desk, team, actor_of, drive, settle):
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(actor_of(team.agents[0]))
        await settle(app)
        await pilot.pause()
        await pilot.press("s")
        await settle(app)
        assert isinstance(app.screen, HomeScreen)

    drive(app, scenario)


def test_month_steps_keep_the_year():
    from csdesk.screens.roster import month_after

    assert month_after(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert month_after(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_the_roster_reads_in_chinese_at_80_by_24(db, late_desk, team, drive, settle):
    from types import SimpleNamespace

    from csdesk import i18n
    from csdesk.app import make_app

    app = make_app(SimpleNamespace(lang="zh_CN"), db, desk_factory=lambda: late_desk)

    async def scenario(pilot):
        screen = await _open(pilot, app, team, settle)
        table = screen.query_one("#roster-table", DataTable)
        table.move_cursor(row=1, column=9)
        await settle(app)
        await pilot.press("n")
        await settle(app)
        await pilot.pause()
        title = str(screen.query_one("#roster-title", Static).render())
        assert "排班 · 莲花组" in title and "草稿：1 天未发布" in title
        cover = str(screen.query_one("#roster-cover", Static).render())
        assert "已排/需要" in cover
        check = str(screen.query_one("#roster-check", Static).render())
        assert "计入 2026-03-09" in check and "加班" in check
        # The legend fits the line in Chinese too.
        legend = screen.query_one("#roster-legend", Static)
        assert legend.size.width <= 80 and "白班" in str(legend.render())
        # The actions the footer has no room for, in Chinese, within the width.
        actions = str(screen.query_one("#roster-more").render())
        assert "c 复制一周" in actions and all(cell_len(line) <= 78 for line in actions.splitlines())

    try:
        drive(app, scenario)
    finally:
        i18n.install_language(None)


def test_at_80_columns_every_roster_key_is_in_the_footer_or_the_actions_row(db, late_desk, team, drive, settle):
    from textual.widgets._footer import FooterKey

    from csdesk.widgets.key_row import KeyRow

    from .test_footer_fits import cut_keys

    app = app_for(db, late_desk)

    async def scenario(pilot):
        screen = await _open(pilot, app, team, settle)
        assert cut_keys(screen) == []
        keys = list(screen.query(FooterKey))
        # Each key shows its whole description, none hidden under the command palette's key.
        palette = min(k.region.x for k in keys if k.has_class("-command-palette"))
        assert [k.description for k in keys if not k.has_class("-command-palette") and k.region.right > palette] == []
        assert {"d", "n", "r", "h"} <= {k.key for k in keys}
        actions = str(screen.query_one("#roster-more", KeyRow).render())
        assert actions.startswith("Actions:")
        for words in ("c Copy week", "a Propose month", "p Publish", "v Needed vs planned", "[ Earlier", "] Later"):
            assert words in actions
        assert all(len(line) <= 78 for line in actions.splitlines())

    drive(app, scenario, size=(80, 24))


def test_the_leader_copies_a_week_onto_the_week_they_name(db, late_desk, team, drive, settle):
    from textual.widgets import Input

    from csdesk.screens.roster import CopyWeekModal

    app = app_for(db, late_desk)
    first = team.agents[0]

    async def scenario(pilot):
        screen = await _open(pilot, app, team, settle)
        table = screen.query_one("#roster-table", DataTable)
        table.move_cursor(row=1, column=9)  # the week of Monday 9 March
        await settle(app)
        await pilot.press("c")
        await settle(app)
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CopyWeekModal)
        box = modal.query_one("#copy-week", Input)
        assert box.value == "2026-03-16"  # the next week unless told otherwise
        # A week of another month is refused on the field; the form stays open.
        box.value = "2026-04-08"
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert app.screen is modal
        error = str(modal.query_one(".field-error", Static).render())
        assert "outside 2026-03" in error
        assert _drafts(late_desk) == []
        box.value = "2026-03-25"
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert app.screen is screen
        assert str(table.get_cell_at((1, 23))).strip() == "D"  # Monday 23 March

    drive(app, scenario)
    assert (first.id, date(2026, 3, 23), "day") in _drafts(late_desk)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_roster_snapshot(snap_compare, db, late_desk, team, settle, size):
    async def open_it(pilot):
        await _open(pilot, pilot.app, team, settle)
        table = pilot.app.screen.query_one("#roster-table", DataTable)
        table.move_cursor(row=1, column=9)
        await settle(pilot.app)
        await pilot.pause()

    assert snap_compare(app_for(db, late_desk), terminal_size=size, run_before=open_it)
