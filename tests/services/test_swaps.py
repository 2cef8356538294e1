"""Shift swaps through their services: filing, both leaders' approval, registration (SW-1..SW-7, LV-9)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import func, select

from csdesk.models import (
    AuditLog,
    LeaveRequest,
    RequestStatus,
    RosterEntry,
    ShiftDefinition,
    StepDecision,
    SwapApproval,
    SwapRequest,
)
from csdesk.rules.vocab import Grade, LeaveType, Role, ShiftKind
from csdesk.services.base import InvalidInput, NotFound, PermissionDenied, ServiceError
from csdesk.services.swaps import decide_swap, file_swap, my_swaps, pending_swaps_for

# The conftest clock stands at 16:00 on Monday 9 March 2026 in the centre.
WED, THU = date(2026, 3, 11), date(2026, 3, 12)


@pytest.fixture
def shifts(desk):
    with desk.write() as session:
        day = ShiftDefinition(code="D", kind=ShiftKind.DAY, start_time=time(8, 30), end_time=time(17, 30))
        night = ShiftDefinition(
            code="N", kind=ShiftKind.NIGHT, start_time=time(17, 30), end_time=time(1, 0), ends_next_day=True
        )
        session.add(day)
        session.add(night)
    return {ShiftKind.DAY: day.id, ShiftKind.NIGHT: night.id}


@pytest.fixture
def rostered(desk, shifts):
    def add(staff, day, kind=ShiftKind.DAY, holiday_duty=False):
        with desk.write() as session:
            entry = RosterEntry(staff_id=staff.id, work_date=day, shift_id=shifts[kind], holiday_duty=holiday_duty)
            session.add(entry)
        return entry.id

    return add


@pytest.fixture
def team(make_squad, make_staff, actor_of):
    a, b, c = make_squad("A"), make_squad("B"), make_squad("C")

    class Team:
        leader_a = make_staff(role=Role.SQUAD_LEADER, squad=a)
        leader_b = make_staff(role=Role.SQUAD_LEADER, squad=b)
        leader_c = make_staff(role=Role.SQUAD_LEADER, squad=c)
        a1 = make_staff(squad=a)
        a2 = make_staff(squad=a)
        b1 = make_staff(squad=b)
        b2 = make_staff(squad=b)
        b3 = make_staff(squad=b)
        senior = make_staff(squad=b, grade=Grade.SENIOR)
        deputy = make_staff(squad=b, role=Role.DEPUTY_LEADER)

    for name in [n for n in vars(Team) if not n.startswith("_")]:
        setattr(Team, f"{name}_actor", actor_of(getattr(Team, name)))
    return Team


def counts(desk):
    with desk.read() as session:
        return tuple(
            session.exec(select(func.count()).select_from(m)).one() for m in (SwapRequest, SwapApproval, AuditLog)
        )


def owner(desk, roster_id):
    with desk.read() as session:
        return session.get(RosterEntry, roster_id).staff_id


def test_sw_1_one_leader_leaves_it_pending_both_register_the_swap(desk, team, rostered):
    mine, theirs = rostered(team.a1, WED), rostered(team.b1, THU)
    view = file_swap(desk, team.a1_actor, mine, theirs, "wedding")
    assert view.status is RequestStatus.PENDING and [s.squad_id for s in view.sides] == [
        team.a1.squad_id,
        team.b1.squad_id,
    ]
    assert [v.id for v in pending_swaps_for(desk, team.leader_a_actor)] == [view.id]

    half = decide_swap(desk, team.leader_a_actor, view.id, True)
    assert half.status is RequestStatus.PENDING
    assert [s.decision for s in half.sides] == [StepDecision.APPROVED, StepDecision.PENDING]
    assert (owner(desk, mine), owner(desk, theirs)) == (team.a1.id, team.b1.id)
    assert pending_swaps_for(desk, team.leader_a_actor) == ()
    assert [v.id for v in pending_swaps_for(desk, team.leader_b_actor)] == [view.id]

    done = decide_swap(desk, team.leader_b_actor, view.id, True)
    assert done.status is RequestStatus.APPROVED
    assert (owner(desk, mine), owner(desk, theirs)) == (team.b1.id, team.a1.id)
    with desk.read() as session:
        actions = session.exec(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-3:] == ["roster.swap", "roster.swap", "swap.approved"]


def test_sw_1_a_leader_of_both_parties_decides_both_sides(desk, team, rostered):
    view = file_swap(desk, team.a1_actor, rostered(team.a1, WED), rostered(team.a2, THU))
    assert decide_swap(desk, team.leader_a_actor, view.id, True).status is RequestStatus.APPROVED


def test_sw_1_only_the_parties_leaders_decide_and_an_agent_never(desk, team, rostered):
    view = file_swap(desk, team.a1_actor, rostered(team.a1, WED), rostered(team.b1, THU))
    before = counts(desk)
    for actor in (team.a2_actor, team.leader_c_actor):
        with pytest.raises(PermissionDenied):
            decide_swap(desk, actor, view.id, True)
    assert pending_swaps_for(desk, team.leader_c_actor) == ()
    assert counts(desk) == before
    with pytest.raises(NotFound):
        decide_swap(desk, team.leader_a_actor, 999, True)


def test_sw_7_a_refusal_is_recorded_with_its_reason(desk, team, rostered):
    mine, theirs = rostered(team.a1, WED), rostered(team.b1, THU)
    view = file_swap(desk, team.a1_actor, mine, theirs)
    before = counts(desk)
    with pytest.raises(InvalidInput) as blank:
        decide_swap(desk, team.leader_b_actor, view.id, False, " ")
    assert blank.value.field == "reason" and blank.value.rule_ids == ("SW-7",)
    assert counts(desk) == before
    refused = decide_swap(desk, team.leader_b_actor, view.id, False, "B is short on Wednesday")
    assert refused.status is RequestStatus.REFUSED
    assert (refused.sides[1].decision, refused.sides[1].reason) == (StepDecision.REFUSED, "B is short on Wednesday")
    assert (owner(desk, mine), owner(desk, theirs)) == (team.a1.id, team.b1.id)
    with pytest.raises(ServiceError, match="already refused"):
        decide_swap(desk, team.leader_a_actor, view.id, True)


def test_a_swap_with_oneself_is_refused(desk, team, rostered):
    mine, also_mine = rostered(team.a1, WED), rostered(team.a1, THU)
    before = counts(desk)
    for partner in (mine, also_mine):
        with pytest.raises(InvalidInput) as refused:
            file_swap(desk, team.a1_actor, mine, partner)
        assert refused.value.field == "partner_roster_id"
    assert counts(desk) == before


def test_only_ones_own_shift_can_be_offered(desk, team, rostered):
    with pytest.raises(PermissionDenied) as refused:
        file_swap(desk, team.a2_actor, rostered(team.a1, WED), rostered(team.b1, THU))
    assert refused.value.field == "my_roster_id"


def test_a_shift_already_started_cannot_be_swapped(desk, team, rostered):
    with pytest.raises(InvalidInput) as refused:
        file_swap(desk, team.a1_actor, rostered(team.a1, date(2026, 3, 9)), rostered(team.b1, THU))
    assert refused.value.field == "my_roster_id"


def test_sw_2_a_third_swap_in_a_month_is_refused_the_first_of_next_month_allowed(desk, team, rostered):
    file_swap(desk, team.a1_actor, rostered(team.a1, WED), rostered(team.b1, THU))
    file_swap(desk, team.a1_actor, rostered(team.a1, date(2026, 3, 16)), rostered(team.b2, date(2026, 3, 17)))
    before = counts(desk)
    with pytest.raises(ServiceError) as refused:
        file_swap(desk, team.a1_actor, rostered(team.a1, date(2026, 3, 31)), rostered(team.b3, date(2026, 3, 30)))
    assert refused.value.rule_ids == ("SW-2",) and team.a1_actor.label in refused.value.message
    assert counts(desk) == before
    april = file_swap(desk, team.a1_actor, rostered(team.a1, date(2026, 4, 1)), rostered(team.b3, date(2026, 4, 2)))
    assert april.status is RequestStatus.PENDING


def test_sw_2_a_refused_swap_does_not_count(desk, team, rostered):
    first = file_swap(desk, team.a1_actor, rostered(team.a1, WED), rostered(team.b1, THU))
    decide_swap(desk, team.leader_a_actor, first.id, False, "no")
    file_swap(desk, team.a1_actor, rostered(team.a1, date(2026, 3, 16)), rostered(team.b2, date(2026, 3, 17)))
    assert (
        file_swap(
            desk, team.a1_actor, rostered(team.a1, date(2026, 3, 18)), rostered(team.b3, date(2026, 3, 19))
        ).status
        is RequestStatus.PENDING
    )


def test_sw_3_no_back_to_back_shifts_after_the_swap(desk, team, rostered):
    rostered(team.a1, WED)  # day shift ends 17:30 ...
    mine = rostered(team.a1, THU)
    theirs = rostered(team.b1, WED, ShiftKind.NIGHT)  # ... and this night shift starts 17:30
    with pytest.raises(ServiceError) as refused:
        file_swap(desk, team.a1_actor, mine, theirs)
    assert refused.value.rule_ids == ("SW-3",)


@pytest.mark.parametrize("partner", ["senior", "deputy"])
def test_sw_4_same_grade_and_kind_of_work(desk, team, rostered, partner):
    with pytest.raises(ServiceError) as refused:
        file_swap(desk, team.a1_actor, rostered(team.a1, WED), rostered(getattr(team, partner), THU))
    assert refused.value.rule_ids == ("SW-4",)


def test_sw_6_lv_9_no_swap_for_holiday_duty(desk, team, rostered):
    duty = rostered(team.a1, date(2026, 5, 1), holiday_duty=True)
    with pytest.raises(ServiceError) as refused:
        file_swap(desk, team.a1_actor, duty, rostered(team.b1, date(2026, 5, 3)))
    assert refused.value.rule_ids == ("SW-6", "LV-9")


def approve_leave(desk, staff, day):
    with desk.write() as session:
        session.add(
            LeaveRequest(
                requester_id=staff.id,
                filed_by_id=staff.id,
                leave_type=LeaveType.PERSONAL,
                starts_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
                ends_at=datetime(day.year, day.month, day.day, 23, tzinfo=UTC),
                reason="off",
                status=RequestStatus.APPROVED,
                filed_at=desk.now(),
            )
        )


def test_sw_6_no_swap_while_on_leave(desk, team, rostered):
    approve_leave(desk, team.b1, THU)
    with pytest.raises(ServiceError) as refused:
        file_swap(desk, team.a1_actor, rostered(team.a1, WED), rostered(team.b1, THU))
    assert refused.value.rule_ids == ("SW-6",)


def test_sw_6_the_final_approval_checks_again_and_changes_nothing_if_refused(desk, team, rostered):
    mine, theirs = rostered(team.a1, WED), rostered(team.b1, THU)
    view = file_swap(desk, team.a1_actor, mine, theirs)
    decide_swap(desk, team.leader_a_actor, view.id, True)
    approve_leave(desk, team.a1, THU)  # granted meanwhile for the shift a1 would take
    before = counts(desk)
    with pytest.raises(ServiceError) as refused:
        decide_swap(desk, team.leader_b_actor, view.id, True)
    assert refused.value.rule_ids == ("SW-6",)
    assert counts(desk) == before
    assert (owner(desk, mine), owner(desk, theirs)) == (team.a1.id, team.b1.id)


def test_a_shift_in_a_pending_swap_is_not_offered_twice(desk, team, rostered):
    mine = rostered(team.a1, WED)
    file_swap(desk, team.a1_actor, mine, rostered(team.b1, THU))
    with pytest.raises(InvalidInput) as refused:
        file_swap(desk, team.a1_actor, mine, rostered(team.b2, THU))
    assert refused.value.field == "my_roster_id"


def test_my_swaps_lists_both_sides_newest_first(desk, team, rostered, clock):
    first = file_swap(desk, team.a1_actor, rostered(team.a1, WED), rostered(team.b1, THU))
    clock.advance(minutes=5)
    second = file_swap(desk, team.b2_actor, rostered(team.b2, date(2026, 3, 16)), rostered(team.a1, date(2026, 3, 17)))
    assert [v.id for v in my_swaps(desk, team.a1_actor)] == [second.id, first.id]
    assert [v.id for v in my_swaps(desk, team.b1_actor)] == [first.id]
    assert (first.give.day, first.take.day) == (WED, THU)
