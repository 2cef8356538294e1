"""The monthly evaluation through its service: figures summed by the database (AT-6, DS-2)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event

from csdesk.models import Attendance, Inspection, RosterEntry
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import AttendanceStatus, Role
from csdesk.services.base import InvalidInput, PermissionDenied
from csdesk.services.evaluation import monthly_evaluation
from csdesk.services.ledger import grant_reward, record_fine, reverse
from csdesk.services.roster import ensure_shift_definitions

# The week before the test clock's Monday (2026-03-09).
WEEK = [date(2026, 3, 2) + timedelta(days=k) for k in range(5)]


def full_marks(policy, share: float) -> dict[str, int]:
    """Every criterion at ``share`` of its maximum, whatever the rubric looks like."""
    rubric = getattr(policy.qa, "rubric", None)
    if rubric is not None:
        return {c.key: round(c.max * share) for c in rubric}
    return {c: round(policy.qa.score_max * share) for c in policy.qa.criteria}


@pytest.fixture
def month(desk, make_squad, make_staff, actor_of):
    """Squad A: 王芳 always on time, well inspected; 张伟 late twice, absent once,
    three complaints. Squad B: Chloe, on time, never inspected, one reward."""
    a, b = make_squad("A"), make_squad("B")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=a)
    b_leader = make_staff(role=Role.SQUAD_LEADER, squad=b)
    wang = make_staff(squad=a, real_name="王芳")
    zhang = make_staff(squad=a, real_name="张伟")
    chloe = make_staff(squad=b, real_name="Chloe Davis")
    inspector = make_staff(role=Role.INSPECTOR)
    dept = make_staff(role=Role.DEPARTMENT_DIRECTOR)
    zone = desk.policy.zone
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        for person in (wang, zhang, chloe):
            for k, day in enumerate(WEEK):
                roster = RosterEntry(staff_id=person.id, work_date=day, shift_id=shifts["day"])
                session.add(roster)
                session.flush()
                start = datetime.combine(day, time(8, 30), tzinfo=zone)
                status, late = AttendanceStatus.PRESENT, 0
                if person is zhang and k in (0, 1):
                    status, late = AttendanceStatus.LATE, 10
                if person is zhang and k == 2:
                    session.add(
                        Attendance(staff_id=person.id, roster_id=roster.id, status=AttendanceStatus.ABSENTEEISM)
                    )
                    continue
                session.add(
                    Attendance(
                        staff_id=person.id,
                        roster_id=roster.id,
                        status=status,
                        minutes_late=late,
                        clock_in=start + timedelta(minutes=late),
                        clock_out=start + timedelta(hours=9),
                    )
                )
        at = datetime.combine(WEEK[3], time(15), tzinfo=zone)
        session.add(Inspection(inspector_id=inspector.id, agent_id=wang.id, scores=full_marks(desk.policy, 1.0), at=at))
        session.add(
            Inspection(inspector_id=inspector.id, agent_id=zhang.id, scores=full_marks(desk.policy, 0.5), at=at)
        )
    boss = actor_of(leader)
    for k in range(3):
        record_fine(
            desk,
            boss,
            zhang.id,
            Offence.COMPLAINT,
            "quarrel",
            occurred_at=datetime.combine(WEEK[k], time(12), tzinfo=zone),
        )
    grant_reward(desk, actor_of(b_leader), chloe.id, 20, "idea adopted")
    return type(
        "Month",
        (),
        dict(
            wang=wang,
            zhang=zhang,
            chloe=chloe,
            leader=actor_of(leader),
            b_leader=actor_of(b_leader),
            inspector=actor_of(inspector),
            dept=actor_of(dept),
            agent=actor_of(wang),
            a=a,
            b=b,
        ),
    )


def test_at_6_the_centre_is_ranked_and_best_and_worst_named(desk, month):
    result = monthly_evaluation(desk, month.dept, "2026-03")
    assert [p.name for p in result.people] == ["王芳", "Chloe Davis", "张伟"]
    best, worst = result.best[0], result.worst[0]
    assert (best.name, worst.name) == ("王芳", "张伟")
    assert result.reason == f"best: No. {best.employee_number} 王芳; worst: No. {worst.employee_number} 张伟"
    assert (worst.shifts_due, worst.lates, worst.absences) == (5, 2, 1)
    assert worst.minutes_worked == 4 * 9 * 60 - 2 * 10 and worst.minutes_rostered == 5 * 9 * 60
    assert worst.fines_cents == (50 + 100 + 200) * 100
    assert (best.inspections, best.quality, worst.quality) == (1, 1.0, 0.5)
    # Chloe was never inspected: she is scored at the month's average, shown as not inspected.
    chloe = result.people[1]
    assert chloe.quality is None and chloe.quality_part == 0.75 and chloe.rewards_cents == 2000
    assert best.score > chloe.score > worst.score and [p.rank for p in result.people] == [1, 2, 3]


def test_at_6_each_squad_names_its_own_best_and_worst(desk, month):
    result = monthly_evaluation(desk, month.dept, "2026-03")
    by_name = {s.name: s for s in result.squads}
    assert by_name["A"].best == (f"No. {month.wang.employee_number} 王芳",)
    assert by_name["A"].worst == (f"No. {month.zhang.employee_number} 张伟",)
    # One person is not named both best and worst.
    assert by_name["B"].best == () and by_name["B"].people == 1
    assert {p.name: p.squad_rank for p in result.people} == {"王芳": 1, "张伟": 2, "Chloe Davis": 1}


def test_ds_2_third_complaint_of_the_month_is_listed_for_the_director(desk, month):
    reviews = monthly_evaluation(desk, month.dept, "2026-03").reviews
    assert [(r.name, r.rule_id, r.offences) for r in reviews] == [("张伟", "FN-3", 3)]
    assert "DS-2" in reviews[0].rule_ids and "dismissal review" in reviews[0].reason


def test_ds_2_a_reversed_fine_leaves_two_offences_and_no_review(desk, month):
    last = monthly_evaluation(desk, month.dept, "2026-03")
    assert last.reviews
    from csdesk.services.ledger import ledger_page

    fine = next(r for r in ledger_page(desk, month.dept) if r.rule_id == "FN-3")
    reverse(desk, month.dept, fine.id, "wrong person")
    result = monthly_evaluation(desk, month.dept, "2026-03")
    assert result.reviews == ()
    assert next(p for p in result.people if p.name == "张伟").fines_cents == (50 + 100) * 100


def test_at_6_a_squad_leader_sees_their_squad_without_the_reviews(desk, month):
    result = monthly_evaluation(desk, month.leader, "2026-03")
    assert {p.name for p in result.people} == {"王芳", "张伟"} and result.reviews is None
    assert result.squad_id == month.a.id
    with pytest.raises(PermissionDenied, match="own squad"):
        monthly_evaluation(desk, month.leader, "2026-03", squad_id=month.b.id)


@pytest.mark.parametrize("who", ["agent", "inspector"])
def test_at_6_agents_and_inspectors_are_refused(desk, month, who):
    with pytest.raises(PermissionDenied) as refused:
        monthly_evaluation(desk, getattr(month, who), "2026-03")
    assert "ST-2" in refused.value.rule_ids and "AT-6" in refused.value.rule_ids


def test_at_6_another_month_holds_nothing_of_this_one(desk, month):
    result = monthly_evaluation(desk, month.dept, "2026-02")
    assert all(p.shifts_due == 0 and p.fines_cents == 0 for p in result.people)
    assert result.best == () and "tied" in result.reason and result.reviews == ()


@pytest.mark.parametrize("text", ["2026-3", "March", "2026-13"])
def test_a_month_that_is_not_a_month_is_refused_by_name(desk, month, text):
    with pytest.raises(InvalidInput) as bad:
        monthly_evaluation(desk, month.dept, text)
    assert bad.value.field == "month"


def test_the_figures_take_a_fixed_number_of_queries_whatever_the_headcount(desk, month, make_staff):
    def queries() -> int:
        seen = []
        engine = desk.db.engine

        def count(*_args):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            monthly_evaluation(desk, month.dept, "2026-03")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    before = queries()
    for _ in range(5):
        make_staff(squad=month.a)
    assert queries() == before
