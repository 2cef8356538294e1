"""Sick leave filed before its medical certificate (LV-5); monthly typing tests (ST-3).

A sick person, or a colleague for them, files the leave at once; the
certificate is handed in later. Leave requests keep the days the certificate
covers, when it was handed in, the moment it is due (the end of the first
shift back, set when the leave is filed), and when the leave form was handed
to the leader on the first day back. Existing requests filed with a
certificate keep it as handed in when they were filed.

A new table keeps each person's typing test of the month (ST-3).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from csdesk.migrations import change_feed

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
    op.create_table(
        "typing_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("chars_per_minute", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_typing_tests_staff_id_staff")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["staff.id"], name=op.f("fk_typing_tests_recorded_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_typing_tests")),
        sa.UniqueConstraint("staff_id", "month", name=op.f("uq_typing_tests_staff_id_month")),
    )
    change_feed.install(op)  # PostgreSQL only: the new table notifies desks too


def downgrade() -> None:
    op.drop_table("typing_tests")
    with op.batch_alter_table("leave_requests", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
