"""The emergency contact sheet as CSV (ST-5): confidential, for leaders only (ST-6).

The first row says so, the file name says so, and the file is readable by its
owner only (``csdesk.services.exports.export_contacts`` writes it and notes
each export in the audit log).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from csdesk.exports.tables import Format, write_table
from csdesk.rules.decision import Outcome
from csdesk.services.contacts import ContactLine

CONFIDENTIAL = "CONFIDENTIAL - staff emergency contact sheet, leaders only (ST-5, ST-6); do not pass on"
CONTACTS_HEADER = (
    "employee_number",
    "name",
    "role",
    "squad",
    "status",
    "phone",
    "address",
    "emergency_contact",
    "missing",
)


@dataclass(frozen=True)
class ExportedContacts:
    path: Path
    people: int


def default_path(day: date, folder: Path | None = None) -> Path:
    """``contacts-confidential-2026-03-09.csv`` in ``folder`` (the current directory by default)."""
    return (folder or Path.cwd()) / f"contacts-confidential-{day.isoformat()}.csv"


def write_sheet(lines: Sequence[ContactLine], target: Path, fmt: Format = Format.CSV) -> None:
    """The sheet, its first row saying it is confidential."""
    rows = [CONTACTS_HEADER] + [
        (
            c.employee_number,
            c.name,
            c.role.value,
            c.squad,
            c.status.value,
            c.phone,
            c.address,
            c.emergency_contact,
            "" if c.check.outcome is Outcome.ALLOWED else c.check.reason,
        )
        for c in lines
    ]
    write_table(target, (CONFIDENTIAL,), rows, fmt)
