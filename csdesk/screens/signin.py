"""Sign in: employee number, then PIN, then Enter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Footer, Input, Static

from csdesk.i18n import _
from csdesk.screens.base import DeskScreen
from csdesk.screens.service_worker import failure_text
from csdesk.widgets.form import Field, clear_field_errors, show_field_error


class SignInScreen(DeskScreen):
    CSS_PATH = "signin.tcss"

    def compose(self) -> ComposeResult:
        with Center(id="signin-centre"):
            with Vertical(id="signin-box") as box:
                box.border_title = _("csdesk · sign in")
                yield Field(
                    "employee_number",
                    _("Employee number"),
                    Input(id="employee-number", placeholder=_("e.g. 1024"), max_length=20),
                )
                yield Field(
                    "pin",
                    _("PIN"),
                    Input(id="pin", password=True, restrict=r"[0-9]*", max_length=12),
                )
                yield Static("", id="signin-message", markup=False)
        yield Footer()

    def on_screen_resume(self) -> None:
        # After a sign-out the next person starts clean, not with the last one's number.
        if self.desk_app.actor is None:
            for widget in self.query(Input):
                widget.value = ""
            clear_field_errors(self)
            self.query_one("#employee-number", Input).focus()

    @on(Input.Submitted, "#employee-number")
    def _to_pin(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _submit(self) -> None:
        number = self.query_one("#employee-number", Input).value
        pin = self.query_one("#pin", Input).value
        clear_field_errors(self)
        self._say(_("Signing in…"), busy=True)
        self.set_inputs_enabled(False)
        self.run_service(
            "auth.sign_in", number, pin,
            on_done=self._signed_in, on_error=self._refused, exclusive=True,
        )

    def _say(self, text: str, *, busy: bool = False) -> None:
        message = self.query_one("#signin-message", Static)
        message.update(text)
        message.set_class(busy, "-busy")

    def set_inputs_enabled(self, enabled: bool) -> None:
        for widget in self.query(Input):
            widget.disabled = not enabled

    def _signed_in(self, actor: object) -> None:
        self.set_inputs_enabled(True)
        self.query_one("#pin", Input).value = ""
        self._say("")
        self.desk_app.signed_in(actor)

    def _refused(self, exc: Exception) -> bool:
        # Wrong PIN and lock-out are said here, where the person is looking, not in a toast.
        self.set_inputs_enabled(True)
        self.query_one("#pin", Input).value = ""
        self._say("")
        if not show_field_error(self, exc):
            self._say(failure_text(exc))
            self.query_one("#pin", Input).focus()
        return True
