"""The first screen after sign-in: who is signed in, and where to go from here."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from csdesk.i18n import N_, _
from csdesk.screens.base import DeskScreen
from csdesk.screens.commands import register_command
from csdesk.screens.labels import role_label


class HomeScreen(DeskScreen):
    CSS_PATH = "home.tcss"

    def compose(self) -> ComposeResult:
        actor = self.desk_app.actor
        yield Header()
        with Vertical(id="home-body"):
            if actor is not None:
                yield Static(actor.name, id="home-name", markup=False)
                yield Static(
                    _("No. {number} · {role}").format(
                        number=actor.employee_number, role=role_label(actor.role)
                    ),
                    id="home-role",
                    markup=False,
                )
                squad = (
                    _("Squad {id}").format(id=actor.squad_id)
                    if actor.squad_id is not None
                    else _("No squad")
                )
                yield Static(squad, id="home-squad", markup=False)
            yield Static(_("Press ctrl+p to go anywhere, ? for the keys."), id="home-hint")
        yield Footer()

    def can_go_back(self) -> bool:
        # Esc on home would sign the person out by accident; that is a command instead.
        return False


register_command(
    "desk",
    N_("Sign out"),
    N_("Leave the desk for the next person"),
    action=lambda app: app.sign_out(),
)
