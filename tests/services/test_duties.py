"""SC-5, TK-17: the duties calendar and marking duties done, as each role sees it."""

from datetime import date, datetime, time

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, DutyDone
from csdesk.rules.calendar import DutyStatus
from csdesk.rules.vocab import Role
from csdesk.services import home
from csdesk.services.base import InvalidInput, PermissionDenied
from csdesk.services.duties import duty_calendar, mark_duty_done

MON = date(2026, 3, 9)  # T0's day: Monday, 16:00 in the centre


def _local(desk, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=desk.policy.zone)


@pytest.fixture
def people(desk, make_squad, make_staff, actor_of):
    squad, other = make_squad("A"), make_squad("B")

    class People:
        leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, real_name="李娜"))
        other_leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=other))
        agent = actor_of(make_staff(squad=squad))
        inspector = actor_of(make_staff(role=Role.INSPECTOR))
        director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR))

    return People


def _rows(desk):
    with desk.read() as session:
        return session.exec(select(DutyDone)).all()


def test_tk_17_the_shift_leader_marks_the_workload_report_for_their_squad_only(desk, people):
    line = mark_duty_done(desk, people.leader, "workload-report", _local(desk, MON, 17, 30))
    assert line.status is DutyStatus.DONE and line.done_by == "李娜"
    [row] = _rows(desk)
    assert (row.duty, row.period_start, row.squad_id, row.done_by_id) == (
        "workload-report",
        MON,
        people.leader.squad_id,
        people.leader.staff_id,
    )
    mine = {(x.duty_id, x.status) for x in duty_calendar(desk, people.leader, MON, MON)}
    assert ("workload-report", DutyStatus.DONE) in mine
    theirs = {(x.duty_id, x.status) for x in duty_calendar(desk, people.other_leader, MON, MON)}
    assert ("workload-report", DutyStatus.UPCOMING) in theirs
    # Again changes nothing.
    mark_duty_done(desk, people.leader, "workload-report", _local(desk, MON, 17, 30))
    assert len(_rows(desk)) == 1


@pytest.mark.parametrize("who", ["inspector", "agent", "director"])
def test_tk_17_others_are_refused_the_workload_report_and_nothing_is_saved(desk, people, who):
    with pytest.raises(PermissionDenied) as refused:
        mark_duty_done(desk, getattr(people, who), "workload-report", _local(desk, MON, 17, 30))
    assert set(refused.value.rule_ids) & {"TK-17", "ST-2"}
    assert _rows(desk) == []


def test_tk_17_the_supervisor_marks_the_daily_quality_report_once_for_the_centre(desk, people):
    mark_duty_done(desk, people.inspector, "daily-quality-report", _local(desk, MON, 17, 30))
    [row] = _rows(desk)
    assert row.squad_id is None
    with pytest.raises(PermissionDenied, match="inspector") as refused:
        mark_duty_done(desk, people.leader, "daily-quality-report", _local(desk, MON, 17, 30))
    assert "TK-17" in refused.value.rule_ids
    with desk.read() as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "duty.done")).all()
    assert len(audit) == 1 and audit[0].actor_id == people.inspector.staff_id


def test_sc_5_the_morning_handover_meeting_done_leaves_the_evening_one_open(desk, people):
    mark_duty_done(desk, people.leader, "handover-meeting", _local(desk, MON, 8, 30))
    meetings = [
        (x.at.hour, x.status) for x in duty_calendar(desk, people.leader, MON, MON) if x.duty_id == "handover-meeting"
    ]
    assert meetings == [(8, DutyStatus.DONE), (17, DutyStatus.UPCOMING)]


def test_sc_5_the_monday_meeting_is_the_directors_and_shows_overdue_at_home_until_done(desk, people):
    def meetings():
        return [
            (x.at.date(), x.status, x.mine)
            for x in home.duties_today(desk, people.director)
            if x.duty_id == "monday-meeting"
        ]

    # Last Monday's was never marked either: it stays overdue after today's is done.
    assert meetings() == [(MON, DutyStatus.OVERDUE, True)]
    mark_duty_done(desk, people.director, "monday-meeting", _local(desk, MON, 8))
    assert meetings() == [(date(2026, 3, 2), DutyStatus.OVERDUE, True), (MON, DutyStatus.DONE, True)]
    # A squad leader neither keeps nor sees it.
    assert "monday-meeting" not in {x.duty_id for x in home.duties_today(desk, people.leader)}


def test_sc_5_home_shows_the_leader_their_duties_and_the_agent_the_squads_only(desk, people, clock):
    clock.set(_local(desk, MON, 17, 0))  # the return-visit summary (18:00) is due, handover at 17:30
    leader = {x.duty_id: x for x in home.duties_today(desk, people.leader)}
    assert leader["return-visit-summary"].status is DutyStatus.DUE and leader["return-visit-summary"].mine
    assert "daily-quality-report" not in leader  # the supervisor's, not the leader's
    agent = home.duties_today(desk, people.agent)
    assert agent and not any(x.mine for x in agent)
    assert all(x.status is not DutyStatus.OVERDUE or x.at.date() == MON for x in agent)


def test_sc_5_a_week_and_a_month_of_duties(desk, people):
    week = duty_calendar(desk, people.inspector, MON, date(2026, 3, 15))
    assert {x.duty_id for x in week} == {"daily-quality-report", "weekly-inspection-summary"}
    assert sum(x.duty_id == "daily-quality-report" for x in week) == 7
    month = duty_calendar(desk, people.inspector, date(2026, 3, 1), date(2026, 3, 31))
    assert [x.at.day for x in month if x.duty_id == "quality-report"] == [21]
    with pytest.raises(InvalidInput) as wrong:
        duty_calendar(desk, people.inspector, date(2026, 3, 1), date(2026, 4, 30))
    assert wrong.value.field == "last"


def test_sc_5_an_unknown_duty_names_the_field(desk, people):
    with pytest.raises(InvalidInput) as wrong:
        mark_duty_done(desk, people.leader, "tea-break", _local(desk, MON, 10))
    assert wrong.value.field == "duty" and _rows(desk) == []
