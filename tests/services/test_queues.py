"""Queues: urgency order, masking per viewer, paging on an index, tab counts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.dialects import sqlite

from csdesk.models import Ticket
from csdesk.rules.tickets import TimerStatus
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus
from csdesk.services.base import InvalidInput
from csdesk.services.queues import (
    DESK_QUEUES,
    Queue,
    queue_count,
    queue_counts,
    queue_page,
    queue_statement,
    running_due,
)
from csdesk.services.tickets import claim, dispatch, resolve, take_in


@pytest.fixture
def squad(make_squad):
    return make_squad("A")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1024"))


@pytest.fixture
def other(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="2048"))


@pytest.fixture
def leader(make_staff, actor_of, squad):
    return actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad))


def post(desk, actor, subject, channel=Channel.FORUM, contact="13812345678", **kwargs):
    return take_in(desk, actor, channel, Category.INQUIRY, "Zhang San", contact, subject, "", **kwargs)


def test_breached_first_then_least_time_left(desk, agent, clock):  # rule: TK-6
    early = post(desk, agent, "early", received_at=clock.at - timedelta(minutes=15))  # 5 min overdue
    later = post(desk, agent, "later")
    sooner = post(desk, agent, "sooner", received_at=clock.at - timedelta(minutes=8))
    rows = queue_page(desk, agent, Queue.FORUM, 0, 50)
    assert [r.ticket_id for r in rows] == [early.id, sooner.id, later.id]
    assert rows[0].sla_state is TimerStatus.BREACHED and rows[0].time_left == timedelta(minutes=-5)
    assert rows[1].sla_state is TimerStatus.DUE_SOON and rows[1].time_left == timedelta(minutes=2)
    assert rows[2].sla_state is TimerStatus.OK and rows[2].sla_rule_id == "TK-6"


def test_claimed_tickets_leave_the_shared_queue_for_mine(desk, agent, other):  # rule: TK-9
    first = post(desk, agent, "first")
    second = post(desk, agent, "second")
    claim(desk, other, first.id)
    assert [r.ticket_id for r in queue_page(desk, agent, Queue.FORUM)] == [second.id]
    assert [r.ticket_id for r in queue_page(desk, other, "mine")] == [first.id]
    assert queue_page(desk, agent, Queue.MINE) == ()


def test_contact_is_masked_unless_owner_or_leader(desk, agent, other, leader):  # rule: TK-15
    ticket = post(desk, agent, "masked")
    claim(desk, agent, ticket.id)
    (own,) = queue_page(desk, agent, Queue.MINE)
    assert own.customer_contact == "13812345678" and not own.contact_masked
    dispatch(desk, agent, ticket.id, "Billing")
    (seen_by_other,) = queue_page(desk, other, Queue.BACK_OFFICE)
    assert seen_by_other.contact_masked and seen_by_other.customer_contact == "138****5678"
    assert seen_by_other.customer_name == "Z**** S**"
    (seen_by_leader,) = queue_page(desk, leader, Queue.BACK_OFFICE)
    assert seen_by_leader.customer_contact == "13812345678"


def test_unclaimed_tickets_are_masked_for_agents(desk, agent, leader):  # rule: TK-15
    post(desk, agent, "shared", channel=Channel.EMAIL, contact="zhang.san@example.com")
    assert queue_page(desk, agent, Queue.EMAIL)[0].customer_contact == "z*******n@example.com"
    assert queue_page(desk, leader, Queue.EMAIL)[0].customer_contact == "zhang.san@example.com"


def test_filter_matches_subject_or_number_never_contact(desk, agent):
    refund = post(desk, agent, "Refund 50% please")
    post(desk, agent, "Login")
    assert [r.ticket_id for r in queue_page(desk, agent, Queue.FORUM, filter_text="50%")] == [refund.id]
    assert [r.ticket_id for r in queue_page(desk, agent, Queue.FORUM, filter_text=f"#{refund.id}")] == [refund.id]
    assert queue_page(desk, agent, Queue.FORUM, filter_text="1381234") == ()


def test_return_visit_queue_lists_open_visits_by_due_time(desk, agent, clock, policy):  # rule: TK-8
    first = post(desk, agent, "first")
    claim(desk, agent, first.id)
    resolve(desk, agent, first.id)
    (row,) = queue_page(desk, agent, Queue.RETURN_VISITS)
    assert row.ticket_id == first.id and row.visit_id is not None
    # 72 working hours from Monday 16:00 are up on Thursday of the next week at 16:00.
    assert row.due_at == datetime(2026, 3, 19, 16, 0, tzinfo=policy.zone) and row.sla_rule_id == "TK-8"


def test_counts_for_tabs(desk, agent, clock):
    post(desk, agent, "overdue", received_at=clock.at - timedelta(minutes=11))
    post(desk, agent, "fresh")
    counts = queue_counts(desk, agent)
    assert counts[Queue.FORUM].total == 2 and counts[Queue.FORUM].breached == 1
    assert counts[Queue.EMAIL].total == 0 and counts[Queue.MINE].total == 0


def test_all_tab_counts_agree_with_each_queue_counted_alone(desk, agent, clock):
    late = post(desk, agent, "overdue", received_at=clock.at - timedelta(minutes=11))
    solved = post(desk, agent, "fresh")
    post(desk, agent, "waiting")
    claim(desk, agent, late.id)
    claim(desk, agent, solved.id)
    resolve(desk, agent, solved.id)
    counts = queue_counts(desk, agent)
    assert (counts[Queue.FORUM].total, counts[Queue.FORUM].breached) == (1, 0)
    assert (counts[Queue.MINE].total, counts[Queue.MINE].breached) == (1, 1)
    assert counts[Queue.RETURN_VISITS].total == 1
    assert list(counts) == list(DESK_QUEUES)
    assert all(counts[queue] == queue_count(desk, agent, queue) for queue in DESK_QUEUES)


def test_bad_page_arguments_name_the_field(desk, agent):
    for kwargs, field in (({"queue": "nope"}, "queue"), ({"offset": -1}, "offset"), ({"limit": 0}, "limit")):
        arguments = {"queue": Queue.FORUM, "offset": 0, "limit": 50} | kwargs
        with pytest.raises(InvalidInput) as raised:
            queue_page(desk, agent, **arguments)
        assert raised.value.field == field


def _bulk_tickets(desk, count, clock):
    start = clock.at - timedelta(hours=1)
    rows = []
    for n in range(count):
        ticket = Ticket(
            channel=Channel.FORUM if n % 2 else Channel.EMAIL,
            category=Category.INQUIRY,
            subject=f"question {n}",
            received_at=start + timedelta(seconds=n),
            status=TicketStatus.NEW if n % 5 else TicketStatus.CLOSED,
        )
        ticket.sla_due = running_due(ticket, desk.policy) if ticket.status is TicketStatus.NEW else None
        rows.append(ticket)
    with desk.write() as session:
        session.add_all(rows)


@pytest.mark.sqlite_only  # reads SQLite's EXPLAIN QUERY PLAN
def test_a_page_of_a_big_queue_comes_from_the_index(desk, agent, clock):
    _bulk_tickets(desk, 2400, clock)
    rows = queue_page(desk, agent, Queue.FORUM, 100, 50)
    assert len(rows) == 50
    dues = [r.due_at for r in rows]
    assert dues == sorted(dues)

    statement = queue_statement(agent, Queue.FORUM).offset(100).limit(50)
    sql = str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with desk.db.engine.connect() as conn:
        plan = " | ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    # The channel's own queue in order: a page reads its rows, not every channel's.
    assert "ix_tickets_channel_status_sla_due_id" in plan
    assert "TEMP B-TREE" not in plan.upper()
    assert "SCAN tickets" not in plan


@pytest.mark.sqlite_only  # reads SQLite's EXPLAIN QUERY PLAN
def test_the_tab_counts_read_only_their_own_queues_index(desk, agent, clock):
    from csdesk.services.queues import _all_counts_select

    _bulk_tickets(desk, 600, clock)
    statement = _all_counts_select(agent).params(now=clock.at)
    sql = str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with desk.db.engine.connect() as conn:
        plan = [str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    shared = [step for step in plan if "ix_tickets_channel_status_sla_due_id" in step]
    # Forum, email and chat are counted from the index alone, never from the rows.
    assert len(shared) == 3 and all("COVERING INDEX" in step for step in shared)
    assert any("ix_tickets_status_paused_since_sla_due_id" in step for step in plan), "the back office's own index"
    assert not any(step.startswith("SCAN tickets") for step in plan)
