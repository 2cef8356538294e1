"""Quality inspection records: remarks per criterion, and the supervisor's daily spot-checks.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from csdesk.migrations import change_feed

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Inspections saved before this revision had no remarks per criterion.
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.create_index("ix_inspections_at", ["at"], unique=False)

    op.create_table(
        "quality_spot_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("checked", sa.JSON(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("training", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["staff.id"], name=op.f("fk_quality_spot_checks_supervisor_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_spot_checks")),
        sa.UniqueConstraint("supervisor_id", "work_date", name=op.f("uq_quality_spot_checks_supervisor_id_work_date")),
    )
    with op.batch_alter_table("quality_spot_checks", schema=None) as batch_op:
        batch_op.create_index("ix_quality_spot_checks_work_date", ["work_date"], unique=False)

    change_feed.install(op)  # PostgreSQL only: the new table notifies desks too


def downgrade() -> None:
    op.drop_table("quality_spot_checks")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index("ix_inspections_at")
        batch_op.drop_column("notes")
