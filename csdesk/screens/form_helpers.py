"""Small pieces the fund, leave and swap screens share: service-fed tables,
local times, role checks that name the role, and lists to choose from.

Nothing here imports the store; services are reached through the app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.widgets import Select

from csdesk.i18n import _
from csdesk.rules.decision import Decision
from csdesk.rules.staff import Action, can
from csdesk.vocabulary import role_title
from csdesk.widgets.paged_table import FetchPage
from csdesk.widgets.text import clip

if TYPE_CHECKING:
    from csdesk.screens.base import DeskScreen


class ViewRow(tuple):  # type: ignore[type-arg]
    """A table row's cells, carrying the service's view it was drawn from."""

    view: Any

    def __new__(cls, view: Any, cells: Sequence[Any]) -> ViewRow:
        row = super().__new__(cls, cells)
        row.view = view
        return row


def view_at_cursor(table: Any) -> Any:
    row = table.row_at_cursor()
    return getattr(row, "view", None)


def service_pages(
    screen: DeskScreen, target: str, cells: Callable[[Any, Any], Sequence[Any]]
) -> FetchPage:
    """A PagedTable fetcher over a paged service ``target(desk, actor, offset=, limit=)``.

    ``cells(view, desk)`` draws one row; it runs in the fetching thread, so it
    may read the desk's policy (time zone, currency).
    """
    app = screen.desk_app

    def fetch(offset: int, limit: int, _filter: str) -> list[ViewRow]:
        desk = app.open_desk()
        views = app.resolve_service(target)(desk, app.actor, offset=offset, limit=limit)
        return [ViewRow(view, cells(view, desk)) for view in views]

    return fetch


def local(moment: datetime | None, zone: Any, fmt: str = "%m-%d %H:%M") -> str:
    """A stored UTC time as the centre's wall clock."""
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime(fmt)


def parse_moment(text: str, now: datetime, zone: Any) -> datetime | None:
    """A wall-clock time typed by a person: ``HH:MM`` (today) or ``YYYY-MM-DD HH:MM``, in the
    centre's zone; None when nothing was typed. Raises ValueError on anything else."""
    text = " ".join(text.split())
    if not text:
        return None
    if len(text) <= 5:
        clock = datetime.strptime(text, "%H:%M").time()
        return datetime.combine(now.astimezone(zone).date(), clock, tzinfo=zone)
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=zone)


def person_cell(label: str, width: int = 16) -> str:
    return clip(label, width)


def role_may(screen: DeskScreen, action: Action) -> bool:
    actor = screen.desk_app.actor
    return actor is not None and can(actor.role, action).ok


def refuse_for_role(screen: DeskScreen, action: Action) -> bool:
    """True when the signed-in role may do ``action``; otherwise says why, naming the role."""
    actor = screen.desk_app.actor
    if actor is None:
        return False
    decision: Decision = can(actor.role, action)
    if decision.ok:
        return True
    screen.desk_app.remember_refusal(decision.rule_ids)
    screen.notify(
        _("You are signed in as {role}. {why}").format(role=role_title(actor.role), why=str(decision))
        + "\n" + _("Press w to see why."),
        title=_("Not done"),
        severity="warning",
    )
    return False


def fill_select(select: Select[Any], options: Sequence[tuple[str, Any]], keep: Any = None) -> None:
    """Replace a Select's choices, keeping ``keep`` chosen when it is still offered."""
    select.set_options(options)
    if keep is not None and any(value == keep for _label, value in options):
        select.value = keep
