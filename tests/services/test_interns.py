"""ST-4: interns' hours, check-ins, summary and conversion, as each role does them."""

from datetime import date

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, EarlyConversion, InternSummary, Staff, TrainingCheckIn, TrainingLog
from csdesk.rules.decision import Outcome
from csdesk.rules.vocab import Role, StaffStatus
from csdesk.services import interns
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError

TODAY = date(2026, 3, 9)  # T0's day in the centre


@pytest.fixture
def w(desk, make_squad, make_staff, actor_of):
    squad, other = make_squad("莲花组"), make_squad("B")

    class World:
        leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad))
        deputy = actor_of(make_staff(role=Role.DEPUTY_LEADER, squad=squad))
        other_leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=other))
        agent = actor_of(make_staff(squad=squad))
        inspector = actor_of(make_staff(role=Role.INSPECTOR))
        director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR))
        intern = actor_of(
            make_staff(squad=squad, status=StaffStatus.INTERN, real_name="周小米", hire_date=date(2026, 2, 1))
        )

    return World


def _count(desk, model):
    with desk.read() as session:
        return len(session.exec(select(model)).all())


def _hours(desk, w, total_minutes):
    day = date(2026, 2, 2)
    while total_minutes > 0:
        chunk = min(480, total_minutes)
        interns.log_training(desk, w.leader, w.intern.staff_id, day, chunk, "跟听电话")
        total_minutes -= chunk
        day = day.replace(day=day.day + 1)


def _status(desk, staff_id):
    with desk.read() as session:
        return session.get(Staff, staff_id).status


def test_st_4_the_full_path_to_formal_staff(desk, w):
    _hours(desk, w, 40 * 60 - 6)  # 39.9 hours
    interns.record_check_in(desk, w.leader, w.intern.staff_id, "第一次")
    interns.record_check_in(desk, w.deputy, w.intern.staff_id, "第二次")
    summary = interns.submit_summary(desk, w.intern, w.intern.staff_id, "实习总结：熟悉了工单和交接班流程。")
    view = interns.decide_summary(desk, w.director, summary.summary_id, True)
    assert (view.hours, view.check_ins, view.summary) == (39.9, 2, interns.SummaryState.APPROVED)
    assert view.conversion.outcome is Outcome.REFUSED and "39.9 of 40 hours" in view.conversion.reason
    with pytest.raises(ServiceError) as refused:
        interns.convert(desk, w.director, w.intern.staff_id)
    assert refused.value.rule_ids == ("ST-4",)
    assert _status(desk, w.intern.staff_id) is StaffStatus.INTERN

    interns.log_training(desk, w.leader, w.intern.staff_id, TODAY, 6, "补足")  # now 40.0
    [ready] = interns.interns(desk, w.leader)
    assert ready.conversion.ok and ready.hours == 40
    interns.convert(desk, w.director, w.intern.staff_id)
    assert _status(desk, w.intern.staff_id) is StaffStatus.FORMAL
    with desk.read() as session:
        [audit] = session.exec(select(AuditLog).where(AuditLog.action == "intern.converted")).all()
    assert audit.before["status"] == "intern" and audit.after["status"] == "formal"
    assert interns.interns(desk, w.leader) == ()  # no longer an intern


def test_st_4_one_check_in_is_not_enough(desk, w):
    _hours(desk, w, 40 * 60)
    interns.record_check_in(desk, w.leader, w.intern.staff_id)
    s = interns.submit_summary(desk, w.leader, w.intern.staff_id, "summary written with the leader")
    view = interns.decide_summary(desk, w.director, s.summary_id, True)
    assert view.conversion.outcome is Outcome.REFUSED and "1 of 2 check-ins" in view.conversion.reason


def test_st_4_a_summary_sent_back_is_kept_and_a_new_one_waits_again(desk, w):
    first = interns.submit_summary(desk, w.intern, w.intern.staff_id, "太短")
    with pytest.raises(ServiceError, match="already waiting"):
        interns.submit_summary(desk, w.intern, w.intern.staff_id, "second while waiting")
    with pytest.raises(InvalidInput) as no_reason:
        interns.decide_summary(desk, w.director, first.summary_id, False, " ")
    assert no_reason.value.field == "note"
    back = interns.decide_summary(desk, w.director, first.summary_id, False, "请写具体一些")
    assert back.summary is interns.SummaryState.SENT_BACK and back.summary_note == "请写具体一些"
    again = interns.submit_summary(desk, w.intern, w.intern.staff_id, "详细的实习总结")
    assert again.summary is interns.SummaryState.WAITING and _count(desk, InternSummary) == 2


def test_st_4_early_conversion_leader_recommends_head_approves(desk, w):
    _hours(desk, w, 20 * 60)
    interns.record_check_in(desk, w.leader, w.intern.staff_id)
    s = interns.submit_summary(desk, w.intern, w.intern.staff_id, "总结")
    interns.decide_summary(desk, w.director, s.summary_id, True)
    with pytest.raises(InvalidInput) as no_reason:
        interns.recommend_early(desk, w.leader, w.intern.staff_id, "")
    assert no_reason.value.field == "reason"
    view = interns.recommend_early(desk, w.leader, w.intern.staff_id, "表现突出，提前转正")
    assert view.conversion.outcome is Outcome.NEEDS_APPROVAL
    with pytest.raises(ServiceError):
        interns.convert(desk, w.director, w.intern.staff_id)
    with pytest.raises(PermissionDenied):
        interns.approve_early(desk, w.leader, w.intern.staff_id)  # the head approves, not the leader
    view = interns.approve_early(desk, w.director, w.intern.staff_id)
    assert view.early is interns.EarlyState.APPROVED and view.conversion.ok
    interns.convert(desk, w.director, w.intern.staff_id)
    assert _status(desk, w.intern.staff_id) is StaffStatus.FORMAL
    with desk.read() as session:
        [row] = session.exec(select(EarlyConversion)).all()
    assert (row.recommended_by_id, row.approved_by_id) == (w.leader.staff_id, w.director.staff_id)


@pytest.mark.parametrize(
    ("who", "call"),
    [
        ("agent", lambda w, d: interns.log_training(d, w.agent, w.intern.staff_id, TODAY, 60)),
        ("intern", lambda w, d: interns.log_training(d, w.intern, w.intern.staff_id, TODAY, 60)),
        ("inspector", lambda w, d: interns.record_check_in(d, w.inspector, w.intern.staff_id)),
        ("other squad", lambda w, d: interns.log_training(d, w.other_leader, w.intern.staff_id, TODAY, 60)),
        ("other squad", lambda w, d: interns.record_check_in(d, w.other_leader, w.intern.staff_id)),
        ("agent", lambda w, d: interns.submit_summary(d, w.agent, w.intern.staff_id, "not mine to write")),
        ("leader", lambda w, d: interns.convert(d, w.leader, w.intern.staff_id)),
        ("agent", lambda w, d: interns.interns(d, w.agent)),
    ],
)
def test_st_2_st_4_refused_roles_save_nothing(desk, w, who, call):
    before = [_count(desk, m) for m in (TrainingLog, TrainingCheckIn, InternSummary, AuditLog)]
    with pytest.raises(PermissionDenied) as refused:
        call(w, desk)
    assert "ST-2" in refused.value.rule_ids
    assert [_count(desk, m) for m in (TrainingLog, TrainingCheckIn, InternSummary, AuditLog)] == before


@pytest.mark.parametrize(
    ("day", "minutes", "field"),
    [
        (date(2026, 3, 10), 60, "work_date"),  # tomorrow
        (date(2026, 1, 31), 60, "work_date"),  # before the intern started
        (TODAY, 0, "minutes"),
        (TODAY, 13 * 60, "minutes"),
    ],
)
def test_st_4_bad_training_entries_name_the_field_and_save_nothing(desk, w, day, minutes, field):
    with pytest.raises(InvalidInput) as wrong:
        interns.log_training(desk, w.leader, w.intern.staff_id, day, minutes)
    assert wrong.value.field == field and _count(desk, TrainingLog) == 0


def test_st_4_who_sees_which_interns(desk, w):
    assert [v.name for v in interns.interns(desk, w.leader)] == ["周小米"]
    assert [v.name for v in interns.interns(desk, w.director)] == ["周小米"]
    assert interns.interns(desk, w.other_leader) == ()
    [own] = interns.interns(desk, w.intern)
    assert own.staff_id == w.intern.staff_id and own.squad == "莲花组"


def test_st_4_a_formal_staff_member_is_not_an_intern(desk, w):
    with pytest.raises(InvalidInput) as wrong:
        interns.log_training(desk, w.leader, w.agent.staff_id, TODAY, 60)
    assert wrong.value.field == "intern"
