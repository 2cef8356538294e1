"""The month roster of a squad (SC-1..SC-3, SW, LV-9): people by day, edited by key, checked as you go.

Arrows move over people and days; ``d``/``n`` put the day or night shift on the
day, ``r`` makes it a rest day, ``h`` turns holiday duty on or off, ``c`` copies
the week onto another week of the month (the next one unless told otherwise),
``a`` proposes the whole month, ``p`` publishes the draft. Each day under the
cursor is checked against every roster rule, shown below the grid with its
rule IDs (``w`` tells why). ``[``/``]`` step through months, ``s`` to the next
squad (directors), ``v`` charts needed versus planned people per shift.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static
from textual_plotext import PlotextPlot

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.rules.vocab import ShiftKind
from csdesk.screens.base import DeskModal, DeskScreen
from csdesk.screens.kit.forms import FormModal
from csdesk.screens.kit.services import demand, proposals, rostering
from csdesk.screens.kit.watched import ROSTER
from csdesk.text import clip
from csdesk.vocabulary import PLANNER_TAGS, PLANNERS, ROSTER_CELLS, ROSTER_LEGEND, label, shift_label
from csdesk.widgets.confirm import Confirmed, ConfirmModal
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field
from csdesk.widgets.key_row import KeyRow
from csdesk.widgets.plain_table import PlainTable

NAME_WIDTH = 10
WEEKDAY_LETTERS = N_("Mo Tu We Th Fr Sa Su")


def month_after(first: date, step: int) -> date:
    month = first.month - 1 + step
    return date(first.year + month // 12, month % 12 + 1, 1)


def cell_text(cell: Any) -> Text:
    """Three columns: a gap, the letter, then * for holiday duty, ~ for a swapped day, V for leave."""
    if cell.leave and cell.shift is None:
        term = ROSTER_CELLS["leave"]
    elif cell.shift is None:
        term = ROSTER_CELLS["rest"]
    else:
        term = ROSTER_CELLS[cell.shift]
    mark = "*" if cell.holiday_duty else "~" if cell.swapped else "V" if cell.leave else " "
    style = term.colour + (" underline bold" if cell.draft else "")
    return Text(" " + term.letter + mark, style=style.strip())


class RosterScreen(DeskScreen):
    watches = ROSTER
    CSS_PATH = "roster.tcss"
    # Every edit is saved as it is made (as a draft until published): leaving loses nothing.
    kept_between_openings = True
    BINDINGS = [
        # Short words, so the editing keys and the desk's own fit the footer at 80 columns.
        Binding("d", "put('day')", N_("Daytime"), id="roster-day"),
        Binding("n", "put('night')", N_("Night"), id="roster-night"),
        Binding("r", "put('rest')", N_("Rest"), id="roster-rest"),
        Binding("h", "duty", N_("Holiday duty"), id="roster-duty"),
        # The footer has no room for these at 80 columns: the "Actions" row above it lists them.
        Binding("c", "copy_week", N_("Copy week"), id="roster-copy", show=False),
        Binding("a", "propose", N_("Propose month"), id="roster-propose", show=False),
        Binding("p", "publish", N_("Publish"), id="roster-publish", show=False),
        Binding("v", "chart", N_("Needed vs planned"), id="roster-chart", show=False),
        Binding("left_square_bracket", "month(-1)", N_("Earlier"), id="roster-prev", show=False),
        Binding("right_square_bracket", "month(1)", N_("Later"), id="roster-next", show=False),
        Binding("s", "next_squad", N_("Next squad"), id="roster-squad", show=False),
    ]
    ACTIONS = (
        "roster-copy",
        "roster-propose",
        "roster-publish",
        "roster-chart",
        "roster-prev",
        "roster-next",
        "roster-squad",
    )

    def __init__(self, month: date | None = None) -> None:
        super().__init__()
        self.month = month
        self.squads: tuple[tuple[int, str], ...] = ()
        self.squad_index = 0
        self.plan: Any = None
        self.needed: dict[tuple[date, str], int] = {}
        self.check: Any = None
        # Which planner made the draft proposed here, shown while the draft is there.
        self.proposed_by: str | None = None
        # The month it was when last worked out: while it is the one shown, opening the
        # screen again later shows the month it is then.
        self._this_month: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the roster…"), id="roster-title", markup=False)
        table: PlainTable = PlainTable(
            id="roster-table", cursor_type="cell", fixed_columns=1, header_height=2, cell_padding=0
        )
        yield table
        yield Static("", id="roster-cover", markup=False)
        yield Static("", id="roster-check")
        yield Static(_(ROSTER_LEGEND), id="roster-legend", markup=False)
        yield KeyRow(N_("Actions:"), self.ACTIONS, id="roster-more")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Roster")
        self._this_month = self.desk_app.today().replace(day=1)
        if self.month is None:
            self.month = self._this_month
        self.load_squads()
        self.query_one("#roster-table", DataTable).focus()

    def reopen(self) -> None:
        super().reopen()
        if self._this_month is not None:
            this_month = self.desk_app.today().replace(day=1)
            if self.month == self._this_month:
                self.month = this_month
            self._this_month = this_month

    def load_squads(self) -> None:
        self.run_service(
            rostering.plannable_squads, self.desk_app.actor, on_done=self._squads, group="squads", exclusive=True
        )

    def _squads(self, squads: tuple[tuple[int, str], ...]) -> None:
        chosen = self.squad_id if self.squads else None
        self.squads = tuple(squads)
        if not squads:
            self.query_one("#roster-title", Static).update(_("No squad to plan"))
            return
        # The squad chosen stays chosen when the list changes around it.
        ids = [squad_id for squad_id, _name in self.squads]
        self.squad_index = ids.index(chosen) if chosen in ids else 0
        if self.squad_id != chosen:
            self.load()

    @property
    def squad_id(self) -> int:
        return self.squads[self.squad_index][0]

    def load(self) -> None:
        if not self.squads:
            return
        actor = self.desk_app.actor
        self.run_service(
            rostering.month_plan, actor, self.squad_id, self.month, on_done=self._show, group="month", exclusive=True
        )

    def on_data_changed(self, message: Any) -> None:
        super().on_data_changed(message)
        self.load_squads()
        self.load()

    # -- showing ---------------------------------------------------------------------------

    def _show(self, plan: Any) -> None:
        table = self.query_one("#roster-table", DataTable)
        row, column = table.cursor_coordinate
        table.clear(columns=True)
        self.plan = plan
        letters = _(WEEKDAY_LETTERS).split()
        table.add_column(" " + _("Name"), width=NAME_WIDTH + 1, key="name")
        day = plan.first
        while day <= plan.last:
            label = Text(f"{day.day:>3}\n {letters[day.weekday()]}")
            if day in plan.holidays:
                label.stylize("bold red")
            elif day.weekday() >= 5:
                label.stylize("yellow")
            table.add_column(label, width=3, key=day.isoformat())
            day += timedelta(days=1)
        for person in plan.people:
            cells = [Text(" " + clip(person.name, NAME_WIDTH))]
            day = plan.first
            while day <= plan.last:
                cells.append(cell_text(plan.cell(person.staff_id, day)))
                day += timedelta(days=1)
            table.add_row(*cells, key=str(person.staff_id))
        if plan.people:
            first_day = 1 if column < 1 else column
            table.move_cursor(row=min(row, len(plan.people) - 1), column=min(first_day, len(table.columns) - 1))
        self._title()
        self.run_service(
            demand.month_coverage,
            self.desk_app.actor,
            self.squad_id,
            self.month,
            plan,
            on_done=self._coverage,
            group="coverage",
            exclusive=True,
        )
        self._check_here()

    def _title(self) -> None:
        plan = self.plan
        parts = [_("Roster"), plan.squad_name, formats.month_year(plan.first)]
        drafts = sum(1 for cell in plan.cells.values() if cell.draft)
        if drafts:
            parts.append(_("draft: {n} day(s) not published").format(n=drafts))
            if self.proposed_by is not None:
                parts.append(label(PLANNER_TAGS, self.proposed_by))
        else:
            self.proposed_by = None
            parts.append(_("published"))
        self.query_one("#roster-title", Static).update(" · ".join(parts))

    def _coverage(self, lines: tuple[Any, ...]) -> None:
        self.needed = {(line.day, str(line.kind)): line.needed for line in lines}
        self._show_cover()

    def _show_cover(self) -> None:
        here = self._here()
        cover = self.query_one("#roster-cover", Static)
        if here is None or self.plan is None:
            cover.update("")
            return
        _staff, day = here
        parts = []
        for kind in ShiftKind:
            planned = self.plan.planned(day, kind)
            needed = self.needed.get((day, kind.value))
            shown = f"{planned}/{needed}" if needed is not None else str(planned)
            parts.append(f"{shift_label(kind)} {shown}")
        cover.update(_("{day}: planned/needed {shifts}").format(day=formats.short_date(day), shifts=" · ".join(parts)))

    def _here(self) -> tuple[int, date] | None:
        if self.plan is None or not self.plan.people:
            return None
        table = self.query_one("#roster-table", DataTable)
        row, column = table.cursor_coordinate
        if column < 1 or row >= len(self.plan.people):
            return None
        return self.plan.people[row].staff_id, self.plan.first + timedelta(days=column - 1)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._show_cover()
        self._check_here()

    def _check_here(self) -> None:
        here = self._here()
        if here is None:
            self.check = None
            self.query_one("#roster-check", Static).update("")
            self.refresh_bindings()
            return
        self.run_service(
            rostering.check_plan_day, self.desk_app.actor, *here, on_done=self._checked, group="check", exclusive=True
        )

    def _checked(self, check: Any) -> None:
        if self._here() != (check.staff_id, check.day):
            return  # the cursor has moved on; its own check is on the way
        self.check = check
        text = Text()
        for decision in check.decisions:
            mark, style = ("✓", "green") if decision.ok else ("✗", "bold red")
            if decision.ok and str(decision.outcome) == "warning":
                mark, style = "!", "bold yellow"
            text.append(f"{mark} {'/'.join(decision.rule_ids)} ", style=style)
        # The most serious finding; when all is well, what the shift is (SC-1).
        first = check.decisions[0]
        shown = first if str(first.outcome) != "allowed" else check.decisions[-1]
        text.append("\n" + clip(shown.reason, max(20, self.app.size.width - 2)))
        self.query_one("#roster-check", Static).update(text)
        self.refresh_bindings()

    def why_rule_ids(self) -> tuple[str, ...]:
        if self.check is not None:
            return tuple(self.check.rule_ids)
        return tuple(super().why_rule_ids())

    # -- editing -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("put", "duty"):
            return self._here() is not None
        if action in ("copy_week", "publish", "propose", "chart", "month"):
            return self.plan is not None
        if action == "next_squad":
            return len(self.squads) > 1
        return super().check_action(action, parameters)

    def action_put(self, what: str) -> None:
        here = self._here()
        if here is None:
            return
        shift = None if what == "rest" else ShiftKind(what)
        self.run_service(rostering.plan_day, self.desk_app.actor, *here, shift, False, on_done=self._edited)

    def action_duty(self) -> None:
        here = self._here()
        if here is None:
            return
        cell = self.plan.cell(*here)
        self.run_service(
            rostering.plan_day,
            self.desk_app.actor,
            *here,
            cell.shift,
            not cell.holiday_duty,
            on_done=self._edited,
        )

    def _edited(self, check: Any) -> None:
        # Only what the service saved is shown: the cell, its counts, its check.
        staff_id, day = check.staff_id, check.day
        self.plan.cells[(staff_id, day)] = check.cell
        table = self.query_one("#roster-table", DataTable)
        table.update_cell(str(staff_id), day.isoformat(), cell_text(check.cell))
        self._title()
        self._show_cover()
        self._checked(check)

    def action_copy_week(self) -> None:
        here = self._here()
        # Without a day under the cursor, the month's first week is the one copied.
        source = here[1] if here is not None else self.plan.first
        self.app.push_screen(CopyWeekModal((self.squad_id, self.plan.first, source)), self._copied)

    def _copied(self, result: tuple[date, int] | None) -> None:
        if result is None:
            return
        monday, days = result
        self.notify(_("{n} day(s) copied onto the week of {day}").format(n=days, day=formats.short_date(monday)))
        self.load()

    def action_publish(self) -> None:
        question = _("Publish {squad}'s roster for {month}? People whose published days change are told.").format(
            squad=self.plan.squad_name, month=formats.month_year(self.plan.first)
        )
        self.app.push_screen(ConfirmModal(_("Publish the roster"), question, confirm_label=_("Publish")), self._publish)

    def _publish(self, answer: Confirmed | None) -> None:
        if answer is None:
            return
        self.run_service(
            rostering.publish_month, self.desk_app.actor, self.squad_id, self.month, on_done=self._published
        )

    def _published(self, result: Any) -> None:
        self.notify(
            _("Published: {days} day(s) written, {told} person(s) told").format(days=result.days, told=result.told)
        )
        self.load()

    def action_propose(self) -> None:
        question = _(
            "Propose {squad}'s roster for {month}? Every day not gone by and not set by a swap is planned again, "
            "as a draft to review before publishing."
        ).format(squad=self.plan.squad_name, month=formats.month_year(self.plan.first))
        self.app.push_screen(ConfirmModal(_("Propose a month"), question, confirm_label=_("Propose")), self._propose)

    def _propose(self, answer: Confirmed | None) -> None:
        if answer is None:
            return
        # The solver may take a few seconds; the roster stays usable meanwhile.
        self.notify(_("Proposing the month…"))
        self.run_service(
            proposals.propose_month, self.desk_app.actor, self.squad_id, self.month, on_done=self._proposed
        )

    def _proposed(self, result: Any) -> None:
        self.proposed_by = result.solver
        self.notify(
            _("Proposed by the {planner}: {days} day(s) drafted; {filled} of {needed} needed seats filled").format(
                days=result.changed, filled=result.filled, needed=result.needed, planner=label(PLANNERS, result.solver)
            )
        )
        self.load()

    def action_month(self, step: int) -> None:
        assert self.month is not None
        self.month = month_after(self.month, step)
        self.proposed_by = None
        self.load()

    def action_next_squad(self) -> None:
        self.squad_index = (self.squad_index + 1) % len(self.squads)
        self.proposed_by = None
        self.load()

    def action_chart(self) -> None:
        if self.plan is not None:
            self.app.push_screen(CoverageModal(self.plan, self.needed))


class CopyWeekModal(FormModal):
    """Copy the week under the cursor onto another week of the month; the next week unless told otherwise."""

    title_text = N_("Copy a week")

    def fields(self) -> ComposeResult:
        _squad, _month, source = self.view
        monday = source - timedelta(days=source.weekday())
        yield Static(
            _("Everyone's days of the week of {day} are copied, as a draft.").format(day=formats.short_date(monday)),
            markup=False,
        )
        following = monday + timedelta(days=7)
        yield Field(
            "week",
            _("Onto the week of (any day of it, YYYY-MM-DD)"),
            Input(following.isoformat(), id="copy-week", max_length=10),
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#copy-week", Input))

    def submit_label(self) -> str:
        return _("Copy")

    @on(Input.Submitted, "#copy-week")
    def _submitted(self) -> None:
        self.action_submit()

    def submit(self) -> None:
        squad_id, month, source = self.view
        self.call(rostering.copy_week_onto, squad_id, month, source, self.query_one("#copy-week", Input).value)


class CoverageModal(DeskModal[None]):
    """Needed versus planned people for each shift of the month, as bars."""

    CSS_PATH = "roster.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close"), id="cover-close")]

    def __init__(self, plan: Any, needed: dict[tuple[date, str], int]) -> None:
        super().__init__()
        self.plan = plan
        self.needed = needed

    def compose(self) -> ComposeResult:
        with Vertical(id="cover-body") as body:
            body.border_title = _("Needed vs planned · {squad} · {month}").format(
                squad=self.plan.squad_name, month=formats.month_year(self.plan.first)
            )
            yield PlotextPlot(id="cover-day")
            yield PlotextPlot(id="cover-night")
        yield DeskFooter()

    def on_mount(self) -> None:
        plan = self.plan
        days = [plan.first + timedelta(days=n) for n in range((plan.last - plan.first).days + 1)]
        labels = [str(d.day) for d in days]
        for kind, widget_id in ((ShiftKind.DAY, "#cover-day"), (ShiftKind.NIGHT, "#cover-night")):
            chart = self.query_one(widget_id, PlotextPlot)
            plt = chart.plt
            plt.clear_figure()
            needed = [self.needed.get((d, kind.value), 0) for d in days]
            planned = [plan.planned(d, kind) for d in days]
            # plotext reads `labels` (one per series); textual-plotext's stub calls it `label`.
            plt.multiple_bar(labels, [needed, planned], labels=[_("needed"), _("planned")])  # type: ignore[call-arg]
            plt.title(shift_label(kind))
            chart.refresh()

    def action_close(self) -> None:
        self.dismiss(None)
