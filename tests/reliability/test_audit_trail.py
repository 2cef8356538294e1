"""Every state change writes its audit row: each mutating use case run once,
with the audit log's growth counted exactly.

A use case that changes several things writes one row per change (a resolve
also books the return visit; closing a roll call writes each attendance row
and the closing itself). What the expected counts say is part of the
contract: a change made without its row would go unseen by a director.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from csdesk.models import ContactOutcome, RosterEntry
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import Category, Channel, LeaveType, LedgerKind, Role
from csdesk.services import (
    attendance,
    auth,
    handover,
    home,
    leave,
    ledger,
    notices,
    quality,
    rollcall,
    roster,
    swaps,
    tickets,
)
from csdesk.services.base import ServiceError
from csdesk.services.roster import ensure_shift_definitions

from .conftest import table_counts

MON, TUE, WED, THU, FRI = (date(2026, 3, d) for d in (9, 10, 11, 12, 13))


def local(day: date, hour: int, minute: int, zone) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def test_each_state_change_writes_exactly_its_audit_rows(
    desk, db_path, clock, make_squad, make_staff, actor_of, tmp_path
):
    zone = desk.policy.zone
    squad = make_squad("Lotus")
    leader_row = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    agent_row, colleague_row = make_staff(squad=squad, pin="1234"), make_staff(squad=squad)
    director_row = make_staff(role=Role.DEPARTMENT_DIRECTOR)
    leader, agent, colleague, director = map(actor_of, (leader_row, agent_row, colleague_row, director_row))
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        rows = {
            (who.staff_id, day): RosterEntry(staff_id=who.staff_id, work_date=day, shift_id=shifts["day"])
            for who, day in (
                (agent, MON),
                (colleague, MON),
                (agent, TUE),
                (agent, WED),
                (colleague, WED),
                (colleague, THU),
                (agent, FRI),
            )
        }
        session.add_all(rows.values())

    problems: list[str] = []
    results: dict[str, object] = {}

    def step(name: str, expected: int, run) -> None:
        before = table_counts(db_path)["audit_log"]
        refusal = ""
        try:
            results[name] = run()
        except ServiceError as exc:  # a refusal may still change something (a failed PIN)
            refusal = f" (refused: {exc})"
        except Exception as exc:  # an earlier step failed; reported with the rest
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
            return
        grew = table_counts(db_path)["audit_log"] - before
        if grew != expected:
            problems.append(f"{name}: {grew} audit rows, expected {expected}{refusal}")

    # Signing in and PINs
    step("sign in", 1, lambda: auth.sign_in(desk, agent.employee_number, "1234"))
    step("wrong PIN (the failure count changes)", 1, lambda: auth.sign_in(desk, agent.employee_number, "0000"))
    step("unknown employee number (nothing changes)", 0, lambda: auth.sign_in(desk, "nobody", "0000"))
    step("reset a colleague's PIN", 1, lambda: auth.reset_pin(desk, leader, agent.staff_id, "4321"))

    # Tickets
    clock.set(local(MON, 10, 0, zone))
    step(
        "take in a phone call",
        1,
        lambda: tickets.take_in(desk, agent, Channel.PHONE, Category.COMPLAINT, "Wang", "13812345678", "Noise", "loud"),
    )
    phone = lambda: results["take in a phone call"].id  # noqa: E731
    step(
        "take in a forum post",
        1,
        lambda: tickets.take_in(desk, agent, Channel.FORUM, Category.INQUIRY, "Li", "13912345678", "Refund", ""),
    )
    step("claim it", 1, lambda: tickets.claim(desk, colleague, results["take in a forum post"].id))
    step("reply", 1, lambda: tickets.reply(desk, agent, phone(), "We are on it", expected_version=1))
    step("transfer", 1, lambda: tickets.transfer(desk, leader, phone(), colleague.staff_id, "agent off sick"))
    step("escalate", 1, lambda: tickets.escalate(desk, colleague, phone(), "neighbour noise", "13812345678"))
    step("dispatch", 1, lambda: tickets.dispatch(desk, leader, phone(), "property office"))
    step("resolve (and book the return visit)", 2, lambda: tickets.resolve(desk, leader, phone(), "fixed"))
    visit = lambda: tickets.ticket_detail(desk, leader, phone()).return_visit.id  # noqa: E731
    step(
        "log a contact attempt",
        1,
        lambda: tickets.log_contact_attempt(desk, leader, visit(), ContactOutcome.REACHED, "happy"),
    )
    step(
        "close the return visit (and the case)",
        2,
        lambda: tickets.close_return_visit(desk, leader, visit(), satisfied=True, result="happy"),
    )

    # Leave and swaps
    step("file leave", 1, lambda: leave.file_leave(desk, agent, agent.staff_id, LeaveType.PERSONAL, FRI, FRI, "family"))
    step(
        "approve leave (final at the department director after the leader)",
        1,
        lambda: leave.decide_leave(desk, leader, results["file leave"].id, True),
    )
    step(
        "file a swap",
        1,
        lambda: swaps.file_swap(desk, agent, rows[(agent.staff_id, TUE)].id, rows[(colleague.staff_id, THU)].id),
    )
    step(
        "approve the swap (each side, the swap itself, and both shifts moving)",
        5,
        lambda: swaps.decide_swap(desk, leader, results["file a swap"].id, True),
    )

    # The fund
    step("record a fine", 1, lambda: ledger.record_fine(desk, leader, agent.staff_id, Offence.NON_WORK, "game"))
    step(
        "book a custom fine",
        1,
        lambda: ledger.custom_entry(desk, director, agent.staff_id, LedgerKind.FINE, 5, "kettle"),
    )
    step("spend from the fund", 1, lambda: ledger.record_spending(desk, director, 1, "tea"))
    step("grant a reward", 1, lambda: ledger.grant_reward(desk, leader, agent.staff_id, 10, "idea"))
    step("reverse a fine", 1, lambda: ledger.reverse(desk, director, results["record a fine"].entry_id, "wrong person"))

    # Quality inspection
    step(
        "score a contact",
        1,
        lambda: quality.record_inspection(
            desk, director, agent.staff_id, {c.key: c.max for c in desk.policy.qa.rubric}, "fine"
        ),
    )
    step(
        "write the daily quality report",
        1,
        lambda: quality.record_spot_check(desk, leader, ["recordings", "forum", "email"], "none"),
    )
    step(
        "a second report the same day (nothing changes)",
        0,
        lambda: quality.record_spot_check(desk, leader, ["email"], "none"),
    )

    # Notices
    step("publish a notice", 1, lambda: notices.publish_notice(desk, leader, "Refunds", "Within 7 days"))
    step("acknowledge it", 1, lambda: notices.acknowledge_notice(desk, agent, results["publish a notice"].id))
    step(
        "acknowledge it again (nothing changes)",
        0,
        lambda: notices.acknowledge_notice(desk, agent, results["publish a notice"].id),
    )

    # Clocking and time away, on Monday's shift
    clock.set(local(MON, 8, 25, zone))
    step("clock in", 1, lambda: attendance.clock_in(desk, colleague))
    clock.set(local(MON, 11, 0, zone))
    step("start time away", 1, lambda: attendance.start_away(desk, colleague))
    clock.set(local(MON, 11, 10, zone))
    step("end time away", 1, lambda: attendance.end_away(desk, colleague))
    clock.set(local(MON, 17, 20, zone))
    step(
        "write the handover",
        1,
        lambda: handover.write_handover(desk, colleague, agent.staff_id, "all fine", "none", "none", "none"),
    )
    step(
        "acknowledge the handover",
        1,
        lambda: handover.acknowledge_handover(desk, agent, results["write the handover"].id),
    )
    clock.set(local(MON, 17, 35, zone))
    step("clock out", 1, lambda: attendance.clock_out(desk, colleague))
    step("mark a duty done", 1, lambda: home.mark_duty_done(desk, leader, "workload-report", local(MON, 17, 30, zone)))

    # Roll call on Wednesday: two people rostered
    clock.set(local(WED, 8, 20, zone))
    step("open the roll call", 1, lambda: rollcall.open_roll_call(desk, leader, squad.id, WED, "day"))
    call = lambda: results["open the roll call"].session_id  # noqa: E731
    people = lambda: [line.staff_id for line in rollcall.roll_call(desk, leader, call()).lines]  # noqa: E731
    step("mark one", 1, lambda: rollcall.mark(desk, leader, call(), people()[0], "present"))
    step("mark the rest present", 1, lambda: rollcall.mark_rest_present(desk, leader, call()))
    step(
        "close the roll call (two attendance rows and the closing)",
        3,
        lambda: rollcall.close_roll_call(desk, leader, call()),
    )

    # Imports: the staff register row by row, the roster one row per file
    staff_csv = tmp_path / "staff.csv"
    staff_csv.write_text(
        "employee_number,real_name,role,grade,squad,status,hire_date\n"
        "7001,A,agent,junior,Orchid,formal,2026-03-01\n7002,B,agent,junior,Orchid,formal,2026-03-01\n"
    )
    step("import two new staff into a new squad", 3, lambda: roster.import_staff(desk, director, staff_csv))
    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text("employee_number,date,shift\n7001,2026-03-16,day\n7002,2026-03-16,day\n")
    step("import a roster file", 1, lambda: roster.import_roster(desk, director, roster_csv))

    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    "reader",
    [
        lambda d, a: tickets.ticket_detail(d, a, 1),
        lambda d, a: notices.latest_notices(d),
        lambda d, a: ledger.ledger_page(d, a),
        lambda d, a: home.home_summary(d, a),
    ],
)
def test_reading_writes_nothing(desk, db_path, make_staff, actor_of, reader):
    agent = actor_of(make_staff())
    tickets.take_in(desk, agent, Channel.PHONE, Category.INQUIRY, "Wang", "13812345678", "Refund", "")
    before = table_counts(db_path)
    reader(desk, agent)
    assert table_counts(db_path) == before
