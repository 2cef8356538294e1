"""The demo centre: ``csdesk demo`` builds it and opens the desk on it."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from csdesk.demo.builder import DEFAULT_SEED, DemoCentre, SignIn, build_demo, default_demo_path

__all__ = ["DEFAULT_SEED", "DemoCentre", "SignIn", "build_demo", "default_demo_path", "print_sign_ins"]


def print_sign_ins(console: Console, centre: DemoCentre) -> None:
    """The table of who to sign in as, leaders first."""
    table = Table(title="Demo sign-ins (every PIN is the same)")
    for column in ("Employee no.", "Name", "Role", "Squad", "PIN"):
        table.add_column(column)
    for person in centre.sign_ins:
        table.add_row(person.employee_number, person.name, person.role.value.replace("_", " "),
                      person.squad, person.pin)
    console.print(table)
