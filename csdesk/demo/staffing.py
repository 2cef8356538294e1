"""The demo centre's interns (ST-4), duties marked done (SC-5, TK-17) and contact sheet (ST-5).

Each squad has one intern at a different point: Lotus's is ready to convert
(hours, two check-ins, summary approved), Orchid's summary waits for the
director with one check-in done, and Bamboo's leader has recommended early
conversion, which waits for the head. This month most duties were
marked done by the role that keeps them; a few were missed and show overdue.
Two formal agents have no address on file, so the sheet flags them.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session

from csdesk.models import DutyDone, EarlyConversion, InternSummary, Staff, TrainingCheckIn, TrainingLog
from csdesk.rules.calendar import occurrences
from csdesk.rules.duties import done_key, keepers
from csdesk.rules.vocab import Role, StaffStatus

if TYPE_CHECKING:
    from csdesk.demo.centre import DemoBuilder, DemoPerson

SUMMARIES = (
    "实习四周总结：跟听电话二十余小时，独立受理查询类工单；熟悉了交接班和工单升级流程，对投诉处理的话术还需加强。",
    "Four weeks on the chat queue: I now answer billing and delivery questions alone and know when to "
    "escalate. I still need practice with angry callers.",
    "实习总结：掌握了宽带故障排查步骤和回访流程，能按知识库答复客户。",
)
RELATIONS = ("母亲", "父亲", "配偶", "Mother", "Spouse", "姐姐")
STREETS = (
    "浦东新区张江路{n}号",
    "徐汇区漕溪北路{n}号",
    "{n} Harbour Road",
    "静安区南京西路{n}号",
    "{n} Riverside Avenue",
)
# Duties missed on purpose, so home and the calendar have something overdue: (duty, days ago).
MISSED = {("workload-report", 1), ("daily-quality-report", 2), ("squad-meeting", 0)}


def add_staffing(builder: DemoBuilder, session: Session) -> None:
    rng = random.Random(f"staffing-{builder.today.isoformat()}")
    _interns(builder, session)
    _duties(builder, session, rng)
    _contacts(builder, session, rng)


def _at(builder: DemoBuilder, days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = builder.today - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=builder.zone).astimezone(UTC)


def _interns(builder: DemoBuilder, session: Session) -> None:
    director = next(p for p in builder.people if p.role is Role.DEPARTMENT_DIRECTOR)
    trainees: list[DemoPerson] = [p for p in builder.people if p.status is StaffStatus.INTERN]
    logs, meetings, summaries, early = [], [], [], []
    for index, intern in enumerate(trainees):
        leader = next(p for p in builder.members(intern.squad_index or 0) if p.role is Role.SQUAD_LEADER)
        deputy = next(p for p in builder.members(intern.squad_index or 0) if p.role is Role.DEPUTY_LEADER)
        # The builder logged 24 hours each; Lotus's intern goes past the bar, Bamboo's a little further.
        extra = {0: [300, 360, 330], 2: [240]}.get(index, [])
        for k, minutes in enumerate(extra):
            logs.append(
                {
                    "intern_id": intern.id,
                    "work_date": builder.today - timedelta(days=2 * k + 2),
                    "minutes": minutes,
                    "activity": "独立接听电话，导师旁听",
                    "recorded_by_id": leader.id,
                }
            )
        for k, mentor in enumerate((leader, deputy)[: 2 if index == 0 else 1]):
            meetings.append(
                {
                    "intern_id": intern.id,
                    "mentor_id": mentor.id,
                    "at": _at(builder, 12 - 7 * k, 17, 40),
                    "notes": ("第一周：熟悉系统和话术", "Second week: handles billing calls alone")[k],
                }
            )
        written = _at(builder, 3, 18)
        approved = index != 1
        summaries.append(
            {
                "intern_id": intern.id,
                "text": SUMMARIES[index % len(SUMMARIES)],
                "written_by_id": intern.id,
                "written_at": written,
                "approved": True if approved else None,
                "decided_by_id": director.id if approved else None,
                "decided_at": written + timedelta(hours=20) if approved else None,
                "decision_note": "",
            }
        )
        if index == 2:
            early.append(
                {
                    "intern_id": intern.id,
                    "recommended_by_id": leader.id,
                    "recommended_at": _at(builder, 1, 10),
                    "reason": "Handles fault reports alone; the squad is short on the night shift.",
                    "approved_by_id": None,
                    "approved_at": None,
                }
            )
    for model, rows in (
        (TrainingLog, logs),
        (TrainingCheckIn, meetings),
        (InternSummary, summaries),
        (EarlyConversion, early),
    ):
        if rows:
            session.execute(insert(model), rows)


def _duties(builder: DemoBuilder, session: Session, rng: random.Random) -> None:
    policy, zone = builder.policy, builder.zone
    keeper_of: dict[tuple[Role, int | None], DemoPerson] = {}
    for person in builder.people:
        keeper_of.setdefault(
            (person.role, builder.squad_ids[person.squad_index] if person.squad_index is not None else None), person
        )
    duties = {d.id: d for d in policy.duties}
    marks: dict[tuple[str, object, int | None], dict[str, object]] = {}
    # The month so far (at least a week), so the calendar's month view is kept too.
    first = min(builder.today - timedelta(days=7), builder.today.replace(day=1))
    for occ in occurrences(policy, first, builder.today):
        if occ.at >= builder.now:
            continue
        duty = duties[occ.duty_id]
        days_ago = (builder.today - occ.at.date()).days
        for squad_id in builder.squad_ids if duty.per_squad else [None]:
            if (duty.id, days_ago) in MISSED and (squad_id in (None, builder.squad_ids[-1])):
                continue
            role = next(
                (
                    r
                    for r in (Role.SQUAD_LEADER, Role.DEPUTY_LEADER, Role.INSPECTOR, Role.DEPARTMENT_DIRECTOR)
                    if r in keepers(duty)
                ),
                None,
            )
            who = keeper_of.get((role, squad_id)) if role is not None else None
            if who is None:
                continue
            key, period = done_key(duty, occ.at, zone)
            done_at = occ.at.astimezone(UTC) + timedelta(minutes=rng.randint(-20, 25))
            marks.setdefault(
                (key, period, squad_id),
                {
                    "duty": key,
                    "period_start": period,
                    "squad_id": squad_id,
                    "done_by_id": who.id,
                    "done_at": min(done_at, builder.now),
                    "note": "",
                },
            )
    if marks:
        session.execute(insert(DutyDone), list(marks.values()))


def _contacts(builder: DemoBuilder, session: Session, rng: random.Random) -> None:
    agents = [p for p in builder.people if p.role is Role.AGENT and p.status is StaffStatus.FORMAL]
    without_address = {agents[3].id, agents[17].id} if len(agents) > 17 else set()
    rows = []
    for person in builder.people:
        relation = RELATIONS[rng.randrange(len(RELATIONS))]
        rows.append(
            {
                "sid": person.id,
                "address": ""
                if person.id in without_address
                else STREETS[rng.randrange(len(STREETS))].format(n=rng.randint(1, 300)),
                "emergency_contact": f"{relation} 13{rng.randint(100_000_000, 999_999_999)}",
            }
        )
    table = Staff.__table__
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("sid"))
        .values(address=bindparam("address"), emergency_contact=bindparam("emergency_contact")),
        rows,
    )
