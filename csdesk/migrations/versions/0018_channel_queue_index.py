"""Index the shared queues in their urgency order (TK-4..TK-6).

The forum, email and chat queues are one channel's new tickets, most urgent
first; the back office's are the dispatched tickets whose clock runs. Their tab
counts are reloaded at every desk after every commit in the centre. Through the
status index alone, each count read every new ticket of every channel, and the
back office's looked up every dispatched ticket to see whether its clock was
paused. These indexes hold each queue in order, so a page reads its fifty rows
and a count reads only its own queue's entries.

The roster's demand counts the back office's work by when it was dispatched:
without an index that read the whole tickets table each time the roster opened.
Only dispatched tickets are in that index.

Plain indexes: the tickets table is not rebuilt.

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_tickets_channel_status_sla_due_id": ["channel", "status", "sla_due", "id"],
    "ix_tickets_status_paused_since_sla_due_id": ["status", "paused_since", "sla_due", "id"],
}


DISPATCHED = "ix_tickets_dispatched_at"
ONLY_DISPATCHED = "dispatched_at IS NOT NULL"


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "tickets", columns, unique=False)
    op.create_index(
        DISPATCHED,
        "tickets",
        ["dispatched_at"],
        unique=False,
        sqlite_where=sa.text(ONLY_DISPATCHED),
        postgresql_where=sa.text(ONLY_DISPATCHED),
    )


def downgrade() -> None:
    op.drop_index(DISPATCHED, table_name="tickets")
    for name in INDEXES:
        op.drop_index(name, table_name="tickets")
