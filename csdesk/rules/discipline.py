"""Reporting lines and discipline (DS-1..DS-4, TK-11, AT-8)."""

from __future__ import annotations

from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision, Outcome
from csdesk.rules.vocab import ESCALATION_LADDER, Role
from csdesk.rules.wording import both
from csdesk.vocabulary import role_label


def _level(role: Role) -> int:
    # Deputy leaders report like agents; inspectors sit with the squad leaders.
    if role is Role.DEPUTY_LEADER:
        return ESCALATION_LADDER.index(Role.AGENT)
    if role is Role.INSPECTOR:
        return ESCALATION_LADDER.index(Role.SQUAD_LEADER)
    return ESCALATION_LADDER.index(role)


def check_escalation(from_role: Role, to_role: Role, emergency: bool = False) -> Decision:
    """TK-11, DS-1: one level up at a time; an emergency may skip, and the skipped are told."""
    here, there = _level(from_role), _level(to_role)
    if there <= here:
        return Decision.refused(
            _("escalation goes up the line, not to the {role}").format(role=role_label(to_role)), "TK-11", "DS-1"
        )
    skipped = ESCALATION_LADDER[here + 1 : there]
    if not skipped:
        return Decision.allowed(_("escalated to the {role}").format(role=role_label(to_role)), "TK-11", "DS-1")
    if not emergency:
        return Decision.refused(
            _("escalate to the {role} first; levels are skipped only in an emergency").format(
                role=role_label(ESCALATION_LADDER[here + 1])
            ),
            "TK-11",
            "DS-1",
        )
    return Decision(
        Outcome.ALLOWED,
        ("TK-11", "DS-1"),
        _("emergency escalation to the {role}; inform {skipped} afterwards").format(
            role=role_label(to_role), skipped=both(_("the {role}").format(role=role_label(r)) for r in skipped)
        ),
        inform=skipped,
    )


def next_escalation(from_role: Role) -> Role | None:
    """The next level up, or None at the top."""
    level = _level(from_role)
    return ESCALATION_LADDER[level + 1] if level + 1 < len(ESCALATION_LADDER) else None


def dismissal_review(offences_this_month: int, threshold: int, rule_id: str) -> Decision:
    """DS-2: the third recorded offence of an escalating rule in a month goes to the director.

    The desk only raises the review; the person stays on record whatever is decided.
    """
    if offences_this_month >= threshold:
        return Decision(
            Outcome.VIOLATION,
            (rule_id, "DS-2", "FN-10"),
            _("offence number {nth} of {rule_id} this month: dismissal review raised to the director").format(
                nth=offences_this_month, rule_id=rule_id
            ),
            inform=(Role.DEPARTMENT_DIRECTOR,),
        )
    return Decision.allowed(
        _("offence number {nth} of {rule_id} this month; review at {threshold}").format(
            nth=offences_this_month, rule_id=rule_id, threshold=threshold
        ),
        rule_id,
        "DS-2",
    )


def duty_leader_lateness(earlier_lateness_this_month: int, policy: Policy) -> Decision:
    """AT-8, DS-3: a duty leader late to post is warned first, then replaced.

    Earlier lateness counts within the calendar month, like the escalating fines.
    """
    warnings = policy.attendance.duty_leader_warnings
    if earlier_lateness_this_month < warnings:
        return Decision.warning(
            _("duty leader late to post: warning {nth} of {warnings}").format(
                nth=earlier_lateness_this_month + 1, warnings=warnings
            ),
            "AT-8",
            "DS-3",
        )
    return Decision(
        Outcome.VIOLATION,
        ("AT-8", "DS-3"),
        _("duty leader late to post again after a warning: replace the duty leader"),
        inform=(Role.SQUAD_LEADER,),
    )


def check_memo(text: str) -> Decision:
    """DS-4: a memo-book entry records a problem or idea for the supervisor."""
    if not text.strip():
        return Decision.refused(_("a memo entry must say what the problem or idea is"), "DS-4")
    return Decision.allowed(_("memo recorded and reported to the supervisor"), "DS-4")
