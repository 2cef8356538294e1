"""Handover: written at one desk, acknowledged at another, and only then may the writer leave."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, SelectionList, Static, TextArea

from csdesk.models import HandoverItem, HandoverLog, RosterEntry, ShiftDefinition
from csdesk.rules.vocab import Category, Channel, Role, ShiftKind
from csdesk.screens.handover import HandoverModal, HandoverScreen
from csdesk.services.handover import CARRIED, may_leave
from csdesk.services.roster import ensure_shift_definitions
from csdesk.services.tickets import take_in
from csdesk.widgets.filter_bar import FilterBar
from csdesk.widgets.form import Field
from csdesk.widgets.paged_table import PagedTable

from .test_queues import app_on, open_screen, run, settle


@pytest.fixture
def squad(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def day_agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1110", real_name="王芳"))


@pytest.fixture
def day_leader(desk, make_staff, actor_of, squad):
    """The squad's leader, on today's day shift: the policy holds leaders until their handover is acknowledged."""
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1100", real_name="李娜"))
    with desk.write() as session:
        ids = ensure_shift_definitions(session, desk.policy)
        session.add(RosterEntry(staff_id=leader.staff_id, work_date=date(2026, 3, 9), shift_id=ids["day"]))
    return leader


@pytest.fixture
def night_agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1111", real_name="张伟"))


def status(screen):
    return str(screen.query_one("#handover-status", Static).render())


def fill(screen, incoming, equipment="Headset 3 crackles"):
    screen.query_one("#handover-incoming", Select).value = incoming.staff_id
    screen.query_one("#handover-equipment", Input).value = equipment
    screen.query_one("#handover-problems", TextArea).text = "none"
    screen.query_one("#handover-complaints", Input).value = "none"
    screen.query_one("#handover-events", Input).value = "none"


def logs(desk):
    with desk.read() as session:
        return session.exec(select(HandoverLog)).all()


async def wait_for(pilot, condition, seconds=2.0):
    for _ in range(int(seconds * 10)):
        if condition():
            return True
        await asyncio.sleep(0.1)
        await pilot.pause()
    return condition()


def test_written_at_one_desk_acknowledged_at_another_release_only_after(
    desk, make_desk, day_leader, night_agent
):  # rule: HO-1, HO-3, AT-9
    case = take_in(desk, day_leader, Channel.PHONE, Category.COMPLAINT, "", "", "Refund missing", "")
    outgoing_app = app_on(desk)
    incoming_app = app_on(make_desk())

    async def scenario():
        async with outgoing_app.run_test(size=(80, 24)) as out:
            writing = await open_screen(out, day_leader, HandoverScreen())
            assert "You may not leave yet (HO-4)" in status(writing)
            fill(writing, night_agent)
            carry = writing.query_one("#handover-carry", SelectionList)
            carry.select(case.id)
            await out.press("ctrl+s")
            await settle(outgoing_app)
            await out.pause()
            [log] = logs(desk)
            assert (log.outgoing_id, log.incoming_id, log.acknowledged_at) == (
                day_leader.staff_id,
                night_agent.staff_id,
                None,
            )
            with desk.read() as session:
                carried = session.exec(select(HandoverItem.ticket_id).where(HandoverItem.kind == CARRIED)).all()
            assert carried == [case.id]
            assert "You may not leave yet (HO-3, AT-9)" in status(writing)
            # The banner names the one person the leader waits for.
            assert "No. 1111 张伟 has not acknowledged the handover yet" in status(writing)
            assert not may_leave(desk, day_leader).ok

            async with incoming_app.run_test(size=(80, 24)) as inc:
                taking_over = await open_screen(inc, night_agent, HandoverScreen())
                assert f"Handover #{log.id} from No. 1100 李娜 waits for your acknowledgement" in status(taking_over)
                await inc.press("a")
                await inc.pause()
                assert isinstance(incoming_app.screen, HandoverModal)
                await inc.press("a")
                await settle(incoming_app)
                await inc.pause()
                assert incoming_app.screen is taking_over

            assert logs(desk)[0].acknowledged_by_id == night_agent.staff_id
            assert may_leave(desk, day_leader).ok
            # The outgoing desk hears of it by itself.
            assert await wait_for(out, lambda: "You may leave" in status(writing))

    run(scenario())


def test_an_agent_is_not_held_back_by_the_leaders_handover(desk, day_agent):  # rule: AT-9, HO-4
    # The policy holds only the roles that write the squad's handover.
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, day_agent, HandoverScreen())
            assert "You may leave" in status(screen) and "not leave yet" not in status(screen)

    run(scenario())


def test_only_the_named_successor_is_offered_the_acknowledgement(
    desk, make_staff, actor_of, squad, day_agent, night_agent
):  # rule: HO-3
    bystander = actor_of(make_staff(squad=squad, employee_number="1112", real_name="Lucía Pérez"))
    from csdesk.services.handover import write_handover

    view = write_handover(desk, day_agent, night_agent.staff_id, "ok", "none", "none", "none")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, bystander, HandoverScreen("book"))
            assert "waits for your acknowledgement" not in status(screen)
            assert screen.check_action("acknowledge", ()) is False
            await pilot.press("enter")
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, HandoverModal) and modal.view.id == view.id
            await pilot.press("a")
            await settle(app)
            assert logs(desk)[0].acknowledged_at is None

    run(scenario())


def test_a_missing_part_is_said_on_its_field_and_nothing_is_written(desk, day_agent, night_agent):  # rule: HO-1
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, day_agent, HandoverScreen())
            fill(screen, night_agent, equipment="")
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert logs(desk) == []
            equipment = next(f for f in screen.query(Field) if f.field == "equipment")
            assert "HO-1" in str(equipment.query_one(".field-error").render())

    run(scenario())


def test_open_emails_are_listed_with_a_warning(desk, day_agent):  # rule: HO-7
    email = take_in(desk, day_agent, Channel.EMAIL, Category.INQUIRY, "", "", "发票抬头错了", "")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, day_agent, HandoverScreen())
            shown = str(screen.query_one("#handover-emails", Static).render())
            assert "HO-7" in shown and f"#{email.id}" in shown and "发票抬头错了" in shown

    run(scenario())


def test_past_handovers_are_searchable(desk, clock, day_agent, night_agent):
    from csdesk.services.handover import acknowledge_handover, write_handover

    first = write_handover(desk, day_agent, night_agent.staff_id, "Printer jammed", "none", "none", "none")
    acknowledge_handover(desk, night_agent, first.id)
    clock.advance(hours=12)
    write_handover(desk, night_agent, day_agent.staff_id, "All fine", "none", "none", "none")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, day_agent, HandoverScreen("book"))
            table = screen.query_one("#handover-book-table", PagedTable)
            assert table.row_count == 2
            await pilot.press("slash")
            assert screen.query_one(FilterBar).has_focus
            await pilot.press(*"Printer", "enter")
            await asyncio.sleep(0.3)
            await settle(app)
            await pilot.pause()
            assert [row.view.id for row in table._rows] == [first.id]

    run(scenario())


def test_a_handover_from_another_squad_behind_newer_ones_still_waits_for_me(
    desk, clock, make_staff, make_squad, actor_of, squad, day_agent, night_agent
):  # rule: HO-3
    from csdesk.services.handover import write_handover

    writer = actor_of(make_staff(squad=make_squad("Peony"), employee_number="2201", real_name="María González"))
    waiting = write_handover(desk, writer, night_agent.staff_id, "ok", "none", "none", "none")
    for n in range(21):  # the squad's book fills its first page with newer ones
        clock.advance(minutes=1)
        other = actor_of(make_staff(squad=squad, employee_number=f"3{n:03d}"))
        write_handover(desk, other, day_agent.staff_id, "ok", "none", "none", "none")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, night_agent, HandoverScreen())
            assert f"Handover #{waiting.id} from No. 2201 María González waits" in status(screen)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, HandoverModal) and app.screen.view.id == waiting.id
            await pilot.press("a")
            await settle(app)
            await pilot.pause()
            assert "waits for your acknowledgement" not in status(screen)

    run(scenario())
    acknowledged = {log.id: log.acknowledged_by_id for log in logs(desk)}
    assert acknowledged[waiting.id] == night_agent.staff_id
    assert sum(1 for by in acknowledged.values() if by is not None) == 1


@pytest.mark.parametrize(
    ("minute", "filed_under"), [(29, ShiftKind.DAY), (30, ShiftKind.NIGHT)], ids=["17:29 day", "17:30 night"]
)
def test_a_handover_written_at_the_shift_change_is_filed_under_the_shift_then_running(
    desk, clock, policy, day_agent, night_agent, minute, filed_under
):  # rule: SC-1, HO-4
    # SC-1: the day shift is 08:30-17:30 and the night shift starts at 17:30 sharp.
    clock.set(datetime(2026, 3, 9, 17, minute, tzinfo=policy.zone))
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            writing = await open_screen(pilot, day_agent, HandoverScreen())
            fill(writing, night_agent)
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()

    run(scenario())
    [log] = logs(desk)
    with desk.read() as session:
        kind = session.get(ShiftDefinition, log.from_shift_id).kind
    assert (ShiftKind(kind), log.work_date) == (filed_under, date(2026, 3, 9))


def test_saving_reloads_the_status_and_the_book_once_not_again_when_the_feed_reports_it(
    desk, day_leader, night_agent, monkeypatch
):  # rule: HO-3
    from csdesk.services import handover as handover_service
    from csdesk.services import timeclock

    app = app_on(desk)
    status_reads: list[int] = []
    book_pages: list[int] = []
    release_status, book_page = timeclock.release_status, handover_service.search_handovers

    def counted_status(*args, **kwargs):
        status_reads.append(1)
        return release_status(*args, **kwargs)

    def counted_book(*args, **kwargs):
        book_pages.append(1)
        return book_page(*args, **kwargs)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            writing = await open_screen(pilot, day_leader, HandoverScreen())
            monkeypatch.setattr(timeclock, "release_status", counted_status)
            monkeypatch.setattr(handover_service, "search_handovers", counted_book)
            fill(writing, night_agent)
            await pilot.press("ctrl+s")
            await settle(app)
            # Long enough for the change feed, polled four times a second, to see the save.
            for _ in range(10):
                await pilot.pause(0.1)
            await settle(app)
            assert len(logs(desk)) == 1
            assert "No. 1111 张伟 has not acknowledged the handover yet" in status(writing)
            assert (len(status_reads), len(book_pages)) == (1, 1)

    run(scenario())
