"""A centre of real size for the speed figures: a year of a 500-agent floor.

At ``scale=1``: 50 squads (500 agents, 50 leaders, 50 deputies, 3 managers),
a year of roster with attendance and roll calls (about 180,000 shifts),
1,000,000 tickets with their timelines, 20,000 ledger entries and a handover
per squad and day. ``scale`` shrinks squads, tickets and ledger together.

The schema comes from ``csdesk.store.create_database`` (head revision, with
its triggers); rows then go in through raw ``sqlite3`` ``executemany`` in one
transaction, with the secondary indexes of the big tables and the tables' change
mark triggers dropped during the load and rebuilt from their own stored DDL
afterwards. The journal and sync
pragmas are relaxed for the load only: the finished file is back in WAL mode
like any desk database. No ANALYZE: the desk never runs it, and with its
statistics SQLite would plan the open-ticket queries differently (a scan of
``tickets`` for ``status IN (open statuses)``) than on a real desk file.

The result is cached by scale; ``build(..., rebuild=True)`` replaces it.
"""

from __future__ import annotations

import random
import sqlite3
import time as timer
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from csdesk.store import head_revision

CACHE = Path(__file__).resolve().parent / "cache"
# Everyone in the centre signs in with this PIN.
PIN = "1234"
SEED = 2026
DAYS = 364
SQUADS = 50
AGENTS_PER_SQUAD = 10
TICKETS = 1_000_000
LEDGER = 20_000
# Tickets received in the last OPEN_DAYS days are still being worked on.
OPEN_DAYS = 7
BUILD_MARK = "bench.bigcentre"
BIG_TABLES = (
    "roster",
    "attendance",
    "roll_call_sessions",
    "roll_call_entries",
    "tickets",
    "ticket_events",
    "ledger",
    "handover_logs",
    "return_visits",
)


@dataclass(frozen=True)
class Centre:
    path: Path
    seconds: float
    built: bool
    counts: dict[str, int]
    # Employee numbers to act as.
    director: str
    leader: str
    agent: str
    squad_id: int
    today: date


def default_path(scale: float, agents_per_squad: int = AGENTS_PER_SQUAD, days: int = DAYS) -> Path:
    return CACHE / f"bigcentre-s{scale:g}-a{agents_per_squad}-d{days}.db"


def _ts(moment: datetime) -> str:
    # How SQLAlchemy's SQLite DateTime stores a naive UTC value (see csdesk.models.base).
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def build(
    scale: float = 1.0,
    *,
    rebuild: bool = False,
    agents_per_squad: int = AGENTS_PER_SQUAD,
    days: int = DAYS,
    tickets: int | None = None,
    path: Path | None = None,
    now: datetime | None = None,
) -> Centre:
    """The cached centre for ``scale``, built first if missing (or when ``rebuild``)."""
    target = path or default_path(scale, agents_per_squad, days)
    if target.exists() and not rebuild:
        info = _read_mark(target)
        # A centre cached by an older csdesk lacks the newer schema's indexes: build anew.
        if info is not None and info.get("revision") == head_revision():
            return Centre(
                target,
                0.0,
                False,
                info["counts"],
                info["director"],
                info["leader"],
                info["agent"],
                info["squad_id"],
                date.fromisoformat(info["today"]),
            )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = timer.perf_counter()
    squads = max(1, round(SQUADS * scale))
    n_tickets = int(TICKETS * scale) if tickets is None else tickets
    n_ledger = int(LEDGER * scale)
    gen = _Generator(squads, agents_per_squad, days, n_tickets, n_ledger, now or datetime.now(UTC))
    gen.run(target)
    seconds = timer.perf_counter() - started
    info = _read_mark(target)
    assert info is not None
    return Centre(
        target,
        seconds,
        True,
        info["counts"],
        info["director"],
        info["leader"],
        info["agent"],
        info["squad_id"],
        date.fromisoformat(info["today"]),
    )


def _read_mark(path: Path) -> dict[str, Any] | None:
    import json

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT after FROM audit_log WHERE action = ? LIMIT 1", (BUILD_MARK,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


class _Generator:
    def __init__(self, squads: int, per_squad: int, days: int, tickets: int, ledger: int, now: datetime) -> None:
        from csdesk.policy import load_policy

        self.policy = load_policy(None)
        self.zone = self.policy.zone
        self.rng = random.Random(SEED)
        self.now = now.astimezone(UTC)
        self.today = self.now.astimezone(self.zone).date()
        monday = self.today - timedelta(days=self.today.weekday())
        # A year back, and the current week ahead so today's roll call has a roster.
        self.days = [monday + timedelta(days=7 - days + i) for i in range(days)]
        self.n_squads, self.per_squad = squads, per_squad
        self.n_tickets, self.n_ledger = tickets, ledger
        self.counts: dict[str, int] = {}

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def insert(self, conn: sqlite3.Connection, table: str, columns: str, rows: Any) -> None:
        names = [c.strip() for c in columns.split(",")]
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        cursor = conn.executemany(sql, rows)
        self.counts[table] = self.counts.get(table, 0) + cursor.rowcount

    def run(self, target: Path) -> None:
        from csdesk.store import create_database

        create_database(target).close()
        conn = sqlite3.connect(target, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA cache_size = -400000")
            conn.execute("PRAGMA temp_store = MEMORY")
            placeholders = ",".join("?" * len(BIG_TABLES))
            indexes = conn.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({placeholders})",
                BIG_TABLES,
            ).fetchall()
            # The change marks' triggers too: each would bump its table's mark per row loaded.
            marks = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_changed_*'"
            ).fetchall()
            conn.execute("BEGIN")
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            for name, _ in marks:
                conn.execute(f'DROP TRIGGER "{name}"')
            self.people(conn)
            self.roster(conn)
            self.tickets(conn)
            self.ledger(conn)
            self.handover(conn)
            for _, sql in (*indexes, *marks):
                conn.execute(sql)
            self.mark(conn)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()

    # -- people -----------------------------------------------------------------------

    def people(self, conn: sqlite3.Connection) -> None:
        from csdesk.rules.vocab import ShiftKind
        from csdesk.services.auth import hash_pin

        pin = hash_pin(PIN)
        self.shift_ids = {}
        for index, kind in enumerate(ShiftKind, start=1):
            d = self.policy.shifts.of(kind)
            conn.execute(
                "INSERT INTO shift_definitions (id, code, kind, start_time, end_time, ends_next_day) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    index,
                    kind.value,
                    kind.value,
                    d.start.strftime("%H:%M:%S.000000"),
                    d.end.strftime("%H:%M:%S.000000"),
                    int(d.crosses_midnight),
                ),
            )
            self.shift_ids[kind] = index
        staff = []
        hired = (self.today - timedelta(days=800)).isoformat()

        def person(number: str, name: str, role: str, squad: int | None, grade: str) -> int:
            staff.append(
                (
                    len(staff) + 1,
                    number,
                    name,
                    role,
                    grade,
                    squad,
                    "formal",
                    hired,
                    f"139{len(staff):08d}",
                    "1 Harbour Road",
                    "family",
                    pin,
                    0,
                )
            )
            return len(staff)

        person("1001", "周建国", "centre_director", None, "senior")
        person("1002", "María González", "department_director", None, "senior")
        person("1003", "陈静", "inspector", None, "senior")
        self.members: dict[int, list[int]] = {}
        self.leaders: dict[int, int] = {}
        self.agents: list[int] = []
        squads = []
        for s in range(1, self.n_squads + 1):
            squads.append((s, f"Squad {s:02d}", None))
            base = 20000 + s * 100
            lead = person(f"{base + 1}", f"组长{s:02d}", "squad_leader", s, "senior")
            deputy = person(f"{base + 2}", f"Deputy {s:02d}", "deputy_leader", s, "senior")
            self.leaders[s] = lead
            self.members[s] = [lead, deputy]
            for k in range(self.per_squad):
                grade = ("junior", "intermediate", "intermediate", "senior")[k % 4]
                name = f"坐席{s:02d}-{k:02d}" if k % 2 else f"Agent {s:02d}-{k:02d}"
                agent = person(f"{base + 10 + k}", name, "agent", s, grade)
                self.members[s].append(agent)
                self.agents.append(agent)
        self.insert(conn, "squads", "id, name, leader_id", squads)
        self.insert(
            conn,
            "staff",
            "id, employee_number, real_name, role, grade, squad_id, status, hire_date, "
            "phone, address, emergency_contact, pin_hash, failed_pin_count",
            staff,
        )
        conn.executemany(
            "UPDATE squads SET leader_id = ? WHERE id = ?", [(lead, s) for s, lead in self.leaders.items()]
        )
        self.staff_numbers = {row[0]: row[1] for row in staff}

    def kind_for(self, squad: int, day: date) -> Any:
        from csdesk.rules.vocab import ShiftKind

        if squad % 3 == 1:
            return ShiftKind.DAY
        if squad % 3 == 2:
            return ShiftKind.NIGHT
        return ShiftKind.DAY if day.isocalendar().week % 2 == 0 else ShiftKind.NIGHT

    # -- roster, attendance, roll call -------------------------------------------------

    def roster(self, conn: sqlite3.Connection) -> None:
        from csdesk.rules.attendance import classify_arrival
        from csdesk.rules.shifts import shift_window

        rng, now = self.rng, self.now
        windows = {(day, kind): shift_window(day, kind, self.policy) for day in self.days for kind in self.shift_ids}
        roster, attendance, sessions, entries = [], [], [], []
        roster_id = attendance_id = session_id = entry_id = 0
        for s, members in self.members.items():
            for day_index, day in enumerate(self.days):
                kind = self.kind_for(s, day)
                window = windows[(day, kind)]
                past = window.start <= now
                if past:
                    session_id += 1
                    closed = window.start + timedelta(minutes=2)
                    sessions.append(
                        (
                            session_id,
                            s,
                            day.isoformat(),
                            self.shift_ids[kind],
                            self.leaders[s],
                            _ts(window.start - timedelta(minutes=10)),
                            _ts(closed) if closed <= now else None,
                        )
                    )
                for position, member in enumerate(members):
                    if (day_index + position) % 7 == 6:  # SC-2: six on, one off
                        continue
                    roster_id += 1
                    roster.append((roster_id, member, day.isoformat(), self.shift_ids[kind], 0))
                    if not past:
                        continue
                    roll = rng.random()
                    if roll < 0.004:
                        arrived = None
                    elif roll < 0.05:
                        arrived = window.start + timedelta(minutes=rng.randint(2, 18))
                    else:
                        arrived = window.start - timedelta(minutes=rng.randint(2, 14))
                    arrival = classify_arrival(window, arrived, self.policy, None)
                    left = None
                    if arrived is not None and window.end <= now:
                        left = _ts(window.end + timedelta(minutes=rng.randint(0, 8)))
                    attendance_id += 1
                    attendance.append(
                        (
                            attendance_id,
                            member,
                            roster_id,
                            _ts(arrived) if arrived else None,
                            left,
                            arrival.status.value,
                            arrival.minutes_late,
                        )
                    )
                    entry_id += 1
                    entries.append(
                        (
                            entry_id,
                            session_id,
                            member,
                            arrival.status.value,
                            _ts(arrived) if arrived else None,
                            arrival.minutes_late,
                            '["' + '","'.join(arrival.decision.rule_ids) + '"]',
                        )
                    )
        self.insert(conn, "roster", "id, staff_id, work_date, shift_id, holiday_duty", roster)
        self.insert(
            conn, "roll_call_sessions", "id, squad_id, work_date, shift_id, leader_id, opened_at, closed_at", sessions
        )
        self.insert(
            conn, "attendance", "id, staff_id, roster_id, clock_in, clock_out, status, minutes_late", attendance
        )
        self.insert(
            conn, "roll_call_entries", "id, session_id, staff_id, status, arrived_at, minutes_late, rule_ids", entries
        )

    # -- tickets ----------------------------------------------------------------------

    def tickets(self, conn: sqlite3.Connection) -> None:
        from csdesk.rules.tickets import sla_timers
        from csdesk.rules.vocab import Category, Channel

        rng, now = self.rng, self.now
        channels, categories = list(Channel), list(Category)
        # The SLA is a fixed offset per channel and category; the rules give it once each.
        offsets = {}
        for ch in channels:
            for cat in categories:
                due = [t.due_at for t in sla_timers(ch, cat, now, self.policy)]
                offsets[(ch, cat)] = (min(due) - now) if due else None
        subjects = [
            "Invoice for last month",
            "How do I change my plan?",
            "Refund not received",
            "App crashes at login",
            "Suggest a night delivery slot",
            "Register a shop account",
            "退款进度查询",
            "订单没有收到",
            "账号无法登录",
        ]
        agents = self.agents
        first = self.local(self.days[0], 0)
        # Tickets arrive up to a minute before "now", whatever the weekday, so the last
        # OPEN_DAYS always hold open work for the queue and claim figures.
        total_seconds = int((now - first).total_seconds()) - 60
        open_since = now - timedelta(days=OPEN_DAYS)
        ticket_cols = (
            "id, channel, category, customer_name, customer_contact, subject, body, status, owner_id, "
            "escalation_level, received_at, dispatched_at, first_reply_at, resolved_at, sla_due, "
            "promised_at, special_request, version"
        )
        event_cols = "ticket_id, at, actor_id, kind, text"
        chunk = 50_000
        # Received times in order, so ids grow with time as in a real centre.
        moments = sorted(rng.randrange(total_seconds) for _ in range(self.n_tickets))
        visits = []
        for start in range(0, self.n_tickets, chunk):
            rows, events = [], []
            for n in range(start, min(start + chunk, self.n_tickets)):
                tid = n + 1
                received = first + timedelta(seconds=moments[n], microseconds=n % 1000)
                ch = channels[n % 4]
                cat = categories[(n // 4) % 5]
                rec = _ts(received)
                owner = agents[rng.randrange(len(agents))]
                first_reply = received + timedelta(minutes=rng.randint(1, 15))
                dispatched = resolved = sla_due = None
                escalation = 0
                if received >= open_since:
                    status = ("new", "new", "claimed", "waiting_customer", "dispatched", "escalated", "resolved")[n % 7]
                else:
                    status = "closed" if n % 5 else "resolved"
                offset = offsets[(ch, cat)]
                events.append((tid, rec, None, "created", f"received by {ch.value}"))
                if status == "new":
                    owner, first_reply = None, None
                    sla_due = _ts(received + offset) if offset is not None else None
                else:
                    number = self.staff_numbers[owner]
                    events.append(
                        (tid, _ts(received + timedelta(minutes=1)), owner, "claimed", f"claimed by No. {number}")
                    )
                    events.append((tid, _ts(first_reply), owner, "reply", "first answer sent"))
                    if status == "dispatched":
                        dispatched = received + timedelta(minutes=30)
                        sla_due = _ts(dispatched + timedelta(hours=24))
                        events.append((tid, _ts(dispatched), owner, "dispatched", "sent to the back office"))
                    elif status == "escalated":
                        escalation = 1
                        events.append(
                            (
                                tid,
                                _ts(received + timedelta(minutes=20)),
                                owner,
                                "escalated",
                                "escalated to the squad leader: customer insists on compensation",
                            )
                        )
                    elif status in ("resolved", "closed"):
                        resolved = min(received + timedelta(hours=rng.randint(1, 30)), now)
                        events.append((tid, _ts(resolved), owner, "resolved", "solution given to the customer"))
                        if resolved >= now - timedelta(days=14):
                            due = resolved + timedelta(days=2)
                            visits.append(
                                (
                                    tid,
                                    _ts(due),
                                    _ts(resolved + timedelta(days=1)) if due < now or n % 3 else None,
                                    1 if n % 3 else None,
                                    "",
                                )
                            )
                rows.append(
                    (
                        tid,
                        ch.value,
                        cat.value,
                        f"Customer {n % 9973}",
                        f"13{n % 1_000_000_000:09d}"
                        if ch in (Channel.PHONE, Channel.CHAT)
                        else f"customer{n}@example.com",
                        subjects[n % len(subjects)],
                        "Customer wrote in; details on file.",
                        status,
                        None if status == "new" else owner,
                        escalation,
                        rec,
                        _ts(dispatched) if dispatched else None,
                        _ts(first_reply) if first_reply else None,
                        _ts(resolved) if resolved else None,
                        sla_due,
                        None,
                        int(n % 23 == 0),
                        1,
                    )
                )
            self.insert(conn, "tickets", ticket_cols, rows)
            self.insert(conn, "ticket_events", event_cols, events)
        self.insert(conn, "return_visits", "ticket_id, due_at, done_at, satisfied, result", visits)

    # -- ledger, handover ------------------------------------------------------------

    def ledger(self, conn: sqlite3.Connection) -> None:
        rng = self.rng
        first = self.local(self.days[0], 9)
        seconds = int((self.now - first).total_seconds())
        rows = []
        for n in range(self.n_ledger):
            squad = rng.randint(1, self.n_squads)
            who = rng.choice(self.members[squad][2:] or self.members[squad])
            at = _ts(first + timedelta(seconds=rng.randrange(seconds)))
            if n % 10 == 9:
                rows.append(("reward", who, "FN-7", -5000, "praised by a customer", self.leaders[squad], at))
            elif n % 50 == 48:
                rows.append(("spending", None, "FN-8", -6000, "tea and fruit for the night shift", 2, at))
            else:
                rows.append(("fine", who, "FN-3", 5000, "customer complaint about tone", self.leaders[squad], at))
        rows.sort(key=lambda r: r[-1])
        self.insert(conn, "ledger", "kind, staff_id, rule_id, amount_cents, reason, recorded_by_id, at", rows)

    def handover(self, conn: sqlite3.Connection) -> None:
        rows = []
        for s, members in self.members.items():
            for day in self.days:
                kind = self.kind_for(s, day)
                written = self.local(day, 17 if kind.value == "day" else 23, 25)
                if written > self.now - timedelta(hours=1):
                    continue
                rows.append(
                    (
                        s,
                        day.isoformat(),
                        self.shift_ids[kind],
                        members[1],
                        members[0],
                        "all headsets working",
                        "none",
                        "quiet shift",
                        _ts(written),
                        _ts(written + timedelta(minutes=8)),
                        members[0],
                    )
                )
        rows.sort(key=lambda r: r[8])
        self.insert(
            conn,
            "handover_logs",
            "squad_id, work_date, from_shift_id, outgoing_id, incoming_id, "
            "equipment, complaints, events, written_at, acknowledged_at, acknowledged_by_id",
            rows,
        )
        conn.execute(
            "INSERT INTO notices (title, body, author_id, published_at) VALUES (?, ?, ?, ?)",
            (
                "Refund window extended to 15 days",
                "Refunds are accepted within 15 days.",
                2,
                _ts(self.now - timedelta(days=1)),
            ),
        )

    def mark(self, conn: sqlite3.Connection) -> None:
        import json

        info = {
            "counts": self.counts,
            "director": "1002",
            "leader": self.staff_numbers[self.leaders[1]],
            "agent": self.staff_numbers[self.members[1][2]],
            "squad_id": 1,
            "today": self.today.isoformat(),
            "revision": head_revision(),
        }
        conn.execute(
            "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before, after) "
            "VALUES (?, NULL, ?, 'centre', '', NULL, ?)",
            (_ts(self.now), BUILD_MARK, json.dumps(info)),
        )


if __name__ == "__main__":
    import sys

    built = build(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0, rebuild=True)
    print(f"{built.path}: {built.seconds:.1f} s {built.counts}")
