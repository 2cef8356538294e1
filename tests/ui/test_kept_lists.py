"""Lists opened from the palette are built once and kept: opened again they are the same screen,
where the person left it, with what changed meanwhile read afresh; the next person to sign in
gets screens of their own."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, Static

from csdesk import i18n
from csdesk.models import Squad, Staff
from csdesk.rules.vocab import Grade, Role, StaffStatus
from csdesk.screens.contacts import ContactsScreen
from csdesk.screens.interns import InternsScreen
from csdesk.screens.language import switch_language
from csdesk.screens.registry import _registry
from csdesk.screens.search import SearchScreen
from csdesk.screens.typing_tests import TypingTestsScreen
from csdesk.services.interns import log_training
from csdesk.services.roster import STAFF_COLUMNS, import_staff
from csdesk.services.tickets import claim
from csdesk.services.typing_tests import record_typing_test

from .test_home import rows
from .test_kept_forms import leave, open_command, sign_in
from .test_queues import app_on, email, run, settle


@pytest.fixture
def lotus(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def people(make_staff, actor_of, lotus):
    def person(role=Role.AGENT, squad=lotus, **kwargs):
        return actor_of(make_staff(role=role, squad=squad, **kwargs))

    return person


def text_of(screen, selector):
    return str(screen.query_one(selector, Static).render())


def everything_on(screen):
    """Every cell and line of text on the screen, as one string."""
    shown = [str(widget.render()) for widget in screen.query(Static)]
    for table in screen.query(DataTable):
        shown += rows(table)
    return "\n".join(shown)


async def sign_out(pilot):
    pilot.app.sign_out()
    await settle(pilot.app)
    await pilot.pause()


def highlighted(screen, selector):
    table = screen.query_one(selector, DataTable)
    return rows(table)[table.cursor_row]


# -- emergency contacts -----------------------------------------------------------------------------


def register_row(desk, staff, **changes):
    """A line of the staff register as it stands for ``staff``, with ``changes``."""
    with desk.read() as session:
        person = session.get(Staff, staff.staff_id)
        squad = session.get(Squad, person.squad_id)
        values = {
            "employee_number": person.employee_number,
            "real_name": person.real_name,
            "role": str(person.role),
            "grade": str(person.grade),
            "squad": squad.name,
            "status": str(person.status),
            "hire_date": person.hire_date.isoformat(),
            "phone": person.phone or "",
            "address": person.address or "",
            "emergency_contact": person.emergency_contact or "",
        }
    return values | changes


def import_register(desk, director, lines, tmp_path):
    """The register's import, as a director updates people's details and registers newcomers."""
    path = tmp_path / "staff.csv"
    header = ",".join(STAFF_COLUMNS)
    path.write_text("\n".join([header, *(",".join(line[c] for c in STAFF_COLUMNS) for line in lines)]) + "\n")
    import_staff(desk, director, path)


def test_the_contact_sheet_opened_again_is_the_same_screen_with_the_changed_phone(desk, people, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    leader = people(Role.SQUAD_LEADER, real_name="李娜", phone="13800000002", address="张江路 88 号")
    director = people(Role.DEPARTMENT_DIRECTOR, squad=None, real_name="María González")
    agent = people(employee_number="1120", real_name="王芳", phone="13900000003", address="浦东 1 号")
    people(employee_number="1121", real_name="张伟", phone="13900000004", address="浦东 2 号")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            sheet = await open_command(pilot, "Emergency contacts")
            assert isinstance(sheet, ContactsScreen)
            table = sheet.query_one("#contacts-table", DataTable)
            table.move_cursor(row=next(i for i, row in enumerate(rows(table)) if "王芳" in row))
            await pilot.press("e")
            await settle(app)
            assert "confidential" in text_of(sheet, "#contacts-said")
            await leave(pilot)
            assert sheet not in app.screen_stack

            # A new phone for the agent, and a newcomer listed above her.
            newcomer = register_row(desk, agent, employee_number="1115", real_name="陈静", phone="13700000005")
            import_register(desk, director, [register_row(desk, agent, phone="13911112222"), newcomer], tmp_path)
            again = await open_command(pilot, "Emergency contacts")
            assert again is sheet, "not built again"
            assert "王芳" in highlighted(sheet, "#contacts-table"), "back on the person left"
            assert "13911112222" in everything_on(sheet) and "13900000003" not in everything_on(sheet)
            assert "陈静" in everything_on(sheet)
            assert text_of(sheet, "#contacts-said") == "", "the last opening's export is not news"

    run(scenario())


def test_after_sign_out_no_one_is_shown_the_leaders_contact_sheet(desk, people):
    leader = people(Role.SQUAD_LEADER, real_name="李娜", phone="13800000002", address="张江路 88 号")
    other_leader = people(Role.SQUAD_LEADER, real_name="Emily Johnson")
    agent = people(real_name="王芳", phone="13900000003", address="浦东 1 号")
    [command] = [c for c in _registry if c.title == "Emergency contacts"]
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            sheet = await open_command(pilot, "Emergency contacts")
            assert "13800000002" in everything_on(sheet)
            await leave(pilot)

            # An agent at the same workstation: not offered the sheet, and even opened by its
            # command it is a new screen telling them why, with nobody's details on it.
            await sign_out(pilot)
            await sign_in(pilot, agent)
            assert not command.offered_to(agent)
            theirs = await open_command(pilot, "Emergency contacts")
            assert theirs is not sheet
            shown = everything_on(theirs)
            assert "ST-6" in shown and "13800000002" not in shown and "13900000003" not in shown

            # Another leader gets a sheet of their own.
            await sign_out(pilot)
            await sign_in(pilot, other_leader)
            fresh = await open_command(pilot, "Emergency contacts")
            assert isinstance(fresh, ContactsScreen) and fresh not in (sheet, theirs)

    run(scenario())


def test_a_kept_sheet_shown_to_someone_who_may_not_see_it_shows_nothing_of_it(desk, people):
    # Sign-out drops kept screens; the sheet still asks who is looking each time it is shown.
    leader = people(Role.SQUAD_LEADER, real_name="李娜", phone="13800000002", address="张江路 88 号")
    agent = people(real_name="王芳", phone="13900000003", address="浦东 1 号")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            sheet = await open_command(pilot, "Emergency contacts")
            await leave(pilot)
            app.actor = agent
            assert await open_command(pilot, "Emergency contacts") is sheet
            shown = everything_on(sheet)
            assert "ST-6" in shown and "13800000002" not in shown and "13900000003" not in shown
            assert not sheet.query_one("#contacts-table").display
            assert not sheet.check_action("export", ())
            await leave(pilot)

            # The leader back at the desk has the sheet again, every row of it.
            app.actor = leader
            assert await open_command(pilot, "Emergency contacts") is sheet
            assert "13800000002" in everything_on(sheet) and "13900000003" in everything_on(sheet)

    run(scenario())


# -- interns ----------------------------------------------------------------------------------------


def test_the_interns_opened_again_are_the_same_screen_with_the_hours_logged_meanwhile(
    desk, people, make_squad, make_staff, actor_of
):
    leader = people(Role.SQUAD_LEADER, real_name="李娜")
    intern = people(status=StaffStatus.INTERN, employee_number="1120", real_name="欧阳晓明", hire_date=date(2026, 2, 1))
    people(status=StaffStatus.INTERN, employee_number="1121", real_name="陈静", hire_date=date(2026, 2, 1))
    orchid = make_squad("Orchid")
    other_leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=orchid, real_name="Emily Johnson"))
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            screen = await open_command(pilot, "Interns")
            assert isinstance(screen, InternsScreen)
            table = screen.query_one("#interns-table", DataTable)
            table.move_cursor(row=next(i for i, row in enumerate(rows(table)) if "欧阳晓明" in row))
            await settle(app)
            assert "0.0/" in highlighted(screen, "#interns-table")
            await leave(pilot)

            log_training(desk, leader, intern.staff_id, date(2026, 3, 2), 8 * 60, "shadowing")
            # A new intern, listed above the one left.
            people(status=StaffStatus.INTERN, employee_number="1115", real_name="刘洋", hire_date=date(2026, 3, 2))
            assert await open_command(pilot, "Interns") is screen, "not built again"
            assert "欧阳晓明" in highlighted(screen, "#interns-table"), "back on the intern left"
            assert "8.0/" in highlighted(screen, "#interns-table")
            assert "刘洋" in everything_on(screen)

            # The next leader sees their own squad's interns on a screen of their own.
            await sign_out(pilot)
            await sign_in(pilot, other_leader)
            theirs = await open_command(pilot, "Interns")
            assert isinstance(theirs, InternsScreen) and theirs is not screen
            assert "欧阳晓明" not in everything_on(theirs)

    run(scenario())


# -- find a ticket ----------------------------------------------------------------------------------


def test_find_a_ticket_opened_again_keeps_the_search_and_reads_the_tickets_and_times_afresh(desk, clock, people):
    agent = people(employee_number="1110", real_name="王芳")
    other = people(employee_number="1111", real_name="张伟")
    first = email(desk, other, "Refund for order 1")
    email(desk, other, "Password reset")
    app = app_on(desk)

    def cells(screen):
        return {row.split()[0]: row for row in rows(screen.query_one("#search-results", DataTable))}

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, agent)
            screen = await open_command(pilot, "Find a ticket")
            assert isinstance(screen, SearchScreen)
            await pilot.press(*"Refund", "enter")
            await settle(app)
            await pilot.pause()
            assert list(cells(screen)) == [str(first.id)]
            time_left = cells(screen)[str(first.id)]
            await leave(pilot)
            assert screen not in app.screen_stack

            # Meanwhile a colleague takes in another refund and claims the first; time passes.
            second = email(desk, other, "Refund for order 2")
            claim(desk, other, first.id)
            clock.advance(minutes=30)
            again = await open_command(pilot, "Find a ticket")
            assert again is screen, "not built again"
            assert screen.query_one("#search-text", Input).value == "Refund"
            shown = cells(screen)
            assert set(shown) == {str(first.id), str(second.id)}
            assert shown[str(first.id)] != time_left, "claimed, and its time left read again"
            assert "2 ticket(s) match 'Refund'" in text_of(screen, "#search-count")

            # Each command keeps its own screen.
            queues = await open_command(pilot, "My tickets")
            assert queues is not screen
            await leave(pilot)

            await sign_out(pilot)
            await sign_in(pilot, other)
            theirs = await open_command(pilot, "Find a ticket")
            assert isinstance(theirs, SearchScreen) and theirs is not screen
            assert theirs.query_one("#search-text", Input).value == ""

    run(scenario())


def test_find_a_ticket_opened_again_with_nothing_changed_reads_the_times_left_afresh(desk, clock, people):
    agent = people(employee_number="1110", real_name="王芳")
    ticket = email(desk, agent, "Refund for order 1")
    app = app_on(desk)

    def time_left(screen):
        return str(screen.query_one("#search-results", DataTable).get_row_at(0)[3])

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, agent)
            screen = await open_command(pilot, "Find a ticket")
            assert str(screen.query_one("#search-results", DataTable).get_row_at(0)[0]) == str(ticket.id)
            before = time_left(screen)
            await leave(pilot)
            clock.advance(hours=2)
            assert await open_command(pilot, "Find a ticket") is screen
            assert time_left(screen) != before

    run(scenario())


# -- typing tests -----------------------------------------------------------------------------------


def test_the_typing_tests_opened_again_are_the_same_screen_with_the_result_recorded_meanwhile(desk, clock, people):
    leader = people(Role.SQUAD_LEADER, employee_number="1101", real_name="李娜")
    people(employee_number="2000", real_name="张伟")
    junior = people(employee_number="2001", real_name="王芳", grade=Grade.JUNIOR)
    other_leader = people(Role.DEPARTMENT_DIRECTOR, squad=None, employee_number="1001", real_name="Emily Johnson")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            screen = await open_command(pilot, "Typing tests")
            assert isinstance(screen, TypingTestsScreen)
            table = screen.query_one("#typing-table", DataTable)
            table.move_cursor(row=next(i for i, row in enumerate(rows(table)) if "王芳" in row))
            await settle(app)
            assert "not tested yet" in highlighted(screen, "#typing-table")
            await leave(pilot)

            record_typing_test(desk, leader, junior.staff_id, "2026-03", "29")
            # A newcomer, listed above the one left.
            people(employee_number="1999", real_name="刘洋")
            assert await open_command(pilot, "Typing tests") is screen, "not built again"
            assert "王芳" in highlighted(screen, "#typing-table"), "back on the person left"
            assert "below the bar" in highlighted(screen, "#typing-table")
            assert "刘洋" in everything_on(screen)
            await leave(pilot)

            # Opened again in a new month, it is that month's sheet.
            clock.advance(days=31)
            assert await open_command(pilot, "Typing tests") is screen
            assert "2026-04" in text_of(screen, "#typing-title")
            assert "not tested yet" in highlighted(screen, "#typing-table")
            await leave(pilot)

            await sign_out(pilot)
            await sign_in(pilot, other_leader)
            theirs = await open_command(pilot, "Typing tests")
            assert isinstance(theirs, TypingTestsScreen) and theirs is not screen

    run(scenario())


# -- nothing changed ---------------------------------------------------------------------------------


@pytest.fixture
def english_afterwards():
    yield
    i18n.install_language(None)


LISTS = [
    ("Emergency contacts", "#contacts-table"),
    ("Interns", "#interns-table"),
    ("Typing tests", "#typing-table"),
]


@pytest.mark.parametrize(("title", "table"), LISTS, ids=[t for t, _table in LISTS])
def test_a_list_opened_again_with_nothing_changed_is_left_as_drawn_until_the_language_changes(
    desk, people, title, table, english_afterwards
):
    leader = people(Role.SQUAD_LEADER, real_name="李娜", phone="13800000002")
    people(real_name="王芳")
    people(status=StaffStatus.INTERN, real_name="欧阳晓明", hire_date=date(2026, 2, 1))
    app = app_on(desk)

    def cells(screen):
        shown = screen.query_one(table, DataTable)
        return [shown.get_row_at(i) for i in range(shown.row_count)]

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            screen = await open_command(pilot, title)
            drawn = cells(screen)
            assert drawn
            await leave(pilot)
            assert await open_command(pilot, title) is screen
            # The very cells drawn before: the rows were not built again.
            assert all(a is b for row, was in zip(cells(screen), drawn, strict=True) for a, b in zip(row, was))

            # A switch of language while it is on screen draws its rows again, in the new language.
            english = rows(screen.query_one(table, DataTable))
            switch_language(app, "zh_CN")
            await settle(app)
            await pilot.pause()
            assert rows(screen.query_one(table, DataTable)) != english

    run(scenario())
