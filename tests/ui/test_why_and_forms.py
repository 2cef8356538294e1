"""Refusals explain themselves: inline on forms, and "why?" from the rulebook."""

from __future__ import annotations

from functools import partial

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from csdesk.rules.catalog import rule
from csdesk.rules.vocab import Role
from csdesk.screens.base import DeskScreen
from csdesk.services import auth, leave, ledger
from csdesk.services.base import Actor, InvalidInput, PermissionDenied
from csdesk.widgets.confirm import Confirmed, ConfirmModal, Reason
from csdesk.widgets.form import Field, show_field_error
from csdesk.widgets.why import WhyModal

AGENT = Actor(2, "2048", "Wang Fang", Role.AGENT, 3)


class LeaveForm(DeskScreen):
    def compose(self) -> ComposeResult:
        yield Field("days", "Days", Input(id="days"))
        yield Field("reason", "Reason", Input(id="reason"))

    def submit(self, service) -> None:
        self.run_service(service, on_error=partial(show_field_error, self))


def texts(screen) -> str:
    return " ".join(str(w.render()) for w in screen.query(Static))


def refusing(exc):
    def service(desk):
        raise exc

    return service


async def sign_in(pilot, settle):
    await pilot.press("1", "enter", "1", "enter")
    await settle(pilot.app)


def test_a_refusal_notifies_with_rule_ids_and_w_shows_the_rule(stub_app, settle, drive):
    refusal = PermissionDenied("agents cannot record fines", rule_ids=("FN-1",))
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT, ledger.record_fine: refusing(refusal)})

    async def scenario(pilot):
        await sign_in(pilot, settle)
        app.screen.run_service(ledger.record_fine)
        await settle(app)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("FN-1" in m and "agents cannot record fines" in m for m in messages)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WhyModal)
        shown = texts(app.screen)
        fn1 = rule("FN-1")
        assert fn1.title in shown
        assert fn1.statement in shown
        assert fn1.source in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, WhyModal)

    drive(app, scenario)


def test_why_is_hidden_until_there_is_something_to_explain(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        await sign_in(pilot, settle)
        assert "w" not in app.screen.active_bindings
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, WhyModal)

    drive(app, scenario)


def test_unknown_rule_ids_are_said_plainly(drive):
    class WhyApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(WhyModal(["ZZ-9"]))

    async def scenario(pilot):
        assert "ZZ-9: not in the rule catalogue" in texts(pilot.app.screen)

    drive(WhyApp(), scenario)


def test_a_field_error_appears_under_its_input_not_as_a_toast(stub_app, settle, drive):
    refusal = InvalidInput("at most 3 days of personal leave", field="days", rule_ids=("LV-2",))
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT, leave.file_leave: refusing(refusal)})

    async def scenario(pilot):
        await sign_in(pilot, settle)
        app.push_screen(LeaveForm())
        await pilot.pause()
        app.screen.submit(leave.file_leave)
        await settle(app)
        await pilot.pause()
        days = [f for f in app.screen.query(Field) if f.field == "days"][0]
        assert "at most 3 days" in texts(days)
        assert days.has_class("-invalid")
        assert app.focused is app.screen.query_one("#days")
        assert not app._notifications
        assert app.last_refusal_rule_ids == ("LV-2",)

    drive(app, scenario)


def test_confirm_with_required_reason_insists_on_one(drive):
    results: list[Confirmed | None] = []

    class ConfirmApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(
                ConfirmModal("Refuse leave", "Refuse Wang Fang's leave?", reason=Reason.REQUIRED),
                results.append,
            )

    async def scenario(pilot):
        await pilot.press("enter")
        await pilot.pause()
        assert results == []
        assert "Please give a reason." in texts(pilot.app.screen)
        await pilot.press(*"short staffed", "enter")
        await pilot.pause()
        assert results == [Confirmed("short staffed")]

    drive(ConfirmApp(), scenario)


def test_escape_backs_out_of_a_confirmation(drive):
    results: list[Confirmed | None] = []

    class ConfirmApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ConfirmModal("Approve", "Approve the swap?"), results.append)

    async def scenario(pilot):
        await pilot.press("escape")
        await pilot.pause()
        assert results == [None]

    drive(ConfirmApp(), scenario)
