"""FN-8: the fund's ledger and the audit log only ever grow."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from csdesk.models import AuditLog, LedgerEntry
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.services.base import audit


@pytest.fixture
def rows(desk, make_staff, actor_of):
    leader = make_staff(role=Role.SQUAD_LEADER)
    with desk.write() as session:
        fine = LedgerEntry(kind=LedgerKind.FINE, staff_id=leader.id, rule_id="FN-4",
                           amount_cents=1000, reason="game at desk", at=desk.now())
        session.add(fine)
        audit(session, actor_of(leader), "ledger.fine", "ledger", 1, after={"amount": 1000})
    return leader


@pytest.mark.parametrize("model", [LedgerEntry, AuditLog])
def test_updates_and_deletes_are_refused(desk, rows, model):
    for statement in (update(model).values(at=desk.now()), delete(model)):
        with pytest.raises(DBAPIError, match="append-only"):
            with desk.write() as session:
                session.exec(statement)
    with desk.read() as session:
        assert len(session.exec(select(model)).all()) == 1


def test_refused_even_in_raw_sql(desk, rows):
    with pytest.raises(DBAPIError, match="ledger is append-only"):
        with desk.write() as session:
            session.exec(text("UPDATE ledger SET amount_cents = 1"))


def test_a_correction_is_a_new_reversal_row(desk, rows):
    with desk.write() as session:
        fine = session.exec(select(LedgerEntry)).one()
        session.add(LedgerEntry(kind=LedgerKind.REVERSAL, staff_id=fine.staff_id,
                                amount_cents=-fine.amount_cents, reverses_id=fine.id,
                                reason="wrong person", at=desk.now()))
    with desk.read() as session:
        amounts = session.exec(select(LedgerEntry.amount_cents)).all()
    assert sum(amounts) == 0


def test_zero_amounts_are_refused(desk, rows):
    with pytest.raises(DBAPIError):
        with desk.write() as session:
            session.add(LedgerEntry(kind=LedgerKind.FINE, amount_cents=0, at=desk.now()))
