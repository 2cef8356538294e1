"""``--format xlsx``: the same rows as the CSV, with typed cells, a frozen header with filters, no row cap."""

from __future__ import annotations

import csv
import stat
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from test_people_commands import ROSTER, run

from csdesk.exports import xlsxfile

STAFF = (
    "employee_number,real_name,role,grade,squad,status,hire_date\n"
    "5001,María González,department_director,senior,,formal,2019-05-01\n"
    "5101,李娜,squad_leader,senior,Lotus,formal,2020-01-06\n"
    "5102,王芳,agent,junior,Lotus,formal,2024-03-01\n"
    "5103,=HYPERLINK(1),agent,junior,Lotus,formal,2024-03-01\n"
)


@pytest.fixture
def centre(tmp_path, capsys, monkeypatch):
    db = tmp_path / "centre.db"
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER + "5103,2026-11-18,day\n", encoding="utf-8")
    for argv in (("init",), ("import", "staff", tmp_path / "staff.csv"), ("import", "roster", tmp_path / "roster.csv")):
        code, _, err = run(capsys, "--db", db, *argv, *(["--as", "5101"] if "roster" in argv else []))
        assert code == 0, err
    monkeypatch.chdir(tmp_path)
    return db


def trimmed(row: list[str]) -> list[str]:
    """A row without its empty cells at the end: a sheet pads its rows to its widest."""
    while row and row[-1] == "":
        row = row[:-1]
    return row


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [trimmed(row) for row in csv.reader(handle)]


def as_csv_text(cell) -> str:
    """A workbook cell written the way the CSV writes it."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if cell.number_format == "yyyy-mm-dd" else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    places = cell.number_format.partition(".")[2]
    if isinstance(value, (int, float)) and places:  # 0.0 comes back as 0: the format keeps its places
        return f"{value:.{len(places)}f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def sheet_rows(path):
    book = load_workbook(path)
    return book, [trimmed([as_csv_text(cell) for cell in row]) for row in book.worksheets[0].iter_rows()]


def test_attendance_as_a_workbook_holds_the_csvs_rows_with_typed_cells(centre, tmp_path, capsys):
    base = ("--db", centre, "export", "attendance", "--week", "2026-W47", "--as", "5101")
    assert run(capsys, *base)[0] == 0
    code, out, err = run(capsys, *base, "--format", "xlsx")
    assert code == 0, err
    assert "attendance-2026-W47.xlsx" in out and "attendance-2026-W47-hours.xlsx" in out
    for name in ("attendance-2026-W47", "attendance-2026-W47-hours"):
        book, rows = sheet_rows(tmp_path / f"{name}.xlsx")
        assert rows == csv_rows(tmp_path / f"{name}.csv"), name
        sheet = book.worksheets[0]
        assert (
            sheet.freeze_panes == "A2"
            and sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{len(rows)}"
        )

    sheet = load_workbook(tmp_path / "attendance-2026-W47.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    first = {name: cell.value for name, cell in zip(header, sheet[2])}
    assert isinstance(first["date"], datetime) and first["date"].date() == date(2026, 11, 16)
    assert isinstance(first["scheduled_start"], datetime) and isinstance(first["minutes_late"], int)
    hours = load_workbook(tmp_path / "attendance-2026-W47-hours.xlsx").worksheets[0]
    assert isinstance(hours.cell(2, 7).value, int | float) and hours.cell(2, 7).number_format == "0.00"
    # The formula guard holds in the workbook too: the name is text, not a formula.
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(1)" in names and all(row[1].data_type == "s" for row in sheet.iter_rows(min_row=2))
    # Wide enough for the Chinese names: two columns a character.
    assert sheet.column_dimensions["B"].width >= len("'=HYPERLINK(1)")


def test_the_out_suffix_chooses_the_workbook_and_a_contradiction_is_refused(centre, tmp_path, capsys):
    base = ("--db", centre, "export", "attendance", "--week", "2026-W47", "--as", "5101")
    code, out, _ = run(capsys, *base, "--out", tmp_path / "week.xlsx")
    assert code == 0 and (tmp_path / "week.xlsx").exists() and (tmp_path / "week-hours.xlsx").exists()
    code, _, err = run(capsys, *base, "--out", tmp_path / "week.csv", "--format", "xlsx")
    assert code == 1 and "week.csv is named for another format than xlsx" in err
    assert not (tmp_path / "week.csv").exists()


def test_every_export_writes_a_workbook(centre, tmp_path, capsys):
    asked = [
        (("export", "evaluation", "--month", "2026-11", "--as", "5001"), "evaluation-2026-11"),
        (("export", "quality", "--month", "2026-11", "--as", "5001"), "quality-2026-11"),
        (("export", "quality", "--week", "2026-W47", "--as", "5001"), "quality-2026-W47"),
        (("export", "contacts", "--as", "5101"), None),
    ]
    for argv, name in asked:
        for fmt in ("csv", "xlsx"):
            code, out, err = run(capsys, "--db", centre, *argv, "--format", fmt)
            assert code == 0, (argv, err)
        if name is not None:
            assert sheet_rows(tmp_path / f"{name}.xlsx")[1] == csv_rows(tmp_path / f"{name}.csv"), name
    [sheet] = tmp_path.glob("contacts-confidential-*.xlsx")
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600  # as the CSV: its owner only
    assert sheet_rows(sheet)[1] == csv_rows(sheet.with_suffix(".csv"))


def test_no_row_cap_rows_past_a_sheet_go_on_on_the_next_under_the_same_header(tmp_path, monkeypatch):
    rows = [(i, f"agent {i}", date(2026, 11, 1)) for i in range(7000)]  # past others' 6,000-row cap
    assert xlsxfile.write_xlsx(tmp_path / "many.xlsx", ("n", "name", "day"), rows) == 7000
    sheet = load_workbook(tmp_path / "many.xlsx", read_only=True).worksheets[0]
    assert sum(1 for _ in sheet.iter_rows()) == 7001

    monkeypatch.setattr(xlsxfile, "SHEET_ROWS", 3)  # Excel's limit, made small
    assert xlsxfile.write_xlsx(tmp_path / "spill.xlsx", ("n", "name", "day"), rows[:5]) == 5
    book = load_workbook(tmp_path / "spill.xlsx")
    assert [[[c.value for c in r] for r in s.iter_rows()][0] for s in book.worksheets] == [["n", "name", "day"]] * 3
    assert [r[0].value for s in book.worksheets for r in s.iter_rows(min_row=2)] == [0, 1, 2, 3, 4]


def test_control_characters_in_a_name_do_not_break_the_workbook(tmp_path):
    xlsxfile.write_xlsx(tmp_path / "odd.xlsx", ("name",), [("王\x00芳\x1b",), ("",), ("-5",)])
    sheet = load_workbook(tmp_path / "odd.xlsx").worksheets[0]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ["王芳", None, "'-5"]


def test_columns_are_as_wide_as_a_chinese_name_shows(tmp_path):
    xlsxfile.write_xlsx(tmp_path / "names.xlsx", ("no", "name"), [("1", "欧阳娜娜娜娜"), ("2", "Ann")])
    sheet = load_workbook(tmp_path / "names.xlsx").worksheets[0]
    assert sheet.column_dimensions["B"].width >= 12 > sheet.column_dimensions["A"].width  # two a character
