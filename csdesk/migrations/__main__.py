"""Writes a new revision from the difference between the models and head.

python -m csdesk.migrations revision "what changed"
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from csdesk.store import _migrate, alembic_config, open_database, shipped_revisions


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "revision":
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "scratch.db", create=True)
        try:
            shipped = shipped_revisions()
            if shipped:
                _migrate(db)
            # The store reads where a database stands from these numbered file names.
            next_id = f"{int(shipped[-1]) + 1 if shipped else 1:04d}"
            with db.exclusive() as conn:
                command.revision(alembic_config(conn), message=argv[1], autogenerate=True, rev_id=next_id)
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
