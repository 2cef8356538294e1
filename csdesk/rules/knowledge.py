"""The knowledge-base editorial workflow (KB-1).

An entry moves forward one step at a time from the notice to the
customer-friendly rewrite; a later notice can withdraw it at any step.
"""

from __future__ import annotations

from enum import StrEnum

from csdesk.rules.decision import Decision


class KbState(StrEnum):
    NOTICE_RECEIVED = "notice received"
    READ_BY_DIRECTOR = "read by director"
    UNDERSTOOD = "understood"
    MATERIAL_COLLECTED = "material collected"
    ENTERED = "entered"
    CONFIRMED = "confirmed by issuing department"
    REWRITTEN = "rewritten for customers"
    WITHDRAWN = "withdrawn"


EDITORIAL_ORDER = (
    KbState.NOTICE_RECEIVED,
    KbState.READ_BY_DIRECTOR,
    KbState.UNDERSTOOD,
    KbState.MATERIAL_COLLECTED,
    KbState.ENTERED,
    KbState.CONFIRMED,
    KbState.REWRITTEN,
)


def next_states(state: KbState) -> tuple[KbState, ...]:
    if state is KbState.WITHDRAWN:
        return ()
    index = EDITORIAL_ORDER.index(state)
    following = EDITORIAL_ORDER[index + 1 : index + 2]
    return following + (KbState.WITHDRAWN,)


def check_kb_transition(current: KbState, target: KbState) -> Decision:
    """KB-1: entries go through every step in order; none is skipped or undone."""
    if target in next_states(current):
        return Decision.allowed(f"{current.value} -> {target.value}", "KB-1")
    if current is KbState.WITHDRAWN:
        return Decision.refused("a withdrawn entry stays withdrawn; its original is kept", "KB-1")
    if current is KbState.REWRITTEN:
        return Decision.refused("the entry is complete; it can only be withdrawn", "KB-1")
    expected = next_states(current)[0]
    return Decision.refused(f"after {current.value!r} the next step is {expected.value!r}", "KB-1")


def is_searchable(state: KbState) -> bool:
    """KB-2: agents search only entries that finished the editorial steps."""
    return state is KbState.REWRITTEN
