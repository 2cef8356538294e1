"""Find any ticket: by number, subject or the customer's whole contact, and a customer's history
(TK-9, TK-15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import sqlite

from csdesk.models import ContactOutcome
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus
from csdesk.services.base import InvalidInput, NotFound
from csdesk.services.search import (
    customer_history,
    history_statement,
    open_ticket,
    read_terms,
    search_statement,
    search_tickets,
)
from csdesk.services.tickets import close, log_contact_attempt, resolve, take_in


@pytest.fixture
def squad(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1113"))


@pytest.fixture
def colleague(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1114"))


@pytest.fixture
def leader(make_staff, actor_of, squad):
    return actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101"))


def case(desk, actor, subject, contact="", channel=Channel.PHONE):
    return take_in(desk, actor, channel, Category.INQUIRY, "Qian Li", contact, subject, "")


def ids(rows):
    return [row.ticket_id for row in rows]


def closed_case(desk, actor, subject, contact):
    ticket = case(desk, actor, subject, contact)
    visit = resolve(desk, actor, ticket.id).return_visit
    log_contact_attempt(desk, actor, visit.id, ContactOutcome.REACHED)
    return close(desk, actor, ticket.id, satisfied=True)


def test_a_ticket_opens_by_its_number_from_anywhere(desk, agent, colleague, clock):  # rule: TK-15
    ticket = case(desk, agent, "Refund missing", "13800001111")
    for typed in (ticket.id, str(ticket.id), f"#{ticket.id}", f" # {ticket.id} "):
        seen = open_ticket(desk, colleague, typed)
        assert seen.id == ticket.id and seen.contact_masked and seen.customer_contact == "138****1111"
    assert not open_ticket(desk, agent, ticket.id).contact_masked
    with pytest.raises(NotFound, match=f"no ticket #{ticket.id + 1}"):
        open_ticket(desk, agent, ticket.id + 1)
    for wrong in ("abc", "#", "", "-3", "0", "99999999999"):
        with pytest.raises(InvalidInput) as raised:
            open_ticket(desk, agent, wrong)
        assert raised.value.field == "number"


def test_search_finds_closed_tickets_by_number_or_subject_newest_first(desk, agent, clock):  # rule: TK-9
    old = closed_case(desk, agent, "Refund missing in March", "13800001111")
    clock.advance(minutes=5)
    new = case(desk, agent, "Second REFUND question")
    clock.advance(minutes=5)
    other = case(desk, agent, "Plan change")
    assert old.status is TicketStatus.CLOSED
    assert ids(search_tickets(desk, agent, "refund")) == [new.id, old.id]
    assert ids(search_tickets(desk, agent, f"#{old.id}")) == [old.id]
    assert ids(search_tickets(desk, agent, "")) == [other.id, new.id, old.id]
    assert ids(search_tickets(desk, agent, "", offset=1, limit=1)) == [new.id]
    assert search_tickets(desk, agent, "nothing like it") == ()


def test_wildcards_typed_are_taken_as_they_are(desk, agent):
    plain = case(desk, agent, "Refund 100% missing")
    case(desk, agent, "Refund 100 missing")
    assert ids(search_tickets(desk, agent, "100%")) == [plain.id]
    assert search_tickets(desk, agent, "refund_") == ()


def test_the_whole_contact_finds_the_customer_however_it_was_typed(desk, agent, colleague, leader, clock):
    # rule: TK-15
    first = case(desk, agent, "Refund missing", "13800001111")
    clock.advance(minutes=1)
    second = case(desk, agent, "Refund again", "+86 138-0000-1111")
    clock.advance(minutes=1)
    case(desk, agent, "Someone else", "13900002222")
    for typed in ("13800001111", "138 0000 1111", "+8613800001111", "0086 13800001111"):
        assert ids(search_tickets(desk, colleague, typed)) == [second.id, first.id]
    # Found by the whole number, but shown masked to a colleague; whole to the owner and leaders.
    assert {r.customer_contact for r in search_tickets(desk, colleague, "13800001111")} == {
        "138****1111",
        "+86 138-****-1111",
    }
    assert all(r.contact_masked for r in search_tickets(desk, colleague, "13800001111"))
    assert not any(r.contact_masked for r in search_tickets(desk, leader, "13800001111"))
    assert not any(r.contact_masked for r in search_tickets(desk, agent, "13800001111"))


def test_part_of_a_contact_finds_nobody(desk, agent):  # rule: TK-15
    case(desk, agent, "Refund missing", "13800001111")
    case(desk, agent, "Invoice", "Zhang.San@example.com", channel=Channel.EMAIL)
    for part in ("1380000", "0001111", "zhang.san", "example.com"):
        assert search_tickets(desk, agent, part) == ()
    assert len(search_tickets(desk, agent, "ZHANG.SAN@EXAMPLE.COM")) == 1


def test_a_hash_before_anything_but_a_number_is_words(desk, agent):
    tagged = case(desk, agent, "Refund #urgent")
    assert ids(search_tickets(desk, agent, "#urgent")) == [tagged.id]
    assert search_tickets(desk, agent, f"#{tagged.id + 1}") == ()


def test_digits_may_be_a_number_or_a_phone(desk, agent):
    ticket = case(desk, agent, "Order 4411 not delivered", "13800001111")
    assert read_terms("13800001111").contact_key == "+8613800001111"
    assert read_terms(str(ticket.id)).number == ticket.id
    assert ids(search_tickets(desk, agent, "4411")) == [ticket.id]


def test_a_customers_history_is_every_earlier_case_of_the_same_contact(desk, agent, colleague, clock):
    # rule: TK-15
    first = closed_case(desk, agent, "Router broken", "010-12345678")
    clock.advance(days=2)
    second = case(desk, agent, "Router still broken", "(010) 1234 5678")
    clock.advance(days=1)
    case(desk, agent, "Not them", "13900002222")
    latest = case(desk, agent, "Router third time", "+86 10 1234 5678")
    assert ids(customer_history(desk, colleague, latest.id)) == [second.id, first.id]
    assert ids(customer_history(desk, colleague, latest.id, offset=1, limit=1)) == [first.id]
    assert ids(customer_history(desk, colleague, second.id)) == [first.id]
    assert customer_history(desk, colleague, first.id) == ()
    assert all(r.contact_masked for r in customer_history(desk, colleague, latest.id))
    anonymous = case(desk, agent, "No contact given")
    assert customer_history(desk, agent, anonymous.id) == ()
    with pytest.raises(NotFound):
        customer_history(desk, agent, latest.id + 100)


@pytest.mark.parametrize(("offset", "limit", "field"), [(-1, 20, "offset"), (0, 0, "limit"), (0, 201, "limit")])
def test_a_page_out_of_bounds_is_refused(desk, agent, offset, limit, field):
    with pytest.raises(InvalidInput) as raised:
        search_tickets(desk, agent, "x", offset=offset, limit=limit)
    assert raised.value.field == field


def _bulk(desk, agent, clock, count):
    from csdesk.models import Ticket

    rows = []
    for n in range(count):
        at = clock.at - timedelta(minutes=n)
        rows.append(
            Ticket(
                channel=Channel.FORUM,
                category=Category.INQUIRY,
                subject=f"question {n}",
                customer_contact=f"1380000{n:04d}",
                contact_key=f"+861380000{n:04d}",
                status=TicketStatus.CLOSED if n % 3 else TicketStatus.NEW,
                received_at=at,
            )
        )
    with desk.write() as session:
        session.add_all(rows)


def _sqlite_plan(desk, statement):
    sql = str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with desk.db.engine.connect() as conn:
        return " | ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


@pytest.mark.sqlite_only  # reads SQLite's EXPLAIN QUERY PLAN
def test_search_pages_come_from_an_index_in_their_own_order(desk, agent, clock):
    _bulk(desk, agent, clock, 1500)
    rows = search_tickets(desk, agent, "question", offset=100, limit=50)
    assert len(rows) == 50 and [r.received_at for r in rows] == sorted((r.received_at for r in rows), reverse=True)
    words = _sqlite_plan(desk, search_statement(read_terms("question")).offset(100).limit(50))
    assert "ix_tickets_received_at_id" in words and "TEMP B-TREE" not in words.upper()
    contact = _sqlite_plan(desk, search_statement(read_terms("13800000042")).limit(20))
    assert "ix_tickets_contact_key_received_at_id" in contact and "TEMP B-TREE" not in contact.upper()
    with desk.read() as session:
        from csdesk.models import Ticket

        one = session.get(Ticket, 700)
        history = _sqlite_plan(desk, history_statement(one).limit(20))
    assert "ix_tickets_contact_key_received_at_id" in history and "TEMP B-TREE" not in history.upper()


@pytest.mark.pg_only
def test_on_postgresql_the_contact_index_serves_a_customers_search(desk, agent, clock):
    _bulk(desk, agent, clock, 300)
    assert len(search_tickets(desk, agent, "13800000042")) == 1
    compiled = (
        search_statement(read_terms("13800000042"))
        .limit(20)
        .compile(desk.db.engine, compile_kwargs={"literal_binds": True})
    )
    with desk.db.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = " | ".join(row[0] for row in conn.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_tickets_contact_key_received_at_id" in plan, plan
