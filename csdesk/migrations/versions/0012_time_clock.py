"""The time clock: breaks told apart from time away, and directors' approvals of short weeks.

Time off the post gains its kind (a break, or away from the post, AT-3);
periods recorded before are time away. A director's approval of the reason a
person worked less than the weekly minimum (AT-4) is kept per person and week.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("away_periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=32), server_default="away", nullable=False))

    op.create_table(
        "short_week_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["staff.id"], name=op.f("fk_short_week_approvals_approved_by_id_staff")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_short_week_approvals_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_short_week_approvals")),
        sa.UniqueConstraint("staff_id", "week_start", name=op.f("uq_short_week_approvals_staff_id_week_start")),
    )


def downgrade() -> None:
    op.drop_table("short_week_approvals")
    with op.batch_alter_table("away_periods", schema=None) as batch_op:
        batch_op.drop_column("kind")
