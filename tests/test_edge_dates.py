"""Each edge moment the date-dependent tests run at is the edge its name says."""

from __future__ import annotations

from datetime import timedelta

from edge_dates import EDGE_MOMENTS

from csdesk.policy import default_policy
from csdesk.rules.shifts import shift_window
from csdesk.rules.vocab import ShiftKind


def test_each_edge_moment_is_the_edge_it_names():
    policy = default_policy()
    local = {name: moment.astimezone(policy.zone) for name, moment in EDGE_MOMENTS.items()}
    assert local["saturday"].weekday() == 5
    assert local["sunday"].weekday() == 6
    assert (local["month-end"] + timedelta(days=1)).day == 1
    assert (local["new-years-eve"].month, local["new-years-eve"].day) == (12, 31)
    assert policy.holidays.is_holiday(local["public-holiday"].date())
    assert local["iso-week-53"].isocalendar().week == 53
    night = shift_window(local["night-shift-0030"].date() - timedelta(days=1), ShiftKind.NIGHT, policy)
    assert night.start < EDGE_MOMENTS["night-shift-0030"] < night.end
    assert local["night-shift-0030"].date() != night.day  # past midnight, the shift belongs to yesterday
