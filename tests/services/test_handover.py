"""Handover: written by the outgoing side, acknowledged by the successor, release only then."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from csdesk.models import HandoverLog
from csdesk.rules.decision import Outcome
from csdesk.rules.vocab import Category, Channel, Role, ShiftKind
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError
from csdesk.services.handover import (
    acknowledge_handover,
    awaiting_my_acknowledgement,
    may_leave,
    open_items_for_handover,
    search_handovers,
    write_handover,
)
from csdesk.services.tickets import claim, reply, take_in


@pytest.fixture
def squad(make_squad):
    return make_squad("A")


@pytest.fixture
def day_agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1024"))


@pytest.fixture
def night_agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="2048"))


@pytest.fixture
def bystander(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="3072"))


def write(desk, actor, incoming, **kwargs):
    values = dict(equipment="all fine", problems="none", complaints="none", events="none", carried_ticket_ids=())
    values.update(kwargs)
    return write_handover(desk, actor, incoming.staff_id if incoming else None, **values)


def owned_case(desk, actor, subject="Refund"):
    return take_in(desk, actor, Channel.PHONE, Category.INQUIRY, "", "", subject, "")


def test_release_only_after_the_successor_acknowledges(desk, day_agent, night_agent, bystander):  # rule: HO-3, AT-9
    before = may_leave(desk, day_agent)
    assert not before.ok and "HO-4" in before.rule_ids
    view = write(desk, day_agent, night_agent)
    assert view.from_shift is ShiftKind.DAY and view.to_shift is ShiftKind.NIGHT
    waiting = may_leave(desk, day_agent)
    assert not waiting.ok and set(waiting.rule_ids) == {"HO-3", "AT-9"}

    with pytest.raises(PermissionDenied) as raised:
        acknowledge_handover(desk, bystander, view.id)
    assert raised.value.rule_ids == ("HO-3",)
    with pytest.raises(PermissionDenied):
        acknowledge_handover(desk, day_agent, view.id)
    assert not may_leave(desk, day_agent).ok

    done = acknowledge_handover(desk, night_agent, view.id)
    assert done.acknowledged_by_id == night_agent.staff_id
    assert may_leave(desk, day_agent).ok


def test_every_required_part_must_be_filled(desk, day_agent, night_agent):  # rule: HO-1
    for kwargs, field in (
        ({"equipment": " "}, "equipment"),
        ({"complaints": ""}, "complaints"),
        ({"problems": ""}, "problems"),
    ):
        with pytest.raises(InvalidInput) as raised:
            write(desk, day_agent, night_agent, **kwargs)
        assert raised.value.field == field and raised.value.rule_ids == ("HO-1",)
    with pytest.raises(InvalidInput) as raised:
        write(desk, day_agent, None)
    assert raised.value.field == "incoming_staff_id"
    with desk.read() as session:
        assert session.exec(select(HandoverLog)).all() == []


def test_one_handover_per_person_per_shift_and_never_to_yourself(desk, day_agent, night_agent):  # rule: HO-1
    with pytest.raises(InvalidInput) as raised:
        write(desk, day_agent, day_agent)
    assert raised.value.field == "incoming_staff_id"
    write(desk, day_agent, night_agent)
    with pytest.raises(ServiceError, match="already wrote"):
        write(desk, day_agent, night_agent)


def test_open_cases_are_offered_and_carried_cases_must_be_carried_again(
    desk, clock, policy, day_agent, night_agent, bystander
):  # rule: HO-6
    case = owned_case(desk, day_agent)
    items = open_items_for_handover(desk, day_agent)
    assert [t.ticket_id for t in items.tickets] == [case.id] and items.tickets_total == 1
    view = write(desk, day_agent, night_agent, problems="", carried_ticket_ids=[case.id])
    assert view.carried_ticket_ids == (case.id,)
    acknowledge_handover(desk, night_agent, view.id)

    clock.set(datetime(2026, 3, 9, 23, 0, tzinfo=policy.zone))
    assert open_items_for_handover(desk, night_agent).must_carry == (case.id,)
    with pytest.raises(InvalidInput) as raised:
        write(desk, night_agent, bystander)
    assert raised.value.field == "carried_ticket_ids" and raised.value.rule_ids == ("HO-6",)
    again = write(desk, night_agent, bystander, carried_ticket_ids=[case.id])
    assert again.from_shift is ShiftKind.NIGHT and again.to_shift is ShiftKind.DAY


def test_a_solved_case_need_not_be_carried_again(desk, clock, policy, day_agent, night_agent, bystander):  # rule: HO-6
    case = owned_case(desk, day_agent)
    write(desk, day_agent, night_agent, carried_ticket_ids=[case.id])
    reply(desk, day_agent, case.id, "Done.", case.version, resolve=True)
    clock.set(datetime(2026, 3, 9, 23, 0, tzinfo=policy.zone))
    assert write(desk, night_agent, bystander).carried_ticket_ids == ()


def test_only_open_cases_are_carried(desk, day_agent, night_agent):  # rule: HO-6
    case = owned_case(desk, day_agent)
    reply(desk, day_agent, case.id, "Done.", case.version, resolve=True)
    with pytest.raises(InvalidInput) as raised:
        write(desk, day_agent, night_agent, carried_ticket_ids=[case.id])
    assert raised.value.field == "carried_ticket_ids"


def test_unprocessed_email_is_listed_with_a_warning(desk, day_agent, night_agent):  # rule: HO-7
    mail = take_in(desk, day_agent, Channel.EMAIL, Category.INQUIRY, "", "", "Invoice", "")
    answered = take_in(desk, day_agent, Channel.EMAIL, Category.INQUIRY, "", "", "Address", "")
    answered = claim(desk, day_agent, answered.id)
    reply(desk, day_agent, answered.id, "Updated.", answered.version)
    items = open_items_for_handover(desk, day_agent)
    assert [e.ticket_id for e in items.emails] == [mail.id]
    assert items.email_warning.outcome is Outcome.WARNING and items.email_warning.rule_ids == ("HO-7",)
    assert write(desk, day_agent, night_agent).open_email_ids == (mail.id,)


def test_leaders_see_their_squads_open_cases(desk, make_staff, actor_of, squad, day_agent, night_agent):
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad))
    owned_case(desk, day_agent, "one")
    owned_case(desk, night_agent, "two")
    assert open_items_for_handover(desk, leader).tickets_total == 2
    assert open_items_for_handover(desk, day_agent).tickets_total == 1


def test_search_pages_past_handovers_of_the_squad(
    desk, clock, day_agent, night_agent, make_squad, make_staff, actor_of
):
    write(desk, day_agent, night_agent, equipment="headset 3 broken")
    clock.advance(hours=1)
    write(desk, night_agent, day_agent, problems="printer jammed")
    assert [h.outgoing_id for h in search_handovers(desk, day_agent)] == [night_agent.staff_id, day_agent.staff_id]
    assert [h.equipment for h in search_handovers(desk, day_agent, "headset")] == ["headset 3 broken"]
    assert [h.problems for h in search_handovers(desk, day_agent, "printer")] == ["printer jammed"]
    assert len(search_handovers(desk, day_agent, offset=1, limit=1)) == 1
    outsider = actor_of(make_staff(squad=make_squad("B")))
    assert search_handovers(desk, outsider) == ()
    director = actor_of(make_staff(role=Role.CENTRE_DIRECTOR))
    assert len(search_handovers(desk, director)) == 2


def test_a_handover_waiting_for_me_is_found_behind_many_newer_ones_and_across_squads(
    desk, clock, squad, day_agent, night_agent, make_squad, make_staff, actor_of
):  # rule: HO-3
    mine = write(desk, day_agent, night_agent)
    elsewhere = actor_of(make_staff(squad=make_squad("B"), employee_number="4096"))
    clock.advance(minutes=1)
    from_b = write(desk, elsewhere, night_agent)
    # Twenty-five newer handovers of the squad, none for the night agent.
    for n in range(25):
        clock.advance(minutes=1)
        writer = actor_of(make_staff(squad=squad, employee_number=f"5{n:03d}"))
        write(desk, writer, day_agent)
    assert all(h.incoming_id != night_agent.staff_id for h in search_handovers(desk, night_agent, limit=20))
    assert [h.id for h in awaiting_my_acknowledgement(desk, night_agent)] == [from_b.id, mine.id]
    assert [h.id for h in awaiting_my_acknowledgement(desk, night_agent, offset=1, limit=1)] == [mine.id]
    acknowledge_handover(desk, night_agent, mine.id)
    assert [h.id for h in awaiting_my_acknowledgement(desk, night_agent)] == [from_b.id]
    assert len(awaiting_my_acknowledgement(desk, day_agent, limit=100)) == 25
    with pytest.raises(InvalidInput) as raised:
        awaiting_my_acknowledgement(desk, night_agent, limit=0)
    assert raised.value.field == "limit"
    with pytest.raises(InvalidInput) as raised:
        awaiting_my_acknowledgement(desk, night_agent, offset=-1)
    assert raised.value.field == "offset"
