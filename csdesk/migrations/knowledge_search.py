"""The full-text index over the knowledge base (KB-2), per dialect.

SQLite: an FTS5 table with the ``trigram`` tokenizer, so Chinese (which has
no spaces between words) is found by any substring of three characters or
more; it holds no text of its own (``content=knowledge_entries``) and
triggers keep it in step with every insert, update and delete. SQLite drops
a table's triggers when batch mode rebuilds it, so a revision that alters
``knowledge_entries`` calls ``install`` again afterwards.

PostgreSQL: a pg_trgm GIN index on the same text, which serves ILIKE.
Without the extension the search still answers, by scanning.

``csdesk.fulltext`` writes the queries that use these.
"""

from typing import Any

import sqlalchemy as sa

FTS_TABLE = "knowledge_search"
PG_INDEX = "ix_knowledge_entries_search"
# The text searched; the PostgreSQL index is on exactly this expression.
PG_DOCUMENT = "(title || ' ' || catalogue || ' ' || body)"
_COLUMNS = "title, catalogue, body"
_TRIGGERS = (f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update")


def install(op: Any) -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            f"{_COLUMNS}, content='knowledge_entries', content_rowid='id', tokenize='trigram')"
        )
        old = "'delete', old.id, old.title, old.catalogue, old.body"
        new = "new.id, new.title, new.catalogue, new.body"
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON knowledge_entries "
            f"BEGIN INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES ({new}); END"
        )
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON knowledge_entries "
            f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS}) VALUES ({old}); END"
        )
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update "
            f"AFTER UPDATE OF title, catalogue, body ON knowledge_entries BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS}) VALUES ({old}); "
            f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES ({new}); END"
        )
        # Entries written before this revision.
        op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    elif dialect == "postgresql":
        available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first()
        if available is None:
            return
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON knowledge_entries USING gin ({PG_DOCUMENT} gin_trgm_ops)")
    else:
        raise NotImplementedError(f"knowledge search for {dialect} is not written yet")


def remove(op: Any) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif dialect == "postgresql":
        # The extension stays: other databases of the server may use it.
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


def trigger_names(dialect: str) -> set[str]:
    """The triggers ``install`` creates, to verify they are still there."""
    return set(_TRIGGERS) if dialect == "sqlite" else set()


def is_search_object(type_: str, name: str | None) -> bool:
    """For Alembic's model comparison: the index and its tables are not models."""
    if name is None:
        return False
    if type_ == "table":
        # FTS5 keeps its data in shadow tables named after the virtual table.
        return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
    return type_ == "index" and name == PG_INDEX


def index_problems(db: Any) -> list[str]:
    """What is wrong with the search index of ``db`` (a ``csdesk.db.Database``), one line each.

    On SQLite the triggers must be there, the index must hold one row per
    entry (its ``_docsize`` table counts them) and pass FTS5's own check.
    """
    if not db.is_sqlite:
        return []
    problems = [
        f"knowledge search will miss changes: trigger {name} is missing"
        for name in sorted(trigger_names("sqlite") - db.trigger_names())
    ]
    rebuild = f"run INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
    with db.engine.connect() as conn:
        indexed = conn.exec_driver_sql(f"SELECT count(*) FROM {FTS_TABLE}_docsize").scalar_one()
        entries = conn.exec_driver_sql("SELECT count(*) FROM knowledge_entries").scalar_one()
        if indexed != entries:
            problems.append(f"knowledge search indexes {indexed} of {entries} entries: {rebuild}")
        try:
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")
        except sa.exc.DatabaseError:
            problems.append(f"knowledge search index is damaged: {rebuild}")
        conn.rollback()
    return problems
