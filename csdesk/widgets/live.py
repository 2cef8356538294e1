"""Live refresh: tell the screen on show when someone else changed the data.

The change feed is a tiny interface so the SQLite poller can be swapped for a
PostgreSQL LISTEN/NOTIFY listener without touching any screen: screens only
ever see the :class:`DataChanged` message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker


class DataChanged(Message):
    """Posted to the visible screen when the stored data moved on to ``version``."""

    def __init__(self, version: int) -> None:
        super().__init__()
        self.version = version


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

    ``feed()`` makes the feed in that thread: it may open a connection.
    """

    def __init__(self, app: App[Any], feed: Callable[[], ChangeFeed]) -> None:
        self._app = app
        self._make_feed = feed
        self._feed: ChangeFeed | None = None
        self._stopped = threading.Event()
        self._worker: Worker[None] | None = None
        self.version: int | None = None

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
        self._app.call_from_thread(self._set_version, last)
        while not worker.is_cancelled:
            version = feed.wait(last, timeout=1.0)
            if version != last and not worker.is_cancelled:
                last = version
                self._app.call_from_thread(self._changed, version)

    def _set_version(self, version: int) -> None:
        self.version = version

    def _changed(self, version: int) -> None:
        self.version = version
        tell_screen(self._app.screen, version)


def tell_screen(screen: Any, version: int) -> None:
    """Post DataChanged(version) to ``screen`` unless it already shows, or is about to
    reload, what was stored at ``version``.

    A screen that reloads after its own commit asks for ``version`` itself, read once the
    commit was done; the change feed then reports that same commit, and reloading a second
    time would only show the same rows again (and, on a busy centre, cost every claim its
    time twice). Screens without a ``seen_version`` are always told."""
    if not hasattr(screen, "seen_version"):
        screen.post_message(DataChanged(version))
        return
    if screen.seen_version == version:
        return
    screen.seen_version = version
    screen.post_message(DataChanged(version))
