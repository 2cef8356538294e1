"""The knowledge base on screen: search from a ticket into the reply (KB-2), the
catalogue, an entry's history and the editorial steps by role (KB-1)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static, TextArea, Tree

from csdesk.rules.knowledge import KbState
from csdesk.rules.vocab import Role
from csdesk.screens.knowledge import AdvanceModal, KnowledgeScreen, KnowledgeSearchModal, ReceiveNoticeModal
from csdesk.screens.ticket import TicketScreen
from csdesk.services.knowledge import advance_entry, entry_detail, receive_notice, search_knowledge

from .test_queues import app_on, open_screen, run, settle
from .test_ticket import phone_case

ANSWER = "宽带退款七个工作日内退回原银行卡,请您耐心等待。"


@pytest.fixture
def squad(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1110", real_name="王芳"))


@pytest.fixture
def editor(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, role=Role.SQUAD_LEADER, employee_number="1101", real_name="李娜"))


@pytest.fixture
def director(make_staff, actor_of):
    return actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002", real_name="María González"))


def publish(desk, editor, director, title, body, catalogue="计费/退款", until=KbState.PUBLISHED):
    view = receive_notice(desk, editor, title, f"原文:{title}", catalogue, source="计费部")
    while view.state is not until:
        target = view.next_state
        who = director if target is KbState.READ_BY_DIRECTOR else editor
        view = advance_entry(
            desk, who, view.id, target, note="计费部 赵女士" if target is KbState.CONFIRMED else "", body=body
        )
    return view


async def until(pilot, condition, tries=40):
    """Waits for ``condition()``: a loaded machine may need several rounds of workers and messages."""
    for _ in range(tries):
        if condition():
            return
        await settle(pilot.app)
        await pilot.pause(0.05)
    assert condition()


async def type_search(pilot, text):
    modal = pilot.app.screen
    assert isinstance(modal, KnowledgeSearchModal)
    modal.query_one("#kb-search-input", Input).value = text
    await until(pilot, lambda: modal.shown_query == text)
    return modal


def test_kb_2_an_agent_searches_from_a_ticket_and_the_answer_goes_into_the_reply(desk, agent, editor, director):
    publish(desk, editor, director, "宽带退款到银行卡", ANSWER)
    publish(desk, editor, director, "话费查询", "发送短信 CXHF 到 10000 查询话费。", "计费/查询")
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("r", *"您好,")
            await pilot.press("f3")  # while typing the reply, "/" would type itself
            await pilot.pause()
            modal = await type_search(pilot, "退款")  # two Chinese characters
            table = modal.query_one("#kb-search-results", DataTable)
            assert table.row_count == 1
            assert "七个工作日" in str(modal.query_one("#kb-search-preview", Static).render())
            await pilot.press("enter", "enter")  # to the results, then choose
            await until(pilot, lambda: pilot.app.screen is screen)
            assert screen.query_one("#ticket-reply", TextArea).text == "您好," + ANSWER
            assert screen.focused is screen.query_one("#ticket-reply")

    run(scenario())


def test_kb_2_slash_on_a_ticket_opens_the_search_and_escape_leaves_the_reply_alone(desk, agent, editor, director):
    publish(desk, editor, director, "宽带退款到银行卡", ANSWER)
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("slash")
            await pilot.pause()
            modal = await type_search(pilot, "不存在的问题")
            assert "Nothing found" in str(modal.query_one("#kb-search-preview", Static).render())
            await pilot.press("escape")
            await pilot.pause()
            assert pilot.app.screen is screen
            assert screen.query_one("#ticket-reply", TextArea).text == ""

    run(scenario())


def test_kb_1_the_catalogue_shows_published_entries_to_agents_with_their_history(desk, agent, editor, director):
    publish(desk, editor, director, "宽带退款到银行卡", ANSWER)
    publish(desk, editor, director, "携号转网", "draft", "移动/携转", until=KbState.ENTERED)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, KnowledgeScreen())
            tree = screen.query_one("#kb-tree", Tree)
            labels = [str(n.label) for n in tree.root.children]
            assert labels == ["计费"]  # the draft's catalogue is not shown to agents
            refunds = tree.root.children[0].children[0]
            assert str(refunds.label) == "退款 (1)"
            refunds.expand()
            await until(pilot, lambda: bool(refunds.children))
            [entry] = refunds.children
            tree.select_node(entry)
            tree.action_select_cursor()
            await until(pilot, lambda: screen.view is not None)
            assert ANSWER in str(screen.query_one("#kb-entry-body", Static).render())
            history = str(screen.query_one("#kb-history", Static).render())
            assert history.count(" → ") == 8 and "María González" in history and "from 计费部" in history
            # Agents read; they neither receive notices nor take steps.
            assert screen.check_action("receive", ()) is False
            assert screen.check_action("advance", ()) is False
            assert screen.check_action("remove", ()) is False

    run(scenario())


def test_kb_1_an_editor_receives_a_notice_and_only_the_director_marks_it_read(desk, editor, director):
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, editor, KnowledgeScreen())
            await pilot.press("n")
            await pilot.pause()
            modal = pilot.app.screen
            assert isinstance(modal, ReceiveNoticeModal)
            modal.query_one("#kb-new-title", Input).value = "国际漫游资费调整"
            modal.query_one("#kb-new-catalogue", Input).value = "移动 / 漫游"
            modal.query_one("#kb-new-original", TextArea).text = "自4月1日起,日本漫游资费下调。"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: pilot.app.screen is screen and screen.view is not None)
            assert screen.view.state is KbState.NOTICE_RECEIVED
            assert screen.view.catalogue == "移动/漫游"
            # The next step is the director's: shown greyed for a squad leader.
            assert screen.check_action("advance", ()) is None

    run(scenario())
    [line] = search_knowledge(desk, editor, "漫游")
    assert entry_detail(desk, editor, line.id).original == "自4月1日起,日本漫游资费下调。"


def test_kb_1_the_confirmation_step_asks_who_confirmed_and_refuses_without(desk, editor, director):
    view = publish(desk, editor, director, "国际漫游", "text", "移动/漫游", until=KbState.ENTERED)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, editor, KnowledgeScreen())
            screen.open_entry(view.id)
            await until(pilot, lambda: screen.view is not None)
            await pilot.press("a")
            await pilot.pause()
            modal = pilot.app.screen
            assert isinstance(modal, AdvanceModal)
            await pilot.press("ctrl+s")
            await pilot.pause()
            await settle(pilot.app)
            await pilot.pause()
            assert pilot.app.screen is modal  # refused on the note field, nothing saved
            assert "issuing department" in str(modal.query_one(".field-error", Static).render())
            modal.query_one("#kb-advance-note", Input).value = "计费部 赵女士"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: pilot.app.screen is screen and screen.view.state is KbState.CONFIRMED)
            assert screen.view.state is KbState.CONFIRMED

    run(scenario())
