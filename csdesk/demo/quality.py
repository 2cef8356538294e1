"""The demo centre's quality inspections (QA-1..QA-3) and daily spot-check reports (QA-4).

Last month every agent was sampled 1-5 times; this month the inspector is part
way through, so some agents are still flagged with no sample and a few already
have five. Each agent has a steady profile: most are good with a shared
weakness in eliciting needs (whole-team training), a few have a weakness of
their own (individual training), and the agent fined for complaints scores low
on attitude and tone. Squad leaders write the daily spot-check report on
weekdays, now and then without the forum.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from csdesk.models import Inspection, SpotCheck, Ticket
from csdesk.rules.vocab import Role

if TYPE_CHECKING:
    from csdesk.demo.centre import DemoBuilder, DemoPerson

# Share of each criterion's max an agent usually earns, before day-to-day noise.
_BASE = 0.86
# Most of the team is weak at eliciting needs: whole-team training in the weekly summary.
_TEAM_WEAK = {"eliciting_needs": 0.66}
# Individual profiles by name: the complaints agent and a few others.
_PROFILES = {
    "张伟": {"attitude": 0.55, "tone": 0.52},
    "Henry Wilson": {"responsiveness": 0.6},
    "吴强": {"service_language": 0.62},
    "Chloe Davis": {"tone": 0.64},
    "Grace Miller": {"eliciting_needs": 0.9},
    "王秀英": {"eliciting_needs": 0.88},
}
_REMARKS = {
    "service_language": "used slang instead of the standard greeting",
    "attitude": "argued with the customer instead of listening",
    "tone": "sounded impatient when the customer repeated the question",
    "eliciting_needs": "answered before asking what the customer actually needed",
    "responsiveness": "long silence while looking up the order",
}
_COMMENTS = (
    "Polite and clear; confirm the need before answering.",
    "Solved on the first call. Keep the closing phrase.",
    "Good product knowledge; slow to summarise the problem.",
    "Customer satisfied; hold time was long.",
    "Followed the script well; ask one more question next time.",
)
_FINDINGS = (
    "Two recordings without the standard greeting; forum answers on time.",
    "One email answered after 4 hours; recordings fine.",
    "none",
    "Forum thread about delivery delays left unanswered overnight.",
    "A chat closed before the customer confirmed; told the agent.",
)
_TRAINING = ("Greeting drill at roll call.", "", "Reminder on email response times.", "")
# Samples already taken this month by the day of the month: the inspector's pace.
_PER_AGENT_LAST_MONTH = (1, 2, 2, 3, 3, 3, 4, 5)


def _score(builder: DemoBuilder, person: DemoPerson) -> tuple[dict[str, int], dict[str, str]]:
    scores, notes = {}, {}
    profile = {**_TEAM_WEAK, **_PROFILES.get(person.name, {})}
    for criterion in builder.policy.qa.rubric:
        share = profile.get(criterion.key, _BASE) + builder.rng.uniform(-0.08, 0.08)
        points = max(0, min(criterion.max, round(criterion.max * share)))
        scores[criterion.key] = points
        if points < criterion.max * builder.policy.qa.training_below / 100 and criterion.key in _REMARKS:
            notes[criterion.key] = _REMARKS[criterion.key]
    return scores, notes


def _tickets_of(builder: DemoBuilder) -> dict[int, list[dict[str, Any]]]:
    by_owner: dict[int, list[dict[str, Any]]] = {}
    for row in builder.rows.tables.get(Ticket, []):
        if row.get("owner_id") is not None and row.get("resolved_at") is not None:
            by_owner.setdefault(row["owner_id"], []).append(row)
    return by_owner


def _moment(builder: DemoBuilder, first: date, last: date) -> datetime:
    days = max(0, (last - first).days)
    day = first + timedelta(days=builder.rng.randint(0, days))
    at = datetime.combine(
        day, time(builder.rng.randint(9, 16), builder.rng.choice((0, 15, 30, 45))), tzinfo=builder.zone
    ).astimezone(UTC)
    return min(at, _recent(builder))


def _recent(builder: DemoBuilder) -> datetime:
    """Half an hour ago, on the minute: the latest a demo inspection happened."""
    return (builder.now - timedelta(minutes=30)).replace(second=0, microsecond=0)


def add_quality(builder: DemoBuilder) -> None:
    """Adds the inspections of last month and this month so far, and the spot-check reports."""
    inspector = next(p for p in builder.people if p.role is Role.INSPECTOR)
    agents = [p for p in builder.people if p.role in (Role.AGENT, Role.DEPUTY_LEADER)]
    tickets = _tickets_of(builder)
    high = builder.policy.qa.max_samples_per_month
    this_first = builder.today.replace(day=1)
    last_last = this_first - timedelta(days=1)
    last_first = last_last.replace(day=1)
    # How far through the month the inspector is: nobody early on, most agents by the 20th.
    progress = min(1.0, builder.today.day / 24)
    for n, person in enumerate(agents):
        last_month = _PER_AGENT_LAST_MONTH[n % len(_PER_AGENT_LAST_MONTH)]
        this_month = round(high * progress * builder.rng.uniform(0.0, 1.3))
        if n % 7 == 3:
            this_month = 0  # still to be sampled: flagged on the screen
        if n % 9 == 1:
            this_month = high  # already complete
        plan = [(last_first, last_last)] * last_month + [(this_first, builder.today)] * min(high, this_month)
        own = list(tickets.get(person.id, []))
        for first, last in plan:
            in_range = [t for t in own if first <= t["resolved_at"].astimezone(builder.zone).date() <= last]
            ticket = builder.rng.choice(in_range) if in_range and builder.rng.random() < 0.8 else None
            if ticket is not None:
                own.remove(ticket)
                at = min(ticket["resolved_at"] + timedelta(hours=builder.rng.randint(2, 30)), _recent(builder))
                if at.astimezone(builder.zone).date() > last:
                    at = ticket["resolved_at"]
            else:
                at = _moment(builder, first, last)
            scores, notes = _score(builder, person)
            builder.rows.add(
                Inspection,
                inspector_id=inspector.id,
                agent_id=person.id,
                ticket_id=ticket["id"] if ticket else None,
                scores=scores,
                notes=notes,
                comments=builder.rng.choice(_COMMENTS),
                at=at,
            )
    _spot_checks(builder)


def _spot_checks(builder: DemoBuilder) -> None:
    """QA-4: each squad leader's daily report on the weekdays of the last two weeks."""
    leaders = [p for p in builder.people if p.role is Role.SQUAD_LEADER]
    for back in range(14, 0, -1):
        day = builder.today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for k, leader in enumerate(leaders):
            checked = ["recordings", "forum", "email"]
            if (back + k) % 5 == 0:
                checked.remove("forum")
            builder.rows.add(
                SpotCheck,
                supervisor_id=leader.id,
                work_date=day,
                checked=checked,
                findings=_FINDINGS[(back + k) % len(_FINDINGS)],
                training=_TRAINING[(back * 3 + k) % len(_TRAINING)],
                at=datetime.combine(day, time(17, 10 + k * 5), tzinfo=builder.zone).astimezone(UTC),
            )
