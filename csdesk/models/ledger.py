"""FN-8: one append-only ledger for fines, rewards, fund spending and reversals.

Rows are never updated or deleted (database triggers refuse it); a mistake is
corrected by a REVERSAL row pointing at the entry it cancels.

``amount_cents`` is signed as it moves the fund balance (see
``csdesk.models.money`` for the unit): a fine is positive, a reward and
spending are negative, and a reversal is the negation of the entry it
reverses. The fund balance is therefore ``SUM(amount_cents)``.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

import csdesk.models.staff  # noqa: F401 - its tables are this module's foreign keys
from csdesk.models.base import aware_field, enum_field
from csdesk.rules.vocab import LedgerKind


class LedgerEntry(SQLModel, table=True):
    __tablename__ = "ledger"
    __table_args__ = (
        CheckConstraint("amount_cents <> 0", name="amount_not_zero"),
        Index("ix_ledger_at", "at"),
        Index("ix_ledger_staff_id_at", "staff_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: LedgerKind = enum_field(LedgerKind)
    # None for fund spending, which is not charged to a person.
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    rule_id: str | None = Field(default=None, max_length=16)
    amount_cents: int
    reason: str = Field(default="", sa_type=Text)
    approver_id: int | None = Field(default=None, foreign_key="staff.id")
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")
    # One reversal per entry at most.
    reverses_id: int | None = Field(default=None, foreign_key="ledger.id", unique=True)
    at: datetime = aware_field()
