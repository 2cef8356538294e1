"""The demo month for the evaluation (AT-6, DS-2) and the memo book (DS-4, FN-7).

Runs inside the builder's transaction, after its rows are in: it sharpens the
current month so the best and the worst are plain to see (Lucas Anderson on
time and well inspected; 张伟 late three times, poorly inspected, and a third
complaint that raises a dismissal review), and fills squad Lotus's memo book
with an open problem, an open idea, a declined idea and an adopted one with
its reward in the fund.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from csdesk.models import Attendance, AuditLog, Inspection, LedgerEntry, MemoSuggestion, RollCallEntry, RollCallSession
from csdesk.models.states import MemoKind, SuggestionStatus
from csdesk.policy import Policy
from csdesk.rules.attendance import classify_arrival
from csdesk.rules.fines import Offence, assess_fine
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.services.ledger import DISMISSAL_REVIEW

if TYPE_CHECKING:
    from csdesk.demo.centre import DemoBuilder

BEST, WORST = "Lucas Anderson", "张伟"
LATE_MINUTES = 12

# (author, kind, text, status, reviewer's note, reward)
MEMOS = (
    ("王芳", MemoKind.PROBLEM, "耳机经常断线，客户要重复两三遍。", SuggestionStatus.OPEN, "", 0),
    ("黄丽", MemoKind.IDEA, "在知识库里加一张退款流程图，新人查起来更快。", SuggestionStatus.OPEN, "", 0),
    (
        "James Carter",
        MemoKind.IDEA,
        "Show the queue length on the wallboard by the door.",
        SuggestionStatus.DECLINED,
        "The wallboard already shows it since Monday.",
        0,
    ),
    (
        "杨帆",
        MemoKind.IDEA,
        "高峰时段（19:00-21:00）多排一名在线客服。",
        SuggestionStatus.ADOPTED,
        "Rostered from next week.",
        30,
    ),
)


def _marks(policy: Policy, share: float) -> dict[str, int]:
    """Every rubric criterion at ``share`` of its maximum."""
    rubric = getattr(policy.qa, "rubric", None)
    if rubric is not None:
        return {c.key: round(c.max * share) for c in rubric}
    return {c: round(policy.qa.score_max * share) for c in policy.qa.criteria}


def _month_shifts(builder: DemoBuilder, staff_id: int, start: datetime) -> list[tuple[int, Any]]:
    """(roster id, window) of the person's shifts this month that have started."""
    return sorted(
        (
            (roster_id, window)
            for (sid, _day), (roster_id, window) in builder.shifts.items()
            if sid == staff_id and start <= window.start <= builder.now
        ),
        key=lambda item: item[1].start,
    )


def _set_arrival(
    session: Session, builder: DemoBuilder, staff_id: int, roster_id: int, window: Any, arrived: datetime
) -> None:
    """Rewrites one shift's arrival, in the attendance row and in the roll call that recorded it."""
    arrival = classify_arrival(window, arrived, builder.policy, None)
    left = window.end + timedelta(minutes=3) if window.end <= builder.now else None
    session.execute(
        update(Attendance)
        .where(col(Attendance.roster_id) == roster_id)
        .values(
            clock_in=arrived, clock_out=left, status=arrival.status, minutes_late=arrival.minutes_late, leave_type=None
        )
    )
    calls = select(RollCallSession.id).where(RollCallSession.work_date == window.start.astimezone(builder.zone).date())
    session.execute(
        update(RollCallEntry)
        .where(col(RollCallEntry.staff_id) == staff_id, col(RollCallEntry.session_id).in_(calls))
        .values(
            status=arrival.status,
            minutes_late=arrival.minutes_late,
            arrived_at=arrived,
            rule_ids=list(arrival.decision.rule_ids),
        )
    )


def add_evaluation_month(builder: DemoBuilder, session: Session) -> None:
    policy, now = builder.policy, builder.now
    month_start = datetime.combine(builder.today.replace(day=1), time(0), tzinfo=builder.zone).astimezone(UTC)
    span = now - month_start
    best, worst = builder.by_name(BEST), builder.by_name(WORST)
    inspector = next(p for p in builder.people if p.role is Role.INSPECTOR)

    # AT-2: the best always early, the worst late on three shifts.
    for roster_id, window in _month_shifts(builder, best.id, month_start):
        _set_arrival(session, builder, best.id, roster_id, window, window.start - timedelta(minutes=6))
    for roster_id, window in _month_shifts(builder, worst.id, month_start)[:3]:
        _set_arrival(session, builder, worst.id, roster_id, window, window.start + timedelta(minutes=LATE_MINUTES))

    # QA-2: two samples each, at the top and the bottom of the rubric.
    for k, (who, share) in enumerate(((best, 0.97), (best, 1.0), (worst, 0.55), (worst, 0.6))):
        session.execute(
            insert(Inspection).values(
                inspector_id=inspector.id,
                agent_id=who.id,
                ticket_id=None,
                scores=_marks(policy, share),
                comments="sampled call",
                at=month_start + span * (0.3 + 0.1 * k),
            )
        )

    # FN-3, DS-2: the worst's third complaint of the month goes to the director.
    third = assess_fine(Offence.COMPLAINT, 2, policy)
    leader = builder.leader_of(worst)
    at = month_start + span * 0.9
    fine_id = session.execute(
        insert(LedgerEntry).values(
            kind=LedgerKind.FINE,
            staff_id=worst.id,
            rule_id="FN-3",
            amount_cents=third.amount * 100,
            reason=f"argued with a customer ({third.decision.reason})",
            approver_id=None,
            recorded_by_id=leader.id,
            reverses_id=None,
            at=at,
        )
    ).inserted_primary_key[0]
    session.execute(
        insert(AuditLog).values(
            at=at,
            actor_id=leader.id,
            action="discipline.dismissal_review",
            entity=DISMISSAL_REVIEW,
            entity_id=str(fine_id),
            before=None,
            after={
                "staff_id": worst.id,
                "rule_id": "FN-3",
                "offences_this_month": third.nth_this_month,
                "month": f"{at.astimezone(builder.zone):%Y-%m}",
                "reason": third.decision.reason,
            },
        )
    )

    # DS-4, FN-7: squad Lotus's memo book.
    for k, (name, kind, text, status, note, reward) in enumerate(MEMOS):
        author = builder.by_name(name)
        reviewer = builder.leader_of(author)
        written = now - timedelta(days=6 - k, hours=3)
        reviewed = written + timedelta(hours=20) if status is not SuggestionStatus.OPEN else None
        entry_id = None
        if reward:
            entry_id = session.execute(
                insert(LedgerEntry).values(
                    kind=LedgerKind.REWARD,
                    staff_id=author.id,
                    rule_id="FN-7",
                    amount_cents=-reward * 100,
                    reason=f"adopted memo: {note}",
                    approver_id=reviewer.id,
                    recorded_by_id=reviewer.id,
                    reverses_id=None,
                    at=reviewed,
                )
            ).inserted_primary_key[0]
        session.execute(
            insert(MemoSuggestion).values(
                author_id=author.id,
                kind=kind,
                text=text,
                written_at=written,
                status=status,
                reviewed_by_id=reviewer.id if reviewed else None,
                reviewed_at=reviewed,
                review_note=note,
                reward_entry_id=entry_id,
            )
        )
