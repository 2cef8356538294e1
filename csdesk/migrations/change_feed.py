"""Live refresh across desks: what changed, and (PostgreSQL) when.

Every table has a row in ``csdesk_table_changes`` that its triggers bump in the
writing transaction itself, so the row moves exactly when a change to that table
is committed, whoever made it (a desk, an import, a restore, a script). A desk
told that the database moved reads these rows to learn *which* tables did, and a
screen that shows none of them stays as it is (``csdesk.widgets.live``).

On SQLite ``PRAGMA data_version`` says when anything moved; the marks are bumped
by row triggers. On PostgreSQL each table's statement-level trigger, once per
writing transaction, also bumps the one row of ``csdesk_changes`` and sends a
NOTIFY on the channel of the same name. Both take effect only at commit, so a desk
never refreshes before the change is visible. ``Database.data_version()`` reads
the counter; ``Database.change_feed()`` listens on the channel.

A revision that adds a table, or rebuilds one (SQLite's batch mode copies a table
and drops its triggers with the old one), calls ``install(op)`` again.
"""

from typing import Any

import sqlalchemy as sa

from csdesk.db import MARKS_TABLE as MARKS
from csdesk.db import PG_CHANGE_CHANNEL as NAME
from csdesk.migrations.knowledge_search import is_search_object

_SKIP = {"alembic_version", NAME, MARKS}
_VERBS = ("insert", "update", "delete")


def _names(op: Any) -> list[str]:
    return sa.inspect(op.get_bind()).get_table_names()


def _tables(op: Any) -> list[str]:
    return [t for t in _names(op) if t not in _SKIP and not is_search_object("table", t)]


def install(op: Any) -> None:
    tables = _tables(op)
    marks = MARKS in _names(op)  # from revision 0019 on
    if marks:
        for table in tables:
            op.execute(
                f"INSERT INTO {MARKS} (name, version) SELECT '{table}', 0 "
                f"WHERE NOT EXISTS (SELECT 1 FROM {MARKS} WHERE name = '{table}')"
            )
    if op.get_bind().dialect.name != "postgresql":
        if marks:
            for table in tables:
                for verb in _VERBS:
                    op.execute(f"DROP TRIGGER IF EXISTS {table}_changed_{verb}")
                    op.execute(
                        f"CREATE TRIGGER {table}_changed_{verb} AFTER {verb.upper()} ON {table} "
                        f"BEGIN UPDATE {MARKS} SET version = version + 1 WHERE name = '{table}'; END"
                    )
        return
    op.execute(f"CREATE TABLE IF NOT EXISTS {NAME} (version bigint NOT NULL)")
    op.execute(f"INSERT INTO {NAME} (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {NAME})")
    # The local setting lasts until the end of the transaction: one bump of the
    # counter and one NOTIFY per transaction; a table's mark moves with each statement.
    bump_table = f"UPDATE {MARKS} SET version = version + 1 WHERE name = TG_TABLE_NAME; " if marks else ""
    op.execute(
        "CREATE OR REPLACE FUNCTION csdesk_changed() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"{bump_table}"
        "IF current_setting('csdesk.changed', true) IS DISTINCT FROM '1' THEN "
        "PERFORM set_config('csdesk.changed', '1', true); "
        f"UPDATE {NAME} SET version = version + 1; "
        f"PERFORM pg_notify('{NAME}', ''); "
        "END IF; RETURN NULL; END $$"
    )
    for table in tables:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION csdesk_changed()"
        )


def expected_triggers(dialect: str, tables: list[str]) -> dict[str, str]:
    """The triggers ``install`` puts on ``tables``, by name, with the table of each."""
    if dialect == "postgresql":
        return {f"{table}_changed": table for table in tables}
    return {f"{table}_changed_{verb}": table for table in tables for verb in _VERBS}


def add_marks(op: Any) -> None:
    op.execute(f"CREATE TABLE {MARKS} (name VARCHAR(64) NOT NULL PRIMARY KEY, version BIGINT NOT NULL)")
    install(op)


def remove_marks(op: Any) -> None:
    if op.get_bind().dialect.name != "postgresql":
        for table in _tables(op):
            for verb in _VERBS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_changed_{verb}")
    op.execute(f"DROP TABLE IF EXISTS {MARKS}")
    install(op)  # PostgreSQL: the trigger function without the marks


def remove(op: Any) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _tables(op):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
    op.execute("DROP FUNCTION IF EXISTS csdesk_changed()")
    op.execute(f"DROP TABLE IF EXISTS {NAME}")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """For Alembic's model comparison: the counter tables and the search index are not models."""
    return not (type_ == "table" and name in (NAME, MARKS)) and not is_search_object(type_, name)
