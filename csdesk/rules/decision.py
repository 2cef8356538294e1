"""The one shape every rule answers with, so a leader can always ask "why?"."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from csdesk.rules.vocab import Role


class Outcome(StrEnum):
    ALLOWED = "allowed"
    NEEDS_APPROVAL = "needs approval"
    REFUSED = "refused"
    VIOLATION = "violation"
    # Allowed, but shown and kept: late by less than the limit, a missed
    # certificate still on its way, an open email at handover.
    WARNING = "warning"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    rule_ids: tuple[str, ...]
    reason: str
    # Ordered: the first role approves first, and no level may be skipped (LV-3).
    approvers: tuple[Role, ...] = field(default=())
    # Whom to tell afterwards, e.g. the superiors skipped in an emergency (TK-11).
    inform: tuple[Role, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """The action may go ahead now (a warning goes ahead and is shown)."""
        return self.outcome in (Outcome.ALLOWED, Outcome.WARNING)

    def __str__(self) -> str:
        ids = ", ".join(self.rule_ids)
        return f"{ids}: {self.reason}" if ids else self.reason

    @classmethod
    def allowed(cls, reason: str, *rule_ids: str) -> Decision:
        return cls(Outcome.ALLOWED, rule_ids, reason)

    @classmethod
    def refused(cls, reason: str, *rule_ids: str) -> Decision:
        return cls(Outcome.REFUSED, rule_ids, reason)

    @classmethod
    def violation(cls, reason: str, *rule_ids: str) -> Decision:
        return cls(Outcome.VIOLATION, rule_ids, reason)

    @classmethod
    def warning(cls, reason: str, *rule_ids: str) -> Decision:
        return cls(Outcome.WARNING, rule_ids, reason)

    @classmethod
    def needs_approval(cls, reason: str, approvers: tuple[Role, ...], *rule_ids: str) -> Decision:
        return cls(Outcome.NEEDS_APPROVAL, rule_ids, reason, approvers)
