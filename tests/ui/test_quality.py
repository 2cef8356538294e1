"""Quality inspection on screen: an inspector scores an agent by keyboard, the list
flags who is under 1 and who is at 5, and who may reach it from home (QA-1..QA-4)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Static

from csdesk.app import make_app
from csdesk.models import Inspection, SpotCheck
from csdesk.rules.vocab import Role
from csdesk.screens.home import HomeScreen
from csdesk.screens.quality import (
    InspectionForm,
    MonthlySheetScreen,
    QualityScreen,
    SpotCheckScreen,
    WeeklySummaryScreen,
)
from csdesk.services import quality
from csdesk.services.base import Actor
from csdesk.widgets.paged_table import PagedTable

GOOD = {"service_language": 18, "attitude": 23, "tone": 14, "eliciting_needs": 18, "responsiveness": 19}


@pytest.fixture
def centre(make_squad, make_staff):
    squad = make_squad("莲花组")
    inspector = make_staff(role=Role.INSPECTOR, employee_number="1003", real_name="陈静")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="李娜")
    first = make_staff(squad=squad, employee_number="1110", real_name="王芳")
    second = make_staff(squad=squad, employee_number="1111", real_name="张伟")
    third = make_staff(squad=squad, employee_number="1112", real_name="Lucía Pérez")
    return SimpleNamespace(
        inspector=Actor.of(inspector),
        leader=Actor.of(leader),
        first=Actor.of(first),
        second=Actor.of(second),
        third=Actor.of(third),
    )


def desk_app(db, desk):
    return make_app(SimpleNamespace(lang="en"), db, desk_factory=lambda: desk)


def table_text(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_quality(pilot, actor, settle):
    app = pilot.app
    app.signed_in(actor)
    await settle(app)
    await pilot.pause()
    app.push_screen(QualityScreen())
    await settle(app)
    await pilot.pause()
    return app.screen


def test_qa_1_an_inspector_scores_an_agent_by_keyboard_and_the_list_counts_it(db, desk, centre, drive, settle):
    for _ in range(4):
        quality.record_inspection(desk, centre.inspector, centre.first.staff_id, GOOD)
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_quality(pilot, centre.inspector, settle)
        rows = table_text(screen.query_one("#qa-agents", PagedTable))
        assert [r[:5] for r in rows] == [
            ["1110", "王芳", "莲花组", "4/5", "in progress"],
            ["1111", "张伟", "莲花组", "0/5", "needs a sample"],
            ["1112", "Lucía Pérez", "莲花组", "0/5", "needs a sample"],
        ]
        assert "2 need a sample · 0 complete · 3 agents" in str(screen.query_one("#qa-counts", Static).render())
        await pilot.press("j", "n")  # 张伟, score
        await settle(app)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InspectionForm)
        # The agent is chosen and the first score has the cursor; Enter moves score to score.
        for points in ("16", "14", "9", "15", "18"):
            await pilot.press(*points, "enter")
        preview = str(form.query_one("#qa-preview", Static).render())
        assert "Total 72 of 100 (5 of 5 criteria scored)" in preview
        await pilot.press(*"asked twice, then impatient", "enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, QualityScreen)
        await settle(app)
        await pilot.pause()
        rows = table_text(app.screen.query_one("#qa-agents", PagedTable))
        assert rows[1][3:5] == ["1/5", "in progress"]

    drive(app, scenario)
    with desk.read() as session:
        saved = session.exec(select(Inspection).where(Inspection.agent_id == centre.second.staff_id)).one()
    assert saved.scores == {
        "service_language": 16,
        "attitude": 14,
        "tone": 9,
        "eliciting_needs": 15,
        "responsiveness": 18,
    }
    assert saved.comments == "asked twice, then impatient" and saved.inspector_id == centre.inspector.staff_id


def test_qa_1_a_score_off_its_scale_is_said_and_nothing_saved(db, desk, centre, drive, settle):
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_quality(pilot, centre.inspector, settle)
        await pilot.press("n")
        await settle(app)
        await pilot.pause()
        form = app.screen
        for points in ("18", "23", "16", "18", "19"):  # tone runs to 15
            await pilot.press(*points, "enter")
        assert "tone runs from 0 to 15" in str(form.query_one("#qa-preview", Static).render())
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert app.screen is form
        assert "QA-1: tone runs from 0 to 15" in str(form.query_one("#qa-preview", Static).render())
        assert form.focused.id == "score-tone"

    drive(app, scenario)
    with desk.read() as session:
        assert session.exec(select(Inspection)).all() == []


def test_qa_1_the_under_1_and_at_5_views_and_the_sixth_sample_refused(db, desk, centre, drive, settle):
    for _ in range(5):
        quality.record_inspection(desk, centre.inspector, centre.first.staff_id, GOOD)
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_quality(pilot, centre.inspector, settle)
        await pilot.press("c")
        await settle(app)
        await pilot.pause()
        assert [r[1] for r in table_text(screen.query_one("#qa-agents", PagedTable))] == ["王芳"]
        await pilot.press("u")
        await settle(app)
        await pilot.pause()
        assert [r[1] for r in table_text(screen.query_one("#qa-agents", PagedTable))] == ["张伟", "Lucía Pérez"]
        assert "showing under 1 sample" in str(screen.query_one("#qa-counts", Static).render())
        await pilot.press("a")
        await settle(app)
        await pilot.pause()
        await pilot.press("n")
        await settle(app)
        await pilot.pause()
        for points in ("18", "23", "14", "18", "19"):
            await pilot.press(*points, "enter")
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, InspectionForm)
        assert "at most 5" in str(app.screen.query_one("#qa-preview", Static).render())

    drive(app, scenario)
    with desk.read() as session:
        assert len(session.exec(select(Inspection)).all()) == 5


def test_qa_2_qa_3_month_sheet_and_week_summary_show_the_training(db, desk, centre, drive, settle, tmp_path):
    quality.record_inspection(desk, centre.inspector, centre.second.staff_id, {**GOOD, "tone": 7}, "rushed")
    quality.record_inspection(desk, centre.inspector, centre.first.staff_id, {**GOOD, "tone": 8})
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_quality(pilot, centre.inspector, settle)
        await pilot.press("j", "m")
        await settle(app)
        await pilot.pause()
        sheet = app.screen
        assert isinstance(sheet, MonthlySheetScreen)
        title = str(sheet.query_one("#qa-sheet-title", Static).render())
        assert "2026-03 · No. 1111 张伟 · 莲花组 · 1/5 samples" in title
        rows = table_text(sheet.query_one("#qa-sheet", DataTable))
        assert rows[2][0] == "Tone" and rows[2][-1] == "46.7%"
        assert "Training suggested: Tone" in str(sheet.query_one("#qa-sheet-training", Static).render())
        app.save_screenshot(str(tmp_path / "sheet.svg"))
        await pilot.press("escape", "v")
        await settle(app)
        await pilot.pause()
        week = app.screen
        assert isinstance(week, WeeklySummaryScreen)
        assert "Whole-team training: Tone" in str(week.query_one("#qa-week-team", Static).render())
        assert [r[1] for r in table_text(week.query_one("#qa-week", DataTable))] == ["王芳", "张伟"]
        app.save_screenshot(str(tmp_path / "week.svg"))

    drive(app, scenario)
    # The screens are drawn at 80x24 with the Chinese names whole.
    assert "张伟" in (tmp_path / "sheet.svg").read_text(encoding="utf-8")


def test_qa_4_a_squad_leader_writes_the_daily_report_with_forum_unchecked(db, desk, centre, drive, settle):
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_quality(pilot, centre.leader, settle)
        keys = {b.binding.key for b in screen.active_bindings.values()}
        assert "d" in keys and "n" not in keys  # leaders report, inspectors score
        await pilot.press("d")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, SpotCheckScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.click("#spot-forum")
        await pilot.click("#spot-findings")
        await pilot.press(*"两通电话未按规范问候", "enter", *"greeting drill", "enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, SpotCheckScreen)

    drive(app, scenario)
    with desk.read() as session:
        report = session.exec(select(SpotCheck)).one()
    assert report.checked == ["recordings", "email"] and report.findings == "两通电话未按规范问候"
    assert report.supervisor_id == centre.leader.staff_id and report.training == "greeting drill"


def test_the_quality_key_on_home_is_there_for_inspectors_and_leaders_not_agents(db, desk, centre, drive, settle):
    app = desk_app(db, desk)

    async def scenario(pilot):
        for actor, shown in ((centre.inspector, True), (centre.leader, True), (centre.second, False)):
            app.signed_in(actor)
            await settle(app)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            keys = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled}
            assert ("g" in keys) is shown, actor.role
        app.signed_in(centre.inspector)
        await settle(app)
        await pilot.press("g")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, QualityScreen)

    drive(app, scenario)
