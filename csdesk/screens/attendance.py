"""A squad's attendance week (AT-4, AT-5): each person's shifts, violations and hours.

``[`` and ``]`` step through the weeks; ``e`` writes the week to CSV with the
same writer as ``csdesk export attendance`` and says where the files went.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Select, Static

from csdesk import formats
from csdesk.i18n import N_, _
from csdesk.rules.attendance import week_of
from csdesk.rules.staff import Action, can
from csdesk.screens.base import DeskScreen
from csdesk.screens.kit.forms import FormModal
from csdesk.screens.kit.services import attendance, exports, home, timeclock
from csdesk.screens.kit.tables import cursor_index
from csdesk.screens.kit.watched import PEOPLE_AND_TIME
from csdesk.text import clip
from csdesk.vocabulary import ATTENDANCE, ATTENDANCE_LEGEND, value_word
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field
from csdesk.widgets.plain_table import PlainTable


def iso_week(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


# Three Chinese characters: most names whole, a longer one clipped with an ellipsis.
NAME_WIDTH_LEAST = 6


class AttendanceScreen(DeskScreen):
    watches = PEOPLE_AND_TIME
    CSS_PATH = "attendance.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("left_square_bracket", "week(-1)", N_("Previous week"), id="att-prev"),
        Binding("right_square_bracket", "week(1)", N_("Next week"), id="att-next"),
        Binding("e", "export", N_("Export CSV"), id="att-export"),
        Binding("s", "next_squad", N_("Squad"), id="att-squad"),
        Binding("x", "correct", N_("Correct punch"), id="att-correct"),
        Binding("v", "approve_short", N_("Approve short week"), id="att-short"),
        Binding("j", "cursor(1)", N_("Down"), show=False, id="att-down"),
        Binding("k", "cursor(-1)", N_("Up"), show=False, id="att-up"),
    ]

    def __init__(self, monday: date | None = None, squad_id: int | None = None) -> None:
        super().__init__()
        self.monday = monday
        self.squad_id = squad_id
        self.squads: tuple[tuple[int, str], ...] = ()
        self.data: Any = None
        self.people: list[Any] = []
        # The week that was "this week" when last worked out: while it is the one shown,
        # opening the screen again later shows the week it is then.
        self._this_week: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading the week…"), id="att-title", markup=False)
        yield PlainTable(id="att-week", cursor_type="row", zebra_stripes=True)
        yield Static(_(ATTENDANCE_LEGEND), id="att-legend", markup=False)
        yield PlainTable(id="att-shifts", cursor_type="none")
        yield Static("", id="att-said", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        actor = self.desk_app.actor
        decision = can(actor.role, Action.EXPORT_ATTENDANCE)
        if not decision.ok:
            for table in self.query(DataTable):
                table.display = False
            self.query_one("#att-legend").display = False
            self.query_one("#att-title", Static).update(
                _("Attendance is for leaders: {reason} ({rules}).").format(
                    reason=decision.reason, rules=", ".join(decision.rule_ids)
                )
            )
            self.desk_app.remember_refusal(tuple(decision.rule_ids))
            return
        self._this_week = week_of(self.desk_app.today())
        if self.monday is None:
            self.monday = self._this_week
        if self.squad_id is None:
            self.squad_id = actor.squad_id
        self.load_squads()
        self.load()

    def reopen(self) -> None:
        super().reopen()
        if self._this_week is not None:
            this_week = week_of(self.desk_app.today())
            if self.monday == self._this_week:
                self.monday = this_week
            self._this_week = this_week
        # What was said (saved, exported) belongs to the last opening.
        self.query_one("#att-said", Static).update("")

    def load_squads(self) -> None:
        self.run_service(home.squads, self.desk_app.actor, on_done=self._got_squads, group="att-squads", exclusive=True)

    def _got_squads(self, squads: tuple[tuple[int, str], ...]) -> None:
        self.squads = tuple(squads)
        if self.squad_id is None and self.squads:
            self.squad_id = self.squads[0][0]
            self.load()
        elif self.data is not None:
            # A squad renamed meanwhile is named anew.
            self._show_title(self.data)
        self.refresh_bindings()

    def load(self) -> None:
        if self.monday is None or self.squad_id is None:
            return
        self.run_service(
            attendance.week,
            self.desk_app.actor,
            iso_week(self.monday),
            self.squad_id,
            on_done=self._show,
            group="att-week",
            exclusive=True,
        )

    def on_data_changed(self, message: Any) -> None:
        super().on_data_changed(message)
        if self.monday is None:
            return  # not for this person: nothing is shown to read again
        self.load_squads()
        self.load()

    def _squad_name(self, squad_id: int | None) -> str:
        return next((name for id_, name in self.squads if id_ == squad_id), "")

    def _show(self, data: attendance.AttendanceWeek) -> None:
        self.data = data
        monday = data.week_start
        days = [monday + timedelta(days=i) for i in range(7)]
        by_person: dict[int, dict[date, list[Any]]] = {}
        for row in data.rows:
            by_person.setdefault(row.staff_id, {}).setdefault(row.date, []).append(row)
        self.people = list(data.hours)
        finished = data.finished
        table = self.query_one("#att-week", DataTable)
        row_before = table.cursor_row
        table.clear(columns=True)
        minimum = f"{data.minimum_minutes / 60:g}"
        enough = _("≥{hours}h").format(hours=minimum)
        # Every heading whole, in either language ("≥30小时" is 7 columns); each column has a cell
        # of padding either side.
        widths = [
            max(cell_len(_("No.")), 4),
            *(cell_len(formats.day_column(day)) for day in days),
            max(cell_len(_("Hours")), 5),
            max(cell_len(enough), 6),
            cell_len(_("Violations")),
        ]
        # Names get what the other columns leave (the scrollbar too): the whole week is in view at
        # 80 columns, and a wide terminal shows names up to the longest the demo and seeds use.
        left = self.app.size.width - 2 - sum(w + 2 for w in widths) - 2
        name_width = max(NAME_WIDTH_LEAST, min(24, left))
        table.add_column(_("No."), key="no")
        table.add_column(_("Name"), key="name", width=name_width)
        for day in days:
            table.add_column(formats.day_column(day), key=day.isoformat())
        table.add_column(_("Hours"), key="hours")
        table.add_column(enough, key="check", width=max(cell_len(enough), 6))
        table.add_column(_("Violations"), key="violations")
        for person in self.people:
            shifts = by_person.get(person.staff_id, {})
            cells: list[Any] = [person.employee_number, clip(person.name, name_width)]
            violations = 0
            for day in days:
                rows = shifts.get(day, [])
                if not rows:
                    cells.append(Text("-", style="dim"))
                    continue
                text = Text()
                for row in rows:
                    violations += len(row.violations)
                    term = ATTENDANCE.get(str(row.status)) if row.status else None
                    text.append(*((term.letter, term.colour) if term is not None else ("·", "dim")))
                cells.append(text)
            hours = f"{person.minutes_worked / 60:.1f}"
            to_go = data.minutes_to_go(person)
            if person.approved_reason:
                check = Text(_("appr."), style="yellow")  # AT-4: the shortfall's reason is approved
            elif not finished and to_go:
                # The week is not over: how far the hours so far are from the minimum (AT-4).
                check = Text(f"-{to_go / 60:.1f}", style="dim")  # a number only: the header names the unit
            elif not finished or person.meets_minimum:
                check = Text(_("yes"), style="green")
            else:
                check = Text(_("no"), style="bold red")
            cells += [hours, check, str(violations) if violations else ""]
            table.add_row(*cells, key=str(person.staff_id))
        if self.people:
            table.move_cursor(row=min(max(row_before, 0), len(self.people) - 1))
        self._show_title(data)
        self._show_shifts()
        self.refresh_bindings()

    def _show_title(self, data: attendance.AttendanceWeek) -> None:
        finished = data.finished
        minimum = f"{data.minimum_minutes / 60:g}"
        short = sum(1 for p in data.hours if not p.meets_minimum) if finished else 0
        title = _("Attendance · {squad} · week {week} ({first}–{last})").format(
            squad=self._squad_name(data.squad_id) or _("squad {id}").format(id=data.squad_id),
            week=data.iso_week,
            first=formats.day_month(data.week_start),
            last=formats.day_month(data.week_start + timedelta(days=6)),
        )
        if short:
            title += " · " + _("{n} under {hours} h").format(n=short, hours=minimum)
        elif not finished:
            title += " · " + _("hours so far")
        self.query_one("#att-title", Static).update(title)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "att-week":
            self._show_shifts()

    def _show_shifts(self) -> None:
        table = self.query_one("#att-shifts", DataTable)
        table.clear(columns=True)
        table.add_columns(
            _("Day"),
            _("Shift"),
            _("In"),
            _("Out"),
            _("Status"),
            _("Late"),
            _("Away"),
            _("Early out"),
            _("Over"),
            _("Violations"),
        )
        week = self.query_one("#att-week", DataTable)
        if not self.people or self.data is None:
            return
        person = self.people[cursor_index(week, len(self.people))]
        for row in (r for r in self.data.rows if r.staff_id == person.staff_id):
            status = value_word(row.status) if row.status else _("not yet")
            if row.leave_type is not None:
                status += f" ({value_word(row.leave_type)})"
            table.add_row(
                formats.weekday_and_day(row.date),
                value_word(row.shift),
                f"{row.clock_in:%H:%M}" if row.clock_in else "",
                f"{row.clock_out:%H:%M}" if row.clock_out else "",
                status,
                _("{n} min").format(n=row.minutes_late) if row.minutes_late else "",
                _("{n} min").format(n=row.minutes_away) if row.minutes_away else "",
                _("{n} min").format(n=row.minutes_early) if row.minutes_early else "",  # AT-9
                _("{n} min").format(n=row.minutes_overtime) if row.minutes_overtime else "",  # SC-3
                Text(" ".join(row.violations), style="bold red"),
            )

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("week", "export"):
            return self.data is not None
        if action == "next_squad":
            return len(self.squads) > 1
        if action == "correct":
            return bool(self.people) and can(self.desk_app.actor.role, Action.CORRECT_ATTENDANCE).ok
        if action == "approve_short":
            return bool(self.people) and can(self.desk_app.actor.role, Action.APPROVE_SHORT_WEEK).ok
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Any:
        if self.people:
            week = self.query_one("#att-week", DataTable)
            person = self.people[cursor_index(week, len(self.people))]
            ids = list(person.rule_ids)
            for row in self.data.rows:
                if row.staff_id == person.staff_id:
                    ids += [v for v in row.violations if v not in ids]
            if ids:
                return tuple(ids)
        return super().why_rule_ids()

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#att-week", DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_week(self, step: int) -> None:
        assert self.monday is not None
        self.monday += timedelta(weeks=step)
        self.load()

    def action_next_squad(self) -> None:
        ids = [id_ for id_, _name in self.squads]
        if not ids:
            return
        position = ids.index(self.squad_id) if self.squad_id in ids else -1
        self.squad_id = ids[(position + 1) % len(ids)]
        self.load()

    def action_export(self) -> None:
        assert self.monday is not None
        self.query_one("#att-said", Static).update(_("Writing the CSV files…"))
        self.run_service(
            exports.export_attendance, self.desk_app.actor, iso_week(self.monday), self.squad_id, on_done=self._exported
        )

    def _person(self) -> Any:
        week = self.query_one("#att-week", DataTable)
        return self.people[cursor_index(week, len(self.people))]

    def action_correct(self) -> None:
        person = self._person()
        shifts = [r for r in self.data.rows if r.staff_id == person.staff_id and r.status is not None]
        if not shifts:
            self.notify(_("{name} has no shift begun this week.").format(name=person.name))
            return
        self.app.push_screen(CorrectPunchModal((person, shifts)), self._saved)

    def action_approve_short(self) -> None:
        person = self._person()
        self.app.push_screen(ShortWeekModal((person, self.data.iso_week)), self._saved)

    def _saved(self, result: Any) -> None:
        if result is not None:
            self.query_one("#att-said", Static).update(_("Saved."))
            self.load()

    def _exported(self, files: exports.ExportedFiles) -> None:
        said = _("Wrote {rows} shifts to {path} and {people} people's hours to {hours}.").format(
            rows=files.rows, path=files.attendance, people=files.people, hours=files.hours.name
        )
        self.query_one("#att-said", Static).update(said)
        self.notify(said, title=_("Exported"))


class CorrectPunchModal(FormModal):
    """AT-5: a leader puts in a missed clock-in or clock-out, with the reason (audited)."""

    title_text = N_("Correct a missed punch")

    def fields(self) -> ComposeResult:
        person, shifts = self.view
        yield Static(_("Who: {name}").format(name=person.name), markup=False)
        choices = [
            (
                f"{formats.weekday_and_day(r.date)} {value_word(r.shift)} {_hhmm(r.clock_in)}–{_hhmm(r.clock_out)}",
                r.roster_id,
            )
            for r in shifts
        ]
        yield Field("roster_id", _("Shift"), Select(choices, value=choices[-1][1], allow_blank=False, id="fix-shift"))
        yield Field("clock_in", _("Clock-in (HH:MM, empty: keep)"), Input(id="fix-in", max_length=5))
        yield Field("clock_out", _("Clock-out (HH:MM, empty: keep)"), Input(id="fix-out", max_length=5))
        yield Field("reason", _("Reason"), Input(id="fix-reason"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#fix-in", Input))

    def submit(self) -> None:
        self.call(
            timeclock.correct_punch,
            self.query_one("#fix-shift", Select).value,
            self.query_one("#fix-in", Input).value,
            self.query_one("#fix-out", Input).value,
            self.query_one("#fix-reason", Input).value,
        )


class ShortWeekModal(FormModal):
    """AT-4: a director approves the reason for a week short of the minimum."""

    title_text = N_("Approve a short week")

    def fields(self) -> ComposeResult:
        person, week = self.view
        yield Static(
            _("{name}: {hours} h worked in {week}").format(
                name=person.name, hours=f"{person.minutes_worked / 60:.1f}", week=week
            ),
            markup=False,
        )
        yield Field("reason", _("Reason"), Input(id="short-reason"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#short-reason", Input))

    def submit(self) -> None:
        person, week = self.view
        self.call(timeclock.approve_short_week, person.staff_id, week, self.query_one("#short-reason", Input).value)


def _hhmm(moment: Any) -> str:
    return f"{moment:%H:%M}" if moment is not None else "--:--"
