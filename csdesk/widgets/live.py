"""Live refresh: tell the screen on show when someone else changed the data.

The change feed is a tiny interface so the SQLite poller can be swapped for a
PostgreSQL LISTEN/NOTIFY listener without touching any screen: screens only
ever see the :class:`DataChanged` message.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker


class DataChanged(Message):
    """Posted to the visible screen when the stored data moved on to ``version``.

    ``tables``: the tables whose change marks moved, or None when that is not known
    (a screen's own commit, a screen shown again, marks that could not be read)."""

    def __init__(self, version: int, tables: frozenset[str] | None = None) -> None:
        super().__init__()
        self.version = version
        self.tables = tables


Marks = dict[str, int]
# Steps of the feed remembered for screens coming back into view; one further back
# than this and the screen reloads, as it would without marks.
STEPS_KEPT = 512


def moved_tables(before: Marks | None, after: Marks | None) -> frozenset[str] | None:
    """The tables whose mark differs between two reads; None when either read failed."""
    if before is None or after is None:
        return None
    return frozenset(name for name, mark in after.items() if before.get(name) != mark)


class ChangeFeed(Protocol):
    def current(self) -> int:
        """The version now; called once before waiting starts."""

    def wait(self, last: int, timeout: float) -> int:
        """Block until the version differs from ``last`` or ``timeout`` passes; return it."""


class PollingFeed:
    """Polls a cheap change counter (SQLite's ``PRAGMA data_version``) every interval.

    A quarter second: a ticket taken in at one desk is on every other desk's screen
    within a second even on a busy server, and a poll costs a few microseconds."""

    def __init__(self, data_version: Callable[[], int], interval: float = 0.25) -> None:
        self._data_version = data_version
        self._interval = interval
        self._stop = threading.Event()

    def current(self) -> int:
        return self._data_version()

    def wait(self, last: int, timeout: float) -> int:
        deadline_wait = min(self._interval, timeout)
        if self._stop.wait(deadline_wait):
            return last
        return self._data_version()

    def close(self) -> None:
        self._stop.set()


class LiveRefresh:
    """Runs a feed in a thread worker of ``app`` and posts DataChanged on change.

    ``feed()`` makes the feed in that thread: it may open a connection. ``marks()``
    reads each table's change mark (``Database.table_marks``) once the feed says the
    data moved, so the screen is told which tables did.
    """

    def __init__(
        self, app: App[Any], feed: Callable[[], ChangeFeed], marks: Callable[[], Marks | None] | None = None
    ) -> None:
        self._app = app
        self._make_feed = feed
        self._read_marks = marks or (lambda: None)
        self._feed: ChangeFeed | None = None
        self._stopped = threading.Event()
        self._worker: Worker[None] | None = None
        self.version: int | None = None
        # The last steps the feed reported, for screens shown again after a while.
        self._steps: deque[tuple[int, frozenset[str] | None]] = deque(maxlen=STEPS_KEPT)

    def start(self) -> None:
        if self._worker is None:
            self._worker = self._app.run_worker(
                self._watch,
                name="live-refresh",
                group="live-refresh",
                thread=True,
                exit_on_error=False,
            )

    def stop(self) -> None:
        self._stopped.set()
        close = getattr(self._feed, "close", None)
        if close is not None:
            close()
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    def _watch(self) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        feed = self._feed = self._make_feed()
        if self._stopped.is_set():  # stopped while the feed was being made
            close = getattr(feed, "close", None)
            if close is not None:
                close()
            return
        last = feed.current()
        # Read after the version: a commit landing between the two is in the marks, so
        # it is reported now, and the next step's read finds its mark already counted.
        marks = self._read_marks()
        self._app.call_from_thread(self._set_version, last)
        while not worker.is_cancelled:
            version = feed.wait(last, timeout=1.0)
            if version != last and not worker.is_cancelled:
                last = version
                now_marks = self._read_marks()
                tables = moved_tables(marks, now_marks)
                marks = now_marks
                self._app.call_from_thread(self._changed, version, tables)

    def _set_version(self, version: int) -> None:
        self.version = version
        self._steps.append((version, frozenset()))

    def _changed(self, version: int, tables: frozenset[str] | None = None) -> None:
        before, self.version = self.version, version
        self._steps.append((version, tables))
        tell_screen(self._app.screen, version, tables, before)

    def moved_since(self, seen: int | None) -> frozenset[str] | None:
        """The tables changed since the feed reported ``seen``; None if that is not known
        (a version the feed never reported, or too long ago)."""
        moved: set[str] = set()
        for version, tables in reversed(self._steps):
            if version == seen:
                return frozenset(moved)
            if tables is None:
                return None
            moved |= tables
        return None


def tell_screen(screen: Any, version: int, tables: frozenset[str] | None = None, before: int | None = None) -> None:
    """Post DataChanged(version) to ``screen`` unless it already shows, or is about to
    reload, what was stored at ``version``.

    A screen that names the tables it ``watches`` is not told of a change to none of
    them: what it shows is still what is stored. If it was up to date at ``before``,
    it is up to date at ``version`` too, and won't reload when shown again.

    A screen that reloads after its own commit asks for ``version`` itself, read once the
    commit was done; the change feed then reports that same commit, and reloading a second
    time would only show the same rows again (and, on a busy centre, cost every claim its
    time twice). Screens without a ``seen_version`` are always told."""
    watches = getattr(screen, "watches", None)
    if tables is not None and watches is not None and tables.isdisjoint(watches):
        if before is not None and getattr(screen, "seen_version", None) == before:
            screen.seen_version = version
        return
    if not hasattr(screen, "seen_version"):
        screen.post_message(DataChanged(version, tables))
        return
    if screen.seen_version == version:
        return
    screen.seen_version = version
    screen.post_message(DataChanged(version, tables))
