"""Index a successor's handovers still waiting for acknowledgement (HO-3).

A plain index: the handover table is not rebuilt, so its append-only guard
triggers stay as they are on SQLite.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_handover_logs_incoming_id_acknowledged_at_written_at"


def upgrade() -> None:
    op.create_index(INDEX, "handover_logs", ["incoming_id", "acknowledged_at", "written_at"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="handover_logs")
