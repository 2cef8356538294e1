"""Guard the append-only tables against replace-style writes and protect the handover log.

SQLite's ``INSERT OR REPLACE`` deletes the row it collides with without
firing delete triggers, so a plain sqlite3 session could overwrite an audit
or ledger row: a BEFORE INSERT trigger now refuses a row whose key is taken.
The handover book joins the append-only records (HO-3): a log is never
deleted and takes only its acknowledgement, once; its items never change.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

from csdesk.migrations import append_only

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    append_only.install_guards(op)


def downgrade() -> None:
    append_only.remove_guards(op)
