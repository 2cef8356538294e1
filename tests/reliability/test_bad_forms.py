"""Bad forms at the service level: a message naming the field, and nothing saved.

Complements the per-service tests with the inputs a screen passes on as
typed: impossible dates and times, periods running backwards, swaps with
oneself, negative and absurd amounts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from csdesk.models import RosterEntry
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import AttendanceStatus, Category, Channel, LeaveType, LedgerKind, Role
from csdesk.services import leave, ledger, rollcall, swaps, tickets
from csdesk.services.base import InvalidInput, ServiceError
from csdesk.services.roster import ensure_shift_definitions

from .conftest import table_counts

WED, THU = date(2026, 3, 11), date(2026, 3, 12)


@pytest.fixture
def w(desk, make_squad, make_staff, actor_of):
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    agent, colleague = make_staff(squad=squad), make_staff(squad=squad)
    director = make_staff(role=Role.DEPARTMENT_DIRECTOR)
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        rows = [
            RosterEntry(staff_id=who.id, work_date=day, shift_id=shifts["day"])
            for who in (agent, colleague)
            for day in (WED, THU)
        ]
        session.add_all(rows)
    return SimpleNamespace(
        squad=squad,
        leader=actor_of(leader),
        agent=actor_of(agent),
        colleague=actor_of(colleague),
        director=actor_of(director),
        mine=rows[0].id,
        mine_thu=rows[1].id,
    )


def _roll_call(desk, w, clock):
    clock.set(datetime(2026, 3, 11, 0, 20, tzinfo=clock.at.tzinfo))  # 08:20 in Shanghai
    return rollcall.open_roll_call(desk, w.leader, w.squad.id, WED, "day").session_id


FORMS = {
    # -- leave: dates and times as typed into the form
    "leave starting on 31 February": (
        "start",
        lambda d, w: leave.file_leave(
            d, w.agent, w.agent.staff_id, LeaveType.PERSONAL, "2026-02-31", "2026-03-11", "family"
        ),
    ),
    "leave starting at 25:00": (
        "start",
        lambda d, w: leave.file_leave(
            d, w.agent, w.agent.staff_id, LeaveType.PERSONAL, "2026-03-11 25:00", "2026-03-11 18:00", "family"
        ),
    ),
    "leave ending at 12:61": (
        "end",
        lambda d, w: leave.file_leave(
            d, w.agent, w.agent.staff_id, LeaveType.PERSONAL, "2026-03-11 09:00", "2026-03-11 12:61", "family"
        ),
    ),
    "leave ending before it starts": (
        "end",
        lambda d, w: leave.file_leave(
            d, w.agent, w.agent.staff_id, LeaveType.PERSONAL, "2026-03-12", "2026-03-11", "family"
        ),
    ),
    "leave ending the moment it starts": (
        "end",
        lambda d, w: leave.file_leave(
            d, w.agent, w.agent.staff_id, LeaveType.PERSONAL, "2026-03-11 09:00", "2026-03-11 09:00", "family"
        ),
    ),
    "leave of an unknown type": (
        "leave_type",
        lambda d, w: leave.file_leave(
            d, w.agent, w.agent.staff_id, "holiday-ish", "2026-03-11", "2026-03-11", "family"
        ),
    ),
    "sick note from 30 February": (
        "certificate_from",
        lambda d, w: leave.file_leave(
            d,
            w.agent,
            w.agent.staff_id,
            LeaveType.SICK,
            "2026-03-11",
            "2026-03-11",
            "flu",
            certificate_from="2026-02-30",
            certificate_to="2026-03-11",
        ),
    ),
    "sick note ending before it starts": (
        "certificate_to",
        lambda d, w: leave.file_leave(
            d,
            w.agent,
            w.agent.staff_id,
            LeaveType.SICK,
            "2026-03-11",
            "2026-03-11",
            "flu",
            certificate_from="2026-03-11",
            certificate_to="2026-03-10",
        ),
    ),
    "leader phoned at 24:30": (
        "phoned_leader_at",
        lambda d, w: leave.file_leave(
            d,
            w.agent,
            w.agent.staff_id,
            LeaveType.SICK,
            "2026-03-11",
            "2026-03-11",
            "flu",
            phoned_leader_at="2026-03-11 24:30",
        ),
    ),
    # -- swaps
    "swap a shift for itself": ("partner_roster_id", lambda d, w: swaps.file_swap(d, w.agent, w.mine, w.mine)),
    "swap with one's own other shift": (
        "partner_roster_id",
        lambda d, w: swaps.file_swap(d, w.agent, w.mine, w.mine_thu),
    ),
    # -- the fund: negative, zero and absurd amounts
    "negative custom fine": (
        "amount",
        lambda d, w: ledger.custom_entry(d, w.director, w.agent.staff_id, LedgerKind.FINE, -50, "broke the kettle"),
    ),
    "negative reward": ("amount", lambda d, w: ledger.grant_reward(d, w.leader, w.agent.staff_id, "-20", "idea")),
    "negative spending": ("amount", lambda d, w: ledger.record_spending(d, w.director, -100, "tea")),
    "custom fine of 10^20": (
        "amount",
        lambda d, w: ledger.custom_entry(
            d, w.director, w.agent.staff_id, LedgerKind.FINE, "1" + "0" * 20, "broke everything"
        ),
    ),
    "custom fine in scientific notation": (
        "amount",
        lambda d, w: ledger.custom_entry(d, w.director, w.agent.staff_id, LedgerKind.FINE, "1e30", "broke everything"),
    ),
    "negative customer wait": (
        "waited",
        lambda d, w: ledger.record_fine(d, w.leader, w.agent.staff_id, "greeting_delay", "slow greeting", waited=-5),
    ),
    "offence on 31 February": (
        "occurred_at",
        lambda d, w: ledger.record_fine(
            d, w.leader, w.agent.staff_id, Offence.NON_WORK, "game", occurred_at="2026-02-31 10:00"
        ),
    ),
    # -- tickets
    "ticket received at 25:00": (
        "received_at",
        lambda d, w: tickets.take_in(
            d,
            w.agent,
            Channel.PHONE,
            Category.INQUIRY,
            "Wang",
            "13812345678",
            "Refund",
            "",
            received_at="2026-03-09 25:00",
        ),
    ),
    "forum answer promised before the post": (
        "promised_at",
        lambda d, w: tickets.take_in(
            d,
            w.agent,
            Channel.FORUM,
            Category.INQUIRY,
            "Wang",
            "13812345678",
            "Refund",
            "",
            promised_at=d.now() - timedelta(hours=1),
        ),
    ),
    "ticket of an unknown channel": (
        "channel",
        lambda d, w: tickets.take_in(
            d, w.agent, "carrier pigeon", Category.INQUIRY, "Wang", "13812345678", "Refund", ""
        ),
    ),
    "customer contact that is neither phone nor email": (
        "customer_contact",
        lambda d, w: tickets.take_in(d, w.agent, Channel.PHONE, Category.INQUIRY, "Wang", "abc!!", "Refund", ""),
    ),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_a_bad_form_names_its_field_and_saves_nothing(desk, db_path, w, name):
    field, submit = FORMS[name]
    before = table_counts(db_path)
    with pytest.raises(InvalidInput) as refused:
        submit(desk, w)
    assert refused.value.field == field, refused.value
    assert "\n" not in str(refused.value)
    assert table_counts(db_path) == before


ARRIVALS = {
    "arrival at 25:00 as typed": "25:00",
    "arrival as a number": 841,
    "arrival without a time zone": datetime(2026, 3, 11, 8, 41),
}


@pytest.mark.parametrize("name", list(ARRIVALS))
def test_a_bad_arrival_time_at_roll_call_names_the_field(desk, db_path, w, clock, name):
    session_id = _roll_call(desk, w, clock)
    before = table_counts(db_path)
    with pytest.raises(InvalidInput) as refused:
        rollcall.mark(desk, w.leader, session_id, w.agent.staff_id, AttendanceStatus.LATE, ARRIVALS[name])
    assert refused.value.field == "arrival"
    assert table_counts(db_path) == before


def test_fn_3_fn_9_a_fine_too_large_for_the_ledger_is_refused_plainly(desk, db_path, w):
    """Complaints double each time (FN-3); the 20th of a month no longer fits one entry."""
    for _ in range(19):
        ledger.record_fine(desk, w.leader, w.agent.staff_id, Offence.COMPLAINT, "complaint")
    before = table_counts(db_path)
    with pytest.raises(ServiceError) as refused:
        ledger.record_fine(desk, w.leader, w.agent.staff_id, Offence.COMPLAINT, "complaint")
    assert "custom entry" in refused.value.message and "FN-9" in refused.value.rule_ids
    assert table_counts(db_path) == before
