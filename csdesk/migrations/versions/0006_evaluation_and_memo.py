"""Monthly evaluation and the memo book.

The memo book (DS-4) says whether an entry is a problem or an idea and keeps
what the reviewer said on adopting or declining it; an agent's own book is
listed newest first on its own index. Existing entries become ideas with an
empty note. The evaluation (AT-6) reads existing tables and adds none.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("memo_suggestions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=32), server_default="idea", nullable=False))
        batch_op.add_column(sa.Column("review_note", sa.Text(), server_default="", nullable=False))
        batch_op.create_index("ix_memo_suggestions_author_id_written_at", ["author_id", "written_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("memo_suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_memo_suggestions_author_id_written_at")
        batch_op.drop_column("review_note")
        batch_op.drop_column("kind")
