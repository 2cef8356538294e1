"""Planning a month: drafts over the roster, live checks, publishing with notifications."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from csdesk.models import AuditLog, LeaveRequest, Notification, RequestStatus, RosterEntry
from csdesk.rules.vocab import LeaveType, Role, ShiftKind
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError
from csdesk.services.roster import ensure_shift_definitions
from csdesk.services.rostering import PlanRefused, copy_week, copy_week_onto, month_plan, plan_day, publish_month

D, N = ShiftKind.DAY, ShiftKind.NIGHT
APRIL = date(2026, 4, 1)
MON = date(2026, 4, 6)


@pytest.fixture
def squad(make_squad, make_staff, actor_of):
    lotus = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=lotus, real_name="李娜")
    agents = [make_staff(squad=lotus, real_name=name) for name in ("王芳", "张伟")]
    return lotus, actor_of(leader), agents


def _publish_entry(desk, staff_id, day, kind=D):
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        session.add(RosterEntry(staff_id=staff_id, work_date=day, shift_id=shifts[kind.value]))


def test_a_planned_day_is_a_draft_until_published(desk, squad):
    lotus, leader, (wang, _zhang) = squad
    check = plan_day(desk, leader, wang.id, MON, D)
    assert check.cell.shift is D and check.cell.draft
    assert {"SC-1", "SC-2", "SW-3"} <= set(check.rule_ids)
    plan = month_plan(desk, leader, lotus.id, APRIL)
    assert plan.cell(wang.id, MON).shift is D and plan.drafts == 1
    assert plan.planned(MON, D) == 1
    with desk.read() as session:
        assert session.execute(select(RosterEntry)).first() is None
    published = publish_month(desk, leader, lotus.id, APRIL)
    assert published.days == 1
    with desk.read() as session:
        assert session.execute(select(RosterEntry.staff_id, RosterEntry.work_date)).all() == [(wang.id, MON)]
    assert month_plan(desk, leader, lotus.id, APRIL).drafts == 0


def test_a_seventh_day_in_a_row_is_saved_flagged_and_blocks_publishing(desk, squad):
    # rule: SC-2
    lotus, leader, (wang, _zhang) = squad
    for k in range(6):
        plan_day(desk, leader, wang.id, MON + timedelta(days=k), D)
    check = plan_day(desk, leader, wang.id, MON + timedelta(days=6), N)
    assert check.worst.rule_ids == ("SC-2",) and not check.worst.ok
    with pytest.raises(PlanRefused) as refused:
        publish_month(desk, leader, lotus.id, APRIL)
    assert refused.value.rule_ids == ("SC-2",) and "王芳" in str(refused.value)
    # A rest day mends it and the month publishes.
    plan_day(desk, leader, wang.id, MON + timedelta(days=3), None)
    assert publish_month(desk, leader, lotus.id, APRIL).days == 6


def test_a_shift_on_approved_leave_is_refused_and_changes_nothing(desk, squad):
    lotus, leader, (wang, _zhang) = squad
    zone = desk.policy.zone
    with desk.write() as session:
        session.add(
            LeaveRequest(
                requester_id=wang.id,
                filed_by_id=wang.id,
                leave_type=LeaveType.PERSONAL,
                starts_at=datetime(2026, 4, 7, 0, 0, tzinfo=zone),
                ends_at=datetime(2026, 4, 8, 0, 0, tzinfo=zone),
                status=RequestStatus.APPROVED,
                filed_at=datetime(2026, 3, 1, tzinfo=UTC),
            )
        )
    with pytest.raises(ServiceError, match="approved leave"):
        plan_day(desk, leader, wang.id, date(2026, 4, 7), D)
    plan = month_plan(desk, leader, lotus.id, APRIL)
    assert plan.cell(wang.id, date(2026, 4, 7)).leave
    assert plan.cell(wang.id, date(2026, 4, 7)).shift is None and plan.drafts == 0


def test_holiday_duty_only_on_a_public_holiday(desk, squad):
    # rule: LV-9
    lotus, leader, (wang, _zhang) = squad
    with pytest.raises(ServiceError) as refused:
        plan_day(desk, leader, wang.id, MON + timedelta(days=1), D, holiday_duty=True)
    assert refused.value.rule_ids == ("LV-9",)
    check = plan_day(desk, leader, wang.id, date(2026, 5, 1), D, holiday_duty=True)
    assert check.cell.holiday_duty


def test_copy_week_repeats_everyones_days_on_the_next_week(desk, squad):
    lotus, leader, (wang, zhang) = squad
    plan_day(desk, leader, wang.id, MON, D)
    plan_day(desk, leader, zhang.id, MON + timedelta(days=2), N)
    assert copy_week(desk, leader, lotus.id, MON, MON + timedelta(days=7)) == 2
    plan = month_plan(desk, leader, lotus.id, APRIL)
    assert plan.cell(wang.id, MON + timedelta(days=7)).shift is D
    assert plan.cell(zhang.id, MON + timedelta(days=9)).shift is N


def test_publishing_tells_the_people_whose_published_days_changed(desk, squad):
    lotus, leader, (wang, zhang) = squad
    _publish_entry(desk, wang.id, MON)
    _publish_entry(desk, zhang.id, MON)
    plan_day(desk, leader, wang.id, MON, N)  # changed
    plan_day(desk, leader, zhang.id, MON, D)  # same as published: no change
    result = publish_month(desk, leader, lotus.id, APRIL)
    assert (result.days, result.told) == (1, 1)
    with desk.read() as session:
        told = session.execute(select(Notification.recipient_id, Notification.kind)).all()
        audit = session.execute(select(AuditLog.after).where(AuditLog.action == "roster.publish")).scalar_one()
    assert told == [(wang.id, "roster_changed")]
    assert audit["days"] == 1 and audit["told"] == 1


def test_a_leader_plans_only_their_own_squad_and_agents_not_at_all(desk, squad, make_squad, make_staff, actor_of):
    lotus, leader, (wang, _zhang) = squad
    plum = make_squad("Plum")
    other = make_staff(squad=plum)
    with pytest.raises(PermissionDenied):
        plan_day(desk, leader, other.id, MON, D)
    with pytest.raises(PermissionDenied):
        month_plan(desk, leader, plum.id, APRIL)
    with pytest.raises(PermissionDenied):
        plan_day(desk, actor_of(wang), wang.id, MON, D)
    director = actor_of(make_staff(role=Role.CENTRE_DIRECTOR))
    assert plan_day(desk, director, other.id, MON, D).cell.shift is D


def test_a_week_is_copied_onto_the_week_the_leader_names(desk, squad):
    lotus, leader, (wang, _zhang) = squad
    plan_day(desk, leader, wang.id, MON, D)
    # Any day of the target week names it; the copy lands on its Monday.
    monday, days = copy_week_onto(desk, leader, lotus.id, APRIL, MON + timedelta(days=3), "2026-04-22")
    assert monday == date(2026, 4, 20) and days == 1
    plan = month_plan(desk, leader, lotus.id, APRIL)
    assert plan.cell(wang.id, date(2026, 4, 20)).shift is D
    assert plan.cell(wang.id, MON + timedelta(days=7)).shift is None


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("2026-05-11", "outside 2026-04"),
        ("2026-03-23", "outside 2026-04"),
        ("next week", "is not a date"),
        ("2026-04-07", "pick another week"),
    ],
)
def test_copying_onto_a_week_outside_the_month_is_refused_and_changes_nothing(desk, squad, target, words):
    lotus, leader, (wang, _zhang) = squad
    plan_day(desk, leader, wang.id, MON, D)
    with pytest.raises(InvalidInput) as refused:
        copy_week_onto(desk, leader, lotus.id, APRIL, MON, target)
    assert words in str(refused.value) and refused.value.field == "week"
    plan = month_plan(desk, leader, lotus.id, APRIL)
    assert [d for (sid, d), cell in plan.cells.items() if cell.draft] == [MON]


def test_a_week_with_days_gone_by_keeps_what_was_worked(desk, squad):
    # The desk's clock stands on Monday 9 March 2026.
    lotus, leader, (wang, _zhang) = squad
    march = date(2026, 3, 1)
    with pytest.raises(InvalidInput) as refused:
        copy_week_onto(desk, leader, lotus.id, march, date(2026, 3, 16), "2026-03-04")
    assert "days gone by" in str(refused.value)
    # The week that starts today has none gone by.
    assert copy_week_onto(desk, leader, lotus.id, march, date(2026, 3, 16), "2026-03-09")[0] == date(2026, 3, 9)
