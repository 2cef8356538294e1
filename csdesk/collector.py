"""Python's full garbage collections, run while nobody waits for the desk.

Opening and closing a screen leaves about 140,000 objects in reference cycles
(Textual's widgets, their styles and caches). Only a full collection finds them,
and CPython runs one whenever enough objects have piled up: on whatever key
press crosses the threshold, for 0.3–0.4 s on a signed-in desk. A claim or a
screen then takes ten times its usual time, at random.

While someone is signed in the desk takes those collections over:
- what the desk is built on (the imports, the app, the home screen) is frozen
  (``gc.freeze``), so no collection walks it again;
- CPython's own full collection is turned off; the desk runs one once the
  terminal has had no input for ``idle`` seconds and ``due`` young collections
  have passed since the last, and freezes what survives it;
- nothing is frozen while a screen that will close is open (a ticket, a form
  not kept, a dialog): what it holds stays where a full collection of what is
  not frozen reaches it, a few milliseconds' walk once it closes instead of
  one over the whole desk;
- a kept screen taken down (at sign-out, after a switch of language) was
  frozen with everything else: the next idle collection thaws everything
  first, so nothing stays held. So does one once the frozen set has grown by a
  quarter since the last thaw: a desk left on one screen all shift freezes a
  few passing objects each time, which would otherwise pile up;
- someone who never pauses still gets a collection after ``cap`` young ones,
  so memory stays bounded; it walks only what is not frozen.

Collection settings are the interpreter's, shared by every app in the process:
the first desk to start saves them and the last to stop puts them back, thawed.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Literal

# Young collections between CPython's own full-collection checks; the desk keeps the spacing.
DUE = 10
# Young collections a busy desk goes without a full one before it runs anyway.
CAP = 60
# Seconds without a key or the mouse before the person counts as not waiting.
IDLE = 0.3
# Growth of the frozen set, since the last thaw, that calls for another (CPython's own
# full collection waits for a quarter more long-lived objects in the same way).
REGROWTH = 0.25
# A threshold no count reaches: CPython's automatic full collection is off.
_NEVER = 1 << 30

Done = Literal["thawed", "full", "forced"] | None


class _Saved:
    users = 0
    threshold: tuple[int, ...] = ()


_saved = _Saved()


def _young_since_full() -> int:
    """Young (generation 1) collections since the last full one."""
    return gc.get_count()[2]


class IdleCollector:
    # A plain class: it is imported before the sign-in screen is painted, and a dataclass's
    # generated methods cost more to build than this whole module.
    def __init__(
        self,
        *,
        idle: float = IDLE,
        due: int = DUE,
        cap: int = CAP,
        regrowth: float = REGROWTH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.idle = idle
        self.due = due
        self.cap = cap
        self.regrowth = regrowth
        self.clock = clock
        self.last_input = 0.0
        # Whether what a collection leaves alive may be frozen now: not while a screen
        # that will close is open (the app says).
        self.may_freeze: Callable[[], bool] = lambda: True
        self.closed_since_collection = False
        self.frozen_closed = False
        # Closings still under way, each with whether the screen was frozen: Textual removes
        # a screen after it leaves the stack, and a collection run in between would freeze
        # it again instead of freeing it.
        self.closing: list[tuple[Callable[[], bool], bool]] = []
        # Counting the frozen set walks all of it (10–20 ms at a desk's size), so it is counted
        # only when a thawed collection has just run, and kept up to date by each freeze after.
        self.frozen = 0
        self.frozen_after_thaw = 0
        self.running = False
        # What each collection took, for the benchmark's account of where the time went.
        self.seconds: list[float] = []

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        if _saved.users == 0:
            _saved.threshold = gc.get_threshold()
            first, second = _saved.threshold[0], _saved.threshold[1]
            gc.set_threshold(first, second, _NEVER)
        _saved.users += 1
        self.last_input = self.clock()
        # Cheap (lists are spliced, nothing is walked): what is built so far stays built.
        gc.freeze()
        self.frozen = self.frozen_after_thaw = gc.get_freeze_count()

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        _saved.users -= 1
        if _saved.users == 0:
            gc.unfreeze()
            gc.set_threshold(*_saved.threshold)

    def input_seen(self) -> None:
        self.last_input = self.clock()

    def screen_closed(self, done: Callable[[], bool] = lambda: True, *, frozen: bool = False) -> None:
        """A screen is leaving; ``done()`` says once it has been taken down. ``frozen``: it
        may have been frozen (a kept screen), so only a thawed collection reclaims it."""
        if self.running:  # before sign-in CPython collects as it always does
            self.closing.append((done, frozen))

    def _note_closings(self) -> None:
        if self.closing:
            still = []
            for done, frozen in self.closing:
                if not done():
                    still.append((done, frozen))
                elif frozen:
                    self.frozen_closed = True
                else:
                    self.closed_since_collection = True
            self.closing = still

    def tick(self) -> Done:
        """Collect if now is the time; say what was done."""
        if not self.running:
            return None
        self._note_closings()
        young = _young_since_full()
        waiting = self.clock() - self.last_input < self.idle
        if waiting:
            if young < self.cap:
                return None
            return self._collect("forced", thaw=False)
        if self.frozen_closed or self._grown():
            return self._collect("thawed", thaw=True)
        if self.closed_since_collection or young >= self.due:
            return self._collect("full", thaw=False)
        return None

    def _grown(self) -> bool:
        """Whether the frozen set has grown by ``regrowth`` since the last thaw.

        Frozen objects still die once nothing refers to them, so the count kept by each
        freeze (``_collect``) can only overstate the set: it is counted for real once the
        kept count says it has grown enough."""
        limit = self.frozen_after_thaw * (1 + self.regrowth)
        if self.frozen <= limit:
            return False
        self.frozen = gc.get_freeze_count()
        return self.frozen > limit

    def _collect(self, done: Done, *, thaw: bool) -> Done:
        started = time.perf_counter()
        if thaw:
            gc.unfreeze()
            self.frozen_closed = False
        self.closed_since_collection = False
        gc.collect()
        if self.may_freeze():
            # Counting the frozen set walks all of it, as long as the collection itself on a
            # signed-in desk: what this freeze adds is counted instead, from the few not frozen
            # (an upper bound: see _grown).
            adding = 0 if thaw else len(gc.get_objects())
            gc.freeze()
            self.frozen = gc.get_freeze_count() if thaw else self.frozen + adding
        elif thaw:
            self.frozen = 0
        if thaw:
            self.frozen_after_thaw = self.frozen
        self.seconds.append(time.perf_counter() - started)
        return done
