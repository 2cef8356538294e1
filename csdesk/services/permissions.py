"""ST-2: which roles may do what. Approvals follow roles, never names.

``can(role, action)`` answers with a ``Decision`` so a refusal names the
rule. When ``csdesk.rules.staff`` provides its own ``can``, that rule module
is the authority and this table is not consulted; until then the table below
is the rule. Per-record conditions (a leader only for their own squad, the
owner of a ticket) are checked by the service on top of this.
"""

from __future__ import annotations

from collections.abc import Callable

from csdesk.rules.decision import Decision
from csdesk.rules.vocab import Role

_A = Role.AGENT
_DL = Role.DEPUTY_LEADER
_SL = Role.SQUAD_LEADER
_QI = Role.INSPECTOR
_DD = Role.DEPARTMENT_DIRECTOR
_CD = Role.CENTRE_DIRECTOR

_EVERYONE = frozenset(Role)
_LEADERS = frozenset({_DL, _SL, _DD, _CD})
_SQUAD_LEADERS = frozenset({_SL, _DD, _CD})
_DIRECTORS = frozenset({_DD, _CD})

# action -> (roles allowed, what it is, in words for the refusal message)
ACTIONS: dict[str, tuple[frozenset[Role], str]] = {
    "staff.view": (_EVERYONE, "see the staff list"),
    "staff.view_contacts": (_LEADERS, "see colleagues' contact details"),  # ST-6
    "staff.manage": (_DIRECTORS, "register, change or archive staff"),
    "staff.reset_pin": (_SQUAD_LEADERS, "reset someone else's PIN"),
    "roster.view": (_EVERYONE, "see the roster"),
    "roster.edit": (_SQUAD_LEADERS, "change the roster"),
    "rollcall.run": (_LEADERS, "run roll call"),
    "attendance.edit": (_LEADERS, "change attendance records"),
    "attendance.export": (_LEADERS, "export attendance"),
    "leave.file": (_EVERYONE, "file a leave request"),
    "leave.approve": (_SQUAD_LEADERS, "approve leave"),
    "swap.file": (_EVERYONE, "ask for a shift swap"),
    "swap.approve": (_SQUAD_LEADERS, "approve shift swaps"),
    "handover.write": (_EVERYONE, "write the handover log"),
    "handover.acknowledge": (_EVERYONE, "acknowledge a handover"),
    "notice.read": (_EVERYONE, "read notices"),
    "notice.publish": (_LEADERS | {_QI}, "publish notices"),
    "ticket.handle": (_EVERYONE, "handle tickets"),
    "ticket.view_customer": (_LEADERS, "see customers' personal data"),  # TK-15
    "ticket.reassign": (_LEADERS, "transfer a ticket to someone else"),  # TK-9
    "ledger.view": (_EVERYONE, "see the department fund"),  # FN-8: open to all
    "ledger.fine": (_SQUAD_LEADERS, "record a fine"),
    "ledger.reward": (_DIRECTORS, "grant a reward"),
    "ledger.spend": (_DIRECTORS, "spend from the department fund"),
    "ledger.reverse": (_DIRECTORS, "reverse a fund entry"),
    "ledger.custom": (frozenset({_DD}), "decide a fine or reward not in the rules"),  # FN-9
    "quality.inspect": (frozenset({_QI}) | _DIRECTORS, "record quality inspections"),
    "memo.write": (_EVERYONE, "write in the memo book"),
    "memo.review": (_SQUAD_LEADERS | {_QI}, "review memo-book suggestions"),
    "knowledge.read": (_EVERYONE, "search the knowledge base"),
    "knowledge.edit": (_SQUAD_LEADERS | {_QI}, "edit the knowledge base"),
    "training.record": (_LEADERS, "record intern training"),
    "training.convert": (_DIRECTORS, "convert an intern to formal staff"),
    "duty.mark": (_LEADERS | {_QI}, "mark recurring duties done"),
    "report.view": (_LEADERS | {_QI}, "see reports"),
    "audit.view": (_DIRECTORS, "see the audit log"),
    "db.admin": (_DIRECTORS, "back up or upgrade the database"),
}


def _table_can(role: Role, action: str) -> Decision:
    try:
        roles, what = ACTIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}; add it to ACTIONS") from None
    role = Role(role)
    if role in roles:
        return Decision.allowed(f"a {role.value.replace('_', ' ')} may {what}", "ST-2")
    return Decision.refused(f"a {role.value.replace('_', ' ')} may not {what}", "ST-2")


def _rules_can() -> Callable[[Role, str], Decision] | None:
    try:
        from csdesk.rules.staff import can as rule_can  # type: ignore[attr-defined]
    except ImportError:
        return None
    return rule_can


def can(role: Role, action: str) -> Decision:
    """Whether ``role`` may do ``action``, as a Decision citing ST-2."""
    rule_can = _rules_can()
    if rule_can is not None:
        return rule_can(role, action)
    return _table_can(role, action)
