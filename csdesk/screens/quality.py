"""Quality inspection (QA-1..QA-4).

The inspector's list: every agent with this month's samples, the ones still
under 1 flagged and the ones at 5 marked complete. From it the inspector
scores a contact on the rubric (one line per criterion: points and a remark),
opens an agent's monthly score sheet (QA-2) or the weekly summary with its
training plan (QA-3). Supervisors write the daily spot-check report (QA-4).
"""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, DataTable, Header, Input, Label, Select, Static

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.rules.quality import DAILY_SPOT_CHECKS, check_sample_scores
from csdesk.rules.staff import Action
from csdesk.screens.base import DeskForm, DeskScreen
from csdesk.screens.kit.forms import fill_select, refuse_for_role, role_may
from csdesk.screens.kit.services import exports, quality
from csdesk.screens.kit.tables import ViewRow, service_pages, view_at_cursor, view_id, view_of
from csdesk.screens.kit.times import local, local_day
from csdesk.screens.kit.watched import QUALITY
from csdesk.screens.service_worker import failure_text
from csdesk.text import clip
from csdesk.vocabulary import SAMPLING, channel_title, styled
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.key_row import KeyRow
from csdesk.widgets.live import DataChanged
from csdesk.widgets.paged_table import PagedTable
from csdesk.widgets.plain_table import PlainTable

# The default rubric's labels, so the catalogue offers them for translation
# (the policy file may name others; those are shown as written).
CRITERION_LABELS = (N_("Service language"), N_("Attitude"), N_("Tone"), N_("Eliciting needs"), N_("Responsiveness"))
SHOWN = {None: N_("all agents"), "under": N_("under 1 sample"), "complete": N_("complete (5 samples)")}
SPOT_NAMES = {"recordings": N_("Recordings"), "forum": N_("Forum"), "email": N_("Email")}


if TYPE_CHECKING:
    from csdesk.policy import Policy


def criterion_names(policy: Any) -> dict[str, str]:
    return {c.key: _(c.label) for c in policy.qa.rubric}


def names_of(keys: Any, policy: Any) -> str:
    names = criterion_names(policy)
    return ", ".join(names.get(k, k) for k in keys)


def shift_month(month: str, step: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift_week(iso_week: str, step: int) -> str:
    monday = date.fromisoformat(f"{iso_week}-1") + timedelta(weeks=step)
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


# -- export (the CLI's writer, loaded in the worker) -------------------------------------


# -- the inspector's list ---------------------------------------------------------------------


class QualityScreen(DeskScreen):
    """QA-1: who still needs a sample this month, who is complete; the way to score and report."""

    watches = QUALITY

    CSS_PATH = "quality.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("n", "score", N_("Score"), id="qa-score"),
        Binding("m", "sheet", N_("Month sheet"), id="qa-sheet"),
        Binding("v", "weekly", N_("Week summary"), id="qa-week"),
        # The footer has no room for these at 80 columns: the "Actions" row above it lists them.
        Binding("u", "show('under')", N_("Under 1"), id="qa-under", show=False),
        Binding("c", "show('complete')", N_("At 5"), id="qa-complete", show=False),
        Binding("a", "show('')", N_("All"), id="qa-all", show=False),
        Binding("d", "daily", N_("Daily report"), id="qa-daily", show=False),
        Binding("left_square_bracket", "month(-1)", N_("Previous month"), id="qa-prev", show=False),
        Binding("right_square_bracket", "month(1)", N_("Next month"), id="qa-next", show=False),
        Binding("e", "export", N_("Export CSV"), id="qa-export", show=False),
    ]
    ACTION_NEEDS = {"score": Action.RECORD_QA_SAMPLE, "daily": Action.RECORD_SPOT_CHECK}

    def __init__(self, month: str | None = None) -> None:
        super().__init__()
        self.month = month
        self.only: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading…"), id="qa-counts", markup=False)
        yield PagedTable(
            [N_("No."), N_("Name"), N_("Squad"), N_("Samples"), N_("Status"), N_("Last")],
            self._fetch,
            row_key=lambda row: view_of(row).staff_id,
            id="qa-agents",
        )
        yield Static("", id="qa-detail", markup=False)
        yield KeyRow(
            N_("Actions:"),
            ("qa-under", "qa-complete", "qa-all", "qa-daily", "qa-prev", "qa-next", "qa-export"),
            id="qa-more",
        )
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Quality inspection")
        # No month given: the services take the centre's current month, and the counts name it.
        self.load_counts()
        self.query_one("#qa-agents", PagedTable).focus()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings
        return {
            key: item
            for key, item in shown.items()
            if item.binding.action not in self.ACTION_NEEDS or role_may(self, self.ACTION_NEEDS[item.binding.action])
        }

    def _fetch(self, offset: int, limit: int, _filter: str) -> list[ViewRow]:
        app = self.desk_app
        rows = app.call_service(
            quality.sampling_page, app.actor, self.month, self.only or None, offset=offset, limit=limit
        )
        high = app.policy.qa.max_samples_per_month
        return [ViewRow(r, self._cells(r, high, app.zone)) for r in rows]

    def _cells(self, row: Any, high: int, zone: tzinfo) -> tuple[Any, ...]:
        word, style = styled(SAMPLING, row.status)
        return (
            row.employee_number,
            clip(row.name, 16),
            clip(row.squad, 8),
            f"{row.samples}/{high}",
            Text(word, style=style),
            local(row.last_at, zone),
        )

    def load_counts(self) -> None:
        self.run_service(
            quality.sampling_counts,
            self.desk_app.actor,
            self.month,
            on_done=self._show_counts,
            group="counts",
            exclusive=True,
        )

    def _show_counts(self, counts: quality.SamplingCounts) -> None:
        self.month = counts.month
        self.query_one("#qa-counts", Static).update(
            _("{month} · showing {shown} · {under} need a sample · {complete} complete · {agents} agents").format(
                month=counts.month,
                shown=_(SHOWN[self.only]),
                under=counts.under,
                complete=counts.complete,
                agents=counts.agents,
            )
        )

    def reload(self) -> None:
        self.load_counts()
        self.query_one("#qa-agents", PagedTable).refresh_rows()

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.reload()

    @on(DataTable.RowHighlighted, "#qa-agents")
    def _detail(self) -> None:
        row = view_at_cursor(self.query_one("#qa-agents", PagedTable))
        self.query_one("#qa-detail", Static).update(f"{row.label} · {row.reason}" if row else "")

    @on(DataTable.RowSelected, "#qa-agents")
    def _open_sheet(self) -> None:
        self.action_sheet()

    def why_rule_ids(self) -> tuple[str, ...]:
        if refused := tuple(super().why_rule_ids()):
            return refused
        return ("QA-1",)

    def _agent_id(self) -> int | None:
        row = view_at_cursor(self.query_one("#qa-agents", PagedTable))
        return row.staff_id if row is not None else None

    def action_show(self, only: str) -> None:
        self.only = only or None
        table = self.query_one("#qa-agents", PagedTable)
        table.set_filter(only)  # a new filter text starts the list over
        self.load_counts()

    def action_month(self, step: int) -> None:
        if self.month is not None:
            self.month = shift_month(self.month, step)
            self.reload()

    def action_score(self) -> None:
        if refuse_for_role(self, Action.RECORD_QA_SAMPLE):
            self.app.push_screen(InspectionForm(self._agent_id()), self._after_form)

    def _after_form(self, saved: object) -> None:
        if saved:
            self.reload()

    def action_sheet(self) -> None:
        agent_id = self._agent_id()
        if agent_id is not None:
            self.app.push_screen(MonthlySheetScreen(agent_id, self.month))

    def action_weekly(self) -> None:
        self.app.push_screen(WeeklySummaryScreen())

    def action_daily(self) -> None:
        if refuse_for_role(self, Action.RECORD_SPOT_CHECK):
            self.app.push_screen(SpotCheckScreen())

    def action_export(self) -> None:
        self.run_service(exports.export_quality_month, self.desk_app.actor, self.month, on_done=self._exported)

    def _exported(self, sheet: Any) -> None:
        self.notify(
            _("Wrote {rows} score sheets to {path}.").format(rows=sheet.rows, path=sheet.path), title=_("Exported")
        )


# -- scoring a contact --------------------------------------------------------------------------


class InspectionForm(DeskForm):
    """QA-1: pick an agent (and the contact), score each criterion on its scale, add remarks.

    Enter in a score moves to the next score; Enter in the comments (or ctrl+s) saves.
    """

    CSS_PATH = "quality.tcss"
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="save")]

    def __init__(self, agent_id: int | None = None) -> None:
        super().__init__()
        self.agent_id = self.opened_for = agent_id

    def compose(self) -> ComposeResult:
        policy = self.desk_app.policy
        yield Header()
        with Vertical(id="qa-form"):
            with Horizontal(classes="qa-line"):
                yield Label(_("Agent"), classes="qa-label")
                yield Select([], prompt=_("Loading agents…"), id="qa-agent", compact=True)
            with Horizontal(classes="qa-line"):
                yield Label(_("Contact"), classes="qa-label")
                yield Select([], prompt=_("No ticket (a call without one)"), id="qa-ticket", compact=True)
            for criterion in policy.qa.rubric:
                with Horizontal(classes="qa-line qa-criterion"):
                    yield Label(f"{_(criterion.label)} (0–{criterion.max})", classes="qa-label")
                    yield Input(
                        id=f"score-{criterion.key}", max_length=3, compact=True, classes="qa-score", restrict=r"[0-9]*"
                    )
                    yield Input(
                        id=f"note-{criterion.key}",
                        max_length=500,
                        compact=True,
                        classes="qa-note",
                        placeholder=_("remark"),
                    )
            with Horizontal(classes="qa-line"):
                yield Label(_("Comments"), classes="qa-label")
                yield Input(id="qa-comments", max_length=2000, compact=True)
            yield Static("", id="qa-preview", markup=False)
            with Horizontal(classes="qa-buttons"):
                yield Button(_("Save"), id="qa-save", variant="primary")
                yield Button(_("Cancel"), id="qa-cancel")
        yield DeskFooter()

    def start_form(self) -> None:
        self.title = _("Score a contact")
        # The agent chosen at the last opening is not this one's, nor are their tickets.
        self.agent_id = self.opened_for
        self.query_one("#qa-agent", Select).prompt = _("Loading agents…")
        fill_select(self.query_one("#qa-ticket", Select), [])
        self.run_service(
            quality.sampling_page, self.desk_app.actor, limit=100, on_done=self._show_agents, group="agents"
        )
        self._preview()

    def _show_agents(self, rows: tuple[quality.AgentSampling, ...]) -> None:
        select = self.query_one("#qa-agent", Select)
        select.prompt = _("Choose the agent (type to search)")
        high = self.desk_app.policy.qa.max_samples_per_month
        fill_select(
            select, [(f"{r.label} {r.squad} ({r.samples}/{high})", r.staff_id) for r in rows], keep=self.agent_id
        )
        if self.agent_id is not None and select.value == self.agent_id:
            self._load_tickets(self.agent_id)
            self.query_one(f"#score-{self.desk_app.policy.qa.criteria[0]}", Input).focus()
        else:
            select.focus()

    @on(Select.Changed, "#qa-agent")
    def _agent_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.agent_id:
            self.agent_id = event.value
            self._load_tickets(event.value)

    def _load_tickets(self, agent_id: int) -> None:
        self.run_service(
            quality.agent_tickets,
            self.desk_app.actor,
            agent_id,
            on_done=self._show_tickets,
            group="tickets",
            exclusive=True,
        )

    def _show_tickets(self, tickets: tuple[quality.TicketChoice, ...]) -> None:
        zone = self.desk_app.policy.zone
        fill_select(
            self.query_one("#qa-ticket", Select),
            [
                (
                    f"#{t.ticket_id} {channel_title(t.channel)} {local(t.received_at, zone)} {clip(t.subject, 24)}",
                    t.ticket_id,
                )
                for t in tickets
            ],
        )

    def _scores(self) -> dict[str, str]:
        return {key: self.query_one(f"#score-{key}", Input).value for key in self.desk_app.policy.qa.criteria}

    @on(Input.Changed, ".qa-score")
    def _preview(self) -> None:
        policy = self.desk_app.policy
        raw = self._scores()
        given = {k: int(v) for k, v in raw.items() if v.strip().isdigit()}
        total = sum(given.values())
        text = _("Total {total} of {top} ({done} of {n} criteria scored)").format(
            total=total, top=policy.qa.total_max, done=len(given), n=len(raw)
        )
        if len(given) == len(raw):
            decision = check_sample_scores(given, policy)
            if not decision.ok:
                text += "\n" + str(decision)
        self.query_one("#qa-preview", Static).update(text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        keys = self.desk_app.policy.qa.criteria
        current = (event.input.id or "").removeprefix("score-").removeprefix("note-")
        if event.input.id == "qa-comments":
            self.action_save()
        elif current in keys and keys.index(current) + 1 < len(keys):
            self.query_one(f"#score-{keys[keys.index(current) + 1]}", Input).focus()
        else:
            self.query_one("#qa-comments", Input).focus()

    @on(Button.Pressed, "#qa-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#qa-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        agent = self.query_one("#qa-agent", Select).value
        if not isinstance(agent, int):
            self._say(_("Choose the agent."))
            self.query_one("#qa-agent", Select).focus()
            return
        ticket = self.query_one("#qa-ticket", Select).value
        notes = {key: self.query_one(f"#note-{key}", Input).value for key in self.desk_app.policy.qa.criteria}
        self.run_service(
            quality.record_inspection,
            self.desk_app.actor,
            agent,
            self._scores(),
            self.query_one("#qa-comments", Input).value,
            ticket if isinstance(ticket, int) else None,
            notes,
            on_done=self._saved,
            on_error=self._failed,
            exclusive=True,
        )

    def _say(self, text: str) -> None:
        self.query_one("#qa-preview", Static).update(text)

    def _failed(self, exc: Exception) -> bool:
        field = getattr(exc, "field", None) or ""
        self._say(failure_text(exc))
        for prefix in ("score-", "note-", "qa-"):
            found = self.query(f"#{prefix}{field.replace('ticket_id', 'ticket')}")
            if found:
                found.first().focus()
                break
        return True

    def _saved(self, view: Any) -> None:
        self.notify(
            _("Inspection #{id}: {agent} scored {total} of {top}. {sampling}").format(
                id=view.id, agent=view.agent, total=f"{view.total:g}", top=view.total_max, sampling=view.sampling
            ),
            title=_("Saved"),
        )
        self.dismiss(view)


# -- the monthly sheet ------------------------------------------------------------------------------


class MonthlySheetScreen(DeskScreen):
    """QA-2: one agent's month: each criterion per sample, the averages and the training suggested."""

    watches = QUALITY

    CSS_PATH = "quality.tcss"
    BINDINGS = [
        Binding("left_square_bracket", "month(-1)", N_("Previous month"), id="qa-sheet-prev"),
        Binding("right_square_bracket", "month(1)", N_("Next month"), id="qa-sheet-next"),
        Binding("e", "export", N_("Export CSV"), id="qa-sheet-export"),
    ]

    def __init__(self, agent_id: int, month: str | None = None) -> None:
        super().__init__()
        self.agent_id = agent_id
        self.month = month
        self.rule_ids: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading…"), id="qa-sheet-title", markup=False)
        table: PlainTable = PlainTable(id="qa-sheet", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="qa-sheet-training", markup=False)
        yield Static("", id="qa-sheet-notes", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Monthly score sheet")
        self.load()

    def load(self) -> None:
        self.run_service(
            quality.monthly_sheet, self.desk_app.actor, self.agent_id, self.month, on_done=self._show, exclusive=True
        )

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.load()

    def _show(self, sheet: Any) -> None:
        policy = self.desk_app.policy
        zone = policy.zone
        self.month = sheet.month
        self.rule_ids = sheet.rule_ids
        high = policy.qa.max_samples_per_month
        self.query_one("#qa-sheet-title", Static).update(
            _("{month} · {agent} · {squad} · {n}/{high} samples · overall {overall}").format(
                month=sheet.month,
                agent=sheet.agent,
                squad=sheet.squad,
                n=len(sheet.inspections),
                high=high,
                overall=_percent(sheet.overall),
            )
        )
        table = self.query_one("#qa-sheet", DataTable)
        table.clear(columns=True)
        table.add_column(_("Criterion"), width=18)
        table.add_column(_("Max"), width=4)
        for inspection in sheet.inspections:
            table.add_column(formats.day_column(inspection.at.astimezone(zone).date()), width=5)
        table.add_column(_("Avg"), width=5)
        table.add_column("%", width=6)
        weak = set(sheet.weakest)
        for criterion in policy.qa.rubric:
            style = "bold red" if criterion.key in weak else ""
            table.add_row(
                Text(clip(_(criterion.label), 18), style=style),
                str(criterion.max),
                *(str(i.scores.get(criterion.key, "")) for i in sheet.inspections),
                f"{sheet.averages[criterion.key]:g}" if sheet.averages else "—",
                Text(_percent(sheet.percents.get(criterion.key)), style=style),
            )
        table.add_row(
            Text(_("Total"), style="bold"),
            str(policy.qa.total_max),
            *(f"{i.total:g}" for i in sheet.inspections),
            f"{sheet.total:g}" if sheet.total is not None else "—",
            _percent(sheet.overall),
        )
        training = (
            _("Training suggested: {names}").format(names=names_of(sheet.weakest, policy))
            if sheet.weakest
            else sheet.reason
        )
        self.query_one("#qa-sheet-training", Static).update(f"{training}  ({', '.join(sheet.rule_ids)})")
        names = criterion_names(policy)
        lines = []
        for i in sheet.inspections:
            ticket = f" #{i.ticket_id}" if i.ticket_id else ""
            remarks = "; ".join(f"{names.get(k, k)}: {v}" for k, v in i.notes.items())
            lines.append(f"{local_day(i.at, zone)}{ticket} {i.comments} {remarks}".rstrip())
        self.query_one("#qa-sheet-notes", Static).update("\n".join(lines))

    def why_rule_ids(self) -> tuple[str, ...]:
        return tuple(super().why_rule_ids()) or self.rule_ids or ("QA-2",)

    def action_month(self, step: int) -> None:
        if self.month is not None:
            self.month = shift_month(self.month, step)
            self.load()

    def action_export(self) -> None:
        self.run_service(exports.export_quality_month, self.desk_app.actor, self.month, on_done=self._exported)

    def _exported(self, sheet: Any) -> None:
        self.notify(
            _("Wrote {rows} score sheets to {path}.").format(rows=sheet.rows, path=sheet.path), title=_("Exported")
        )


# -- the weekly summary ----------------------------------------------------------------------------


class WeeklySummaryScreen(DeskScreen):
    """QA-3: the week's inspections per agent, the team's weakest criteria and the training plan."""

    watches = QUALITY

    CSS_PATH = "quality.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("left_square_bracket", "week(-1)", N_("Previous week"), id="qa-week-prev"),
        Binding("right_square_bracket", "week(1)", N_("Next week"), id="qa-week-next"),
        Binding("e", "export", N_("Export CSV"), id="qa-week-export"),
    ]

    def __init__(self, iso_week: str | None = None) -> None:
        super().__init__()
        self.iso_week = iso_week

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading…"), id="qa-week-title", markup=False)
        yield Static("", id="qa-week-team", markup=False)
        table: PlainTable = PlainTable(id="qa-week", cursor_type="row")
        table.add_column(_("No."), width=5)
        table.add_column(_("Name"), width=16)
        table.add_column(_("Squad"), width=8)
        table.add_column(_("Samples"), width=7)
        table.add_column(_("Overall"), width=7)
        table.add_column(_("Individual training"), width=24)
        yield table
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Weekly quality summary")
        self.load()

    def load(self) -> None:
        self.run_service(quality.weekly_report, self.desk_app.actor, self.iso_week, on_done=self._show, exclusive=True)

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.load()

    def _show(self, report: Any) -> None:
        policy = self.desk_app.policy
        self.iso_week = report.iso_week
        self.query_one("#qa-week-title", Static).update(
            _("{week} (from {monday}) · {n} inspections of {agents} agents · overall {overall}").format(
                week=report.iso_week,
                monday=report.monday.isoformat(),
                n=report.inspections,
                agents=report.agents,
                overall=_percent(report.overall),
            )
        )
        names = criterion_names(policy)
        lowest = " · ".join(f"{names.get(k, k)} {_percent(report.percents[k])}" for k in report.lowest)
        team = (
            _("Whole-team training: {names}").format(names=names_of(report.team_training, policy))
            if report.team_training
            else _("No whole-team training this week.")
        )
        parts = [_("Lowest first: {list}").format(list=lowest)] if lowest else []
        self.query_one("#qa-week-team", Static).update("\n".join([*parts, team, report.reason]))
        table = self.query_one("#qa-week", DataTable)
        table.clear()
        for line in report.lines:
            table.add_row(
                line.employee_number,
                clip(line.name, 16),
                clip(line.squad, 8),
                str(line.samples),
                _percent(line.overall),
                Text(clip(names_of(line.training, policy), 24), style="bold"),
            )

    def why_rule_ids(self) -> tuple[str, ...]:
        return tuple(super().why_rule_ids()) or ("QA-3",)

    def action_week(self, step: int) -> None:
        if self.iso_week is not None:
            self.iso_week = shift_week(self.iso_week, step)
            self.load()

    def action_export(self) -> None:
        self.run_service(exports.export_quality_week, self.desk_app.actor, self.iso_week, on_done=self._exported)

    def _exported(self, sheet: Any) -> None:
        self.notify(_("Wrote the weekly summary to {path}.").format(path=sheet.path), title=_("Exported"))


# -- QA-4: the supervisor's daily report -------------------------------------------------------------


def _spot_cells(view: quality.SpotCheckView, policy: Policy) -> tuple[Any, ...]:
    checked = " ".join(_(SPOT_NAMES[c]) for c in view.checked)
    missing = len(view.checked) < len(DAILY_SPOT_CHECKS)
    return (
        formats.day_month(view.work_date),
        clip(view.supervisor, 18),
        Text(checked, style="bold yellow" if missing else ""),
        clip(view.findings, 24),
    )


class SpotCheckScreen(DeskScreen):
    """QA-4: the daily quality reports, newest first; `n` writes today's."""

    watches = QUALITY

    CSS_PATH = "quality.tcss"
    kept_between_openings = True
    BINDINGS = [Binding("n", "write", N_("Today's report"), id="qa-spot-write")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            _("Daily quality reports (QA-4): recordings, forum and email spot-checked"),
            id="qa-spot-title",
            markup=False,
        )
        yield PagedTable(
            [N_("Day"), N_("Supervisor"), N_("Checked"), N_("Findings")],
            service_pages(self, quality.spot_checks_page, _spot_cells),
            row_key=view_id,
            id="qa-spots",
        )
        yield Static("", id="qa-spot-detail", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Daily quality report")
        self.query_one("#qa-spots", PagedTable).focus()

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.query_one("#qa-spots", PagedTable).refresh_rows()

    @on(DataTable.RowHighlighted, "#qa-spots")
    def _detail(self) -> None:
        view = view_at_cursor(self.query_one("#qa-spots", PagedTable))
        if view is not None:
            training = _("Training: {text}").format(text=view.training) if view.training else ""
            self.query_one("#qa-spot-detail", Static).update(
                "\n".join(p for p in (view.findings, training, view.reason) if p)
            )

    def why_rule_ids(self) -> tuple[str, ...]:
        return tuple(super().why_rule_ids()) or ("QA-4",)

    def action_write(self) -> None:
        self.app.push_screen(SpotCheckForm(), self._after)

    def _after(self, saved: object) -> None:
        if saved:
            self.query_one("#qa-spots", PagedTable).refresh_rows()


class SpotCheckForm(DeskScreen):
    """QA-4: today's report: what was spot-checked, what was found, what training it calls for."""

    CSS_PATH = "quality.tcss"
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="save")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="qa-form"):
            yield Static(_("Today's quality report"), classes="qa-heading")
            with Horizontal(classes="qa-checks"):
                for channel in DAILY_SPOT_CHECKS:
                    yield Checkbox(_(SPOT_NAMES[channel]), True, id=f"spot-{channel}", compact=True)
            with Horizontal(classes="qa-line"):
                yield Label(_("Findings"), classes="qa-label")
                yield Input(id="spot-findings", max_length=2000, compact=True, placeholder=_('"none" if nothing'))
            with Horizontal(classes="qa-line"):
                yield Label(_("Training"), classes="qa-label")
                yield Input(id="spot-training", max_length=2000, compact=True)
            yield Static("", id="qa-preview", markup=False)
            with Horizontal(classes="qa-buttons"):
                yield Button(_("Save"), id="qa-save", variant="primary")
                yield Button(_("Cancel"), id="qa-cancel")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = _("Daily quality report")
        self.query_one("#spot-findings", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "spot-training":
            self.action_save()
        else:
            self.query_one("#spot-training", Input).focus()

    @on(Button.Pressed, "#qa-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#qa-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        checked = [c for c in DAILY_SPOT_CHECKS if self.query_one(f"#spot-{c}", Checkbox).value]
        self.run_service(
            quality.record_spot_check,
            self.desk_app.actor,
            checked,
            self.query_one("#spot-findings", Input).value,
            self.query_one("#spot-training", Input).value,
            on_done=self._saved,
            on_error=self._failed,
            exclusive=True,
        )

    def _failed(self, exc: Exception) -> bool:
        self.query_one("#qa-preview", Static).update(failure_text(exc))
        return True

    def _saved(self, view: Any) -> None:
        self.notify(_("Daily report #{id} saved. {reason}").format(id=view.id, reason=view.reason), title=_("Saved"))
        self.dismiss(view)
