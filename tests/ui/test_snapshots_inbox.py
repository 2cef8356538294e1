"""Pictures of what keeps work from getting lost, in English and Chinese, at 80x24 and 120x40:
the inbox of what waits for a leader, a case whose clock is stopped, and search results.
Update after a deliberate change with ``--snapshot-update`` and look at the report first."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from csdesk import i18n
from csdesk.app import make_app
from csdesk.rules.vocab import Category, Channel, Role
from csdesk.screens.inbox import InboxScreen
from csdesk.screens.search import SearchScreen
from csdesk.screens.ticket import TicketScreen
from csdesk.services.notes import note
from csdesk.services.tickets import escalate, take_in
from csdesk.services.waiting import pause_clock

from .test_queues import open_screen, settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
LANGS = pytest.mark.parametrize("lang", ["en", "zh_CN"])


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.install_language(None)


@pytest.fixture
def floor(desk, make_squad, make_staff, actor_of):
    squad = make_squad("莲花组")
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="欧阳娜娜"))
    agent = actor_of(make_staff(squad=squad, employee_number="1113", real_name="赵磊"))
    first = take_in(
        desk, agent, Channel.PHONE, Category.COMPLAINT, "钱女士", "13800001111", "送货太慢，要求退款并赔偿运费", ""
    )
    escalate(desk, agent, first.id, "客户要求组长回电", "13800001111")
    waiting = take_in(
        desk, agent, Channel.PHONE, Category.INQUIRY, "Ann Lee", "ann@example.com", "Parcel lost on the way", "n/a"
    )
    note(desk, agent, waiting.id, "VIP: call back before noon")
    pause_clock(desk, agent, waiting.id, "customer", "asked for the order number")
    take_in(desk, agent, Channel.PHONE, Category.INQUIRY, "钱女士", "13800001111", "积分怎么兑换？", "")
    return SimpleNamespace(leader=leader, agent=agent, waiting=waiting)


def app_in(desk, lang):
    return make_app(SimpleNamespace(lang=None if lang == "en" else lang), desk.db, desk_factory=lambda: desk)


async def still(pilot):
    if pilot.app.live is not None:
        pilot.app.live.stop()
    await settle(pilot.app)
    await pilot.pause()


@SIZES
@LANGS
def test_inbox_of_a_leader(snap_compare, desk, floor, size, lang):
    async def show(pilot):
        await open_screen(pilot, floor.leader, InboxScreen("escalations"))
        await still(pilot)

    assert snap_compare(app_in(desk, lang), terminal_size=size, run_before=show)


@SIZES
@LANGS
def test_ticket_with_a_paused_clock(snap_compare, desk, floor, size, lang):
    async def show(pilot):
        await open_screen(pilot, floor.agent, TicketScreen(floor.waiting.id))
        await still(pilot)

    assert snap_compare(app_in(desk, lang), terminal_size=size, run_before=show)


@SIZES
@LANGS
def test_search_results(snap_compare, desk, floor, size, lang):
    async def show(pilot):
        await open_screen(pilot, floor.agent, SearchScreen("13800001111"))
        await still(pilot)

    assert snap_compare(app_in(desk, lang), terminal_size=size, run_before=show)
