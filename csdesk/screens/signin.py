"""Sign in: employee number, then PIN, then Enter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Input, Static

from csdesk.i18n import _
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.services import auth
from csdesk.screens.service_worker import failure_text, log_unexpected, shown_as_said
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, clear_field_errors, show_field_error

if TYPE_CHECKING:
    from csdesk.services.base import Actor


class SignInInput(Input):
    """An input whose Enter also counts when it arrives as a line feed.

    Keys typed while the desk is still starting wait in the terminal, which
    is not in raw mode yet and turns their Enter into a line feed (ctrl+j).
    Taking that as Enter means a number and PIN typed at once are never lost.
    """

    BINDINGS = [Binding("ctrl+j", "submit", show=False, id="submit-line-feed")]


class SignInScreen(DeskScreen):
    CSS_PATH = "signin.tcss"
    # Checked by the app as each key arrives, in the order typed: keys after this
    # Enter go to the PIN even when the number and PIN are typed in one burst.
    BINDINGS = [Binding("enter,ctrl+j", "to_pin", show=False, priority=True, id="to-pin")]
    # Someone signed in here before: coming back means a sign-out.
    _used = False

    def compose(self) -> ComposeResult:
        with Center(id="signin-centre"), Vertical(id="signin-box") as box:
            box.border_title = _("csdesk · sign in")
            yield Field(
                "employee_number",
                _("Employee number"),
                SignInInput(id="employee-number", placeholder=_("e.g. 1024"), max_length=20),
            )
            yield Field(
                "pin",
                _("PIN"),
                SignInInput(id="pin", password=True, restrict=r"[0-9]*", max_length=12),
            )
            # Shown only after a leader's reset: the holder chooses their own PIN before going in.
            yield Field(
                "new_pin",
                _("New PIN"),
                SignInInput(id="new-pin", password=True, restrict=r"[0-9]*", max_length=12),
                id="new-pin-field",
            )
            yield Static("", id="signin-message", markup=False)
        yield DeskFooter()

    def on_screen_resume(self) -> None:
        # After a sign-out the next person starts clean, not with the last one's number.
        # Not at start-up: what was typed while the desk was starting must stay, and
        # focus() would move later (after keys already typed), so set_focus it is.
        if self.desk_app.actor is None and self._used:
            for widget in self.query(Input):
                widget.value = ""
            self._ask_new_pin(False)
            clear_field_errors(self)
            self.set_focus(self.query_one("#employee-number", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_pin":
            # Otherwise Enter goes on to the focused input (the PIN's signs in).
            focused = self.focused
            return focused is not None and focused.id == "employee-number"
        return super().check_action(action, parameters)

    def action_to_pin(self) -> None:
        # set_focus, not focus(): the move must happen before the next key is handed on.
        self.set_focus(self.query_one("#pin", Input))

    def _ask_new_pin(self, ask: bool) -> None:
        self.query_one("#new-pin-field", Field).display = ask

    @on(Input.Submitted, "#pin")
    def _submit_pin(self) -> None:
        if self.query_one("#new-pin-field", Field).display:
            self.set_focus(self.query_one("#new-pin", Input))
            return
        self._submit(None)

    @on(Input.Submitted, "#new-pin")
    def _submit_new_pin(self) -> None:
        self._submit(self.query_one("#new-pin", Input).value)

    def _submit(self, new_pin: str | None) -> None:
        number = self.query_one("#employee-number", Input).value
        pin = self.query_one("#pin", Input).value
        clear_field_errors(self)
        self._say(_("Signing in…"), busy=True)
        self.set_inputs_enabled(False)
        extra = {} if new_pin is None else {"new_pin": new_pin}
        self.run_service(
            auth.sign_in,
            number,
            pin,
            **extra,
            on_done=self._signed_in,
            on_error=self._refused,
            exclusive=True,
        )

    def _say(self, text: str, *, busy: bool = False) -> None:
        message = self.query_one("#signin-message", Static)
        message.update(text)
        message.set_class(busy, "-busy")

    def show_desk_problem(self, problem: Exception | str) -> None:
        """The database or the policy could not be opened behind this screen (or is somewhere
        risky): said at once, before anyone types. Signing in tries to open them again, so a
        database that was only busy lets the person in later."""
        if self.query_one("#signin-message", Static).has_class("-busy"):
            return  # a sign-in is under way and will say how it went
        if isinstance(problem, str):
            self._say(problem)
            return
        if not shown_as_said(problem):
            log_unexpected(problem)
        self._say(failure_text(problem))

    def set_inputs_enabled(self, enabled: bool) -> None:
        for widget in self.query(Input):
            widget.disabled = not enabled

    def _signed_in(self, actor: Actor) -> None:
        self._used = True
        self.set_inputs_enabled(True)
        self.query_one("#pin", Input).value = ""
        self.query_one("#new-pin", Input).value = ""
        self._ask_new_pin(False)
        self._say("")
        self.desk_app.signed_in(actor)

    def _refused(self, exc: Exception) -> bool:
        # Wrong PIN and lock-out are said here, where the person is looking, not in a toast.
        self.set_inputs_enabled(True)
        self.query_one("#new-pin", Input).value = ""
        if getattr(exc, "field", None) == "new_pin":
            # The PIN was right but a leader set it: keep it, and ask for the holder's own.
            self._ask_new_pin(True)
            show_field_error(self, exc)
            return True
        self.query_one("#pin", Input).value = ""
        self._ask_new_pin(False)
        self._say("")
        if not show_field_error(self, exc):
            self._say(failure_text(exc))
            self.query_one("#pin", Input).focus()
        return True
