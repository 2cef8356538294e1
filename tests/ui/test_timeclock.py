"""The time clock by keyboard: clock in, a break, time away, clock out; leaders wait for the handover."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from csdesk.app import make_app
from csdesk.models import Attendance, AwayPeriod, RosterEntry
from csdesk.rules.vocab import AwayKind, Role
from csdesk.screens.home import HomeScreen
from csdesk.screens.timeclock import TimeClockScreen
from csdesk.services.base import Desk, FixedClock
from csdesk.services.roster import ensure_shift_definitions

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)


def local(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(MONDAY, time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def shop(db, policy, make_squad, make_staff, actor_of):
    clock = FixedClock(local(8, 20))
    desk = Desk(db=db, policy=policy, clock=clock)
    squad = make_squad("莲花组")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="欧阳娜娜")
    agent = make_staff(squad=squad, employee_number="2001", real_name="司马王芳芳")
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        for person in (leader, agent):
            session.add(RosterEntry(staff_id=person.id, work_date=MONDAY, shift_id=shifts["day"]))
    app = make_app(SimpleNamespace(lang=None), db, desk_factory=lambda: desk)
    return SimpleNamespace(desk=desk, clock=clock, app=app, leader=actor_of(leader), agent=actor_of(agent))


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def press(pilot, settle, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot.app)
        await pilot.pause()


def test_break_away_and_leaving_early_shown_and_saved(shop, drive, settle):  # rule: AT-3, AT-9, AT-4
    app, clock = shop.app, shop.clock

    async def scenario(pilot):
        app.signed_in(shop.agent)
        await settle(app)
        app.push_screen(TimeClockScreen())
        await settle(app)
        assert "press i" in text(app, "#tc-state")
        await press(pilot, settle, "i")
        assert "At work since 08:20" in text(app, "#tc-state")
        clock.set(local(12, 0))
        await press(pilot, settle, "b")
        assert "On a break since 12:00" in text(app, "#tc-state")
        clock.set(local(12, 40))
        await press(pilot, settle, "b")
        assert "Back after 40 min" in text(app, "#tc-said")
        clock.set(local(15, 0))
        await press(pilot, settle, "a")
        assert "Away from the post since 15:00" in text(app, "#tc-state")
        clock.set(local(15, 30))
        await press(pilot, settle, "a")
        assert "AT-3" in text(app, "#tc-said")
        clock.set(local(17, 0))
        await press(pilot, settle, "o")
        assert "AT-9" in text(app, "#tc-said") and "30 minutes before the end" in text(app, "#tc-said")
        # 08:20 to 17:00 is 520 minutes, less 40 on a break and 30 away without permission.
        assert "Worked 7 h 30 min" in text(app, "#tc-figures")
        assert "7 h 30 min of at least 30 h" in text(app, "#tc-week")

    drive(app, scenario)

    with shop.desk.read() as session:
        kinds = sorted(str(p.kind) for p in session.exec(select(AwayPeriod)).all())
    assert kinds == [AwayKind.AWAY.value, AwayKind.BREAK.value]


def test_a_leader_may_not_clock_out_before_the_handover_and_stays_clocked_in(shop, drive, settle):
    # rule: HO-4, AT-9
    app, clock = shop.app, shop.clock

    async def scenario(pilot):
        app.signed_in(shop.leader)
        await settle(app)
        app.push_screen(TimeClockScreen())
        await settle(app)
        await press(pilot, settle, "i")
        clock.set(local(17, 30))
        app.screen.load()
        await settle(app)
        assert "You may not clock out yet" in text(app, "#tc-handover")
        await press(pilot, settle, "o")
        assert "HO-4" in text(app, "#tc-said")
        assert "At work since 08:20" in text(app, "#tc-state")

    drive(app, scenario)

    with shop.desk.read() as session:
        assert session.exec(select(Attendance)).one().clock_out is None


def test_home_opens_the_time_clock_with_o(shop, drive, settle):
    app = shop.app

    async def scenario(pilot):
        app.signed_in(shop.agent)
        await settle(app)
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, settle, "o")
        assert isinstance(app.screen, TimeClockScreen)

    drive(app, scenario)


def test_a_leader_corrects_a_missed_clock_out_and_a_director_approves_the_short_week(
    shop, drive, settle, make_staff, actor_of
):  # rule: AT-5, AT-4
    from csdesk.models import AuditLog, ShortWeekApproval
    from csdesk.screens.attendance import AttendanceScreen
    from csdesk.services import attendance

    attendance.clock_in(shop.desk, shop.agent)
    shop.clock.set(local(18, 0))
    director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="9001", real_name="周强"))
    app = shop.app

    async def leader(pilot):
        app.signed_in(shop.leader)
        await settle(app)
        app.push_screen(AttendanceScreen(MONDAY))
        await settle(app)
        await press(pilot, settle, "j", "x")
        await press(pilot, settle, "tab", *"1730", "ctrl+s")
        # No reason: refused on its field, nothing saved.
        assert "give the reason" in " ".join(str(w.render()) for w in app.screen.query("Static"))
        # The refusal put the cursor in the reason.
        await press(pilot, settle, *"forgot", "space", *"to", "space", *"clock", "space", *"out", "ctrl+s")
        assert isinstance(app.screen, AttendanceScreen)
        shifts = app.screen.query_one("#att-shifts")
        assert "17:30" in " ".join(str(cell) for cell in shifts.get_row_at(0))

    drive(app, leader)

    with shop.desk.read() as session:
        row = session.exec(select(Attendance)).one()
        assert row.clock_out == local(17, 30)
        said = session.exec(select(AuditLog).where(AuditLog.action == "attendance.correct")).one()
        assert "forgot to clock out" in str(said.after) and said.actor_id == shop.leader.staff_id

    async def approve(pilot):
        app.signed_in(director)
        await settle(app)
        squad_id = shop.agent.squad_id
        app.push_screen(AttendanceScreen(MONDAY, squad_id))
        await settle(app)
        await press(pilot, settle, "j", "v", *"training", "ctrl+s")
        week = app.screen.query_one("#att-week")
        assert "appr." in " ".join(str(cell) for cell in week.get_row_at(1))

    app = make_app(SimpleNamespace(lang=None), shop.desk.db, desk_factory=lambda: shop.desk)  # a new sign-in
    drive(app, approve)

    with shop.desk.read() as session:
        approval = session.exec(select(ShortWeekApproval)).one()
        assert (approval.staff_id, approval.reason) == (shop.agent.staff_id, "training")
