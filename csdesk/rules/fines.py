"""Fines, rewards and the open department fund (FN-1..FN-10, HO-5, TK-13).

Amounts are whole units of the policy's currency. Escalating offences are
counted per person per calendar month in the centre's time zone (FN-10), so
an offence at 00:30 on the 1st starts a fresh count even if the shift it
happened in began the evening before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from csdesk.formats import currency_name
from csdesk.i18n import _
from csdesk.policy import EscalatingFine, Policy
from csdesk.rules.decision import Decision, Outcome
from csdesk.rules.discipline import dismissal_review
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.vocabulary import role_label


class Offence(StrEnum):
    HANDOVER = "handover"  # FN-1 / HO-5
    COMPLAINT = "complaint"  # FN-3
    NON_WORK = "non_work"  # FN-4
    DESK_NOT_CLEAN = "desk_not_clean"  # FN-5
    CONTACT_DISCLOSURE = "contact_disclosure"  # FN-6


OFFENCE_RULES: dict[Offence, tuple[str, ...]] = {
    Offence.HANDOVER: ("FN-1", "HO-5"),
    Offence.COMPLAINT: ("FN-3",),
    Offence.NON_WORK: ("FN-4",),
    Offence.DESK_NOT_CLEAN: ("FN-5",),
    Offence.CONTACT_DISCLOSURE: ("FN-6", "ST-6"),
}

ESCALATING = frozenset({Offence.HANDOVER, Offence.COMPLAINT})

# FN-9: "the department manager" of the source is the department director here.
MANAGER = Role.DEPARTMENT_DIRECTOR


@dataclass(frozen=True)
class FineAssessment:
    offence: Offence
    nth_this_month: int
    amount: int
    dismissal_review: bool
    decision: Decision


def count_this_month(earlier: Iterable[datetime], at: datetime, zone: ZoneInfo) -> int:
    """FN-10: earlier offences in the same calendar month as `at`, in the centre's zone."""
    local = at.astimezone(zone)
    return sum(1 for moment in earlier if (m := moment.astimezone(zone)).year == local.year and m.month == local.month)


def _escalating_amount(fine: EscalatingFine, nth: int) -> int:
    # The third and later offences keep doubling: more offences never cost less.
    return fine.amount * fine.multiplier ** (nth - 1)


def assess_fine(offence: Offence, earlier_this_month: int, policy: Policy) -> FineAssessment:
    """The fine for one more offence, given how many of that rule this person already has this month."""
    offence = Offence(offence)
    rule_ids = OFFENCE_RULES[offence]
    nth = earlier_this_month + 1
    currency = currency_name(policy.centre.currency)
    if offence in ESCALATING:
        fine: EscalatingFine = getattr(policy.fines, offence.value)
        amount = _escalating_amount(fine, nth)
        review = dismissal_review(nth, fine.dismissal_review_at, rule_ids[0])
        if review.outcome is Outcome.VIOLATION:
            decision = Decision(
                Outcome.VIOLATION,
                rule_ids + tuple(r for r in review.rule_ids if r not in rule_ids),
                _("fine {amount} {currency}; {review}").format(amount=amount, currency=currency, review=review.reason),
                inform=review.inform,
            )
            return FineAssessment(offence, nth, amount, True, decision)
        if nth == 1:
            text = _("fine {amount} {currency} (first offence this month)")
        elif nth == 2:
            text = _("fine {amount} {currency} (second offence this month)")
        else:
            text = _("fine {amount} {currency} (number {nth} offence this month)")
        decision = Decision(
            Outcome.VIOLATION,
            rule_ids + ("FN-10",),
            text.format(amount=amount, currency=currency, nth=nth),
        )
        return FineAssessment(offence, nth, amount, False, decision)
    amount = getattr(policy.fines, offence.value).amount
    decision = Decision(
        Outcome.VIOLATION, rule_ids, _("fine {amount} {currency} each time").format(amount=amount, currency=currency)
    )
    return FineAssessment(offence, nth, amount, False, decision)


def greeting_delay_fine(waited: timedelta, policy: Policy) -> int:
    """FN-2, TK-13: each started period past the grace costs the amount (31 s -> 5, 61 s -> 10)."""
    rule = policy.fines.greeting_delay
    over = waited.total_seconds() - rule.grace_seconds
    if over <= 0:
        return 0
    return math.ceil(over / rule.per_seconds) * rule.amount


def check_greeting_delay(waited: timedelta, policy: Policy) -> Decision:
    amount = greeting_delay_fine(waited, policy)
    seconds = int(waited.total_seconds())
    if not amount:
        return Decision.allowed(_("greeted after {seconds} s").format(seconds=seconds), "TK-13", "FN-2")
    return Decision.violation(
        _("greeted after {seconds} s: fine {amount} {currency}").format(
            seconds=seconds, amount=amount, currency=currency_name(policy.centre.currency)
        ),
        "TK-13",
        "FN-2",
    )


def check_reward(amount: int, policy: Policy) -> Decision:
    """FN-7: an adopted suggestion earns a reward within the policy's range."""
    low, high = policy.rewards.min_amount, policy.rewards.max_amount
    if low <= amount <= high:
        return Decision.allowed(
            _("reward {amount} {currency}").format(amount=amount, currency=currency_name(policy.centre.currency)),
            "FN-7",
            "DS-4",
        )
    return Decision.refused(
        _("a suggestion reward is between {low} and {high} {currency}, got {amount}").format(
            low=low, high=high, currency=currency_name(policy.centre.currency), amount=amount
        ),
        "FN-7",
    )


def check_custom_entry(approver_role: Role | None, reason: str, amount: int) -> Decision:
    """FN-9: a fine or reward the rules don't cover needs the manager's approval and a reason."""
    if amount <= 0:
        return Decision.refused(_("the amount must be more than 0"), "FN-9")
    if not reason.strip():
        return Decision.refused(_("a custom fine or reward must give a reason"), "FN-9")
    if approver_role not in (MANAGER, Role.CENTRE_DIRECTOR):
        return Decision.needs_approval(
            _("a fine or reward not covered by the rules is decided by the department manager"),
            (MANAGER,),
            "FN-9",
        )
    return Decision.allowed(_("custom entry approved by the manager"), "FN-9")


@dataclass(frozen=True)
class LedgerEntry:
    """FN-8: one movement of the fund. Amounts are positive; the kind gives the direction."""

    id: int
    kind: LedgerKind
    amount: int
    reverses: int | None = None  # the entry a REVERSAL undoes


_SIGN = {LedgerKind.FINE: 1, LedgerKind.REWARD: -1, LedgerKind.SPENDING: -1}


def entry_effect(entry: LedgerEntry, by_id: dict[int, LedgerEntry]) -> int:
    """What one entry does to the balance; a reversal undoes the entry it names."""
    if entry.kind is LedgerKind.REVERSAL:
        target = by_id.get(entry.reverses) if entry.reverses is not None else None
        if target is None or target.kind is LedgerKind.REVERSAL:
            raise ValueError(f"ledger entry {entry.id} reverses an unknown or reversal entry")
        return -_SIGN[target.kind] * target.amount
    return _SIGN[entry.kind] * entry.amount


def fund_balance(entries: Iterable[LedgerEntry]) -> int:
    """FN-8: the fund's balance: fines in, rewards and spending out, reversals undone."""
    listed = list(entries)
    by_id = {e.id: e for e in listed}
    return sum(entry_effect(e, by_id) for e in listed)


def check_reversal(target: LedgerEntry, already_reversed: Iterable[int]) -> Decision:
    """FN-8: the ledger is append-only; mistakes are corrected by one reversal entry."""
    if target.kind is LedgerKind.REVERSAL:
        return Decision.refused(_("a reversal cannot itself be reversed; record a new entry"), "FN-8")
    if target.id in set(already_reversed):
        return Decision.refused(_("entry {id} is already reversed").format(id=target.id), "FN-8")
    return Decision.allowed(
        _("entry {id} reversed by a new entry; the original stays visible").format(id=target.id), "FN-8"
    )


def check_spending(amount: int, purpose: str, approved_by: Role | None, balance: int) -> Decision:
    """FN-8: spending is for department activities and is recorded with who approved it."""
    if amount <= 0:
        return Decision.refused(_("the amount must be more than 0"), "FN-8")
    if not purpose.strip():
        return Decision.refused(_("spending must say which department activity it is for"), "FN-8")
    if approved_by is None or not approved_by.is_leader:
        return Decision.needs_approval(_("spending from the fund needs a recorded approval"), (MANAGER,), "FN-8")
    covered = check_fund_covers(amount, balance)
    if not covered.ok:
        return covered
    return Decision.allowed(_("spending approved by the {role}").format(role=role_label(approved_by)), "FN-8")


def check_fund_covers(amount: int, balance: int) -> Decision:
    """FN-8: money leaving the fund (spending, FN-7 and FN-9 rewards) is paid from what fines
    put in, so the fund never goes below zero: taking exactly the balance is allowed."""
    if amount > balance:
        return Decision.refused(
            _("the fund holds {balance}, less than {amount}").format(balance=balance, amount=amount), "FN-8"
        )
    return Decision.allowed(
        _("the fund holds {balance}, enough for {amount}").format(balance=balance, amount=amount), "FN-8"
    )
