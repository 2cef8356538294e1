"""Signing in with an employee number and PIN.

PINs are stored only as argon2 hashes and never logged or audited. Three
wrong PINs in a row lock the account for a minute; the counter and the lock
are columns on the staff row, so they hold across every desk process sharing
the database.
"""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import select

from csdesk.i18n import N_, _
from csdesk.models import Staff
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

MAX_FAILED_PINS = 3
LOCKOUT = timedelta(minutes=1)
PIN_LENGTHS = range(4, 9)

_hasher = PasswordHasher()


class AccountLocked(ServiceError):
    """Too many wrong PINs; try again after the lockout."""


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
    if not pin_hash:
        return False
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


_WRONG = N_("wrong employee number or PIN")


def sign_in(desk: Desk, employee_number: str, pin: str) -> Actor:
    """Returns the signed-in Actor, or raises with a plain reason.

    The failure is committed before raising, so the count survives the
    refusal; an unknown number and a wrong PIN give the same message.
    """
    number = (employee_number or "").strip()
    if not number:
        raise InvalidInput(_("enter your employee number"), field="employee_number")
    if not pin:
        raise InvalidInput(_("enter your PIN"), field="pin")

    refusal: ServiceError | None = None
    actor: Actor | None = None
    with desk.write() as session:
        staff = session.exec(select(Staff).where(Staff.employee_number == number)).first()
        now = desk.now()
        if staff is None:
            # Hash anyway so timing doesn't reveal which numbers exist.
            _pin_matches(_DUMMY_HASH, pin)
            refusal = ServiceError(_(_WRONG), field="pin")
        elif staff.status == StaffStatus.LEFT:
            refusal = PermissionDenied(
                _("employee {number} has left and cannot sign in").format(number=number), rule_ids=("ST-1",)
            )
        elif staff.locked_until is not None and now < staff.locked_until:
            seconds = max(1, int((staff.locked_until - now).total_seconds() + 0.999))
            refusal = AccountLocked(
                _("too many wrong PINs: try again in {seconds} seconds").format(seconds=seconds), field="pin"
            )
        elif staff.pin_hash is None:
            refusal = ServiceError(_("no PIN has been set for you yet: ask your squad leader"), field="pin")
        elif not _pin_matches(staff.pin_hash, pin):
            staff.failed_pin_count += 1
            if staff.failed_pin_count >= MAX_FAILED_PINS:
                staff.failed_pin_count = 0
                staff.locked_until = now + LOCKOUT
                audit(session, Actor.of(staff), "auth.locked", "staff", staff.id)
                refusal = AccountLocked(
                    _("{n} wrong PINs: locked for {seconds} seconds").format(
                        n=MAX_FAILED_PINS, seconds=int(LOCKOUT.total_seconds())
                    ),
                    field="pin",
                )
            else:
                # The count is a change of state like any other: leaders see the attempts.
                audit(
                    session,
                    Actor.of(staff),
                    "auth.wrong_pin",
                    "staff",
                    staff.id,
                    after={"failed_pin_count": staff.failed_pin_count},
                )
                refusal = ServiceError(_(_WRONG), field="pin")
            session.add(staff)
        else:
            staff.failed_pin_count = 0
            staff.locked_until = None
            if _hasher.check_needs_rehash(staff.pin_hash):
                staff.pin_hash = _hasher.hash(pin)
            session.add(staff)
            actor = Actor.of(staff)
            audit(session, actor, "auth.sign_in", "staff", staff.id)
    if refusal is not None:
        raise refusal
    assert actor is not None
    return actor


def set_pin(
    desk: Desk,
    actor: Actor,
    staff_id: int,
    new_pin: str,
    *,
    current_pin: str | None = None,
) -> None:
    """Sets a PIN. Your own needs your current PIN (if one is set); someone
    else's needs ``DeskAction.RESET_PIN``. Clears any lockout."""
    check_pin_format(new_pin, field="new_pin")
    own = staff_id == actor.staff_id
    if not own:
        require(actor, DeskAction.RESET_PIN)
    new_hash = _hasher.hash(new_pin)
    with desk.write() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise NotFound(_("no staff member with id {staff_id}").format(staff_id=staff_id))
        if own and staff.pin_hash is not None and not _pin_matches(staff.pin_hash, current_pin or ""):
            raise InvalidInput(_("the current PIN is wrong"), field="current_pin")
        staff.pin_hash = new_hash
        staff.failed_pin_count = 0
        staff.locked_until = None
        session.add(staff)
        audit(session, actor, "auth.set_pin", "staff", staff.id)


_DUMMY_HASH = _hasher.hash("000000")


def set_first_pin(desk: Desk, employee_number: str, new_pin: str) -> None:
    """Gives a PIN to someone who has none yet, e.g. after ``csdesk import staff``.

    Without it nobody in a freshly imported register could ever sign in. Anyone
    who already has a PIN must change it at the desk or be reset by a leader,
    so this cannot be used to take over an account.
    """
    check_pin_format(new_pin, field="new_pin")
    new_hash = _hasher.hash(new_pin)
    with desk.write() as session:
        staff = session.exec(select(Staff).where(Staff.employee_number == employee_number.strip())).first()
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
