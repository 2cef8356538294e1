"""Many desks on one server: what each commit in the centre costs every desk watching.

Real desk processes, each on its own pseudo-terminal, signed in and watching the
queues screen, as the README's deployment runs them. The bench first leaves them
idle, then changes the centre about once a second (a ticket taken in, then the
queue's most urgent ticket claimed at another desk), and reads each desk's processor
time and resident size from ``/proc``. The idle phase is the floor. Last, the centre
books fines about once a second, which no queue shows: those desks should stay still.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any

from bench.actions import p95
from bench.cold import ESCAPES

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
_FORUM_COUNT = re.compile(rb"(?:Forum|\xe8\xae\xba\xe5\x9d\x9b) (\d+)")


def _machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, all cores."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def _resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class _Desks:
    """N desk processes; a thread keeps their terminals drained so none blocks on output."""

    def __init__(self, db: str, as_number: str, count: int, stay: float) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []
        self._fds: list[int] = []
        self._ready: dict[int, int] = {}
        self.reports: dict[int, dict[str, Any]] = {}
        # Per terminal: every forum count drawn, with when.
        self.counts_drawn: dict[int, list[tuple[float, int]]] = {}
        # The tail of what each desk's terminal showed, to say why one ended early.
        self.last_output: dict[int, bytes] = {}
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
        for _ in range(count):
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            ready_r, ready_w = os.pipe()
            command = [sys.executable, "-m", "bench.start_child", "desk", "--ready-fd", str(ready_w)]
            command += ["--db", db, "--as", as_number, "--queues", "--stay", str(stay)]
            process = subprocess.Popen(
                command, stdin=slave, stdout=slave, stderr=slave, pass_fds=(ready_w,), cwd=ROOT, env=env
            )
            os.close(slave)
            os.close(ready_w)
            self.processes.append(process)
            self._fds += [master, ready_r]
            self._ready[ready_r] = process.pid
            self.counts_drawn[master] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        buffers: dict[int, bytes] = {}
        open_fds = set(self._fds)
        while open_fds and not self._stop.is_set():
            readable, _, _ = select.select(list(open_fds), [], [], 0.2)
            for fd in readable:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    open_fds.discard(fd)
                    continue
                if fd in self.counts_drawn:
                    self.last_output[fd] = (self.last_output.get(fd, b"") + chunk)[-4000:]
                    # A count split across two reads is seen whole with the tail of the last one.
                    tail = buffers.get(fd, b"")[-64:]
                    seen = tail + ESCAPES.sub(b"", chunk)
                    buffers[fd] = seen
                    at = time.monotonic()
                    for match in _FORUM_COUNT.finditer(seen):
                        if match.end() > len(tail):  # what lies wholly in the tail was noted before
                            self.counts_drawn[fd].append((at, int(match.group(1))))
                elif fd in self._ready:
                    buffers[fd] = buffers.get(fd, b"") + chunk
                    while b"\n" in buffers[fd]:
                        line, buffers[fd] = buffers[fd].split(b"\n", 1)
                        report = json.loads(line)
                        self.reports.setdefault(self._ready[fd], {})[report["stage"]] = report

    def wait_watching(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all("queues" in self.reports.get(p.pid, {}) for p in self.processes):
                return
            ended = next((i for i, p in enumerate(self.processes) if p.poll() is not None), None)
            if ended is not None:
                said = ESCAPES.sub(b"", self.last_output.get(self._fds[2 * ended], b"")).decode(errors="replace")
                raise RuntimeError(f"a desk ended before it showed the queues; its terminal's last words:\n{said}")
            time.sleep(0.2)
        raise TimeoutError("the desks did not all reach the queues screen")

    def seen_after(self, since: float, count: int) -> list[float | None]:
        """For each desk: seconds from ``since`` until it drew ``count``; None if it never did."""
        waits: list[float | None] = []
        for drawn in self.counts_drawn.values():
            at = next((t for t, c in list(drawn) if t >= since and c == count), None)
            waits.append(None if at is None else at - since)
        return waits

    def cpu(self) -> list[float]:
        return [_cpu_seconds(p.pid) for p in self.processes]

    def resident(self) -> list[float]:
        return [_resident_mb(p.pid) for p in self.processes]

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._stop.set()
        self._thread.join(timeout=2)
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)


def _change_the_centre(centre: Any, seconds: float) -> dict[str, Any]:
    """About one commit a second: a ticket taken in, then the most urgent one claimed.

    Returns the commits made, each intake's moment and the forum count after it (as the
    watching agent counts it), and each claim's duration."""
    from csdesk.cli import Context, acting_person
    from csdesk.rules.vocab import Category, Channel
    from csdesk.services.queues import Queue, queue_count, queue_page
    from csdesk.services.tickets import claim, take_in
    from csdesk.settings import resolve_settings

    ctx = Context(resolve_settings(str(centre.path)))
    desk = ctx.desk()
    taker = acting_person(ctx, centre.leader)
    watcher = acting_person(ctx, centre.agent)
    commits = 0
    intakes: list[tuple[float, int]] = []
    claims_ms: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tick = time.monotonic()
        if commits % 2 == 0:
            take_in(desk, taker, Channel.FORUM, Category.INQUIRY, "Zhang San", "13812345678", "Where is my parcel?", "")
            committed = time.monotonic()
            intakes.append((committed, queue_count(desk, watcher, Queue.FORUM).total))
        else:
            (first, *_) = queue_page(desk, taker, Queue.FORUM, 0, 1)
            started = time.perf_counter()
            claim(desk, taker, first.ticket_id)
            claims_ms.append(1000 * (time.perf_counter() - started))
        commits += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    ctx.close()
    return {"commits": commits, "intakes": intakes, "claims_ms": claims_ms}


def _other_work(centre: Any, seconds: float) -> int:
    """About one commit a second of the centre's work that no queue shows: a leader booking
    fines (the ledger, the audit log, the person's notifications). Returns the commits made."""
    from sqlmodel import select

    from csdesk.cli import Context, acting_person
    from csdesk.models import Staff
    from csdesk.rules.fines import Offence
    from csdesk.rules.vocab import Role
    from csdesk.services.ledger import record_fine
    from csdesk.settings import resolve_settings

    ctx = Context(resolve_settings(str(centre.path)))
    desk = ctx.desk()
    leader = acting_person(ctx, centre.leader)
    with desk.read() as session:
        squad = session.exec(
            select(Staff.id).where(Staff.squad_id == leader.squad_id, Staff.role == Role.AGENT).order_by(Staff.id)
        ).all()
    commits = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tick = time.monotonic()
        record_fine(desk, leader, squad[commits % len(squad)], Offence.COMPLAINT, "customer complaint")
        commits += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    ctx.close()
    return commits


def run(centre: Any, desks: int = 10, seconds: float = 20.0) -> dict[str, Any]:
    watching = _Desks(str(centre.path), centre.agent, desks, stay=3 * seconds + 120)
    try:
        watching.wait_watching(timeout=60 + 10 * desks)
        time.sleep(2)  # let the first pages settle
        before = watching.cpu()
        machine_before = _machine_busy()
        time.sleep(seconds)
        idle = watching.cpu()
        machine_idle = _machine_busy()
        changed = _change_the_centre(centre, seconds)
        busy = watching.cpu()
        machine_after = _machine_busy()
        time.sleep(3)  # the last intake's count may still be on its way to the screens
        resident = watching.resident()
        waits = [w for at, count in changed["intakes"] for w in watching.seen_after(at, count)]
        settled = watching.cpu()
        other_commits = _other_work(centre, seconds)
        other = watching.cpu()
    finally:
        watching.close()
    commits = changed["commits"]
    seen = [w for w in waits if w is not None]
    idle_s = [b - a for a, b in zip(before, idle, strict=True)]
    busy_s = [b - a for a, b in zip(idle, busy, strict=True)]
    per_desk_idle = sum(idle_s) / desks / seconds
    per_desk_busy = sum(busy_s) / desks / seconds
    return {
        "desks": desks,
        "seconds": seconds,
        "commits": commits,
        "idle_cpu_share_per_desk": per_desk_idle,
        "busy_cpu_share_per_desk": per_desk_busy,
        "cpu_ms_per_commit_per_desk": 1000 * (sum(busy_s) - sum(idle_s)) / desks / max(1, commits),
        # Commits to tables the queues don't show: the floor is the idle phase's share.
        "other_commits": other_commits,
        "cpu_ms_per_other_commit_per_desk": 1000
        * (sum(o - s for s, o in zip(settled, other, strict=True)) - sum(idle_s))
        / desks
        / max(1, other_commits),
        "resident_mb_max": max(resident),
        "resident_mb_median": sorted(resident)[len(resident) // 2],
        "machine_busy_idle_phase": _share(machine_before, machine_idle),
        "machine_busy_changing": _share(machine_idle, machine_after),
        "new_ticket_seen_p95_s": p95(seen) if seen else float("nan"),
        "new_ticket_seen_median_s": sorted(seen)[len(seen) // 2] if seen else float("nan"),
        "new_ticket_seen_max_s": max(seen, default=float("nan")),
        "new_ticket_never_seen": len(waits) - len(seen),
        "new_ticket_sightings": len(waits),
        "claim_p95_ms": p95(changed["claims_ms"]),
        "claim_median_ms": sorted(changed["claims_ms"])[len(changed["claims_ms"]) // 2],
    }


def _share(start: tuple[int, int], end: tuple[int, int]) -> float:
    """The machine's busy share between two readings of ``_machine_busy``."""
    return (end[0] - start[0]) / max(1, end[1] - start[1])
