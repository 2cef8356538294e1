"""Months as people type them into monthly reports ("2026-03")."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from csdesk.services.base import InvalidInput
from csdesk.services.months import current_month, parse_month


@pytest.mark.parametrize("typed, first", [("2026-03", date(2026, 3, 1)), (" 2026-12 ", date(2026, 12, 1))])
def test_a_month_reads_as_its_first_day(typed, first):
    assert parse_month(typed) == first


@pytest.mark.parametrize("typed", ["", "2026-3", "2026-13", "26-03", "2026/03", "March", "2026-03-01"])
def test_anything_else_is_refused_on_the_month_field(typed):
    with pytest.raises(InvalidInput) as raised:
        parse_month(typed)
    assert raised.value.field == "month"


def test_this_month_is_the_centres_not_utcs(desk, clock):
    # 23:30 UTC on 31 October is already November in the centre's zone (UTC+8).
    clock.set(datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    assert desk.policy.zone.utcoffset(datetime(2026, 11, 1)).total_seconds() > 0
    assert current_month(desk) == "2026-11"
    assert parse_month(current_month(desk)) == date(2026, 11, 1)
