"""A screen naming the tables it shows is reloaded when one of them changes, and only then.

Each table's change mark moves with every commit that touches it, whoever makes
it. A desk on the queues stays still while the centre clocks in or records fines,
and still shows a new case within the second; a screen coming back into view
reloads only if something it shows changed while it was hidden. A ticket's page
reads its case again only when that case moved, and time left moves on with no
commit at all."""

from __future__ import annotations

import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from edge_dates import centre_time, demo_desk_at
from sqlalchemy import event, select
from textual.screen import ModalScreen
from textual.widgets import TabbedContent

from csdesk.app import make_app
from csdesk.models import Ticket
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import Role
from csdesk.screens import commands
from csdesk.screens.base import DeskScreen
from csdesk.screens.queues import QueuesScreen
from csdesk.screens.registry import _registry
from csdesk.screens.ticket import TicketScreen
from csdesk.services.auth import sign_in
from csdesk.services.ledger import record_fine
from csdesk.services.tickets import claim
from csdesk.widgets.live import DataChanged

from .conftest import _settle
from .test_queues import agent, counting_fetches, email, leader, open_screen, other, squad  # noqa: F401 - fixtures

SETTINGS = SimpleNamespace(lang=None, policy_path=None)

# A weekday's roll call before the day shift, and the middle of a night shift.
MOMENTS = {
    "weekday-roll-call": centre_time(2026, 12, 2, 8, 52),
    "night-shift": centre_time(2026, 11, 25, 0, 30),
}
# Agent, squad leader, inspector and centre director of the demo centre.
PEOPLE = ("1317", "1101", "1003", "1001")
# The palette's lists and views, each of which names what it watches.
COMMANDS = (
    "Ticket queues",
    "What waits for me",
    "Find a ticket",
    "Time clock",
    "Attendance week",
    "Roll call",
    "Shift handover",
    "Handover book",
    "Roster",
    "Duties calendar",
    "Fines & fund",
    "Leave",
    "Shift swaps",
    "Emergency contacts",
    "Interns",
    "Typing tests",
    "Monthly evaluation",
    "Knowledge base",
    "Memo book",
    "Review memos",
    "Quality inspection",
    "Weekly quality summary",
    "Daily quality report",
)


@contextmanager
def tables_read(db):
    """The tables named in every statement the desk runs meanwhile, from any thread."""
    names = set(db.table_marks())
    read: set[str] = set()

    def note(conn, cursor, statement, parameters, context, executemany):
        read.update(names.intersection(re.findall(r"[a-z_]+", statement.lower())))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield read
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


@pytest.fixture(scope="module", params=list(MOMENTS), ids=list(MOMENTS))
def demo(request, tmp_path_factory):
    with demo_desk_at(MOMENTS[request.param], tmp_path_factory.mktemp("watched")) as desk:
        yield desk


def app_on(desk):
    return make_app(SETTINGS, desk.db, desk_factory=lambda: desk)


async def reload_everywhere(pilot, screen):
    """Reload ``screen`` as a change would, then show each of its tabs (each loads as shown)."""
    app = pilot.app
    screen.post_message(DataChanged(-1))
    await pilot.pause()
    await _settle(app)
    for tabbed in screen.query(TabbedContent):
        for pane in tabbed.query("TabPane"):
            tabbed.active = pane.id
            await pilot.pause()
            await _settle(app)


def sample_tickets(desk):
    """A case of each channel and one of each status in the demo."""
    with desk.read() as session:
        rows = session.execute(select(Ticket.id, Ticket.channel, Ticket.status).order_by(Ticket.id)).all()
    picked: dict[str, int] = {}
    for ticket_id, channel, status in rows:
        picked.setdefault(channel, ticket_id)
        picked.setdefault(status, ticket_id)
    return sorted(set(picked.values()))


def test_each_watching_screen_reads_only_tables_it_watches(demo, drive):
    """Whoever is signed in, on every tab, at any hour: a table read but not watched would
    leave the screen showing what was, after someone changed it."""
    commands.load_area_modules()
    app = app_on(demo)
    missed: dict[str, set[str]] = {}

    def check(screen, read):
        assert screen.watches is not None, type(screen).__name__
        extra = read - screen.watches
        if extra:
            missed.setdefault(type(screen).__name__, set()).update(extra)

    async def scenario(pilot):
        for number in PEOPLE:
            actor = sign_in(demo, number, "1234")
            with tables_read(demo.db) as read:
                app.signed_in(actor)
                await _settle(app)
                await pilot.pause()
                await reload_everywhere(pilot, app.screen)
            for title in COMMANDS:
                found = [c for c in _registry if c.title == title and c.offered_to(actor)]
                if not found:
                    continue
                with tables_read(demo.db) as read:
                    found[0].run(app)
                    await pilot.pause()
                    await _settle(app)
                    if isinstance(app.screen, ModalScreen):  # which squad: the first offered
                        await pilot.press("enter")
                        await pilot.pause()
                        await _settle(app)
                    screen = app.screen
                    await reload_everywhere(pilot, screen)
                check(screen, read)
                while len(app.screen_stack) > 2:
                    app.pop_screen()
                    await pilot.pause()
                await _settle(app)
            if actor.role is Role.SQUAD_LEADER:  # the whole case, unmasked
                for ticket_id in sample_tickets(demo):
                    with tables_read(demo.db) as read:
                        app.push_screen(TicketScreen(ticket_id))
                        await pilot.pause()
                        await _settle(app)
                        screen = app.screen
                        await reload_everywhere(pilot, screen)
                    check(screen, read)
                    app.pop_screen()
                    await pilot.pause()
            app.sign_out()
            await _settle(app)

    drive(app, scenario, size=(120, 40))
    assert missed == {}


# -- what a watching desk does when the centre changes something else ------------------


async def feed_has_seen(pilot, version_before):
    """Wait until the change feed (polled four times a second) reports a new version."""
    for _ in range(50):
        await pilot.pause(0.1)
        if pilot.app.live.version != version_before:
            break
    assert pilot.app.live.version != version_before
    await pilot.pause(0.2)
    await _settle(pilot.app)


def test_a_desk_on_the_queues_stays_still_while_fines_are_booked_and_shows_a_new_case(
    desk, agent, other, leader, monkeypatch, drive
):
    app = app_on(desk)

    async def scenario(pilot):
        queues = await open_screen(pilot, agent, QueuesScreen("email"))
        fetched = counting_fetches(monkeypatch)
        before = app.live.version
        record_fine(desk, leader, other.staff_id, Offence.COMPLAINT, "rude on the phone")
        await feed_has_seen(pilot, before)
        assert fetched == []
        assert queues.seen_version == app.live.version  # still up to date: no reload when shown again

        before = app.live.version
        email(desk, other, "Refund")
        await feed_has_seen(pilot, before)
        assert sorted(fetched) == ["counts", "email"]
        assert [row.view.subject for row in queues.active_table()._rows] == ["Refund"]

    drive(app, scenario)


def test_a_hidden_queue_reloads_on_return_only_if_a_case_changed_meanwhile(
    desk, agent, other, leader, monkeypatch, drive
):
    app = app_on(desk)

    async def away_while(pilot, change):
        app.push_screen(DeskScreen())
        await pilot.pause()
        before = app.live.version
        change()
        await feed_has_seen(pilot, before)
        app.pop_screen()
        await pilot.pause()
        await _settle(app)

    async def scenario(pilot):
        queues = await open_screen(pilot, agent, QueuesScreen("email"))
        fetched = counting_fetches(monkeypatch)
        await away_while(pilot, lambda: record_fine(desk, leader, other.staff_id, Offence.COMPLAINT, "late"))
        assert fetched == []
        await away_while(pilot, lambda: email(desk, other, "Invoice"))
        assert sorted(fetched) == ["counts", "email"]
        assert [row.view.subject for row in queues.active_table()._rows] == ["Invoice"]

    drive(app, scenario)


# -- times move on with no commit ----------------------------------------------------------


def test_time_left_moves_on_the_queues_and_a_ticket_with_nothing_committed(
    desk, clock, agent, other, monkeypatch, drive
):  # rule: TK-7
    """An agent watching a quiet queue sees the minutes run out, not those of the last change."""
    monkeypatch.setattr(QueuesScreen, "clock_refresh", 0.2)
    monkeypatch.setattr(TicketScreen, "clock_refresh", 0.2)
    email(desk, other, "Refund")
    app = app_on(desk)

    def time_left(screen):
        return str(screen.active_table().get_row_at(0)[1])

    def timers(screen):
        return str(screen.query_one("#ticket-timers").render())

    async def until_changed(pilot, read, screen, before):
        for _ in range(40):
            await pilot.pause(0.1)
            if read(screen) != before:
                break
        return read(screen)

    async def scenario(pilot):
        queues = await open_screen(pilot, agent, QueuesScreen("email"))
        version = app.live.version
        before = time_left(queues)
        clock.advance(minutes=20)
        after = await until_changed(pilot, time_left, queues, before)
        assert after != before
        [ticket_id] = [row.view.ticket_id for row in queues.active_table()._rows]
        page = TicketScreen(ticket_id)
        app.push_screen(page)
        await pilot.pause()
        await _settle(app)
        before = timers(page)
        clock.advance(minutes=20)
        assert await until_changed(pilot, timers, page, before) != before
        assert app.live.version == version  # nothing was committed meanwhile

    drive(app, scenario)


def test_a_ticket_page_reads_its_case_again_only_when_that_case_moved(desk, agent, other, monkeypatch, drive):
    """Cases are taken in and claimed all over the centre; an agent reading one isn't made to
    wait on the timeline read again for each of them, and still sees a change to this one."""
    from csdesk.services import tickets

    mine = email(desk, other, "Refund").id
    app = app_on(desk)
    details: list[int] = []
    detail = tickets.ticket_detail

    def counted(*args, **kwargs):
        details.append(args[2])
        return detail(*args, **kwargs)

    async def scenario(pilot):
        app.signed_in(agent)
        await _settle(app)
        page = TicketScreen(mine)
        app.push_screen(page)
        await pilot.pause()
        await _settle(app)
        monkeypatch.setattr(tickets, "ticket_detail", counted)
        before = app.live.version
        email(desk, other, "Invoice")
        await feed_has_seen(pilot, before)
        assert details == []
        before = app.live.version
        claim(desk, other, mine)
        await feed_has_seen(pilot, before)
        assert details == [mine]
        assert "张伟" in str(page.query_one("#ticket-meta").render())

    drive(app, scenario)
