"""PINs, the append-only records, exports and the file itself."""

from __future__ import annotations

import csv
import logging
import os
import sqlite3
import stat

import pytest
from argon2 import PasswordHasher, extract_parameters
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.exports.csvfile import FORMULA_STARTS, write_csv
from csdesk.models import Staff
from csdesk.rules.vocab import Role
from csdesk.services.auth import AccountLocked, change_pin, reset_pin, sign_in
from csdesk.services.base import ServiceError

from . import workers

PIN = "482913"


def _stored_hash(desk, staff_id):
    with desk.read() as session:
        return session.get(Staff, staff_id).pin_hash


def test_pins_are_slow_salted_hashes(desk, make_staff):
    a, b = make_staff(pin=PIN), make_staff(pin=PIN)
    first, second = _stored_hash(desk, a.id), _stored_hash(desk, b.id)
    assert first != second  # salted: the same PIN never looks the same twice
    params = extract_parameters(first)
    assert params.type.name == "ID"  # argon2id
    # OWASP's floor for argon2id, any one of its equivalent rows: (MiB, passes).
    floors = ((46, 1), (19, 2), (12, 3), (9, 4), (7, 5))
    assert any(params.memory_cost >= mib * 1024 and params.time_cost >= passes for mib, passes in floors)


@pytest.mark.parametrize(
    "earlier",
    [
        PasswordHasher(),  # the library's default: 64 MiB, as PINs were first stored
        PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),  # then 19 MiB
    ],
    ids=["64MiB", "19MiB"],
)
def test_a_pin_hashed_with_heavier_settings_is_hashed_again_at_its_next_sign_in(desk, make_staff, earlier):
    agent = make_staff(pin=PIN)
    with desk.write() as session:
        session.get(Staff, agent.id).pin_hash = earlier.hash(PIN)
    sign_in(desk, agent.employee_number, PIN)
    params = extract_parameters(_stored_hash(desk, agent.id))
    assert (params.memory_cost, params.time_cost, params.parallelism) == (12 * 1024, 3, 1)
    sign_in(desk, agent.employee_number, PIN)  # and the new hash still opens the desk


def test_the_pin_appears_in_no_log_no_audit_row_and_no_byte_of_the_database(
    desk, db_path, make_staff, make_squad, actor_of, caplog
):
    leader = make_staff(role=Role.SQUAD_LEADER, squad=(squad := make_squad("Lotus")))
    agent = make_staff(pin="1234", squad=squad)
    caplog.set_level(logging.DEBUG)
    # Statements and their parameters too, as a centre might switch on when debugging.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
    try:
        reset_pin(desk, actor_of(leader), agent.id, "24680")
        with pytest.raises(ServiceError):
            sign_in(desk, agent.employee_number, "999999")
        sign_in(desk, agent.employee_number, "24680", new_pin=PIN)
        change_pin(desk, actor_of(agent), PIN, "7777")
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert caplog.records, "the log capture saw nothing: the check would prove nothing"
    assert PIN not in caplog.text
    desk.db.close()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert PIN.encode() not in raw and PIN.encode("utf-16-le") not in raw


def test_the_lockout_holds_across_processes(desk, db_path, make_staff, desks, clock):
    agent = make_staff(pin="1234")
    desks.start(workers.sign_in_attempts, str(db_path), agent.employee_number, ["0000", "1111", "2222"])
    (report,) = desks.run(timeout=30)
    assert report["outcomes"][-1].startswith("AccountLocked")
    # This desk, another process, refuses even the right PIN within the minute.
    with pytest.raises(AccountLocked):
        sign_in(desk, agent.employee_number, "1234")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'nothing'",
        "DELETE FROM audit_log",
        "UPDATE ledger SET amount_cents = 1",
        "DELETE FROM ledger",
    ],
)
def test_append_only_tables_refuse_changes_from_outside_the_app(
    desk, db_path, make_staff, make_squad, actor_of, statement
):
    from csdesk.rules.fines import Offence
    from csdesk.services.ledger import record_fine

    leader = make_staff(role=Role.SQUAD_LEADER, squad=(squad := make_squad("Lotus")))
    record_fine(desk, actor_of(leader), make_staff(squad=squad).id, Offence.NON_WORK, "game")
    conn = sqlite3.connect(db_path)  # a sqlite3 shell, not csdesk
    try:
        before = conn.execute(
            "SELECT (SELECT COUNT(*) FROM audit_log), (SELECT SUM(amount_cents) FROM ledger)"
        ).fetchone()
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement)
        conn.rollback()
        after = conn.execute(
            "SELECT (SELECT COUNT(*) FROM audit_log), (SELECT SUM(amount_cents) FROM ledger)"
        ).fetchone()
    finally:
        conn.close()
    assert after == before


@settings(max_examples=200, deadline=None, database=None)
@given(cells=st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_no_exported_cell_starts_like_a_formula(tmp_path_factory, cells):
    path = tmp_path_factory.mktemp("csv") / "out.csv"
    write_csv(path, [f"c{n}" for n in range(len(cells))], [cells])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    for cell in rows[1]:
        assert not cell.startswith(FORMULA_STARTS), cell


def test_a_new_database_is_private_whatever_the_umask(tmp_path):
    from csdesk.cli import main

    old = os.umask(0)
    try:
        assert main(["--db", str(tmp_path / "centre.db"), "init"]) == 0
    finally:
        os.umask(old)
    for path in tmp_path.glob("centre.db*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def _handover(desk, make_staff, make_squad, actor_of, acknowledged: bool) -> int:
    from csdesk.services.handover import acknowledge_handover, write_handover

    squad = make_squad("Jasmine")
    outgoing, incoming = actor_of(make_staff(squad=squad)), actor_of(make_staff(squad=squad))
    view = write_handover(desk, outgoing, incoming.staff_id, "headset 7 crackles", "none", "none", "quiet")
    if acknowledged:
        acknowledge_handover(desk, incoming, view.id)
    return view.id


def _books(db_path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_path)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("audit_log", "ledger", "handover_logs", "handover_items")
        }
    finally:
        conn.close()


@pytest.mark.parametrize("table", ["audit_log", "ledger", "handover_logs", "handover_items"])
def test_insert_or_replace_cannot_overwrite_an_append_only_row(db_path, desk, make_staff, make_squad, actor_of, table):
    """REPLACE deletes the old row without firing delete triggers; the insert guard refuses it."""
    from csdesk.rules.fines import Offence
    from csdesk.services.ledger import record_fine

    leader = make_staff(role=Role.SQUAD_LEADER, squad=(squad := make_squad("Lotus")))
    record_fine(desk, actor_of(leader), make_staff(squad=squad).id, Offence.NON_WORK, "game")
    _handover(desk, make_staff, make_squad, actor_of, acknowledged=True)
    before = _books(db_path)
    conn = sqlite3.connect(db_path)  # a sqlite3 shell: recursive_triggers off, foreign keys off
    try:
        columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
        original = conn.execute(f"SELECT * FROM {table} ORDER BY id LIMIT 1").fetchone()
        forged = list(original)
        text_column = {
            "audit_log": "entity_id",
            "ledger": "reason",
            "handover_logs": "equipment",
            "handover_items": "text",
        }[table]
        forged[columns.index(text_column)] = "forged"
        for verb in ("INSERT OR REPLACE", "REPLACE"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(f"{verb} INTO {table} VALUES ({', '.join('?' * len(forged))})", forged)
        conn.commit()
    finally:
        conn.close()
    assert _books(db_path) == before


def test_replace_cannot_take_the_place_of_a_reversal_through_its_unique_column(
    db_path, desk, make_staff, make_squad, actor_of
):
    """FN-8: one reversal per entry; REPLACE on reverses_id would silently swap it."""
    from csdesk.rules.fines import Offence
    from csdesk.services.ledger import record_fine, reverse

    leader = make_staff(role=Role.SQUAD_LEADER, squad=(squad := make_squad("Lotus")))
    fine = record_fine(desk, actor_of(leader), make_staff(squad=squad).id, Offence.NON_WORK, "game")
    reverse(desk, actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR)), fine.entry_id, "wrong person")
    before = _books(db_path)
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(
                "INSERT OR REPLACE INTO ledger (kind, amount_cents, reason, reverses_id, at) "
                "VALUES ('reversal', -1, 'forged', ?, '2026-03-09 08:00:00')",
                (fine.entry_id,),
            )
    finally:
        conn.close()
    assert _books(db_path) == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE handover_logs SET equipment = 'all fine'",
        "UPDATE handover_logs SET acknowledged_at = NULL, acknowledged_by_id = NULL",
        "UPDATE handover_logs SET acknowledged_at = '2026-03-09 08:00:00.000000'",
        "DELETE FROM handover_logs",
        "UPDATE handover_items SET text = 'nothing open'",
        "DELETE FROM handover_items",
    ],
)
def test_an_acknowledged_handover_refuses_changes_from_outside_the_app(
    desk, db_path, make_staff, make_squad, actor_of, statement
):
    """HO-3: once the successor acknowledged, the handover book stays as it was."""
    _handover(desk, make_staff, make_squad, actor_of, acknowledged=True)
    before = _books(db_path)
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement)
        conn.rollback()
    finally:
        conn.close()
    assert _books(db_path) == before
