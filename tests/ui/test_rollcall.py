"""Roll call by keyboard: a squad of 30 with two exceptions in at most 35 keys (AT-1, AT-2, AT-7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlmodel import select

from csdesk.app import make_app
from csdesk.models import Attendance, AuditLog, RollCallEntry, RollCallSession, RosterEntry, Staff
from csdesk.rules.vocab import AttendanceStatus, Role
from csdesk.screens.home import HomeScreen
from csdesk.screens.rollcall import ClassificationWhy, LateModal, NoticesToRead, RollCallScreen
from csdesk.services import notices
from csdesk.services.base import Actor, Desk, FixedClock
from csdesk.services.roster import ensure_shift_definitions

SHIFT_DAY = date(2026, 3, 9)
# The day shift starts at 08:30 in Shanghai (00:30 UTC); the roll call runs 21 minutes in.
TWENTY_ONE_LATE = datetime(2026, 3, 9, 0, 51, tzinfo=UTC)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = ("芳", "伟", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军")


@dataclass
class Squad30:
    leader: Actor
    agents: list[Staff]
    squad_id: int


async def type_arrival(pilot, hhmm: str) -> None:
    """``l`` and an arrival time, typed once the box is there to take it: on a busy
    machine the keys would otherwise reach the roll call under the opening dialog."""
    await pilot.press("l")
    for _ in range(100):
        if isinstance(pilot.app.screen, LateModal) and pilot.app.focused is not None:
            break
        await pilot.pause(0.02)
    await pilot.press("ctrl+u", *hhmm, "enter")


def squad_of_30(desk: Desk, make_squad, make_staff, actor_of, *, day: date = SHIFT_DAY) -> Squad30:
    """A squad led by 李娜 with 30 agents (Chinese names), all rostered on the day shift of ``day``."""
    squad = make_squad("莲花组")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="李娜")
    agents = [
        make_staff(squad=squad, employee_number=f"2{i:03d}", real_name=SURNAMES[i] + GIVEN[i % len(GIVEN)])
        for i in range(30)
    ]
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        for agent in agents:
            session.add(RosterEntry(staff_id=agent.id, work_date=day, shift_id=shifts["day"]))
    assert squad.id is not None
    return Squad30(actor_of(leader), agents, squad.id)


@pytest.fixture
def late_desk(db, policy) -> Desk:
    return Desk(db=db, policy=policy, clock=FixedClock(TWENTY_ONE_LATE))


def app_for(db, desk: Desk):
    return make_app(SimpleNamespace(lang=None), db, desk_factory=lambda: desk)


class Keys:
    """Presses keys through the pilot and counts them."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)


def statuses(desk: Desk) -> dict[str, tuple[AttendanceStatus, int]]:
    with desk.read() as session:
        rows = session.exec(
            select(Staff.employee_number, Attendance.status, Attendance.minutes_late).join(
                Attendance, Attendance.staff_id == Staff.id
            )
        ).all()
    return {number: (AttendanceStatus(status), late) for number, status, late in rows}


def test_thirty_agents_with_two_exceptions_take_at_most_35_keys(
    db, late_desk, make_squad, make_staff, actor_of, drive, settle
):  # rule: AT-1, AT-2, AT-7, HO-2
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    notices.publish_notice(late_desk, team.leader, "双十一活动说明", "活动期间满300减40，优惠券不可叠加。")
    late_at, absent_at = 5, 17
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        keys = Keys(pilot)
        await keys.press("r")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen)
        for index in range(30):
            if index == late_at:
                await keys.press("l", "enter")  # the arrival time offered is now, 08:51
            elif index == absent_at:
                await keys.press("a")
            else:
                await keys.press("p")
        await keys.press("c", "enter")
        for _ in range(5):
            await settle(app)
            await pilot.pause()
        assert keys.count <= 35, keys.count
        assert keys.count == 34
        assert isinstance(app.screen, NoticesToRead), (
            app.screen_stack,
            [n.message for n in app._notifications],
            app.screen._queue,
            app.screen._busy,
            app.screen._closing,
            [line.status for line in app.screen.rc_lines],
            [(w.name, w.state) for w in app.workers],
        )
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "双十一活动说明" in shown
        assert "30 attendance rows written" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    drive(app, scenario)

    found = statuses(late_desk)
    assert len(found) == 30
    numbers = [a.employee_number for a in team.agents]
    # 21 minutes late without leave asked is absenteeism (more than 20 minutes, AT-2).
    assert found[numbers[late_at]] == (AttendanceStatus.ABSENTEEISM, 21)
    # Absent without leave on file is absenteeism too (AT-7).
    assert found[numbers[absent_at]] == (AttendanceStatus.ABSENTEEISM, 0)
    rest = [found[n] for i, n in enumerate(numbers) if i not in (late_at, absent_at)]
    assert rest == [(AttendanceStatus.PRESENT, 0)] * 28
    with late_desk.read() as session:
        call = session.exec(select(RollCallSession)).one()
        assert call.closed_at == TWENTY_ONE_LATE


def test_marks_survive_leaving_the_screen_and_w_explains_a_mark(
    db, late_desk, make_squad, make_staff, actor_of, drive, settle
):  # rule: AT-2
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        app.push_screen(RollCallScreen())
        await settle(app)
        await pilot.pause()
        await pilot.press("p", "p", "l", "enter", "escape")  # leave at once, marks still saving
        for _ in range(4):
            await settle(app)
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.push_screen(RollCallScreen())
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert [line.status for line in screen.rc_lines[:4]] == ["present", "present", "absenteeism", None]
        # The cursor waits on the first person not marked yet.
        assert screen.cursor == 3
        await pilot.press("k", "w")
        await pilot.pause()
        assert isinstance(app.screen, ClassificationWhy)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "21 minutes" in shown and "AT-2" in shown

    drive(app, scenario)

    with late_desk.read() as session:
        marks = session.exec(select(RollCallEntry.status)).all()
        assert sorted(marks) == ["absenteeism", "present", "present"]
        assert session.exec(select(Attendance)).all() == []  # nothing written until the call is closed


def test_an_agent_cannot_open_roll_call(db, late_desk, make_squad, make_staff, actor_of, drive, settle):
    # rule: AT-1, ST-2
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    agent = actor_of(team.agents[0])
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(agent)
        await settle(app)
        await pilot.press("r")  # not a key of theirs: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.push_screen(RollCallScreen())
        await settle(app)
        await pilot.pause()
        title = str(app.screen.query_one("#rc-title").render())
        assert "not for you" in title and "squad leader" in title and "AT-1" in title

    drive(app, scenario)

    with late_desk.read() as session:
        assert session.exec(select(RollCallSession)).all() == []


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_roll_call_snapshot(snap_compare, db, late_desk, make_squad, make_staff, actor_of, settle, size):
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)

    async def three_marked(pilot):
        pilot.app.signed_in(team.leader)
        await settle(pilot.app)
        pilot.app.push_screen(RollCallScreen())
        await settle(pilot.app)
        await pilot.pause()
        await pilot.press("p", "l", "enter", "a")
        screen = pilot.app.screen
        for _ in range(100):
            await settle(pilot.app)
            await pilot.pause()
            if not screen._marks and not screen._saving:
                break
        await pilot.pause()

    assert snap_compare(app_for(db, late_desk), terminal_size=size, run_before=three_marked)


def test_a_refused_mark_stays_on_its_row_and_the_next_keys_mark_the_person_seen(
    db, late_desk, make_squad, make_staff, actor_of, drive, settle
):  # rule: AT-2
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        app.push_screen(RollCallScreen())
        await settle(app)
        await pilot.pause()
        screen = app.screen
        # Late with an arrival before the 08:30 start is refused; the keys typed after it
        # act on the row the cursor is on once the refusal is in: still the first person.
        await type_arrival(pilot, "0820")
        await pilot.press("a")
        for _ in range(4):
            await settle(app)
            await pilot.pause()
        assert screen.cursor == 1
        assert [line.status for line in screen.rc_lines[:2]] == ["absenteeism", None]
        # "0840" is 08:40: ten minutes late.
        await pilot.press("k")
        await type_arrival(pilot, "0840")
        for _ in range(4):
            await settle(app)
            await pilot.pause()
        assert screen.rc_lines[0].saved.minutes_late == 10
        assert screen.rc_lines[0].status == "late"
        assert screen.cursor == 1

    drive(app, scenario)


def test_the_refusal_is_shown_on_the_row_it_concerns(db, late_desk, make_squad, make_staff, actor_of, drive, settle):
    # rule: AT-2
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        app.push_screen(RollCallScreen())
        await settle(app)
        await pilot.pause()
        screen = app.screen
        await type_arrival(pilot, "0820")
        # On a busy machine the refusal and the status line under the table come a few frames apart.
        for _ in range(200):
            await settle(app)
            await pilot.pause()
            if screen.rc_lines[0].refusal and team.agents[0].real_name in str(screen.query_one("#rc-status").render()):
                break
        assert screen.cursor == 0
        assert screen.rc_lines[0].status is None
        status = str(screen.query_one("#rc-status").render())
        assert team.agents[0].real_name in status and "not after the shift start" in status
        cells = screen.query_one("#rc-table").get_row_at(0)
        assert str(cells[-1]) == "refused"

    drive(app, scenario)


def test_a_director_chooses_any_squads_roll_call(db, late_desk, make_squad, make_staff, actor_of, drive, settle):
    # rule: AT-1, ST-2
    team = squad_of_30(late_desk, make_squad, make_staff, actor_of)
    make_squad("Aster")
    director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="9001", real_name="周强"))
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(director)
        await settle(app)
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        # Aster comes first by name; the squad with people rostered is the second.
        await pilot.press("down", "enter")
        for _ in range(3):
            await settle(app)
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RollCallScreen), app.screen_stack
        assert len(screen.rc_lines) == 30
        await pilot.press("p")
        await settle(app)
        await pilot.pause()
        assert screen.rc_lines[0].status == "present"

    drive(app, scenario)

    with late_desk.read() as session:
        call = session.exec(select(RollCallSession)).one()
        assert call.squad_id == team.squad_id and call.leader_id == director.staff_id


@pytest.mark.parametrize(
    ("earlier_late_on", "replace"),
    [(None, False), (date(2026, 2, 27), False), (date(2026, 3, 2), True)],
    ids=["first time", "last month does not count", "again this month"],
)
def test_a_late_duty_leader_is_warned_first_then_replaced_from_the_roll_call(
    db, late_desk, make_squad, make_staff, actor_of, drive, settle, earlier_late_on, replace
):  # rule: AT-8, DS-3
    squad = make_squad("莲花组")
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="李娜"))
    deputy = make_staff(role=Role.DEPUTY_LEADER, squad=squad, employee_number="2001", real_name="王伟")
    agent = make_staff(squad=squad, employee_number="2002", real_name="张芳")
    with late_desk.write() as session:
        shifts = ensure_shift_definitions(session, late_desk.policy)
        for person in (deputy, agent):
            session.add(RosterEntry(staff_id=person.id, work_date=SHIFT_DAY, shift_id=shifts["day"]))
        if earlier_late_on is not None:
            earlier = RosterEntry(staff_id=deputy.id, work_date=earlier_late_on, shift_id=shifts["day"])
            session.add(earlier)
            session.flush()
            session.add(
                Attendance(staff_id=deputy.id, roster_id=earlier.id, status=AttendanceStatus.LATE, minutes_late=5)
            )
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(leader)
        await settle(app)
        await pilot.pause()
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RollCallScreen)
        await type_arrival(pilot, "0840")
        await settle(app)
        await pilot.pause()
        assert screen.cursor == 0  # the cursor stays on the duty leader
        status = str(screen.query_one("#rc-status").render())
        if replace:
            assert "Duty leader 王伟: duty leader late to post again after a warning: replace" in status
        else:
            assert "Duty leader 王伟: duty leader late to post: warning 1 of 1" in status
        assert "AT-8 DS-3" in " ".join(str(c) for c in screen.query_one("#rc-table").get_row_at(0))

    drive(app, scenario)
    with late_desk.read() as session:
        entry = session.exec(select(RollCallEntry).where(RollCallEntry.staff_id == deputy.id)).one()
        audits = session.exec(select(AuditLog).where(AuditLog.action == "discipline.duty_leader_late")).all()
    assert (entry.status, entry.minutes_late) == (AttendanceStatus.LATE, 10)
    assert [a.after["outcome"] for a in audits] == ["violation" if replace else "warning"]
