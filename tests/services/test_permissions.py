"""ST-2: the whole permission matrix, and refusals that write nothing.

The expected table is written out here on purpose, not derived from the
code under test: a change to who may do what has to be made twice.
"""

from __future__ import annotations

from datetime import date, time
from types import SimpleNamespace

import pytest
from sqlmodel import func, select

from csdesk.models import (
    AuditLog,
    LeaveApproval,
    LeaveRequest,
    LedgerEntry,
    RosterEntry,
    ShiftDefinition,
    SwapApproval,
    SwapRequest,
)
from csdesk.rules.fines import Offence
from csdesk.rules.staff import Action
from csdesk.rules.vocab import LeaveType, LedgerKind, Role, ShiftKind
from csdesk.services import ledger, leave, swaps
from csdesk.services.base import Actor, PermissionDenied, require
from csdesk.services.permissions import DeskAction, can

A, DL, SL, IN, DD, CD = (Role.AGENT, Role.DEPUTY_LEADER, Role.SQUAD_LEADER, Role.INSPECTOR,
                         Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR)
EVERYONE = {A, DL, SL, IN, DD, CD}
LEADERS = {DL, SL, DD, CD}
SQUAD_UP = {SL, DD, CD}
DIRECTORS = {DD, CD}

EXPECTED: dict[Action | DeskAction, set[Role]] = {
    Action.APPROVE_LEAVE: SQUAD_UP,  # LV-3
    Action.APPROVE_SWAP: SQUAD_UP,  # SW-1
    Action.CHANGE_ROSTER: SQUAD_UP,
    Action.RUN_ROLL_CALL: LEADERS,
    Action.RECORD_FINE: SQUAD_UP,  # FN-8
    Action.RECORD_REWARD: SQUAD_UP,  # FN-7
    Action.DECIDE_CUSTOM_FINE: DIRECTORS,  # FN-9
    Action.RECORD_SPENDING: DIRECTORS,  # FN-8
    Action.REVERSE_LEDGER_ENTRY: DIRECTORS,  # FN-8
    Action.EXPORT_ATTENDANCE: LEADERS,
    Action.EXPORT_CUSTOMER_DATA: LEADERS,  # TK-15
    Action.SEE_UNMASKED_CONTACT: LEADERS,  # TK-15
    Action.SEE_COLLEAGUE_CONTACT: LEADERS,  # ST-6
    Action.MANAGE_STAFF: DIRECTORS,
    Action.CONVERT_INTERN: DIRECTORS,
    Action.RECORD_QA_SAMPLE: {IN, DD, CD},
    Action.RECORD_SPOT_CHECK: SQUAD_UP | {IN},  # QA-4
    Action.SEE_QUALITY_SHEETS: LEADERS | {IN},  # QA-2
    Action.PUBLISH_NOTICE: SQUAD_UP,
    Action.EDIT_KNOWLEDGE: SQUAD_UP,
    Action.WRITE_HANDOVER: EVERYONE,
    Action.FILE_LEAVE: EVERYONE,  # LV-4
    Action.SEE_FUND: EVERYONE,  # FN-8
    Action.SEE_DISMISSAL_REVIEWS: DIRECTORS,  # DS-2
    Action.SEE_EVALUATION: SQUAD_UP,  # AT-6
    DeskAction.RESET_PIN: SQUAD_UP,
    DeskAction.TRANSFER_TICKET: LEADERS,
    DeskAction.RECORD_TRAINING: LEADERS,
    DeskAction.MARK_DUTY_DONE: LEADERS | {IN},
    DeskAction.REVIEW_SUGGESTION: SQUAD_UP | {IN},
    DeskAction.SEE_AUDIT_LOG: DIRECTORS,
    DeskAction.MAINTAIN_DATABASE: DIRECTORS,
}

EVERY_ACTION = [*Action, *DeskAction]


def test_st_2_every_action_has_an_expected_row():
    assert set(EVERY_ACTION) == set(EXPECTED)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", EVERY_ACTION, ids=str)
def test_st_2_matrix(action, role):
    decision = can(role, action)
    assert decision.ok is (role in EXPECTED[action])
    assert "ST-2" in decision.rule_ids
    if not decision.ok:
        assert decision.reason.startswith("only a ")
        with pytest.raises(PermissionDenied):
            require(Actor(1, "1", "x", role), action)


@pytest.mark.parametrize(
    "action",
    [Action.APPROVE_LEAVE, Action.RECORD_FINE, Action.CHANGE_ROSTER, Action.EXPORT_CUSTOMER_DATA,
     Action.EXPORT_ATTENDANCE, Action.SEE_UNMASKED_CONTACT, Action.SEE_COLLEAGUE_CONTACT],
)
def test_st_2_an_agent_may_not(action):
    assert not can(Role.AGENT, action).ok


def test_actions_are_also_accepted_by_their_stored_value():
    assert can(Role.SQUAD_LEADER, "record fine").ok
    assert not can(Role.AGENT, "see the audit log").ok
    with pytest.raises(ValueError, match="unknown action"):
        can(Role.AGENT, "fly")


# -- refusals through real service calls write nothing --------------------------------------

TABLES = (LedgerEntry, LeaveRequest, LeaveApproval, SwapRequest, SwapApproval, RosterEntry, AuditLog)


def snapshot(desk):
    with desk.read() as session:
        counts = {m.__tablename__: session.exec(select(func.count()).select_from(m)).one() for m in TABLES}
        owners = session.exec(select(RosterEntry.id, RosterEntry.staff_id).order_by(RosterEntry.id)).all()
    return counts, owners


@pytest.fixture
def world(desk, make_squad, make_staff, actor_of):
    squad, other = make_squad("A"), make_squad("B")
    people = {
        "leader": make_staff(role=Role.SQUAD_LEADER, squad=squad),
        "other_leader": make_staff(role=Role.SQUAD_LEADER, squad=other),
        "agent": make_staff(squad=squad),
        "colleague": make_staff(squad=squad),
        "partner": make_staff(squad=other),
        "inspector": make_staff(role=Role.INSPECTOR),
        "deputy": make_staff(role=Role.DEPUTY_LEADER, squad=squad),
        "dept": make_staff(role=Role.DEPARTMENT_DIRECTOR),
    }
    actors = {name: actor_of(staff) for name, staff in people.items()}
    with desk.write() as session:
        day = ShiftDefinition(code="D", kind=ShiftKind.DAY, start_time=time(8, 30), end_time=time(17, 30))
        session.add(day)
        session.flush()
        rows = [RosterEntry(staff_id=people[who].id, work_date=when, shift_id=day.id)
                for who, when in (("agent", date(2026, 3, 11)), ("partner", date(2026, 3, 12)))]
        session.add_all(rows)
    request = leave.file_leave(desk, actors["agent"], people["agent"].id, LeaveType.PERSONAL,
                               date(2026, 3, 11), date(2026, 3, 11), "family")
    swap = swaps.file_swap(desk, actors["agent"], rows[0].id, rows[1].id)
    fine = ledger.record_fine(desk, actors["leader"], people["agent"].id, Offence.NON_WORK, "game")
    return SimpleNamespace(**actors, colleague_id=people["colleague"].id, request_id=request.id,
                           swap_id=swap.id, fine_id=fine.entry_id)


REFUSALS = {
    "agent records a fine":
        lambda d, w: ledger.record_fine(d, w.agent, w.colleague_id, Offence.NON_WORK, "x"),
    "inspector records a fine":
        lambda d, w: ledger.record_fine(d, w.inspector, w.colleague_id, Offence.NON_WORK, "x"),
    "agent grants a reward": lambda d, w: ledger.grant_reward(d, w.agent, w.colleague_id, 20, "x"),
    "leader books a custom fine":
        lambda d, w: ledger.custom_entry(d, w.leader, w.colleague_id, LedgerKind.FINE, 5, "x"),
    "leader spends the fund": lambda d, w: ledger.record_spending(d, w.leader, 1, "tea"),
    "agent reverses a fine": lambda d, w: ledger.reverse(d, w.agent, w.fine_id, "mine"),
    "leader reverses a fine": lambda d, w: ledger.reverse(d, w.leader, w.fine_id, "oops"),
    "agent sees dismissal reviews": lambda d, w: ledger.dismissal_reviews(d, w.agent),
    "agent approves leave": lambda d, w: leave.decide_leave(d, w.colleague, w.request_id, True),
    "deputy approves leave": lambda d, w: leave.decide_leave(d, w.deputy, w.request_id, True),
    "agent lists leave to approve": lambda d, w: leave.pending_for(d, w.agent),
    "director skips the squad leader": lambda d, w: leave.decide_leave(d, w.dept, w.request_id, True),
    "other squad's leader approves leave":
        lambda d, w: leave.decide_leave(d, w.other_leader, w.request_id, True),
    "agent approves a swap": lambda d, w: swaps.decide_swap(d, w.colleague, w.swap_id, True),
    "agent refuses a swap": lambda d, w: swaps.decide_swap(d, w.colleague, w.swap_id, False, "no"),
    "agent lists swaps to approve": lambda d, w: swaps.pending_swaps_for(d, w.agent),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_st_2_a_refused_service_call_writes_nothing(desk, world, name):
    before = snapshot(desk)
    with pytest.raises(PermissionDenied):
        REFUSALS[name](desk, world)
    assert snapshot(desk) == before
