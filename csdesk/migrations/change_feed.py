"""PostgreSQL only: a change counter and NOTIFY for live refresh across desks.

Every table gets a statement-level trigger that, once per writing
transaction, bumps the one row of ``csdesk_changes`` and sends a NOTIFY on
the channel of the same name. Both take effect only at commit, so a desk
never refreshes before the change is visible. ``Database.data_version()``
reads the counter; ``Database.change_feed()`` listens on the channel.

SQLite needs none of this (``PRAGMA data_version`` does the job), so
``install`` and ``remove`` do nothing there. A revision that adds a table
calls ``install(op)`` again so the new table notifies too.
"""

from typing import Any

import sqlalchemy as sa

from csdesk.migrations.knowledge_search import is_search_object

NAME = "csdesk_changes"
_SKIP = {"alembic_version", NAME}


def _tables(op: Any) -> list[str]:
    return [t for t in sa.inspect(op.get_bind()).get_table_names() if t not in _SKIP]


def install(op: Any) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE TABLE IF NOT EXISTS {NAME} (version bigint NOT NULL)")
    op.execute(f"INSERT INTO {NAME} (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {NAME})")
    # The local setting lasts until the end of the transaction: one bump per transaction.
    op.execute(
        "CREATE OR REPLACE FUNCTION csdesk_changed() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('csdesk.changed', true) IS DISTINCT FROM '1' THEN "
        "PERFORM set_config('csdesk.changed', '1', true); "
        f"UPDATE {NAME} SET version = version + 1; "
        f"PERFORM pg_notify('{NAME}', ''); "
        "END IF; RETURN NULL; END $$"
    )
    for table in _tables(op):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION csdesk_changed()"
        )


def remove(op: Any) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _tables(op):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
    op.execute("DROP FUNCTION IF EXISTS csdesk_changed()")
    op.execute(f"DROP TABLE IF EXISTS {NAME}")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """For Alembic's model comparison: the counter table and the search index are not models."""
    return not (type_ == "table" and name == NAME) and not is_search_object(type_, name)
