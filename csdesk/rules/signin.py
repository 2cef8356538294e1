"""ST-2: how wrong PINs lock an account, whoever's number was typed.

The same arithmetic runs for a real account and for a number nobody holds, so
neither the wording nor the timing of a lockout tells which numbers exist.
Each lockout lasts longer than the one before; after the policy's number of
lockouts in a row, only a leader's PIN reset opens the account again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision


@dataclass(frozen=True)
class Guesses:
    """What a number's wrong PINs have added up to so far."""

    failed: int = 0
    lockouts: int = 0
    locked_until: datetime | None = None


def check_guessing(guesses: Guesses, now: datetime, policy: Policy) -> Decision:
    """Whether a PIN may be tried for this number now."""
    if guesses.lockouts >= policy.sign_in.lockouts_before_reset:
        return Decision.refused(
            _("too many wrong PINs: ask your squad leader to reset your PIN"),
            "ST-2",
        )
    if guesses.locked_until is not None and now < guesses.locked_until:
        seconds = max(1, int((guesses.locked_until - now).total_seconds() + 0.999))
        return Decision.refused(
            _("too many wrong PINs: try again in {seconds} seconds").format(seconds=seconds), "ST-2"
        )
    return Decision.allowed(_("a PIN may be tried"), "ST-2")


# Past this, waiting longer changes nothing: by then a leader's reset is the way back.
LONGEST_LOCKOUT = timedelta(days=365)


def lockout_length(lockouts_before: int, policy: Policy) -> timedelta:
    """How long the next lockout lasts, after ``lockouts_before`` earlier ones in a row."""
    rules = policy.sign_in
    try:
        seconds = rules.first_lockout_seconds * rules.lockout_growth ** max(0, lockouts_before)
    except OverflowError:
        return LONGEST_LOCKOUT
    return min(timedelta(seconds=min(seconds, LONGEST_LOCKOUT.total_seconds())), LONGEST_LOCKOUT)


def after_wrong_pin(guesses: Guesses, now: datetime, policy: Policy) -> tuple[Guesses, Decision]:
    """The count after one more wrong PIN, and what the person is told."""
    rules = policy.sign_in
    failed = guesses.failed + 1
    if failed < rules.wrong_pins_before_lockout:
        return replace(guesses, failed=failed), Decision.refused(_("wrong employee number or PIN"), "ST-2")
    lockouts = guesses.lockouts + 1
    if lockouts >= rules.lockouts_before_reset:
        locked = Guesses(0, lockouts, None)
        return locked, check_guessing(locked, now, policy)
    length = lockout_length(guesses.lockouts, policy)
    reason = _("{n} wrong PINs: locked for {seconds} seconds").format(
        n=rules.wrong_pins_before_lockout, seconds=int(length.total_seconds())
    )
    return Guesses(0, lockouts, now + length), Decision.refused(reason, "ST-2")
