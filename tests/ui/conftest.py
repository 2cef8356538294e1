"""Helpers for driving the desk through Pilot.

The suite has no async test plugin, so each test hands an async scenario to
``drive``, which runs it against the app in a headless terminal.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer, Static, Tabs
from textual.widgets._tabs import Underline

from csdesk.app import CsdeskApp, make_app
from csdesk.screens import commands
from csdesk.screens.base import DeskScreen


async def _settle(app: App[Any]) -> None:
    """Wait until every service call has answered (the live-refresh loop never does)."""
    for _ in range(3):
        busy = [w for w in app.workers if w.group != "live-refresh" and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
        await asyncio.sleep(0.01)


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
    """The snapshot plugin's comparison, taken only once the screen is at rest."""

    def compare(app, *args, run_before=None, **kwargs):
        async def then_at_rest(pilot: Pilot[Any]) -> None:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            await _at_rest(pilot)

        return snap_compare(app, *args, run_before=then_at_rest, **kwargs)

    return compare
