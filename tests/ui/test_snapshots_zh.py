"""The main screens in Simplified Chinese at the smallest supported terminal (80x24).

Chinese labels, names and subjects take two columns a character: these pictures
show the columns still line up and nothing is cut in half. Update after a
deliberate change with ``pytest tests/ui/test_snapshots_zh.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from csdesk import i18n
from csdesk.app import make_app
from csdesk.screens.handover import HandoverScreen
from csdesk.screens.queues import QueuesScreen
from csdesk.screens.rollcall import RollCallScreen

from .test_home import team  # noqa: F401 - a fixture
from .test_queues import open_screen, settle, snapshot_queue
from .test_rollcall import late_desk  # noqa: F401 - a fixture

CHINESE = SimpleNamespace(lang="zh_CN")
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.install_language(None)


def chinese_app(desk, db=None):
    return make_app(CHINESE, db if db is not None else desk.db, desk_factory=lambda: desk)


async def still(pilot):
    """No live refresh may land while the picture is taken."""
    if pilot.app.live is not None:
        pilot.app.live.stop()
    await settle(pilot.app)
    await pilot.pause()


def test_sign_in_in_chinese(snap_compare):
    desk = SimpleNamespace(db=SimpleNamespace(data_version=lambda: 1))
    app = make_app(CHINESE, desk_factory=lambda: desk)
    assert snap_compare(app, terminal_size=SIZE)


def test_home_in_chinese(snap_compare, db, late_desk, team):  # noqa: F811
    from csdesk.services import notices, tickets

    tickets.take_in(
        late_desk,
        team.leader,
        "chat",
        "complaint",
        "钱女士",
        "13800001111",
        "送货太慢，三天还没到，要求退款并赔偿运费",
        "三天还没到",
    )
    notices.publish_notice(late_desk, team.leader, "双十一活动说明：满300减40，活动期间客服延长在线时间", "满300减40")

    async def signed_in(pilot):
        pilot.app.signed_in(team.leader)
        await still(pilot)

    assert snap_compare(chinese_app(late_desk, db), terminal_size=SIZE, run_before=signed_in)


def test_queues_in_chinese(snap_compare, desk, clock, make_squad, make_staff, actor_of):
    agent = snapshot_queue(desk, clock, make_staff, actor_of, make_squad("莲花组"))
    app = chinese_app(desk)

    async def show(pilot):
        await open_screen(pilot, agent, QueuesScreen("forum"))
        await still(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=show)


def test_roll_call_in_chinese(snap_compare, db, late_desk, team):  # noqa: F811
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
        await still(pilot)

    assert snap_compare(chinese_app(late_desk, db), terminal_size=SIZE, run_before=three_marked)


def test_handover_in_chinese(snap_compare, desk, make_squad, make_staff, actor_of):
    from datetime import date

    from csdesk.models import RosterEntry
    from csdesk.rules.vocab import Category, Channel, Role
    from csdesk.services.roster import ensure_shift_definitions
    from csdesk.services.tickets import take_in

    squad = make_squad("莲花组")
    # The leader on today's day shift: held until the handover is written (HO-4).
    day_agent = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1110", real_name="王芳"))
    make_staff(squad=squad, employee_number="1111", real_name="欧阳娜娜")
    with desk.write() as session:
        ids = ensure_shift_definitions(session, desk.policy)
        session.add(RosterEntry(staff_id=day_agent.staff_id, work_date=date(2026, 3, 9), shift_id=ids["day"]))
    take_in(
        desk,
        day_agent,
        Channel.PHONE,
        Category.COMPLAINT,
        "赵先生",
        "13912345678",
        "退款三天未到账，客户情绪激动，要求主管回电",
        "",
    )

    async def show(pilot):
        await open_screen(pilot, day_agent, HandoverScreen())
        await still(pilot)

    assert snap_compare(chinese_app(desk), terminal_size=SIZE, run_before=show)


def test_fund_ledger_in_chinese(snap_compare, db, desk, make_squad, make_staff):
    """The ledger's columns hold with Chinese kinds, names and notes, amounts in 元 (FN-8)."""
    from csdesk.rules.fines import Offence
    from csdesk.rules.vocab import Role
    from csdesk.screens.fines import FinesScreen
    from csdesk.services import ledger
    from csdesk.services.base import Actor

    squad = make_squad("一组")
    leader = Actor.of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1001", real_name="张伟"))
    agent = make_staff(squad=squad, employee_number="1024", real_name="欧阳娜娜")
    other = make_staff(squad=squad, employee_number="1025", real_name="王芳")
    ledger.record_fine(desk, leader, agent.id, Offence.COMPLAINT, "对客户态度恶劣，客户投诉后仍未道歉")
    ledger.record_fine(desk, leader, agent.id, Offence.COMPLAINT, "通话中挂断客户电话")
    ledger.record_fine(desk, leader, other.id, Offence.DESK_NOT_CLEAN, "下班未清理工位")
    ledger.grant_reward(desk, leader, other.id, 20, "建议被采纳：快捷回复模板")

    async def open_it(pilot):
        pilot.app.signed_in(leader)
        await pilot.pause()
        pilot.app.push_screen(FinesScreen())
        await still(pilot)

    assert snap_compare(chinese_app(desk, db), terminal_size=SIZE, run_before=open_it)
