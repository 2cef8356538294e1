"""The fund screen: fines recorded by keyboard at the amount the rules set, the
ledger and balance everyone sees, and what an agent may not do."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from textual.widgets import Input, Select, Static

from csdesk.app import make_app
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.screens.fines import CustomEntryForm, FineForm, FinesScreen
from csdesk.services import ledger
from csdesk.services.base import Actor
from csdesk.widgets.form import Field
from csdesk.widgets.paged_table import PagedTable


@pytest.fixture
def centre(make_squad, make_staff):
    squad = make_squad("一组")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1001", real_name="张伟")
    agent = make_staff(role=Role.AGENT, squad=squad, employee_number="1024", real_name="李娜")
    other = make_staff(role=Role.AGENT, squad=squad, employee_number="1025", real_name="王芳")
    return SimpleNamespace(squad=squad, leader=Actor.of(leader), agent=Actor.of(agent), other=Actor.of(other))


def desk_app(db, desk):
    return make_app(SimpleNamespace(lang=None), db, desk_factory=lambda: desk)


def shown(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


def table_text(table: PagedTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_fund(pilot, actor, settle):
    app = pilot.app
    app.signed_in(actor)
    await pilot.pause()
    app.push_screen(FinesScreen())
    await settle(app)
    await pilot.pause()
    return app.screen


def test_second_complaint_this_month_is_recorded_by_keyboard_at_double_the_amount(
    db, desk, centre, drive, settle
):  # rule: FN-3, FN-10
    ledger.record_fine(desk, centre.leader, centre.agent.staff_id, Offence.COMPLAINT, "rude on the phone")
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_fund(pilot, centre.leader, settle)
        assert "Balance 50.00 CNY" in shown(screen)
        await pilot.press("f")
        await settle(app)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FineForm)
        # Person: type to search, then the offence the same way.
        await pilot.press("enter", *"No. 1024", "enter")
        await pilot.press("tab", "enter", *"Complaint", "enter")
        await settle(app)
        await pilot.pause()
        preview = str(form.query_one("#form-preview", Static).render())
        assert "2nd complaint this month: 100.00 CNY (doubled)" in preview
        assert ledger.fund_balance(desk) == 5000  # nothing saved by the preview
        await pilot.press("tab", *"hung up on a customer", "enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, FinesScreen)
        await settle(app)
        await pilot.pause()
        rows = table_text(app.screen.query_one("#ledger", PagedTable))
        assert rows[0][3].startswith("No. 1024 李娜")
        assert rows[0][5] == "+100.00"
        assert "Balance 150.00 CNY" in shown(app.screen)

    drive(app, scenario)
    newest = ledger.ledger_page(desk, centre.leader)[0]
    assert (newest.kind, newest.staff_id, newest.amount_cents) == (LedgerKind.FINE, centre.agent.staff_id, 10000)
    assert ledger.fund_balance(desk) == 15000


def test_third_complaint_says_before_saving_that_it_raises_a_dismissal_review(
    db, desk, centre, drive, settle
):  # rule: FN-3, DS-2
    for note in ("first", "second"):
        ledger.record_fine(desk, centre.leader, centre.agent.staff_id, Offence.COMPLAINT, note)
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_fund(pilot, centre.leader, settle)
        await pilot.press("f")
        await settle(app)
        form = app.screen
        form.query_one("#form-person", Select).value = centre.agent.staff_id
        form.query_one("#fine-offence", Select).value = Offence.COMPLAINT.value
        await settle(app)
        await pilot.pause()
        preview = str(form.query_one("#form-preview", Static).render())
        assert "3rd complaint this month: 200.00 CNY" in preview
        assert "dismissal review" in preview

    drive(app, scenario)
    assert len(ledger.ledger_page(desk, centre.leader)) == 2


def test_an_agent_sees_the_ledger_and_balance_but_cannot_record_a_fine(
    db, desk, centre, drive, settle
):  # rule: FN-8, ST-2
    ledger.record_fine(desk, centre.leader, centre.other.staff_id, Offence.DESK_NOT_CLEAN, "coffee cups")
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_fund(pilot, centre.agent, settle)
        assert "Balance 10.00 CNY" in shown(screen)
        assert table_text(screen.query_one("#ledger", PagedTable))[0][3].startswith("No. 1025 王芳")
        assert "Signed in as Agent" in shown(screen)
        footer_keys = {b.binding.key for b in screen.active_bindings.values()}
        assert "f" not in footer_keys and "x" not in footer_keys
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FinesScreen)  # no form opened
        said = [n.message for n in app._notifications]
        assert any("signed in as Agent" in m and "only a squad leader" in m and "record fine" in m for m in said)
        assert "FN-8" in app.last_refusal_rule_ids

    drive(app, scenario)
    assert ledger.fund_balance(desk) == 1000
    assert len(ledger.ledger_page(desk, centre.leader)) == 1


def test_a_director_reverses_an_entry_with_a_reason_and_the_original_stays(
    db, desk, centre, make_staff, drive, settle
):  # rule: FN-8
    director = Actor.of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="9001", real_name="陈静"))
    fine = ledger.record_fine(desk, centre.leader, centre.agent.staff_id, Offence.NON_WORK, "games")
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_fund(pilot, director, settle)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # no reason yet: refused on the field
        await pilot.pause()
        assert ledger.fund_balance(desk) == 1000
        await pilot.press(*"booked the wrong person", "enter")
        await settle(app)
        await pilot.pause()

    drive(app, scenario)
    rows = ledger.ledger_page(desk, director)
    assert [(r.kind, r.amount_cents) for r in rows] == [(LedgerKind.REVERSAL, -1000), (LedgerKind.FINE, 1000)]
    assert rows[0].reverses_id == fine.entry_id and rows[0].reason == "booked the wrong person"
    assert ledger.fund_balance(desk) == 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_fund_screen_snapshot(snap_compare, db, desk, centre, settle, size):
    ledger.record_fine(desk, centre.leader, centre.agent.staff_id, Offence.COMPLAINT, "对客户态度恶劣")
    ledger.record_fine(desk, centre.leader, centre.agent.staff_id, Offence.COMPLAINT, "hung up on a customer")
    ledger.record_fine(desk, centre.leader, centre.other.staff_id, Offence.DESK_NOT_CLEAN, "coffee cups left")
    ledger.grant_reward(desk, centre.leader, centre.other.staff_id, 20, "suggestion adopted: 快捷回复模板")

    async def open_it(pilot):
        await open_fund(pilot, centre.leader, settle)

    assert snap_compare(desk_app(db, desk), terminal_size=size, run_before=open_it)


def test_fine_form_snapshot_shows_the_amount_before_saving(snap_compare, db, desk, centre, settle):
    ledger.record_fine(desk, centre.leader, centre.agent.staff_id, Offence.COMPLAINT, "first")

    async def fill_in(pilot):
        await open_fund(pilot, centre.leader, settle)
        await pilot.press("f")
        await settle(pilot.app)
        form = pilot.app.screen
        form.query_one("#form-person", Select).value = centre.agent.staff_id
        form.query_one("#fine-offence", Select).value = Offence.COMPLAINT.value
        await settle(pilot.app)
        await pilot.pause()

    assert snap_compare(desk_app(db, desk), terminal_size=(80, 24), run_before=fill_in)


def test_a_custom_fine_is_decided_by_the_department_director_with_a_reason_and_more_than_nothing(
    db, desk, centre, make_staff, drive, settle
):  # rule: FN-9
    director = Actor.of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="9001", real_name="陈静"))
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_fund(pilot, centre.leader, settle)
        await pilot.press("c")
        await settle(app)
        await pilot.pause()
        assert app.screen is screen  # a squad leader is told who decides, and no form opens

        app.pop_screen()
        await pilot.pause()
        await open_fund(pilot, director, settle)
        await pilot.press("c")
        await settle(app)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomEntryForm)
        form.query_one("#form-person", Select).value = centre.agent.staff_id
        form.query_one("#custom-amount", Input).value = "0"
        form.query_one("#custom-reason", Input).value = "left the headset in the rain"
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert app.screen is form and "more than 0" in field_error(form, "amount")
        form.query_one("#custom-amount", Input).value = "0.01"
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, FinesScreen)

    before = ledger.fund_balance(desk)
    drive(app, scenario)
    assert ledger.fund_balance(desk) == before + 1
    (entry,) = [row for row in ledger.ledger_page(desk, director, 0, 10) if row.rule_id == "FN-9"]
    assert entry.approver_label == director.label and entry.reason == "left the headset in the rain"


def field_error(form, name: str) -> str:
    for field in form.query(Field):
        if field.field == name:
            return str(field.query_one(".field-error", Static).render())
    raise AssertionError(f"no field {name}")


def test_an_empty_fine_saved_says_both_refusals_and_waits_on_the_first(db, desk, centre, drive, settle):
    balance = ledger.fund_balance(desk)
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_fund(pilot, centre.leader, settle)
        await pilot.press("f")
        await settle(app)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FineForm)
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        refused = {field.field for field in form.query(Field) if field.has_class("-invalid")}
        assert {"staff_id", "offence"} <= refused
        # The cursor is on the person, the first field to put right, as the form reads top down.
        assert app.focused is form.query_one("#form-person", Select)

    drive(app, scenario)
    assert ledger.fund_balance(desk) == balance  # nothing recorded
