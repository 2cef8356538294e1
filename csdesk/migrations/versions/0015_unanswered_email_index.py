"""Index the open tickets of a channel not yet answered (HO-7).

Every handover save lists and counts the shift's unanswered emails; on a centre
with a year of tickets that read every open ticket of every channel. A plain
index: the tickets table is not rebuilt.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_tickets_channel_status_first_reply_at_id"


def upgrade() -> None:
    op.create_index(INDEX, "tickets", ["channel", "status", "first_reply_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="tickets")
