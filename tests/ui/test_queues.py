"""The queue screen: urgency order, claiming, masking, and changes from other desks."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace

import pytest
from textual import events
from textual.widgets import TabbedContent

from csdesk.app import make_app
from csdesk.rules.vocab import Category, Channel, Role
from csdesk.screens.queues import QueuesScreen, QueueTable
from csdesk.screens.ticket import TicketScreen
from csdesk.services.tickets import claim, take_in, ticket_detail

from .conftest import _settle

SETTINGS = SimpleNamespace(lang=None)


def app_on(desk):
    """A desk app over ``desk`` (its own Database when made with ``make_desk``)."""
    return make_app(SETTINGS, desk.db, desk_factory=lambda: desk)


async def settle(app):
    """Wait for every service call and page fetch (never for the live-refresh loop)."""
    await _settle(app)


async def open_screen(pilot, actor, screen):
    pilot.app.signed_in(actor)
    await settle(pilot.app)
    pilot.app.push_screen(screen)
    await pilot.pause()
    await settle(pilot.app)
    await pilot.pause()
    return screen


def shown_rows(screen):
    table = screen.active_table()
    return [row.view for row in table._rows]


def email(desk, actor, subject, **kwargs):
    values = dict(customer_name="王小明", customer_contact="13812345678", body="")
    values.update(kwargs)
    return take_in(
        desk,
        actor,
        Channel.EMAIL,
        Category.INQUIRY,
        values.pop("customer_name"),
        values.pop("customer_contact"),
        subject,
        values.pop("body"),
    )


def run(coroutine):
    asyncio.run(coroutine)


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


def test_a_claim_at_a_second_desk_shows_at_the_first_within_two_seconds(desk, make_desk, agent, other):  # rule: TK-9
    first_app = app_on(desk)
    second_app = app_on(make_desk())

    async def scenario():
        async with first_app.run_test(size=(80, 24)) as first:
            # The ticket is taken in at the first desk, through its own intake screen.
            from csdesk.screens.intake import IntakeScreen

            intake = await open_screen(first, agent, IntakeScreen(Channel.EMAIL))
            intake.query_one("#intake-subject").value = "发票抬头错了"
            await first.press("ctrl+s")
            await settle(first_app)
            ticket_id = intake.saved.id
            intake.dismiss()
            await first.pause()
            queues = await open_screen(first, agent, QueuesScreen("email"))
            [row] = shown_rows(queues)
            assert (row.ticket_id, row.owner_id) == (ticket_id, None)

            async with second_app.run_test(size=(80, 24)) as second:
                theirs = await open_screen(second, other, QueuesScreen("email"))
                assert [r.ticket_id for r in shown_rows(theirs)] == [ticket_id]
                await second.press("c")
                await settle(second_app)
                assert ticket_detail(desk, other, ticket_id).owner_id == other.staff_id

                # No key pressed at the first desk: the live feed brings the change.
                for _ in range(20):
                    await asyncio.sleep(0.1)
                    await first.pause()
                    if not shown_rows(queues):
                        break
                else:
                    pytest.fail("the first desk still shows the ticket unclaimed after 2 s")
                mine_second = shown_rows(theirs)
                assert mine_second == []  # claimed tickets leave the shared queue

    run(scenario())


def test_a_claim_elsewhere_updates_the_tab_count_live(desk, make_desk, agent, other, leader):  # rule: TK-9
    ticket = email(desk, agent, "Refund")
    leader_app = app_on(desk)

    async def scenario():
        async with leader_app.run_test(size=(120, 40)) as pilot:
            screen = await open_screen(pilot, leader, QueuesScreen("email"))
            [row] = shown_rows(screen)
            assert row.owner_number is None
            claim(make_desk(), other, ticket.id)
            for _ in range(20):
                await asyncio.sleep(0.1)
                await pilot.pause()
                if not shown_rows(screen):
                    break
            assert shown_rows(screen) == []
            tabs = screen.query_one(TabbedContent)
            assert "0" in str(tabs.get_tab("queue-email").label)

    run(scenario())


def test_a_claim_someone_else_won_says_who_has_it(desk, make_desk, agent, other):  # rule: TK-9
    ticket = email(desk, agent, "Refund")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen("email"))
            app.live.stop()  # the other desk's claim must not have reached this screen yet
            claim(make_desk(), other, ticket.id)
            await pilot.press("c")
            await settle(app)
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("TK-9" in m and "already claimed by No. 1111 张伟" in m for m in messages)
            assert ticket_detail(desk, other, ticket.id).owner_id == other.staff_id
            assert screen.why_rule_ids() == ("TK-9",)
            assert shown_rows(screen) == []  # the table was fetched again

    run(scenario())


def test_rows_are_most_urgent_first_with_the_time_left_in_words(desk, clock, agent):  # rule: TK-6
    later = take_in(desk, agent, Channel.FORUM, Category.INQUIRY, "", "", "Later post", "")
    clock.advance(minutes=-9)
    earlier = take_in(desk, agent, Channel.FORUM, Category.INQUIRY, "", "", "Earlier post", "", received_at=clock())
    clock.advance(minutes=20)  # earlier was due 10 minutes ago, later 1 minute ago
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen("forum"))
            rows = shown_rows(screen)
            assert [r.ticket_id for r in rows] == [earlier.id, later.id]
            table = screen.active_table()
            cells = [str(table.get_row_at(i)[1]) for i in range(2)]
            assert cells == ["overdue 10m", "overdue 1m"]

    run(scenario())


def test_enter_opens_the_ticket(desk, agent):
    ticket = email(desk, agent, "Refund")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            await open_screen(pilot, agent, QueuesScreen("email"))
            await pilot.press("enter")
            await settle(app)
            assert isinstance(app.screen, TicketScreen)
            assert app.screen.ticket_id == ticket.id

    run(scenario())


def test_claiming_keeps_the_cursor_in_the_list_and_offers_to_open_the_ticket(desk, agent, other):  # rule: TK-9
    first = email(desk, other, "Refund")
    second = email(desk, other, "Invoice")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            queues = await open_screen(pilot, agent, QueuesScreen("email"))
            top = shown_rows(queues)[0].ticket_id
            await pilot.press("c")
            await settle(app)
            await pilot.pause()
            assert ticket_detail(desk, agent, top).owner_id == agent.staff_id
            messages = [n.message for n in app._notifications]
            assert any(f"#{top}" in m and "o to open" in m for m in messages)
            # Still in the list, on the ticket that moved up, for the next claim.
            assert app.screen is queues and app.focused is queues.active_table()
            assert [r.ticket_id for r in shown_rows(queues)] == [{first.id, second.id}.difference({top}).pop()]
            # The offer stays on screen under the list until taken, not only in a passing note.
            offer = queues.query_one("#queues-claimed")
            assert offer.display and f"#{top}" in str(offer.render()) and "o to open" in str(offer.render())
            await pilot.press("o")
            await settle(app)
            assert isinstance(app.screen, TicketScreen) and app.screen.ticket_id == top

    run(scenario())


def test_a_second_claim_is_said_on_the_same_line_without_laying_the_screen_out(desk, agent, other):  # rule: TK-9
    tickets = [email(desk, other, subject) for subject in ("Refund", "Invoice", "Parcel")]
    app = app_on(desk)

    def screen_text():
        # What the terminal is sent for the whole screen, line by line.
        lines = app.screen._compositor.render_full_update().strips
        return "\n".join("".join(strip.text for strip in line) for line in lines)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            queues = await open_screen(pilot, agent, QueuesScreen("email"))
            offer = queues.query_one("#queues-claimed")
            await pilot.press("c")
            await settle(app)
            await pilot.pause()
            first = queues._claimed
            where = offer.region
            layouts = []
            plain_refresh = offer.refresh

            def refresh(*regions, layout=False, **kwargs):
                layouts.append(layout)
                return plain_refresh(*regions, layout=layout, **kwargs)

            offer.refresh = refresh
            await pilot.press("c")
            await settle(app)
            await pilot.pause()
            second = queues._claimed
            assert {first, second} < {t.id for t in tickets} and first != second
            # The person reads the second claim where the first was said, and only the second.
            shown = screen_text()
            assert f"Ticket #{second} is yours now" in shown and f"Ticket #{first} is yours" not in shown
            assert offer.region == where
            # The line is one row high whatever it says: redrawing it is enough.
            assert layouts and not any(layouts)

    run(scenario())


def test_c_pressed_twice_at_once_claims_one_ticket_and_waits_for_the_list(desk, agent, other):  # rule: TK-9
    tickets = [email(desk, other, subject) for subject in ("Refund", "Invoice", "Parcel")]
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            queues = await open_screen(pilot, agent, QueuesScreen("email"))
            top = shown_rows(queues)[0].ticket_id
            # Both keys in before the desk has answered the first, as a terminal sends a quick double press.
            for _ in range(2):
                app.post_message(events.Key("c", "c"))
            await settle(app)
            await pilot.pause()
            owned = [t.id for t in tickets if ticket_detail(desk, agent, t.id).owner_id == agent.staff_id]
            assert owned == [top]
            # No refusal about the ticket just taken: the second press came before the list moved on.
            assert not any("TK-9" in n.message and "yours now" not in n.message for n in app._notifications)
            await pilot.press("c")
            await settle(app)
            await pilot.pause()
            owned = [t.id for t in tickets if ticket_detail(desk, agent, t.id).owner_id == agent.staff_id]
            assert len(owned) == 2 and queues._claimed in owned and queues._claimed != top

    run(scenario())


@pytest.mark.parametrize("who, masked", [("agent", True), ("leader", False)])
def test_customer_contact_is_masked_unless_a_leader(desk, agent, other, leader, who, masked):  # rule: TK-15
    email(desk, other, "Refund", customer_contact="13812345678")
    viewer = {"agent": agent, "leader": leader}[who]
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_screen(pilot, viewer, QueuesScreen("email"))
            table = screen.active_table()
            customer = str(table.get_row_at(0)[4])
            assert ("13812345678" in customer) is (not masked)
            assert ("王小明" in customer) is (not masked)

    run(scenario())


def test_the_owner_sees_their_own_customer_whole_in_mine(desk, agent):  # rule: TK-15
    take_in(desk, agent, Channel.PHONE, Category.INQUIRY, "王小明", "13812345678", "Refund", "")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen("mine"))
            customer = str(screen.active_table().get_row_at(0)[3])
            assert customer == "王小明 13812345678"

    run(scenario())


def test_the_table_fetches_one_page_not_the_whole_queue(desk, agent):
    for n in range(60):
        email(desk, agent, f"Question {n}")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen("email"))
            assert isinstance(screen.active_table(), QueueTable)
            assert len(shown_rows(screen)) == 50
            assert "60" in str(screen.query_one(TabbedContent).get_tab("queue-email").label)

    run(scenario())


def test_a_tab_is_built_when_first_shown_and_kept_when_left(desk, agent, other):
    for n in range(3):
        take_in(desk, other, Channel.FORUM, Category.INQUIRY, "王小明", "13812345678", f"post {n}", "")
    refund = email(desk, other, "Refund")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen("forum"))
            forum = screen.active_table()
            assert list(screen.query(QueueTable)) == [forum]
            # The count on a tab not built yet is there all the same.
            assert "1" in str(screen.query_one(TabbedContent).get_tab("queue-email").label)
            await pilot.press("down", "down")
            assert forum.cursor_row == 2

            await pilot.press("2")
            await settle(app)
            await pilot.pause()
            assert screen.active_table().queue == "email"
            assert [r.ticket_id for r in shown_rows(screen)] == [refund.id]
            assert app.focused is screen.active_table()

            await pilot.press("1")
            await settle(app)
            await pilot.pause()
            assert screen.active_table() is forum and forum.cursor_row == 2
            assert app.focused is forum
            assert {t.queue for t in screen.query(QueueTable)} == {"forum", "email"}

    run(scenario())


# -- how it looks -------------------------------------------------------------------


def snapshot_queue(desk, clock, make_staff, actor_of, squad):
    """A forum queue with Chinese names, one overdue, one due soon, one with time to spare."""
    agent = actor_of(make_staff(squad=squad, employee_number="1110", real_name="王芳"))
    posts = [
        ("李秀英", "13800001111", "网页打不开", -12),
        ("张伟", "zhangwei@example.com", "Charged twice", -2),
        ("陈静", "13900002222", "发票抬头错了，需要重开", 0),
    ]
    for name, contact, subject, minutes in posts:
        take_in(
            desk,
            agent,
            Channel.FORUM,
            Category.COMPLAINT if "Charged" in subject else Category.INQUIRY,
            name,
            contact,
            subject,
            "",
            received_at=clock() + timedelta(minutes=minutes),
        )
    return agent


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_queue_screen_looks_right(snap_compare, desk, clock, make_staff, actor_of, squad, size):
    agent = snapshot_queue(desk, clock, make_staff, actor_of, squad)
    app = app_on(desk)

    async def show(pilot):
        await open_screen(pilot, agent, QueuesScreen("forum"))
        app.live.stop()  # a still picture: no refresh may land while it is taken
        await settle(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=show)


# -- opened again -------------------------------------------------------------------


def queues_command():
    from csdesk.screens.commands import commands_offered, load_area_modules

    load_area_modules()
    return lambda actor: next(c for c in commands_offered("tickets", actor) if c.title == "Ticket queues")


async def open_kept_queues(pilot, actor):
    """Signed in as ``actor``, the queues opened from the palette, as the desk keeps them."""
    app = pilot.app
    app.signed_in(actor)
    await settle(app)
    queues_command()(actor).run(app)
    await settle(app)
    await pilot.pause()
    return app.screen


def test_the_queues_opened_again_are_the_same_screen_brought_up_to_date(desk, agent, other, leader):
    for n in range(3):
        take_in(desk, other, Channel.FORUM, Category.INQUIRY, "王小明", "13812345678", f"post {n}", "")
    app = app_on(desk)
    command = queues_command()

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            first = await open_kept_queues(pilot, agent)
            assert isinstance(first, QueuesScreen)
            first.active_table().focus()
            await pilot.press("down")
            ticket_left = shown_rows(first)[1].ticket_id
            await pilot.press("escape")
            await pilot.pause()

            # Meanwhile a colleague claims the ticket the agent had highlighted.
            claim(desk, other, ticket_left)
            command(agent).run(app)
            await settle(app)
            await pilot.pause()
            assert app.screen is first, "not built again"
            assert ticket_left not in [r.ticket_id for r in shown_rows(first)], "the claim is shown on return"
            assert len(shown_rows(first)) == 2

            # Whoever signs in next at this workstation gets a screen of their own.
            app.sign_out()
            await pilot.pause()
            app.signed_in(leader)
            await settle(app)
            command(leader).run(app)
            await settle(app)
            await pilot.pause()
            assert isinstance(app.screen, QueuesScreen) and app.screen is not first

    run(scenario())


def test_a_subject_that_looks_like_markup_is_shown_as_the_customer_wrote_it(desk, agent, other):
    subject = "Refund [/urgent] [b]now[/b] :smile:"
    email(desk, other, subject)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(120, 30)) as pilot:
            screen = await open_screen(pilot, agent, QueuesScreen("email"))
            table = screen.active_table()
            await pilot.pause()
            assert table.row_count == 1
            assert any(str(cell) == subject for cell in table.get_row_at(0)), "the subject, to the letter"
            # Drawn, not stopped by a closing tag that opens nothing: the words are on screen.
            assert "[/urgent]" in app.export_screenshot()

    run(scenario())


def counting_fetches(monkeypatch):
    """The queues' page and count fetches from now on, by tab."""
    from csdesk.services import queues as queue_service

    fetched: list[str] = []
    page, counts = queue_service.queue_page, queue_service.queue_counts

    def counted_page(*args, **kwargs):
        fetched.append(args[2])
        return page(*args, **kwargs)

    def counted_counts(*args, **kwargs):
        fetched.append("counts")
        return counts(*args, **kwargs)

    monkeypatch.setattr(queue_service, "queue_page", counted_page)
    monkeypatch.setattr(queue_service, "queue_counts", counted_counts)
    return fetched


def test_a_claim_reloads_the_page_and_counts_once_not_again_when_the_feed_reports_it(
    desk, agent, other, monkeypatch
):  # rule: TK-9
    email(desk, other, "Refund")
    email(desk, other, "Invoice")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            queues = await open_screen(pilot, agent, QueuesScreen("email"))
            fetched = counting_fetches(monkeypatch)
            await pilot.press("c")
            await settle(app)
            # Long enough for the change feed, polled four times a second, to see the claim.
            for _ in range(10):
                await pilot.pause(0.1)
            await settle(app)
            assert sorted(fetched) == ["counts", "email"]
            assert len(shown_rows(queues)) == 1
            # A change made elsewhere afterwards still reaches the screen.
            claim(desk, other, shown_rows(queues)[0].ticket_id)
            for _ in range(30):
                await pilot.pause(0.1)
                if not shown_rows(queues):
                    break
            assert shown_rows(queues) == [] and fetched.count("email") == 2

    run(scenario())


def test_a_tab_count_redrawn_in_place_or_widened_keeps_the_tab_bar_in_line(desk, make_desk, agent, other, leader):
    for n in range(9):
        email(desk, agent, f"Refund {n}")
    elsewhere = make_desk()
    leader_app = app_on(desk)

    async def scenario():
        async with leader_app.run_test(size=(120, 40)) as pilot:
            screen = await open_screen(pilot, leader, QueuesScreen("email"))
            tabs = screen.query_one(TabbedContent)
            mail, chat = tabs.get_tab("queue-email"), tabs.get_tab("queue-chat")

            async def shown(count):
                for _ in range(30):
                    await asyncio.sleep(0.1)
                    await pilot.pause()
                    if len(shown_rows(screen)) == count and str(mail.render()).endswith(f" {count}"):
                        break
                await pilot.pause()
                assert str(mail.render()) == f"Email {count}"
                # The tab is as wide as what it says, and the next one starts after it.
                assert mail.region.width == len(f"Email {count}") + 2
                assert chat.region.x == mail.region.right
                return chat.region.x

            nine = await shown(9)
            email(elsewhere, agent, "Invoice")  # two digits: the tab widens
            ten = await shown(10)
            assert ten == nine + 1
            email(elsewhere, agent, "Receipt")  # as wide as before: drawn again in place
            assert await shown(11) == ten
            claim(elsewhere, other, shown_rows(screen)[0].ticket_id)
            assert await shown(10) == ten

    run(scenario())


def test_a_kept_screen_opened_again_after_a_change_of_theme_is_drawn_in_the_new_one(desk, agent, other):
    take_in(desk, other, Channel.FORUM, Category.INQUIRY, "王小明", "13812345678", "post", "")
    app = app_on(desk)
    command = queues_command()

    def colours(screen):
        table = screen.active_table()
        return (screen.styles.background, table.styles.background, table.styles.color)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            first = await open_kept_queues(pilot, agent)
            dark = colours(first)
            await pilot.press("escape")
            await settle(app)
            command(agent).run(app)  # shown again as it was drawn
            await settle(app)
            assert app.screen is first and colours(first) == dark
            await pilot.press("escape")
            await settle(app)

            app.theme = "textual-light"
            await pilot.pause()
            command(agent).run(app)
            await settle(app)
            await pilot.pause()
            assert app.screen is first
            fresh = QueuesScreen("forum")
            app.push_screen(fresh)
            await settle(app)
            await pilot.pause()
            assert colours(first) == colours(fresh) != dark

    run(scenario())
