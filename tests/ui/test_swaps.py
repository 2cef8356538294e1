"""Shift swaps on the desk: the rules' answer before filing, a swap that stays
pending until both squad leaders have approved (SW-1), and a shift an approved
swap left empty charged to both parties (SW-5)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from textual.widgets import Footer, Input, Select, Static, TabbedContent
from textual.widgets._footer import FooterKey

from csdesk.app import make_app
from csdesk.models import Attendance, RequestStatus, RosterEntry, StepDecision, SwapSide
from csdesk.rules.vocab import Role
from csdesk.screens.swaps import EmptyShiftForm, SwapForm, SwapsScreen
from csdesk.services import swaps
from csdesk.services.base import Actor
from csdesk.services.roster import ensure_shift_definitions

GIVE = date(2026, 3, 12)
TAKE = date(2026, 3, 14)


@pytest.fixture
def centre(desk, make_squad, make_staff):
    east, west = make_squad("一组"), make_squad("二组")
    people = SimpleNamespace(
        east_leader=make_staff(role=Role.SQUAD_LEADER, squad=east, employee_number="1001", real_name="张伟"),
        west_leader=make_staff(role=Role.SQUAD_LEADER, squad=west, employee_number="2001", real_name="刘洋"),
        me=make_staff(role=Role.AGENT, squad=east, employee_number="1024", real_name="李娜"),
        partner=make_staff(role=Role.AGENT, squad=west, employee_number="2048", real_name="王芳"),
    )
    with desk.write() as session:
        ids = ensure_shift_definitions(session, desk.policy)
        mine = RosterEntry(staff_id=people.me.id, work_date=GIVE, shift_id=ids["day"])
        theirs = RosterEntry(staff_id=people.partner.id, work_date=TAKE, shift_id=ids["day"])
        session.add_all([mine, theirs])
        session.flush()
        people.mine, people.theirs = mine.id, theirs.id
    for name in ("east_leader", "west_leader", "me", "partner"):
        setattr(people, name, Actor.of(getattr(people, name)))
    return people


def desk_app(db, desk):
    return make_app(SimpleNamespace(lang=None), db, desk_factory=lambda: desk)


async def open_swaps(pilot, actor, settle):
    app = pilot.app
    if app.actor is not None:
        app.sign_out()
        await pilot.pause()
    app.signed_in(actor)
    await pilot.pause()
    app.push_screen(SwapsScreen())
    await settle(app)
    await pilot.pause()
    return app.screen


def test_a_swap_filed_on_the_form_and_approved_by_one_leader_stays_pending(
    db, desk, centre, drive, settle
):  # rule: SW-1
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_swaps(pilot, centre.me, settle)
        await pilot.press("n")
        await settle(app)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SwapForm)
        form.query_one("#swap-mine", Select).value = centre.mine
        form.query_one("#swap-partner", Select).value = centre.partner.staff_id
        await settle(app)
        await pilot.pause()
        form.query_one("#swap-theirs", Select).value = centre.theirs
        await settle(app)
        await pilot.pause()
        preview = str(form.query_one("#swap-preview", Static).render())
        assert "SW-1" in preview and "both parties' squad leaders" in preview
        assert swaps.my_swaps(desk, centre.me) == ()  # previewing saves nothing
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, SwapsScreen)

        screen = await open_swaps(pilot, centre.east_leader, settle)
        await pilot.press("2", "a")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        # Decided on this side: it no longer waits for this leader.
        assert str(screen.query_one("#swap-detail", Static).render()) == "No swaps here."

        screen = await open_swaps(pilot, centre.me, settle)
        detail = str(screen.query_one("#swap-detail", Static).render()).splitlines()
        assert detail[0].endswith(": pending")
        assert detail[1].startswith("Requester's leader: approved by No. 1001 张伟")
        assert detail[2] == "Partner's leader: pending"

    drive(app, scenario)
    (swap,) = swaps.my_swaps(desk, centre.me)
    assert swap.status is RequestStatus.PENDING
    assert [(s.side, s.decision) for s in swap.sides] == [
        (SwapSide.REQUESTER, StepDecision.APPROVED),
        (SwapSide.PARTNER, StepDecision.PENDING),
    ]


def test_a_swap_the_rules_refuse_says_so_before_filing(db, desk, centre, make_staff, drive, settle):
    # rule: SW-4
    senior = Actor.of(make_staff(role=Role.AGENT, employee_number="3003", real_name="赵敏", grade="senior"))
    with desk.write() as session:
        ids = ensure_shift_definitions(session, desk.policy)
        entry = RosterEntry(staff_id=senior.staff_id, work_date=TAKE, shift_id=ids["night"])
        session.add(entry)
        session.flush()
        theirs = entry.id
    app = desk_app(db, desk)

    async def scenario(pilot):
        await open_swaps(pilot, centre.me, settle)
        await pilot.press("n")
        await settle(app)
        form = app.screen
        form.query_one("#swap-mine", Select).value = centre.mine
        form.query_one("#swap-partner", Select).value = senior.staff_id
        await settle(app)
        await pilot.pause()
        form.query_one("#swap-theirs", Select).value = theirs
        await settle(app)
        await pilot.pause()
        preview = str(form.query_one("#swap-preview", Static).render())
        assert preview.startswith("Cannot be filed: SW-4: both sides must have the same grade")

    drive(app, scenario)
    assert swaps.my_swaps(desk, centre.me) == ()


def footer_keys(screen) -> dict[str, bool]:
    """The footer's keys by their words, each with whether it is wholly on an 80-column screen."""
    return {
        f"{key.key_display or key.key} {key.description}": key.region.width > 0 and key.region.right <= 80
        for footer in screen.query(Footer)
        for key in footer.query(FooterKey)
    }


def test_a_leader_charges_the_shift_a_swap_left_empty_to_both_parties(
    db, desk, clock, centre, drive, settle
):  # rule: SW-5
    filed = swaps.file_swap(desk, centre.me, centre.mine, centre.theirs, "wedding")
    swaps.decide_swap(desk, centre.east_leader, filed.id, True)
    swaps.decide_swap(desk, centre.west_leader, filed.id, True)
    clock.advance(days=6)  # Sunday: the partner never came on Thursday, the shift they took over
    with desk.write() as session:
        session.add(Attendance(staff_id=centre.partner.staff_id, roster_id=centre.mine, status="absenteeism"))
    app = desk_app(db, desk)

    async def scenario(pilot):
        screen = await open_swaps(pilot, centre.east_leader, settle)
        assert "e Empty shift" not in footer_keys(screen)  # only where the approved swaps are
        await pilot.press("3")
        await settle(app)
        await pilot.pause()
        assert screen.query_one("#swap-tabs", TabbedContent).active == "approved"
        keys = footer_keys(screen)
        assert keys.get("e Empty shift") is True and "a Approve" not in keys
        await pilot.press("e")
        await settle(app)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EmptyShiftForm)
        assert form.query_one("#empty-roster", Select).value == centre.mine
        form.query_one("#empty-share", Input).value = "40"
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        # Refused: the form stays, the reason says what was missing, nothing is charged.
        assert app.screen is form
        assert "what about the swap was unclear" in str(form.query_one(".-invalid .field-error", Static).render())
        assert swaps.my_swaps(desk, centre.me)[0].charges == ()
        form.query_one("#empty-reason", Input).value = "nobody said who works Thursday"
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        assert app.screen is screen
        detail = str(screen.query_one("#swap-detail", Static).render()).splitlines()
        assert detail[-1].startswith("SW-5: No. 1024 李娜 40%, No. 2048 王芳 60%")

        # The parties see it on their own swap.
        screen = await open_swaps(pilot, centre.partner, settle)
        assert "SW-5: No. 1024 李娜 40%, No. 2048 王芳 60%" in str(screen.query_one("#swap-detail", Static).render())

    drive(app, scenario)
    (swap,) = swaps.my_swaps(desk, centre.me)
    assert [(c.staff_id, c.share_percent, c.day, c.reason) for c in swap.charges] == [
        (centre.me.staff_id, 40, GIVE, "nobody said who works Thursday"),
        (centre.partner.staff_id, 60, GIVE, "nobody said who works Thursday"),
    ]
