"""The emergency contact sheet on screen (ST-5): leaders see and export it, agents are told why not (ST-6)."""

from __future__ import annotations

import csv

import pytest
from textual.widgets import DataTable

from csdesk.exports.contacts import CONFIDENTIAL
from csdesk.rules.vocab import Role
from csdesk.screens.contacts import ContactsScreen
from csdesk.screens.home import HomeScreen

from .test_home import rows
from .test_rollcall import app_for, late_desk  # noqa: F401 - a fixture


@pytest.fixture
def w(late_desk, make_squad, make_staff, actor_of):
    squad = make_squad("莲花组")

    class World:
        leader = actor_of(
            make_staff(
                role=Role.SQUAD_LEADER,
                squad=squad,
                real_name="李娜",
                phone="13800000002",
                address="上海市浦东新区张江路 88 号",
                emergency_contact="丈夫 13800000008",
            )
        )
        agent = actor_of(make_staff(squad=squad, real_name="王芳", phone="13900000003"))

    return World


def test_st_5_a_leader_sees_the_sheet_and_exports_it(db, late_desk, w, drive, settle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(w.leader)
        await settle(app)
        await pilot.press("c")
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        listed = rows(screen.query_one("#contacts-table", DataTable))
        assert any("李娜" in r and "13800000002" in r for r in listed)
        assert any("王芳" in r and "missing" in r for r in listed)  # no address on file
        assert "1 formal staff missing" in str(screen.query_one("#contacts-title").render())
        await pilot.press("e")
        await settle(app)
        await pilot.pause()
        assert "confidential" in str(screen.query_one("#contacts-said").render())

    drive(app, scenario)
    [written] = list(tmp_path.glob("contacts-confidential-*.csv"))
    with written.open(encoding="utf-8-sig", newline="") as handle:
        sheet = list(csv.reader(handle))
    assert sheet[0] == [CONFIDENTIAL] and {r[1] for r in sheet[2:]} == {"李娜", "王芳"}


def test_st_6_an_agent_has_no_key_and_the_screen_names_the_rule(db, late_desk, w, drive, settle):
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(w.agent)
        await settle(app)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert "c" not in {b.binding.key for b in home.active_bindings.values() if b.enabled}
        app.push_screen(ContactsScreen())
        await settle(app)
        await pilot.pause()
        title = str(app.screen.query_one("#contacts-title").render())
        assert "Agent" in title and "ST-6" in title and "13800000002" not in title
        assert not app.screen.query_one("#contacts-table", DataTable).display

    drive(app, scenario)
