"""Ask before acting, and ask for the reason when the rules need one on record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from csdesk.i18n import N_, _
from csdesk.widgets.bindings import TranslatedBindings
from csdesk.widgets.form import Field


class Reason(Enum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Confirmed:
    reason: str = ""


class ConfirmModal(TranslatedBindings, ModalScreen[Confirmed | None]):
    """Dismisses with ``Confirmed(reason)``, or None when the person backs out."""

    CSS_PATH = "confirm.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cancel")]

    def __init__(
        self,
        title: str,
        question: str,
        *,
        confirm_label: str = "",
        reason: Reason = Reason.NONE,
        destructive: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.confirm_label = confirm_label or _("Confirm")
        self.reason = reason
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body") as body:
            body.border_title = self.title_text
            yield Static(self.question, id="confirm-question", markup=False)
            if self.reason is not Reason.NONE:
                label = _("Reason") if self.reason is Reason.REQUIRED else _("Reason (optional)")
                yield Field("reason", label, Input(id="confirm-reason"))
            with Horizontal(id="confirm-buttons"):
                yield Button(_("Cancel"), id="confirm-cancel")
                yield Button(
                    self.confirm_label,
                    id="confirm-ok",
                    variant="error" if self.destructive else "primary",
                )

    def on_mount(self) -> None:
        if self.reason is not Reason.NONE:
            self.query_one("#confirm-reason", Input).focus()
        elif self.destructive:
            # Enter does what the highlighted button says: here the safe way out.
            self.query_one("#confirm-cancel", Button).focus()
        else:
            self.query_one("#confirm-ok", Button).focus()

    @on(Button.Pressed, "#confirm-ok")
    @on(Input.Submitted, "#confirm-reason")
    def _confirm(self) -> None:
        text = ""
        if self.reason is not Reason.NONE:
            text = self.query_one("#confirm-reason", Input).value.strip()
            if self.reason is Reason.REQUIRED and not text:
                self.query_one(Field).show_error(_("Please give a reason."))
                return
        self.dismiss(Confirmed(text))

    @on(Button.Pressed, "#confirm-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
