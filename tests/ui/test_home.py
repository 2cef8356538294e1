"""Home: my tickets with their SLA timers, notices acknowledged with one key (HO-2)."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import DataTable

from csdesk.models import NoticeAck, TicketEvent
from csdesk.screens.home import HomeScreen
from csdesk.services import notices, tickets

from .test_rollcall import TWENTY_ONE_LATE, app_for, late_desk, squad_of_30  # noqa: F401 - a fixture


def rows(table: DataTable) -> list[str]:
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


@pytest.fixture
def team(late_desk, make_squad, make_staff, actor_of):
    return squad_of_30(late_desk, make_squad, make_staff, actor_of)


def test_home_shows_my_tickets_and_a_notice_is_acknowledged_with_one_key(
    db, late_desk, team, actor_of, drive, settle
):  # rule: HO-2, TK-9
    agent = actor_of(team.agents[0])
    ticket = tickets.take_in(
        late_desk, agent, "chat", "inquiry", "赵先生", "13912345678", "积分怎么兑换？", "客户询问积分兑换规则"
    )
    first = notices.publish_notice(late_desk, team.leader, "双十一活动说明", "满300减40")
    notices.publish_notice(late_desk, team.leader, "New escalation form", "Fill in the form first.")
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(agent)
        await settle(app)
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        mine = rows(home.query_one("#home-tickets", DataTable))
        assert len(mine) == 1 and f"#{ticket.id}" in mine[0] and "积分怎么兑换？" in mine[0]
        assert "left" in mine[0] or "overdue" in mine[0]  # the SLA timer is shown
        unread = rows(home.query_one("#home-notices", DataTable))
        assert len(unread) == 2
        home.query_one("#home-notices", DataTable).move_cursor(row=1)  # the older one
        await pilot.press("a")
        await settle(app)
        await pilot.pause()
        assert rows(home.query_one("#home-notices", DataTable)) == [r for r in unread if "New escalation form" in r]
        assert "My shift: Day shift Mon 09 Mar 08:30–17:30" in str(home.query_one("#home-shift").render())

    drive(app, scenario)

    with late_desk.read() as session:
        acks = session.exec(select(NoticeAck)).all()
    assert [(a.notice_id, a.staff_id, a.acknowledged_at) for a in acks] == [(first.id, agent.staff_id, TWENTY_ONE_LATE)]


def test_enter_on_one_of_my_tickets_opens_it_and_a_reply_from_there_is_saved(
    db, late_desk, team, actor_of, drive, settle
):  # rule: TK-9
    agent = actor_of(team.agents[0])
    older = tickets.take_in(late_desk, agent, "phone", "inquiry", "赵先生", "13912345678", "积分怎么兑换？", "")
    chosen = tickets.take_in(late_desk, agent, "phone", "complaint", "钱女士", "13800001111", "送货太慢", "")
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(agent)
        await settle(app)
        await pilot.pause()
        home = app.screen
        table = home.query_one("#home-tickets", DataTable)
        assert home.focused is table
        assert "Open ticket" in {b.binding.description for b in home.active_bindings.values() if b.enabled}
        row = next(i for i, r in enumerate(rows(table)) if f"#{chosen.id}" in r)
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        from csdesk.screens.ticket import TicketScreen

        assert isinstance(app.screen, TicketScreen) and app.screen.ticket_id == chosen.id
        await pilot.press("r", *"已转物流部门", "ctrl+s")
        await settle(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home

    drive(app, scenario)

    with late_desk.read() as session:
        replies = session.exec(select(TicketEvent).where(TicketEvent.kind == "reply")).all()
    assert [(e.ticket_id, e.actor_id, e.text) for e in replies] == [(chosen.id, agent.staff_id, "已转物流部门")]
    assert older.id != chosen.id


def test_leaders_see_the_squad_board_and_roll_call_key(db, late_desk, team, drive, settle):
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        board = rows(app.screen.query_one("#home-board", DataTable))
        # 30 agents rostered, the shift running and nobody clocked in yet; the leader is off.
        assert sum("not in" in r for r in board) == 30
        assert "rest day" in board[0]
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled}
        assert {"r", "t"} <= footer_keys

    drive(app, scenario)


def test_the_squad_board_shows_marks_of_a_roll_call_not_closed_yet(
    db, late_desk, team, drive, settle
):  # rule: AT-1, AT-2
    from datetime import time

    from csdesk.models import Attendance
    from csdesk.services import rollcall

    from .test_rollcall import SHIFT_DAY

    call = rollcall.open_roll_call(late_desk, team.leader, team.squad_id, SHIFT_DAY, "day")
    first, second, third = (a.id for a in team.agents[:3])
    rollcall.mark(late_desk, team.leader, call.session_id, first, "present")
    rollcall.mark(late_desk, team.leader, call.session_id, second, "late", arrival=time(8, 41))
    rollcall.mark(late_desk, team.leader, call.session_id, third, "absent")
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        table = app.screen.query_one("#home-board", DataTable)
        by_number = {str(table.get_row_at(i)[0]): rows(table)[i] for i in range(table.row_count)}
        assert "present" in by_number[team.agents[0].employee_number]
        assert "present (late) 08:41" in by_number[team.agents[1].employee_number]
        assert "absent" in by_number[team.agents[2].employee_number]
        assert sum("not in" in r for r in by_number.values()) == 27
        counts = str(app.screen.query_one("#home-board-counts").render())
        assert "present 2" in counts and "absent 1" in counts and "roll call open: 3 marked" in counts

    drive(app, scenario)
    with late_desk.read() as session:
        assert session.exec(select(Attendance)).all() == []  # nothing is written before the roll call closes


def test_a_missing_area_is_said_not_crashed(db, late_desk, team, drive, settle, monkeypatch):
    from csdesk.screens import home

    monkeypatch.setattr(home, "area_commands", lambda module, actor: [])
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        app.screen.action_go("handover")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("not available" in n.message for n in app._notifications)

    drive(app, scenario)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_home_snapshot(snap_compare, db, late_desk, team, actor_of, settle, size):
    tickets.take_in(late_desk, team.leader, "chat", "complaint", "钱女士", "13800001111", "送货太慢", "三天还没到")
    notices.publish_notice(late_desk, team.leader, "双十一活动说明", "满300减40")

    async def signed_in(pilot):
        pilot.app.signed_in(team.leader)
        await settle(pilot.app)
        await pilot.pause()

    assert snap_compare(app_for(db, late_desk), terminal_size=size, run_before=signed_in)


def test_a_leader_publishes_a_notice_from_home_and_an_agent_opens_its_text_there(
    db, late_desk, team, actor_of, drive, settle
):  # rule: HO-2
    from textual.widgets import Input, TextArea

    from csdesk.screens.notices import PublishNoticeModal
    from csdesk.widgets.detail import DetailModal

    agent = actor_of(team.agents[0])
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(agent)
        await settle(app)
        await pilot.pause()
        await pilot.press("p")  # not an agent's key: nothing opens
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

        app.sign_out()
        await pilot.pause()
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, PublishNoticeModal)
        await pilot.press("ctrl+s")  # no title: refused on its field, nothing published
        await settle(app)
        await pilot.pause()
        assert app.screen is modal and notices.latest_notices(late_desk) == ()
        modal.query_one("#notice-title", Input).value = "双十一活动说明"
        modal.query_one("#notice-body", TextArea).text = "满300减40，活动至11月12日。"
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

        app.sign_out()
        await pilot.pause()
        app.signed_in(agent)
        await settle(app)
        await pilot.pause()
        home = app.screen
        table = home.query_one("#home-notices", DataTable)
        assert any("双十一活动说明" in r for r in rows(table))
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailModal)
        assert "满300减40，活动至11月12日。" in str(app.screen.query_one("#detail-text").render())

    drive(app, scenario)
    (notice,) = notices.latest_notices(late_desk)
    assert notice.author_id == team.leader.staff_id


def test_on_a_tall_terminal_the_squad_board_takes_the_free_rows(db, late_desk, team, drive, settle):
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        await pilot.pause()
        home = app.screen
        board = home.query_one("#home-board", DataTable)
        body = home.query_one("#home-body")
        # The squad of 31 is seen nearly whole instead of ten rows over empty space.
        assert board.region.height > 20
        queue_load = home.query_one("#home-queues")
        assert body.region.contains_region(queue_load.region)
        assert body.region.bottom - queue_load.region.bottom <= 1

    drive(app, scenario, size=(200, 50))


def test_the_squad_board_gives_back_rows_when_my_tickets_arrive_after_it(db, late_desk, team, drive, settle):
    """Home's parts arrive separately: the board fitted before my tickets came must leave
    them room, not push the rest of home out of view."""
    from csdesk.services import queues

    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        home = app.screen
        for n in range(6):  # phone cases belong to whoever takes them in
            tickets.take_in(late_desk, team.leader, "phone", "inquiry", "赵先生", "13912345678", f"问题 {n}", "")
        mine = queues.queue_page(late_desk, team.leader, "mine", 0, 20)
        home._show_tickets(mine)  # as the list's own answer would, after the board was fitted
        await settle(app)
        await pilot.pause()
        body = home.query_one("#home-body")
        assert body.region.contains_region(home.query_one("#home-queues").region)

    drive(app, scenario, size=(200, 50))


def test_a_wide_terminal_shows_a_ticket_status_whole(db, late_desk, team, actor_of, drive, settle):
    from csdesk.services.waiting import pause_clock

    agent = actor_of(team.agents[0])
    ticket = tickets.take_in(late_desk, agent, "chat", "inquiry", "赵先生", "13912345678", "积分怎么兑换？", "")
    pause_clock(late_desk, agent, ticket.id, "customer", "asked for the order number")
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(agent)
        await settle(app)
        await pilot.pause()
        [row] = rows(app.screen.query_one("#home-tickets", DataTable))
        assert "waiting for customer" in row, row

    drive(app, scenario, size=(200, 50))


def test_the_waiting_for_me_line_never_parts_a_kind_from_its_count(db, late_desk, team, drive, settle):
    import re

    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        lines = str(app.screen.query_one("#home-inbox").render()).splitlines()
        assert len(lines) > 1  # seven kinds do not fit 80 columns on one line
        for line in lines:
            assert len(line) <= 78
            items = line.removeprefix("Waiting for me:").split("  ")
            assert all(re.fullmatch(r"\d [A-Za-z ]+ \d+", item.strip()) for item in items if item.strip()), line

    drive(app, scenario)
