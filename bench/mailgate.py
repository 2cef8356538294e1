"""The mailgate under a burst of mail, and the desk's claims while it runs.

A fresh centre takes 1,000 real-shaped messages (GBK, GB18030, Big5, HTML-only,
attachments; one in five answers an earlier one) through ``csdesk mailgate``:

* ``csdesk mailgate --maildir``: one process takes every message a fetcher
  (getmail, fetchmail, Postfix's own Maildir delivery) left in a Maildir, each
  in its own transaction and moved to ``cur/`` once committed; the process's
  whole life is timed, its start included. The issue's figure;
* through the mailgate's function (``services.mail.receive``) on one open desk;
* in one process, calling the command's ``main`` once per message as a test or
  a fetcher loop would (each call reads its command line and the policy and
  takes the message in one transaction; the database opened for the first
  message serves the next), with a desk open on the database as during a shift;
* one process per message, as Postfix's pipe to the command runs it, one at a
  time and two at a time (the machine has two cores), on a smaller count;
* a claim (``services.tickets.claim``) every 20 ms from another process while a
  second burst of 1,000 runs through ``--maildir``: its p95 against claims on an
  idle desk.

Floors measured in the same run: one durable single-row commit per message with
plain ``sqlite3`` (WAL, synchronous=FULL) for the rates of one process; for a
process per message, ``python -c pass`` and a process importing only what any
SQLModel program imports (SQLModel, SQLAlchemy's ORM, the policy's pydantic
models). Child processes run with their bytecode cached, as an installed
package's is (a scratch ``PYTHONPYCACHEPREFIX``), so a source tree run without
``.pyc`` files is not charged for compiling csdesk at every start.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.actions import summary

MESSAGES = 1000
PROCESS_MESSAGES = 100
CLAIM_EVERY_S = 0.02
SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "mail" / "samples"
_SHAPES = (
    "gbk_foxmail.eml",
    "gb18030_alternative.eml",
    "big5_outlook.eml",
    "html_only.eml",
    "alternative_with_attachment.eml",
)


def messages(count: int, start: int = 0) -> list[bytes]:
    """``count`` distinct messages; every fifth answers the one five before it."""
    shapes = [(SAMPLES / name).read_bytes() for name in _SHAPES]
    made = []
    for n in range(start, start + count):
        raw = shapes[n % len(shapes)]
        head, _sep, rest = raw.partition(b"Message-ID: <")
        rest = rest.partition(b">")[2]
        headers = f"Message-ID: <bench-{n}@customers.example>".encode()
        if n % 5 == 4 and n - 5 >= start:
            headers += f"\r\nIn-Reply-To: <bench-{n - 5}@customers.example>".encode()
        made.append(head + headers + rest)
    return made


def _gate_in_process(db: str, batch: list[bytes]) -> float:
    from csdesk.cli import main

    started = time.perf_counter()
    stdin = sys.stdin
    sink = io.StringIO()
    try:
        for raw in batch:
            sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
            saved, sys.stdout = sys.stdout, sink
            try:
                code = main(["--db", db, "--lang", "en", "mailgate", "--queue", "email"])
            finally:
                sys.stdout = saved
            if code != 0:
                raise RuntimeError(f"mailgate exited {code}")
    finally:
        sys.stdin = stdin
    return time.perf_counter() - started


def _gate_function(db: str, batch: list[bytes]) -> float:
    """The mailgate's function on one open desk, as a long-running fetcher would call it."""
    from csdesk.policy import default_policy
    from csdesk.services.base import Desk
    from csdesk.services.mail import receive
    from csdesk.store import open_database

    with open_database(db) as database:
        desk = Desk(db=database, policy=default_policy())
        started = time.perf_counter()
        for raw in batch:
            receive(desk, raw)
        return time.perf_counter() - started


def _child_env(scratch: Path) -> dict[str, str]:
    """The environment of a child process: English, bytecode cached as an installed package's is."""
    env = {**os.environ, "CSDESK_LANG": "en", "PYTHONPYCACHEPREFIX": str(scratch / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _csdesk() -> str:
    return str(Path(sys.executable).with_name("csdesk"))


def _fill_maildir(folder: Path, batch: list[bytes]) -> Path:
    """A Maildir as a fetcher leaves it: every message in new/, named in arrival order."""
    shutil.rmtree(folder, ignore_errors=True)
    for part in ("tmp", "new", "cur"):
        (folder / part).mkdir(parents=True)
    for n, raw in enumerate(batch):
        (folder / "new" / f"{1773000000 + n}.M{n}P1.bench").write_bytes(raw)
    return folder


def _gate_maildir(db: str, folder: Path, env: dict[str, str]) -> float:
    """One ``csdesk mailgate --maildir`` process taking every message; its whole life, start included."""
    started = time.perf_counter()
    done = subprocess.run(
        [_csdesk(), "--db", db, "--quiet", "mailgate", "--queue", "email", "--maildir", str(folder)],
        capture_output=True,
        env=env,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0 or any((folder / "new").iterdir()):
        raise RuntimeError(f"mailgate --maildir exited {done.returncode}: {done.stderr.decode(errors='replace')}")
    return seconds


def _gate_processes(db: str, batch: list[bytes], workers: int, env: dict[str, str]) -> float:
    csdesk = _csdesk()

    def one(raw: bytes) -> None:
        done = subprocess.run(
            [csdesk, "--db", db, "mailgate", "--queue", "email"], input=raw, capture_output=True, env=env, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace"))

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, batch))
    return time.perf_counter() - started


def _floor_commits(folder: Path, count: int) -> float:
    path = folder / "floor.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE mail (id INTEGER PRIMARY KEY, message_id TEXT UNIQUE, body TEXT)")
    body = base64.b64encode(os.urandom(1500)).decode()
    started = time.perf_counter()
    for n in range(count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO mail (message_id, body) VALUES (?, ?)", (f"m{n}", body))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


# What any process of a SQLModel program imports before it does anything of its own.
_ORM_IMPORTS = "import sqlmodel, sqlalchemy.orm, csdesk.policy"


def _floor_processes(count: int, env: dict[str, str], code: str = "pass") -> float:
    subprocess.run([sys.executable, "-c", code], check=True, env=env)  # its bytecode written once
    started = time.perf_counter()
    for _ in range(count):
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - started


def _centre(folder: Path) -> tuple[str, str]:
    """A fresh centre with one agent; returns the database path and the agent's number."""
    from datetime import date

    from csdesk.models import Staff
    from csdesk.rules.vocab import Grade, Role, StaffStatus
    from csdesk.store import create_database

    path = folder / "centre.db"
    db = create_database(path)
    with db.write() as session:
        session.add(
            Staff(
                employee_number="1110",
                real_name="王芳",
                role=Role.AGENT,
                grade=Grade.JUNIOR,
                status=StaffStatus.FORMAL,
                hire_date=date(2024, 1, 15),
            )
        )
    db.close()
    return str(path), "1110"


def _claims(db: str, number: str, stop: threading.Event | None, count: int) -> list[float]:
    """Claims of waiting email tickets, one every 20 ms, until ``stop`` (or ``count`` done)."""
    from sqlmodel import col, select

    from csdesk.models import Staff, Ticket
    from csdesk.policy import default_policy
    from csdesk.rules.vocab import TicketStatus
    from csdesk.services.base import Actor, Desk
    from csdesk.services.tickets import claim
    from csdesk.store import open_database

    database = open_database(db)
    desk = Desk(db=database, policy=default_policy())
    with desk.read() as session:
        actor = Actor.of(session.exec(select(Staff).where(Staff.employee_number == number)).one())
    times: list[float] = []
    while (stop is None and len(times) < count) or (stop is not None and not stop.is_set()):
        with desk.read() as session:
            waiting = session.exec(
                select(Ticket.id).where(Ticket.status == TicketStatus.NEW).order_by(col(Ticket.id)).limit(1)
            ).first()
        if waiting is None:
            break
        started = time.perf_counter()
        claim(desk, actor, waiting)
        times.append(time.perf_counter() - started)
        time.sleep(CLAIM_EVERY_S)
    database.close()
    return times


def _rate(seconds: float, count: int) -> dict[str, float]:
    return {"seconds": round(seconds, 2), "per_s": round(count / seconds, 1)}


def run(count: int = MESSAGES, process_count: int = PROCESS_MESSAGES) -> dict[str, Any]:
    out: dict[str, Any] = {"messages": count, "process_messages": process_count}
    with tempfile.TemporaryDirectory(prefix="csdesk-bench-mail-") as scratch:
        folder = Path(scratch)
        env = _child_env(folder)
        db, agent = _centre(folder)
        from csdesk.store import open_database

        # A desk open on the centre, as through a shift: its live refresh holds a connection.
        desk_open = open_database(db)
        desk_open.data_version()
        # The children's bytecode is written before anything is timed.
        subprocess.run([_csdesk(), "--version"], check=True, capture_output=True, env=env)
        _gate_processes(db, messages(1, 10 * count), 1, env)

        maildir = _fill_maildir(folder / "Maildir", messages(count))
        out["maildir"] = _rate(_gate_maildir(db, maildir, env), count)
        out["function"] = _rate(_gate_function(db, messages(count, count)), count)
        out["in_process"] = _rate(_gate_in_process(db, messages(count, 2 * count)), count)
        out["floor_commits"] = _rate(_floor_commits(folder, count), count)

        idle = _claims(db, agent, None, 100)
        out["claim_idle"] = summary(idle)
        stop = threading.Event()
        during: list[float] = []
        claimer = threading.Thread(target=lambda: during.extend(_claims(db, agent, stop, 0)))
        # The burst in a process of its own, as a fetcher's run beside the desks.
        maildir = _fill_maildir(folder / "Maildir", messages(count, 3 * count))
        claimer.start()
        try:
            burst_seconds = _gate_maildir(db, maildir, env)
        finally:
            stop.set()
            claimer.join()
        out["maildir_with_claims"] = _rate(burst_seconds, count)
        out["claim_during_burst"] = summary(during)

        more = messages(2 * process_count, 4 * count)
        out["process_per_message"] = _rate(_gate_processes(db, more[:process_count], 1, env), process_count)
        out["process_per_message_2_at_once"] = _rate(_gate_processes(db, more[process_count:], 2, env), process_count)
        out["floor_python_start"] = _rate(_floor_processes(20, env), 20)
        out["floor_orm_start"] = _rate(_floor_processes(20, env, _ORM_IMPORTS), 20)
        desk_open.close()
        with open_database(db) as database, database.engine.connect() as conn:
            out["tickets"] = conn.exec_driver_sql("SELECT count(*) FROM tickets").scalar_one()
            out["messages_recorded"] = conn.exec_driver_sql("SELECT count(*) FROM mail_messages").scalar_one()
    return out
