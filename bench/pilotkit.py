"""Waiting for the desk to settle: every service worker done and its result on screen."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.worker import WorkerState

# The live-refresh watcher runs for the whole session; it is never "done".
_FOREVER = {"live-refresh"}
_ACTIVE = (WorkerState.PENDING, WorkerState.RUNNING)


def busy(app: Any) -> bool:
    return any(w.state in _ACTIVE and w.group not in _FOREVER for w in app.workers)


async def settle(pilot: Any, timeout: float = 30.0) -> None:
    """Returns once no worker is running and every message they posted was handled,
    twice in a row (a finished worker may start the next, e.g. a table's page).

    Pilot's wait for the screen posts a message to every widget on it, so it is
    asked only once the workers are done: asked in a tight loop it would load
    the desk it measures."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet = 0
    while quiet < 2:
        if loop.time() > deadline:
            raise TimeoutError("the desk did not settle")
        if busy(pilot.app) or not pilot.app.screen.is_mounted:
            quiet = 0
            await asyncio.sleep(0.0005)
            continue
        await pilot._wait_for_screen()
        if busy(pilot.app):
            quiet = 0
        else:
            quiet += 1
            await asyncio.sleep(0)
