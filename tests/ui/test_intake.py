"""Taking a call in: greeting, SLA clock shown on save, errors on their field, no lost typing."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, Static, TextArea

from csdesk.models import Ticket, TicketEvent
from csdesk.rules.vocab import Category, Channel, TicketStatus
from csdesk.screens.intake import IntakeScreen
from csdesk.screens.ticket import TicketScreen
from csdesk.widgets.confirm import ConfirmModal
from csdesk.widgets.form import Field

from .test_queues import app_on, open_screen, run, settle


@pytest.fixture
def agent(make_staff, actor_of, make_squad):
    return actor_of(make_staff(squad=make_squad("Lotus"), employee_number="1110", real_name="王芳"))


def tickets(desk):
    with desk.read() as session:
        return session.exec(select(Ticket)).all()


def text_of(widget):
    return str(widget.render())


def fill(
    screen, *, category=Category.INQUIRY, name="王小明", contact="13812345678", subject="Refund", body="Charged twice"
):
    screen.query_one("#intake-category", Select).value = category.value
    screen.query_one("#intake-name", Input).value = name
    screen.query_one("#intake-contact", Input).value = contact
    screen.query_one("#intake-subject", Input).value = subject
    screen.query_one("#intake-body", TextArea).text = body


def test_the_greeting_with_the_agents_number_is_at_the_top(desk, agent):  # rule: TK-3
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen())
            greeting = screen.query_one("#intake-greeting", Static)
            assert "Hello, agent No. 1110 speaking, how can I help?" in text_of(greeting)
            assert greeting.region.y <= 2  # first thing under the header

    run(scenario())


def test_saving_a_phone_complaint_starts_its_clock_and_shows_when_it_is_due(desk, agent):  # rule: TK-4, TK-16
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen())
            fill(screen, category=Category.COMPLAINT)
            screen.query_one("#intake-special").value = True
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            [ticket] = tickets(desk)
            assert (ticket.channel, ticket.category, ticket.status) == (
                Channel.PHONE,
                Category.COMPLAINT,
                TicketStatus.CLAIMED,
            )
            assert ticket.owner_id == agent.staff_id and ticket.special_request
            assert (ticket.customer_name, ticket.customer_contact) == ("王小明", "13812345678")
            # T0 is 16:00 in the centre; a complaint is dispatched within the hour.
            saved = text_of(screen.query_one("#intake-saved", Static))
            assert f"Saved as ticket #{ticket.id}" in saved
            assert "SLA due 09 Mar 17:00" in saved and "TK-4" in saved
            assert screen.query_one("#intake-subject", Input).value == ""  # ready for the next call
            await pilot.press("ctrl+o")
            await settle(app)
            assert isinstance(app.screen, TicketScreen) and app.screen.ticket_id == ticket.id

    run(scenario())


def test_an_email_waits_unclaimed_in_the_shared_queue(desk, agent):  # rule: TK-7, TK-9
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen(Channel.EMAIL))
            fill(screen)
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            [ticket] = tickets(desk)
            assert ticket.channel is Channel.EMAIL and ticket.owner_id is None
            assert "shared queue" in text_of(screen.query_one("#intake-saved", Static))

    run(scenario())


def test_a_missing_subject_is_said_under_the_subject_and_nothing_is_saved(desk, agent):
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen())
            fill(screen, subject="  ")
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert tickets(desk) == []
            field = next(f for f in screen.query(Field) if f.field == "subject")
            assert field.has_class("-invalid")
            assert "enter a subject" in text_of(field.query_one(".field-error"))
            assert screen.focused is screen.query_one("#intake-subject")
            # What was typed is still there to fix.
            assert screen.query_one("#intake-name", Input).value == "王小明"

    run(scenario())


def error_on(screen, name):
    field = next(f for f in screen.query(Field) if f.field == name)
    return text_of(field.query_one(".field-error")) if field.has_class("-invalid") else ""


def test_a_forum_post_keeps_the_answer_time_promised_and_why_it_is_not_solved_yet(desk, agent):  # rule: TK-6, TK-10
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen(Channel.FORUM))
            fill(screen)
            screen.query_one("#intake-reason", Input).focus()
            await pilot.press(*"账单系统维护中")
            screen.query_one("#intake-promised", Input).focus()
            await pilot.press(*"16:45", "ctrl+s")
            await settle(app)
            await pilot.pause()
            assert "Saved as ticket" in text_of(screen.query_one("#intake-saved", Static))
            # T0 is 16:00 in the centre: the promise, not the ten minutes, is the deadline.
            assert "SLA due 09 Mar 16:45" in text_of(screen.query_one("#intake-saved", Static))
            assert screen.query_one("#intake-promised", Input).value == ""

    run(scenario())
    [ticket] = tickets(desk)
    assert ticket.promised_at.astimezone(desk.policy.zone).strftime("%Y-%m-%d %H:%M") == "2026-03-09 16:45"
    with desk.read() as session:
        [told] = session.exec(select(TicketEvent).where(TicketEvent.kind == "unsolved")).all()
    assert told.ticket_id == ticket.id and told.text == "told the customer why: 账单系统维护中"


@pytest.mark.parametrize(
    ("channel", "typed", "said"),
    [
        (Channel.FORUM, "25:99", "Write the time as HH:MM"),
        (Channel.FORUM, "2026-03-09 15:00", "after the post arrived"),  # before T0 (16:00)
        (Channel.PHONE, "16:45", "for forum posts"),
    ],
    ids=["not-a-time", "in-the-past", "not-forum"],
)
def test_a_wrong_promised_time_is_said_on_its_field_and_nothing_is_saved(
    desk, agent, channel, typed, said
):  # rule: TK-6
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen(channel))
            fill(screen)
            screen.query_one("#intake-promised", Input).value = typed
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert said in error_on(screen, "promised_at")
            assert screen.focused is screen.query_one("#intake-promised")
            assert screen.query_one("#intake-subject", Input).value == "Refund"  # kept to fix

    run(scenario())
    assert tickets(desk) == []


def test_leaving_with_unsaved_text_asks_first_and_keeps_it_on_cancel(desk, agent):
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen())
            screen.query_one("#intake-name", Input).value = "王小明"
            screen.query_one("#intake-subject", Input).focus()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmModal)
            await pilot.press("escape")  # cancel
            await pilot.pause()
            assert app.screen is screen
            assert screen.query_one("#intake-name", Input).value == "王小明"
            await pilot.press("escape")
            await pilot.pause()
            await pilot.click("#confirm-ok")
            await pilot.pause()
            assert app.screen is not screen and screen not in app.screen_stack
            assert tickets(desk) == []

    run(scenario())


def test_an_empty_form_leaves_without_asking(desk, agent):
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen())
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmModal)
            assert screen not in app.screen_stack

    run(scenario())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_intake_screen_after_saving_looks_right(snap_compare, desk, agent, size):
    app = app_on(desk)

    async def save_one(pilot):
        screen = await open_screen(pilot, agent, IntakeScreen())
        app.live.stop()  # a still picture: no refresh may land while it is taken
        for box in screen.query("Input, TextArea"):
            box.cursor_blink = False  # nor a blink of the cursor
        fill(screen, category=Category.COMPLAINT, name="李秀英", subject="送货太慢，已经等了五天")
        await pilot.press("ctrl+s")
        await settle(app)
        screen.query_one("#intake-name", Input).value = "陈静"
        screen.query_one("#intake-name", Input).focus()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=save_one)


def test_a_call_typed_in_one_burst_with_tabs_between_fields_is_saved_whole(desk, agent):  # rule: TK-3
    from textual import events

    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, IntakeScreen())
            assert screen.focused is screen.query_one("#intake-channel")
            keys = ["tab", "tab", *"王先生", "tab", *"13900001111", "tab", *"Bill", "ctrl+s"]
            for key in keys:
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            for _ in range(20):
                await pilot.pause(0.05)
            await settle(app)

    run(scenario())
    [ticket] = tickets(desk)
    assert (ticket.customer_name, ticket.customer_contact, ticket.subject) == ("王先生", "13900001111", "Bill")
