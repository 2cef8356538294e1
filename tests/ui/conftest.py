"""Helpers for driving the desk through Pilot.

The suite has no async test plugin, so each test hands an async scenario to
``drive``, which runs it against the app in a headless terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer, Static, Tabs
from textual.widgets._tabs import Underline
from textual.worker import WorkerCancelled

from csdesk.app import CsdeskApp, make_app
from csdesk.screens import commands
from csdesk.screens.base import DeskScreen


def _pending_messages(app: App[Any]) -> int:
    nodes = [app, *(node for screen in app.screen_stack for node in screen.walk_children(with_self=True))]
    return sum(node.message_queue_size for node in nodes)


async def _settle(app: App[Any], timeout: float = 15.0) -> None:
    """Wait until the desk is at rest: every service call has answered (the
    live-refresh loop never does) and every widget has handled its messages.

    Judged by what is pending, not by the clock or by how busy the process looks,
    so a test reads the same screen on a loaded machine as on an idle one.
    """
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        busy = [w for w in app.workers if w.group != "live-refresh" and not w.is_finished]
        if busy:
            # A call superseded by a newer one (a screen left, a newer page asked) is at rest too.
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete(busy)
            quiet = 0
            continue
        quiet = quiet + 1 if _pending_messages(app) == 0 and not _tables_sizing(app) else 0
        await asyncio.sleep(0.01)


def _tables_sizing(app: App[Any]) -> bool:
    """A table on screen that has new rows but has not sized its columns to them yet: it does
    so when it next idles, and until then each cell is cut to its column's header."""
    from textual.widgets import DataTable

    return any(table._require_update_dimensions and table.region.area > 0 for table in app.screen.query(DataTable))


class StubDb:
    def __init__(self) -> None:
        self.version = 1

    def data_version(self) -> int:
        return self.version


class StubHome(DeskScreen):
    """Home without the services the real one calls, for tests of the shell alone."""

    def compose(self) -> ComposeResult:
        yield Static(self.desk_app.actor.name, id="stub-home")
        yield Footer()


def _stub_app(services: Mapping[Any, Callable[..., Any]] | None = None) -> CsdeskApp:
    """The desk over no store at all; ``services`` maps a service (``auth.sign_in``) to its stand-in."""
    desk = SimpleNamespace(db=StubDb())
    return make_app(SimpleNamespace(lang=None), desk_factory=lambda: desk, services=services, home=StubHome)


@pytest.fixture
def isolated_commands():
    """Commands a test registers are gone afterwards."""
    # The catalogue registers once per process: loaded after the copy, its
    # commands would be dropped for the tests that follow.
    commands.load_area_modules()
    saved = list(commands._registry)
    yield
    commands._registry[:] = saved


@pytest.fixture
def settle() -> Callable[[App[Any]], Any]:
    return _settle


@pytest.fixture
def stub_app() -> Callable[..., CsdeskApp]:
    return _stub_app


Scenario = Callable[[Pilot[Any]], Awaitable[None]]


def _drive(app: App[Any], scenario: Scenario, size: tuple[int, int] = (80, 24)) -> None:
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(run())


@pytest.fixture
def drive() -> Callable[..., None]:
    return _drive


def _underlines_in_place(app: App[Any]) -> bool:
    for tabs in app.screen.query(Tabs):
        active = tabs.active_tab
        if active is None:
            continue
        start, end = active.virtual_region.shrink(active.styles.gutter).column_span
        underline = tabs.query_one(Underline)
        if (underline.highlight_start, underline.highlight_end) != (start, end):
            return False
    return True


async def _at_rest(pilot: Pilot[Any]) -> None:
    """Tab underlines slide after a label changes width (a count arrives); a
    picture taken mid-slide differs from run to run, so wait until each one
    sits under its tab."""
    for _ in range(150):
        await _settle(pilot.app)
        await pilot.wait_for_scheduled_animations()
        if _underlines_in_place(pilot.app):
            return
        await pilot.pause(0.02)


@pytest.fixture
def snap_compare(snap_compare):
    """The snapshot plugin's comparison, taken only once the screen is at rest and no
    change from another desk can reach it."""

    def compare(app, *args, run_before=None, **kwargs):
        async def then_at_rest(pilot: Pilot[Any]) -> None:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            # A still picture: a refresh that lands while it is taken (the desk polls for other
            # desks' changes four times a second) would draw half of the screen anew.
            live = getattr(pilot.app, "live", None)
            if live is not None:
                live.stop()
            await _at_rest(pilot)

        return snap_compare(app, *args, run_before=then_at_rest, **kwargs)

    return compare
