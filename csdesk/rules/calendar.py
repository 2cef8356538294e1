"""Recurring duties (SC-5, TK-17, QA-3, QA-4): when each falls, and what is due at "now".

Duties are described in the policy file (`[[duties]]`) and expanded with
dateutil's rrule in the centre's time zone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal

from dateutil.rrule import DAILY, FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, weekday

from csdesk.formats import day_and_clock
from csdesk.i18n import _
from csdesk.policy import Duty, Policy
from csdesk.rules.decision import Decision

_FREQ: dict[str, Literal[0, 1, 2, 3, 4, 5, 6]] = {"daily": DAILY, "weekly": WEEKLY, "monthly": MONTHLY}
_WEEKDAY: dict[str, weekday] = {"MO": MO, "TU": TU, "WE": WE, "TH": TH, "FR": FR, "SA": SA, "SU": SU}


@dataclass(frozen=True)
class Occurrence:
    duty_id: str
    title: str
    at: datetime
    rule_ids: tuple[str, ...]
    remind_minutes: int


class DutyStatus(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


def _rule(duty: Duty, start: datetime, until: datetime) -> rrule:
    return rrule(
        _FREQ[duty.freq],
        dtstart=start,
        until=until,
        byweekday=[_WEEKDAY[w] for w in duty.weekdays] or None,
        bymonthday=duty.month_days or None,
        byhour=sorted({t.hour for t in duty.times}),
        byminute=sorted({t.minute for t in duty.times}),
        bysecond=0,
    )


def occurrences(policy: Policy, start: date, end: date, duties: Iterable[Duty] | None = None) -> list[Occurrence]:
    """Every duty occurrence from the start of `start` to the end of `end`, in time order."""
    zone = policy.zone
    first = datetime.combine(start, time(0), tzinfo=zone)
    last = datetime.combine(end, time(23, 59, 59), tzinfo=zone)
    found: list[Occurrence] = []
    for duty in policy.duties if duties is None else duties:
        wanted = {(t.hour, t.minute) for t in duty.times}
        for moment in _rule(duty, first, last):
            # byhour x byminute may pair times the duty didn't list (08:30 and 17:00 -> 08:00).
            if (moment.hour, moment.minute) in wanted:
                found.append(Occurrence(duty.id, duty.title, moment, tuple(duty.rule_ids), duty.remind_minutes))
    return sorted(found, key=lambda o: (o.at, o.duty_id))


def duty_status(occurrence: Occurrence, now: datetime, done: bool = False) -> DutyStatus:
    if done:
        return DutyStatus.DONE
    if now > occurrence.at:
        return DutyStatus.OVERDUE
    if now >= occurrence.at - timedelta(minutes=occurrence.remind_minutes):
        return DutyStatus.DUE
    return DutyStatus.UPCOMING


def duties_at(
    policy: Policy,
    now: datetime,
    done: Collection[tuple[str, datetime]] = (),
    look_back_days: int = 7,
) -> list[tuple[Occurrence, DutyStatus, Decision]]:
    """Duties due now or overdue (not in `done`, given as (duty id, occurrence time)).

    Overdue duties are looked for up to `look_back_days` back.
    """
    local = now.astimezone(policy.zone)
    horizon = max((d.remind_minutes for d in policy.duties), default=0)
    end = (local + timedelta(minutes=horizon)).date()
    result: list[tuple[Occurrence, DutyStatus, Decision]] = []
    for occ in occurrences(policy, local.date() - timedelta(days=look_back_days), end):
        status = duty_status(occ, now, (occ.duty_id, occ.at) in done)
        words = {"title": occ.title, "at": day_and_clock(occ.at)}
        if status is DutyStatus.DUE:
            decision = Decision.warning(_("{title} due at {at}").format(**words), *occ.rule_ids)
        elif status is DutyStatus.OVERDUE:
            decision = Decision.violation(_("{title} was due at {at}").format(**words), *occ.rule_ids)
        else:
            continue
        result.append((occ, status, decision))
    return result
