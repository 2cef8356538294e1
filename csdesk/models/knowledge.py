"""Memo-book suggestions (DS-4, FN-7) and the knowledge base (KB)."""

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

import csdesk.models.ledger  # noqa: F401 - its tables are this module's foreign keys
import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field, enum_field
from csdesk.models.states import MemoKind, SuggestionStatus


class MemoSuggestion(SQLModel, table=True):
    __tablename__ = "memo_suggestions"
    __table_args__ = (
        Index("ix_memo_suggestions_status_written_at", "status", "written_at"),
        # DS-4: an agent's own memo book, newest first.
        Index("ix_memo_suggestions_author_id_written_at", "author_id", "written_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="staff.id", index=True)
    # DS-4: a problem met on the job or an idea; older entries are ideas.
    kind: MemoKind = enum_field(
        MemoKind, default=MemoKind.IDEA, sa_column_kwargs={"server_default": MemoKind.IDEA.value}
    )
    text: str = Field(sa_type=Text)
    written_at: datetime = aware_field()
    status: SuggestionStatus = enum_field(SuggestionStatus, default=SuggestionStatus.OPEN)
    reviewed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    reviewed_at: datetime | None = aware_field(nullable=True)
    # What the reviewer said when adopting or declining it.
    review_note: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    # The FN-7 reward paid for an adopted suggestion.
    reward_entry_id: int | None = Field(default=None, foreign_key="ledger.id")


class KnowledgeEntry(SQLModel, table=True):
    """KB-1: ``state`` holds the editorial step; ``original`` keeps the source text."""

    __tablename__ = "knowledge_entries"
    __table_args__ = (Index("ix_knowledge_entries_catalogue_title", "catalogue", "title"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    catalogue: str = Field(default="", max_length=80)
    body: str = Field(default="", sa_type=Text)
    original: str = Field(default="", sa_type=Text)
    state: str = Field(max_length=32)
    created_at: datetime = aware_field()
    removed_at: datetime | None = aware_field(nullable=True)


class KnowledgeStateChange(SQLModel, table=True):
    """KB-1: start and end of every step are kept, so the history is a table."""

    __tablename__ = "knowledge_state_changes"
    __table_args__ = (Index("ix_knowledge_state_changes_entry_id_at", "entry_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="knowledge_entries.id")
    state: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    at: datetime = aware_field()
    note: str = Field(default="", sa_type=Text)
