"""Full garbage collections wait for the person to pause (csdesk.collector).

A closed screen is cyclic garbage only a full collection reclaims; CPython would
run one on whichever key press crossed its threshold, for a third of a second.
The desk runs it when nobody is typing, and still reclaims every closed screen.
"""

from __future__ import annotations

import gc
import weakref

import pytest
from textual.app import ComposeResult
from textual.widgets import Static

from csdesk.rules.vocab import Role
from csdesk.screens.base import DeskScreen
from csdesk.services import auth
from csdesk.services.base import Actor

AGENT = Actor(2, "2048", "Wang Fang", Role.AGENT, 3)


class Report(DeskScreen):
    def compose(self) -> ComposeResult:
        yield Static("a report")


class Clock:
    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


def _young_collections(n: int) -> None:
    for _ in range(n):
        gc.collect(1)


async def _signed_in(pilot, app, settle) -> Clock:
    await pilot.press("1", "enter", "1", "enter")
    await settle(app)
    clock = Clock()
    app.collector.clock = clock
    app.collector.input_seen()
    return clock


async def _open_read_and_close(pilot, app, settle, clock) -> weakref.ref:
    """A report opened and read long enough for a collection to run, then closed."""
    report = Report()
    app.push_screen(report)
    await settle(app)
    clock.at += 5
    _young_collections(app.collector.due)
    frozen = gc.get_freeze_count()
    assert app.collector.tick() == "full"  # the pause while it is read
    # Nothing is frozen while it is open: it will close, and freezing it would leave only
    # a collection over the whole desk to reclaim it.
    assert gc.get_freeze_count() == frozen
    gone = weakref.ref(report)
    del report
    app.pop_screen()
    await settle(app)
    return gone


def test_a_closed_screen_is_reclaimed_at_the_next_pause_not_while_keys_arrive(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        clock = await _signed_in(pilot, app, settle)
        app._collect_timer.pause()
        gone = await _open_read_and_close(pilot, app, settle, clock)

        await pilot.press("x")  # typing: the collection waits
        assert app.collector.tick() is None
        assert gone() is not None

        clock.at += app.collector.idle + 0.01  # a pause
        # Reached without thawing what the desk is built on.
        assert app.collector.tick() == "full"
        assert gone() is None
        assert app.collector.tick() is None  # nothing left to do until more piles up

    drive(app, scenario)


def test_a_kept_screen_is_frozen_while_kept_and_reclaimed_once_taken_down(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        clock = await _signed_in(pilot, app, settle)
        app._collect_timer.pause()
        kept = Report()
        app.install_screen(kept, "kept:report")
        app.push_screen("kept:report")
        await settle(app)
        clock.at += 5
        frozen = gc.get_freeze_count()
        _young_collections(app.collector.due)
        assert app.collector.tick() == "full"
        assert gc.get_freeze_count() > frozen  # it stays until sign-out: frozen with the rest
        app.pop_screen()
        await settle(app)
        assert app.collector.tick() is None  # left, not closed: shown again next time

        gone = weakref.ref(kept)
        app.uninstall_screen("kept:report")  # as at sign-out
        await kept.remove()
        del kept
        await settle(app)
        await pilot.pause()
        clock.at += 5
        assert app.collector.tick() == "thawed"
        assert gone() is None

    drive(app, scenario)


def test_the_desk_collects_by_itself_once_the_person_pauses(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        clock = await _signed_in(pilot, app, settle)
        gone = await _open_read_and_close(pilot, app, settle, clock)
        clock.at += 1
        for _ in range(20):
            await pilot.pause(0.1)
            if gone() is None:
                break
        assert gone() is None

    drive(app, scenario)


class Node:
    def __init__(self) -> None:
        self.me = self


def test_a_desk_left_on_one_screen_thaws_once_its_frozen_set_has_grown_enough(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        clock = await _signed_in(pilot, app, settle)
        app._collect_timer.pause()
        clock.at += 5

        def passing_object_frozen_then_dropped():
            passing = Node()
            _young_collections(app.collector.due)
            app.collector.tick()  # frozen while it was alive
            return weakref.ref(passing)

        gone = passing_object_frozen_then_dropped()
        _young_collections(app.collector.due)
        assert app.collector.tick() == "full"  # a few passing objects are no reason to walk everything
        assert gone() is not None

        app.collector.regrowth = 0.0  # as if the frozen set had grown by a quarter
        _young_collections(app.collector.due)
        assert app.collector.tick() == "thawed"
        assert gone() is None

    drive(app, scenario)


def test_someone_who_never_pauses_still_gets_collections_past_the_cap(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        await _signed_in(pilot, app, settle)
        app._collect_timer.pause()
        await pilot.press("x")
        _young_collections(app.collector.cap - 1)
        assert app.collector.tick() is None
        _young_collections(1)
        assert app.collector.tick() == "forced"
        assert gc.get_count()[2] == 0

    drive(app, scenario)


def test_signing_out_and_quitting_leave_the_interpreter_collecting_as_before(stub_app, settle, drive):
    before = gc.get_threshold()
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        await _signed_in(pilot, app, settle)
        assert gc.get_threshold()[2] > 10**6  # CPython's own full collection is off
        assert gc.get_freeze_count() > 0
        app.sign_out()
        await settle(app)
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0
        await pilot.press("1", "enter", "1", "enter")  # the next person
        await settle(app)
        assert gc.get_freeze_count() > 0

    drive(app, scenario)
    assert gc.get_threshold() == before  # quitting while signed in
    assert gc.get_freeze_count() == 0


@pytest.fixture
def frozen_set_counted(monkeypatch):
    """Each time the frozen set is counted from then on (``start()``), which walks all of it."""
    counted: list[int] = []
    real_count = gc.get_freeze_count

    def start() -> list[int]:
        monkeypatch.setattr(gc, "get_freeze_count", lambda: counted.append(1) or real_count())
        return counted

    return start


def test_a_tick_with_nothing_to_do_does_not_walk_the_frozen_set(stub_app, settle, drive, frozen_set_counted):
    # Counting the frozen set walks every frozen object: four times a second, an idle
    # desk spent 8 % of a core on it.
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        clock = await _signed_in(pilot, app, settle)
        app._collect_timer.pause()
        clock.at += 5
        counted = frozen_set_counted()
        for _ in range(20):
            assert app.collector.tick() is None
        assert counted == []

    drive(app, scenario)


def test_a_full_collection_counts_what_it_freezes_without_walking_the_frozen_set(
    stub_app, settle, drive, frozen_set_counted
):
    # Counting the frozen set took as long as the collection itself on a signed-in desk.
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        clock = await _signed_in(pilot, app, settle)
        app._collect_timer.pause()
        clock.at += 5
        kept = [Node() for _ in range(1000)]  # noqa: F841 - alive, so frozen by the collection
        before = app.collector.frozen
        counted = frozen_set_counted()
        _young_collections(app.collector.due)
        assert app.collector.tick() == "full"
        assert counted == []
        # What it froze is counted; frozen objects that died since are not taken off, so the
        # count never falls short of the set (the regrowth rule counts for real before a thaw).
        assert app.collector.frozen >= before + 1000
        assert app.collector.frozen >= gc.get_freeze_count()

    drive(app, scenario)


def test_frozen_objects_that_died_do_not_make_the_desk_thaw_everything(stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: AGENT})

    async def scenario(pilot):
        clock = await _signed_in(pilot, app, settle)
        app._collect_timer.pause()
        clock.at += 5
        # As if a shift's worth of rows had been frozen and then replaced: counted, then gone.
        app.collector.frozen = 2 * app.collector.frozen_after_thaw
        _young_collections(app.collector.due)
        assert app.collector.tick() == "full"  # counted for real first: it has not grown
        assert app.collector.frozen < 2 * app.collector.frozen_after_thaw

    drive(app, scenario)
