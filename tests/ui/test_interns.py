"""Interns by keyboard (ST-4): hours and check-ins by the leader, summary approved and conversion by the director."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input

from csdesk.models import EarlyConversion, InternSummary, Staff, TrainingCheckIn, TrainingLog
from csdesk.rules.vocab import Role, StaffStatus
from csdesk.screens.commands import commands_offered
from csdesk.screens.interns import EntryForm, InternsScreen
from csdesk.services import interns

from .test_home import rows
from .test_rollcall import app_for, late_desk  # noqa: F401 - a fixture


@pytest.fixture
def w(late_desk, make_squad, make_staff, actor_of):
    squad = make_squad("莲花组")

    class World:
        leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, real_name="李娜"))
        director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, real_name="María González"))
        intern = actor_of(
            make_staff(squad=squad, status=StaffStatus.INTERN, real_name="欧阳晓明", hire_date=date(2026, 2, 1))
        )

    return World


async def _open(app, pilot, settle):
    await settle(app)
    await pilot.press("n")
    await settle(app)
    await pilot.pause()
    assert isinstance(app.screen, InternsScreen)
    return app.screen


async def _fill(app, pilot, settle, values):
    form = app.screen
    assert isinstance(form, EntryForm)
    for name, value in values.items():
        form.query_one(f"#entry-{name}", Input).value = value
    await pilot.press("enter")
    await settle(app)
    await pilot.pause()


def test_st_4_the_leader_logs_hours_and_a_check_in_by_keyboard(db, late_desk, w, drive, settle):
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(w.leader)
        screen = await _open(app, pilot, settle)
        assert "欧阳晓明" in rows(screen.query_one("#interns-table", DataTable))[0]
        await pilot.press("h")
        await pilot.pause()
        await _fill(app, pilot, settle, {"work_date": "2026-03-10", "minutes": "4"})  # tomorrow: refused
        assert isinstance(app.screen, EntryForm)
        assert "not for 2026-03-10" in str(app.screen.query_one(".field-error").render())
        await _fill(app, pilot, settle, {"work_date": "2026-03-08", "minutes": "4.5", "activity": "跟听电话"})
        assert app.screen is screen
        await pilot.press("c")
        await pilot.pause()
        await _fill(app, pilot, settle, {"notes": "第一次见面"})
        row = rows(screen.query_one("#interns-table", DataTable))[0]
        assert "4.5/40" in row and "1/2" in row
        # The leader neither approves nor converts: those keys are not offered.
        keys = {b.binding.key for b in screen.active_bindings.values()}
        assert {"h", "c", "r"} <= keys and not {"a", "v", "p"} & keys

    drive(app, scenario)
    with late_desk.read() as session:
        [log] = session.exec(select(TrainingLog)).all()
        [meeting] = session.exec(select(TrainingCheckIn)).all()
    assert (log.work_date, log.minutes, log.activity, log.recorded_by_id) == (
        date(2026, 3, 8),
        270,
        "跟听电话",
        w.leader.staff_id,
    )
    assert (meeting.mentor_id, meeting.notes) == (w.leader.staff_id, "第一次见面")


def test_st_4_the_director_is_refused_conversion_until_the_bars_then_converts(db, late_desk, w, drive, settle):
    interns.log_training(late_desk, w.leader, w.intern.staff_id, date(2026, 3, 2), 8 * 60)
    interns.record_check_in(late_desk, w.leader, w.intern.staff_id)
    interns.submit_summary(late_desk, w.intern, w.intern.staff_id, "实习总结：学会了工单流程。")
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(w.director)
        screen = await _open(app, pilot, settle)
        await pilot.press("a")  # approve the waiting summary
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await settle(app)
        await pilot.pause()
        assert "approved" in rows(screen.query_one("#interns-table", DataTable))[0]
        await pilot.press("v")  # 8 of 40 hours, 1 of 2 check-ins: refused with the rule
        await pilot.pause()
        assert app.screen is screen
        assert any("ST-4" in n.message and "8 of 40 hours" in n.message for n in app._notifications)
        assert app.last_refusal_rule_ids == ("ST-4",)

    drive(app, scenario)
    with late_desk.read() as session:
        assert session.get(Staff, w.intern.staff_id).status == StaffStatus.INTERN
        [summary] = session.exec(select(InternSummary)).all()
    assert (summary.approved, summary.decided_by_id) == (True, w.director.staff_id)

    # Early: the leader recommends, the director approves and converts.
    interns.recommend_early(late_desk, w.leader, w.intern.staff_id, "表现突出")
    app = app_for(db, late_desk)

    async def early(pilot):
        app.signed_in(w.director)
        screen = await _open(app, pilot, settle)
        await pilot.press("p")
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await settle(app)
        await pilot.press("v")
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await settle(app)
        await pilot.pause()
        assert "No interns" in str(screen.query_one("#interns-title").render())

    drive(app, early)
    with late_desk.read() as session:
        assert session.get(Staff, w.intern.staff_id).status == StaffStatus.FORMAL


def test_st_4_the_intern_writes_their_own_summary(db, late_desk, w, drive, settle):
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(w.intern)
        screen = await _open(app, pilot, settle)
        keys = {b.binding.key for b in screen.active_bindings.values() if b.enabled}
        assert "s" in keys and not {"h", "c", "v"} & keys
        await pilot.press("s")
        await pilot.pause()
        await _fill(app, pilot, settle, {"text": "三周实习总结"})
        assert "waiting" in rows(screen.query_one("#interns-table", DataTable))[0]

    drive(app, scenario)
    with late_desk.read() as session:
        [summary] = session.exec(select(InternSummary)).all()
    assert (summary.text, summary.written_by_id, summary.approved) == ("三周实习总结", w.intern.staff_id, None)


def test_st_4_writing_the_summary_again_opens_the_text_already_written(db, late_desk, w, drive, settle):
    view = interns.submit_summary(late_desk, w.intern, w.intern.staff_id, "三周实习总结")
    interns.decide_summary(late_desk, w.director, view.summary_id, True)
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(w.intern)
        await _open(app, pilot, settle)
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EntryForm)
        assert form.query_one("#entry-text", Input).value == "三周实习总结"
        assert "approves it again" in form.heading
        await _fill(app, pilot, settle, {"text": "三周实习总结，补充：夜班一周"})

    drive(app, scenario)
    with late_desk.read() as session:
        texts = [s.text for s in session.exec(select(InternSummary)).all()]
    assert texts[-1] == "三周实习总结，补充：夜班一周"


def test_st_4_an_agent_past_the_internship_is_not_offered_the_interns_area(
    db, late_desk, w, make_staff, actor_of, drive, settle
):
    from csdesk.screens.home import HomeScreen
    from csdesk.widgets.key_row import KeyRow

    formal = actor_of(make_staff(status=StaffStatus.FORMAL, real_name="张伟"))
    assert w.intern.intern and not formal.intern

    def offered(app):
        go_to = str(app.screen.query_one(KeyRow).render())
        palette = {c.title for c in commands_offered("interns", app.actor)}
        return "Interns" in go_to, "Interns" in palette

    for person, expected in ((w.intern, (True, True)), (w.leader, (True, True)), (formal, (False, False))):
        app = app_for(db, late_desk)

        async def scenario(pilot, person=person, expected=expected, app=app):
            app.signed_in(person)
            await settle(app)
            await pilot.pause()
            assert offered(app) == expected, person.name
            await pilot.press("n")
            await settle(app)
            assert isinstance(app.screen, InternsScreen if expected[0] else HomeScreen)

        drive(app, scenario)


def test_st_4_a_refusal_of_the_whole_case_is_said_on_the_form_where_the_leader_is_typing(
    db, late_desk, w, drive, settle
):
    # The intern has done the hours and check-ins: nothing to convert early.
    for day in range(1, 9):
        interns.log_training(late_desk, w.leader, w.intern.staff_id, date(2026, 3, day), 5 * 60, "跟听电话")
    for _meeting in range(2):
        interns.record_check_in(late_desk, w.leader, w.intern.staff_id, "见面")
    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(w.leader)
        await _open(app, pilot, settle)
        await pilot.press("r")
        await pilot.pause()
        await _fill(app, pilot, settle, {"reason": "表现突出"})
        form = app.screen
        assert isinstance(form, EntryForm)  # still there, what was typed still in it
        said = form.query_one("#entry-said")
        assert said.display and "ST-4" in str(said.render())
        assert form.query_one("#entry-reason", Input).value == "表现突出"
        # Putting it right and saving again takes the old refusal away first.
        await _fill(app, pilot, settle, {"reason": ""})
        assert not said.display
        assert "reason" in str(form.query_one(".field-error").render())

    drive(app, scenario)
    with late_desk.read() as session:
        assert session.exec(select(EarlyConversion)).all() == []  # nothing recorded
