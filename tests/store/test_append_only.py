"""FN-8, HO-3: the fund's ledger, the audit log and the handover book only ever grow."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from csdesk.models import AuditLog, HandoverItem, HandoverLog, LedgerEntry
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.services.base import audit


@pytest.fixture
def rows(desk, make_staff, actor_of):
    leader = make_staff(role=Role.SQUAD_LEADER)
    with desk.write() as session:
        fine = LedgerEntry(
            kind=LedgerKind.FINE,
            staff_id=leader.id,
            rule_id="FN-4",
            amount_cents=1000,
            reason="game at desk",
            at=desk.now(),
        )
        session.add(fine)
        audit(session, actor_of(leader), "ledger.fine", "ledger", 1, after={"amount": 1000})
    return leader


@pytest.mark.parametrize("model", [LedgerEntry, AuditLog])
def test_updates_and_deletes_are_refused(desk, rows, model):
    for statement in (update(model).values(at=desk.now()), delete(model)):
        with pytest.raises(DBAPIError, match="append-only"), desk.write() as session:
            session.exec(statement)
    with desk.read() as session:
        assert len(session.exec(select(model)).all()) == 1


def test_refused_even_in_raw_sql(desk, rows):
    with pytest.raises(DBAPIError, match="ledger is append-only"), desk.write() as session:
        session.exec(text("UPDATE ledger SET amount_cents = 1"))


def test_a_correction_is_a_new_reversal_row(desk, rows):
    with desk.write() as session:
        fine = session.exec(select(LedgerEntry)).one()
        session.add(
            LedgerEntry(
                kind=LedgerKind.REVERSAL,
                staff_id=fine.staff_id,
                amount_cents=-fine.amount_cents,
                reverses_id=fine.id,
                reason="wrong person",
                at=desk.now(),
            )
        )
    with desk.read() as session:
        amounts = session.exec(select(LedgerEntry.amount_cents)).all()
    assert sum(amounts) == 0


def test_zero_amounts_are_refused(desk, rows):
    with pytest.raises(DBAPIError), desk.write() as session:
        session.add(LedgerEntry(kind=LedgerKind.FINE, amount_cents=0, at=desk.now()))


# -- the handover book (HO-3): a log takes its acknowledgement once, nothing else ------------


@pytest.fixture
def handover(desk, make_staff, make_squad, actor_of):
    from csdesk.services.handover import write_handover

    squad = make_squad("Jasmine")
    outgoing, incoming = actor_of(make_staff(squad=squad)), actor_of(make_staff(squad=squad))
    view = write_handover(
        desk, outgoing, incoming.staff_id, "headset 7 crackles", "printer jam", "none", "quiet", carried_ticket_ids=()
    )
    return view, outgoing, incoming, actor_of(make_staff(squad=squad))


def _refused(desk, sql, **params):
    with pytest.raises(DBAPIError, match="append-only"), desk.write() as session:
        session.exec(text(sql).bindparams(**params))


def _log(desk, log_id):
    with desk.read() as session:
        return session.get(HandoverLog, log_id).model_dump()


def test_ho_3_a_handover_log_takes_only_its_successors_acknowledgement_once(desk, handover):
    from csdesk.services.handover import acknowledge_handover

    view, outgoing, incoming, bystander = handover
    written = _log(desk, view.id)
    now = desk.now()
    # Before the acknowledgement: no other column moves, and nobody else acknowledges.
    _refused(desk, "UPDATE handover_logs SET equipment = 'all fine' WHERE id = :id", id=view.id)
    _refused(
        desk,
        "UPDATE handover_logs SET acknowledged_at = :at, acknowledged_by_id = :by, "
        "complaints = 'none at all' WHERE id = :id",
        at=now,
        by=incoming.staff_id,
        id=view.id,
    )
    for by in (bystander.staff_id, outgoing.staff_id):
        _refused(
            desk,
            "UPDATE handover_logs SET acknowledged_at = :at, acknowledged_by_id = :by WHERE id = :id",
            at=now,
            by=by,
            id=view.id,
        )
    _refused(desk, "UPDATE handover_logs SET acknowledged_by_id = :by WHERE id = :id", by=incoming.staff_id, id=view.id)
    _refused(desk, "DELETE FROM handover_logs WHERE id = :id", id=view.id)
    assert _log(desk, view.id) == written

    done = acknowledge_handover(desk, incoming, view.id)  # the one change allowed
    assert done.acknowledged_by_id == incoming.staff_id
    acknowledged = _log(desk, view.id)
    assert {k: v for k, v in acknowledged.items() if not k.startswith("acknowledged")} == {
        k: v for k, v in written.items() if not k.startswith("acknowledged")
    }

    # Once acknowledged it stays as it is, the acknowledgement included.
    _refused(
        desk, "UPDATE handover_logs SET acknowledged_at = NULL, acknowledged_by_id = NULL WHERE id = :id", id=view.id
    )
    _refused(desk, "UPDATE handover_logs SET acknowledged_at = :at WHERE id = :id", at=now, id=view.id)
    _refused(desk, "UPDATE handover_logs SET events = 'edited later' WHERE id = :id", id=view.id)
    _refused(desk, "DELETE FROM handover_logs")
    assert _log(desk, view.id) == acknowledged
    assert acknowledge_handover(desk, incoming, view.id).acknowledged_at == done.acknowledged_at


@pytest.mark.parametrize(
    "column", [c.name for c in HandoverLog.__table__.columns if c.name not in ("acknowledged_at", "acknowledged_by_id")]
)
def test_ho_3_the_acknowledgement_carries_no_other_change(desk, handover, column):
    """Every column but the acknowledgement's is covered, new ones included."""
    view, _, incoming, _ = handover
    written = _log(desk, view.id)
    changed = "id + 1000" if column == "id" else "NULL"  # SQLite's rowid cannot be NULL
    _refused(
        desk,
        f"UPDATE handover_logs SET acknowledged_at = :at, acknowledged_by_id = :by, {column} = {changed} "
        "WHERE id = :id",
        at=desk.now(),
        by=incoming.staff_id,
        id=view.id,
    )
    assert _log(desk, view.id) == written


def test_ho_3_handover_items_never_change(desk, handover):
    view = handover[0]
    with desk.read() as session:
        items = [i.model_dump() for i in session.exec(select(HandoverItem).where(HandoverItem.log_id == view.id))]
    assert items, "the handover must have items for the check to mean anything"
    _refused(desk, "UPDATE handover_items SET text = 'nothing open'")
    _refused(desk, "DELETE FROM handover_items")
    with desk.read() as session:
        assert [i.model_dump() for i in session.exec(select(HandoverItem))] == items


@pytest.mark.pg_only  # SQLite has no TRUNCATE
def test_truncate_is_refused_on_every_append_only_table(desk, handover):
    for table in ("audit_log", "ledger", "handover_logs", "handover_items"):
        _refused(desk, f"TRUNCATE {table} CASCADE")
