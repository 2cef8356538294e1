"""Full-text search over the knowledge base.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

from csdesk.migrations import knowledge_search

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    knowledge_search.install(op)


def downgrade() -> None:
    knowledge_search.remove(op)
