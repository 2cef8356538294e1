"""The ticket screen beyond the reply: typing never fires keys, the stopped clock, canned
replies, notes for colleagues, quitting with an unsent reply (TK-5, TK-9, TK-14)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, TextArea

from csdesk.rules.vocab import Category, Role
from csdesk.screens.ticket import TicketScreen
from csdesk.screens.ticket_tools import CannedFillModal, CannedPickModal, NoteModal, PauseModal
from csdesk.services.canned import create_canned_reply
from csdesk.services.waiting import pause_clock
from csdesk.widgets.confirm import ConfirmModal

from .test_queues import app_on, open_screen, run, settle
from .test_ticket import events, phone_case


@pytest.fixture
def squad(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1110", real_name="王芳"))


@pytest.fixture
def leader(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, role=Role.SQUAD_LEADER, employee_number="1101", real_name="李娜"))


def text_of(screen, selector):
    return str(screen.query_one(selector, Static).render())


def timeline(screen):
    return "\n".join(str(s.render()) for s in screen.query("#ticket-timeline .event"))


def test_typing_into_ones_own_case_never_fires_its_keys(desk, agent):  # rule: TK-9
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id, answer=True))
            # Opened to answer (as intake does): the reply box has the keys; e, x, d are letters here.
            assert isinstance(app.focused, TextArea)
            await pilot.press(*"Hello, we checked: expedited refund done")
            await settle(app)
            assert app.screen is screen
            assert screen.query_one("#ticket-reply", TextArea).text == "Hello, we checked: expedited refund done"
            assert events(desk, ticket.id, "escalate") == [] and events(desk, ticket.id, "resolve") == []

    run(scenario())


def test_quitting_with_an_unsent_reply_asks_first(desk, agent):
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(pilot, agent, TicketScreen(ticket.id, answer=True))
            await pilot.press(*"Dear customer")
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmModal)
            await pilot.press("escape")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, TicketScreen)
            assert app.screen.query_one("#ticket-reply", TextArea).text == "Dear customer"

    run(scenario())


def test_a_waiting_case_shows_its_stopped_clock_in_words_and_resumes(desk, agent):  # rule: TK-5
    ticket = phone_case(desk, agent)
    pause_clock(desk, agent, ticket.id, "customer", "asked for the order number")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id, answer=True))
            assert "PAUSED" in text_of(screen, "#ticket-timers")
            assert "clock paused" in timeline(screen)
            screen.set_focus(None)
            await pilot.press("u")
            await settle(app)
            await pilot.pause()
            assert "RUNNING" in text_of(screen, "#ticket-timers")
            assert "clock resumed" in timeline(screen)
            assert len(events(desk, ticket.id, "resume")) == 1

    run(scenario())


def test_p_puts_the_case_to_wait_for_the_customer(desk, agent):  # rule: TK-5
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id, answer=True))
            screen.set_focus(None)
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, PauseModal)
            await pilot.press(*"order number", "enter")
            await settle(app)
            await pilot.pause()
            assert app.screen is screen
            assert "PAUSED" in text_of(screen, "#ticket-timers")
            assert len(events(desk, ticket.id, "pause")) == 1

    run(scenario())


def test_a_canned_reply_is_filled_then_sent_as_a_reply(desk, agent, leader):  # rule: TK-14
    create_canned_reply(
        desk, leader, Category.INQUIRY, "en", "Refund", "Dear {customer}, your refund of {amount} yuan is on its way."
    )
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id, answer=True))
            await pilot.press("f4")
            await settle(app)
            assert isinstance(app.screen, CannedPickModal)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CannedFillModal)
            # An empty blank is refused on the form, which stays open.
            await pilot.press("ctrl+s")
            await settle(app)
            assert isinstance(app.screen, CannedFillModal)
            app.screen.query_one("#blank-0", Input).focus()
            await pilot.press(*"120", "enter")
            await settle(app)
            await pilot.pause()
            assert app.screen is screen
            text = screen.query_one("#ticket-reply", TextArea).text
            assert text == "Dear 王小明, your refund of 120 yuan is on its way."
            assert events(desk, ticket.id, "reply") == []  # inserted, not sent behind the agent's back
            await pilot.press("ctrl+s")
            await settle(app)
            assert [e.text for e in events(desk, ticket.id, "reply")] == [text]

    run(scenario())


def test_a_note_for_colleagues_is_set_apart_and_never_sent(desk, agent):
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id, answer=True))
            # Typed into the reply box, "n" is a letter; from the timeline it writes a note.
            await pilot.press("n")
            assert screen.query_one("#ticket-reply", TextArea).text == "n"
            screen.query_one("#ticket-reply", TextArea).text = ""
            screen.set_focus(None)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, NoteModal)
            await pilot.press(*"VIP, call back before noon", "enter")
            await settle(app)
            await pilot.pause()
            notes = [str(s.render()) for s in screen.query("#ticket-timeline .event-note")]
            assert len(notes) == 1 and "internal note" in notes[0] and "VIP, call back before noon" in notes[0]
            assert events(desk, ticket.id, "reply") == []
            # What happens after the note reads after it, told apart from it.
            screen.query_one("#ticket-reply", TextArea).text = "We call you back before noon."
            await pilot.press("ctrl+s")
            await settle(app)
            for _ in range(30):
                await pilot.pause(0.1)
                shown = [(s.has_class("event-note"), str(s.render())) for s in screen.query("#ticket-timeline .event")]
                if "We call you back" in shown[-1][1]:
                    break
            assert [note for note, _text in shown[-2:]] == [True, False]
            assert "VIP, call back" in shown[-2][1] and "We call you back before noon." in shown[-1][1]

    run(scenario())
