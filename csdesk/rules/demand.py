"""How many agents a shift needs, from the load the centre sees (SC-1, TK-3..TK-7, TK-13).

Live channels (phone, chat) are queues: a customer waits while every agent is
busy, so the staff needed follow Erlang C. Deferred work (forum, email, back
office) only has to be done within its answer window, so what counts is the
work that arrives in that window spread over its length.

Erlang C is written out here rather than taken from a package: the queueing
packages on the index (pyworkforce and its kin) bring pandas, numpy and OR-Tools
with them and pin a new major python-dateutil, for a formula of a few lines.
It is checked against published textbook values in the tests.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from csdesk.policy import ChannelDemand, Policy
from csdesk.rules.shifts import shift_window
from csdesk.rules.vocab import ShiftKind

# The largest team one queue is sized for; beyond it the input is nonsense.
MAX_AGENTS = 10_000


def erlang_c(traffic: float, agents: int) -> float:
    """Probability that a contact waits, with `traffic` erlangs offered to `agents` agents.

    Computed through the Erlang B recursion, which never overflows (no factorials).
    """
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    occupancy = traffic / agents
    return blocking / (1 - occupancy + occupancy * blocking)


def _check_times(handle_seconds: float, answer_seconds: float) -> None:
    if handle_seconds <= 0:
        raise ValueError(f"handling time must be positive, got {handle_seconds}")
    if answer_seconds < 0:
        raise ValueError(f"answer time cannot be negative, got {answer_seconds}")


def _check_span(seconds: float, max_occupancy: float) -> None:
    if seconds <= 0:
        raise ValueError(f"an interval or window must be positive, got {seconds}")
    if not 0 < max_occupancy <= 1:
        raise ValueError(f"occupancy must be above 0 and at most 1, got {max_occupancy}")


def service_level(traffic: float, agents: int, handle_seconds: float, answer_seconds: float) -> float:
    """Share of contacts answered within `answer_seconds`."""
    _check_times(handle_seconds, answer_seconds)
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waiting = erlang_c(traffic, agents)
    return 1 - waiting * math.exp(-(agents - traffic) * answer_seconds / handle_seconds)


def agents_for_queue(
    arrivals: float,
    interval_seconds: float,
    handle_seconds: float,
    answer_seconds: float,
    target: float,
    max_occupancy: float,
) -> int:
    """Fewest agents answering the `target` share of contacts within `answer_seconds`."""
    _check_span(interval_seconds, max_occupancy)
    _check_times(handle_seconds, answer_seconds)
    if not 0 < target < 1:
        raise ValueError(f"a service level target lies between 0 and 1, got {target}")
    if arrivals <= 0:
        return 0
    traffic = arrivals * handle_seconds / interval_seconds
    # Compared before dividing, as for the backlog: a load past any team, or past what a
    # float holds (a vanishing interval or occupancy), asks for the largest team there is.
    if not math.isfinite(traffic) or traffic >= max_occupancy * MAX_AGENTS:
        return MAX_AGENTS
    agents = max(1, math.ceil(traffic / max_occupancy))
    while agents < MAX_AGENTS:
        if service_level(traffic, agents, handle_seconds, answer_seconds) >= target:
            return agents
        agents += 1
    return MAX_AGENTS


def agents_for_backlog(work_seconds: float, window_seconds: float, max_occupancy: float) -> int:
    """Agents who finish `work_seconds` of deferred work within a window of that length."""
    _check_span(window_seconds, max_occupancy)
    if work_seconds <= 0:
        return 0
    capacity = window_seconds * max_occupancy
    # Compared before dividing: a vanishing capacity would overflow, not just ask for many.
    if capacity <= 0 or work_seconds >= capacity * MAX_AGENTS:
        return MAX_AGENTS
    return math.ceil(work_seconds / capacity)


# -- the load profile ------------------------------------------------------------------

Slot = tuple[int, int]
"""(weekday 0=Monday, slot of the day): e.g. (0, 17) is Monday 08:30-09:00 with 30-minute slots."""


def slots_per_day(policy: Policy) -> int:
    return 24 * 60 // policy.demand.interval_minutes


def slot_of(moment: datetime, policy: Policy) -> Slot:
    local = moment.astimezone(policy.zone)
    return local.weekday(), (local.hour * 60 + local.minute) // policy.demand.interval_minutes


def weekday_counts(first: date, last: date) -> list[int]:
    """How many of each weekday lie from `first` to `last` inclusive."""
    counts = [0] * 7
    days = (last - first).days + 1
    full, rest = divmod(max(days, 0), 7)
    for weekday in range(7):
        counts[weekday] = full
    for offset in range(rest):
        counts[(first.weekday() + offset) % 7] += 1
    return counts


def expected_load(
    arrivals: Sequence[datetime] | Mapping[datetime, int], first: date, last: date, policy: Policy
) -> dict[Slot, float]:
    """Average contacts per slot of each weekday, over the history from `first` to `last`.

    ``arrivals``: each contact's moment, or how many arrived at each moment (moments
    rounded down to ``bucket_minutes``, as a database counts them)."""
    seen = weekday_counts(first, last)
    counted = arrivals.items() if isinstance(arrivals, Mapping) else ((moment, 1) for moment in arrivals)
    totals: dict[Slot, int] = {}
    for moment, count in counted:
        slot = slot_of(moment, policy)
        totals[slot] = totals.get(slot, 0) + count
    return {slot: count / seen[slot[0]] for slot, count in totals.items() if seen[slot[0]]}


def bucket_minutes(policy: Policy) -> int:
    """Arrivals counted per this many minutes fall wholly in one slot in any time zone:
    every zone's offset from UTC is a whole number of quarter hours."""
    return math.gcd(policy.demand.interval_minutes, 15)


def channel_rule(channel: str, policy: Policy) -> ChannelDemand:
    try:
        return policy.demand.channels[channel]
    except KeyError:
        known = ", ".join(policy.demand.channels)
        raise ValueError(f"{channel!r} is not a channel of [demand.channels] ({known})") from None


def answer_seconds(channel: str, policy: Policy) -> int:
    """The channel's answer time: set in [demand.channels], else its SLA in [tickets]."""
    rule = channel_rule(channel, policy)
    if rule.answer_seconds is not None:
        return rule.answer_seconds
    tickets = policy.tickets
    if channel == "phone":
        return tickets.phone_pickup_rings * policy.demand.ring_seconds
    if channel == "chat":
        return tickets.chat_greeting_seconds
    if channel == "forum":
        return tickets.forum_answer_minutes * 60
    if channel == "back_office":
        return tickets.back_office_hours * 3600
    day = shift_window(date(2024, 1, 1), ShiftKind.DAY, policy)
    return int((day.end - day.start).total_seconds())


def channel_needs(load: Mapping[Slot, float], channel: str, policy: Policy) -> dict[Slot, int]:
    """Agents one channel needs in each slot of the week, before shrinkage."""
    rule = channel_rule(channel, policy)
    answer = answer_seconds(channel, policy)
    interval = policy.demand.interval_minutes * 60
    occupancy = policy.demand.max_occupancy
    per_day = slots_per_day(policy)
    needs: dict[Slot, int] = {}
    if rule.method == "erlang_c":
        for slot, arrivals in load.items():
            needs[slot] = agents_for_queue(
                arrivals, interval, rule.handle_seconds, answer, rule.service_level, occupancy
            )
        return needs
    # Work may be answered any time within its window: what arrived over the
    # window up to this slot is spread over the window's length.
    window_slots = max(1, math.ceil(answer / interval))
    week = 7 * per_day
    for weekday in range(7):
        for index in range(per_day):
            position = weekday * per_day + index
            work = 0.0
            for back in range(window_slots):
                earlier = (position - back) % week
                work += load.get(divmod(earlier, per_day), 0.0) * rule.handle_seconds
            needed = agents_for_backlog(work, max(answer, interval), occupancy)
            if needed:
                needs[(weekday, index)] = needed
    return needs


@dataclass(frozen=True)
class ShiftNeed:
    weekday: int
    kind: ShiftKind
    agents: int  # rostered heads, shrinkage included
    busiest_slot: int | None  # the slot of the day that sets the number


def _slots_in_shift(kind: ShiftKind, policy: Policy) -> list[tuple[int, int]]:
    """(day offset, slot) covered by the shift of a day: the night runs past midnight."""
    # Any fixed day gives the wall-clock slots; a Monday keeps offsets simple.
    day = date(2024, 1, 1)
    window = shift_window(day, kind, policy)
    step = timedelta(minutes=policy.demand.interval_minutes)
    start = datetime.combine(day, time(0), tzinfo=window.start.tzinfo)
    covered = []
    moment = window.start
    while moment < window.end:
        offset = (moment.date() - day).days
        index = int((moment - start - timedelta(days=offset)) / step)
        covered.append((offset, index))
        moment += step
    return covered


def shift_needs(needs: Mapping[Slot, int], policy: Policy) -> dict[tuple[int, ShiftKind], ShiftNeed]:
    """Rostered agents each shift of each weekday needs to cover its busiest slot."""
    keep = 1 - policy.demand.shrinkage
    result: dict[tuple[int, ShiftKind], ShiftNeed] = {}
    for kind in ShiftKind:
        covered = _slots_in_shift(kind, policy)
        for weekday in range(7):
            best, busiest = 0, None
            for offset, index in covered:
                value = needs.get(((weekday + offset) % 7, index), 0)
                if value > best:
                    best, busiest = value, index
            agents = math.ceil(best / keep) if best else 0
            result[(weekday, kind)] = ShiftNeed(weekday, kind, agents, busiest)
    return result


def add_needs(parts: Sequence[Mapping[Slot, int]]) -> dict[Slot, int]:
    """Agents needed per slot over all channels (each channel has its own agents at a time)."""
    total: dict[Slot, int] = {}
    for part in parts:
        for slot, agents in part.items():
            total[slot] = total.get(slot, 0) + agents
    return total
