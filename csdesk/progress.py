"""How far long work has got (an import, a copy, a backup, the demo build).

The work reports through a ``Progress`` it is given and never knows who shows
it: the command line shows a bar on a terminal (``terminal_bar``), a script or
a test gets ``SILENT``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


class Progress(Protocol):
    def stage(self, description: str, total: int | None = None) -> None:
        """A new step begins (``total`` units, or unknown); the one before it is done."""

    def advance(self, amount: int = 1) -> None:
        """``amount`` more units of the current step are done."""


class _Silent:
    def stage(self, description: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


SILENT: Progress = _Silent()


class _Bar:
    def __init__(self, bar: RichProgress) -> None:
        self._bar = bar
        self._task: TaskID | None = None

    def stage(self, description: str, total: int | None = None) -> None:
        self._finish()
        self._task = self._bar.add_task(description, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, amount)

    def _finish(self) -> None:
        """A step ends at its full width, even when its total was a guess or unknown."""
        if self._task is not None:
            done = next(task.completed for task in self._bar.tasks if task.id == self._task)
            self._bar.update(self._task, total=done, completed=done)


@contextmanager
def terminal_bar(stream: TextIO) -> Iterator[Progress]:
    """A rich progress bar on ``stream`` (a terminal) while the block runs."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.progress import Progress as RichProgress

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    # Twice a second is enough for work of minutes; drawn more often, the bar's thread takes
    # the interpreter from the work (at 10 a second, a 100k-row import ran a seventh longer).
    with RichProgress(*columns, console=Console(file=stream), transient=False, refresh_per_second=2) as bar:
        shown = _Bar(bar)
        yield shown
        shown._finish()
