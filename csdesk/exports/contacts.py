"""The emergency contact sheet as CSV (ST-5): confidential, for leaders only (ST-6).

The first row says so, the file name says so, and the file is readable by its
owner only. Each export is noted in the audit log.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from csdesk.exports.csvfile import write_csv
from csdesk.rules.decision import Outcome
from csdesk.services.base import Actor, Desk, audit
from csdesk.services.contacts import contact_sheet

CONFIDENTIAL = "CONFIDENTIAL - staff emergency contact sheet, leaders only (ST-5, ST-6); do not pass on"
CONTACTS_HEADER = ("employee_number", "name", "role", "squad", "status", "phone", "address",
                   "emergency_contact", "missing")


@dataclass(frozen=True)
class ExportedContacts:
    path: Path
    people: int


def default_path(day: date, folder: Path | None = None) -> Path:
    """``contacts-confidential-2026-03-09.csv`` in ``folder`` (the current directory by default)."""
    return (folder or Path.cwd()) / f"contacts-confidential-{day.isoformat()}.csv"


def export_contacts(desk: Desk, actor: Actor, out: str | Path | None = None) -> ExportedContacts:
    """Writes the sheet (leaders only) and notes the export in the audit log."""
    lines = contact_sheet(desk, actor)
    today = desk.now().astimezone(desk.policy.zone).date()
    target = (Path(out) if out is not None else default_path(today)).expanduser().absolute()
    rows = [CONTACTS_HEADER] + [
        (c.employee_number, c.name, c.role.value, c.squad, c.status.value, c.phone, c.address,
         c.emergency_contact, "" if c.check.outcome is Outcome.ALLOWED else c.check.reason)
        for c in lines
    ]
    write_csv(target, (CONFIDENTIAL,), rows)
    os.chmod(target, 0o600)
    with desk.write() as session:
        audit(session, actor, "contacts.export", "contact_sheet", today.isoformat(),
              after={"people": len(lines), "file": target.name})
    return ExportedContacts(target, len(lines))
