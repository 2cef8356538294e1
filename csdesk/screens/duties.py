"""The duties calendar (SC-5, TK-17): a week or a month of meetings and reports with their state.

``[`` and ``]`` step through weeks (or months), ``m`` switches between the two,
``d`` marks the highlighted duty done when the signed-in role keeps it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.services import duties
from csdesk.screens.kit.tables import add_columns, cursor_index
from csdesk.screens.kit.times import WHEN_WIDTH
from csdesk.screens.kit.watched import DUTIES
from csdesk.text import clip
from csdesk.vocabulary import CALENDAR_STATES, styled
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.plain_table import PlainTable


def span(anchor: date, month: bool) -> tuple[date, date]:
    """The week (Monday to Sunday) or the calendar month holding ``anchor``."""
    if month:
        first = anchor.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    monday = anchor - timedelta(days=anchor.weekday())
    return monday, monday + timedelta(days=6)


class DutiesScreen(DeskScreen):
    watches = DUTIES
    CSS_PATH = "duties.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("left_square_bracket", "step(-1)", N_("Earlier"), id="duties-prev"),
        Binding("right_square_bracket", "step(1)", N_("Later"), id="duties-next"),
        Binding("m", "toggle_month", N_("Week/month"), id="duties-span"),
        Binding("d", "done", N_("Duty done"), id="duties-done"),
    ]

    def __init__(self, anchor: date | None = None, month: bool = False) -> None:
        super().__init__()
        self.shown_day = anchor
        self.month = month
        self.lines: list[Any] = []
        self._title_width = 30
        # The day that was today when last worked out: while its week (or month) is the one
        # shown, opening the screen again later shows the week (or month) of the day it is then.
        self._today: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the duties…"), id="duties-title", markup=False)
        table: PlainTable = PlainTable(id="duties-table", cursor_type="row", zebra_stripes=True)
        # Room beyond 80 columns goes to the duty titles, so wide terminals read them whole.
        self._title_width = 30 + max(0, self.app.size.width - 80) // 2
        add_columns(
            table, (_("When"), WHEN_WIDTH), (_("Duty"), self._title_width), (_("State"), 10), (_("Done by"), 14)
        )
        yield table
        yield Static("", id="duties-detail", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Duties calendar")
        self._today = self.desk_app.today()
        if self.shown_day is None:
            self.shown_day = self._today
        self.load()
        self.query_one("#duties-table", DataTable).focus()

    def reopen(self) -> None:
        super().reopen()
        today = self.desk_app.today()
        shown, before = self.shown_day, self._today
        if shown is not None and before is not None and span(shown, self.month) == span(before, self.month):
            self.shown_day = today
        self._today = today

    def load(self) -> None:
        assert self.shown_day is not None
        first, last = span(self.shown_day, self.month)
        self.run_service(
            duties.duty_calendar, self.desk_app.actor, first, last, on_done=self._show, group="duties", exclusive=True
        )

    def on_data_changed(self, message: Any) -> None:
        super().on_data_changed(message)
        self.load()

    def _show(self, lines: tuple[duties.DutyLine, ...]) -> None:
        assert self.shown_day is not None
        table = self.query_one("#duties-table", DataTable)
        row_before = table.cursor_row
        table.clear()
        self.lines = list(lines)
        for line in self.lines:
            state, style = styled(CALENDAR_STATES, line.status)
            who = Text(clip(line.done_by, 14)) if line.done_by else Text(_("yours") if line.mine else "", style="dim")
            table.add_row(
                formats.recent(line.at), clip(_(line.title), self._title_width), Text(state, style=style), who
            )
        if self.lines:
            table.move_cursor(row=min(max(row_before, 0), len(self.lines) - 1))
        first, last = span(self.shown_day, self.month)
        open_ = sum(1 for line in self.lines if str(line.status) == "overdue")
        heading = (
            _("Duties · {month}").format(month=formats.month_year(first))
            if self.month
            else _("Duties · week of {first}–{last}").format(
                first=formats.short_date(first), last=formats.short_date(last)
            )
        )
        if open_:
            heading += " · " + _("{n} overdue").format(n=open_)
        self.query_one("#duties-title", Static).update(heading)
        self._show_detail()
        self.refresh_bindings()

    def _current(self) -> Any:
        if not self.lines:
            return None
        table = self.query_one("#duties-table", DataTable)
        return self.lines[cursor_index(table, len(self.lines))]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        line = self._current()
        detail = self.query_one("#duties-detail", Static)
        if line is None:
            detail.update(_("No duties of yours fall in this period."))
            return
        parts = [_(line.title), ", ".join(line.rule_ids)]
        if line.done_at is not None:
            done_at = line.done_at.astimezone(line.at.tzinfo)
            parts.append(_("done by {who} at {when}").format(who=line.done_by, when=formats.recent(done_at)))
        elif not line.mine:
            parts.append(_("kept by another role"))
        detail.update(" · ".join(parts))

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "done":
            line = self._current()
            return line is not None and line.mine and str(line.status) != "done"
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Any:
        if refused := tuple(super().why_rule_ids()):
            return refused
        line = self._current()
        return tuple(line.rule_ids) if line is not None else ()

    def action_step(self, step: int) -> None:
        assert self.shown_day is not None
        first, last = span(self.shown_day, self.month)
        self.shown_day = (last + timedelta(days=1)) if step > 0 else (first - timedelta(days=1))
        self.load()

    def action_toggle_month(self) -> None:
        self.month = not self.month
        self.load()

    def action_done(self) -> None:
        line = self._current()
        if line is None:
            return
        self.run_service(duties.mark_duty_done, self.desk_app.actor, line.duty_id, line.at, on_done=self._marked)

    def _marked(self, line: duties.DutyLine) -> None:
        self.notify(_("Done: {title}").format(title=clip(_(line.title), 40)))
        self.load()
