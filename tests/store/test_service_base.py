"""The service contract: one transaction, audit, permission, stale edits."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, Notice, Ticket, format_cents, to_cents
from csdesk.rules.staff import Action
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus
from csdesk.services.base import (
    FixedClock,
    InvalidInput,
    PermissionDenied,
    StaleEdit,
    audit,
    require,
)
from csdesk.services.permissions import DeskAction


def test_require_names_the_role_and_rule(make_staff, actor_of):
    agent = actor_of(make_staff(role=Role.AGENT))
    with pytest.raises(PermissionDenied) as raised:
        require(agent, Action.RECORD_FINE)
    assert "only a squad leader" in str(raised.value)
    assert "ST-2" in raised.value.rule_ids
    require(actor_of(make_staff(role=Role.SQUAD_LEADER)), Action.RECORD_FINE)
    with pytest.raises(PermissionDenied, match="only a department director, centre director"):
        require(actor_of(make_staff(role=Role.SQUAD_LEADER)), DeskAction.SEE_AUDIT_LOG)


def test_unknown_action_is_a_programming_error(make_staff, actor_of):
    with pytest.raises(ValueError, match="unknown action"):
        require(actor_of(make_staff()), "record fnie")


def test_a_refusal_inside_the_transaction_changes_nothing(desk, make_staff, actor_of):
    author = actor_of(make_staff(role=Role.SQUAD_LEADER))
    with pytest.raises(InvalidInput) as raised, desk.write() as session:
        session.add(Notice(title="Offer", author_id=author.staff_id, published_at=desk.now()))
        audit(session, author, "notice.publish", "notice", None)
        raise InvalidInput("the offer needs an end date", field="expires_at")
    assert raised.value.field == "expires_at"
    with desk.read() as session:
        assert session.exec(select(Notice)).all() == []
        assert session.exec(select(AuditLog)).all() == []


def test_audit_records_who_when_and_the_change(desk, make_staff, actor_of, clock):
    leader = actor_of(make_staff(role=Role.SQUAD_LEADER))
    with desk.write() as session:
        notice = Notice(title="Old", author_id=leader.staff_id, published_at=desk.now())
        session.add(notice)
        session.flush()
        before = notice.model_copy()
        notice.title = "New"
        audit(session, leader, "notice.edit", "notice", notice.id, before=before, after=notice)
    with desk.read() as session:
        row = session.exec(select(AuditLog)).one()
    assert (row.actor_id, row.action, row.entity, row.entity_id) == (
        leader.staff_id,
        "notice.edit",
        "notice",
        str(notice.id),
    )
    assert row.at == clock()
    assert row.before["title"] == "Old" and row.after["title"] == "New"
    assert row.after["published_at"] == clock().isoformat()


def test_two_desks_editing_one_ticket_the_second_is_told_to_reload(desk, make_desk):
    with desk.write() as session:
        ticket = Ticket(channel=Channel.PHONE, category=Category.COMPLAINT, subject="Noise", received_at=desk.now())
        session.add(ticket)
    other = make_desk()
    with desk.read() as session:
        mine = session.get(Ticket, ticket.id)
    with other.write() as session:
        theirs = session.get(Ticket, ticket.id)
        theirs.status = TicketStatus.CLAIMED
        session.add(theirs)

    with pytest.raises(StaleEdit, match="reload"), desk.write() as session:
        stale = session.merge(mine, load=False)
        stale.status = TicketStatus.ESCALATED
        session.add(stale)
    with desk.read() as session:
        current = session.get(Ticket, ticket.id)
    assert current.status is TicketStatus.CLAIMED and current.version == 2


def test_fixed_clock_refuses_naive_times_and_advances():
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 1))
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.advance(minutes=90) == datetime(2026, 1, 1, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(("given", "cents"), [("10", 1000), ("12.5", 1250), (3, 300), ("-0.05", -5)])
def test_money_is_integer_cents(given, cents):
    assert to_cents(given) == cents


@pytest.mark.parametrize("bad", ["1.005", "ten", "NaN"])
def test_money_refuses_what_it_cannot_store_exactly(bad):
    with pytest.raises(ValueError):
        to_cents(bad)


def test_money_formats_two_decimals():
    assert format_cents(1250) == "12.50" and format_cents(-500) == "-5.00"
