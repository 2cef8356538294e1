"""Quality inspection through the services: who may score, the 1-5 samples a month,
the monthly sheet, the weekly summary and the supervisor's daily report."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from csdesk.models import AuditLog, Inspection, SpotCheck
from csdesk.rules.quality import Sampling
from csdesk.rules.vocab import Category, Channel, Role
from csdesk.services import quality
from csdesk.services.base import InvalidInput, NotFound, PermissionDenied, ServiceError
from csdesk.services.tickets import take_in

GOOD = {"service_language": 18, "attitude": 23, "tone": 14, "eliciting_needs": 18, "responsiveness": 19}


def weak(**given):
    return {**GOOD, **given}


@pytest.fixture
def w(make_squad, make_staff, actor_of):
    lotus, peony = make_squad("莲花组"), make_squad("牡丹组")
    return SimpleNamespace(
        inspector=actor_of(make_staff(role=Role.INSPECTOR, employee_number="0900", real_name="周敏")),
        leader=actor_of(make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1100")),
        other_leader=actor_of(make_staff(role=Role.SQUAD_LEADER, squad=peony, employee_number="1200")),
        director=actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002")),
        ann=actor_of(make_staff(squad=lotus, employee_number="1101", real_name="李娜")),
        bo=actor_of(make_staff(squad=lotus, employee_number="1102", real_name="王芳")),
        cy=actor_of(make_staff(squad=peony, employee_number="1201", real_name="Carlos Ruiz")),
    )


def count(desk, model, *where):
    with desk.read() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_qa_1_an_inspector_records_a_scored_sample_with_remarks_and_an_audit_row(desk, w):
    ticket = take_in(desk, w.ann, Channel.PHONE, Category.INQUIRY, "Wang", "13812345678", "Refund", "")
    view = quality.record_inspection(
        desk,
        w.inspector,
        w.ann.staff_id,
        {k: str(v) for k, v in GOOD.items()},
        "polite, a little slow",
        ticket.id,
        notes={"tone": "warm"},
    )
    assert view.total == 92 and view.total_max == 100
    assert view.samples_this_month == 1 and view.agent == "No. 1101 李娜"
    with desk.read() as session:
        saved = session.get(Inspection, view.id)
        entry = session.exec(select(AuditLog).where(AuditLog.action == "quality.inspect")).one()
    assert saved.scores == GOOD and saved.notes == {"tone": "warm"} and saved.ticket_id == ticket.id
    assert entry.actor_id == w.inspector.staff_id and entry.entity_id == str(view.id)


@pytest.mark.parametrize("role_of", ["leader", "ann"])
def test_qa_1_only_inspectors_and_directors_score_and_a_refusal_saves_nothing(desk, w, role_of):
    with pytest.raises(PermissionDenied) as refused:
        quality.record_inspection(desk, getattr(w, role_of), w.bo.staff_id, GOOD)
    assert "ST-2" in refused.value.rule_ids and "inspector" in refused.value.message
    assert count(desk, Inspection) == 0 and count(desk, AuditLog) == 0


def test_qa_1_a_director_may_score_too(desk, w):
    assert quality.record_inspection(desk, w.director, w.cy.staff_id, GOOD).samples_this_month == 1


@pytest.mark.parametrize(
    ("field", "value"), [("tone", "16"), ("attitude", "-1"), ("responsiveness", "abc"), ("eliciting_needs", "")]
)
def test_qa_1_a_score_off_its_scale_is_named_and_nothing_saved(desk, w, field, value):
    with pytest.raises(InvalidInput) as bad:
        quality.record_inspection(desk, w.inspector, w.ann.staff_id, weak(**{field: value}))
    assert bad.value.field == field and "QA-1" in bad.value.rule_ids
    assert count(desk, Inspection) == 0


def test_qa_1_unknown_criterion_ticket_of_someone_else_and_self_inspection_are_refused(desk, w, make_staff, actor_of):
    with pytest.raises(InvalidInput, match="humour"):
        quality.record_inspection(desk, w.inspector, w.ann.staff_id, {**GOOD, "humour": 3})
    theirs = take_in(desk, w.bo, Channel.EMAIL, Category.COMPLAINT, "Li", "li@example.com", "Late", "")
    with pytest.raises(InvalidInput) as bad:
        quality.record_inspection(desk, w.inspector, w.ann.staff_id, GOOD, ticket_id=theirs.id)
    assert bad.value.field == "ticket_id"
    with pytest.raises(NotFound):
        quality.record_inspection(desk, w.inspector, w.leader.staff_id, GOOD)  # not front line
    assert count(desk, Inspection) == 0


def test_qa_1_the_sixth_sample_of_a_month_is_refused_and_next_month_starts_again(desk, w, clock):
    for _n in range(5):
        view = quality.record_inspection(desk, w.inspector, w.ann.staff_id, GOOD)
        clock.advance(hours=1)
    assert view.samples_this_month == 5 and "no more needed" in view.sampling
    with pytest.raises(ServiceError) as full:
        quality.record_inspection(desk, w.inspector, w.ann.staff_id, GOOD)
    assert full.value.rule_ids == ("QA-1",) and "at most 5" in full.value.message
    assert count(desk, Inspection) == 5
    clock.advance(days=25)  # into April (centre time)
    assert quality.record_inspection(desk, w.inspector, w.ann.staff_id, GOOD).samples_this_month == 1


def test_qa_1_sampling_list_flags_under_one_and_shows_who_has_five(desk, w, clock):
    for _ in range(5):
        quality.record_inspection(desk, w.inspector, w.ann.staff_id, GOOD)
    quality.record_inspection(desk, w.inspector, w.bo.staff_id, GOOD)
    rows = quality.sampling_page(desk, w.inspector)
    assert [(r.label, r.samples, r.status) for r in rows] == [
        ("No. 1101 李娜", 5, Sampling.COMPLETE),
        ("No. 1102 王芳", 1, Sampling.SAMPLING),
        ("No. 1201 Carlos Ruiz", 0, Sampling.UNDER),
    ]
    assert rows[0].last_at == clock()
    assert [r.samples for r in quality.sampling_page(desk, w.inspector, only="under")] == [0]
    assert [r.label for r in quality.sampling_page(desk, w.inspector, only="complete")] == ["No. 1101 李娜"]
    assert [r.label for r in quality.sampling_page(desk, w.inspector, offset=1, limit=1)] == ["No. 1102 王芳"]
    counts = quality.sampling_counts(desk, w.inspector)
    assert (counts.month, counts.agents, counts.under, counts.complete) == ("2026-03", 3, 1, 1)
    # Last month is another month: everyone was under.
    assert quality.sampling_counts(desk, w.inspector, "2026-02").under == 3


def test_qa_2_a_squad_leader_reads_their_squad_only(desk, w):
    quality.record_inspection(desk, w.inspector, w.cy.staff_id, GOOD)
    assert [r.label for r in quality.sampling_page(desk, w.leader)] == ["No. 1101 李娜", "No. 1102 王芳"]
    with pytest.raises(NotFound):
        quality.monthly_sheet(desk, w.leader, w.cy.staff_id)
    with pytest.raises(PermissionDenied):
        quality.sampling_page(desk, w.ann)
    # An agent reads their own sheet.
    assert quality.monthly_sheet(desk, w.cy, w.cy.staff_id).overall == 92.0


def test_qa_2_monthly_sheet_averages_the_months_samples_and_names_training(desk, w, clock):
    quality.record_inspection(desk, w.inspector, w.ann.staff_id, weak(tone=9, attitude=15), "rushed")
    clock.advance(days=1)
    quality.record_inspection(desk, w.inspector, w.ann.staff_id, weak(tone=9), "better")
    sheet = quality.monthly_sheet(desk, w.inspector, w.ann.staff_id, "2026-03")
    assert [i.comments for i in sheet.inspections] == ["rushed", "better"]
    assert sheet.averages["tone"] == 9 and sheet.percents["tone"] == 60
    assert sheet.averages["attitude"] == 19 and sheet.weakest == ("tone",)
    assert sheet.status is Sampling.SAMPLING and "training suggested on tone" in sheet.reason
    empty = quality.monthly_sheet(desk, w.inspector, w.bo.staff_id)
    assert empty.overall is None and empty.status is Sampling.UNDER and empty.rule_ids == ("QA-1",)
    with pytest.raises(InvalidInput) as bad:
        quality.monthly_sheet(desk, w.inspector, w.ann.staff_id, "March")
    assert bad.value.field == "month"
    assert [s.agent for s in quality.monthly_sheets(desk, w.leader)] == ["No. 1101 李娜", "No. 1102 王芳"]


def test_qa_3_weekly_summary_plans_team_and_individual_training(desk, w, clock):
    quality.record_inspection(desk, w.inspector, w.ann.staff_id, weak(tone=8))
    quality.record_inspection(desk, w.inspector, w.bo.staff_id, weak(tone=7, responsiveness=10))
    quality.record_inspection(desk, w.inspector, w.cy.staff_id, GOOD)
    clock.advance(days=7)  # next week: not counted in W11
    quality.record_inspection(desk, w.inspector, w.cy.staff_id, weak(tone=1))
    report = quality.weekly_report(desk, w.inspector, "2026-W11")
    assert (report.inspections, report.agents, report.team_training) == (3, 3, ("tone",))
    assert report.lowest[0] == "tone"
    assert [(line.agent, line.training) for line in report.lines] == [
        ("No. 1101 李娜", ()),
        ("No. 1102 王芳", ("responsiveness",)),
        ("No. 1201 Carlos Ruiz", ()),
    ]
    assert report.rule_ids == ("QA-3",) and "whole-team training on tone" in report.reason
    own_squad = quality.weekly_report(desk, w.leader, "2026-W11")
    assert own_squad.agents == 2
    assert quality.weekly_report(desk, w.inspector).iso_week == "2026-W12"


def test_qa_4_supervisor_writes_one_daily_report_with_what_was_left_unchecked(desk, w, clock):
    view = quality.record_spot_check(
        desk, w.leader, ["email", "recordings"], "2 calls lacked a greeting", "greeting drill at roll call"
    )
    assert view.checked == ("recordings", "email") and "forum" in view.reason
    with pytest.raises(ServiceError, match="already wrote today's"):
        quality.record_spot_check(desk, w.leader, ["recordings", "forum", "email"], "none")
    clock.advance(days=1)
    quality.record_spot_check(desk, w.leader, ["recordings", "forum", "email"], "none")
    with pytest.raises(InvalidInput) as bad:
        quality.record_spot_check(desk, w.inspector, ["recordings"], "  ")
    assert bad.value.field == "findings" and bad.value.rule_ids == ("QA-4",)
    with pytest.raises(InvalidInput) as nothing:
        quality.record_spot_check(desk, w.inspector, [], "none")
    assert nothing.value.field == "checked"
    with pytest.raises(PermissionDenied):
        quality.record_spot_check(desk, w.ann, ["recordings"], "none")
    pages = quality.spot_checks_page(desk, w.director)
    assert [p.work_date.day for p in pages] == [10, 9] and pages[0].reason.startswith("recordings, forum")
    assert count(desk, SpotCheck) == 2
    assert count(desk, AuditLog, AuditLog.action == "quality.spot_check") == 2


def test_qa_1_agent_tickets_offer_the_agents_latest_contacts(desk, w, clock):
    first = take_in(desk, w.ann, Channel.PHONE, Category.INQUIRY, "Wang", "13812345678", "Refund", "")
    clock.advance(minutes=5)
    second = take_in(desk, w.ann, Channel.CHAT, Category.INQUIRY, "Zhao", "13812345679", "Tariff", "")
    take_in(desk, w.bo, Channel.PHONE, Category.INQUIRY, "Qian", "13812345670", "Other", "")
    assert [t.ticket_id for t in quality.agent_tickets(desk, w.inspector, w.ann.staff_id)] == [second.id, first.id]
    with pytest.raises(PermissionDenied):
        quality.agent_tickets(desk, w.leader, w.ann.staff_id)


def test_tk_17_the_inspectors_daily_report_ticks_the_calendars_duty(desk, w, clock):  # rule: QA-4
    from csdesk.rules.calendar import DutyStatus
    from csdesk.services import duties

    today = clock().astimezone(desk.policy.zone).date()

    def report_duty(actor):
        lines = duties.duty_calendar(desk, actor, today, today)
        return next(line for line in lines if line.duty_id == "daily-quality-report")

    assert report_duty(w.inspector).status is not DutyStatus.DONE
    # A squad leader's report is theirs to write, but the duty is the inspector's to keep.
    quality.record_spot_check(desk, w.leader, ["recordings", "forum", "email"], "none")
    assert report_duty(w.inspector).status is not DutyStatus.DONE
    quality.record_spot_check(desk, w.inspector, ["recordings", "forum", "email"], "two calls lacked a greeting")
    ticked = report_duty(w.inspector)
    assert ticked.status is DutyStatus.DONE and ticked.done_by == "周敏"
    # Tomorrow's occurrence is still to do.
    clock.advance(days=1)
    tomorrow = clock().astimezone(desk.policy.zone).date()
    line = next(
        x for x in duties.duty_calendar(desk, w.inspector, tomorrow, tomorrow) if x.duty_id == "daily-quality-report"
    )
    assert line.status is not DutyStatus.DONE
