"""The first screen after sign-in: my shift, my tickets, notices to read, duties, the squad.

Every other area is one key (or the palette) away. Areas are reached through
the palette's catalogue, which names each area's screens without importing
them: home is ready before any area is loaded, and an area missing from the
catalogue only has no key.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.css.scalar import Scalar
from textual.widgets import DataTable, Header, Static

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.rules.staff import Action, can
from csdesk.rules.vocab import TicketStatus
from csdesk.screens.base import DeskScreen
from csdesk.screens.commands import DeskCommand, areas, commands_offered, load_area_modules
from csdesk.screens.kit.services import duties, home, inbox, notices, queues
from csdesk.screens.kit.tables import add_columns, cursor_index
from csdesk.screens.kit.times import WHEN_WIDTH, local
from csdesk.text import clip
from csdesk.vocabulary import (
    BOARD_STATES,
    DUTY_STATES,
    queue_word,
    role_title,
    shift_title,
    styled,
    ticket_status_label,
)
from csdesk.widgets.detail import DetailModal
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.key_row import KeyRow
from csdesk.widgets.live import DataChanged
from csdesk.widgets.plain_table import PlainTable
from csdesk.widgets.sla import row_sla_text

# Key -> the screen module of the area it opens, and the name it has on the key.
AREA_KEYS = (
    ("o", "timeclock", N_("Time clock")),
    ("r", "rollcall", N_("Roll call")),
    ("t", "attendance", N_("Attendance")),
    ("q", "queues", N_("Queues")),
    ("i", "intake", N_("Intake")),
    ("h", "handover", N_("Handover")),
    ("l", "leave", N_("Leave & swaps")),
    ("f", "fines", N_("Fines")),
    ("u", "duties", N_("Duties")),
    ("n", "interns", N_("Interns")),
    ("c", "contacts", N_("Contacts")),
    ("k", "knowledge", N_("Knowledge")),
    ("g", "quality", N_("Quality")),
    ("e", "evaluation", N_("Evaluation")),
    ("m", "memo", N_("Memo book")),
    ("s", "roster", N_("Roster")),
)

# What waits for me, as home counts it: each kind's short name, in the inbox's order.
INBOX_WORDS = {
    "escalations": N_("Escalated"),
    "skipped": N_("Skipped"),
    "leave": N_("Leave"),
    "swaps": N_("Swaps"),
    "handover": N_("Handover"),
    "notices": N_("Notices"),
    "sla": N_("Near SLA"),
    "summaries": N_("Summaries"),
}
TICKETS_SHOWN = 20
# As tall as any table of home may be (home.tcss); more when the terminal has the rows.
BOARD_ROWS = 12
NOTICES_SHOWN = 20


def area_commands(module: str, actor: Any) -> list[DeskCommand]:
    """The palette commands of screen module ``module`` offered to the signed-in ``actor``."""
    load_area_modules()
    owner = f"csdesk.screens.{module}"
    return [c for area in areas() for c in commands_offered(area, actor) if c.owner == owner]


class TicketsTable(PlainTable):
    """My open tickets: Enter opens the one under the cursor, and the footer says so."""

    BINDINGS = [Binding("enter", "select_cursor", N_("Open ticket"), id="open-ticket")]


def _hhmm(moment: Any) -> str:
    return f"{moment:%H:%M}" if moment is not None else ""


# The service modules ``reload`` calls as home loads.
LOADED_FROM = ("home", "inbox", "queues", "notices")


def read_ahead() -> None:
    """Import what home loads from; the desk does this behind the sign-in screen."""
    for module in LOADED_FROM:
        import_module(f"csdesk.services.{module}")


class HomeScreen(DeskScreen):
    # None: home reloads on any change. Left without the reload the sign-in's own commit
    # gives it, its squad board's scroll bar sometimes ends a column off (test_home_snapshot).
    watches = None
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("a", "acknowledge", N_("Acknowledge"), id="acknowledge-notice"),
        # Too many to fit a footer at 80 columns: the "Go to" row of the body shows them.
        *(Binding(key, f"go('{module}')", title, id=f"go-{module}", show=False) for key, module, title in AREA_KEYS),
        Binding("d", "duty_done", N_("Duty done"), id="duty-done"),
        Binding("p", "publish_notice", N_("Publish notice"), id="publish-notice"),
        # The "Waiting for me" line numbers its kinds; the number opens that kind's list.
        *(
            Binding(str(n), f"inbox({n})", N_("What waits for me"), id=f"inbox-{n}", show=False)
            for n in range(1, len(INBOX_WORDS) + 1)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._notices: list[notices.NoticeView] = []
        self._inbox_kinds: tuple[str, ...] = ()
        self._duties: list[Any] = []
        self._areas_for: Any = None
        self._areas: frozenset[str] = frozenset()
        # Room beyond 80 columns goes to subjects and titles (fixed for the screen's life).
        self._wide = 0
        self._status_width = 10
        self._subject_width = 30

    def compose(self) -> ComposeResult:
        actor = self.desk_app.actor
        yield Header()
        if actor is not None:
            yield Static(self._who(actor, None), id="home-who", markup=False)
        yield Static(_("Loading your shift…"), id="home-shift", markup=False)
        yield KeyRow(N_("Go to:"), (f"go-{module}" for _key, module, _title in AREA_KEYS), id="home-goto")
        yield Static(_("Waiting for me: …"), id="home-inbox")
        with VerticalScroll(id="home-body"):
            yield Static(_("My tickets"), id="home-tickets-title", classes="home-title")
            tickets = TicketsTable(id="home-tickets", cursor_type="row")
            self._wide = max(0, self.app.size.width - 80) // 2
            # A status whole ("waiting for customer") once the terminal has the room, taken from
            # what a wide terminal gives the subject.
            longest = max(cell_len(ticket_status_label(status)) for status in TicketStatus)
            self._status_width = max(10, min(longest, 10 + self._wide))
            self._subject_width = 30 + self._wide - (self._status_width - 10)
            add_columns(
                tickets,
                (_("Ticket"), 7),
                (_("Subject"), self._subject_width),
                (_("Status"), self._status_width),
                (_("Time left"), 18),
            )
            yield tickets
            yield Static(_("Unread notices"), id="home-notices-title", classes="home-title")
            notice_table: PlainTable = PlainTable(id="home-notices", cursor_type="row")
            add_columns(notice_table, (_("Published"), WHEN_WIDTH), (_("Title"), 36 + self._wide), (_("By"), 14))
            yield notice_table
            yield Static(_("Duties"), id="home-duties-title", classes="home-title")
            duties: PlainTable = PlainTable(id="home-duties", cursor_type="row")
            add_columns(duties, (_("When"), WHEN_WIDTH), (_("Duty"), 36), (_("State"), 18))
            yield duties
            if actor is not None and actor.role.is_leader and actor.squad_id is not None:
                yield Static(_("Squad board"), id="home-board-title", classes="home-title")
                yield Static("", id="home-board-counts", markup=False)
                board: PlainTable = PlainTable(id="home-board", cursor_type="row")
                add_columns(board, (_("No."), 6), (_("Name"), 16), (_("State"), 18), (_("Since"), 6), (_("Tickets"), 7))
                yield board
                yield Static("", id="home-queues", markup=False)
        yield Static(_("ctrl+p goes anywhere, # opens a ticket, ? lists the keys."), id="home-hint", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.reload()

    def can_go_back(self) -> bool:
        # Esc on home would sign the person out by accident; that is a command instead.
        return False

    # -- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        actor = self.desk_app.actor
        if actor is None:
            return
        self.run_service(home.home_summary, actor, on_done=self._show_summary, group="home-summary", exclusive=True)
        self.run_service(inbox.inbox_counts, actor, on_done=self._show_inbox, group="home-inbox", exclusive=True)
        self.run_service(
            queues.queue_page,
            actor,
            "mine",
            0,
            TICKETS_SHOWN,
            on_done=self._show_tickets,
            group="home-tickets",
            exclusive=True,
        )
        self._reload_notices()

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.reload()

    def _who(self, actor: Any, squad: str | None) -> str:
        parts = [actor.name, _("No. {number}").format(number=actor.employee_number), role_title(actor.role)]
        if squad:
            parts.append(_("Squad {name}").format(name=squad))
        return " · ".join(parts)

    def _shift_text(self, info: Any) -> str:
        name = shift_title(info.kind)
        when = f"{formats.day_and_clock(info.starts_at)}–{formats.clock(info.ends_at)}"
        state = _("running now") if info.running else _("roll call at {time}").format(time=_hhmm(info.roll_call_at))
        return f"{name} {when} · {state}"

    def _show_summary(self, summary: home.HomeSummary) -> None:
        actor = self.desk_app.actor
        shift = summary.shift
        self.query_one("#home-who", Static).update(self._who(actor, shift.squad))
        if shift.mine is not None:
            text = _("My shift: {shift}").format(shift=self._shift_text(shift.mine))
            if shift.holiday_duty:
                text += " · " + _("holiday duty")
        else:
            text = _("No shift of mine in the coming week.")
        if shift.centre_shift is None:
            text += "  " + _("(the centre is between shifts)")
        self.query_one("#home-shift", Static).update(text)
        self._show_duties(summary.duties)
        if summary.board is not None and self.query("#home-board"):
            self._show_board(summary.board)
        self._refit_board()
        self.refresh_bindings()

    def on_resize(self) -> None:
        self._refit_board()

    def _refit_board(self) -> None:
        # Home's parts arrive each in its own answer, in any order: each one shown may have
        # taken or given back rows the board was fitted around.
        self.call_after_refresh(self._fit_board)

    def _fit_board(self) -> None:
        """The squad board takes the rows the rest of home leaves free on a tall terminal,
        so a big squad is seen whole; never fewer than the other tables get."""
        boards = self.query("#home-board")
        if not boards or not self.is_attached:
            return
        board = boards.first(DataTable)
        body = self.query_one("#home-body", VerticalScroll)
        # What the body's content needs, not its virtual size, which is never less than its view.
        needed = max((child.virtual_region_with_margin.bottom for child in body.children if child.display), default=0)
        others = needed - board.outer_size.height
        rows = max(BOARD_ROWS, body.content_size.height - others)
        if board.styles.max_height != Scalar.from_number(rows):
            board.styles.max_height = rows

    def _show_inbox(self, counts: Any) -> None:
        self._inbox_kinds = tuple(str(kind) for kind in counts.counts)
        text = Text(_("Waiting for me:"), style="bold")
        # Lines broken between kinds, never between a kind and its count (80 columns take
        # five of seven on a line).
        width = max(20, self.app.size.width - 2)
        used = text.cell_len
        for number, kind in enumerate(self._inbox_kinds, start=1):
            waiting = counts.counts.get(kind, 0)
            item = Text()
            item.append(str(number), style="bold reverse")
            item.append(f" {_(INBOX_WORDS.get(kind, kind))} ")
            item.append(str(waiting), style="bold red" if waiting else "dim")
            if used + 2 + item.cell_len > width:
                text.append("\n")
                used = 0
            else:
                text.append("  ")
                used += 2
            text.append_text(item)
            used += item.cell_len
        self.query_one("#home-inbox", Static).update(text)
        self._refit_board()
        self.refresh_bindings()

    def _show_tickets(self, rows: tuple[queues.QueueRow, ...]) -> None:
        table = self.query_one("#home-tickets", DataTable)
        table.clear()
        for row in rows:
            if row.paused or (row.sla_state is not None and row.time_left is not None):
                sla = row_sla_text(row)
            else:
                sla = Text(_("no timer"))
            table.add_row(
                f"#{row.ticket_id}",
                clip(row.subject, self._subject_width),
                clip(ticket_status_label(row.status), self._status_width),
                sla,
                key=str(row.ticket_id),
            )
        title = _("My tickets ({count})").format(count=len(rows)) if rows else _("My tickets: none open")
        self.query_one("#home-tickets-title", Static).update(title)
        table.display = bool(rows)
        # Enter opens the first ticket at once, rather than landing on the scrolling body.
        # The body is not scrolled to it: the list was just shown and its height is not
        # laid out yet, so scrolling would push the section's title off the top.
        if rows and (self.focused is None or self.focused.id == "home-body"):
            table.focus(scroll_visible=False)
        self._refit_board()

    def _reload_notices(self) -> None:
        self.run_service(
            notices.unread_notices,
            self.desk_app.actor,
            NOTICES_SHOWN,
            on_done=self._show_notices,
            group="home-notices",
            exclusive=True,
        )

    def _show_notices(self, unread: tuple[notices.NoticeView, ...]) -> None:
        table = self.query_one("#home-notices", DataTable)
        table.clear()
        self._notices = list(unread)
        for notice in unread:
            table.add_row(
                local(notice.published_at, self.desk_app.zone),
                clip(notice.title, 36 + self._wide),
                clip(notice.author_name, 14),
                key=str(notice.id),
            )
        if unread:
            title = _("Unread notices ({count}) — Enter reads, a acknowledges the one under the cursor").format(
                count=len(unread)
            )
        else:
            title = _("Unread notices: none, all read")
        self.query_one("#home-notices-title", Static).update(title)
        table.display = bool(unread)
        self._refit_board()
        self.refresh_bindings()

    def _show_duties(self, duties: Any) -> None:
        table = self.query_one("#home-duties", DataTable)
        table.clear()
        self._duties = list(duties)
        today = self.desk_app.today()
        for line in duties:
            state, style = styled(DUTY_STATES, line.status)
            if line.missed:
                state += " " + _("(+{n})").format(n=line.missed)
            # Earlier days carry their date, so last Monday never reads as today.
            when = formats.clock(line.at) if line.at.date() == today else formats.recent(line.at)
            # Duty titles are the policy's words; the shipped ones are in the catalogue.
            table.add_row(when, clip(_(line.title), 36), Text(state, style=style))
        self.query_one("#home-duties-title", Static).update(
            _("Duties today ({count})").format(count=len(duties)) if duties else _("Duties today: none")
        )
        table.display = bool(duties)

    def _show_board(self, board: Any) -> None:
        table = self.query_one("#home-board", DataTable)
        table.clear()
        for line in board.lines:
            state, style = styled(BOARD_STATES, line.state)
            if line.late and line.state in ("present", "away", "gone"):
                state += " " + _("(late)")
            table.add_row(
                line.employee_number,
                clip(line.name, 16),
                Text(state, style=style),
                _hhmm(line.since),
                str(line.open_tickets) if line.open_tickets else "",
                key=str(line.staff_id),
            )
        counts = [
            _("present {n}").format(n=board.count("present")),
            _("away {n}").format(n=board.count("away")),
            _("on leave {n}").format(n=board.count("leave")),
            _("not in {n}").format(n=board.count("not_in")),
        ]
        if board.count("absent"):
            counts.append(_("absent {n}").format(n=board.count("absent")))
        marked = sum(1 for line in board.lines if line.marked_at_roll_call)
        if marked:
            # Marks of a roll call still open show at once; attendance is written when it closes.
            counts.append(_("roll call open: {n} marked").format(n=marked))
        self.query_one("#home-board-title", Static).update(_("Squad board: {squad}").format(squad=board.squad))
        self.query_one("#home-board-counts", Static).update(" · ".join(counts))
        loads = [
            f"{queue_word(q.queue)} {q.total}" + (f" ({_('{n} overdue').format(n=q.breached)})" if q.breached else "")
            for q in board.queues
            if q.queue != "mine"
        ]
        self.query_one("#home-queues", Static).update(_("Queue load: ") + " · ".join(loads))

    # -- keys -----------------------------------------------------------------------------

    def _areas_offered(self, actor: Any) -> frozenset[str]:
        """The screen modules with a command for ``actor``: asked for every area key each time
        the footer's keys are checked, and the same for as long as the same person is in."""
        if self._areas_for is not actor:
            load_area_modules()
            self._areas = frozenset(
                c.owner.removeprefix("csdesk.screens.") for area in areas() for c in commands_offered(area, actor)
            )
            self._areas_for = actor
        return self._areas

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.desk_app.actor
        role = getattr(actor, "role", None)
        if action == "go":
            return role is not None and str(parameters[0]) in self._areas_offered(actor)
        if action == "acknowledge":
            return bool(self._notices)
        if action == "inbox":
            number = parameters[0]
            return isinstance(number, int) and number <= len(self._inbox_kinds)
        if action == "publish_notice":
            # HO-2: leaders and directors publish; others never see the key.
            return role is not None and can(role, Action.PUBLISH_NOTICE).ok
        if action == "duty_done":
            # SC-5, TK-17: only the keeper of a duty marks it done; others never see the key.
            return any(line.mine for line in self._duties)
        return super().check_action(action, parameters)

    def action_go(self, module: str) -> None:
        found = area_commands(module, self.desk_app.actor)
        if not found:
            title = next((t for _k, m, t in AREA_KEYS if m == module), module)
            self.notify(_("{area} is not available on this desk yet.").format(area=_(title)))
            return
        found[0].run(self.app)

    def action_inbox(self, number: int) -> None:
        if not 1 <= number <= len(self._inbox_kinds):
            return
        from csdesk.screens.inbox import InboxScreen

        self.app.push_screen(InboxScreen(self._inbox_kinds[number - 1], self._inbox_kinds))

    @on(DataTable.RowSelected, "#home-tickets")
    def _open_ticket(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is None:
            return
        # Imported on first use, like the areas: home is ready before any other screen loads.
        from csdesk.screens.ticket import TicketScreen

        self.app.push_screen(TicketScreen(int(event.row_key.value)))

    @on(DataTable.RowSelected, "#home-notices")
    def _open_notice(self, event: DataTable.RowSelected) -> None:
        """HO-2: the whole notice, to read before acknowledging it."""
        event.stop()
        found = next((n for n in self._notices if str(n.id) == event.row_key.value), None)
        if found is None:
            return
        byline = _("Published {when} by {who}").format(
            when=local(found.published_at, self.desk_app.zone), who=found.author_name
        )
        body = found.body or _("(no text beyond the title)")
        self.app.push_screen(DetailModal(found.title, f"{body}\n\n{byline}\n" + _("a acknowledges it on home.")))

    def action_publish_notice(self) -> None:
        from csdesk.screens.notices import PublishNoticeModal

        self.app.push_screen(PublishNoticeModal(None), self._published)

    def _published(self, notice: Any) -> None:
        if notice is None:
            return
        self.notify(_("Notice published: {title}").format(title=clip(notice.title, 40)), title=_("Saved"))
        self._reload_notices()

    def action_acknowledge(self) -> None:
        if not self._notices:
            return
        table = self.query_one("#home-notices", DataTable)
        notice_id = self._notices[cursor_index(table, len(self._notices))].id
        self.run_service(notices.acknowledge_notice, self.desk_app.actor, notice_id, on_done=self._acknowledged)

    def _acknowledged(self, notice: notices.NoticeView) -> None:
        self.notify(_("Acknowledged: {title}").format(title=clip(notice.title, 40)))
        self._reload_notices()

    def action_duty_done(self) -> None:
        if not self._duties:
            return
        table = self.query_one("#home-duties", DataTable)
        line = self._duties[cursor_index(table, len(self._duties))]
        self.run_service(
            duties.mark_duty_done, self.desk_app.actor, line.duty_id, line.at, on_done=lambda _line: self.reload()
        )

    def why_rule_ids(self) -> Sequence[str]:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "home-duties" and self._duties:
            return tuple(self._duties[cursor_index(focused, len(self._duties))].rule_ids)
        return super().why_rule_ids()


def sign_out(app: Any) -> None:
    app.sign_out()


def back_home(app: Any) -> None:
    while len(app.screen_stack) > 2:
        app.pop_screen()


__all__ = ["HomeScreen", "area_commands", "back_home", "sign_out"]
