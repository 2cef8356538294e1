"""ST-2 through the real services: every guarded use case, run as every role.

``tests/services/test_permissions.py`` fixes the matrix itself and a set of
refusals; here each use case that checks a role is called once per role. A
role the matrix refuses gets ``PermissionDenied`` and the database is left
as it was; a role it allows is never stopped by the role check.
"""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest

from csdesk.models import RosterEntry
from csdesk.rules.fines import Offence
from csdesk.rules.staff import Action
from csdesk.rules.vocab import Category, Channel, LeaveType, LedgerKind, Role
from csdesk.services import (
    attendance,
    auth,
    evaluation,
    home,
    leave,
    ledger,
    memo,
    notices,
    quality,
    queues,
    rollcall,
    roster,
    swaps,
    tickets,
)
from csdesk.services.base import PermissionDenied, ServiceError
from csdesk.services.exports import export_attendance, export_quality_week
from csdesk.services.permissions import DeskAction, can
from csdesk.services.roster import ensure_shift_definitions

from .conftest import table_counts

WED, THU, FRI = date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 13)
PHONE = "13812345678"


@pytest.fixture
def w(desk, make_squad, make_staff, actor_of, tmp_path):
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    agent, colleague = make_staff(squad=squad, pin="1234"), make_staff(squad=squad)
    as_role = {
        role: actor_of(
            make_staff(role=role, squad=squad if role in (Role.AGENT, Role.DEPUTY_LEADER, Role.SQUAD_LEADER) else None)
        )
        for role in Role
    }
    as_role[Role.SQUAD_LEADER] = actor_of(leader)
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        rows = [
            RosterEntry(staff_id=who.id, work_date=day, shift_id=shifts["day"])
            for who, day in ((agent, WED), (colleague, THU), (agent, FRI))
        ]
        session.add_all(rows)
    request = leave.file_leave(desk, actor_of(agent), agent.id, LeaveType.PERSONAL, FRI, FRI, "family")
    swap = swaps.file_swap(desk, actor_of(agent), rows[0].id, rows[1].id)
    fine = ledger.record_fine(desk, actor_of(leader), agent.id, Offence.NON_WORK, "game")
    ticket = tickets.take_in(desk, actor_of(agent), Channel.PHONE, Category.INQUIRY, "Wang", PHONE, "Refund", "")
    idea = memo.write_memo(desk, actor_of(colleague), "idea", "a macro for refunds")
    csv = tmp_path / "roster.csv"
    csv.write_text(f"employee_number,date,shift\n{colleague.employee_number},2026-03-16,day\n")
    staff_csv = tmp_path / "staff.csv"
    staff_csv.write_text(
        "employee_number,real_name,role,grade,squad,status,hire_date\n"
        "7001,New Person,agent,junior,Lotus,formal,2026-03-01\n"
    )
    return SimpleNamespace(
        squad=squad,
        agent=actor_of(agent),
        colleague=actor_of(colleague),
        as_role=as_role,
        request=request.id,
        swap=swap.id,
        fine=fine.entry_id,
        ticket=ticket.id,
        memo=idea.id,
        csv=csv,
        staff_csv=staff_csv,
        out=tmp_path / "week.csv",
    )


USE_CASES = {
    "approve leave": (Action.APPROVE_LEAVE, lambda d, w, a: leave.decide_leave(d, a, w.request, True)),
    "list leave to approve": (Action.APPROVE_LEAVE, lambda d, w, a: leave.pending_for(d, a)),
    "approve a swap": (Action.APPROVE_SWAP, lambda d, w, a: swaps.decide_swap(d, a, w.swap, True)),
    "list swaps to approve": (Action.APPROVE_SWAP, lambda d, w, a: swaps.pending_swaps_for(d, a)),
    "change the roster": (Action.CHANGE_ROSTER, lambda d, w, a: roster.import_roster(d, a, w.csv)),
    "register staff": (Action.MANAGE_STAFF, lambda d, w, a: roster.import_staff(d, a, w.staff_csv)),
    "run a roll call": (Action.RUN_ROLL_CALL, lambda d, w, a: rollcall.open_roll_call(d, a, w.squad.id, WED, "day")),
    "see the roll-call board": (Action.RUN_ROLL_CALL, lambda d, w, a: home.squad_board(d, a, w.squad.id)),
    "record someone's time away": (
        Action.RUN_ROLL_CALL,
        lambda d, w, a: attendance.start_away(d, a, w.colleague.staff_id),
    ),
    "record a fine": (
        Action.RECORD_FINE,
        lambda d, w, a: ledger.record_fine(d, a, w.colleague.staff_id, Offence.NON_WORK, "x"),
    ),
    "grant a reward": (
        Action.RECORD_REWARD,
        lambda d, w, a: ledger.grant_reward(d, a, w.colleague.staff_id, 20, "idea"),
    ),
    "book a custom fine": (
        Action.DECIDE_CUSTOM_FINE,
        lambda d, w, a: ledger.custom_entry(d, a, w.colleague.staff_id, LedgerKind.FINE, 5, "kettle"),
    ),
    "spend from the fund": (Action.RECORD_SPENDING, lambda d, w, a: ledger.record_spending(d, a, 1, "tea")),
    "reverse a ledger entry": (Action.REVERSE_LEDGER_ENTRY, lambda d, w, a: ledger.reverse(d, a, w.fine, "oops")),
    "see dismissal reviews": (Action.SEE_DISMISSAL_REVIEWS, lambda d, w, a: ledger.dismissal_reviews(d, a)),
    "see the monthly evaluation": (
        Action.SEE_EVALUATION,
        lambda d, w, a: evaluation.monthly_evaluation(d, a, "2026-03"),
    ),
    "list memos to review": (DeskAction.REVIEW_SUGGESTION, lambda d, w, a: memo.memos_to_review(d, a)),
    "decline a memo": (DeskAction.REVIEW_SUGGESTION, lambda d, w, a: memo.decline(d, a, w.memo, "no")),
    "adopt a memo": (Action.RECORD_REWARD, lambda d, w, a: memo.adopt(d, a, w.memo, 20)),
    "export attendance": (
        Action.EXPORT_ATTENDANCE,
        lambda d, w, a: export_attendance(d, a, "2026-W11", w.squad.id, w.out),
    ),
    "read the attendance week": (
        Action.EXPORT_ATTENDANCE,
        lambda d, w, a: attendance.week(d, a, "2026-W11", w.squad.id),
    ),
    "publish a notice": (Action.PUBLISH_NOTICE, lambda d, w, a: notices.publish_notice(d, a, "Offer", "Body")),
    "transfer a ticket": (
        DeskAction.TRANSFER_TICKET,
        lambda d, w, a: tickets.transfer(d, a, w.ticket, w.colleague.staff_id, "off sick"),
    ),
    "reset a colleague's PIN": (DeskAction.RESET_PIN, lambda d, w, a: auth.reset_pin(d, a, w.agent.staff_id, "9999")),
    "mark a duty done": (
        DeskAction.MARK_DUTY_DONE,
        lambda d, w, a: home.mark_duty_done(
            d, a, "workload-report", datetime.combine(WED, time(17, 30), tzinfo=d.policy.zone)
        ),
    ),
    "score a contact": (
        Action.RECORD_QA_SAMPLE,
        lambda d, w, a: quality.record_inspection(
            d, a, w.colleague.staff_id, {c.key: c.max for c in d.policy.qa.rubric}
        ),
    ),
    "write the daily quality report": (
        Action.RECORD_SPOT_CHECK,
        lambda d, w, a: quality.record_spot_check(d, a, ["email"], "none"),
    ),
    "read the quality sheets": (Action.SEE_QUALITY_SHEETS, lambda d, w, a: quality.sampling_page(d, a)),
    "export the quality week": (
        Action.SEE_QUALITY_SHEETS,
        lambda d, w, a: export_quality_week(d, a, "2026-W11", w.out),
    ),
}


@pytest.mark.parametrize("role", list(Role))
def test_st_2_every_guarded_use_case_as_each_role(desk, db_path, w, role):
    actor = w.as_role[role]
    for name, (action, run) in USE_CASES.items():
        before = table_counts(db_path)
        if can(role, action).ok:
            try:
                run(desk, w, actor)
            except PermissionDenied as refused:
                # Only a per-record rule (own squad, own chain) may still stop an allowed role.
                assert not refused.message.startswith("only a "), (name, refused)
            except ServiceError:
                pass  # a business refusal (e.g. already decided) is not the role check
        else:
            with pytest.raises(PermissionDenied) as refused:
                run(desk, w, actor)
            assert "ST-2" in refused.value.rule_ids, (name, refused.value)
            assert table_counts(db_path) == before, name


def test_tk_15_an_agent_never_reads_the_contact_of_another_agents_ticket(desk, w):
    other = w.colleague
    view = tickets.ticket_detail(desk, other, w.ticket)
    assert view.contact_masked and PHONE not in view.customer_contact
    assert all(PHONE not in event.text for event in view.events)
    for queue in queues.Queue:
        if queue is queues.Queue.RETURN_VISITS:
            continue
        for row in queues.queue_page(desk, other, queue):
            assert PHONE not in row.customer_contact
    # The owner and the leader see it whole.
    assert tickets.ticket_detail(desk, w.agent, w.ticket).customer_contact == PHONE
    assert tickets.ticket_detail(desk, w.as_role[Role.SQUAD_LEADER], w.ticket).customer_contact == PHONE


def test_tk_15_no_role_but_leaders_may_export_customer_data():
    # No service exports customer records yet; the rule any future one must ask is fixed here.
    assert {r for r in Role if can(r, Action.EXPORT_CUSTOMER_DATA).ok} == {
        Role.DEPUTY_LEADER,
        Role.SQUAD_LEADER,
        Role.DEPARTMENT_DIRECTOR,
        Role.CENTRE_DIRECTOR,
    }
