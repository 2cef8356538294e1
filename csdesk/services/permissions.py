"""ST-2: which roles may do what, as the services check it. Approvals follow roles, never names.

The one table is ``csdesk.rules.staff.PERMISSIONS``: every action a policy rule
speaks about (``Action``) and the desk's own chores that no rule but ST-2 does
(``DeskAction``: resetting a PIN, reading the audit log, maintaining the
database). Per-record conditions (a leader only for their own squad, the
owner of a ticket) are checked by the service on top of this.
"""

from __future__ import annotations

from csdesk.rules.decision import Decision
from csdesk.rules.staff import PERMISSIONS, Action, DeskAction, action_label
from csdesk.rules.staff import can as rule_can
from csdesk.rules.vocab import Role

__all__ = ["DESK_PERMISSIONS", "DeskAction", "can", "desk_action_label"]

# The desk's own actions and the roles allowed each, read from the one table.
DESK_PERMISSIONS: dict[DeskAction, frozenset[Role]] = {action: PERMISSIONS[action][0] for action in DeskAction}


def desk_action_label(action: DeskAction) -> str:
    """What a desk action is called, in the desk's language ("reset a colleague's PIN")."""
    return action_label(DeskAction(action))


def can(role: Role, action: Action | DeskAction | str) -> Decision:
    """Whether ``role`` may do ``action``; a refusal names who may (ST-2)."""
    return rule_can(role, action)
