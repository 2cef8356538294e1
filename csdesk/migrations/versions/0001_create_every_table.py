"""Create every table, and make the audit log and ledger append-only.

Revision ID: 0001
Revises: (none)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from csdesk.migrations import append_only, change_feed

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("catalogue", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("original", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_entries")),
    )
    with op.batch_alter_table("knowledge_entries", schema=None) as batch_op:
        batch_op.create_index("ix_knowledge_entries_catalogue_title", ["catalogue", "title"], unique=False)

    op.create_table(
        "shift_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("ends_next_day", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_definitions")),
        sa.UniqueConstraint("code", name=op.f("uq_shift_definitions_code")),
    )
    op.create_table(
        "squads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_squads")),
        sa.UniqueConstraint("name", name=op.f("uq_squads_name")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_number", sa.String(length=20), nullable=False),
        sa.Column("real_name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("grade", sa.String(length=32), nullable=False),
        sa.Column("squad_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("hire_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("emergency_contact", sa.String(length=200), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=True),
        sa.Column("failed_pin_count", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["squad_id"], ["squads.id"], name=op.f("fk_staff_squad_id_squads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("employee_number", name=op.f("uq_staff_employee_number")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index("ix_staff_squad_id_status", ["squad_id", "status"], unique=False)
    # squads and staff point at each other, so this link is added once both exist.
    with op.batch_alter_table("squads", schema=None) as batch_op:
        batch_op.create_foreign_key(op.f("fk_squads_leader_id_staff"), "staff", ["leader_id"], ["id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=60), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["staff.id"], name=op.f("fk_audit_log_actor_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_log_entity_entity_id", ["entity", "entity_id"], unique=False)

    op.create_table(
        "duties_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("squad_id", sa.Integer(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["done_by_id"], ["staff.id"], name=op.f("fk_duties_done_done_by_id_staff")),
        sa.ForeignKeyConstraint(["squad_id"], ["squads.id"], name=op.f("fk_duties_done_squad_id_squads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duties_done")),
        sa.UniqueConstraint("duty", "period_start", "squad_id", name=op.f("uq_duties_done_duty_period_start_squad_id")),
    )
    op.create_table(
        "handover_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("squad_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("from_shift_id", sa.Integer(), nullable=False),
        sa.Column("outgoing_id", sa.Integer(), nullable=False),
        sa.Column("incoming_id", sa.Integer(), nullable=True),
        sa.Column("equipment", sa.Text(), nullable=False),
        sa.Column("complaints", sa.Text(), nullable=False),
        sa.Column("events", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["staff.id"], name=op.f("fk_handover_logs_acknowledged_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["from_shift_id"], ["shift_definitions.id"], name=op.f("fk_handover_logs_from_shift_id_shift_definitions")
        ),
        sa.ForeignKeyConstraint(["incoming_id"], ["staff.id"], name=op.f("fk_handover_logs_incoming_id_staff")),
        sa.ForeignKeyConstraint(["outgoing_id"], ["staff.id"], name=op.f("fk_handover_logs_outgoing_id_staff")),
        sa.ForeignKeyConstraint(["squad_id"], ["squads.id"], name=op.f("fk_handover_logs_squad_id_squads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_logs")),
    )
    with op.batch_alter_table("handover_logs", schema=None) as batch_op:
        batch_op.create_index("ix_handover_logs_squad_id_written_at", ["squad_id", "written_at"], unique=False)

    op.create_table(
        "knowledge_state_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["staff.id"], name=op.f("fk_knowledge_state_changes_actor_id_staff")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["knowledge_entries.id"], name=op.f("fk_knowledge_state_changes_entry_id_knowledge_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_state_changes")),
    )
    with op.batch_alter_table("knowledge_state_changes", schema=None) as batch_op:
        batch_op.create_index("ix_knowledge_state_changes_entry_id_at", ["entry_id", "at"], unique=False)

    op.create_table(
        "leave_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        sa.Column("leave_type", sa.String(length=32), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("has_certificate", sa.Boolean(), nullable=False),
        sa.Column("phoned_leader", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["filed_by_id"], ["staff.id"], name=op.f("fk_leave_requests_filed_by_id_staff")),
        sa.ForeignKeyConstraint(["requester_id"], ["staff.id"], name=op.f("fk_leave_requests_requester_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_requests")),
    )
    with op.batch_alter_table("leave_requests", schema=None) as batch_op:
        batch_op.create_index("ix_leave_requests_requester_id_starts_at", ["requester_id", "starts_at"], unique=False)
        batch_op.create_index("ix_leave_requests_status_starts_at", ["status", "starts_at"], unique=False)

    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("rule_id", sa.String(length=16), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_cents <> 0", name=op.f("ck_ledger_amount_not_zero")),
        sa.ForeignKeyConstraint(["approver_id"], ["staff.id"], name=op.f("fk_ledger_approver_id_staff")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["staff.id"], name=op.f("fk_ledger_recorded_by_id_staff")),
        sa.ForeignKeyConstraint(["reverses_id"], ["ledger.id"], name=op.f("fk_ledger_reverses_id_ledger")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_ledger_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_ledger_reverses_id")),
    )
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_at", ["at"], unique=False)
        batch_op.create_index("ix_ledger_staff_id_at", ["staff_id", "at"], unique=False)

    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["staff.id"], name=op.f("fk_notices_author_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_published_at"), ["published_at"], unique=False)

    op.create_table(
        "roll_call_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("squad_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["leader_id"], ["staff.id"], name=op.f("fk_roll_call_sessions_leader_id_staff")),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shift_definitions.id"], name=op.f("fk_roll_call_sessions_shift_id_shift_definitions")
        ),
        sa.ForeignKeyConstraint(["squad_id"], ["squads.id"], name=op.f("fk_roll_call_sessions_squad_id_squads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roll_call_sessions")),
        sa.UniqueConstraint(
            "squad_id", "work_date", "shift_id", name=op.f("uq_roll_call_sessions_squad_id_work_date_shift_id")
        ),
    )
    with op.batch_alter_table("roll_call_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_roll_call_sessions_work_date_shift_id", ["work_date", "shift_id"], unique=False)

    op.create_table(
        "roster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("holiday_duty", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shift_definitions.id"], name=op.f("fk_roster_shift_id_shift_definitions")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_roster_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster")),
        sa.UniqueConstraint("staff_id", "work_date", "shift_id", name=op.f("uq_roster_staff_id_work_date_shift_id")),
    )
    with op.batch_alter_table("roster", schema=None) as batch_op:
        batch_op.create_index("ix_roster_work_date_shift_id", ["work_date", "shift_id"], unique=False)

    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("customer_name", sa.String(length=120), nullable=False),
        sa.Column("customer_contact", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_reply_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sla_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("special_request", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["staff.id"], name=op.f("fk_tickets_owner_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index("ix_tickets_owner_id_status", ["owner_id", "status"], unique=False)
        batch_op.create_index("ix_tickets_received_at", ["received_at"], unique=False)
        batch_op.create_index("ix_tickets_status_sla_due", ["status", "sla_due"], unique=False)

    op.create_table(
        "training_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intern_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["intern_id"], ["staff.id"], name=op.f("fk_training_checkins_intern_id_staff")),
        sa.ForeignKeyConstraint(["mentor_id"], ["staff.id"], name=op.f("fk_training_checkins_mentor_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_checkins")),
    )
    with op.batch_alter_table("training_checkins", schema=None) as batch_op:
        batch_op.create_index("ix_training_checkins_intern_id_at", ["intern_id", "at"], unique=False)

    op.create_table(
        "training_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intern_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["intern_id"], ["staff.id"], name=op.f("fk_training_logs_intern_id_staff")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["staff.id"], name=op.f("fk_training_logs_recorded_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_logs")),
    )
    with op.batch_alter_table("training_logs", schema=None) as batch_op:
        batch_op.create_index("ix_training_logs_intern_id_work_date", ["intern_id", "work_date"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=True),
        sa.Column("clock_in", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clock_out", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("minutes_late", sa.Integer(), nullable=False),
        sa.Column("leave_type", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["roster_id"], ["roster.id"], name=op.f("fk_attendance_roster_id_roster")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_attendance_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("roster_id", name=op.f("uq_attendance_roster_id")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index("ix_attendance_staff_id_clock_in", ["staff_id", "clock_in"], unique=False)

    op.create_table(
        "handover_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["log_id"], ["handover_logs.id"], name=op.f("fk_handover_items_log_id_handover_logs")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_handover_items_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_items")),
    )
    with op.batch_alter_table("handover_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handover_items_log_id"), ["log_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_handover_items_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["staff.id"], name=op.f("fk_inspections_agent_id_staff")),
        sa.ForeignKeyConstraint(["inspector_id"], ["staff.id"], name=op.f("fk_inspections_inspector_id_staff")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_inspections_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index("ix_inspections_agent_id_at", ["agent_id", "at"], unique=False)

    op.create_table(
        "leave_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["approver_id"], ["staff.id"], name=op.f("fk_leave_approvals_approver_id_staff")),
        sa.ForeignKeyConstraint(
            ["request_id"], ["leave_requests.id"], name=op.f("fk_leave_approvals_request_id_leave_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_approvals")),
        sa.UniqueConstraint("request_id", "level", name=op.f("uq_leave_approvals_request_id_level")),
    )
    op.create_table(
        "memo_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reward_entry_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["staff.id"], name=op.f("fk_memo_suggestions_author_id_staff")),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["staff.id"], name=op.f("fk_memo_suggestions_reviewed_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["reward_entry_id"], ["ledger.id"], name=op.f("fk_memo_suggestions_reward_entry_id_ledger")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memo_suggestions")),
    )
    with op.batch_alter_table("memo_suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memo_suggestions_author_id"), ["author_id"], unique=False)
        batch_op.create_index("ix_memo_suggestions_status_written_at", ["status", "written_at"], unique=False)

    op.create_table(
        "notice_acks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], name=op.f("fk_notice_acks_notice_id_notices")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_notice_acks_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_acks")),
        sa.UniqueConstraint("notice_id", "staff_id", name=op.f("uq_notice_acks_notice_id_staff_id")),
    )
    with op.batch_alter_table("notice_acks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_acks_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "return_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_return_visits_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_visits")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_return_visits_ticket_id")),
    )
    with op.batch_alter_table("return_visits", schema=None) as batch_op:
        batch_op.create_index("ix_return_visits_done_at_due_at", ["done_at", "due_at"], unique=False)

    op.create_table(
        "roll_call_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minutes_late", sa.Integer(), nullable=False),
        sa.Column("rule_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["roll_call_sessions.id"], name=op.f("fk_roll_call_entries_session_id_roll_call_sessions")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_roll_call_entries_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roll_call_entries")),
        sa.UniqueConstraint("session_id", "staff_id", name=op.f("uq_roll_call_entries_session_id_staff_id")),
    )
    with op.batch_alter_table("roll_call_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roll_call_entries_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "swap_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("requester_roster_id", sa.Integer(), nullable=False),
        sa.Column("partner_roster_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["staff.id"], name=op.f("fk_swap_requests_partner_id_staff")),
        sa.ForeignKeyConstraint(
            ["partner_roster_id"], ["roster.id"], name=op.f("fk_swap_requests_partner_roster_id_roster")
        ),
        sa.ForeignKeyConstraint(["requester_id"], ["staff.id"], name=op.f("fk_swap_requests_requester_id_staff")),
        sa.ForeignKeyConstraint(
            ["requester_roster_id"], ["roster.id"], name=op.f("fk_swap_requests_requester_roster_id_roster")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_requests")),
    )
    with op.batch_alter_table("swap_requests", schema=None) as batch_op:
        batch_op.create_index("ix_swap_requests_partner_id_filed_at", ["partner_id", "filed_at"], unique=False)
        batch_op.create_index("ix_swap_requests_requester_id_filed_at", ["requester_id", "filed_at"], unique=False)

    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["staff.id"], name=op.f("fk_ticket_events_actor_id_staff")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_events_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_events")),
    )
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_events_ticket_id_at", ["ticket_id", "at"], unique=False)

    op.create_table(
        "away_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attendance_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("permitted", sa.Boolean(), nullable=False),
        sa.Column("permitted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attendance_id"], ["attendance.id"], name=op.f("fk_away_periods_attendance_id_attendance")
        ),
        sa.ForeignKeyConstraint(["permitted_by_id"], ["staff.id"], name=op.f("fk_away_periods_permitted_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_away_periods")),
    )
    with op.batch_alter_table("away_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_away_periods_attendance_id"), ["attendance_id"], unique=False)

    op.create_table(
        "contact_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_visit_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["staff.id"], name=op.f("fk_contact_attempts_actor_id_staff")),
        sa.ForeignKeyConstraint(
            ["return_visit_id"], ["return_visits.id"], name=op.f("fk_contact_attempts_return_visit_id_return_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_attempts")),
    )
    with op.batch_alter_table("contact_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_attempts_return_visit_id"), ["return_visit_id"], unique=False)

    op.create_table(
        "swap_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=32), nullable=False),
        sa.Column("squad_id", sa.Integer(), nullable=True),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["approver_id"], ["staff.id"], name=op.f("fk_swap_approvals_approver_id_staff")),
        sa.ForeignKeyConstraint(
            ["request_id"], ["swap_requests.id"], name=op.f("fk_swap_approvals_request_id_swap_requests")
        ),
        sa.ForeignKeyConstraint(["squad_id"], ["squads.id"], name=op.f("fk_swap_approvals_squad_id_squads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_approvals")),
        sa.UniqueConstraint("request_id", "side", name=op.f("uq_swap_approvals_request_id_side")),
    )

    append_only.install(op)
    change_feed.install(op)  # PostgreSQL only


def downgrade() -> None:
    change_feed.remove(op)
    append_only.remove(op)
    op.drop_table("swap_approvals")
    with op.batch_alter_table("contact_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_attempts_return_visit_id"))

    op.drop_table("contact_attempts")
    with op.batch_alter_table("away_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_away_periods_attendance_id"))

    op.drop_table("away_periods")
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_events_ticket_id_at")

    op.drop_table("ticket_events")
    with op.batch_alter_table("swap_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_swap_requests_requester_id_filed_at")
        batch_op.drop_index("ix_swap_requests_partner_id_filed_at")

    op.drop_table("swap_requests")
    with op.batch_alter_table("roll_call_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roll_call_entries_staff_id"))

    op.drop_table("roll_call_entries")
    with op.batch_alter_table("return_visits", schema=None) as batch_op:
        batch_op.drop_index("ix_return_visits_done_at_due_at")

    op.drop_table("return_visits")
    with op.batch_alter_table("notice_acks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_acks_staff_id"))

    op.drop_table("notice_acks")
    with op.batch_alter_table("memo_suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_memo_suggestions_status_written_at")
        batch_op.drop_index(batch_op.f("ix_memo_suggestions_author_id"))

    op.drop_table("memo_suggestions")
    op.drop_table("leave_approvals")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index("ix_inspections_agent_id_at")

    op.drop_table("inspections")
    with op.batch_alter_table("handover_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_items_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_handover_items_log_id"))

    op.drop_table("handover_items")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_staff_id_clock_in")

    op.drop_table("attendance")
    with op.batch_alter_table("training_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_training_logs_intern_id_work_date")

    op.drop_table("training_logs")
    with op.batch_alter_table("training_checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_training_checkins_intern_id_at")

    op.drop_table("training_checkins")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_status_sla_due")
        batch_op.drop_index("ix_tickets_received_at")
        batch_op.drop_index("ix_tickets_owner_id_status")

    op.drop_table("tickets")
    with op.batch_alter_table("roster", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_work_date_shift_id")

    op.drop_table("roster")
    with op.batch_alter_table("roll_call_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_roll_call_sessions_work_date_shift_id")

    op.drop_table("roll_call_sessions")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_published_at"))

    op.drop_table("notices")
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_staff_id_at")
        batch_op.drop_index("ix_ledger_at")

    op.drop_table("ledger")
    with op.batch_alter_table("leave_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_leave_requests_status_starts_at")
        batch_op.drop_index("ix_leave_requests_requester_id_starts_at")

    op.drop_table("leave_requests")
    with op.batch_alter_table("knowledge_state_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_knowledge_state_changes_entry_id_at")

    op.drop_table("knowledge_state_changes")
    with op.batch_alter_table("handover_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_handover_logs_squad_id_written_at")

    op.drop_table("handover_logs")
    op.drop_table("duties_done")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity_entity_id")
        batch_op.drop_index("ix_audit_log_at")

    op.drop_table("audit_log")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_squad_id_status")

    with op.batch_alter_table("squads", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_squads_leader_id_staff"), type_="foreignkey")

    op.drop_table("staff")
    op.drop_table("squads")
    op.drop_table("shift_definitions")
    with op.batch_alter_table("knowledge_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_knowledge_entries_catalogue_title")

    op.drop_table("knowledge_entries")
