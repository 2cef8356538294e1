"""Agents needed from the load: Erlang C for live queues, workload for deferred work."""

from __future__ import annotations

from datetime import date

import pytest

from csdesk.policy import PolicyError, parse_policy
from csdesk.rules.demand import (
    MAX_AGENTS,
    agents_for_backlog,
    agents_for_queue,
    answer_seconds,
    channel_needs,
    erlang_c,
    expected_load,
    service_level,
    shift_needs,
    weekday_counts,
)
from csdesk.rules.vocab import ShiftKind

from .conftest import SHIPPED, at


# The worked example of the Erlang C literature: 100 calls in 30 minutes, 180 s
# handling time, target 80% answered in 20 s (10 erlangs of traffic).
@pytest.mark.parametrize(
    ("agents", "waits", "answered"),
    [(11, 0.6821, 0.3896), (12, 0.4494, 0.6402), (13, 0.2853, 0.7956), (14, 0.1741, 0.8884)],
)
def test_erlang_c_matches_published_values(agents, waits, answered):
    assert erlang_c(10, agents) == pytest.approx(waits, abs=1e-4)
    assert service_level(10, agents, 180, 20) == pytest.approx(answered, abs=1e-4)


def test_erlang_c_queue_sizing_picks_the_fewest_agents_meeting_the_target():
    # 13 agents reach 79.6%: one short of 80%, so the answer is 14.
    assert agents_for_queue(100, 1800, 180, 20, 0.8, max_occupancy=1.0) == 14
    assert agents_for_queue(0, 1800, 180, 20, 0.8, max_occupancy=1.0) == 0
    # Agents are never planned busier than the occupancy cap: 10 erlangs at 50% -> 20.
    assert agents_for_queue(100, 1800, 180, 20, 0.8, max_occupancy=0.5) == 20


def test_erlang_c_saturated_queue_always_waits():
    assert erlang_c(10, 10) == 1.0
    assert service_level(10, 9, 180, 20) == 0.0


def test_large_traffic_does_not_overflow():
    assert 0 < erlang_c(900, 950) < 1


def test_backlog_agents_spread_work_over_the_window():
    # 3 hours of email work to be done within a 9-hour shift at 100% -> 1 agent; 10 h -> 2.
    assert agents_for_backlog(3 * 3600, 9 * 3600, 1.0) == 1
    assert agents_for_backlog(10 * 3600, 9 * 3600, 1.0) == 2
    assert agents_for_backlog(0, 3600, 1.0) == 0


def test_a_queue_beyond_any_staff_asks_for_the_most_not_a_crash():
    # A vanishing interval or occupancy makes the load infinite or past any team.
    assert agents_for_queue(1.0, 1e-276, 1.0, 0.0, 0.5, 1e-276) == MAX_AGENTS
    assert agents_for_queue(1.0, 1800.0, 180.0, 20.0, 0.8, 1e-300) == MAX_AGENTS
    assert agents_for_queue(1e308, 1e-10, 1e10, 20.0, 0.8, 1.0) == MAX_AGENTS
    # Just under the largest team the search still runs and answers within it.
    assert agents_for_queue(MAX_AGENTS - 200, 1.0, 1.0, 20.0, 0.8, 1.0) < MAX_AGENTS


def test_backlog_beyond_any_staff_asks_for_the_most_not_a_crash():
    assert agents_for_backlog(1.0, 1.0, 1e-309) == MAX_AGENTS  # capacity vanishes to zero
    assert agents_for_backlog(1e300, 1.0, 1e-300) == MAX_AGENTS


def test_weekday_counts_over_two_weeks_and_a_day():
    counts = weekday_counts(date(2026, 3, 2), date(2026, 3, 16))  # Monday to Monday
    assert counts == [3, 2, 2, 2, 2, 2, 2]


def test_expected_load_averages_per_weekday_and_half_hour():
    # Two Mondays in the history, three calls in Monday 09:00-09:30 -> 1.5 per slot.
    arrivals = [at(2026, 3, 2, 9, 5), at(2026, 3, 9, 9, 10), at(2026, 3, 9, 9, 29)]
    load = expected_load(arrivals, date(2026, 3, 2), date(2026, 3, 15), SHIPPED)
    assert load == {(0, 18): 1.5}


def test_answer_times_come_from_the_ticket_slas():
    # rule: TK-3, TK-6, TK-13, TK-5, TK-7
    assert answer_seconds("phone", SHIPPED) == 3 * 5
    assert answer_seconds("chat", SHIPPED) == 30
    assert answer_seconds("forum", SHIPPED) == 600
    assert answer_seconds("back_office", SHIPPED) == 24 * 3600
    assert answer_seconds("email", SHIPPED) == 9 * 3600


def test_forum_work_counts_within_its_ten_minute_window_only():
    # 10 forum posts a half hour at 360 s each = 1 h of work in 30 min at 85% -> 3 agents;
    # the next slot, with no posts, needs nobody (the window is shorter than a slot).
    needs = channel_needs({(2, 20): 10.0}, "forum", SHIPPED)
    assert needs == {(2, 20): 3}


def test_email_work_is_spread_over_the_shift():
    needs = channel_needs({(2, 20): 40.0}, "email", SHIPPED)
    # 40 x 420 s = 4.7 h of work over a 9 h window at 85% -> 1 agent for the window.
    assert needs[(2, 20)] == 1
    assert needs[(2, 37)] == 1
    assert (2, 38) not in needs


def test_shift_needs_take_the_busiest_slot_and_add_shrinkage():
    # 7 agents on contacts at Monday 10:00; 30% shrinkage -> 10 rostered on the day shift.
    needs = shift_needs({(0, 20): 7, (0, 16): 2}, SHIPPED)
    assert needs[(0, ShiftKind.DAY)].agents == 10
    assert needs[(0, ShiftKind.DAY)].busiest_slot == 20
    assert needs[(0, ShiftKind.NIGHT)].agents == 0


def test_the_night_shift_covers_the_hour_after_midnight_of_the_next_day():
    # SC-1: the Monday night shift runs to Tuesday 01:00; Tuesday 00:30 belongs to it.
    needs = shift_needs({(1, 1): 3}, SHIPPED)
    assert needs[(0, ShiftKind.NIGHT)].agents == 5
    assert needs[(1, ShiftKind.DAY)].agents == 0


def test_policy_refuses_an_unknown_demand_channel():
    with pytest.raises(PolicyError, match="fax"):
        parse_policy('[demand.channels.fax]\nmethod = "workload"\nhandle_seconds = 60\n', "p.toml")


def test_policy_refuses_a_service_level_of_one():
    text = '[demand.channels.phone]\nmethod = "erlang_c"\nhandle_seconds = 60\nservice_level = 1\n'
    with pytest.raises(PolicyError, match="service_level"):
        parse_policy(text, "p.toml")
