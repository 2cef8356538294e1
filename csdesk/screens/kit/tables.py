"""Tables of the desk: fixed columns, rows that remember their view, and lists fed by a service."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, cast

from textual.widgets import DataTable

from csdesk.text import clip
from csdesk.widgets.paged_table import FetchPage

if TYPE_CHECKING:
    from csdesk.policy import Policy
    from csdesk.screens.base import DeskScreen


class ViewRow(tuple[Any, ...]):
    """A table row's cells, carrying the service's view it was drawn from."""

    view: Any

    def __new__(cls, view: Any, cells: Sequence[Any]) -> ViewRow:
        row = super().__new__(cls, cells)
        row.view = view
        return row


def view_at_cursor(table: Any) -> Any:
    """The view of the row under the cursor of a PagedTable of :class:`ViewRow` s; None when empty."""
    row = table.row_at_cursor()
    return getattr(row, "view", None)


def view_of(row: Sequence[Any]) -> Any:
    """The view behind a row of a table of :class:`ViewRow` s."""
    return cast(ViewRow, row).view


def view_id(row: Sequence[Any]) -> Hashable:
    """A PagedTable's ``row_key`` for :class:`ViewRow` s: the id of the view behind the row."""
    key: Hashable = view_of(row).id
    return key


def add_columns(table: DataTable[Any], *columns: tuple[str, int]) -> None:
    """Columns of fixed widths: a reload must not make them jump."""
    for heading, width in columns:
        table.add_column(heading, width=width)


def cursor_index(table: DataTable[Any], count: int) -> int:
    """The row under the cursor of a table showing ``count`` rows (never past either end)."""
    return min(max(table.cursor_row, 0), count - 1)


def cursor_back_on(table: DataTable[Any], ids: Sequence[Hashable], before: Hashable, row_before: int) -> None:
    """After the rows were drawn again, the cursor on the row of ``before`` (an id) wherever it
    moved; where it is gone, on the row the cursor was at (never past either end)."""
    if ids:
        row = ids.index(before) if before in ids else row_before
        table.move_cursor(row=min(max(row, 0), len(ids) - 1))


def service_pages(
    screen: DeskScreen, target: Callable[..., Sequence[Any]], cells: Callable[[Any, Policy], Sequence[Any]]
) -> FetchPage:
    """A PagedTable fetcher over a paged service ``target(desk, actor, offset=, limit=)``.

    ``cells(view, policy)`` draws one row; it runs in the fetching thread, with the
    centre's policy (its time zone, its currency).
    """
    app = screen.desk_app

    def fetch(offset: int, limit: int, _filter: str) -> list[ViewRow]:
        views = app.call_service(target, app.actor, offset=offset, limit=limit)
        return [ViewRow(view, cells(view, app.policy)) for view in views]

    return fetch


def person_cell(label: str, width: int = 16) -> str:
    return clip(label, width)
