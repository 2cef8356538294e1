"""Absenteeism charged for a shift an unclear swap left empty (SW-5).

A new table keeps, for each shift of an approved swap that stayed empty, each
party's share of the absenteeism, why the swap was unclear, and who charged it.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from csdesk.migrations import change_feed

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "swap_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("swap_id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("share_percent", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("charged_by_id", sa.Integer(), nullable=False),
        sa.Column("charged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["swap_id"], ["swap_requests.id"], name=op.f("fk_swap_charges_swap_id_swap_requests")),
        sa.ForeignKeyConstraint(["roster_id"], ["roster.id"], name=op.f("fk_swap_charges_roster_id_roster")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_swap_charges_staff_id_staff")),
        sa.ForeignKeyConstraint(["charged_by_id"], ["staff.id"], name=op.f("fk_swap_charges_charged_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_charges")),
        sa.UniqueConstraint(
            "swap_id", "roster_id", "staff_id", name=op.f("uq_swap_charges_swap_id_roster_id_staff_id")
        ),
    )
    change_feed.install(op)  # PostgreSQL only: the new table notifies desks too


def downgrade() -> None:
    op.drop_table("swap_charges")
