"""Shift swaps on the desk: the rules' answer before filing, and a swap that
stays pending until both squad leaders have approved (SW-1)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from textual.widgets import Select, Static

from csdesk.app import make_app
from csdesk.models import RequestStatus, RosterEntry, StepDecision, SwapSide
from csdesk.rules.vocab import Role
from csdesk.screens.swaps import SwapForm, SwapsScreen
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
