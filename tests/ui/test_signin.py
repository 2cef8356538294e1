from __future__ import annotations

import contextlib
import logging
import sqlite3

import pytest
from textual import events
from textual.widgets import Input, Static

from csdesk.app import CsdeskApp, make_app
from csdesk.db import DatabaseBusy
from csdesk.rules.vocab import Role
from csdesk.screens.home import HomeScreen
from csdesk.screens.signin import SignInScreen
from csdesk.services import auth
from csdesk.settings import Settings, resolve_settings
from csdesk.store import create_database


@pytest.fixture
def desk_app(desk):
    def build():
        return make_app(Settings(db_url=desk.db.url), desk.db, desk_factory=lambda: desk)

    return build


async def sign_in(pilot, number: str, pin: str, settle) -> None:
    number_input = pilot.app.screen.query_one("#employee-number", Input)
    number_input.value = ""
    number_input.focus()
    await pilot.press(*number, "enter", *pin, "enter")
    await settle(pilot.app)
    await pilot.pause()


def screen_text(screen) -> str:
    return " ".join(str(w.render()) for w in screen.query(Static))


def test_right_pin_opens_home_with_name_role_and_squad(desk_app, make_squad, make_staff, settle, drive):
    squad = make_squad("Night owls")
    make_staff(role=Role.SQUAD_LEADER, squad=squad, pin="2468", employee_number="1024", real_name="Li Na")
    app = desk_app()

    async def scenario(pilot):
        await sign_in(pilot, "1024", "2468", settle)
        assert isinstance(app.screen, HomeScreen)
        shown = screen_text(app.screen)
        assert "Li Na" in shown
        assert "Squad leader" in shown
        assert "Squad Night owls" in shown  # the squad by name, once home has loaded
        assert app.actor.employee_number == "1024"

    drive(app, scenario)


def test_wrong_pin_is_said_next_to_the_pin_and_stays_on_sign_in(desk_app, make_staff, settle, drive):
    make_staff(pin="2468", employee_number="1024")
    app = desk_app()

    async def scenario(pilot):
        await sign_in(pilot, "1024", "1111", settle)
        assert isinstance(app.screen, SignInScreen)
        assert "wrong employee number or PIN" in screen_text(app.screen)
        pin = app.screen.query_one("#pin", Input)
        assert pin.value == ""
        assert app.focused is pin

    drive(app, scenario)


def test_third_wrong_pin_locks_and_says_so(desk_app, make_staff, settle, drive):
    make_staff(pin="2468", employee_number="1024")
    app = desk_app()

    async def scenario(pilot):
        for _ in range(3):
            await sign_in(pilot, "1024", "1111", settle)
        assert "locked" in screen_text(app.screen)
        # Even the right PIN is refused while locked.
        await sign_in(pilot, "1024", "2468", settle)
        assert isinstance(app.screen, SignInScreen)
        assert "try again in" in screen_text(app.screen)

    drive(app, scenario)


def test_unexpected_failure_is_a_plain_message_and_logs_no_customer_data(stub_app, settle, drive, caplog):
    customer = {"name": "Zhang Wei", "phone": "13800138000"}

    def broken(desk, number, pin):
        raise RuntimeError(f"duplicate row {customer}")

    app = stub_app({auth.sign_in: broken})

    async def scenario(pilot):
        await sign_in(pilot, "1024", "1111", settle)
        assert isinstance(app.screen, SignInScreen)
        assert "Something went wrong" in screen_text(app.screen)

    with caplog.at_level(logging.ERROR, logger="csdesk.ui"):
        drive(app, scenario)
    assert "RuntimeError" in caplog.text
    assert "Zhang Wei" not in caplog.text and "13800138000" not in caplog.text


@pytest.mark.parametrize("enter", ["enter", "ctrl+j"], ids=["return", "line-feed"])
def test_number_and_pin_typed_in_one_burst_at_start_up_sign_in(desk_app, desk, make_staff, settle, drive, enter):
    """Keys typed while the desk starts arrive together, and a terminal not yet in raw
    mode turns their Enter into a line feed: none of them may be lost."""
    from sqlmodel import select

    from csdesk.models import AuditLog

    staff = make_staff(pin="1234", employee_number="1301", real_name="Emily Johnson")
    app = desk_app()

    async def scenario(pilot):
        # All at once, before the desk has handled any of them.
        for key in ["1", "3", "0", "1", enter, "1", "2", "3", "4", enter]:
            app.post_message(events.Key(key, "\r" if key == "enter" else "\n" if key == "ctrl+j" else key))
        for _ in range(3):
            await settle(app)
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.employee_number == "1301"

    drive(app, scenario)
    with desk.read() as session:
        actions = session.exec(select(AuditLog.action).where(AuditLog.actor_id == staff.id)).all()
    assert "auth.sign_in" in actions and "auth.wrong_pin" not in actions


def test_after_a_sign_out_the_next_person_starts_clean(desk_app, make_staff, settle, drive):
    make_staff(pin="1234", employee_number="1301")
    app = desk_app()

    async def scenario(pilot):
        await sign_in(pilot, "1301", "1234", settle)
        assert isinstance(app.screen, HomeScreen)
        app.sign_out()
        await pilot.pause()
        await pilot.press(*"1302")
        await pilot.pause()
        number = app.screen.query_one("#employee-number", Input)
        assert app.screen.focused is number and number.value == "1302"
        assert app.screen.query_one("#pin", Input).value == ""

    drive(app, scenario)


def test_after_a_reset_the_desk_asks_for_a_new_pin_before_going_in(
    desk_app, make_squad, make_staff, actor_of, desk, settle, drive
):
    squad = make_squad("Lotus")
    agent = make_staff(pin="2468", employee_number="1024", squad=squad)
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    auth.reset_pin(desk, actor_of(leader), agent.id, "1357")
    app = desk_app()

    async def scenario(pilot):
        assert not app.screen.query_one("#new-pin-field").display
        await sign_in(pilot, "1024", "1357", settle)
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#new-pin-field").display
        assert "choose a new PIN" in screen_text(app.screen)
        assert app.focused is app.screen.query_one("#new-pin", Input)
        await pilot.press(*"8642", "enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    drive(app, scenario)
    assert auth.sign_in(desk, "1024", "8642").staff_id == agent.id


# -- the database behind the sign-in screen --------------------------------------------


def as_the_command_opens_it(target) -> CsdeskApp:
    """The desk as bare ``csdesk`` starts it: the database is opened behind the sign-in screen."""
    return make_app(resolve_settings(db=str(target)))


async def said_on_sign_in(pilot, settle) -> str:
    """The sign-in screen's message, once the opening behind it has had its say."""
    message = pilot.app.screen.query_one("#signin-message", Static)
    for _ in range(200):
        await settle(pilot.app)
        if str(message.render()):
            break
        await pilot.pause(0.02)
    return str(message.render())


def made_by_another_program(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
    return path


def at_revision(path, revision: str):
    create_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda folder: folder / "missing.db", "run `csdesk init` first"),
        (lambda folder: at_revision(folder / "old.db", "0001"), "csdesk db upgrade"),
        (lambda folder: at_revision(folder / "new.db", "9999"), "newer"),
        (lambda folder: made_by_another_program(folder / "orders.db"), "not a csdesk database"),
    ],
    ids=["missing", "older-schema", "newer-schema", "another-program"],
)
def test_a_database_that_cannot_be_opened_is_said_on_the_sign_in_screen_before_anyone_types(
    tmp_path, make, words, settle, drive
):
    target = make(tmp_path)
    before = contents(target)
    app = as_the_command_opens_it(target)

    async def scenario(pilot):
        said = await said_on_sign_in(pilot, settle)
        assert isinstance(app.screen, SignInScreen)
        assert words in said, said
        assert "Traceback" not in said
        # Signing in anyway says the same thing, and nobody gets in.
        await sign_in(pilot, "1024", "2468", settle)
        assert isinstance(app.screen, SignInScreen)
        assert words in screen_text(app.screen)

    drive(app, scenario)
    # Never upgraded, repaired or created: the file holds what it held, or is still not there.
    assert contents(target) == before


def contents(path) -> list[str] | None:
    if not path.exists():
        return None
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def test_a_broken_policy_file_is_said_on_the_sign_in_screen_and_nobody_gets_in(tmp_path, settle, drive):
    path = tmp_path / "centre.db"
    create_database(path).close()
    bad = tmp_path / "policy.toml"
    bad.write_text("this is = = not toml")
    app = make_app(resolve_settings(db=str(path), policy=str(bad)))

    async def scenario(pilot):
        said = await said_on_sign_in(pilot, settle)
        assert "policy.toml" in said and "Traceback" not in said, said
        await sign_in(pilot, "1024", "2468", settle)
        assert isinstance(app.screen, SignInScreen)

    drive(app, scenario)


def test_a_database_busy_at_start_up_lets_the_person_in_once_it_is_free(desk, make_staff, settle, drive):
    make_staff(pin="2468", employee_number="1024")
    attempts = []

    def busy_then_free():
        attempts.append(1)
        if len(attempts) == 1:
            raise DatabaseBusy("the database is busy (another desk is writing); try again in a moment")
        return desk

    app = make_app(Settings(db_url=desk.db.url), desk.db, desk_factory=busy_then_free)

    async def scenario(pilot):
        assert "busy" in await said_on_sign_in(pilot, settle)
        await sign_in(pilot, "1024", "2468", settle)
        assert isinstance(app.screen, HomeScreen)

    drive(app, scenario)


def test_a_database_the_desk_can_open_leaves_the_sign_in_screen_quiet(tmp_path, settle, drive):
    path = tmp_path / "centre.db"
    create_database(path).close()
    app = as_the_command_opens_it(path)

    async def scenario(pilot):
        for _ in range(200):
            await settle(pilot.app)
            if app._desk is not None:
                break
            await pilot.pause(0.02)
        assert app._desk is not None
        assert str(app.screen.query_one("#signin-message", Static).render()) == ""

    drive(app, scenario)
