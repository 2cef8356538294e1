"""Entry points of the desk processes the reliability tests start.

They live in an importable module because the tests start processes with the
"spawn" method: a fresh interpreter that imports its target by name, like a
second desk on another terminal would start.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

T0 = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


def _desk(db_path: str, clock_at: datetime = T0) -> Any:
    from csdesk.policy import default_policy
    from csdesk.services.base import Desk, FixedClock
    from csdesk.store import open_database

    return Desk(db=open_database(db_path), policy=default_policy(), clock=FixedClock(clock_at))


def _actor(desk: Any, staff_id: int) -> Any:
    from csdesk.models import Staff
    from csdesk.services.base import Actor

    with desk.read() as session:
        return Actor.of(session.get(Staff, staff_id))


def count_busy_retries(db: Any, stats: dict[str, int]) -> None:
    """Counts every busy answer the database's retry loop absorbs (instrumentation only)."""
    from sqlalchemy.exc import OperationalError

    from csdesk.db import _is_busy

    retry = db._retry_busy

    def counted(attempt: Any) -> Any:
        def observed() -> Any:
            try:
                return attempt()
            except OperationalError as exc:
                if _is_busy(exc):
                    stats["retries"] += 1
                raise

        return retry(observed)

    db._retry_busy = counted


def _wait_for(start_file: str, limit: float = 60.0) -> None:
    """Says "ready" next to the go file, then waits for go: every desk starts at once."""
    Path(f"{start_file}.ready.{os.getpid()}").touch()
    deadline = time.monotonic() + limit
    while not os.path.exists(start_file):
        if time.monotonic() > deadline:
            raise TimeoutError("the test never said go")
        time.sleep(0.005)


def _report(out: str, result: dict[str, Any]) -> None:
    Path(out + ".tmp").write_text(json.dumps(result))
    os.replace(out + ".tmp", out)


def claim_until_empty(db_path: str, staff_id: int, budget: float, start_file: str, out: str) -> None:
    """Takes tickets from the head of the forum queue until it is empty."""
    from csdesk.services.base import ServiceError
    from csdesk.services.queues import Queue, queue_page
    from csdesk.services.tickets import claim

    desk = _desk(db_path)
    stats = {"retries": 0}
    count_busy_retries(desk.db, stats)
    actor = _actor(desk, staff_id)
    rng = random.Random(staff_id)
    claimed: list[int] = []
    conflicts = 0
    errors: list[str] = []
    _wait_for(start_file)
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        try:
            # Like a person at a desk: look at the top of the queue, pick cases from it.
            page = [row.ticket_id for row in queue_page(desk, actor, Queue.FORUM, limit=40)]
        except Exception as exc:  # reported to the test, which fails on any
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        if not page:
            break
        rng.shuffle(page)
        for ticket_id in page[:10]:
            try:
                claimed.append(claim(desk, actor, ticket_id).id)
            except ServiceError as exc:
                if "TK-9" in exc.rule_ids:
                    conflicts += 1  # another desk won it: the refusal a user is meant to see
                else:
                    errors.append(f"{type(exc).__name__}: {exc}")
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    desk.db.close()
    _report(out, {"claimed": claimed, "conflicts": conflicts, "retries": stats["retries"], "errors": errors})


def naive_claim_until_empty(db_path: str, staff_id: int, budget: float, start_file: str, out: str) -> None:
    """The bug the real claim avoids: a DEFERRED transaction that reads, then writes."""
    conn = sqlite3.connect(db_path, timeout=0.2, isolation_level=None)
    claimed: list[int] = []
    errors: list[str] = []
    _wait_for(start_file)
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        try:
            free = [r[0] for r in conn.execute("SELECT id FROM tickets WHERE owner_id IS NULL ORDER BY id LIMIT 16")]
            if not free:
                break
            ticket_id = random.choice(free)
            conn.execute("BEGIN")
            (owner,) = conn.execute("SELECT owner_id FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
            if owner is None:
                conn.execute("UPDATE tickets SET owner_id = ?, status = 'claimed' WHERE id = ?", (staff_id, ticket_id))
                conn.execute("COMMIT")
                claimed.append(ticket_id)
            else:
                conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            errors.append(str(exc))
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    conn.close()
    _report(out, {"claimed": claimed, "conflicts": 0, "retries": 0, "errors": errors})


def naive_pg_claim_until_empty(db_url: str, staff_id: int, budget: float, start_file: str, out: str) -> None:
    """The same bug on PostgreSQL: READ COMMITTED, read the owner, then write it, with
    neither the conditional UPDATE nor the writers' lock. A second desk's UPDATE waits
    for the first one's row lock, then overwrites its owner."""
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = psycopg.connect(plain, connect_timeout=10)
    rng = random.Random(staff_id)
    claimed: list[int] = []
    errors: list[str] = []
    _wait_for(start_file)
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        try:
            free = [r[0] for r in conn.execute("SELECT id FROM tickets WHERE owner_id IS NULL ORDER BY id LIMIT 16")]
            conn.commit()
            if not free:
                break
            ticket_id = rng.choice(free)
            (owner,) = conn.execute("SELECT owner_id FROM tickets WHERE id = %s", (ticket_id,)).fetchone()
            if owner is None:
                conn.execute(
                    "UPDATE tickets SET owner_id = %s, status = 'claimed' WHERE id = %s", (staff_id, ticket_id)
                )
                conn.commit()
                claimed.append(ticket_id)
            else:
                conn.rollback()
        except psycopg.Error as exc:
            errors.append(str(exc))
            conn.rollback()
    conn.close()
    _report(out, {"claimed": claimed, "conflicts": 0, "retries": 0, "errors": errors})


def record_fines(db_path: str, director_id: int, staff_ids: list[int], count: int, start_file: str, out: str) -> None:
    """Books ``count`` escalating complaint fines spread over ``staff_ids``."""
    from csdesk.rules.fines import Offence
    from csdesk.services.ledger import record_fine

    desk = _desk(db_path)
    stats = {"retries": 0}
    count_busy_retries(desk.db, stats)
    actor = _actor(desk, director_id)
    written: list[tuple[int, int, int]] = []
    errors: list[str] = []
    _wait_for(start_file)
    for k in range(count):
        staff_id = staff_ids[k % len(staff_ids)]
        try:
            result = record_fine(desk, actor, staff_id, Offence.COMPLAINT, f"complaint {k}")
            written.append((staff_id, result.amount_cents, result.nth_this_month))
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    desk.db.close()
    _report(out, {"written": written, "retries": stats["retries"], "errors": errors})


def reply_at_version(
    db_path: str, staff_id: int, ticket_id: int, version: int, text: str, start_file: str, out: str
) -> None:
    """Saves a reply made from a form that showed ``version``."""
    from csdesk.services.base import StaleEdit
    from csdesk.services.tickets import reply

    desk = _desk(db_path)
    actor = _actor(desk, staff_id)
    _wait_for(start_file)
    try:
        view = reply(desk, actor, ticket_id, text, expected_version=version)
        result = {"saved": True, "version": view.version}
    except StaleEdit as exc:
        result = {"saved": False, "stale": str(exc)}
    desk.db.close()
    _report(out, result)


def close_roll_call_and_hang(
    db_path: str, leader_id: int, session_id: int, clock_at: str, pause_after: int, start_file: str, out: str
) -> None:
    """Closes a roll call but stops, mid-transaction, after ``pause_after`` attendance rows.

    The pause is made by wrapping the module's ``audit`` in this process only:
    the test then kills the process, as a power cut or a killed terminal would.
    """
    from csdesk.services import rollcall

    desk = _desk(db_path, datetime.fromisoformat(clock_at))
    actor = _actor(desk, leader_id)
    real_audit = rollcall.audit
    written = 0

    def audit_then_maybe_hang(session: Any, who: Any, action: str, *args: Any, **kwargs: Any) -> Any:
        nonlocal written
        row = real_audit(session, who, action, *args, **kwargs)
        if action == "attendance.record":
            written += 1
            if written == pause_after:
                session.flush()  # the rows so far are in the database file's journal
                Path(out + ".paused").touch()
                time.sleep(60)
        return row

    rollcall.audit = audit_then_maybe_hang
    _wait_for(start_file)
    rollcall.close_roll_call(desk, actor, session_id)
    _report(out, {"closed": True})


def sign_in_attempts(db_path: str, employee_number: str, pins: list[str], start_file: str, out: str) -> None:
    """Tries each PIN in turn at another desk; reports each outcome."""
    from csdesk.services.auth import sign_in
    from csdesk.services.base import ServiceError

    desk = _desk(db_path)
    _wait_for(start_file)
    outcomes = []
    for pin in pins:
        try:
            sign_in(desk, employee_number, pin)
            outcomes.append("signed in")
        except ServiceError as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")
    desk.db.close()
    _report(out, {"outcomes": outcomes})


def keep_writing(db_path: str, start_file: str, out: str) -> None:
    """Adds squads "squad 1", "squad 2", … until told to stop; after each commit the
    number of the last committed one is in ``out``."""
    from csdesk.models import Squad
    from csdesk.store import open_database

    db = open_database(db_path)
    _wait_for(start_file)
    stop = Path(start_file + ".stop")
    n = 0
    deadline = time.monotonic() + 60
    while not stop.exists() and time.monotonic() < deadline:
        n += 1
        with db.write() as session:
            session.add(Squad(name=f"squad {n}"))
        Path(out + ".tmp").write_text(str(n))
        os.replace(out + ".tmp", out)
    db.close()
    _report(out, {"last": n})
