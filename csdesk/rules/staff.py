"""Staff: roles and permissions, the register, grades and interns (ST-1..ST-5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from csdesk.i18n import N_, _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision
from csdesk.rules.vocab import Grade, Role, StaffStatus
from csdesk.rules.wording import both, listing
from csdesk.vocabulary import grade_label, role_label

_DIRECTORS = frozenset({Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR})
_SQUAD_UP = frozenset({Role.SQUAD_LEADER}) | _DIRECTORS
_LEADERS = frozenset({Role.DEPUTY_LEADER}) | _SQUAD_UP
_EVERYONE = frozenset(Role)


class Action(StrEnum):
    """ST-2: what the desk checks a role for; values are stable for logs.

    Each value is also the English wording of the action (``action_label``).
    """

    APPROVE_LEAVE = N_("approve leave")
    APPROVE_SWAP = N_("approve swap")
    CHANGE_ROSTER = N_("change roster")
    RUN_ROLL_CALL = N_("run roll call")
    RECORD_FINE = N_("record fine")
    RECORD_REWARD = N_("record reward")
    DECIDE_CUSTOM_FINE = N_("decide custom fine or reward")
    RECORD_SPENDING = N_("record fund spending")
    REVERSE_LEDGER_ENTRY = N_("reverse ledger entry")
    EXPORT_ATTENDANCE = N_("export attendance")
    CORRECT_ATTENDANCE = N_("correct a missed clock-in or clock-out")
    APPROVE_SHORT_WEEK = N_("approve a week short of the minimum hours")
    EXPORT_CUSTOMER_DATA = N_("export customer data")
    SEE_UNMASKED_CONTACT = N_("see unmasked contact details")
    SEE_COLLEAGUE_CONTACT = N_("see colleagues' contact details")
    MANAGE_STAFF = N_("register or archive staff")
    CONVERT_INTERN = N_("convert an intern")
    RECORD_QA_SAMPLE = N_("record quality sample")
    RECORD_SPOT_CHECK = N_("record the daily quality spot-check")
    SEE_QUALITY_SHEETS = N_("see quality score sheets")
    PUBLISH_NOTICE = N_("publish notice")
    EDIT_KNOWLEDGE = N_("edit knowledge base")
    WRITE_HANDOVER = N_("write handover")
    FILE_LEAVE = N_("file leave")
    SEE_FUND = N_("see the department fund")
    SEE_DISMISSAL_REVIEWS = N_("see dismissal reviews")
    SEE_EVALUATION = N_("see the monthly evaluation")
    RECORD_TYPING_TEST = N_("record typing test results")


class DeskAction(StrEnum):
    """Actions of the desk itself, which no policy rule speaks of but ST-2 (resetting a
    PIN, reading the audit log, maintaining the database).

    Each value is also the English wording of the action (``action_label``).
    """

    RESET_PIN = N_("reset a colleague's PIN")
    TRANSFER_TICKET = N_("transfer a ticket to someone else")
    RECORD_TRAINING = N_("record intern training")
    MARK_DUTY_DONE = N_("mark a recurring duty done")
    REVIEW_SUGGESTION = N_("review memo-book suggestions")
    SEE_AUDIT_LOG = N_("see the audit log")
    MAINTAIN_DATABASE = N_("back up or upgrade the database")
    KEEP_CANNED_REPLIES = N_("keep the agreed reply wording")


# ST-2: the one table of who may do what. Roles allowed each action, and the rule
# that says so (ST-2 itself for the desk's own actions); services, screens and the
# palette all ask it, through ``can`` and ``who_may``.
PERMISSIONS: dict[Action | DeskAction, tuple[frozenset[Role], str]] = {
    Action.APPROVE_LEAVE: (_SQUAD_UP, "LV-3"),
    Action.APPROVE_SWAP: (_SQUAD_UP, "SW-1"),
    Action.CHANGE_ROSTER: (_SQUAD_UP, "SC-2"),
    Action.RUN_ROLL_CALL: (_LEADERS, "AT-1"),
    Action.RECORD_FINE: (_SQUAD_UP, "FN-8"),
    Action.RECORD_REWARD: (_SQUAD_UP, "FN-7"),
    Action.DECIDE_CUSTOM_FINE: (_DIRECTORS, "FN-9"),
    Action.RECORD_SPENDING: (_DIRECTORS, "FN-8"),
    Action.REVERSE_LEDGER_ENTRY: (_DIRECTORS, "FN-8"),
    Action.EXPORT_ATTENDANCE: (_LEADERS, "AT-5"),
    Action.CORRECT_ATTENDANCE: (_LEADERS, "AT-5"),
    Action.APPROVE_SHORT_WEEK: (_DIRECTORS, "AT-4"),
    Action.EXPORT_CUSTOMER_DATA: (_LEADERS, "TK-15"),
    Action.SEE_UNMASKED_CONTACT: (_LEADERS, "TK-15"),
    Action.SEE_COLLEAGUE_CONTACT: (_LEADERS, "ST-6"),
    Action.MANAGE_STAFF: (_DIRECTORS, "ST-1"),
    Action.CONVERT_INTERN: (_DIRECTORS, "ST-4"),
    Action.RECORD_QA_SAMPLE: (frozenset({Role.INSPECTOR}) | _DIRECTORS, "QA-1"),
    # QA-4: the supervisor (the shift's squad leader) writes the daily quality report.
    Action.RECORD_SPOT_CHECK: (frozenset({Role.INSPECTOR}) | _SQUAD_UP, "QA-4"),
    # QA-2, QA-3: sheets go to the directors and train the squads, so leaders read them.
    Action.SEE_QUALITY_SHEETS: (frozenset({Role.INSPECTOR}) | _LEADERS, "QA-2"),
    Action.PUBLISH_NOTICE: (_SQUAD_UP, "HO-2"),
    Action.EDIT_KNOWLEDGE: (_SQUAD_UP, "KB-1"),
    Action.WRITE_HANDOVER: (_EVERYONE, "HO-1"),
    Action.FILE_LEAVE: (_EVERYONE, "LV-4"),
    # FN-8: the fund is open; everyone sees each movement and the balance.
    Action.SEE_FUND: (_EVERYONE, "FN-8"),
    # DS-2: the review of a third escalating offence is raised to the directors.
    Action.SEE_DISMISSAL_REVIEWS: (_DIRECTORS, "DS-2"),
    # AT-6: squad leaders rank their squad, directors the centre.
    Action.SEE_EVALUATION: (_SQUAD_UP, "AT-6"),
    # ST-3: the leader records the squad's monthly typing test; directors any squad's.
    Action.RECORD_TYPING_TEST: (_SQUAD_UP, "ST-3"),
    DeskAction.RESET_PIN: (_SQUAD_UP, "ST-2"),
    DeskAction.TRANSFER_TICKET: (_LEADERS, "ST-2"),  # TK-9: a formal transfer; the owner asks a leader
    DeskAction.RECORD_TRAINING: (_LEADERS, "ST-2"),
    DeskAction.MARK_DUTY_DONE: (_LEADERS | {Role.INSPECTOR}, "ST-2"),
    DeskAction.REVIEW_SUGGESTION: (_SQUAD_UP | {Role.INSPECTOR}, "ST-2"),
    DeskAction.SEE_AUDIT_LOG: (_DIRECTORS, "ST-2"),
    DeskAction.MAINTAIN_DATABASE: (_DIRECTORS, "ST-2"),
    # The weekly squad meeting (squad leaders, chaired by the director) agrees the wording.
    DeskAction.KEEP_CANNED_REPLIES: (_SQUAD_UP, "ST-2"),
}

_ORDER = (
    Role.AGENT,
    Role.DEPUTY_LEADER,
    Role.SQUAD_LEADER,
    Role.INSPECTOR,
    Role.DEPARTMENT_DIRECTOR,
    Role.CENTRE_DIRECTOR,
)


def _action(action: Action | DeskAction | str) -> Action | DeskAction:
    """An action, or the stored value of one."""
    if isinstance(action, Action | DeskAction):
        return action
    if action in Action._value2member_map_:
        return Action(action)
    try:
        return DeskAction(action)
    except ValueError:
        raise ValueError(f"unknown action {action!r}: use csdesk.rules.staff.Action or DeskAction") from None


def action_label(action: Action | DeskAction) -> str:
    """What an action is called, in the desk's language ("approve leave")."""
    return _(_action(action).value)


def can(role: Role, action: Action | DeskAction | str) -> Decision:
    """ST-2: whether a role may take an action; approvals follow roles, not names.

    A refusal names who may, in rank order.
    """
    action = _action(action)
    allowed, rule_id = PERMISSIONS[action]
    ids = ("ST-2",) if rule_id == "ST-2" else ("ST-2", rule_id)
    if Role(role) in allowed:
        return Decision.allowed(
            _("a {role} may {action}").format(role=role_label(role), action=action_label(action)), *ids
        )
    who = listing(role_label(r) for r in _ORDER if r in allowed)
    return Decision.refused(_("only a {who} may {action}").format(who=who, action=action_label(action)), *ids)


def who_may(action: Action | DeskAction) -> frozenset[Role]:
    """ST-2: every role allowed ``action``."""
    return PERMISSIONS[_action(action)][0]


def check_remove_staff() -> Decision:
    """ST-1: records are never deleted; the person is archived instead."""
    return Decision.refused(_("staff records are never deleted; archive the person as left instead"), "ST-1")


def check_archive(status: StaffStatus) -> Decision:
    """ST-1: archiving marks the person as left and keeps every record."""
    if status is StaffStatus.LEFT:
        return Decision.refused(_("already archived"), "ST-1")
    return Decision.allowed(_("archived as left; history is kept"), "ST-1")


def check_registration(real_name: str, employee_number: str, name_verified: bool) -> Decision:
    """ST-1: staff are registered under a verified real name and an employee number."""
    if not real_name.strip() or not employee_number.strip():
        return Decision.refused(_("a real name and an employee number are required"), "ST-1")
    if not name_verified:
        return Decision.needs_approval(_("the real name must be verified"), (Role.DEPARTMENT_DIRECTOR,), "ST-1")
    return Decision.allowed(_("registered"), "ST-1")


def check_typing_test(grade: Grade, chars_per_minute: float, policy: Policy) -> Decision:
    """ST-3: the monthly typing test bar for the person's grade."""
    bar = policy.typing_bars.bar(grade)
    if chars_per_minute >= bar:
        return Decision.allowed(
            _("{speed:g} characters a minute (bar {bar})").format(speed=chars_per_minute, bar=bar), "ST-3"
        )
    return Decision.warning(
        _("{speed:g} characters a minute is below the {grade} bar of {bar}").format(
            speed=chars_per_minute, grade=grade_label(grade), bar=bar
        ),
        "ST-3",
    )


@dataclass(frozen=True)
class InternProgress:
    training_hours: float
    check_ins: int
    summary_approved: bool
    leader_recommended: bool = False
    head_approved: bool = False


def check_intern_conversion(progress: InternProgress, policy: Policy) -> Decision:
    """ST-4: conversion after the training hours, the mentor check-ins and an approved summary.

    Early conversion (before the hours or check-ins are done) needs the leader's
    recommendation and the head's approval instead; the summary is always needed.
    """
    hours, meetings = policy.interns.training_hours, policy.interns.check_ins
    if not progress.summary_approved:
        return Decision.refused(_("the written work summary must be approved before conversion"), "ST-4")
    if progress.training_hours >= hours and progress.check_ins >= meetings:
        return Decision.allowed(_("training hours, check-ins and summary complete"), "ST-4")
    short = []
    if progress.training_hours < hours:
        short.append(_("{done:g} of {needed:g} hours").format(done=progress.training_hours, needed=hours))
    if progress.check_ins < meetings:
        short.append(_("{done} of {needed} check-ins").format(done=progress.check_ins, needed=meetings))
    if not progress.leader_recommended:
        return Decision.refused(
            _("early conversion ({short}) needs the leader's recommendation").format(short=listing(short)), "ST-4"
        )
    if not progress.head_approved:
        return Decision.needs_approval(
            _("early conversion ({short}) recommended; needs the head's approval").format(short=listing(short)),
            (Role.DEPARTMENT_DIRECTOR,),
            "ST-4",
        )
    return Decision.allowed(_("early conversion recommended and approved"), "ST-4")


def check_emergency_contact(phone: str, address: str, status: StaffStatus) -> Decision:
    """ST-5: every formal staff member leaves a phone number and an address."""
    if status is not StaffStatus.FORMAL:
        return Decision.allowed(_("emergency contact not required"), "ST-5")
    missing = [what for what, value in ((_("phone"), phone), (_("address"), address)) if not value.strip()]
    if missing:
        return Decision.warning(_("emergency contact sheet is missing {missing}").format(missing=both(missing)), "ST-5")
    return Decision.allowed(_("emergency contact on file"), "ST-5")


# ST-2: rank for resetting someone's PIN. An inspector answers to the directors, as a
# squad leader does; a squad leader's reach ends at their own squad.
_PIN_RANK = {
    Role.AGENT: 0,
    Role.DEPUTY_LEADER: 1,
    Role.SQUAD_LEADER: 2,
    Role.INSPECTOR: 2,
    Role.DEPARTMENT_DIRECTOR: 3,
    Role.CENTRE_DIRECTOR: 4,
}


@dataclass(frozen=True)
class PinHolder:
    """Who a PIN reset is done by, or done to."""

    staff_id: int
    role: Role
    squad_id: int | None


def check_pin_reset(by: PinHolder, of: PinHolder) -> Decision:
    """ST-2: a squad leader resets the PINs of their own squad below them, a director
    those of anyone below them; nobody resets their own (they change it instead)."""
    if by.staff_id == of.staff_id:
        return Decision.refused(_("change your own PIN with the current one; nobody resets their own"), "ST-2")
    allowed = can(by.role, DeskAction.RESET_PIN)
    if not allowed.ok:
        return allowed
    if _PIN_RANK[Role(of.role)] >= _PIN_RANK[Role(by.role)]:
        return Decision.refused(
            _("a {role} may not reset the PIN of a {target}").format(
                role=role_label(by.role), target=role_label(of.role)
            ),
            "ST-2",
        )
    if Role(by.role) not in _DIRECTORS and (by.squad_id is None or by.squad_id != of.squad_id):
        return Decision.refused(_("a squad leader resets the PINs of their own squad only"), "ST-2")
    return Decision.allowed(
        _("a {role} may reset the PIN of a {target}").format(role=role_label(by.role), target=role_label(of.role)),
        "ST-2",
    )
