"""Monthly typing tests (ST-3): recorded per person and month, flagged below the grade's bar."""

from __future__ import annotations

import pytest

from csdesk.rules.vocab import Grade, Role
from csdesk.services.base import InvalidInput, PermissionDenied
from csdesk.services.typing_tests import record_typing_test, typing_month


@pytest.fixture
def people(make_squad, make_staff, actor_of):
    lotus, rose = make_squad("Lotus"), make_squad("Rose")
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=lotus))
    other_leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=rose))
    middle = actor_of(make_staff(squad=lotus, grade=Grade.INTERMEDIATE))
    return leader, other_leader, middle


def test_st_3_an_intermediate_at_50_meets_the_bar_and_at_49_is_flagged(desk, people):
    leader, _other, middle = people
    assert not record_typing_test(desk, leader, middle.staff_id, "2026-03", "50").below_bar
    # A re-test in the same month replaces the result.
    flagged = record_typing_test(desk, leader, middle.staff_id, "2026-03", 49)
    assert flagged.below_bar and flagged.remark.startswith("49 characters a minute is below the intermediate bar of 50")
    (line,) = typing_month(desk, leader, "2026-03")
    assert (line.chars_per_minute, line.below_bar) == (49, True)
    assert typing_month(desk, leader, "2026-04")[0].chars_per_minute is None


def test_st_3_bad_input_names_its_field_and_other_squads_are_refused(desk, people):
    leader, other, middle = people
    for month, speed, field in (("2026-13", "50", "month"), ("2026-03", "0", "chars_per_minute")):
        with pytest.raises(InvalidInput) as refused:
            record_typing_test(desk, leader, middle.staff_id, month, speed)
        assert refused.value.field == field
    with pytest.raises(PermissionDenied):
        record_typing_test(desk, other, middle.staff_id, "2026-03", "50")
    with pytest.raises(PermissionDenied):
        typing_month(desk, middle, "2026-03")
    assert typing_month(desk, leader, "2026-03")[0].chars_per_minute is None
