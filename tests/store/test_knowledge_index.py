"""The knowledge search index (KB-2) stays in step with the entries, and `csdesk check` says when not."""

import sqlite3

import pytest

from csdesk.models import KnowledgeEntry
from csdesk.store import integrity_check


def _add(db, title):
    from datetime import UTC, datetime

    with db.write() as session:
        session.add(
            KnowledgeEntry(
                title=title,
                catalogue="计费/退款",
                body="退款七个工作日内到账",
                state="published",
                created_at=datetime(2026, 3, 9, tzinfo=UTC),
            )
        )


def _indexed(db_path, phrase):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT count(*) FROM knowledge_search WHERE knowledge_search MATCH ?", (f'"{phrase}"',)
        ).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.sqlite_only
def test_entries_written_by_any_connection_are_indexed_and_the_check_is_clean(db, db_path):
    _add(db, "宽带退款")
    conn = sqlite3.connect(db_path)  # a plain session, as a repair script would write
    conn.execute("UPDATE knowledge_entries SET body = '漫游资费下调'")
    conn.commit()
    conn.close()
    assert _indexed(db_path, "漫游资费") == 1 and _indexed(db_path, "七个工作日") == 0
    assert integrity_check(db) == []


@pytest.mark.sqlite_only
def test_a_missing_trigger_and_an_index_out_of_step_are_reported(db, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER knowledge_search_insert")
    conn.commit()
    conn.close()
    _add(db, "宽带退款")  # not indexed now
    problems = integrity_check(db)
    assert any("trigger knowledge_search_insert is missing" in p for p in problems), problems
    assert any("indexes 0 of 1 entries" in p for p in problems), problems
