"""The database side of knowledge search: one filter, written per dialect.

The index itself is made by ``csdesk.migrations.knowledge_search``. A query is
split on spaces into terms, and an entry must contain every term (anywhere
in its title, catalogue or text, case aside).

SQLite: terms of three characters or more go through the FTS5 trigram
index, ranked by bm25. One or two characters make no trigram, so those terms
(common in Chinese: 退款, 话费) are matched with LIKE, on the rows the
index found or, when every term is short, on the entries themselves: a scan
of one table, stopped by the caller's LIMIT.

PostgreSQL: ILIKE on the text the pg_trgm GIN index covers; the planner uses
the index for terms of three characters or more.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, case, column, literal_column, table
from sqlmodel import col

from csdesk.migrations.knowledge_search import FTS_TABLE, PG_DOCUMENT
from csdesk.models import KnowledgeEntry

MIN_INDEXED = 3  # the trigram tokenizer's unit
MAX_TERMS = 8

_fts = table(FTS_TABLE, column("rowid"), column("rank"))


def terms_of(query: str) -> list[str]:
    """The distinct words of ``query``, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(query.split()))[:MAX_TERMS]


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _sqlite_document() -> ColumnElement[str]:
    return col(KnowledgeEntry.title) + " " + col(KnowledgeEntry.catalogue) + " " + col(KnowledgeEntry.body)


def with_match(statement: Select[Any], dialect: str, terms: list[str]) -> Select[Any]:
    """``statement`` (a SELECT from knowledge_entries) narrowed to entries holding
    every one of ``terms`` on ``dialect``, best matches first."""
    if not terms:
        raise ValueError("a search needs at least one term")
    title_first = case((col(KnowledgeEntry.title).ilike(_like_pattern(terms[0]), escape="\\"), 0), else_=1)
    by_title = (title_first, col(KnowledgeEntry.title), col(KnowledgeEntry.id))
    if dialect == "postgresql":
        document: ColumnElement[str] = literal_column(PG_DOCUMENT)
        return statement.where(*(document.ilike(_like_pattern(t), escape="\\") for t in terms)).order_by(*by_title)
    if dialect != "sqlite":
        raise NotImplementedError(f"knowledge search for {dialect} is not written yet")
    indexed = [t for t in terms if len(t) >= MIN_INDEXED]
    document = _sqlite_document()
    statement = statement.where(*(document.like(_like_pattern(t), escape="\\") for t in terms if len(t) < MIN_INDEXED))
    if not indexed:
        return statement.order_by(*by_title)
    # Each term a quoted phrase (quotes doubled), all required.
    phrase = " AND ".join('"' + t.replace('"', '""') + '"' for t in indexed)
    return (
        statement.join(_fts, _fts.c.rowid == col(KnowledgeEntry.id))
        .where(literal_column(FTS_TABLE).op("MATCH")(phrase))
        .order_by(_fts.c.rank, col(KnowledgeEntry.id))
    )
