"""Signing in with an employee number and PIN, and changing or resetting a PIN.

PINs are stored only as argon2 hashes and never logged or audited. The slow
hash check runs outside any write transaction, so a room of desks signing in
at shift start never holds up a claim; only the outcome is written, briefly.
Wrong PINs lock the account (``csdesk.rules.signin``); numbers nobody holds
are counted and locked the same way, so nothing tells which numbers exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from csdesk.i18n import _
from csdesk.models import Staff, UnknownSignIn
from csdesk.rules.decision import Decision
from csdesk.rules.identity import normalise_employee_number
from csdesk.rules.signin import Guesses, after_wrong_pin, check_guessing
from csdesk.rules.staff import PinHolder, check_pin_reset
from csdesk.rules.vocab import StaffStatus
from csdesk.services.base import (
    Actor,
    Desk,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    audit,
    require,
)
from csdesk.services.permissions import DeskAction

PIN_LENGTHS = range(4, 9)

# OWASP's argon2id setting of 12 MiB, 3 passes, 1 lane: one of its equivalent rows (as
# strong as 19 MiB and 2 passes, or 46 MiB and 1), taking the same time as those, and of
# them the one that adds least to a desk's peak memory at sign-in, where every MiB counts
# on a server holding a room of desks. Hashes made with other settings (the library's
# 64 MiB, this desk's earlier 19 MiB) are made again at their next sign-in.
_hasher = PasswordHasher(time_cost=3, memory_cost=12 * 1024, parallelism=1)


class AccountLocked(ServiceError):
    """Too many wrong PINs; try again after the lockout, or ask for a reset."""


class PinChangeRequired(ServiceError):
    """The PIN was right but someone else set it: its holder must choose a new one."""


def hash_pin(pin: str) -> str:
    check_pin_format(pin)
    return _hasher.hash(pin)


def check_pin_format(pin: str, field: str = "pin") -> None:
    if not isinstance(pin, str) or not pin.isdigit() or not pin.isascii():
        raise InvalidInput(_("a PIN is made of digits only"), field=field)
    if len(pin) not in PIN_LENGTHS:
        raise InvalidInput(
            _("a PIN has {start} to {stop_1} digits").format(start=PIN_LENGTHS.start, stop_1=PIN_LENGTHS.stop - 1),
            field=field,
        )


def _pin_matches(pin_hash: str | None, pin: str) -> bool:
    """Costs one argon2 check whether or not there is a hash to check against."""
    try:
        return _hasher.verify(pin_hash or _DUMMY_HASH, pin) and pin_hash is not None
    except (VerificationError, InvalidHashError):
        return False


# Longer than any real number: what is kept of a mistyped one.
_KEPT = 20


@dataclass(frozen=True)
class _Seen:
    """A number's account as read before the hash check (no lock held)."""

    staff_id: int | None
    pin_hash: str | None
    guesses: Guesses


def _guesses(row: Staff | UnknownSignIn | None) -> Guesses:
    if row is None:
        return Guesses()
    return Guesses(row.failed_pin_count, row.pin_lockouts, row.locked_until)


def _store(row: Staff | UnknownSignIn, guesses: Guesses) -> None:
    row.failed_pin_count = guesses.failed
    row.pin_lockouts = guesses.lockouts
    row.locked_until = guesses.locked_until


def _staff_by_number(session: Session, number: str) -> Staff | None:
    return session.exec(select(Staff).where(Staff.employee_number == number)).first()


def _unknown(session: Session, number: str) -> UnknownSignIn | None:
    return session.exec(select(UnknownSignIn).where(UnknownSignIn.employee_number == number[:_KEPT])).first()


def _look(desk: Desk, number: str) -> _Seen:
    with desk.read() as session:
        staff = _staff_by_number(session, number)
        if staff is not None:
            return _Seen(staff.id, staff.pin_hash, _guesses(staff))
        return _Seen(None, None, _guesses(_unknown(session, number)))


def _refuse_if_locked(decision: Decision, field: str) -> None:
    if not decision.ok:
        raise AccountLocked(decision.reason, field=field, rule_ids=decision.rule_ids)


def _count_wrong_pin(desk: Desk, session: Session, number: str, staff: Staff | None) -> tuple[bool, Decision]:
    """Adds one wrong PIN to the number's count, in the caller's short write;
    says whether that locked the account, and what to tell the person."""
    row: Staff | UnknownSignIn | None = staff
    if row is None:
        row = _unknown(session, number) or UnknownSignIn(employee_number=number[:_KEPT])
    row_lockouts = row.pin_lockouts
    guesses, decision = after_wrong_pin(_guesses(row), desk.now(), desk.policy)
    _store(row, guesses)
    session.add(row)
    locked = guesses.lockouts > row_lockouts
    if staff is not None:
        action = "auth.locked" if locked else "auth.wrong_pin"
        # The count is a change of state like any other: leaders see the attempts.
        audit(
            session,
            Actor.of(staff),
            action,
            "staff",
            staff.id,
            after={"failed_pin_count": guesses.failed, "pin_lockouts": guesses.lockouts},
        )
    return locked, decision


def _wrong(counted: tuple[bool, Decision], field: str, wording: str | None = None) -> ServiceError:
    locked, decision = counted
    if locked:
        return AccountLocked(decision.reason, field=field, rule_ids=decision.rule_ids)
    if wording is not None:
        return InvalidInput(wording, field=field)
    return ServiceError(decision.reason, field=field)


def sign_in(desk: Desk, employee_number: str, pin: str, *, new_pin: str | None = None) -> Actor:
    """Returns the signed-in Actor, or raises with a plain reason.

    A wrong PIN is committed before raising, so the count survives the refusal;
    an unknown number, a number without a PIN and a wrong PIN read, cost and
    lock alike. After a leader's reset the right PIN alone raises
    ``PinChangeRequired``: sign in again giving ``new_pin`` too.
    """
    number = normalise_employee_number(employee_number or "")
    if not number:
        raise InvalidInput(_("enter your employee number"), field="employee_number")
    if not pin:
        raise InvalidInput(_("enter your PIN"), field="pin")
    if new_pin is not None:
        check_pin_format(new_pin, field="new_pin")

    seen = _look(desk, number)
    _refuse_if_locked(check_guessing(seen.guesses, desk.now(), desk.policy), "pin")
    matches = _pin_matches(seen.pin_hash, pin)
    fresh_hash = _fresh_hash(seen.pin_hash, pin, new_pin) if matches else None

    refusal: ServiceError | None = None
    actor: Actor | None = None
    with desk.write() as session:
        staff = _staff_by_number(session, number)
        now = desk.now()
        if staff is not None and staff.id != seen.staff_id:
            staff = None  # registered while the PIN was checked: this attempt knew no hash
        current = _guesses(staff) if staff is not None else seen.guesses
        locked = check_guessing(current, now, desk.policy)
        if not locked.ok:
            refusal = AccountLocked(locked.reason, field="pin", rule_ids=locked.rule_ids)
        elif not matches or staff is None or staff.pin_hash != seen.pin_hash:
            refusal = _wrong(_count_wrong_pin(desk, session, number, staff), "pin")
        elif staff.status == StaffStatus.LEFT:
            refusal = PermissionDenied(
                _("employee {number} has left and cannot sign in").format(number=number), rule_ids=("ST-1",)
            )
        elif staff.pin_must_change and new_pin is None:
            refusal = PinChangeRequired(_("your PIN was reset: choose a new PIN"), field="new_pin", rule_ids=("ST-2",))
        elif new_pin is not None and new_pin == pin:
            refusal = InvalidInput(_("the new PIN must differ from the current one"), field="new_pin")
        else:
            _store(staff, Guesses())
            if fresh_hash is not None:
                staff.pin_hash = fresh_hash
            actor = Actor.of(staff)
            if new_pin is not None:
                staff.pin_must_change = False
                audit(session, actor, "auth.change_pin", "staff", staff.id)
            session.add(staff)
            audit(session, actor, "auth.sign_in", "staff", staff.id)
    if refusal is not None:
        raise refusal
    assert actor is not None
    return actor


def _fresh_hash(pin_hash: str | None, pin: str, new_pin: str | None) -> str | None:
    """The hash to store after a good PIN: the new PIN's, or the same PIN's on newer settings."""
    if new_pin is not None:
        return _hasher.hash(new_pin)
    if pin_hash is not None and _hasher.check_needs_rehash(pin_hash):
        return _hasher.hash(pin)
    return None


def change_pin(desk: Desk, actor: Actor, current_pin: str, new_pin: str) -> None:
    """Changes your own PIN. A wrong current PIN counts and locks exactly as at sign-in."""
    check_pin_format(new_pin, field="new_pin")
    if not current_pin:
        raise InvalidInput(_("enter your current PIN"), field="current_pin")
    if new_pin == current_pin:
        raise InvalidInput(_("the new PIN must differ from the current one"), field="new_pin")
    seen = _look(desk, actor.employee_number)
    if seen.staff_id != actor.staff_id:
        raise NotFound(_("no staff member with id {staff_id}").format(staff_id=actor.staff_id))
    _refuse_if_locked(check_guessing(seen.guesses, desk.now(), desk.policy), "current_pin")
    matches = _pin_matches(seen.pin_hash, current_pin)
    new_hash = _hasher.hash(new_pin) if matches else None

    refusal: ServiceError | None = None
    with desk.write() as session:
        staff = session.get(Staff, actor.staff_id)
        if staff is None:
            raise NotFound(_("no staff member with id {staff_id}").format(staff_id=actor.staff_id))
        locked = check_guessing(_guesses(staff), desk.now(), desk.policy)
        if not locked.ok:
            refusal = AccountLocked(locked.reason, field="current_pin", rule_ids=locked.rule_ids)
        elif new_hash is None or staff.pin_hash != seen.pin_hash:
            counted = _count_wrong_pin(desk, session, staff.employee_number, staff)
            refusal = _wrong(counted, "current_pin", _("the current PIN is wrong"))
        else:
            staff.pin_hash = new_hash
            staff.pin_must_change = False
            _store(staff, Guesses())
            session.add(staff)
            audit(session, actor, "auth.change_pin", "staff", staff.id)
    if refusal is not None:
        raise refusal


def reset_pin(desk: Desk, actor: Actor, staff_id: int, new_pin: str) -> None:
    """A leader sets a colleague's PIN (ST-2: own squad below them; directors, anyone
    below them). It opens a locked account and must be replaced at the next sign-in."""
    require(actor, DeskAction.RESET_PIN)
    check_pin_format(new_pin, field="new_pin")
    if staff_id == actor.staff_id:
        raise PermissionDenied(
            _("change your own PIN with the current one; nobody resets their own"), rule_ids=("ST-2",)
        )
    new_hash = _hasher.hash(new_pin)
    with desk.write() as session:
        staff = session.get(Staff, staff_id)
        by = session.get(Staff, actor.staff_id)
        if staff is None or by is None:
            raise NotFound(_("no staff member with id {staff_id}").format(staff_id=staff_id))
        assert staff.id is not None and by.id is not None
        # Role and squad as saved now, not as they were when the actor signed in.
        decision = check_pin_reset(
            PinHolder(by.id, by.role, by.squad_id), PinHolder(staff.id, staff.role, staff.squad_id)
        )
        if not decision.ok:
            raise PermissionDenied(decision.reason, rule_ids=decision.rule_ids)
        staff.pin_hash = new_hash
        staff.pin_must_change = True
        _store(staff, Guesses())
        session.add(staff)
        audit(session, actor, "auth.reset_pin", "staff", staff.id, after={"pin_must_change": True})


_DUMMY_HASH = _hasher.hash("000000")


def set_first_pin(desk: Desk, employee_number: str, new_pin: str) -> None:
    """Gives a PIN to someone who has none yet, e.g. after ``csdesk import staff``.

    Without it nobody in a freshly imported register could ever sign in. Anyone
    who already has a PIN must change it at the desk or be reset by a leader,
    so this cannot be used to take over an account.
    """
    check_pin_format(new_pin, field="new_pin")
    new_hash = _hasher.hash(new_pin)
    number = normalise_employee_number(employee_number)
    with desk.write() as session:
        staff = _staff_by_number(session, number)
        if staff is None:
            raise NotFound(
                _("no staff member with employee number {employee_number}").format(employee_number=employee_number)
            )
        if staff.pin_hash is not None:
            raise PermissionDenied(
                _(
                    "No. {employee_number} already has a PIN; change it at the desk, or have a squad leader reset it"
                ).format(employee_number=staff.employee_number)
            )
        staff.pin_hash = new_hash
        session.add(staff)
        audit(session, None, "auth.set_first_pin", "staff", staff.id)
