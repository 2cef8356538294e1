"""Database triggers that keep the records append-only: the audit log, the
ledger and the handover log.

Used by revisions, per dialect. ``install`` is what revision 0001 put in
place (no UPDATE, DELETE or TRUNCATE on the audit log and the ledger);
revision 0002 added ``install_guards``: the handover book (a log takes its
acknowledgement once and nothing else; its items never change) and, on
SQLite, a guard against ``INSERT OR REPLACE``, which deletes the row it
replaces without firing delete triggers. SQLite drops a table's triggers
when batch mode rebuilds it, so a revision that alters one of these tables
calls ``protect`` (everything at once, idempotent) afterwards.
"""

from typing import Any

import sqlalchemy as sa

TABLES = ("audit_log", "ledger")
HANDOVER_LOG = "handover_logs"
HANDOVER_ITEMS = "handover_items"
# Every table whose rows, once written, stay as they are.
GUARDED = (*TABLES, HANDOVER_ITEMS, HANDOVER_LOG)
# HO-3: the one change a handover log takes, once: its named successor's acknowledgement.
ACKNOWLEDGEMENT = ("acknowledged_at", "acknowledged_by_id")
_ACK_REFUSAL = f"{HANDOVER_LOG} is append-only: only its acknowledgement may be added, once"


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


def _unique_keys(op: Any, table: str) -> list[list[str]]:
    """The column sets an ``INSERT OR REPLACE`` could collide on: primary key and unique ones."""
    inspector = sa.inspect(op.get_bind())
    keys = [inspector.get_pk_constraint(table)["constrained_columns"]]
    keys += [u["column_names"] for u in inspector.get_unique_constraints(table)]
    keys += [i["column_names"] for i in inspector.get_indexes(table) if i.get("unique")]
    return [list(k) for k in dict.fromkeys(tuple(k) for k in keys if k)]


def _install_replace_guards(op: Any, tables: tuple[str, ...]) -> None:
    """SQLite: refuse an insert that would make REPLACE delete an existing row.

    With ``recursive_triggers`` off (the default of every sqlite3 session)
    REPLACE removes the colliding row without firing the delete triggers, so
    the guard sits on INSERT: a row whose key is already taken is refused.
    """
    for table in tables:
        collides = " OR ".join(
            f"EXISTS (SELECT 1 FROM {table} WHERE " + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")"
            for key in _unique_keys(op, table)
        )
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {collides} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: that row exists and stays'); END"
        )


def _install_handover_guard(op: Any) -> None:
    """HO-3: a handover log is never deleted, and its only change is the acknowledgement.

    Allowed exactly once: from unacknowledged to acknowledged by the colleague
    the log names as taking over, with every other column unchanged. SQLite's
    trigger lists the columns it finds, so a revision adding a column to
    ``handover_logs`` calls ``protect`` again; PostgreSQL compares whole rows.
    """
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        others = [
            c["name"] for c in sa.inspect(op.get_bind()).get_columns(HANDOVER_LOG) if c["name"] not in ACKNOWLEDGEMENT
        ]
        unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in others)
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {HANDOVER_LOG}_no_delete BEFORE DELETE ON {HANDOVER_LOG} "
            f"BEGIN SELECT RAISE(ABORT, '{HANDOVER_LOG} is append-only'); END"
        )
        # Rebuilt each time: the column list follows the table.
        op.execute(f"DROP TRIGGER IF EXISTS {HANDOVER_LOG}_acknowledge_only")
        op.execute(
            f"CREATE TRIGGER {HANDOVER_LOG}_acknowledge_only BEFORE UPDATE ON {HANDOVER_LOG} "
            f"WHEN NOT (OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL "
            f"AND NEW.acknowledged_by_id IS NOT NULL AND NEW.acknowledged_by_id IS OLD.incoming_id "
            f"AND {unchanged}) "
            f"BEGIN SELECT RAISE(ABORT, '{_ACK_REFUSAL}'); END"
        )
    elif dialect == "postgresql":
        ack = " - ".join(f"'{c}'" for c in ACKNOWLEDGEMENT)
        op.execute(
            "CREATE OR REPLACE FUNCTION csdesk_handover_acknowledge_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'UPDATE' AND OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL "
            "AND NEW.acknowledged_by_id IS NOT NULL "
            "AND NEW.acknowledged_by_id IS NOT DISTINCT FROM OLD.incoming_id "
            f"AND to_jsonb(NEW) - {ack} = to_jsonb(OLD) - {ack} THEN RETURN NEW; END IF; "
            f"RAISE EXCEPTION '{_ACK_REFUSAL}'; END $$"
        )
        op.execute(f"DROP TRIGGER IF EXISTS {HANDOVER_LOG}_append_only ON {HANDOVER_LOG}")
        op.execute(
            f"CREATE TRIGGER {HANDOVER_LOG}_append_only BEFORE UPDATE OR DELETE ON {HANDOVER_LOG} "
            f"FOR EACH ROW EXECUTE FUNCTION csdesk_handover_acknowledge_only()"
        )
        op.execute(f"DROP TRIGGER IF EXISTS {HANDOVER_LOG}_no_truncate ON {HANDOVER_LOG}")
        op.execute(
            f"CREATE TRIGGER {HANDOVER_LOG}_no_truncate BEFORE TRUNCATE ON {HANDOVER_LOG} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION csdesk_append_only()"
        )
    else:
        raise NotImplementedError(f"append-only triggers for {dialect} are not written yet")


def install_guards(op: Any) -> None:
    """Revision 0002: the handover book, and on SQLite the guard against replacing rows."""
    install(op, (HANDOVER_ITEMS,))
    _install_handover_guard(op)
    if op.get_bind().dialect.name == "sqlite":
        _install_replace_guards(op, GUARDED)


def remove_guards(op: Any) -> None:
    """Undoes ``install_guards``, leaving revision 0001's triggers in place."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in (
            f"{HANDOVER_ITEMS}_no_update",
            f"{HANDOVER_ITEMS}_no_delete",
            f"{HANDOVER_LOG}_no_delete",
            f"{HANDOVER_LOG}_acknowledge_only",
            *(f"{t}_no_replace" for t in GUARDED),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for table in (HANDOVER_ITEMS, HANDOVER_LOG):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS csdesk_handover_acknowledge_only()")


def protect(op: Any) -> None:
    """Every protection the current schema has; call it after rebuilding a guarded table."""
    install(op)
    install_guards(op)


def expected_triggers(dialect: str) -> dict[str, str]:
    """Each trigger ``protect`` creates, with the table it must fire on."""
    return {name: next(t for t in GUARDED if name.startswith(f"{t}_")) for name in trigger_names(dialect)}


def trigger_names(dialect: str) -> set[str]:
    """The trigger names ``protect`` creates, to verify they are still there."""
    if dialect == "sqlite":
        return (
            {f"{t}_no_{v}" for t in (*TABLES, HANDOVER_ITEMS) for v in ("update", "delete")}
            | {f"{HANDOVER_LOG}_no_delete", f"{HANDOVER_LOG}_acknowledge_only"}
            | {f"{t}_no_replace" for t in GUARDED}
        )
    return {f"{t}_{k}" for t in GUARDED for k in ("append_only", "no_truncate")}
