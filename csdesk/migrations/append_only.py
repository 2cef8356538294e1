"""Database triggers that make the audit log and the ledger append-only.

Used by revisions, per dialect. SQLite drops a table's triggers when batch
mode rebuilds it, so a revision that alters one of these tables calls
``install`` again afterwards.
"""

from typing import Any

TABLES = ("audit_log", "ledger")


def install(op: Any, tables: tuple[str, ...] = TABLES) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in tables:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} "
                    f"BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION csdesk_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
        )
        for table in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION csdesk_append_only()"
            )
            # TRUNCATE bypasses row triggers on PostgreSQL.
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION csdesk_append_only()"
            )
    else:
        raise NotImplementedError(f"append-only triggers for {dialect} are not written yet")


def remove(op: Any, tables: tuple[str, ...] = TABLES) -> None:
    dialect = op.get_bind().dialect.name
    for table in tables:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS csdesk_append_only()")


def trigger_names(dialect: str, tables: tuple[str, ...] = TABLES) -> set[str]:
    """The trigger names ``install`` creates, to verify they are still there."""
    if dialect == "sqlite":
        return {f"{t}_no_{v}" for t in tables for v in ("update", "delete")}
    return {f"{t}_{k}" for t in tables for k in ("append_only", "no_truncate")}
