"""What is waiting for me: a tab for each kind of thing others left for the person, and
Enter takes them to where it is done (TK-11, LV-3, SW-1, HO-2, HO-3, ST-4).

The tabs are the kinds this person's role receives, as the service says; each
lists its things a page at a time, the most pressing first.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from csdesk.i18n import N_, _
from csdesk.screens.kit.services import inbox, notices, notifications
from csdesk.screens.kit.tables import ViewRow, view_of
from csdesk.screens.kit.tabs import TabbedScreen, relabel_tab
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import DESK_OVERVIEW
from csdesk.screens.registry import Target
from csdesk.screens.service_worker import report_failure
from csdesk.text import clip
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable

# Each kind's tab title, in home's order; the service decides which a person gets.
KINDS = (
    ("escalations", N_("Escalated to me")),
    ("skipped", N_("Skipped, to know")),
    ("leave", N_("Leave to approve")),
    ("swaps", N_("Swaps to approve")),
    ("handover", N_("Handover to acknowledge")),
    ("notices", N_("Notices to read")),
    ("sla", N_("My cases near SLA")),
    ("summaries", N_("Intern summaries")),
)
TITLES = dict(KINDS)
PAGE = 20


def kind_title(kind: str) -> str:
    return _(TITLES.get(str(kind), str(kind)))


class InboxTable(PagedTable):
    BINDINGS = [Binding("enter", "select_cursor", N_("Act on it"), id="inbox-open")]

    def __init__(self, kind: str, fetch: Any, *, shown: bool) -> None:
        super().__init__(
            (N_("Since"), N_("What"), N_("Detail")),
            fetch,
            row_key=lambda row: str(view_of(row).ref_id),
            page_size=PAGE,
            load_on_mount=shown,
            id=f"inbox-{kind}",
        )
        self.kind = kind


class InboxScreen(TabbedScreen):
    """``kinds``: the tabs to show, as home knows them; none: asked of the service first."""

    watches = DESK_OVERVIEW

    CSS_PATH = "inbox.tcss"
    kept_between_openings = True

    def __init__(self, initial: str | None = None, kinds: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.initial = initial
        self.kinds = kinds

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading what waits for you…"), id="inbox-status", markup=False)
        kinds = self.kinds
        if kinds:
            first = self.initial if self.initial in kinds else kinds[0]
            with TabbedContent(id="inbox-tabs", initial=f"tab-{first}"):
                for kind in kinds:
                    with TabPane(kind_title(kind), id=f"tab-{kind}"):
                        yield InboxTable(kind, self._fetcher(kind), shown=kind == first)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("What waits for me")
        self.load_counts()

    def load_counts(self) -> None:
        self.run_service(
            inbox.inbox_counts, self.desk_app.actor, on_done=self._counted, group="inbox-counts", exclusive=True
        )

    def _counted(self, counts: Any) -> None:
        kinds = tuple(str(kind) for kind in counts.counts)
        if kinds != self.kinds or not self.query(TabbedContent):
            self.kinds = kinds
            self.call_next(self._rebuild, counts)
            return
        tabbed = self.query_one(TabbedContent)
        for kind in kinds:
            label = Text(kind_title(kind))
            waiting = counts.counts.get(kind, 0)
            label.append(f" {waiting}", style="bold" if waiting else "dim")
            relabel_tab(tabbed, f"tab-{kind}", label)
        self.query_one("#inbox-status", Static).update(
            _("{n} thing(s) wait for you. Enter acts on the one under the cursor.").format(n=counts.total)
        )

    async def _rebuild(self, counts: Any) -> None:
        await self.recompose()
        if self.query(TabbedContent):
            self._counted(counts)
            self.call_after_refresh(self.focus_in_tab)

    def _fetcher(self, kind: str) -> Any:
        app = self.desk_app

        def fetch(offset: int, limit: int, _text: str) -> list[ViewRow]:
            try:
                lines = app.call_service(inbox.inbox_page, app.actor, kind, offset, limit)
            except Exception as exc:  # noqa: BLE001 - shown like any refused call
                app.call_from_thread(report_failure, app, exc, None)
                return []
            zone = app.policy.zone
            width = max(20, self.app.size.width - 11 - 36 - 2 * 4)
            return [
                ViewRow(
                    line,
                    [
                        local(line.at, zone),
                        Text(clip(line.title, 36), style="bold red" if line.urgent else ""),
                        clip(line.detail, width),
                    ],
                )
                for line in lines
            ]

        return fetch

    @on(TabbedContent.TabActivated)
    def _tab_shown(self) -> None:
        self.follow_tab()

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        for table in self.query(InboxTable):
            table.refresh_rows()
        self.load_counts()

    @on(DataTable.RowSelected)
    def _act(self, event: DataTable.RowSelected) -> None:
        event.stop()
        table = event.data_table
        if not isinstance(table, InboxTable):
            return
        row = table.row_at_cursor()
        if row is not None:
            self.act_on(view_of(row))

    def act_on(self, line: Any) -> None:
        kind = str(line.kind)
        actor = self.desk_app.actor
        if kind in ("escalations", "sla"):
            self._open_ticket(line.ticket_id)
        elif kind == "skipped":
            self.run_service(
                notifications.mark_notification_read,
                actor,
                line.ref_id,
                on_done=lambda _n: self._open_ticket(line.ticket_id),
            )
        elif kind == "notices":
            self.run_service(
                notices.acknowledge_notice,
                actor,
                line.ref_id,
                on_done=lambda n: self.notify(_("Acknowledged: {title}").format(title=clip(n.title, 40))),
            )
        else:
            # Named, not imported: those screens are loaded only when someone goes there.
            where = {
                "leave": ("csdesk.screens.leave:LeaveScreen", ()),
                "swaps": ("csdesk.screens.swaps:SwapsScreen", ()),
                "handover": ("csdesk.screens.handover:HandoverScreen", ()),
                "summaries": ("csdesk.screens.interns:InternsScreen", ()),
            }
            path, args = where[kind]
            self.app.push_screen(Target(path, args)())

    def _open_ticket(self, ticket_id: int | None) -> None:
        if ticket_id is None:
            return
        from csdesk.screens.ticket import TicketScreen

        self.app.push_screen(TicketScreen(ticket_id))


__all__ = ["KINDS", "InboxScreen", "kind_title"]
