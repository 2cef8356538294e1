"""Leave requests through their services: preview, filing and the approval ladder (LV-1..LV-9)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlmodel import func, select

from csdesk.models import (
    Attendance,
    AuditLog,
    LeaveApproval,
    LeaveRequest,
    RequestStatus,
    RosterEntry,
    ShiftDefinition,
    StepDecision,
)
from csdesk.rules.vocab import AttendanceStatus, LeaveType, Role, ShiftKind
from csdesk.services.base import InvalidInput, NotFound, PermissionDenied, ServiceError
from csdesk.services.leave import (
    certificates_awaited,
    decide_leave,
    file_leave,
    lapse_sick_leave,
    my_requests,
    pending_for,
    preview_leave,
    record_certificate,
    record_leave_form,
)

SL, DD, CD = Role.SQUAD_LEADER, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR
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
        return entry

    return add


@pytest.fixture
def team(make_squad, make_staff, actor_of, rostered):
    squad, other = make_squad("Day A"), make_squad("Day B")

    class Team:
        leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
        agent = make_staff(squad=squad)
        colleague = make_staff(squad=squad)
        other_leader = make_staff(role=Role.SQUAD_LEADER, squad=other)
        dept = make_staff(role=Role.DEPARTMENT_DIRECTOR)
        centre = make_staff(role=Role.CENTRE_DIRECTOR)

    for name in ("leader", "agent", "colleague", "other_leader", "dept", "centre"):
        setattr(Team, f"{name}_actor", actor_of(getattr(Team, name)))
    for day in (WED, THU):
        rostered(Team.agent, day)
    return Team


def counts(desk):
    with desk.read() as session:
        return tuple(
            session.exec(select(func.count()).select_from(m)).one() for m in (LeaveRequest, LeaveApproval, AuditLog)
        )


def personal(desk, team, start=WED, end=WED, **kw):
    return file_leave(desk, team.agent_actor, team.agent.id, LeaveType.PERSONAL, start, end, "family matter", **kw)


# -- preview and filing -----------------------------------------------------------


def test_lv_3_preview_gives_the_chain_without_saving(desk, team):
    before = counts(desk)
    preview = preview_leave(
        desk, team.agent_actor, team.agent.id, "personal", "2026-03-11", "2026-03-11", "family matter"
    )
    assert preview.can_file and preview.approvers == (SL, DD) and preview.days == 1
    assert [s.day for s in preview.shifts] == [WED]
    assert preview.problems == ()
    assert counts(desk) == before


def test_lv_2_preview_shows_late_notice_as_a_problem(desk, team, rostered):
    rostered(team.agent, date(2026, 3, 10))  # 08:30 tomorrow: 16.5 hours away
    preview = preview_leave(
        desk, team.agent_actor, team.agent.id, LeaveType.PERSONAL, date(2026, 3, 10), date(2026, 3, 10), "family matter"
    )
    assert preview.can_file and "LV-2" in preview.rule_ids
    assert any(p.startswith("LV-2: ordinary leave needs 1 day's notice") for p in preview.problems)


def test_lv_3_filing_saves_one_pending_step_per_level_in_order(desk, team):
    view = personal(desk, team)
    with desk.read() as session:
        saved = session.get(LeaveRequest, view.id)
        steps = session.exec(select(LeaveApproval).order_by(LeaveApproval.level)).all()
        action = session.exec(select(AuditLog.action).order_by(AuditLog.id.desc())).first()
    assert (saved.status, saved.requester_id, saved.filed_by_id) == (
        RequestStatus.PENDING,
        team.agent.id,
        team.agent.id,
    )
    assert [(s.level, s.role, s.decision) for s in steps] == [
        (1, SL, StepDecision.PENDING),
        (2, DD, StepDecision.PENDING),
    ]
    assert action == "leave.file"
    assert view.next_role is SL


# -- the approval ladder -------------------------------------------------------------


def test_lv_3_department_director_cannot_approve_before_the_squad_leader(desk, team):
    view = personal(desk, team)
    before = counts(desk)
    with pytest.raises(PermissionDenied) as refused:
        decide_leave(desk, team.dept_actor, view.id, True)
    assert "LV-3" in refused.value.rule_ids and "no level may be skipped" in refused.value.message
    assert counts(desk) == before


def test_lv_3_one_day_is_final_at_the_department_director(desk, team):
    view = personal(desk, team)
    after_leader = decide_leave(desk, team.leader_actor, view.id, True)
    assert after_leader.status is RequestStatus.PENDING and after_leader.next_role is DD
    done = decide_leave(desk, team.dept_actor, view.id, True)
    assert done.status is RequestStatus.APPROVED and done.next_role is None
    assert [s.approver_label for s in done.steps] == [team.leader_actor.label, team.dept_actor.label]
    with pytest.raises(ServiceError, match="already approved"):
        decide_leave(desk, team.centre_actor, view.id, True)


def test_lv_3_more_than_one_day_needs_the_centre_director(desk, team):
    view = personal(desk, team, WED, THU)
    assert [s.role for s in view.steps] == [SL, DD, CD]
    decide_leave(desk, team.leader_actor, view.id, True)
    assert decide_leave(desk, team.dept_actor, view.id, True).status is RequestStatus.PENDING
    assert pending_for(desk, team.centre_actor)[0].id == view.id
    assert decide_leave(desk, team.centre_actor, view.id, True).status is RequestStatus.APPROVED


def test_lv_3_a_squad_leader_decides_only_for_their_own_squad(desk, team):
    view = personal(desk, team)
    assert pending_for(desk, team.other_leader_actor) == ()
    assert [v.id for v in pending_for(desk, team.leader_actor)] == [view.id]
    assert pending_for(desk, team.dept_actor) == ()  # not their turn yet
    with pytest.raises(PermissionDenied, match="own squad"):
        decide_leave(desk, team.other_leader_actor, view.id, True)


def test_lv_3_a_refusal_needs_a_reason_and_ends_the_request(desk, team):
    view = personal(desk, team)
    before = counts(desk)
    with pytest.raises(InvalidInput) as blank:
        decide_leave(desk, team.leader_actor, view.id, False, "  ")
    assert blank.value.field == "reason"
    assert counts(desk) == before
    refused = decide_leave(desk, team.leader_actor, view.id, False, "two agents already off")
    assert refused.status is RequestStatus.REFUSED
    assert (refused.steps[0].decision, refused.steps[0].reason) == (StepDecision.REFUSED, "two agents already off")
    assert refused.steps[1].decision is StepDecision.PENDING
    assert pending_for(desk, team.dept_actor) == ()


def test_lv_3_an_agent_cannot_approve_and_nobody_approves_their_own(desk, team, rostered):
    view = personal(desk, team)
    with pytest.raises(PermissionDenied):
        decide_leave(desk, team.colleague_actor, view.id, True)
    rostered(team.leader, WED)
    own = file_leave(desk, team.leader_actor, team.leader.id, LeaveType.PERSONAL, WED, WED, "dentist")
    with pytest.raises(PermissionDenied, match="own leave"):
        decide_leave(desk, team.leader_actor, own.id, True)
    with pytest.raises(NotFound):
        decide_leave(desk, team.leader_actor, 999, True)


# -- who files, and when ---------------------------------------------------------


def test_lv_4_personal_leave_only_by_the_person_themself(desk, team):
    before = counts(desk)
    with pytest.raises(PermissionDenied) as refused:
        file_leave(desk, team.colleague_actor, team.agent.id, LeaveType.PERSONAL, WED, WED, "for a friend")
    assert refused.value.field == "staff_id" and refused.value.rule_ids == ("LV-4",)
    assert counts(desk) == before


def test_lv_4_lv_5_sick_leave_filed_by_a_colleague_with_a_certificate(desk, team):
    view = file_leave(
        desk,
        team.colleague_actor,
        team.agent.id,
        LeaveType.SICK,
        WED,
        WED,
        "flu",
        certificate_from="2026-03-11",
        certificate_to="2026-03-11",
    )
    assert view.filed_by_label == team.colleague_actor.label and view.has_certificate


def test_lv_5_sick_leave_is_filed_before_the_certificate_and_shows_when_it_is_due(desk, team, policy):
    view = file_leave(desk, team.colleague_actor, team.agent.id, LeaveType.SICK, WED, WED, "flu")
    assert view.awaiting_certificate and not view.has_certificate
    # Due with the form on the first day back: the end of Thursday's day shift.
    assert view.certificate_due_at == datetime(2026, 3, 12, 17, 30, tzinfo=policy.zone)
    called = preview_leave(
        desk,
        team.agent_actor,
        team.agent.id,
        LeaveType.SICK,
        WED,
        WED,
        "flu",
        phoned_leader_at=datetime(2026, 3, 11, 7, 50, tzinfo=policy.zone),
    )
    assert called.can_file and any(p.startswith("LV-5") for p in called.problems)


@pytest.mark.parametrize(("filed", "allowed"), [(time(11, 59), True), (time(12, 1), False)])
def test_lv_6_night_shift_leave_is_filed_before_noon(desk, team, rostered, clock, policy, filed, allowed):
    night = date(2026, 3, 20)
    rostered(team.agent, night, ShiftKind.NIGHT)
    clock.set(datetime.combine(night, filed, tzinfo=policy.zone))
    args = (desk, team.agent_actor, team.agent.id, LeaveType.SPECIAL, night, night, "child ill")
    before = counts(desk)
    if allowed:
        view = file_leave(*args)
        assert [s.role for s in view.steps] == [SL, DD]
    else:
        with pytest.raises(ServiceError) as refused:
            file_leave(*args)
        assert refused.value.rule_ids == ("LV-6",) and refused.value.field == "start"
        assert counts(desk) == before


def test_lv_7_public_holiday_leave_is_filed_two_days_ahead(desk, team, rostered, clock, policy):
    holiday = date(2026, 4, 6)  # in the shipped holiday list
    rostered(team.agent, holiday)
    clock.set(datetime(2026, 4, 4, 8, 31, tzinfo=policy.zone))
    with pytest.raises(ServiceError) as refused:
        personal(desk, team, holiday, holiday)
    assert refused.value.rule_ids == ("LV-7",)
    clock.set(datetime(2026, 4, 4, 8, 30, tzinfo=policy.zone))
    assert personal(desk, team, holiday, holiday).status is RequestStatus.PENDING


def test_lv_8_a_business_trip_goes_to_the_centre_director_even_for_one_day(desk, team):
    view = file_leave(desk, team.agent_actor, team.agent.id, LeaveType.BUSINESS_TRIP, WED, WED, "training")
    assert [s.role for s in view.steps] == [SL, DD, CD]


def test_lv_9_holiday_duty_takes_no_leave(desk, team, rostered):
    duty = date(2026, 5, 1)
    rostered(team.agent, duty, holiday_duty=True)
    with pytest.raises(ServiceError) as refused:
        personal(desk, team, duty, duty)
    assert refused.value.rule_ids == ("LV-9",)


def test_lv_1_leave_must_cover_a_rostered_shift(desk, team):
    with pytest.raises(ServiceError) as refused:
        personal(desk, team, date(2026, 3, 14), date(2026, 3, 14))
    assert refused.value.rule_ids == ("LV-1",)


def test_the_same_shifts_cannot_be_asked_for_twice(desk, team):
    personal(desk, team)
    with pytest.raises(InvalidInput) as refused:
        personal(desk, team, WED, THU)
    assert refused.value.field == "start"


@pytest.mark.parametrize(
    ("start", "end", "reason", "field"),
    [
        ("2026-02-30", "2026-03-02", "x", "start"),
        ("2026-03-11", "2026-13-01", "x", "end"),
        ("2026-03-12", "2026-03-11", "x", "end"),
        ("2026-03-11 10:00", "2026-03-11 09:00", "x", "end"),
        ("2026-03-11", "2026-03-11", "   ", "reason"),
        ("", "2026-03-11", "x", "start"),
    ],
)
def test_impossible_dates_and_blank_reasons_name_the_field(desk, team, start, end, reason, field):
    before = counts(desk)
    with pytest.raises(InvalidInput) as refused:
        file_leave(desk, team.agent_actor, team.agent.id, LeaveType.PERSONAL, start, end, reason)
    assert refused.value.field == field
    assert counts(desk) == before


def test_a_time_range_covers_only_the_shifts_it_overlaps(desk, team, rostered):
    rostered(team.agent, WED, ShiftKind.NIGHT)
    preview = preview_leave(
        desk, team.agent_actor, team.agent.id, LeaveType.PERSONAL, "2026-03-11 18:00", "2026-03-11 23:00", "evening off"
    )
    assert [(s.day, s.kind) for s in preview.shifts] == [(WED, ShiftKind.NIGHT)]


def test_my_requests_pages_latest_leave_first(desk, team, rostered, policy):
    for day in (date(2026, 3, 16), date(2026, 3, 17)):
        rostered(team.agent, day)
        personal(desk, team, day, day)
    personal(desk, team)
    first = my_requests(desk, team.agent_actor, 0, 2)
    rest = my_requests(desk, team.agent_actor, 2, 2)
    assert [v.starts_at.astimezone(policy.zone).date() for v in first + rest] == [
        date(2026, 3, 17),
        date(2026, 3, 16),
        WED,
    ]
    assert my_requests(desk, team.colleague_actor) == ()


@pytest.mark.parametrize(("filed", "allowed"), [(time(11, 59), True), (time(12, 0), False)])
def test_a_day_of_leave_for_a_night_worker_covers_only_the_night_that_starts_that_day(
    desk, team, rostered, clock, policy, filed, allowed
):  # rule: SC-1, LV-6, LV-3
    night_before, night = date(2026, 11, 23), date(2026, 11, 24)
    rostered(team.agent, night_before, ShiftKind.NIGHT)  # 17:30 on the 23rd to 01:00 on the 24th
    rostered(team.agent, night, ShiftKind.NIGHT)
    clock.set(datetime.combine(night, filed, tzinfo=policy.zone))
    args = (desk, team.agent_actor, team.agent.id, LeaveType.SPECIAL, night, night, "child ill")
    preview = preview_leave(*args)
    assert [(s.day, s.kind) for s in preview.shifts] == [(night, ShiftKind.NIGHT)]
    assert preview.days == 1
    if allowed:
        # One day: final at the department director, not sent on to the centre director.
        assert [s.role for s in file_leave(*args).steps] == [SL, DD]
    else:
        with pytest.raises(ServiceError) as refused:
            file_leave(*args)
        assert refused.value.rule_ids == ("LV-6",)


def test_approving_leave_turns_the_stored_attendance_of_its_shifts_into_leave(desk, team, clock, policy):
    # rule: AT-1, AT-7, LV-2
    from csdesk.models import Attendance
    from csdesk.rules.vocab import AttendanceStatus

    with desk.write() as session:
        entries = session.exec(select(RosterEntry).where(RosterEntry.staff_id == team.agent.id)).all()
        wed = next(e for e in entries if e.work_date == WED)
        thu = next(e for e in entries if e.work_date == THU)
        for entry in (wed, thu):
            session.add(Attendance(staff_id=team.agent.id, roster_id=entry.id, status=AttendanceStatus.ABSENTEEISM))
    view = personal(desk, team)  # Wednesday only
    decide_leave(desk, team.leader_actor, view.id, True)
    with desk.read() as session:
        # Not final yet: nothing changes.
        assert {a.status for a in session.exec(select(Attendance)).all()} == {AttendanceStatus.ABSENTEEISM}
    decide_leave(desk, team.dept_actor, view.id, True)
    with desk.read() as session:
        rows = {a.roster_id: a for a in session.exec(select(Attendance)).all()}
        assert (rows[wed.id].status, rows[wed.id].leave_type) == (AttendanceStatus.LEAVE, LeaveType.PERSONAL)
        assert rows[thu.id].status is AttendanceStatus.ABSENTEEISM
        assert session.exec(select(AuditLog).where(AuditLog.action == "attendance.on_leave")).one()


def test_an_absurd_span_is_refused_on_its_end_date(desk, team):
    before = counts(desk)
    with pytest.raises(InvalidInput) as refused:
        personal(desk, team, WED, date(2099, 12, 31))
    assert refused.value.field == "end" and "366 days" in str(refused.value)
    assert counts(desk) == before


# -- the certificate that follows (LV-5) ----------------------------------------------------


@pytest.fixture
def sick_wednesday(desk, team):
    """Sick leave for Wednesday filed on Monday without a certificate, approved, and
    Wednesday's roll call already written as an absence."""
    view = file_leave(desk, team.agent_actor, team.agent.id, LeaveType.SICK, WED, WED, "flu")
    decide_leave(desk, team.leader_actor, view.id, True)
    decide_leave(desk, team.dept_actor, view.id, True)
    with desk.write() as session:
        entry = session.exec(select(RosterEntry).where(RosterEntry.work_date == WED)).one()
        session.add(Attendance(staff_id=team.agent.id, roster_id=entry.id, status=AttendanceStatus.ABSENT))
    return view.id


def wednesday_status(desk):
    with desk.read() as session:
        entry = session.exec(select(RosterEntry).where(RosterEntry.work_date == WED)).one()
        return session.exec(select(Attendance.status).where(Attendance.roster_id == entry.id)).one()


def test_lv_5_approved_sick_leave_waits_for_its_certificate_to_take_effect(desk, team, sick_wednesday):
    assert wednesday_status(desk) is AttendanceStatus.ABSENT
    waiting = certificates_awaited(desk, team.leader_actor)
    assert [v.id for v in waiting] == [sick_wednesday] and waiting[0].status is RequestStatus.APPROVED
    assert certificates_awaited(desk, team.other_leader_actor) == ()


def test_lv_5_a_certificate_handed_in_one_minute_before_the_deadline_puts_the_leave_in_effect(
    desk, team, clock, policy, sick_wednesday
):
    clock.set(datetime(2026, 3, 12, 17, 29, tzinfo=policy.zone))
    view = record_certificate(desk, team.leader_actor, sick_wednesday, "2026-03-11", "2026-03-11")
    assert view.has_certificate and view.certificate_from == WED and not view.awaiting_certificate
    assert wednesday_status(desk) is AttendanceStatus.LEAVE
    assert certificates_awaited(desk, team.leader_actor) == ()
    form = record_leave_form(desk, team.leader_actor, sick_wednesday)
    assert form.form_handed_at == clock()
    with desk.read() as session:
        actions = set(session.exec(select(AuditLog.action)).all())
    assert {"leave.certificate", "leave.form", "attendance.on_leave"} <= actions


def test_lv_5_a_certificate_that_misses_a_day_is_refused_and_nothing_changes(desk, team, sick_wednesday):
    before = counts(desk)
    with pytest.raises(ServiceError) as refused:
        record_certificate(desk, team.leader_actor, sick_wednesday, "2026-03-12", "2026-03-12")
    assert refused.value.field == "certificate_to" and "does not cover 2026-03-11" in str(refused.value)
    assert counts(desk) == before and wednesday_status(desk) is AttendanceStatus.ABSENT
    with pytest.raises(PermissionDenied):
        record_certificate(desk, team.other_leader_actor, sick_wednesday, "2026-03-11", "2026-03-11")


def test_lv_5_at_7_no_certificate_by_the_end_of_the_first_shift_back_lapses_into_absenteeism(
    desk, team, clock, policy, sick_wednesday
):
    clock.set(datetime(2026, 3, 12, 17, 29, tzinfo=policy.zone))
    with pytest.raises(ServiceError) as early:
        lapse_sick_leave(desk, team.leader_actor, sick_wednesday)
    assert "until 2026-03-12 17:30" in str(early.value)
    assert wednesday_status(desk) is AttendanceStatus.ABSENT
    clock.set(datetime(2026, 3, 12, 17, 30, tzinfo=policy.zone))
    with pytest.raises(ServiceError) as too_late:
        record_certificate(desk, team.leader_actor, sick_wednesday, "2026-03-11", "2026-03-11")
    assert "lapsed" in str(too_late.value)
    view = lapse_sick_leave(desk, team.leader_actor, sick_wednesday)
    assert view.status is RequestStatus.LAPSED and not view.awaiting_certificate
    assert wednesday_status(desk) is AttendanceStatus.ABSENTEEISM
    assert certificates_awaited(desk, team.leader_actor) == ()
