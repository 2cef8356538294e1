"""Roster drafts: days of the plan changed since it was published, kept until published.

Revision ID: 0014
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roster_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(length=32), nullable=True),
        sa.Column("holiday_duty", sa.Boolean(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_roster_drafts_staff_id_staff")),
        sa.ForeignKeyConstraint(["changed_by_id"], ["staff.id"], name=op.f("fk_roster_drafts_changed_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_drafts")),
        sa.UniqueConstraint("staff_id", "work_date", name=op.f("uq_roster_drafts_staff_id_work_date")),
    )
    with op.batch_alter_table("roster_drafts", schema=None) as batch_op:
        batch_op.create_index("ix_roster_drafts_work_date", ["work_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("roster_drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_drafts_work_date")
    op.drop_table("roster_drafts")
