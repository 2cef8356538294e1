"""The monthly evaluation on screen: table, chart, best and worst, reviews, export (AT-6, DS-2)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from csdesk.app import make_app
from csdesk.cli import main as cli_main
from csdesk.models import AuditLog
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import Role
from csdesk.screens.evaluation import EvaluationScreen
from csdesk.screens.home import HomeScreen, area_commands
from csdesk.services.base import Actor
from csdesk.services.ledger import grant_reward, record_fine


@pytest.fixture
def centre(desk, make_squad, make_staff):
    """Squad 莲花组: 王芳 rewarded, 张伟 with three complaints in March; squad 竹组: Lucas, clean."""
    lotus, bamboo = make_squad("莲花组"), make_squad("竹组")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1101", real_name="李娜")
    make_staff(role=Role.SQUAD_LEADER, squad=bamboo, employee_number="1301", real_name="Carmen Ruiz")
    director = make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002", real_name="María González")
    wang = make_staff(squad=lotus, employee_number="1110", real_name="王芳")
    zhang = make_staff(squad=lotus, employee_number="1111", real_name="张伟")
    make_staff(squad=bamboo, employee_number="1313", real_name="Lucas Anderson")
    boss = Actor.of(leader)
    for day in (2, 3, 4):
        record_fine(
            desk,
            boss,
            zhang.id,
            Offence.COMPLAINT,
            "quarrel",
            occurred_at=datetime(2026, 3, day, 12, tzinfo=desk.policy.zone),
        )
    grant_reward(desk, boss, wang.id, 30, "idea adopted")
    return SimpleNamespace(leader=boss, director=Actor.of(director), agent=Actor.of(wang))


def desk_app(db, desk):
    return make_app(SimpleNamespace(lang=None), db, desk_factory=lambda: desk)


def text_of(screen, selector) -> str:
    return str(screen.query_one(selector, Static).render())


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def test_a_director_opens_it_from_home_and_sees_best_worst_chart_and_reviews(
    db, desk, centre, drive, settle, tmp_path, monkeypatch
):  # rule: AT-6, DS-2
    monkeypatch.chdir(tmp_path)
    app = desk_app(db, desk)

    async def scenario(pilot):
        app.signed_in(centre.director)
        await settle(app)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("e")
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvaluationScreen)
        assert "Evaluation 2026-03 · whole centre · 3 people" in text_of(screen, "#ev-title")
        named = text_of(screen, "#ev-named")
        assert "Best: No. 1110 王芳" in named and "Worst: No. 1111 张伟" in named
        table = rows(screen.query_one("#ev-table", DataTable))
        assert [r[2] for r in table] == ["王芳", "Lucas Ander…", "张伟"]  # 12 columns at 80
        assert table[2][8] == "350.00" and table[0][8] == "-30.00"
        assert screen.query_one("#ev-chart", PlotextPlot).display
        assert "No. 1111 张伟 FN-3 ×3" in text_of(screen, "#ev-reviews")
        # The squad's own view (squads come in name order: 竹组, then 莲花组): 张伟 is second of two.
        await pilot.press("s", "s")
        await settle(app)
        await pilot.pause()
        assert "莲花组 · 2 people" in text_of(screen, "#ev-title")
        assert [r[0] for r in rows(screen.query_one("#ev-table", DataTable))] == ["1", "2"]
        # Export from the screen: the file and its audit row.
        await pilot.press("e")
        await settle(app)
        await pilot.pause()
        # February held nothing: nobody is named.
        await pilot.press("left_square_bracket")
        await settle(app)
        await pilot.pause()
        assert "2026-02" in text_of(screen, "#ev-title")
        assert "nobody is named" in text_of(screen, "#ev-named")

    drive(app, scenario)
    exported = tmp_path / "evaluation-2026-03.csv"
    assert exported.exists() and (tmp_path / "evaluation-2026-03-reviews.csv").exists()
    with desk.read() as session:
        logged = session.exec(select(AuditLog).where(AuditLog.action == "evaluation.export")).one()
        assert logged.actor_id == centre.director.staff_id and logged.entity_id == "2026-03"
    # The screen writes what the command line writes.
    cli_file = tmp_path / "cli.csv"
    squad = logged.after["squad_id"]
    assert squad is not None
    assert (
        cli_main(
            [
                "--db",
                str(db.path),
                "export",
                "evaluation",
                "--month",
                "2026-03",
                "--squad",
                "莲花组",
                "--as",
                "1002",
                "--out",
                str(cli_file),
            ]
        )
        == 0
    )
    assert cli_file.read_text(encoding="utf-8-sig") == exported.read_text(encoding="utf-8-sig")


def test_a_squad_leader_sees_their_squad_without_reviews(db, desk, centre, drive, settle):  # rule: AT-6
    app = desk_app(db, desk)

    async def scenario(pilot):
        app.signed_in(centre.leader)
        await settle(app)
        app.push_screen(EvaluationScreen())
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert "莲花组 · 2 people" in text_of(screen, "#ev-title")
        assert not screen.query_one("#ev-reviews", Static).display
        bound = {b.binding.key for b in screen.active_bindings.values()}
        assert "s" not in bound  # no other squad to walk to

    drive(app, scenario)


def test_an_agent_is_not_offered_the_evaluation_and_is_told_why(db, desk, centre, drive, settle):  # rule: AT-6
    assert area_commands("evaluation", SimpleNamespace(role=Role.AGENT)) == []
    assert area_commands("evaluation", SimpleNamespace(role=Role.SQUAD_LEADER))
    app = desk_app(db, desk)

    async def scenario(pilot):
        app.signed_in(centre.agent)
        await settle(app)
        app.push_screen(EvaluationScreen())
        await settle(app)
        await pilot.pause()
        said = text_of(app.screen, "#ev-title")
        assert "for squad leaders and directors" in said and "AT-6" in said
        assert not app.screen.query_one("#ev-table", DataTable).display

    drive(app, scenario)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_evaluation_snapshot(snap_compare, db, desk, centre, settle, size):  # rule: AT-6, DS-2
    async def open_it(pilot):
        pilot.app.signed_in(centre.director)
        await settle(pilot.app)
        pilot.app.push_screen(EvaluationScreen())
        await settle(pilot.app)
        await pilot.pause()

    assert snap_compare(desk_app(db, desk), terminal_size=size, run_before=open_it)
