"""Demand from the centre's own tickets, split over squads by their people."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from csdesk.models import Ticket
from csdesk.rules.vocab import Category, Channel, Role, ShiftKind
from csdesk.services.base import PermissionDenied
from csdesk.services.demand import compute_demand, squad_demand


def _tickets(desk, channel: Channel, moments: list[datetime], dispatched: bool = False) -> None:
    with desk.write() as session:
        for moment in moments:
            session.add(
                Ticket(
                    channel=channel,
                    category=Category.INQUIRY,
                    subject="load",
                    received_at=moment,
                    dispatched_at=moment + timedelta(minutes=5) if dispatched else None,
                )
            )


def _local(desk, days_ago: int, hour: int, minute: int) -> datetime:
    today = desk.now().astimezone(desk.policy.zone).date()
    day = today - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=desk.policy.zone)


def test_phone_calls_of_past_weeks_set_the_day_shift_need(desk):
    # 8 weeks of history; on the same weekday each week, 100 calls between 10:00 and 10:30.
    moments = [_local(desk, 7 * week, 10, minute % 30) for week in range(1, 9) for minute in range(100)]
    _tickets(desk, Channel.PHONE, moments)
    demand = compute_demand(desk)
    weekday = (desk.now().astimezone(desk.policy.zone).date()).weekday()
    # 100 calls x 240 s in 30 min = 13.3 erlangs; 80% in 15 s -> 18 on the phones; /0.7 -> 26.
    assert demand.shifts[(weekday, ShiftKind.DAY)].agents == 26
    assert demand.shifts[(weekday, ShiftKind.NIGHT)].agents == 0
    assert demand.shifts[((weekday + 1) % 7, ShiftKind.DAY)].agents == 0
    assert demand.contacts == 800


def test_a_call_a_second_before_the_half_hour_counts_in_the_half_hour_it_came_in(desk):
    # 100 calls at 10:29:59 local, once a week: all of them load 10:00-10:30, none 10:30-11:00.
    moments = [_local(desk, 7 * week, 10, 29) + timedelta(seconds=59) for week in range(1, 9) for _ in range(100)]
    _tickets(desk, Channel.PHONE, moments)
    demand = compute_demand(desk)
    weekday = desk.now().astimezone(desk.policy.zone).date().weekday()
    half_hours = 60 // desk.policy.demand.interval_minutes
    assert demand.slots[(weekday, 10 * half_hours)] > 0
    assert demand.slots.get((weekday, 10 * half_hours + 1), 0) == 0
    assert demand.contacts == 800


def test_tickets_older_than_the_history_or_from_today_are_not_counted(desk):
    _tickets(desk, Channel.PHONE, [_local(desk, 7 * 9, 10, 0), _local(desk, 0, 0, 1)])
    assert compute_demand(desk).contacts == 0


def test_dispatched_tickets_add_back_office_work(desk):
    _tickets(desk, Channel.EMAIL, [_local(desk, 7, 10, 0)] * 8, dispatched=True)
    assert compute_demand(desk).contacts == 16


def test_a_squad_gets_its_share_of_the_need(desk, make_squad, make_staff, actor_of):
    lotus, plum = make_squad("Lotus"), make_squad("Plum")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=lotus)
    for squad in (lotus, plum, plum, plum):
        make_staff(squad=squad)
    _tickets(desk, Channel.PHONE, [_local(desk, 7 * w, 10, m % 30) for w in range(1, 9) for m in range(100)])
    mine = squad_demand(desk, actor_of(leader), lotus.id)
    day = desk.now().astimezone(desk.policy.zone).date() + timedelta(days=7)
    # One of four agents: a quarter of 26, rounded up.
    assert mine.needed(day, ShiftKind.DAY) == 7


def test_a_leader_may_not_see_another_squads_demand(desk, make_squad, make_staff, actor_of):
    lotus, plum = make_squad("Lotus"), make_squad("Plum")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=lotus)
    make_staff(squad=plum)
    with pytest.raises(PermissionDenied):
        squad_demand(desk, actor_of(leader), plum.id)
    agent = make_staff(squad=lotus)
    with pytest.raises(PermissionDenied):
        squad_demand(desk, actor_of(agent), lotus.id)


def test_reading_the_demand_again_counts_again_only_when_the_history_changed(desk):
    _tickets(desk, Channel.PHONE, [_local(desk, 7, 10, 0)] * 3)
    first = compute_demand(desk)
    assert compute_demand(desk) is first  # nothing new: the weeks are not counted again
    _tickets(desk, Channel.PHONE, [_local(desk, 0, 9, 0)])  # today's call is not history yet
    assert compute_demand(desk) is first
    _tickets(desk, Channel.PHONE, [_local(desk, 14, 10, 0)])  # a call logged late, dated back
    assert compute_demand(desk).contacts == first.contacts + 1


def test_a_dispatch_dated_into_the_history_is_counted_the_next_time(desk):
    _tickets(desk, Channel.EMAIL, [_local(desk, 7 * 9, 10, 0)])  # received before the history
    before = compute_demand(desk)
    with desk.write() as session:
        ticket = session.exec(select(Ticket)).one()
        ticket.dispatched_at = _local(desk, 7, 11, 0)
    assert compute_demand(desk).contacts == before.contacts + 1
