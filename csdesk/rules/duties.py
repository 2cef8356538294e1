"""Who keeps each recurring duty, and what one "done" covers (SC-5, TK-17).

The calendar (rules.calendar) says when a duty falls; this says who marks it
done and which occurrence a mark belongs to.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from csdesk.formats import short_date
from csdesk.i18n import _
from csdesk.policy import Duty
from csdesk.rules.decision import Decision
from csdesk.rules.vocab import LEADER_ROLES, Role
from csdesk.vocabulary import role_label

# A duty that names nobody is kept by whoever runs the floor.
DEFAULT_KEEPERS = LEADER_ROLES | {Role.INSPECTOR}

# Listed in rank order in refusals.
_RANK = (Role.DEPUTY_LEADER, Role.SQUAD_LEADER, Role.INSPECTOR, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)


def keepers(duty: Duty) -> frozenset[Role]:
    return frozenset(duty.responsible) or DEFAULT_KEEPERS


def period_start(freq: str, day: date) -> date:
    """The period one mark covers: the day, its week's Monday, or the month's first day."""
    if freq == "weekly":
        return day - timedelta(days=day.weekday())
    if freq == "monthly":
        return day.replace(day=1)
    return day


def done_key(duty: Duty, at: datetime, zone: ZoneInfo) -> tuple[str, date]:
    """(key, period start) under which the occurrence at ``at`` is marked done.

    A duty held several times a day (the handover meeting at each shift change)
    is marked per time, so the morning meeting done leaves the evening one open.
    """
    local = at.astimezone(zone)
    key = duty.id if len(duty.times) < 2 else f"{duty.id}@{local:%H:%M}"
    return key, period_start(duty.freq, local.date())


def check_mark_done(duty: Duty, role: Role, at: datetime, now: datetime, zone: ZoneInfo) -> Decision:
    """SC-5, TK-17: only the role that holds a duty marks it done, and not before its day."""
    rule_ids = tuple(duty.rule_ids) or ("SC-5",)
    allowed = keepers(duty)
    if Role(role) not in allowed:
        who = _(" or ").join(role_label(r) for r in _RANK if r in allowed)
        return Decision.refused(_("{title} is marked done by the {who}").format(title=duty.title, who=who), *rule_ids)
    if at.astimezone(zone).date() > now.astimezone(zone).date():
        return Decision.refused(
            _("{title} falls on {day}; it is marked done on or after its day").format(
                title=duty.title, day=short_date(at.astimezone(zone).date())
            ),
            *rule_ids,
        )
    return Decision.allowed(_("{title} marked done").format(title=duty.title), *rule_ids)
