"""The attendance week on screen, and its export matching the CLI's (AT-4, AT-5)."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable

from csdesk.cli import main as cli_main
from csdesk.rules.vocab import AttendanceStatus
from csdesk.screens.attendance import AttendanceScreen
from csdesk.services import rollcall
from csdesk.services.base import Desk, FixedClock

from .test_rollcall import SHIFT_DAY, TWENTY_ONE_LATE, app_for, late_desk, squad_of_30  # noqa: F401

# The Monday after the roll-call week: that week is over.
NEXT_MONDAY = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)


def test_the_week_shows_and_exports_the_same_rows_as_the_cli(
    db, late_desk, policy, make_squad, make_staff, actor_of, drive, settle, tmp_path, monkeypatch
):  # rule: AT-4, AT-5
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    view = rollcall.open_roll_call(late_desk, team.leader, team.squad_id, SHIFT_DAY, "day")
    rollcall.mark(late_desk, team.leader, view.session_id, team.agents[3].id, AttendanceStatus.LATE, TWENTY_ONE_LATE)
    rollcall.mark_rest_present(late_desk, team.leader, view.session_id)
    rollcall.close_roll_call(late_desk, team.leader, view.session_id)

    screen_dir = tmp_path / "screen"
    screen_dir.mkdir()
    monkeypatch.chdir(screen_dir)
    later = Desk(db=db, policy=policy, clock=FixedClock(NEXT_MONDAY))
    app = app_for(db, later)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        app.push_screen(AttendanceScreen())
        await settle(app)
        await pilot.pause()
        title = str(app.screen.query_one("#att-title").render())
        assert "week 2026-W12" in title  # this week first
        await pilot.press("left_square_bracket")
        await settle(app)
        await pilot.pause()
        title = str(app.screen.query_one("#att-title").render())
        assert "week 2026-W11" in title and "莲花组" in title
        # Nobody worked 30 hours: one shift each, none clocked out (AT-4).
        assert "30 under 30 h" in title
        week = app.screen.query_one("#att-week", DataTable)
        assert week.row_count == 30
        assert str(week.get_row_at(3)[2]) == "X"  # 21 minutes late: absenteeism (AT-2)
        await pilot.press("e")
        await settle(app)
        await pilot.pause()
        said = str(app.screen.query_one("#att-said").render())
        assert str(screen_dir / "attendance-2026-W11.csv") in said

    drive(app, scenario)

    cli_file = tmp_path / "cli.csv"
    assert (
        cli_main(
            ["--db", str(db.path), "export", "attendance", "--week", "2026-W11", "--as", "1101", "--out", str(cli_file)]
        )
        == 0
    )
    screen_file = screen_dir / "attendance-2026-W11.csv"
    assert screen_file.read_text(encoding="utf-8-sig") == cli_file.read_text(encoding="utf-8-sig")
    assert len(screen_file.read_text(encoding="utf-8-sig").splitlines()) == 31
    assert (screen_dir / "attendance-2026-W11-hours.csv").read_text(encoding="utf-8-sig") == (
        tmp_path / "cli-hours.csv"
    ).read_text(encoding="utf-8-sig")


def test_an_agent_is_told_attendance_is_for_leaders(
    db, late_desk, make_squad, make_staff, actor_of, drive, settle
):  # rule: AT-5
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(actor_of(team.agents[0]))
        await settle(app)
        app.push_screen(AttendanceScreen())
        await settle(app)
        await pilot.pause()
        title = str(app.screen.query_one("#att-title").render())
        assert "for leaders" in title and "AT-5" in title

    drive(app, scenario)


def test_the_week_fits_80_columns_with_every_heading_whole_in_chinese(
    db, late_desk, policy, make_squad, make_staff, actor_of, drive, settle
):
    from types import SimpleNamespace

    from rich.cells import cell_len

    from csdesk import i18n
    from csdesk.app import make_app

    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    later = Desk(db=db, policy=policy, clock=FixedClock(NEXT_MONDAY))
    app = make_app(SimpleNamespace(lang="zh_CN"), db, desk_factory=lambda: later)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        app.push_screen(AttendanceScreen())
        await settle(app)
        await pilot.pause()
        table = app.screen.query_one("#att-week", DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert "≥30小时" in headings and "违规" in headings
        for column in table.columns.values():
            assert column.get_render_width(table) >= cell_len(str(column.label)) + 2, column.label
        # Nothing to scroll sideways to: the last column is on screen.
        assert table.virtual_size.width <= table.scrollable_content_region.width

    try:
        drive(app, scenario)
    finally:
        i18n.install_language(None)
