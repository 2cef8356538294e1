"""Cold start and resident memory, each start a fresh process on a pseudo-terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def start_once(
    mode: str,
    db: str | None = None,
    as_number: str | None = None,
    *,
    queues: bool = False,
    typing: float = 0.0,
    size: tuple[int, int] = (80, 24),
    timeout: float = 120.0,
    profile: str | None = None,
) -> dict[str, Any]:
    """Seconds from spawning the process to each stage it reports, and its peak RSS."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    ready_r, ready_w = os.pipe()
    command = [sys.executable, "-m", "bench.start_child", mode, "--ready-fd", str(ready_w)]
    if profile:
        command[1:1] = ["-m", "cProfile", "-o", profile]
    if db:
        command += ["--db", db, "--as", str(as_number)]
    if queues:
        command.append("--queues")
    if typing:
        command += ["--typing", str(typing)]
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, pass_fds=(ready_w,), cwd=ROOT, env=env, start_new_session=True
    )
    os.close(slave)
    os.close(ready_w)
    stages: dict[str, Any] = {}
    buffer = b""
    screen = b""
    try:
        open_fds = {master, ready_r}
        while ready_r in open_fds:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{mode} start did not finish; screen tail: {screen[-400:]!r}")
            readable, _, _ = select.select(list(open_fds), [], [], 1.0)
            for fd in readable:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    open_fds.discard(fd)
                    continue
                if fd == master:
                    screen = (screen + chunk)[-4000:]
                    continue
                now = time.perf_counter()
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    report = json.loads(line)
                    report["seconds"] = now - started
                    report["marks"] = {k: round(v - started, 4) for k, v in report.get("marks", {}).items()}
                    stages[report["stage"]] = report
        # Drain the terminal so the child can write its exit sequences.
        while process.poll() is None:
            readable, _, _ = select.select([master], [], [], 0.2)
            if readable:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
    finally:
        os.close(master)
        os.close(ready_r)
        if process.poll() is None:
            process.kill()
    process.wait()
    if "home" not in stages:
        raise RuntimeError(f"{mode} start reported nothing; screen tail: {screen[-600:]!r}")
    return stages


def pin_to_home(db: str, as_number: str, runs: int, typing: float) -> dict[str, Any]:
    """From the PIN entered to home ready, for a person who took ``typing`` seconds to type
    their number and PIN once the sign-in screen was up (the cold start above types nothing)."""
    waits = []
    for _ in range(runs):
        marks = start_once("desk", db=db, as_number=as_number, typing=typing)["home"]["marks"]
        waits.append(marks["home_ready"] - marks["pin_entered"])
    return {"median_s": statistics.median(waits), "runs": [round(s, 4) for s in waits], "typing_s": typing}


def medians(mode: str, runs: int, **kwargs: Any) -> dict[str, float]:
    seconds: list[float] = []
    rss: list[float] = []
    for _ in range(runs):
        stages = start_once(mode, **kwargs)
        seconds.append(stages["home"]["seconds"])
        last = stages.get("queues", stages["home"])
        if "maxrss_kb" in last:
            rss.append(last["maxrss_kb"] / 1024)
    result = {"median_s": statistics.median(seconds), "runs": [round(s, 4) for s in seconds]}
    if rss:
        result["max_rss_mb"] = max(rss)
    return result


# Terminal output with its escape sequences taken out, to find the words a screen shows.
ESCAPES = re.compile(rb"\x1b(?:\[[0-9;?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
SIGN_IN_WORDS = b"Employee number"
_FLOOR_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Floor(App):\n"
    "    def compose(self):\n"
    f"        yield Static({SIGN_IN_WORDS.decode()!r})\n"
    "Floor().run()\n"
)


def _seconds_to_words(command: list[str], words: bytes, size: tuple[int, int], timeout: float) -> float:
    """From spawning ``command`` on a pseudo-terminal until ``words`` are on its screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - started < timeout:
            readable, _, _ = select.select([master], [], [], 0.02)
            if not readable:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = seen[-len(words) :] + ESCAPES.sub(b"", chunk)
            if words in seen:
                return time.perf_counter() - started
        raise TimeoutError(f"{command[0]} did not show {words!r} within {timeout:.0f} s")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(master)


def sign_in_painted(db: str, runs: int, size: tuple[int, int] = (80, 24)) -> dict[str, Any]:
    """The real ``csdesk`` command until its sign-in screen is on the terminal, against a
    one-label Textual app showing the same words; started in turn, ratios taken pair by pair."""
    desk_command = [str(Path(sys.executable).with_name("csdesk")), "--db", db, "--lang", "en"]
    floor_command = [sys.executable, "-c", _FLOOR_APP]
    desk, floor = [], []
    for _ in range(runs):
        floor.append(_seconds_to_words(floor_command, SIGN_IN_WORDS, size, 60))
        desk.append(_seconds_to_words(desk_command, SIGN_IN_WORDS, size, 60))
    return {
        "desk_median_s": statistics.median(desk),
        "floor_median_s": statistics.median(floor),
        "ratio_median": statistics.median(d / f for d, f in zip(desk, floor, strict=True)),
        "desk_runs": [round(s, 4) for s in desk],
        "floor_runs": [round(s, 4) for s in floor],
    }
