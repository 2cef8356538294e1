"""Many desks on one server: what each commit in the centre costs every desk watching.

Real desk processes, each on its own pseudo-terminal, signed in and watching the
queues screen, as the README's deployment runs them. The bench first leaves them
idle, then changes the centre about once a second (a ticket taken in, then the
queue's most urgent ticket claimed at another desk), and reads each desk's processor
time and resident size from ``/proc``. The idle phase is the floor.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


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
                if fd in self._ready:
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
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError("a desk ended before it showed the queues")
            time.sleep(0.2)
        raise TimeoutError("the desks did not all reach the queues screen")

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


def _change_the_centre(centre: Any, seconds: float) -> int:
    """About one commit a second: a ticket taken in, then the most urgent one claimed."""
    from csdesk.cli import Context, acting_person
    from csdesk.rules.vocab import Category, Channel
    from csdesk.services.queues import Queue, queue_page
    from csdesk.services.tickets import claim, take_in
    from csdesk.settings import resolve_settings

    ctx = Context(resolve_settings(str(centre.path)))
    desk = ctx.desk()
    taker = acting_person(ctx, centre.leader)
    commits = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tick = time.monotonic()
        if commits % 2 == 0:
            take_in(desk, taker, Channel.FORUM, Category.INQUIRY, "Zhang San", "13812345678", "Where is my parcel?", "")
        else:
            (first, *_) = queue_page(desk, taker, Queue.FORUM, 0, 1)
            claim(desk, taker, first.ticket_id)
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
        time.sleep(seconds)
        idle = watching.cpu()
        commits = _change_the_centre(centre, seconds)
        busy = watching.cpu()
        resident = watching.resident()
    finally:
        watching.close()
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
        "resident_mb_max": max(resident),
        "resident_mb_median": sorted(resident)[len(resident) // 2],
    }
