"""Which schema revisions this csdesk ships, read from the file names alone.

Every revision file is named after its id, "0007_what_changed.py", and ids go
up in the order the revisions apply, each revising the one before it in file
order (tests/store/test_migrations.py holds Alembic to this). So where a
database stands, and what ``csdesk --version`` names, is known from a directory
listing: neither Alembic nor SQLAlchemy is imported for it.
"""

from __future__ import annotations

import re
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def shipped_revisions(folder: Path = FOLDER) -> list[str]:
    """The revision ids in ``folder`` (this csdesk's migrations by default), oldest first."""
    found = (_REVISION_FILE.match(path.name) for path in (folder / "versions").iterdir())
    return sorted(match.group(1) for match in found if match)


def head_revision(folder: Path = FOLDER) -> str:
    """The revision a new database is written at."""
    revisions = shipped_revisions(folder)
    assert revisions, "csdesk ships at least one revision"
    return revisions[-1]
