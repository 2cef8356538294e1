"""Growing PIN lockouts, resets that force a new PIN, and wrong PINs for unknown numbers.

Staff gain the count of lockouts in a row and a flag for a PIN someone else
set, which its holder replaces at the next sign-in. Numbers nobody holds get a
table of their own wrong PINs, so they lock exactly like real accounts.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from csdesk.migrations import change_feed

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pin_lockouts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("pin_must_change", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "unknown_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_number", sa.String(length=20), nullable=False),
        sa.Column("failed_pin_count", sa.Integer(), nullable=False),
        sa.Column("pin_lockouts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unknown_sign_ins")),
        sa.UniqueConstraint("employee_number", name=op.f("uq_unknown_sign_ins_employee_number")),
    )
    change_feed.install(op)


def downgrade() -> None:
    op.drop_table("unknown_sign_ins")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("pin_must_change")
        batch_op.drop_column("pin_lockouts")
