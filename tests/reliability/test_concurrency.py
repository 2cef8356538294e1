"""Desks on one database file at the same time: claims, fines and edits (TK-9, FN-8).

Eight processes, like eight terminals on the floor, work the same SQLite
file. Each test prints its figures (run with ``-s`` to see them).
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import insert

from csdesk.models import Ticket
from csdesk.rules.vocab import Category, Channel, Role, TicketStatus

from . import workers
from .conftest import integrity

PROCESSES = 8
TICKETS = 1000
FINES_EACH = 15  # 120 fines: each person fined six times over, by several desks at once
FINE_TARGETS = 20
NAIVE_TICKETS = 200
NAIVE_ATTEMPTS = 3


def _forum_posts(desk, count):
    now = desk.now()
    with desk.write() as session:
        session.execute(
            insert(Ticket),
            [
                {
                    "channel": Channel.FORUM,
                    "category": Category.INQUIRY,
                    "subject": f"post {n}",
                    "status": TicketStatus.NEW,
                    "received_at": now,
                    "sla_due": now + timedelta(minutes=10),
                    "version": 1,
                }
                for n in range(count)
            ],
        )


@pytest.fixture
def floor(make_squad, make_staff):
    squad = make_squad("Lotus")
    return [make_staff(squad=squad) for _ in range(PROCESSES)]


def _raw(db_path, sql):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_tk_9_eight_desks_claim_a_queue_of_1000_each_ticket_exactly_once(desk, db_path, floor, desks):
    _forum_posts(desk, TICKETS)
    for agent in floor:
        # A stop for a desk gone wrong, not a speed limit: at load 11 on 2 cores the
        # thousand claims took over 40 s (about 7 s on a quiet machine).
        desks.start(workers.claim_until_empty, str(db_path), agent.id, 120.0)
    desks.ready()
    started = time.monotonic()
    reports = desks.run(timeout=130)
    seconds = time.monotonic() - started

    claims = Counter(t for r in reports for t in r["claimed"])
    errors = [e for r in reports for e in r["errors"]]
    retries = sum(r["retries"] for r in reports)
    conflicts = sum(r["conflicts"] for r in reports)
    print(
        f"\nclaims: {PROCESSES} processes, {TICKETS} tickets, {sum(claims.values())} claims, "
        f"{conflicts} refused as already claimed, {retries} busy retries, {seconds:.1f} s"
    )

    assert errors == []  # no "database is locked", nor anything else, reached a desk
    assert sum(claims.values()) == TICKETS and set(claims.values()) == {1}
    owners = dict(_raw(db_path, "SELECT id, owner_id FROM tickets"))
    assert len(owners) == TICKETS and None not in owners.values()
    by_process = {t: agent.id for agent, r in zip(floor, reports, strict=True) for t in r["claimed"]}
    assert owners == by_process  # the database agrees with what each desk was told
    assert _raw(db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'ticket.claim'") == [(TICKETS,)]
    assert _raw(db_path, "SELECT COUNT(*) FROM ticket_events WHERE kind = 'claim'") == [(TICKETS,)]
    assert integrity(db_path) == "ok"


def test_control_a_naive_deferred_read_then_write_claim_is_caught(tmp_path, desks):
    """The same race with the bug put back: the checks above must notice it."""
    from csdesk.policy import default_policy
    from csdesk.services.base import Desk, FixedClock
    from csdesk.store import create_database

    outcomes = []
    for attempt in range(NAIVE_ATTEMPTS):
        path = tmp_path / f"naive-{attempt}.db"
        db = create_database(path)
        _forum_posts(Desk(db, default_policy(), FixedClock(workers.T0)), NAIVE_TICKETS)
        db.close()
        desks.reset()
        for agent_id in range(1, PROCESSES + 1):
            desks.start(workers.naive_claim_until_empty, str(path), agent_id, 5.0)
        reports = desks.run(timeout=20)
        claims = Counter(t for r in reports for t in r["claimed"])
        doubles = sum(1 for n in claims.values() if n > 1)
        locked = sum(1 for r in reports for e in r["errors"] if "locked" in e)
        outcomes.append((doubles, locked))
        print(
            f"\ncontrol run {attempt + 1}: {PROCESSES} processes, {NAIVE_TICKETS} tickets, "
            f"{sum(claims.values())} claims, {doubles} claimed twice, "
            f"{locked} 'database is locked' errors shown to a desk"
        )
        if doubles or locked:
            break
    # Bounded: the naive claim must be caught failing within NAIVE_ATTEMPTS runs.
    assert any(d or lk for d, lk in outcomes), outcomes


def test_fn_8_eight_desks_fining_at_once_the_fund_holds_exactly_what_was_written(
    desk, db_path, make_staff, make_squad, floor, desks
):
    director = make_staff(role=Role.DEPARTMENT_DIRECTOR)
    # Complaints double each time (FN-3): six per person keeps amounts realistic.
    squad = make_squad("Orchid")
    targets = [a.id for a in floor] + [make_staff(squad=squad).id for _ in range(FINE_TARGETS - PROCESSES)]
    for _ in range(PROCESSES):
        desks.start(workers.record_fines, str(db_path), director.id, targets, FINES_EACH)
    desks.ready()
    started = time.monotonic()
    reports = desks.run(timeout=40)
    seconds = time.monotonic() - started

    written = [tuple(w) for r in reports for w in r["written"]]
    print(
        f"\nfines: {PROCESSES} processes, {len(written)} fines, "
        f"{sum(r['retries'] for r in reports)} busy retries, {seconds:.1f} s"
    )
    assert [e for r in reports for e in r["errors"]] == []
    assert len(written) == PROCESSES * FINES_EACH
    total = _raw(db_path, "SELECT COALESCE(SUM(amount_cents), 0), COUNT(*) FROM ledger")[0]
    assert total == (sum(cents for _, cents, _ in written), len(written))
    # rule: FN-3, FN-10 — each person's n-th complaint of the month is counted once,
    # even when eight desks book them at the same moment.
    for staff_id in targets:
        nths = sorted(nth for who, _, nth in written if who == staff_id)
        assert nths == list(range(1, len(nths) + 1))
    assert _raw(db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.fine'") == [(len(written),)]


def test_two_desks_saving_the_same_ticket_version_the_second_is_refused_as_stale(
    desk, db_path, make_squad, make_staff, actor_of, desks
):
    from csdesk.services.tickets import take_in

    squad = make_squad("Lotus")
    agent = make_staff(squad=squad)
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    ticket = take_in(desk, actor_of(agent), Channel.PHONE, Category.INQUIRY, "Wang", "13812345678", "Refund", "")
    desks.start(workers.reply_at_version, str(db_path), agent.id, ticket.id, ticket.version, "agent's answer")
    desks.start(workers.reply_at_version, str(db_path), leader.id, ticket.id, ticket.version, "leader's answer")
    reports = desks.run(timeout=30)

    assert sorted(r["saved"] for r in reports) == [False, True]
    refused = next(r for r in reports if not r["saved"])
    assert "reload" in refused["stale"]
    replies = _raw(db_path, f"SELECT text FROM ticket_events WHERE ticket_id = {ticket.id} AND kind = 'reply'")
    assert len(replies) == 1  # the loser's text was not written over the winner's
    assert _raw(db_path, f"SELECT version FROM tickets WHERE id = {ticket.id}") == [(ticket.version + 1,)]


def test_a_desk_shut_out_past_the_deadline_is_told_plainly_and_nothing_is_saved(desk, db_path, floor):
    """A write waits, retries, then says so in one sentence; reading goes on meanwhile (WAL)."""
    import subprocess
    import sys

    from csdesk.db import DatabaseBusy
    from csdesk.services.base import Desk
    from csdesk.services.queues import Queue, queue_page
    from csdesk.services.tickets import claim
    from csdesk.store import open_database

    _forum_posts(desk, 1)
    impatient = Desk(open_database(db_path, busy_timeout=0.1, busy_deadline=0.6), desk.policy, desk.clock)
    agent = workers._actor(desk, floor[0].id)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, time\n"
            f"c = sqlite3.connect({str(db_path)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "c.execute('UPDATE squads SET name = name')\n"
            "print('locked', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as busy:
            claim(impatient, agent, 1)
        assert time.monotonic() - started < 5
        assert "busy" in str(busy.value) and "nothing was saved" in str(busy.value)
        assert "\n" not in str(busy.value) and "locked" not in str(busy.value)
        assert [row.ticket_id for row in queue_page(impatient, agent, Queue.FORUM)] == [1]
    finally:
        holder.kill()
        holder.wait(10)
        impatient.db.close()
    assert _raw(db_path, "SELECT owner_id FROM tickets") == [(None,)]
