"""The inbox, ticket search, stopped resolution clocks and the agreed reply wording.

Tickets gain the contact as one key (search and a customer's history match it
whole, on an index ordered newest first), the resolution clock's pause (TK-5)
and the moment their most urgent timer turns "due soon"; search pages every
ticket on (received_at, id), and the open escalations of a level are found on
(escalation_level, status). New tables: the pauses of each case, notifications
(a level an emergency escalation skipped, TK-11), and the canned replies leaders
keep. Existing tickets get their contact key, and open ones with a running
timer count as near their SLA from its due time.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from csdesk.migrations import change_feed

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = ("new", "claimed", "waiting_customer", "dispatched", "escalated")
BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_key", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("paused_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paused_for", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("paused_seconds", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("sla_warn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index("ix_tickets_received_at")
        batch_op.create_index("ix_tickets_received_at_id", ["received_at", "id"], unique=False)
        batch_op.create_index(
            "ix_tickets_contact_key_received_at_id", ["contact_key", "received_at", "id"], unique=False
        )
        batch_op.create_index("ix_tickets_escalation_level_status", ["escalation_level", "status"], unique=False)

    op.create_table(
        "clock_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("waiting_for", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("credit_seconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_clock_pauses_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["started_by_id"], ["staff.id"], name=op.f("fk_clock_pauses_started_by_id_staff")),
        sa.ForeignKeyConstraint(["ended_by_id"], ["staff.id"], name=op.f("fk_clock_pauses_ended_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_pauses")),
    )
    with op.batch_alter_table("clock_pauses", schema=None) as batch_op:
        batch_op.create_index("ix_clock_pauses_ticket_id_started_at", ["ticket_id", "started_at"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["recipient_id"], ["staff.id"], name=op.f("fk_notifications_recipient_id_staff")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_notifications_ticket_id_tickets")),
        sa.ForeignKeyConstraint(["sender_id"], ["staff.id"], name=op.f("fk_notifications_sender_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_recipient_id_read_at_created_at", ["recipient_id", "read_at", "created_at"], unique=False
        )

    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_by_id", sa.Integer(), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff.id"], name=op.f("fk_canned_replies_created_by_id_staff")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["staff.id"], name=op.f("fk_canned_replies_updated_by_id_staff")),
        sa.ForeignKeyConstraint(["retired_by_id"], ["staff.id"], name=op.f("fk_canned_replies_retired_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
    )
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        batch_op.create_index(
            "ix_canned_replies_language_category_retired_at", ["language", "category", "retired_at"], unique=False
        )

    _fill_existing_tickets()
    change_feed.install(op)  # PostgreSQL only: the new tables notify desks too


def _fill_existing_tickets() -> None:
    """Contact keys from what was typed (an unreadable contact gets none), and the
    SLA warning of open tickets from their due time."""
    from csdesk.policy import default_policy
    from csdesk.rules.contact import contact_key

    region = default_policy().centre.phone_region
    bind = op.get_bind()
    tickets = sa.table(
        "tickets",
        sa.column("id", sa.Integer),
        sa.column("customer_contact", sa.String),
        sa.column("contact_key", sa.String),
        sa.column("status", sa.String),
        sa.column("sla_due", sa.DateTime(timezone=True)),
        sa.column("sla_warn_at", sa.DateTime(timezone=True)),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(tickets.c.id, tickets.c.customer_contact)
            .where(tickets.c.id > last, tickets.c.customer_contact != "")
            .order_by(tickets.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        keyed = [{"ticket_id": ticket_id, "key": contact_key(contact, region)} for ticket_id, contact in rows]
        keyed = [row for row in keyed if row["key"]]
        if keyed:
            bind.execute(
                tickets.update()
                .where(tickets.c.id == sa.bindparam("ticket_id"))
                .values(contact_key=sa.bindparam("key")),
                keyed,
            )
        last = rows[-1][0]
    bind.execute(tickets.update().where(tickets.c.status.in_(OPEN)).values(sla_warn_at=tickets.c.sla_due))


def downgrade() -> None:
    op.drop_table("canned_replies")
    op.drop_table("notifications")
    op.drop_table("clock_pauses")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_escalation_level_status")
        batch_op.drop_index("ix_tickets_contact_key_received_at_id")
        batch_op.drop_index("ix_tickets_received_at_id")
        batch_op.create_index("ix_tickets_received_at", ["received_at"], unique=False)
        batch_op.drop_column("sla_warn_at")
        batch_op.drop_column("paused_seconds")
        batch_op.drop_column("paused_for")
        batch_op.drop_column("paused_since")
        batch_op.drop_column("contact_key")
