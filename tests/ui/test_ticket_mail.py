"""An email ticket on the ticket screen: the customer's mail, then the reply's way out
(queued, not sent with the reason, sent), as the agent reads it at 80x24 (TK-7, TK-15)."""

from __future__ import annotations

import re

from mailkit import mail_policy, relay, sample  # noqa: F401
from textual.widgets import TextArea

from csdesk.screens.ticket import TicketScreen
from csdesk.services.base import Desk
from csdesk.services.mail import receive
from csdesk.services.outbox import send_due, through_relay
from csdesk.services.tickets import claim

from .test_queues import app_on, open_screen, run, settle

# Where the next entry of the timeline starts: a new line opening with its day and time.
NEXT_ENTRY = re.compile(r"\n(?=\d{1,2} [A-Z][a-z]{2} \d{2}:\d{2} )")


def timeline(screen):
    """The timeline's entries as read on screen, a note or a run of events at a time."""
    return [entry for s in screen.query("#ticket-timeline Static") for entry in NEXT_ENTRY.split(str(s.render()))]


def test_the_reply_of_an_email_ticket_shows_queued_then_not_sent_with_why_then_sent(
    db, policy, clock, relay, make_squad, make_staff, actor_of
):
    desk = Desk(db=db, policy=mail_policy(policy, relay), clock=clock)
    agent = actor_of(make_staff(squad=make_squad("Lotus"), employee_number="1110", real_name="王芳"))
    ticket_id = receive(desk, sample("gbk_foxmail.eml")).ticket_id
    claim(desk, agent, ticket_id)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket_id))
            first = timeline(screen)[0]
            assert "customer [email in] 宽带无法上网，请尽快处理（王喆）" in first and "朱镕基路 18 号" in first
            await pilot.press("r")
            screen.query_one("#ticket-reply", TextArea).insert("王先生您好，师傅明天上午上门。")
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            lines = timeline(screen)
            assert "[reply] 王先生您好，师傅明天上午上门。" in lines[-2] and "[email queued]" in lines[-1]
            said = [n.message for n in app._notifications]
            assert "Reply saved; it goes to the customer by email." in said and "Reply sent." not in said

            relay.mode = "refuse5"
            send_due(desk, through_relay(desk))
            screen.load()
            await settle(app)
            await pilot.pause()
            assert (
                "system [email not sent] not sent yet: the relay answered 554 5.7.1 Relay access denied; "
                "next try at 16:01" in timeline(screen)[-1]
            )

            relay.mode = "accept"
            clock.advance(minutes=1)
            send_due(desk, through_relay(desk))
            screen.load()
            await settle(app)
            await pilot.pause()
            assert "[email sent] sent by email to the customer" in timeline(screen)[-1]

    run(scenario())


def test_another_agent_reads_the_mail_with_the_customer_masked(
    db, policy, clock, make_squad, make_staff, actor_of
):  # rule: TK-15
    desk = Desk(db=db, policy=policy, clock=clock)
    squad = make_squad("Lotus")
    owner = actor_of(make_staff(squad=squad, employee_number="1110"))
    other = actor_of(make_staff(squad=squad, employee_number="1111"))
    ticket_id = receive(desk, sample("html_only.eml")).ticket_id
    claim(desk, owner, ticket_id)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, other, TicketScreen(ticket_id))
            customer = str(screen.query_one("#ticket-customer").render())
            assert "m*********z@mail.example" in customer and "maria.lopez" not in customer
            assert "Maria Lopez" not in " ".join(timeline(screen))

    run(scenario())
