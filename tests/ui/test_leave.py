"""The leave screens: a request filed by an agent climbs its approval chain level
by level; the form shows what the rules say before filing and refuses bad dates
on their field."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from textual.widgets import Input, Select, Static

from csdesk.app import make_app
from csdesk.models import RequestStatus, RosterEntry, StepDecision
from csdesk.rules.vocab import LeaveType, Role, ShiftKind
from csdesk.screens.leave import CertificateModal, LeaveForm, LeaveScreen
from csdesk.services import leave
from csdesk.services.base import Actor
from csdesk.services.roster import ensure_shift_definitions
from csdesk.widgets.detail import DetailModal
from csdesk.widgets.form import Field
from csdesk.widgets.paged_table import PagedTable

# The fixed clock stands at 2026-03-09 16:00 in the centre (conftest T0).
TODAY = date(2026, 3, 9)


@pytest.fixture
def centre(desk, make_squad, make_staff):
    squad = make_squad("一组")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1001", real_name="张伟")
    agent = make_staff(role=Role.AGENT, squad=squad, employee_number="1024", real_name="李娜")
    director = make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="9001", real_name="陈静")
    return SimpleNamespace(leader=Actor.of(leader), agent=Actor.of(agent), director=Actor.of(director))


def put_on_roster(desk, staff_id: int, *shifts: tuple[date, ShiftKind]) -> None:
    with desk.write() as session:
        ids = ensure_shift_definitions(session, desk.policy)
        for day, kind in shifts:
            session.add(RosterEntry(staff_id=staff_id, work_date=day, shift_id=ids[kind.value]))


def desk_app(db, desk):
    return make_app(SimpleNamespace(lang=None), db, desk_factory=lambda: desk)


async def open_leave(pilot, actor, settle):
    app = pilot.app
    if app.actor is not None:
        app.sign_out()
        await pilot.pause()
    app.signed_in(actor)
    await pilot.pause()
    app.push_screen(LeaveScreen())
    await settle(app)
    await pilot.pause()
    return app.screen


async def type_into(pilot, form, input_id: str, text: str) -> None:
    field = form.query_one(input_id, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def wait_for_preview(pilot, settle):
    await pilot.pause(0.5)  # the form waits for a pause in typing
    await settle(pilot.app)
    await pilot.pause()


def field_error(form, name: str) -> str:
    for field in form.query(Field):
        if field.field == name:
            return str(field.query_one(".field-error", Static).render())
    raise AssertionError(f"no field {name}")


def test_leave_filed_by_an_agent_is_approved_by_the_squad_leader_then_the_director(
    db, desk, centre, drive, settle
):  # rule: LV-3
    put_on_roster(desk, centre.agent.staff_id, (date(2026, 3, 12), ShiftKind.DAY))
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_leave(pilot, centre.agent, settle)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LeaveForm)
        await type_into(pilot, form, "#leave-from", "2026-03-12")
        await type_into(pilot, form, "#leave-to", "2026-03-12")
        await type_into(pilot, form, "#leave-reason", "family matters")
        await wait_for_preview(pilot, settle)
        preview = str(form.query_one("#leave-preview", Static).render())
        assert "Approval: Squad leader → Department director" in preview
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, LeaveScreen)
        await settle(app)
        mine = app.screen.query_one("#my-leave", PagedTable)
        assert [str(c) for c in mine.get_row_at(0)][4:] == ["pending", "Squad leader"]

        for approver in (centre.leader, centre.director):
            screen = await open_leave(pilot, approver, settle)
            await pilot.press("2")
            await settle(app)
            await pilot.pause()
            waiting = screen.query_one("#pending-leave", PagedTable)
            assert waiting.row_count == 1
            await pilot.press("a")
            await pilot.pause()
            await pilot.press(*"ok", "enter")
            await settle(app)
            await pilot.pause()

    drive(app, scenario)
    (request,) = leave.my_requests(desk, centre.agent)
    assert request.status is RequestStatus.APPROVED
    assert [(s.role, s.decision, s.approver_label) for s in request.steps] == [
        (Role.SQUAD_LEADER, StepDecision.APPROVED, "No. 1001 张伟"),
        (Role.DEPARTMENT_DIRECTOR, StepDecision.APPROVED, "No. 9001 陈静"),
    ]


def test_night_shift_leave_after_noon_shows_the_lv6_problem_before_filing(
    db, desk, centre, drive, settle
):  # rule: LV-6
    put_on_roster(desk, centre.agent.staff_id, (TODAY, ShiftKind.NIGHT))
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_leave(pilot, centre.agent, settle)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#leave-type", Select).value = LeaveType.SPECIAL.value
        form.query_one("#leave-from-shift", Select).value = ShiftKind.NIGHT.value
        form.query_one("#leave-to-shift", Select).value = ShiftKind.NIGHT.value
        await type_into(pilot, form, "#leave-from", "2026-03-09")
        await type_into(pilot, form, "#leave-to", "2026-03-09")
        await wait_for_preview(pilot, settle)
        preview = str(form.query_one("#leave-preview", Static).render())
        assert "Cannot be filed" in preview
        assert "LV-6: night-shift leave must be filed before 12:00 of the same day" in preview
        assert "Covers 09 Mar night" in preview

    drive(app, scenario)
    assert leave.my_requests(desk, centre.agent) == ()


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-02-31", "2026-03-01", "start", "not a real date"),
        ("2026-03-12 25:00", "2026-03-12", "start", "not a real date or time"),
        ("2026-03-12", "2026-03-11", "end", "must end after it starts"),
    ],
    ids=["31-february", "25-oclock", "end-before-start"],
)
def test_a_bad_date_is_refused_on_its_field_and_nothing_is_saved(
    db, desk, centre, drive, settle, start, end, field, message
):
    put_on_roster(desk, centre.agent.staff_id, (date(2026, 3, 12), ShiftKind.DAY))
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_leave(pilot, centre.agent, settle)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await type_into(pilot, form, "#leave-from", start)
        await type_into(pilot, form, "#leave-to", end)
        await type_into(pilot, form, "#leave-reason", "moving house")
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert app.screen is form  # still open, nothing filed
        assert message in field_error(form, field)
        assert not app._notifications

    drive(app, scenario)
    assert leave.my_requests(desk, centre.agent) == ()


def test_a_leader_refusal_needs_a_reason_and_keeps_it(db, desk, centre, drive, settle):  # rule: LV-3
    put_on_roster(desk, centre.agent.staff_id, (date(2026, 3, 12), ShiftKind.DAY))
    filed = leave.file_leave(desk, centre.agent, centre.agent.staff_id, "personal", "2026-03-12", "2026-03-12", "trip")
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_leave(pilot, centre.leader, settle)
        await pilot.press("2")
        await settle(app)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")  # empty reason: the modal says so and stays
        await pilot.pause()
        assert leave.my_requests(desk, centre.agent)[0].status is RequestStatus.PENDING
        await pilot.press(*"short-staffed that day", "enter")
        await settle(app)

    drive(app, scenario)
    (request,) = leave.my_requests(desk, centre.agent)
    assert request.id == filed.id and request.status is RequestStatus.REFUSED
    assert request.steps[0].reason == "short-staffed that day"


@pytest.fixture
def two_requests(desk, centre):
    put_on_roster(desk, centre.agent.staff_id, (date(2026, 3, 12), ShiftKind.DAY), (date(2026, 3, 16), ShiftKind.NIGHT))
    first = leave.file_leave(
        desk, centre.agent, centre.agent.staff_id, "personal", "2026-03-12", "2026-03-12", "家里有事"
    )
    leave.decide_leave(desk, centre.leader, first.id, True, "同意")
    leave.file_leave(desk, centre.agent, centre.agent.staff_id, "holiday", "2026-03-16", "2026-03-16", "回老家")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_leave_screen_snapshot(snap_compare, db, desk, centre, two_requests, settle, size):
    async def open_it(pilot):
        await open_leave(pilot, centre.agent, settle)

    assert snap_compare(desk_app(db, desk), terminal_size=size, run_before=open_it)


def test_leave_form_snapshot_with_the_rules_preview(snap_compare, db, desk, centre, settle):
    put_on_roster(desk, centre.agent.staff_id, (TODAY, ShiftKind.NIGHT))

    async def fill_in(pilot):
        await open_leave(pilot, centre.agent, settle)
        await pilot.press("n")
        await pilot.pause()
        form = pilot.app.screen
        form.query_one("#leave-type", Select).value = LeaveType.SPECIAL.value
        form.query_one("#leave-from-shift", Select).value = ShiftKind.NIGHT.value
        form.query_one("#leave-to-shift", Select).value = ShiftKind.NIGHT.value
        form.query_one("#leave-from", Input).value = "2026-03-09"
        form.query_one("#leave-to", Input).value = "2026-03-09"
        form.query_one("#leave-reason", Input).value = "发烧"
        form.query_one("#leave-type", Select).focus()
        await wait_for_preview(pilot, settle)

    assert snap_compare(desk_app(db, desk), terminal_size=(80, 24), run_before=fill_in)


def test_the_live_preview_shows_a_date_problem_without_taking_the_cursor_away(db, desk, centre, drive, settle):
    put_on_roster(desk, centre.agent.staff_id, (date(2026, 3, 12), ShiftKind.DAY))
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_leave(pilot, centre.agent, settle)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await type_into(pilot, form, "#leave-from", "2026-03-12")
        await type_into(pilot, form, "#leave-to", "2026-03-11")
        reason = form.query_one("#leave-reason", Input)
        reason.focus()
        await pilot.pause()
        await wait_for_preview(pilot, settle)  # the preview finds the end before the start ...
        assert "must end after it starts" in field_error(form, "end")
        assert app.focused is reason  # ... and the person typing the reason keeps typing there
        await pilot.press(*"moving")
        assert reason.value == "moving"

    drive(app, scenario)


# -- sick leave and the certificate that follows (LV-5) -----------------------------------------

WEDNESDAY, THURSDAY = date(2026, 3, 11), date(2026, 3, 12)


def _sick_wednesday_filed_at_the_desk(desk, centre):
    put_on_roster(desk, centre.agent.staff_id, (WEDNESDAY, ShiftKind.DAY), (THURSDAY, ShiftKind.DAY))


async def _file_sick_for_the_agent(pilot, centre, settle):
    app = pilot.app
    await open_leave(pilot, centre.leader, settle)
    await pilot.press("n")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, LeaveForm)
    form.query_one("#leave-type", Select).value = LeaveType.SICK.value
    await settle(app)
    form.query_one("#leave-person", Select).value = centre.agent.staff_id
    await type_into(pilot, form, "#leave-from", "2026-03-11")
    await type_into(pilot, form, "#leave-to", "2026-03-11")
    await type_into(pilot, form, "#leave-reason", "fever")
    await wait_for_preview(pilot, settle)
    preview = str(form.query_one("#leave-preview", Static).render())
    assert "once the medical certificate is handed in" in preview and "Cannot be filed" not in preview
    await pilot.press("enter")
    await settle(app)
    await pilot.pause()
    assert isinstance(app.screen, LeaveScreen)


def _approve_all(desk, centre):
    (request,) = leave.pending_for(desk, centre.leader)
    leave.decide_leave(desk, centre.leader, request.id, True)
    leave.decide_leave(desk, centre.director, request.id, True)
    return request.id


def test_sick_leave_filed_for_a_colleague_waits_for_the_certificate_handed_in_later(
    db, desk, centre, clock, drive, settle
):  # rule: LV-4, LV-5
    _sick_wednesday_filed_at_the_desk(desk, centre)
    app = desk_app(db, desk)

    async def scenario(pilot):
        await _file_sick_for_the_agent(pilot, centre, settle)
        _approve_all(desk, centre)
        # One minute before the end of the first shift back.
        clock.set(datetime(2026, 3, 12, 17, 29, tzinfo=desk.policy.zone))
        screen = await open_leave(pilot, centre.leader, settle)
        await pilot.press("3")
        await settle(app)
        await pilot.pause()
        table = screen.query_one("#certificate-leave", PagedTable)
        assert table.row_count == 1
        detail = str(screen.query_one("#leave-detail", Static).render())
        assert "Reason: fever" in detail and "11 Mar day" in detail
        assert "Certificate awaited, due by 12 Mar 17:30" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailModal)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CertificateModal)
        assert modal.query_one("#certificate-from", Input).value == "2026-03-11"
        assert modal.query_one("#certificate-to", Input).value == "2026-03-11"
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert app.screen is screen
        await settle(app)
        assert screen.query_one("#certificate-leave", PagedTable).row_count == 0

    drive(app, scenario)
    (request,) = leave.my_requests(desk, centre.agent)
    assert request.has_certificate and request.certificate_from == WEDNESDAY
    assert request.filed_by_label == centre.leader.label


@pytest.mark.parametrize(("minute", "lapses"), [(29, False), (30, True)])
def test_sick_leave_without_its_certificate_lapses_only_once_the_first_shift_back_is_over(
    db, desk, centre, clock, drive, settle, minute, lapses
):  # rule: LV-5, AT-7
    _sick_wednesday_filed_at_the_desk(desk, centre)
    leave.file_leave(desk, centre.leader, centre.agent.staff_id, LeaveType.SICK, WEDNESDAY, WEDNESDAY, "fever")
    request_id = _approve_all(desk, centre)
    clock.set(datetime(2026, 3, 12, 17, minute, tzinfo=desk.policy.zone))
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_leave(pilot, centre.leader, settle)
        await pilot.press("3")
        await settle(app)
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm-ok")
        await settle(app)
        await pilot.pause()
        detail = screen.query_one("#leave-detail", Static)
        if not lapses:
            assert "can still be handed in until 2026-03-12 17:30" in str(detail.render())
            assert detail.has_class("-refused")

    drive(app, scenario)
    (request,) = leave.my_requests(desk, centre.agent)
    assert request.id == request_id
    assert request.status is (RequestStatus.LAPSED if lapses else RequestStatus.APPROVED)
