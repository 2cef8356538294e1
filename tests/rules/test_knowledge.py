import pytest

from csdesk.rules.decision import Outcome
from csdesk.rules.knowledge import (
    EDITORIAL_ORDER,
    KbState,
    check_kb_step,
    check_kb_transition,
    is_searchable,
    may_see_drafts,
    next_step,
)
from csdesk.rules.vocab import Role

EDITOR = Role.SQUAD_LEADER
DIRECTOR = Role.DEPARTMENT_DIRECTOR


def _step(current, target, role=EDITOR, note="ok", body="text"):
    return check_kb_step(current, target, role, note=note, body=body)


def test_kb_1_every_step_follows_the_one_before_in_the_rulebook_order():
    assert [s.value for s in EDITORIAL_ORDER] == [
        "notice received",
        "read by director",
        "understood",
        "material collected",
        "entered",
        "confirmed by issuing department",
        "rewritten for customers",
        "published",
    ]
    for current, target in zip(EDITORIAL_ORDER, EDITORIAL_ORDER[1:]):
        role = DIRECTOR if target is KbState.READ_BY_DIRECTOR else EDITOR
        decision = _step(current, target, role)
        assert decision.ok and decision.rule_ids == ("KB-1",), (current, target)
        assert next_step(current) is target
    assert next_step(KbState.PUBLISHED) is None
    assert next_step(KbState.REMOVED) is None


def test_kb_1_skipping_a_step_is_refused_naming_the_next_one():
    decision = check_kb_transition(KbState.UNDERSTOOD, KbState.ENTERED)
    assert decision.outcome is Outcome.REFUSED
    assert "'material collected'" in decision.reason
    # Going back is skipping too.
    assert not check_kb_transition(KbState.ENTERED, KbState.UNDERSTOOD).ok
    # Straight from the notice to published: refused.
    assert not _step(KbState.NOTICE_RECEIVED, KbState.PUBLISHED).ok
    # Staying put is not a step.
    assert not check_kb_transition(KbState.ENTERED, KbState.ENTERED).ok


@pytest.mark.parametrize("state", [s for s in EDITORIAL_ORDER])
def test_kb_1_an_entry_can_be_removed_at_any_step_with_a_reason(state):
    assert _step(state, KbState.REMOVED, note="superseded by notice 2026-14").ok
    refused = _step(state, KbState.REMOVED, note="  ")
    assert refused.outcome is Outcome.REFUSED and "reason" in refused.reason


def test_kb_1_removed_is_final_and_published_can_only_be_removed():
    for target in KbState:
        assert not check_kb_transition(KbState.REMOVED, target).ok
    assert "stays removed" in check_kb_transition(KbState.REMOVED, KbState.PUBLISHED).reason
    assert "only be removed" in check_kb_transition(KbState.PUBLISHED, KbState.REWRITTEN).reason


@pytest.mark.parametrize(
    "role,ok",
    [
        (Role.AGENT, False),
        (Role.DEPUTY_LEADER, False),
        (Role.SQUAD_LEADER, False),
        (Role.INSPECTOR, False),
        (Role.DEPARTMENT_DIRECTOR, True),
        (Role.CENTRE_DIRECTOR, True),
    ],
)
def test_kb_1_only_a_director_marks_the_notice_read(role, ok):
    decision = _step(KbState.NOTICE_RECEIVED, KbState.READ_BY_DIRECTOR, role)
    assert decision.ok is ok
    if not ok:
        assert "department director, centre director" in decision.reason


@pytest.mark.parametrize(
    "role,ok",
    [
        (Role.AGENT, False),
        (Role.DEPUTY_LEADER, False),
        (Role.SQUAD_LEADER, True),
        (Role.INSPECTOR, False),
        (Role.DEPARTMENT_DIRECTOR, True),
        (Role.CENTRE_DIRECTOR, True),
    ],
)
def test_kb_1_editorial_steps_and_removal_are_the_editors(role, ok):
    assert _step(KbState.READ_BY_DIRECTOR, KbState.UNDERSTOOD, role).ok is ok
    assert _step(KbState.REWRITTEN, KbState.PUBLISHED, role).ok is ok
    assert _step(KbState.ENTERED, KbState.REMOVED, role).ok is ok


def test_kb_1_the_confirmation_names_who_confirmed_it():
    refused = _step(KbState.ENTERED, KbState.CONFIRMED, note="")
    assert refused.outcome is Outcome.REFUSED and "issuing department" in refused.reason
    assert _step(KbState.ENTERED, KbState.CONFIRMED, note="Billing dept, Ms Zhao").ok


def test_kb_1_entering_and_rewriting_need_the_text():
    assert not _step(KbState.MATERIAL_COLLECTED, KbState.ENTERED, body=" ").ok
    assert _step(KbState.MATERIAL_COLLECTED, KbState.ENTERED, body="x").ok
    refused = _step(KbState.CONFIRMED, KbState.REWRITTEN, body="")
    assert "customer" in refused.reason
    # Earlier steps need no text yet.
    assert _step(KbState.UNDERSTOOD, KbState.MATERIAL_COLLECTED, body="").ok


def test_kb_1_a_note_longer_than_500_characters_is_refused():
    assert _step(KbState.UNDERSTOOD, KbState.MATERIAL_COLLECTED, note="x" * 500).ok
    assert not _step(KbState.UNDERSTOOD, KbState.MATERIAL_COLLECTED, note="x" * 501).ok


def test_kb_2_agents_find_only_published_entries_editors_see_drafts():
    assert [s for s in KbState if is_searchable(s)] == [KbState.PUBLISHED]
    assert not may_see_drafts(Role.AGENT)
    assert not may_see_drafts(Role.DEPUTY_LEADER)
    assert may_see_drafts(Role.SQUAD_LEADER)
    assert may_see_drafts(Role.CENTRE_DIRECTOR)
