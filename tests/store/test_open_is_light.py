"""Every desk opens the database at start-up: that must not load the migration machinery."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from csdesk.store import create_database


def test_opening_a_current_database_loads_no_alembic(tmp_path):
    path = tmp_path / "centre.db"
    create_database(path).close()
    probe = textwrap.dedent(
        f"""
        import sys
        from csdesk.store import open_database
        db = open_database({str(path)!r})
        db.close()
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("alembic", "mako")))
        """
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_older_database_is_still_told_to_upgrade(tmp_path):
    import sqlite3

    from csdesk.db import DatabaseError
    from csdesk.store import open_database

    path = tmp_path / "centre.db"
    create_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    with pytest.raises(DatabaseError, match="csdesk db upgrade"):
        open_database(path)
