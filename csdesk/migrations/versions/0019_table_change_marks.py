"""Tell desks which tables changed, not only that something did.

Every commit in the centre used to make every desk reload whatever it showed:
the queues' page and counts after someone clocked in, a ticket's timeline after a
fine was recorded. Each table now has a mark its own triggers bump in the writing
transaction; a desk reads the marks when the database moves and reloads only a
screen that shows a table whose mark moved (``csdesk.migrations.change_feed``).

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

from alembic import op

from csdesk.migrations import change_feed

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    change_feed.add_marks(op)


def downgrade() -> None:
    change_feed.remove_marks(op)
