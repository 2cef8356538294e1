"""ST-2: which roles may do what. Approvals follow roles, never names.

The rule catalogue (``csdesk.rules.staff.Action`` / ``can``) is the authority
for every action a policy rule speaks about. A few desk actions have no rule
of their own (resetting a PIN, reading the audit log, maintaining the
database); ``DeskAction`` lists those, with the roles allowed. Per-record
conditions (a leader only for their own squad, the owner of a ticket) are
checked by the service on top of this.
"""

from __future__ import annotations

from enum import StrEnum

from csdesk.i18n import N_, _
from csdesk.rules.decision import Decision
from csdesk.rules.staff import Action
from csdesk.rules.staff import can as rule_can
from csdesk.rules.vocab import Role
from csdesk.rules.wording import listing
from csdesk.vocabulary import role_label

_DIRECTORS = frozenset({Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR})
_SQUAD_UP = frozenset({Role.SQUAD_LEADER}) | _DIRECTORS
_LEADERS = frozenset({Role.DEPUTY_LEADER}) | _SQUAD_UP


class DeskAction(StrEnum):
    """Actions of the desk itself, outside the policy catalogue.

    Each value is also the English wording of the action (``desk_action_label``).
    """

    RESET_PIN = N_("reset a colleague's PIN")
    TRANSFER_TICKET = N_("transfer a ticket to someone else")
    RECORD_TRAINING = N_("record intern training")
    MARK_DUTY_DONE = N_("mark a recurring duty done")
    REVIEW_SUGGESTION = N_("review memo-book suggestions")
    SEE_AUDIT_LOG = N_("see the audit log")
    MAINTAIN_DATABASE = N_("back up or upgrade the database")


def desk_action_label(action: DeskAction) -> str:
    """What a desk action is called, in the desk's language ("reset a colleague's PIN")."""
    return _(DeskAction(action).value)


DESK_PERMISSIONS: dict[DeskAction, frozenset[Role]] = {
    DeskAction.RESET_PIN: _SQUAD_UP,
    DeskAction.TRANSFER_TICKET: _LEADERS,  # TK-9: formal transfer only
    DeskAction.RECORD_TRAINING: _LEADERS,
    DeskAction.MARK_DUTY_DONE: _LEADERS | {Role.INSPECTOR},
    DeskAction.REVIEW_SUGGESTION: _SQUAD_UP | {Role.INSPECTOR},
    DeskAction.SEE_AUDIT_LOG: _DIRECTORS,
    DeskAction.MAINTAIN_DATABASE: _DIRECTORS,
}

# Listed in rank order in refusals, as the rule catalogue does.
_RANK = (Role.AGENT, Role.DEPUTY_LEADER, Role.SQUAD_LEADER, Role.INSPECTOR,
         Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)


def can(role: Role, action: Action | DeskAction | str) -> Decision:
    """Whether ``role`` may do ``action``; a refusal names who may (ST-2)."""
    if isinstance(action, Action) or action in Action._value2member_map_:
        return rule_can(role, Action(action))
    try:
        desk_action = DeskAction(action)
    except ValueError:
        raise ValueError(f"unknown action {action!r}: use csdesk.rules.staff.Action "
                         f"or csdesk.services.permissions.DeskAction") from None
    allowed = DESK_PERMISSIONS[desk_action]
    role = Role(role)
    what = desk_action_label(desk_action)
    if role in allowed:
        return Decision.allowed(_("a {role} may {action}").format(role=role_label(role), action=what), "ST-2")
    who = listing(role_label(r) for r in _RANK if r in allowed)
    return Decision.refused(_("only a {who} may {action}").format(who=who, action=what), "ST-2")
