"""The demo centre: ``csdesk demo`` builds it and opens the desk on it."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from csdesk.demo.builder import DEFAULT_SEED, DemoCentre, SignIn, build_demo, default_demo_path
from csdesk.i18n import N_, _
from csdesk.vocabulary import role_title

__all__ = ["DEFAULT_SEED", "DemoCentre", "SignIn", "build_demo", "default_demo_path", "print_sign_ins"]


def print_sign_ins(console: Console, centre: DemoCentre) -> None:
    """The table of who to sign in as, leaders first."""
    table = Table(title=_("Demo sign-ins (every PIN is the same)"))
    for column in (N_("Employee no."), N_("Name"), N_("Role"), N_("Squad"), N_("PIN")):
        table.add_column(_(column))
    for person in centre.sign_ins:
        table.add_row(person.employee_number, person.name, role_title(person.role), person.squad, person.pin)
    console.print(table)
