"""Nothing gets lost at the desk: home counts what waits for me and opens it, any ticket is
found by number from anywhere, closed ones too, and a customer's earlier cases are a key away
(TK-9, TK-11, TK-15)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TabbedContent

from csdesk.rules.vocab import Category, Channel, Role
from csdesk.screens.home import HomeScreen
from csdesk.screens.inbox import InboxScreen
from csdesk.screens.search import FindTicketModal, HistoryScreen, SearchScreen
from csdesk.screens.ticket import TicketScreen
from csdesk.services.tickets import close_return_visit, escalate, log_contact_attempt, resolve, take_in, ticket_detail

from .test_queues import app_on, run, settle


@pytest.fixture
def lotus(make_squad, make_staff, actor_of):
    squad = make_squad("Lotus")

    class Lotus:
        leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="李娜"))
        agent = actor_of(make_staff(squad=squad, employee_number="1113", real_name="赵磊"))
        other = actor_of(make_staff(squad=squad, employee_number="1114", real_name="张伟"))

    return Lotus


def case(desk, actor, subject, contact="13800001111"):
    return take_in(desk, actor, Channel.PHONE, Category.COMPLAINT, "钱女士", contact, subject, "")


async def home_of(pilot, actor):
    pilot.app.signed_in(actor)
    await settle(pilot.app)
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    return pilot.app.screen


def inbox_line(home):
    return str(home.query_one("#home-inbox", Static).render())


def test_an_escalation_waits_on_the_leaders_home_and_opens_from_there(desk, lotus):  # rule: TK-11
    ticket = case(desk, lotus.agent, "Refund missing")
    escalate(desk, lotus.agent, ticket.id, "customer wants the leader", "13800001111")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            home = await home_of(pilot, lotus.leader)
            line = inbox_line(home)
            assert line.startswith("Waiting for me:") and "1 Escalated 1" in line and "3 Leave 0" in line
            await pilot.press("1")
            await settle(app)
            await pilot.pause()
            inbox = app.screen
            assert isinstance(inbox, InboxScreen)
            assert inbox.query_one(TabbedContent).active == "tab-escalations"
            table = inbox.query_one("#inbox-escalations")
            assert table.row_count == 1 and f"#{ticket.id} Refund missing" in str(table.get_row_at(0)[1])
            await pilot.press("enter")
            await settle(app)
            await pilot.pause()
            assert isinstance(app.screen, TicketScreen) and app.screen.ticket_id == ticket.id

    run(scenario())


def test_an_agent_is_offered_only_the_kinds_an_agent_receives(desk, lotus):
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            home = await home_of(pilot, lotus.agent)
            line = inbox_line(home)
            assert "Escalated" not in line and "Leave" not in line
            assert "1 Skipped 0" in line and "2 Handover 0" in line
            assert home.check_action("inbox", (4,)) is True and home.check_action("inbox", (5,)) is False

    run(scenario())


def test_hash_opens_a_ticket_by_number_from_anywhere_or_searches_for_words(desk, lotus):  # rule: TK-15
    mine = case(desk, lotus.other, "Broken router")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await home_of(pilot, lotus.agent)
            await pilot.press("number_sign")
            await pilot.pause()
            assert isinstance(app.screen, FindTicketModal)
            await pilot.press(*"9999", "enter")
            await settle(app)
            await pilot.pause()
            # Refused on the field, the modal stays for another try.
            assert isinstance(app.screen, FindTicketModal)
            assert "9999" in str(app.screen.query_one(".field-error", Static).render())
            app.screen.query_one("#find-number", Input).value = ""
            await pilot.press(*f"#{mine.id}", "enter")
            await settle(app)
            await pilot.pause()
            ticket = app.screen
            assert isinstance(ticket, TicketScreen) and ticket.ticket_id == mine.id
            # Another's case: the customer masked as in every list.
            assert "13800001111" not in str(ticket.query_one("#ticket-customer", Static).render())
            await pilot.press("number_sign")
            await pilot.pause()
            await pilot.press(*"router", "enter")
            await settle(app)
            await pilot.pause()
            assert isinstance(app.screen, SearchScreen)
            results = app.screen.query_one("#search-results")
            assert results.row_count == 1 and str(results.get_row_at(0)[0]) == str(mine.id)

    run(scenario())


def test_search_finds_closed_tickets_by_contact_and_pages_on(desk, lotus):  # rule: TK-15
    old = case(desk, lotus.agent, "Old complaint", contact="13900002222")
    view = resolve(desk, lotus.agent, old.id)
    log_contact_attempt(desk, lotus.agent, view.return_visit.id, "reached")
    close_return_visit(desk, lotus.agent, view.return_visit.id, True, "fine")
    for n in range(25):
        case(desk, lotus.agent, f"Bulk {n}", contact="13700003333")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await home_of(pilot, lotus.other)
            app.push_screen(SearchScreen())
            await settle(app)
            await pilot.pause()
            screen = app.screen
            await pilot.press(*"139 0000 2222", "enter")
            await settle(app)
            await pilot.pause()
            results = screen.query_one("#search-results")
            assert results.row_count == 1
            row = [str(c) for c in results.get_row_at(0)]
            assert row[0] == str(old.id) and row[2] == "closed"
            assert "13900002222" not in row[4]  # masked to one who does not own it (TK-15)
            screen.query_one("#search-text", Input).value = "Bulk"
            screen.query_one("#search-text", Input).focus()
            await pilot.press("enter")
            await settle(app)
            await pilot.pause()
            await pilot.press("end")
            await settle(app)
            await pilot.pause()
            # Pages of 20 as the cursor goes down, until the last.
            assert results.row_count == 25
            assert str(screen.query_one("#search-count", Static).render()).startswith("25 ticket(s) match")

    run(scenario())


def test_the_customers_earlier_cases_open_from_the_ticket(desk, lotus):
    first = case(desk, lotus.agent, "First call")
    case(desk, lotus.agent, "Someone else", contact="13911112222")
    latest = case(desk, lotus.agent, "Second call")
    assert ticket_detail(desk, lotus.agent, latest.id).customer_contact
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await home_of(pilot, lotus.agent)
            app.push_screen(TicketScreen(latest.id))
            await settle(app)
            await pilot.pause()
            await pilot.press("h")
            await settle(app)
            await pilot.pause()
            history = app.screen
            assert isinstance(history, HistoryScreen)
            results = history.query_one("#search-results")
            assert results.row_count == 1 and str(results.get_row_at(0)[0]) == str(first.id)
            await pilot.press("enter")
            await settle(app)
            await pilot.pause()
            assert isinstance(app.screen, TicketScreen) and app.screen.ticket_id == first.id

    run(scenario())


def test_at_80_columns_a_long_status_leaves_the_subject_on_screen(desk, lotus):
    from csdesk.services.waiting import pause_clock

    ticket = case(desk, lotus.agent, "Rude agent on the phone")
    pause_clock(desk, lotus.agent, ticket.id, "customer", "asked for the order number")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await home_of(pilot, lotus.agent)
            app.push_screen(SearchScreen())
            await settle(app)
            await pilot.pause()
            screen = app.screen
            await pilot.press(*"Rude", "enter")
            await settle(app)
            await pilot.pause()
            results = screen.query_one("#search-results")
            row = [str(c) for c in results.get_row_at(0)]
            assert row[0] == str(ticket.id) and row[2].startswith("waiting")
            # The whole row fits: no column pushed behind a scroll bar, the subject readable.
            assert results.virtual_size.width <= results.size.width
            assert row[5].startswith("Rude agent")

    run(scenario())
