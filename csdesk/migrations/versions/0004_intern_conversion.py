"""Intern summaries and conversion to formal staff.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from csdesk.migrations import change_feed

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intern_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intern_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["intern_id"], ["staff.id"], name=op.f("fk_intern_summaries_intern_id_staff")),
        sa.ForeignKeyConstraint(["written_by_id"], ["staff.id"], name=op.f("fk_intern_summaries_written_by_id_staff")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["staff.id"], name=op.f("fk_intern_summaries_decided_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intern_summaries")),
    )
    with op.batch_alter_table("intern_summaries", schema=None) as batch_op:
        batch_op.create_index("ix_intern_summaries_intern_id_written_at", ["intern_id", "written_at"], unique=False)

    op.create_table(
        "intern_early_conversions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intern_id", sa.Integer(), nullable=False),
        sa.Column("recommended_by_id", sa.Integer(), nullable=False),
        sa.Column("recommended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["intern_id"], ["staff.id"], name=op.f("fk_intern_early_conversions_intern_id_staff")),
        sa.ForeignKeyConstraint(
            ["recommended_by_id"], ["staff.id"], name=op.f("fk_intern_early_conversions_recommended_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["staff.id"], name=op.f("fk_intern_early_conversions_approved_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intern_early_conversions")),
    )
    with op.batch_alter_table("intern_early_conversions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_intern_early_conversions_intern_id_recommended_at", ["intern_id", "recommended_at"], unique=False
        )

    change_feed.install(op)  # PostgreSQL only: the new tables notify desks too


def downgrade() -> None:
    op.drop_table("intern_early_conversions")
    op.drop_table("intern_summaries")
