"""Ticket detail: replies, the password guard, escalation, stale edits, return visits, masking."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from csdesk.models import Ticket, TicketEvent
from csdesk.models.states import ContactOutcome
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus
from csdesk.screens.ticket import AttemptModal, CloseVisitModal, EscalateModal, TicketScreen, TransferModal
from csdesk.services.tickets import log_contact_attempt, reply, resolve, take_in, ticket_detail
from csdesk.widgets.confirm import ConfirmModal
from csdesk.widgets.form import Field
from csdesk.widgets.why import WhyModal

from .test_queues import app_on, open_screen, run, settle


@pytest.fixture
def squad(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1110", real_name="王芳"))


@pytest.fixture
def other(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1111", real_name="张伟"))


@pytest.fixture
def leader(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, role=Role.SQUAD_LEADER, employee_number="1101", real_name="李娜"))


def phone_case(desk, actor, contact="13812345678", category=Category.INQUIRY):
    return take_in(desk, actor, Channel.PHONE, category, "王小明", contact, "Refund", "Charged twice")


def events(desk, ticket_id, kind):
    with desk.read() as session:
        return session.exec(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == kind)
        ).all()


def stored(desk, ticket_id):
    with desk.read() as session:
        return session.get(Ticket, ticket_id)


def field(screen, name):
    return next(f for f in screen.query(Field) if f.field == name)


def error_of(screen, name):
    return str(field(screen, name).query_one(".field-error").render())


def test_a_reply_asking_for_a_password_is_refused_and_nothing_is_saved(desk, agent):  # rule: TK-14
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("r")
            await pilot.press(*"Please tell me your password")
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert events(desk, ticket.id, "reply") == []
            assert stored(desk, ticket.id).first_reply_at is None
            assert "TK-14" in error_of(screen, "text")
            # The text is kept to be reworded, and F2 explains the refusal while typing.
            assert screen.query_one("#ticket-reply", TextArea).text == "Please tell me your password"
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, WhyModal) and app.screen.rule_ids == ("TK-14",)

    run(scenario())


def test_a_reply_is_sent_and_appears_on_the_timeline(desk, agent):  # rule: TK-10
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("r", *"Refund sent today")
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            [sent] = events(desk, ticket.id, "reply")
            assert sent.text == "Refund sent today" and sent.actor_id == agent.staff_id
            assert screen.query_one("#ticket-reply", TextArea).text == ""
            timeline = " ".join(str(s.render()) for s in screen.query("#ticket-timeline Static"))
            assert "Refund sent today" in timeline

    run(scenario())


def test_a_stale_reply_says_so_reloads_and_keeps_the_text(desk, make_desk, agent, leader):
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            app.live.stop()  # the leader's reply lands between load and send
            reply(make_desk(), leader, ticket.id, "Leader's answer", ticket.version)
            await pilot.press("r", *"My answer")
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert [e.text for e in events(desk, ticket.id, "reply")] == ["Leader's answer"]
            messages = [n.message for n in app._notifications]
            assert any("changed this ticket since you opened it" in m for m in messages)
            assert screen.view.version == stored(desk, ticket.id).version  # reloaded
            assert screen.query_one("#ticket-reply", TextArea).text == "My answer"

    run(scenario())


def test_escalation_without_the_customers_contact_is_refused_on_that_field(desk, agent):  # rule: TK-12
    ticket = phone_case(desk, agent, contact="")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("e")
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, EscalateModal)
            await pilot.press(*"Refund system down")
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert app.screen is modal
            assert "TK-12" in error_of(modal, "customer_contact")
            assert modal.focused is modal.query_one("#escalate-contact")
            after = stored(desk, ticket.id)
            assert (after.status, after.escalation_level) == (TicketStatus.CLAIMED, 0)

    run(scenario())


def test_escalation_goes_one_level_up(desk, agent):  # rule: TK-11
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("e")
            await pilot.pause()
            assert app.screen.query_one("#escalate-contact", Input).value == "13812345678"
            await pilot.press(*"Refund system down", "ctrl+s")
            await settle(app)
            await pilot.pause()
            assert app.screen is screen
            after = stored(desk, ticket.id)
            assert (after.status, after.escalation_level) == (TicketStatus.ESCALATED, 1)
            assert any("Squad leader" in n.message for n in app._notifications)

    run(scenario())


def test_an_emergency_skip_records_whom_to_inform(desk, agent, leader):  # rule: TK-11
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("e")
            await pilot.pause()
            modal = app.screen
            await pilot.press(*"Fire in the server room")
            modal.query_one("#escalate-emergency", Checkbox).value = True
            await pilot.pause()
            skip = modal.query_one("#escalate-skip-to", Select)
            assert not skip.disabled
            skip.value = Role.DEPARTMENT_DIRECTOR.value
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert stored(desk, ticket.id).escalation_level == 2
            [inform] = events(desk, ticket.id, "inform")
            assert "No. 1101 李娜" in inform.text
            assert any("Inform afterwards" in n.message and "李娜" in n.message for n in app._notifications)

    run(scenario())


def test_a_return_visit_closes_only_after_the_third_failed_attempt(desk, agent):  # rule: TK-8
    ticket = phone_case(desk, agent)
    resolve(desk, agent, ticket.id)
    visit_id = ticket_detail(desk, agent, ticket.id).return_visit.id
    for _ in range(2):
        log_contact_attempt(desk, agent, visit_id, ContactOutcome.NO_ANSWER)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            assert screen.check_action("close_visit", ()) is None  # shown, but not yet allowed
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, AttemptModal)
            await pilot.press("ctrl+s")  # "no answer" is the default outcome
            await settle(app)
            await pilot.pause()
            assert screen.check_action("close_visit", ()) is True
            await pilot.press("v")
            await pilot.pause()
            assert isinstance(app.screen, CloseVisitModal)
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert stored(desk, ticket.id).status is TicketStatus.CLOSED

    run(scenario())


@pytest.mark.parametrize("who, masked", [("owner", False), ("other", True), ("leader", False)])
def test_the_customer_is_masked_for_anyone_but_the_owner_and_leaders(
    desk, agent, other, leader, who, masked
):  # rule: TK-15
    ticket = phone_case(desk, agent)
    viewer = {"owner": agent, "other": other, "leader": leader}[who]
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, viewer, TicketScreen(ticket.id))
            customer = str(screen.query_one("#ticket-customer", Static).render())
            assert ("13812345678" in customer) is (not masked)
            assert ("TK-15" in customer) is masked

    run(scenario())


def test_leaving_with_an_unsent_reply_asks_first(desk, agent):
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("r", *"Half a reply")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmModal)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            assert screen.query_one("#ticket-reply", TextArea).text == "Half a reply"

    run(scenario())


def test_a_leader_transfers_a_case_with_a_reason_and_the_colleague_owns_it(desk, agent, other, leader):  # rule: TK-9
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, leader, TicketScreen(ticket.id))
            assert "Transfer" in {b.binding.description for b in screen.active_bindings.values() if b.enabled}
            await pilot.press("t")
            await settle(app)
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, TransferModal)
            choices = modal.query_one("#transfer-to", Select)
            # The owner is not offered; the squad is, by number.
            assert [str(label) for label, v in choices._options if isinstance(v, int)] == [
                "No. 1101 李娜",
                "No. 1111 张伟",
            ]
            await pilot.press("ctrl+s")  # nobody chosen
            await pilot.pause()
            assert "Choose whom" in error_of(modal, "to_staff_id")
            choices.value = other.staff_id
            await pilot.press("ctrl+s")  # no reason
            await settle(app)
            await pilot.pause()
            assert app.screen is modal and "why" in error_of(modal, "reason")
            assert stored(desk, ticket.id).owner_id == agent.staff_id
            modal.query_one("#transfer-reason", Input).focus()
            await pilot.press(*"王芳 sick")
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert app.screen is screen
            assert "No. 1111" in str(screen.query_one("#ticket-meta").render())

    run(scenario())
    assert stored(desk, ticket.id).owner_id == other.staff_id
    [moved] = events(desk, ticket.id, "transfer")
    assert moved.actor_id == leader.staff_id and moved.text.endswith(": 王芳 sick")


def test_an_agent_is_not_offered_a_transfer(desk, agent):  # rule: TK-9
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            assert "transfer" not in {b.binding.id for b in screen.active_bindings.values() if b.enabled}
            await pilot.press("t")
            await pilot.pause()
            assert app.screen is screen

    run(scenario())
    assert events(desk, ticket.id, "transfer") == []


def burst(app, text, *keys):
    """Keys arriving faster than the desk handles them, as from a fast typist or a paste."""
    from textual import events

    for key in [*text, *keys]:
        name = {" ": "space"}.get(key, key)
        app.post_message(events.Key(name, key if len(key) == 1 else None))


def test_keys_typed_just_before_ctrl_s_are_all_saved(desk, agent):  # rule: TK-12
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, EscalateModal)
            burst(app, "Refund system down", "ctrl+s")
            for _ in range(20):
                await pilot.pause(0.05)
                if not isinstance(app.screen, EscalateModal):
                    break
            await pilot.pause(0.3)

    run(scenario())
    [escalated] = events(desk, ticket.id, "escalate")
    assert ": Refund system down — contact: 13812345678" in escalated.text


def test_the_timeline_and_timers_read_in_chinese(desk, agent):
    from types import SimpleNamespace

    from csdesk import i18n
    from csdesk.app import make_app
    from csdesk.services.tickets import claim

    ticket = take_in(desk, agent, Channel.EMAIL, Category.INQUIRY, "王小明", "13812345678", "发票抬头错了", "")
    claim(desk, agent, ticket.id)
    app = make_app(SimpleNamespace(lang="zh_CN"), desk.db, desk_factory=lambda: desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            timeline = " ".join(str(s.render()) for s in screen.query("#ticket-timeline Static"))
            timers = str(screen.query_one("#ticket-timers", Static).render())
            assert "[受理]" in timeline and "[认领]" in timeline
            assert "[claim]" not in timeline and "[intake]" not in timeline
            assert "邮件" in timers and "email answer" not in timers

    try:
        run(scenario())
    finally:
        i18n.install_language(None)


def test_the_whole_escalation_form_fits_80x24_with_where_it_goes_on_top(desk, agent, leader):  # rule: TK-11
    ticket = phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("e")
            await settle(app)
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, EscalateModal)
            body = modal.query_one(".modal-body")
            # Nothing to scroll to: the route, every field and the buttons are all in view.
            assert body.max_scroll_y == 0
            route = modal.query_one("#escalate-route", Static)
            assert body.region.contains_region(route.region) and "Goes to:" in str(route.render())
            assert body.region.contains_region(modal.query_one("#modal-ok").region)
            assert body.region.contains_region(modal.query_one("#escalate-skip-to").region)

    run(scenario())
