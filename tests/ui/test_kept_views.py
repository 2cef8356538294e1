"""The squad's views opened from the palette are built once and kept: each later opening is the
same screen, where the person left it, showing what changed meanwhile and what time it is now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import DataTable, Static

from csdesk import i18n
from csdesk.models import RosterEntry, Squad
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import AttendanceStatus, Role, ShiftKind
from csdesk.screens.attendance import AttendanceScreen
from csdesk.screens.duties import DutiesScreen
from csdesk.screens.evaluation import EvaluationScreen
from csdesk.screens.language import switch_language
from csdesk.screens.rollcall import RollCallScreen
from csdesk.screens.roster import RosterScreen
from csdesk.screens.timeclock import TimeClockScreen
from csdesk.services import attendance, duties, rollcall, rostering
from csdesk.services.ledger import record_fine
from csdesk.services.roster import ensure_shift_definitions

from .test_kept_forms import leave, open_command, sign_in
from .test_rollcall import SHIFT_DAY, app_for, late_desk, squad_of_30  # noqa: F401 - a fixture

# The kept views of this file, and what each is.
VIEWS = {
    "Attendance week": AttendanceScreen,
    "Roster": RosterScreen,
    "Duties calendar": DutiesScreen,
    "Time clock": TimeClockScreen,
    "Roll call": RollCallScreen,
    "Monthly evaluation": EvaluationScreen,
}


@pytest.fixture
def team(late_desk, make_squad, make_staff, actor_of):
    """李娜's squad of 30 on the day shift of Monday 9 March; the desk's clock stands at 08:51 that day."""
    return squad_of_30(late_desk, make_squad, make_staff, actor_of)


@pytest.fixture
def app(db, late_desk):
    return app_for(db, late_desk)


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def reopen(pilot, title):
    """Esc back to home, then the palette's command again."""
    await leave(pilot)
    return await open_command(pilot, title)


def test_the_attendance_week_opened_again_shows_a_clock_in_made_meanwhile(late_desk, team, app, drive, actor_of):
    agent = team.agents[4]

    def monday(screen):
        return str(screen.query_one("#att-week", DataTable).get_cell(str(agent.id), SHIFT_DAY.isoformat()))

    async def scenario(pilot):
        await sign_in(pilot, team.leader)
        first = await open_command(pilot, "Attendance week")
        assert isinstance(first, AttendanceScreen)
        assert "week 2026-W11" in text(first, "#att-title")
        assert monday(first) == "X"  # 21 minutes into the shift and not there: absent (AT-2)
        first.query_one("#att-week", DataTable).move_cursor(row=4)
        await leave(pilot)

        # Clocked in on time after all, put in at another desk.
        attendance.clock_in(late_desk, actor_of(agent), at=datetime(2026, 3, 9, 0, 25, tzinfo=UTC))
        again = await reopen(pilot, "Attendance week")
        assert again is first, "not built again"
        assert monday(again) == "P", "the clock-in is shown on return"
        assert again.query_one("#att-week", DataTable).cursor_row == 4, "back where the leader was"

    drive(app, scenario)


def test_the_attendance_week_follows_today_unless_another_week_was_chosen(late_desk, team, app, drive, settle):
    async def scenario(pilot):
        await sign_in(pilot, team.leader)
        screen = await open_command(pilot, "Attendance week")
        assert "week 2026-W11" in text(screen, "#att-title")
        await leave(pilot)

        # A week later, "this week" is the next one.
        late_desk.clock.advance(days=7)
        assert await reopen(pilot, "Attendance week") is screen
        assert "week 2026-W12" in text(screen, "#att-title")
        await pilot.press("left_square_bracket")
        await settle(app)
        await pilot.pause()
        assert "week 2026-W11" in text(screen, "#att-title")
        await leave(pilot)

        # A week the leader chose stays chosen.
        late_desk.clock.advance(days=7)
        assert await reopen(pilot, "Attendance week") is screen
        assert "week 2026-W11" in text(screen, "#att-title")

    drive(app, scenario)


def test_the_roster_opened_again_shows_a_day_planned_meanwhile_with_the_cursor_where_it_was(
    late_desk, team, app, drive, settle
):
    agent = team.agents[0]

    def cell(screen):
        return str(screen.query_one("#roster-table", DataTable).get_cell(str(agent.id), SHIFT_DAY.isoformat())).strip()

    async def scenario(pilot):
        await sign_in(pilot, team.leader)
        first = await open_command(pilot, "Roster")
        assert isinstance(first, RosterScreen)
        assert cell(first) == "D" and "published" in text(first, "#roster-title")
        first.query_one("#roster-table", DataTable).move_cursor(row=3, column=12)
        await settle(app)
        await leave(pilot)

        # Planned from another desk: a night shift, as a draft.
        rostering.plan_day(late_desk, team.leader, agent.id, SHIFT_DAY, ShiftKind.NIGHT, False)
        again = await reopen(pilot, "Roster")
        assert again is first, "not built again"
        assert cell(again) == "N"
        assert "draft: 1 day(s)" in text(again, "#roster-title")
        assert again.query_one("#roster-table", DataTable).cursor_coordinate == (3, 12)

    drive(app, scenario)


def test_the_duties_calendar_opened_again_shows_a_duty_done_meanwhile(late_desk, team, app, drive, settle):
    async def scenario(pilot):
        await sign_in(pilot, team.leader)
        first = await open_command(pilot, "Duties calendar")
        assert isinstance(first, DutiesScreen)
        await pilot.press("m")  # the month rather than the week
        await settle(app)
        await pilot.pause()
        line = next(line for line in first.lines if line.duty_id == "workload-report" and line.at.date() == SHIFT_DAY)
        assert line.done_at is None
        await leave(pilot)

        duties.mark_duty_done(late_desk, team.leader, line.duty_id, line.at)
        again = await reopen(pilot, "Duties calendar")
        assert again is first, "not built again"
        assert again.month, "still the month the leader chose"
        [done] = [shown for shown in again.lines if shown.duty_id == line.duty_id and shown.at == line.at]
        assert done.done_at is not None and "李娜" in (done.done_by or "")

    drive(app, scenario)


def test_the_time_clock_opened_again_shows_a_clock_in_made_elsewhere_and_the_minutes_since(
    late_desk, team, app, drive, actor_of
):
    agent = actor_of(team.agents[0])

    async def scenario(pilot):
        await sign_in(pilot, agent)
        first = await open_command(pilot, "Time clock")
        assert isinstance(first, TimeClockScreen)
        assert "press i" in text(first, "#tc-state")
        await leave(pilot)

        # Marked at the roll call, at another desk; an hour goes by.
        attendance.clock_in(late_desk, agent)
        late_desk.clock.advance(minutes=60)
        again = await reopen(pilot, "Time clock")
        assert again is first, "not built again"
        assert "At work since 08:51" in text(again, "#tc-state")
        assert "Worked 1 h 00 min" in text(again, "#tc-figures")

    drive(app, scenario)


def test_a_refusal_at_the_time_clock_is_not_said_again_at_the_next_opening(late_desk, team, app, drive, settle):
    agent = team.agents[0]

    async def scenario(pilot):
        from csdesk.services.base import Actor

        await sign_in(pilot, Actor.of(agent))
        screen = await open_command(pilot, "Time clock")
        # Clocked in elsewhere a moment ago: this desk's i is refused.
        attendance.clock_in(late_desk, Actor.of(agent))
        await pilot.press("i")
        await settle(app)
        await pilot.pause()
        assert "tc-warning" in screen.query_one("#tc-said").classes
        refused = text(screen, "#tc-said")
        assert refused
        await leave(pilot)
        assert await reopen(pilot, "Time clock") is screen
        assert text(screen, "#tc-said") == ""
        assert "tc-warning" not in screen.query_one("#tc-said").classes

    drive(app, scenario)


def test_the_roll_call_opened_again_shows_a_mark_made_meanwhile(late_desk, team, app, drive):
    agent = team.agents[0]

    def mark_of(screen):
        table = screen.query_one("#rc-table", DataTable)
        return str(table.get_row(str(agent.id))[2])

    async def scenario(pilot):
        await sign_in(pilot, team.leader)
        first = await open_command(pilot, "Roll call")
        assert isinstance(first, RollCallScreen)
        assert mark_of(first) == "·"
        await leave(pilot)

        # The deputy marks 王芳 present at another desk.
        rollcall.mark(late_desk, team.leader, first.view.session_id, agent.id, AttendanceStatus.PRESENT, None)
        again = await reopen(pilot, "Roll call")
        assert again is first, "not built again"
        assert mark_of(again) == "present"
        assert "1 of 30 marked" in text(again, "#rc-status")

    drive(app, scenario)


def test_the_roll_call_opened_again_the_next_day_is_the_next_shifts(late_desk, team, app, drive):
    tuesday = SHIFT_DAY + timedelta(days=1)
    with late_desk.write() as session:
        shifts = ensure_shift_definitions(session, late_desk.policy)
        for agent in team.agents[:5]:
            session.add(RosterEntry(staff_id=agent.id, work_date=tuesday, shift_id=shifts["day"]))

    async def scenario(pilot):
        await sign_in(pilot, team.leader)
        screen = await open_command(pilot, "Roll call")
        monday_call = screen.view.session_id
        assert screen.view.date == SHIFT_DAY and len(screen.rc_lines) == 30
        await leave(pilot)

        # Tuesday, 08:20 in Shanghai: Monday's shift is long over.
        late_desk.clock.set(datetime(2026, 3, 10, 0, 20, tzinfo=UTC))
        assert await reopen(pilot, "Roll call") is screen
        assert screen.view.date == tuesday and screen.view.session_id != monday_call
        assert len(screen.rc_lines) == 5
        assert "Tue 10 Mar" in text(screen, "#rc-title")

    drive(app, scenario)


def test_the_evaluation_opened_again_shows_a_fine_recorded_meanwhile(late_desk, team, app, drive):
    agent = team.agents[2]

    def fines(screen):
        table = screen.query_one("#ev-table", DataTable)
        return str(table.get_row(str(agent.id))[8])

    async def scenario(pilot):
        await sign_in(pilot, team.leader)
        first = await open_command(pilot, "Monthly evaluation")
        assert isinstance(first, EvaluationScreen)
        assert "Evaluation 2026-03" in text(first, "#ev-title")
        assert fines(first) == ""
        await leave(pilot)

        record_fine(
            late_desk,
            team.leader,
            agent.id,
            Offence.COMPLAINT,
            "quarrel",
            occurred_at=datetime(2026, 3, 9, 8, 40, tzinfo=late_desk.policy.zone),
        )
        again = await reopen(pilot, "Monthly evaluation")
        assert again is first, "not built again"
        assert fines(again) != ""

    drive(app, scenario)


@pytest.mark.parametrize("title", list(VIEWS))
def test_the_next_person_to_sign_in_gets_a_view_of_their_own(late_desk, team, app, drive, make_staff, actor_of, title):
    with late_desk.read() as session:
        squad = session.get(Squad, team.squad_id)
    # Another leader of the same squad, on the day shift too.
    other = make_staff(role=Role.SQUAD_LEADER, squad=squad, real_name="张伟")
    with late_desk.write() as session:
        shifts = ensure_shift_definitions(session, late_desk.policy)
        session.add(RosterEntry(staff_id=other.id, work_date=SHIFT_DAY, shift_id=shifts["day"]))
    first_person = actor_of(team.agents[0]) if title == "Time clock" else team.leader

    async def scenario(pilot):
        await sign_in(pilot, first_person)
        first = await open_command(pilot, title)
        assert isinstance(first, VIEWS[title])
        await leave(pilot)
        assert await open_command(pilot, title) is first, "kept for the same person"
        await leave(pilot)

        pilot.app.sign_out()
        await pilot.pause()
        await sign_in(pilot, actor_of(other))
        mine = await open_command(pilot, title)
        assert isinstance(mine, VIEWS[title]) and mine is not first
        assert not first.is_attached, "the last person's view is gone"

    drive(app, scenario)


def test_a_switch_of_language_drops_the_kept_views(team, app, drive):
    async def scenario(pilot):
        await sign_in(pilot, team.leader)
        kept = []
        for title in VIEWS:
            if title == "Time clock":
                continue
            kept.append(await open_command(pilot, title))
            await leave(pilot)
        try:
            switch_language(pilot.app, "zh_CN")
            await pilot.pause()
            assert all(not screen.is_attached for screen in kept)
        finally:
            i18n.install_language(None)

    drive(app, scenario)
