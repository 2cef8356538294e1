"""The month's typing tests (ST-3): the leader records each person's speed; below the grade's bar
is flagged on the person's row and stays there."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from csdesk.i18n import N_, _, current_language
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.forms import FormModal
from csdesk.screens.kit.services import typing_tests
from csdesk.screens.kit.tables import add_columns, cursor_back_on, cursor_index
from csdesk.screens.kit.watched import TYPING
from csdesk.text import clip
from csdesk.vocabulary import grade_label
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field
from csdesk.widgets.plain_table import PlainTable


class TypingResultModal(FormModal):
    """ST-3: one person's speed for the month."""

    title_text = N_("Typing test")

    def fields(self) -> ComposeResult:
        line, month = self.view
        yield Static(
            _("{who}, {grade}: the bar is {bar} characters a minute ({month})").format(
                who=line.label, grade=grade_label(line.grade), bar=line.bar, month=month
            ),
            markup=False,
        )
        value = "" if line.chars_per_minute is None else str(line.chars_per_minute)
        yield Field("chars_per_minute", _("Characters a minute"), Input(value, id="typing-speed", max_length=3))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#typing-speed", Input))

    def submit(self) -> None:
        line, month = self.view
        self.call(typing_tests.record_typing_test, line.staff_id, month, self.query_one("#typing-speed", Input).value)


class TypingTestsScreen(DeskScreen):
    watches = TYPING
    CSS_PATH = "typing_tests.tcss"
    kept_between_openings = True
    BINDINGS = [Binding("enter", "record", N_("Record result"), id="typing-record")]

    def __init__(self) -> None:
        super().__init__()
        self.lines: tuple[Any, ...] = ()
        self.month = ""
        self._drawn: object = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="typing-title", markup=False)
        table: PlainTable = PlainTable(id="typing-table", cursor_type="row")
        add_columns(table, (_("Person"), 24), (_("Grade"), 12), (_("Bar"), 5), (_("Speed"), 6), (_("Result"), 24))
        yield table
        yield Static("", id="typing-detail", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Typing tests")
        self.reload()

    def reload(self) -> None:
        # The month is today's, asked again: a screen kept between openings may outlive a month.
        self.month = f"{self.desk_app.today():%Y-%m}"
        self.query_one("#typing-title", Static).update(
            _("Typing tests of {month}: Enter records a result (ST-3)").format(month=self.month)
        )
        self.load()

    def load(self) -> None:
        self.run_service(
            typing_tests.typing_month,
            self.desk_app.actor,
            self.month,
            on_done=self._show,
            group="typing",
            exclusive=True,
        )

    def on_data_changed(self, message: Any) -> None:
        super().on_data_changed(message)
        self.reload()

    def _show(self, lines: tuple[Any, ...]) -> None:
        table = self.query_one("#typing-table", DataTable)
        # Opened again with nothing changed, the rows are left as drawn: drawing them
        # again was most of opening the kept sheet.
        drawn = (tuple(lines), current_language())
        if drawn != self._drawn:
            self._fill(lines)
            self._drawn = drawn
        table.focus()
        self._show_detail()

    def _fill(self, lines: tuple[Any, ...]) -> None:
        table = self.query_one("#typing-table", DataTable)
        row = table.cursor_row
        # Back on the person the cursor was on, wherever the change moved them.
        before = self.lines[row].staff_id if 0 <= row < len(self.lines) else None
        self.lines = lines
        table.clear()
        for line in lines:
            if line.chars_per_minute is None:
                result = Text(_("not tested yet"), style="dim")
            elif line.below_bar:
                result = Text(_("below the bar"), style="bold red")
            else:
                result = Text(_("meets the bar"), style="green")
            table.add_row(
                clip(line.label, 24),
                grade_label(line.grade),
                str(line.bar),
                "" if line.chars_per_minute is None else str(line.chars_per_minute),
                result,
                key=str(line.staff_id),
            )
        cursor_back_on(table, [line.staff_id for line in lines], before, row)

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        detail = self.query_one("#typing-detail", Static)
        index = cursor_index(self.query_one("#typing-table", DataTable), len(self.lines))
        if not self.lines or index is None:
            detail.update(_("Nobody to test in this squad."))
            return
        line = self.lines[index]
        detail.update(line.remark or _("{who}: no result this month yet.").format(who=line.label))
        detail.set_class(line.below_bar, "-below")

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_record()

    def action_record(self) -> None:
        index = cursor_index(self.query_one("#typing-table", DataTable), len(self.lines))
        if not self.lines or index is None:
            return
        self.app.push_screen(TypingResultModal((self.lines[index], self.month)), self._saved)

    def _saved(self, line: Any) -> None:
        if line is None:
            return
        self.notify(_("Saved: {who} {speed} characters a minute.").format(who=line.label, speed=line.chars_per_minute))
        self.load()
