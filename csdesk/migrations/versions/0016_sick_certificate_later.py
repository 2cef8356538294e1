"""Sick leave filed before its medical certificate (LV-5).

A sick person, or a colleague for them, files the leave at once; the
certificate is handed in later. Leave requests keep the days the certificate
covers, when it was handed in, the moment it is due (the end of the first
shift back, set when the leave is filed), and when the leave form was handed
to the leader on the first day back. Existing requests filed with a
certificate keep it as handed in when they were filed.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("certificate_from", "certificate_to", "certificate_at", "certificate_due_at", "form_handed_at")


def upgrade() -> None:
    with op.batch_alter_table("leave_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("certificate_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("certificate_to", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("certificate_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("certificate_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("form_handed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE leave_requests SET certificate_at = filed_at WHERE has_certificate")


def downgrade() -> None:
    with op.batch_alter_table("leave_requests", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
