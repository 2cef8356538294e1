"""Writes a new revision from the difference between the models and head.

    python -m csdesk.migrations revision "what changed"
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from csdesk.db import open_database
from csdesk.store import _migrate, alembic_config


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "revision":
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "scratch.db", create=True)
        try:
            script = ScriptDirectory.from_config(alembic_config())
            if script.get_current_head() is not None:
                _migrate(db)
            with db.exclusive() as conn:
                command.revision(alembic_config(conn), message=argv[1], autogenerate=True)
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
