"""A field with an error keeps its height and shows what was typed; the field being typed
into is plain to see."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Select, TextArea

from csdesk.rules.vocab import ShiftKind
from csdesk.screens.fines import RewardForm
from csdesk.screens.leave import LeaveForm
from csdesk.screens.ticket import TicketScreen
from csdesk.services.base import Actor
from csdesk.widgets.form import Field

from . import test_leave, test_ticket
from .test_fines import centre, desk_app, open_fund  # noqa: F401 - the fixture
from .test_queues import app_on, open_screen, run, settle


def field_named(form, name: str) -> Field:
    return next(field for field in form.query(Field) if field.field == name)


def layout(form) -> dict[str, tuple[int, int]]:
    """Where each field sits and how tall it is: what a refusal must not move."""
    return {field.field: (field.region.y, field.region.height) for field in form.query(Field)}


def test_a_refused_compact_field_keeps_its_line_and_its_text(db, desk, centre, drive, settle):  # noqa: F811
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_fund(pilot, centre.leader, settle)
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RewardForm)
        form.query_one("#form-person", Select).value = centre.agent.staff_id
        amount = form.query_one("#reward-amount", Input)
        amount.focus()
        await pilot.pause()
        label = amount.parent.query_one(".field-label")
        # The field being typed into stands out from the others.
        assert label.styles.color != form.query_one("#reward-reason").parent.query_one(".field-label").styles.color
        height = amount.region.height
        before = layout(form)
        await pilot.press(*"12abc", "ctrl+s")
        await settle(app)
        await pilot.pause()
        field = field_named(form, "amount")
        assert field.has_class("-invalid")
        assert "not an amount" in str(field.query_one(".field-error").render())
        # Nothing on the form moved: the error had its line already.
        assert layout(form) == before
        assert amount.region.height == height == 1
        assert amount.content_region.height == 1 and "12abc" in str(amount.render_line(0).text)

    drive(app, scenario)


def test_a_refused_date_on_the_leave_form_moves_nothing_and_keeps_the_date(
    db, desk, drive, settle, make_squad, make_staff
):
    agent = Actor.of(make_staff(squad=make_squad("二组"), employee_number="1030", real_name="赵敏"))
    test_leave.put_on_roster(desk, agent.staff_id, (date(2026, 3, 12), ShiftKind.DAY))
    app = test_leave.desk_app(db, desk)

    async def scenario(pilot):
        await test_leave.open_leave(pilot, agent, settle)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LeaveForm)
        before = layout(form)
        await test_leave.type_into(pilot, form, "#leave-from", "2026-02-31")
        await test_leave.type_into(pilot, form, "#leave-to", "2026-03-12")
        await test_leave.type_into(pilot, form, "#leave-reason", "moving house")
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        start = field_named(form, "start")
        assert start.has_class("-invalid")
        assert layout(form) == before
        typed = form.query_one("#leave-from", Input)
        assert typed.region.height == 1 and "2026-02-31" in str(typed.render_line(0).text)
        # The whole complaint is on screen, not cut at the field's edge.
        shown = " ".join(str(start.query_one(".field-error").render_line(y).text).strip() for y in range(2))
        assert "not a real date" in shown and "HH:MM" in shown

    drive(app, scenario)


def test_an_empty_compact_field_shows_where_it_is(db, desk, centre, drive, settle):  # noqa: F811
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_fund(pilot, centre.leader, settle)
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
        reason = app.screen.query_one("#reward-reason", Input)
        assert reason.value == ""
        # Its line is tinted apart from the form behind it.
        behind = app.screen.query_one(".form-heading").render_line(0)
        line = reason.render_line(0)
        assert {s.style.bgcolor for s in line if s.style} != {s.style.bgcolor for s in behind if s.style}

    drive(app, scenario)


def test_a_refused_reply_says_so_in_the_box_and_the_ticket_does_not_move(desk, make_staff, make_squad, actor_of):
    agent = actor_of(make_staff(squad=make_squad("Lotus"), employee_number="1110", real_name="王芳"))
    ticket = test_ticket.phone_case(desk, agent)
    app = app_on(desk)

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot, agent, TicketScreen(ticket.id))
            await pilot.press("r", *"Please tell me your password")
            await settle(app)
            await pilot.pause()
            before = layout(screen) | {"timeline": (screen.query_one("#ticket-timeline").region.height, 0)}
            await pilot.press("ctrl+s")
            await settle(app)
            await pilot.pause()
            box = screen.query_one("#ticket-reply", TextArea)
            assert field_named(screen, "text").has_class("-invalid")
            assert "TK-14" in str(box.border_subtitle)
            assert layout(screen) | {"timeline": (screen.query_one("#ticket-timeline").region.height, 0)} == before
            assert "Please tell me your password" in str(box.render_line(0).text)

    run(scenario())


def test_clearing_before_a_save_redraws_only_the_fields_that_showed_an_error():
    from textual.app import App
    from textual.widgets import Static

    from csdesk.widgets.form import clear_field_errors

    class Form(App[None]):
        def compose(self):
            yield Field("amount", "Amount", Input(id="amount"))
            yield Field("reason", "Reason", Input(id="reason"))

    async def scenario():
        app = Form()
        async with app.run_test(size=(80, 24)) as pilot:
            amount, reason = field_named(app.screen, "amount"), field_named(app.screen, "reason")
            amount.show_error("not an amount")
            await pilot.pause()
            asked: dict[str, list[bool]] = {"amount": [], "reason": []}
            for field in (amount, reason):
                line = field.query_one(".field-error", Static)
                plain = line.refresh

                def refresh(*regions, layout=False, _plain=plain, _name=field.field, **kwargs):
                    asked[_name].append(layout)
                    return _plain(*regions, layout=layout, **kwargs)

                line.refresh = refresh
            clear_field_errors(app.screen)
            await pilot.pause()
            assert not amount.has_class("-invalid") and str(amount.query_one(".field-error").render()) == ""
            assert asked["amount"], "the refusal shown is taken away"
            # A field with nothing to clear asks nothing of the screen: every save clears every
            # field first, and each such request laid the whole form out again.
            assert asked["reason"] == []

    run(scenario())
