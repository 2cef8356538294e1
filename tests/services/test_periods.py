"""``last`` and ``this`` weeks and months, read on the centre's calendar at the desk's "now"."""

from __future__ import annotations

from datetime import date

import pytest
from edge_dates import EDGE_MOMENTS, centre_time

from csdesk.services.periods import month_named, week_named


@pytest.mark.parametrize(
    ("moment", "this", "last"),
    [
        (EDGE_MOMENTS["iso-week-53"], "2026-W53", "2026-W52"),
        (centre_time(2027, 1, 4, 8, 0), "2027-W01", "2026-W53"),  # the Monday after: its cron run
        (EDGE_MOMENTS["sunday"], "2026-W48", "2026-W47"),
        (EDGE_MOMENTS["new-years-eve"], "2026-W53", "2026-W52"),
    ],
)
def test_this_and_last_week(moment, this, last):
    today = moment.date()
    assert (week_named("this", today), week_named("Last ", today)) == (this, last)


@pytest.mark.parametrize(
    ("today", "this", "last"),
    [
        (EDGE_MOMENTS["new-years-eve"].date(), "2026-12", "2026-11"),
        (date(2027, 1, 1), "2027-01", "2026-12"),
        (EDGE_MOMENTS["month-end"].date(), "2026-11", "2026-10"),
        (date(2028, 3, 1), "2028-03", "2028-02"),
    ],
)
def test_this_and_last_month(today, this, last):
    assert (month_named("this", today), month_named("last", today)) == (this, last)


def test_a_written_week_or_month_is_passed_on_for_its_report_to_check():
    assert week_named("2026-W40", date(2026, 11, 23)) == "2026-W40"
    assert month_named("2026-13", date(2026, 11, 23)) == "2026-13"
