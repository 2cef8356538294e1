"""Forms opened from the palette are built once and kept; every later opening shows them as new."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Checkbox, Header, Input, Select, SelectionList, Static, TabbedContent, TextArea

from csdesk.models import LedgerEntry, MemoSuggestion, Ticket
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import Category, Channel, Role
from csdesk.screens import commands
from csdesk.screens.registry import _registry
from csdesk.services.tickets import claim
from csdesk.widgets.confirm import ConfirmModal
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field

from .test_queues import app_on, email, run, settle

# The palette's form commands, and who may use each.
FORMS = [
    ("Take in a phone call", Role.AGENT),
    ("Take in an email or forum post", Role.AGENT),
    ("Ask for leave", Role.AGENT),
    ("Ask for a swap", Role.AGENT),
    ("Write a memo", Role.AGENT),
    ("Record a fine", Role.SQUAD_LEADER),
    ("Grant a reward", Role.SQUAD_LEADER),
    ("Spend from the fund", Role.DEPARTMENT_DIRECTOR),
    ("Shift handover", Role.AGENT),
    ("Handover book", Role.AGENT),
    ("Score a contact", Role.INSPECTOR),
]


@pytest.fixture
def squad(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def people(make_staff, actor_of, squad):
    def person(role=Role.AGENT, **kwargs):
        return actor_of(make_staff(role=role, squad=squad, **kwargs))

    return person


async def open_command(pilot, title):
    commands.load_area_modules()
    [command] = [c for c in _registry if c.title == title]
    command.run(pilot.app)
    await pilot.pause()
    await settle(pilot.app)
    await pilot.pause()
    return pilot.app.screen


async def sign_in(pilot, actor):
    pilot.app.signed_in(actor)
    await settle(pilot.app)
    await pilot.pause()


async def leave(pilot):
    """Esc until the form is left (the first may close a filter), throwing away what was typed when asked."""
    form = pilot.app.screen
    for _tries in range(3):
        await pilot.press("escape")
        await pilot.pause()
        if isinstance(pilot.app.screen, ConfirmModal):
            await pilot.click("#confirm-ok")
            await pilot.pause()
        if form not in pilot.app.screen_stack:
            break
    await settle(pilot.app)


def chrome(widget):
    return any(isinstance(node, Header | DeskFooter) for node in widget.ancestors_with_self)


def what_it_shows(screen):
    """Every value, message and hidden part of the form, in order, and where the cursor is."""
    shown = []
    for widget in screen.query("*"):
        if chrome(widget):
            continue
        entry: tuple = (type(widget).__name__, widget.id, widget.display)
        if isinstance(widget, Input):
            entry += (widget.value,)
        elif isinstance(widget, TextArea):
            entry += (widget.text,)
        elif isinstance(widget, Select):
            entry += (widget.value, widget.prompt)
        elif isinstance(widget, Checkbox):
            entry += (widget.value,)
        elif isinstance(widget, SelectionList):
            entry += (widget.option_count, tuple(widget.selected))
        elif isinstance(widget, TabbedContent):
            entry += (widget.active,)
        elif isinstance(widget, Field):
            entry += (widget.has_class("-invalid"), str(widget.query_one(".field-error", Static).content))
        elif isinstance(widget, Static):
            entry += (str(widget.content), sorted(widget.classes))
        shown.append(entry)
    focused = screen.focused
    return shown, focused.id if focused is not None else None, screen.title


def scribble(screen):
    """What a person leaves behind: text in every box, other choices, ticks, a refusal on every field."""
    for widget in screen.query("Input, TextArea, Select, Checkbox"):
        if chrome(widget):
            continue
        if isinstance(widget, Input):
            widget.value = "12"
        elif isinstance(widget, TextArea):
            widget.text = "left from before"
        elif isinstance(widget, Checkbox):
            widget.value = not widget.value
        elif isinstance(widget, Select):
            chosen = [value for _label, value in widget._options if value != widget.value and value != Select.NULL]
            if chosen:
                widget.value = chosen[-1]
    for carried in screen.query(SelectionList):
        carried.select_all()
    for field in screen.query(Field):
        field.show_error("Refused last time")
    inputs = [w for w in screen.query(Input) if not chrome(w)]
    if inputs:
        inputs[-1].focus()


@pytest.mark.parametrize(("title", "role"), FORMS, ids=[t for t, _role in FORMS])
def test_a_form_opened_again_shows_what_a_new_one_shows(desk, people, title, role):
    actor = people(role, employee_number="1110", real_name="王芳")
    people(real_name="张伟")
    # An open case of theirs, for the handover's list of cases to carry over.
    claim(desk, actor, email(desk, actor, "Refund").id)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, actor)
            form = await open_command(pilot, title)
            fresh = what_it_shows(form)
            scribble(form)
            await settle(app)
            await pilot.pause()
            assert what_it_shows(form) != fresh
            await leave(pilot)
            assert form not in app.screen_stack
            again = await open_command(pilot, title)
            assert again is form  # kept, not built again
            assert what_it_shows(again) == fresh

    run(scenario())


def test_a_handover_opened_again_over_the_same_cases_ticks_them_afresh_without_building_the_list_again(desk, people):
    agent = people(employee_number="1110", real_name="王芳")
    people(real_name="张伟")
    for subject in ("Refund", "Invoice", "Parcel"):
        claim(desk, agent, email(desk, agent, subject).id)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, agent)
            form = await open_command(pilot, "Shift handover")
            carry = form.query_one("#handover-carry", SelectionList)
            options = [carry.get_option_at_index(n) for n in range(carry.option_count)]
            fresh = tuple(carry.selected)
            assert len(options) == 3
            carry.select_all()
            await leave(pilot)
            assert await open_command(pilot, "Shift handover") is form
            assert tuple(carry.selected) == fresh
            # The same cases: the list a person scrolls through is the one drawn before, not a new one.
            assert all(
                carry.get_option_at_index(n) is option for n, option in enumerate(options)
            ) and carry.option_count == len(options)

    run(scenario())


def test_a_drop_down_on_a_form_opened_again_opens_and_shows_its_list(desk, people):
    leader = people(Role.SQUAD_LEADER)
    people(real_name="张伟")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            form = await open_command(pilot, "Record a fine")
            await leave(pilot)
            assert await open_command(pilot, "Record a fine") is form
            person = form.query_one("#form-person", Select)
            person.focus()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            listed = person.query_one("SelectOverlay")
            assert person.expanded
            # Seen, not only opened: the list takes rows under the box and offers the people.
            assert listed.display and listed.region.height > 1
            assert "张伟" in " ".join(str(option.prompt) for option in listed.options)
            await pilot.press("escape")
            await pilot.pause()
            assert not person.expanded and not listed.display

    run(scenario())


def test_the_people_offered_are_read_again_on_each_opening(desk, people, make_staff, squad):
    leader = people(Role.SQUAD_LEADER)
    people(real_name="张伟")
    app = app_on(desk)

    def offered(form):
        return " ".join(str(label) for label, _value in form.query_one("#form-person", Select)._options)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            form = await open_command(pilot, "Record a fine")
            assert "李娜" not in offered(form)
            await leave(pilot)
            make_staff(squad=squad, real_name="李娜")
            assert await open_command(pilot, "Record a fine") is form
            assert "李娜" in offered(form)

    run(scenario())


def test_a_call_taken_in_on_a_reopened_form_saves_only_what_was_typed_for_it(desk, people):
    agent = people(employee_number="1110", real_name="王芳")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, agent)
            form = await open_command(pilot, "Take in a phone call")
            form.query_one("#intake-category", Select).value = Category.COMPLAINT.value
            form.query_one("#intake-name", Input).value = "王小明"
            form.query_one("#intake-contact", Input).value = "13812345678"
            form.query_one("#intake-subject", Input).value = "Refund"
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert form.query_one("#intake-saved", Static).display
            form.query_one("#intake-body", TextArea).text = "half a note"
            form.query_one("#intake-special", Checkbox).value = True
            await leave(pilot)

            assert await open_command(pilot, "Take in a phone call") is form
            # The last call's ticket is not this one's: no line about it, no ctrl+o to open it.
            assert not form.query_one("#intake-saved", Static).display
            assert not form.check_action("open_saved", ())
            assert form.focused is form.query_one("#intake-channel", Select)
            form.query_one("#intake-name", Input).value = "李雷"
            # Leaving with text asks again, as on the first opening.
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmModal)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is form
            form.query_one("#intake-contact", Input).value = "lilei@example.com"
            form.query_one("#intake-subject", Input).value = "Password reset"
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()

    run(scenario())
    with desk.read() as session:
        saved = session.exec(select(Ticket).order_by(Ticket.id)).all()
    assert [(t.customer_name, t.subject, t.category, t.special_request, t.channel) for t in saved] == [
        ("王小明", "Refund", Category.COMPLAINT, False, Channel.PHONE),
        ("李雷", "Password reset", Category.INQUIRY, False, Channel.PHONE),
    ]
    assert saved[1].customer_contact == "lilei@example.com" and saved[1].body == ""


def test_a_fine_recorded_on_a_reopened_form_lands_for_the_person_chosen_then(desk, people):
    leader = people(Role.SQUAD_LEADER)
    first, second = people(real_name="张伟"), people(real_name="李娜")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, leader)
            form = await open_command(pilot, "Record a fine")
            form.query_one("#form-person", Select).value = first.staff_id
            form.query_one("#fine-offence", Select).value = Offence.COMPLAINT.value
            form.query_one("#fine-note", Input).value = "not this one"
            await settle(app)
            await leave(pilot)
            assert await open_command(pilot, "Record a fine") is form
            form.query_one("#form-person", Select).value = second.staff_id
            form.query_one("#fine-offence", Select).value = Offence.DESK_NOT_CLEAN.value
            form.query_one("#fine-note", Input).value = "coffee cups"
            await settle(app)
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            assert form not in app.screen_stack

    run(scenario())
    with desk.read() as session:
        [entry] = session.exec(select(LedgerEntry)).all()
    assert entry.staff_id == second.staff_id and entry.reason.startswith("coffee cups")


def test_signing_out_drops_the_kept_forms_and_the_next_person_starts_on_a_new_one(desk, people):
    before, after = people(real_name="王芳"), people(real_name="张伟")
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in(pilot, before)
            form = await open_command(pilot, "Write a memo")
            form.query_one("#memo-text", Input).value = "王芳's idea"
            await leave(pilot)
            # Signed out with the form still open: it goes too.
            again = await open_command(pilot, "Write a memo")
            assert again is form
            form.query_one("#memo-text", Input).value = "王芳's second idea"
            app.sign_out()
            await settle(app)
            await sign_in(pilot, after)
            mine = await open_command(pilot, "Write a memo")
            assert mine is not form
            assert mine.query_one("#memo-text", Input).value == ""
            mine.query_one("#memo-text", Input).value = "张伟's idea"
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()

    run(scenario())
    with desk.read() as session:
        [memo] = session.exec(select(MemoSuggestion)).all()
    assert (memo.author_id, memo.text) == (after.staff_id, "张伟's idea")
