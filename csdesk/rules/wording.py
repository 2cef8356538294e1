"""The words rules' reasons share, in the language in force when a decision is made.

Vocabulary values stay the stored English codes; these are how people read
them ("squad_leader" -> "squad leader" / "班长"). Lists are joined the way the
language joins them ("a, b" / "a、b").
"""

from __future__ import annotations

from collections.abc import Iterable

from csdesk.i18n import N_, _
from csdesk.rules.vocab import Grade, LeaveType, Role, ShiftKind

_ROLES = {
    Role.AGENT: N_("agent"),
    Role.DEPUTY_LEADER: N_("deputy leader"),
    Role.SQUAD_LEADER: N_("squad leader"),
    Role.INSPECTOR: N_("inspector"),
    Role.DEPARTMENT_DIRECTOR: N_("department director"),
    Role.CENTRE_DIRECTOR: N_("centre director"),
}

# Reasons always speak of "<type> leave", so the whole phrase is one message.
_LEAVE_TYPES = {
    LeaveType.SICK: N_("sick leave"),
    LeaveType.PERSONAL: N_("personal leave"),
    LeaveType.SPECIAL: N_("special leave"),
    LeaveType.HOLIDAY: N_("holiday leave"),
    LeaveType.BUSINESS_TRIP: N_("business trip leave"),
}

_SHIFTS = {ShiftKind.DAY: N_("day shift"), ShiftKind.NIGHT: N_("night shift")}

_GRADES = {Grade.JUNIOR: N_("junior"), Grade.INTERMEDIATE: N_("intermediate"), Grade.SENIOR: N_("senior")}


def role_label(role: Role) -> str:
    return _(_ROLES[Role(role)])


def leave_label(leave_type: LeaveType) -> str:
    """"sick leave", "personal leave", ..."""
    return _(_LEAVE_TYPES[LeaveType(leave_type)])


def shift_label(kind: ShiftKind) -> str:
    """"day shift" or "night shift"."""
    return _(_SHIFTS[ShiftKind(kind)])


def grade_label(grade: Grade) -> str:
    return _(_GRADES[Grade(grade)])


def listing(items: Iterable[str]) -> str:
    """Items one after the other: "a, b, c"."""
    # Translators: the separator between items of a list inside a rule's reason.
    return _(", ").join(items)


def both(items: Iterable[str]) -> str:
    """Items that all apply: "a and b"."""
    # Translators: joins items that all apply, e.g. "phone and address".
    return _(" and ").join(items)
