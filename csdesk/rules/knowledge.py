"""The knowledge-base editorial workflow (KB-1) and who may search what (KB-2).

A business notice becomes an entry that moves forward one step at a time:
received, read by the director, understood, material collected, entered,
confirmed by the issuing department, rewritten in words a customer
understands, and published. Only a director marks the notice read (the
rulebook has it reported to the centre director); the editors (the roles
allowed to edit the knowledge base) take every other step. An entry can be
removed at any step; it is then kept, with its history, and never comes back.
"""

from __future__ import annotations

from enum import StrEnum

from csdesk.i18n import N_, _
from csdesk.rules.decision import Decision
from csdesk.rules.staff import Action, can
from csdesk.rules.vocab import Role
from csdesk.rules.wording import listing
from csdesk.vocabulary import role_label


class KbState(StrEnum):
    """Values are stored in ``knowledge_entries.state``; they never change.

    Each value is also the step's English name (``state_label``).
    """

    NOTICE_RECEIVED = N_("notice received")
    READ_BY_DIRECTOR = N_("read by director")
    UNDERSTOOD = N_("understood")
    MATERIAL_COLLECTED = N_("material collected")
    ENTERED = N_("entered")
    CONFIRMED = N_("confirmed by issuing department")
    REWRITTEN = N_("rewritten for customers")
    PUBLISHED = N_("published")
    REMOVED = N_("removed")


EDITORIAL_ORDER = (
    KbState.NOTICE_RECEIVED,
    KbState.READ_BY_DIRECTOR,
    KbState.UNDERSTOOD,
    KbState.MATERIAL_COLLECTED,
    KbState.ENTERED,
    KbState.CONFIRMED,
    KbState.REWRITTEN,
    KbState.PUBLISHED,
)

DIRECTORS = frozenset({Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR})

# Steps that say something the entry's text cannot show, so the step's note must.
NOTE_REQUIRED = {
    KbState.CONFIRMED: N_("name who at the issuing department confirmed it"),
    KbState.REMOVED: N_("give the reason for removing the entry"),
}
# Steps after which the entry's text must be there.
BODY_REQUIRED = {
    KbState.ENTERED: N_("enter the entry's text"),
    KbState.REWRITTEN: N_("write the answer in words a customer understands"),
}
MAX_NOTE = 500


def next_states(state: KbState) -> tuple[KbState, ...]:
    """Where an entry may go from ``state``: the next step, or removal."""
    if state is KbState.REMOVED:
        return ()
    index = EDITORIAL_ORDER.index(state)
    following = EDITORIAL_ORDER[index + 1 : index + 2]
    return following + (KbState.REMOVED,)


def next_step(state: KbState) -> KbState | None:
    """The editorial step after ``state`` (None once published or removed)."""
    following = [s for s in next_states(state) if s is not KbState.REMOVED]
    return following[0] if following else None


def roles_for(target: KbState) -> frozenset[Role]:
    """KB-1: who may take an entry into ``target``."""
    if target is KbState.READ_BY_DIRECTOR:
        return DIRECTORS
    return frozenset(r for r in Role if can(r, Action.EDIT_KNOWLEDGE).ok)


def _names(roles: frozenset[Role]) -> str:
    return listing(role_label(r) for r in Role if r in roles)


def state_label(state: KbState) -> str:
    """An editorial step as people read it, in the desk's language."""
    return _(KbState(state).value)


def _missing(step: KbState, what: str) -> str:
    return _("{step}: {what}").format(step=state_label(step), what=_(what))


def check_kb_transition(current: KbState, target: KbState) -> Decision:
    """KB-1: entries go through every step in order; none is skipped or undone."""
    if target in next_states(current):
        return Decision.allowed(
            _("{current} -> {target}").format(current=state_label(current), target=state_label(target)), "KB-1"
        )
    if current is KbState.REMOVED:
        return Decision.refused(_("a removed entry stays removed; its original is kept"), "KB-1")
    if current is KbState.PUBLISHED:
        return Decision.refused(_("the entry is published; it can only be removed"), "KB-1")
    expected = next_states(current)[0]
    return Decision.refused(
        _("after '{current}' the next step is '{next}'").format(
            current=state_label(current), next=state_label(expected)
        ),
        "KB-1",
    )


def check_kb_step(current: KbState, target: KbState, role: Role, *, note: str = "", body: str = "") -> Decision:
    """KB-1: the transition, the role taking it, and what the step must record.

    ``body`` is the entry's text as it will be after the step.
    """
    order = check_kb_transition(current, target)
    if not order.ok:
        return order
    allowed = roles_for(target)
    if Role(role) not in allowed:
        return Decision.refused(
            _("only a {who} may mark an entry '{state}'").format(who=_names(allowed), state=state_label(target)),
            "KB-1",
        )
    if target in NOTE_REQUIRED and not note.strip():
        return Decision.refused(_missing(target, NOTE_REQUIRED[target]), "KB-1")
    if len(note) > MAX_NOTE:
        return Decision.refused(_("the note is too long (at most {max} characters)").format(max=MAX_NOTE), "KB-1")
    if target in BODY_REQUIRED and not body.strip():
        return Decision.refused(_missing(target, BODY_REQUIRED[target]), "KB-1")
    return order


def is_searchable(state: KbState) -> bool:
    """KB-2: agents find only entries that finished the editorial steps."""
    return state is KbState.PUBLISHED


def may_see_drafts(role: Role) -> bool:
    """KB-1: the editors (and the directors who read notices) see unfinished entries."""
    return Role(role) in roles_for(KbState.UNDERSTOOD) | DIRECTORS
