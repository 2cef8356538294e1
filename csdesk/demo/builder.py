"""Builds the demo centre: four weeks of a 3-squad centre up to now, and the
roster of the weeks ahead, so a roll call and a swap can be tried at any hour.

Everything is inserted in ONE transaction with bulk inserts (rows are built
as plain dicts with their ids chosen here), which keeps the build well under
five seconds. Dates are relative to today in the centre's zone, and the
random choices come from one seeded generator, so the same seed on the same
day gives the same centre. Statuses, fines and timers come from the rules,
as they would in the desk.

Everybody's PIN is ``1234``: it is hashed once and the hash shared, since
argon2 is deliberately slow.
"""

from __future__ import annotations

import os
import sqlite3
import time as timer
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from csdesk.db import Database, DatabaseError, remove_abandoned
from csdesk.demo.centre import ORDER, DemoBuilder
from csdesk.demo.evaluation import add_evaluation_month
from csdesk.demo.inbox import add_inbox
from csdesk.demo.knowledge import add_knowledge
from csdesk.demo.people import (
    DEMO_PIN,
    SQUADS,
)
from csdesk.demo.quality import add_quality
from csdesk.demo.staffing import add_staffing
from csdesk.i18n import _
from csdesk.models import (
    AuditLog,
)
from csdesk.policy import Policy
from csdesk.progress import SILENT, Progress
from csdesk.rules.vocab import (
    Role,
)
from csdesk.services.auth import hash_pin
from csdesk.store import create_database, open_database

DEFAULT_SEED = 2026
BUILD_MARK = "demo.build"


def default_demo_path() -> Path:
    return platformdirs.user_data_path("csdesk", appauthor=False) / "demo.db"


@dataclass(frozen=True)
class SignIn:
    employee_number: str
    name: str
    role: Role
    squad: str
    pin: str


@dataclass(frozen=True)
class DemoCentre:
    path: Path
    seconds: float
    sign_ins: tuple[SignIn, ...]
    counts: dict[str, int] = field(default_factory=dict)

    def open(self) -> Database:
        return open_database(self.path)


# -- making room ---------------------------------------------------------------------


def _is_demo_file(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT 1 FROM audit_log WHERE action = ? LIMIT 1", (BUILD_MARK,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None


def _clear(path: Path) -> None:
    """Removes an earlier demo database; refuses any other file (a real centre's)."""
    if not path.exists():
        return
    if not _is_demo_file(path):
        raise DatabaseError(
            f"{path} exists and is not a demo database; the demo rebuilds only its own files: choose another --db"
        )
    _remove_files(path)


def _remove_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo(
    path: str | Path,
    policy: Policy,
    *,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    progress: Progress = SILENT,
) -> DemoCentre:
    """Builds (or rebuilds) the demo database at ``path``; returns where and what."""
    started = timer.perf_counter()
    target = Path(path).expanduser().absolute()
    _clear(target)
    builder = DemoBuilder(policy, seed, now or datetime.now(UTC))
    steps = (
        lambda: builder.staff(hash_pin(DEMO_PIN)),
        builder.roster,
        lambda: builder.attendance(builder.leave()),
        builder.swaps,
        builder.tickets,
        lambda: add_quality(builder),
        builder.ledger,
        builder.handover,
        builder.notices,
        builder.training,
        lambda: add_knowledge(builder),
        lambda: add_inbox(builder),
    )
    # The last step writes every row in one transaction.
    progress.stage(_("building the demo centre"), len(steps) + 1)
    for step in steps:
        step()
        progress.advance()

    # Built under a name of its own and moved into place only when complete: a build
    # killed part-way leaves no half-made file that the next build would refuse.
    remove_abandoned(target.parent, f".{target.name}.building-")
    building = target.with_name(f".{target.name}.building-{os.getpid()}.partial")
    _remove_files(building)
    db = create_database(building)
    try:
        with db.write() as session:
            builder.rows.insert_all(session)
            add_staffing(builder, session)
            add_evaluation_month(builder, session)
            session.add(
                AuditLog(
                    at=builder.now,
                    actor_id=None,
                    action=BUILD_MARK,
                    entity="centre",
                    entity_id=str(seed),
                    before=None,
                    after={"seed": seed, "today": builder.today.isoformat()},
                )
            )
        progress.advance()
    except BaseException:
        db.close()
        _remove_files(building)
        raise
    db.close()  # the last connection: SQLite folds the WAL back into the file
    _clear(target)
    os.replace(building, target)
    _remove_files(building)

    squads = {i: name for i, (name, *_) in enumerate(SQUADS)}
    sign_ins = tuple(
        SignIn(p.number, p.name, p.role, squads.get(p.squad_index, "") if p.squad_index is not None else "", DEMO_PIN)
        for p in builder.people
    )
    counts = {model.__tablename__: builder.rows.count(model) for model in ORDER}
    return DemoCentre(target, timer.perf_counter() - started, sign_ins, counts)
