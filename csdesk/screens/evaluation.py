"""The monthly evaluation (AT-6): the ranking as a table and the scores as a bar chart,
best and worst named, and for directors the month's dismissal reviews (DS-2).

``[`` and ``]`` move by a month, ``s`` walks the centre and its squads
(directors), ``e`` writes the same CSV as ``csdesk export evaluation``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static
from textual_plotext import PlotextPlot

from csdesk.formats import currency_name, money
from csdesk.i18n import N_, _
from csdesk.rules.staff import Action, can
from csdesk.rules.vocab import Role
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.services import evaluation, exports, home
from csdesk.screens.kit.tables import add_columns, cursor_index
from csdesk.screens.kit.watched import EVALUATION
from csdesk.text import clip
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.key_row import KeyRow
from csdesk.widgets.plain_table import PlainTable

# Bars drawn at most: the chart stays readable at 80 columns.
MOST_BARS = 12


def shift_month(month: str, step: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def chart_bars(data: Any) -> tuple[list[str], list[float]]:
    """What the chart draws: a bar per squad for the centre, a bar per person for a squad.

    Bars are labelled by squad name or employee number, which every terminal
    lays out in the same width.
    """
    if data.squad_id is None and len(data.squads) > 1:
        return [clip(s.name, 12) for s in data.squads], [round(s.average * 100, 1) for s in data.squads]
    people = list(data.people)
    if len(people) > MOST_BARS:
        people = people[: MOST_BARS // 2] + people[-(MOST_BARS // 2) :]
    return [p.employee_number for p in people], [round(p.score * 100, 1) for p in people]


class EvaluationScreen(DeskScreen):
    watches = EVALUATION
    CSS_PATH = "evaluation.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("left_square_bracket", "month(-1)", N_("Previous month"), id="ev-prev"),
        Binding("right_square_bracket", "month(1)", N_("Next month"), id="ev-next"),
        # The footer has no room for these at 80 columns: the "Actions" row above it lists them.
        Binding("s", "next_scope", N_("Squad"), id="ev-squad", show=False),
        Binding("e", "export", N_("Export CSV"), id="ev-export", show=False),
    ]

    def __init__(self, month: str | None = None, squad_id: int | None = None) -> None:
        super().__init__()
        self.month = month
        self.squad_id = squad_id
        self.squads: tuple[tuple[int, str], ...] = ()
        self.data: Any = None
        # The month it was when last worked out: while it is the one shown, opening the
        # screen again later shows the month it is then.
        self._this_month: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the month…"), id="ev-title", markup=False)
        yield Static("", id="ev-named", markup=False)
        table: PlainTable = PlainTable(id="ev-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="ev-detail", markup=False)
        yield PlotextPlot(id="ev-chart")
        yield Static("", id="ev-reviews", markup=False)
        yield KeyRow(N_("Actions:"), ("ev-squad", "ev-export"), id="ev-more")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Monthly evaluation")
        actor = self.desk_app.actor
        decision = can(actor.role, Action.SEE_EVALUATION)
        if not decision.ok:
            for widget in (self.query_one("#ev-table"), self.query_one("#ev-chart")):
                widget.display = False
            self.query_one("#ev-title", Static).update(
                _("The evaluation is for squad leaders and directors: {reason} ({rules}).").format(
                    reason=_(decision.reason), rules=", ".join(decision.rule_ids)
                )
            )
            self.desk_app.remember_refusal(tuple(decision.rule_ids))
            return
        table = self.query_one("#ev-table", DataTable)
        add_columns(
            table,
            (_("#"), 3),
            (_("No."), 5),
            (_("Name"), self.name_width()),
            (_("Squad"), 6),
            (_("Late"), 4),
            (_("Abs."), 4),
            (_("Hours"), 5),
            (_("QA"), 4),
            (_("Net fines"), 9),
            (_("Score"), 5),
        )
        self._this_month = f"{self.desk_app.today():%Y-%m}"
        if self.month is None:
            self.month = self._this_month
        self.load_squads()
        self.query_one("#ev-table", DataTable).focus()
        self.load()

    def reopen(self) -> None:
        super().reopen()
        if self._this_month is not None:
            this_month = f"{self.desk_app.today():%Y-%m}"
            if self.month == self._this_month:
                self.month = this_month
            self._this_month = this_month

    def load_squads(self) -> None:
        # Directors walk the centre's squads; the others see their own.
        if self.desk_app.actor.role in (Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR):
            self.run_service(
                home.squads, self.desk_app.actor, on_done=self._got_squads, group="ev-squads", exclusive=True
            )

    def name_width(self) -> int:
        # Whole western names on wide terminals; 80 columns keep every figure in view.
        return 12 if self.app.size.width < 120 else 24

    def _got_squads(self, squads: tuple[tuple[int, str], ...]) -> None:
        self.squads = tuple(squads)
        self.refresh_bindings()

    def load(self) -> None:
        self.run_service(
            evaluation.monthly_evaluation,
            self.desk_app.actor,
            self.month,
            self.squad_id,
            on_done=self._show,
            group="ev-month",
            exclusive=True,
        )

    def on_data_changed(self, message: Any) -> None:
        super().on_data_changed(message)
        if self.month is not None:  # None: not for this person, nothing to read
            self.load_squads()
            self.load()

    # -- showing ----------------------------------------------------------------------------

    def _scope(self, data: Any) -> str:
        if data.squad_id is None:
            return _("whole centre")
        return next((s.name for s in data.squads if s.squad_id == data.squad_id), "")

    def _show(self, data: evaluation.MonthEvaluation) -> None:
        self.data = data
        self.query_one("#ev-title", Static).update(
            _("Evaluation {month} · {scope} · {n} people (AT-6)").format(
                month=data.month, scope=self._scope(data), n=len(data.people)
            )
        )
        self.query_one("#ev-named", Static).update(self._named_text(data))
        self._fill_table(data)
        self._draw_chart(data)
        self._show_reviews(data)
        self.refresh_bindings()

    def _named_text(self, data: Any) -> Text:
        text = Text()
        if data.best:
            text.append(_("Best: "), style="bold green")
            text.append(", ".join(p.label for p in data.best))
            text.append("   ")
            text.append(_("Worst: "), style="bold red")
            text.append(", ".join(p.label for p in data.worst))
        else:
            text.append(_(data.reason), style="dim")
        return text

    def _fill_table(self, data: Any) -> None:
        table = self.query_one("#ev-table", DataTable)
        row_before = table.cursor_row
        table.clear()
        best = {p.staff_id for p in data.best}
        worst = {p.staff_id for p in data.worst}
        for p in data.people:
            style = "green" if p.staff_id in best else "red" if p.staff_id in worst else ""
            table.add_row(
                str(p.rank if data.squad_id is None else p.squad_rank),
                p.employee_number,
                Text(clip(p.name, self.name_width()), style=style),
                clip(p.squad, 6),
                str(p.lates or ""),
                str(p.absences or ""),
                f"{p.minutes_worked / 60:.0f}",
                percent(p.quality),
                money(p.fines_cents - p.rewards_cents) if p.fines_cents or p.rewards_cents else "",
                Text(f"{p.score * 100:.1f}", style=style),
                key=str(p.staff_id),
            )
        if data.people:
            table.move_cursor(row=min(max(row_before, 0), len(data.people) - 1))
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted person's parts, so a leader can see what made the score."""
        detail = self.query_one("#ev-detail", Static)
        table = self.query_one("#ev-table", DataTable)
        if self.data is None or not self.data.people:
            detail.update("")
            return
        p = self.data.people[cursor_index(table, len(self.data.people))]
        currency = currency_name(self.desk_app.policy.centre.currency)
        quality = (
            _("not inspected, month's average {share}").format(share=percent(p.quality_part))
            if p.quality is None
            else _("{share} in {n} inspections").format(share=percent(p.quality), n=p.inspections)
        )
        detail.update(
            _(
                "{who}: attendance {att} ({due} shifts, {late} late, {absent} absent, {worked:.0f} of "
                "{rostered:.0f} h) · quality {quality} · fines {fines}, rewards {rewards} {currency}"
            ).format(
                who=p.label,
                att=percent(p.attendance_part),
                due=p.shifts_due,
                late=p.lates,
                absent=p.absences,
                worked=p.minutes_worked / 60,
                rostered=p.minutes_rostered / 60,
                quality=quality,
                fines=money(p.fines_cents),
                rewards=money(p.rewards_cents),
                currency=currency,
            )
        )

    def _draw_chart(self, data: Any) -> None:
        chart = self.query_one("#ev-chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        labels, values = chart_bars(data)
        chart.display = bool(labels)
        if labels:
            plt.bar(labels, values, width=0.5)
            # Scores sit close together: start the axis just below the lowest so they differ.
            plt.ylim(max(0, (min(values) - 5) // 10 * 10), 100)
            per_squad = data.squad_id is None and len(data.squads) > 1
            plt.title(_("Average score by squad") if per_squad else _("Score by employee number"))
        chart.refresh()

    def _show_reviews(self, data: Any) -> None:
        said = self.query_one("#ev-reviews", Static)
        if data.reviews is None:
            said.display = False
            return
        said.display = True
        if not data.reviews:
            said.update(_("No dismissal review this month (DS-2)."))
            return
        items = "; ".join(
            _("{who} {rule} ×{n}").format(who=f"No. {r.employee_number} {r.name}", rule=r.rule_id, n=r.offences)
            for r in data.reviews
        )
        said.update(Text(_("Dismissal reviews for the director (DS-2): {items}").format(items=items), style="bold red"))

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("month", "export"):
            return self.data is not None
        if action == "next_scope":
            return len(self.squads) > 1
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Any:
        if self.data is not None and self.data.reviews:
            return ("AT-6", "DS-2")
        if self.data is not None:
            return ("AT-6",)
        return super().why_rule_ids()

    def action_month(self, step: int) -> None:
        assert self.month is not None
        self.month = shift_month(self.month, step)
        self.load()

    def action_next_scope(self) -> None:
        scopes: list[int | None] = [None, *(id_ for id_, _name in self.squads)]
        position = scopes.index(self.squad_id) if self.squad_id in scopes else 0
        self.squad_id = scopes[(position + 1) % len(scopes)]
        self.load()

    def action_export(self) -> None:
        self.query_one("#ev-reviews", Static).display = True
        self.query_one("#ev-reviews", Static).update(_("Writing the CSV file…"))
        self.run_service(
            exports.export_evaluation, self.desk_app.actor, self.month, self.squad_id, on_done=self._exported
        )

    def _exported(self, files: exports.ExportedEvaluation) -> None:
        said = _("Wrote the ranking of {n} people to {path}.").format(n=files.people, path=files.ranking)
        if files.reviews is not None:
            said += " " + _("Dismissal reviews: {path}.").format(path=files.reviews.name)
        self.notify(said, title=_("Exported"))
        if self.data is not None:
            self._show_reviews(self.data)
