"""Long work shows a bar on a terminal and nothing elsewhere; ctrl+c in an import leaves nothing half-done."""

from __future__ import annotations

import io
import sqlite3
from contextlib import nullcontext

import pytest
from test_people_commands import centre, run  # noqa: F401 - a fixture

from csdesk import cli


class Terminal(io.StringIO):
    """Standard error as a terminal would be: rich draws its bar on it."""

    def isatty(self) -> bool:
        return True


def staff_file(folder, people: int):
    lines = ["employee_number,real_name,role,grade,squad,status,hire_date"]
    lines.append("9000,María González,department_director,senior,,formal,2019-05-01")
    lines += [f"{10000 + i},王芳{i},agent,junior,Lotus,formal,2024-03-01" for i in range(people - 1)]
    path = folder / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(db, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def empty(tmp_path, capsys):
    db = tmp_path / "empty.db"
    assert run(capsys, "--db", db, "init")[0] == 0
    return db


def test_an_import_on_a_terminal_shows_its_checking_and_importing(empty, tmp_path, capsys, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    code, out, _ = run(capsys, "--db", empty, "import", "staff", staff_file(tmp_path, 2500))
    shown = terminal.getvalue()
    assert code == 0 and "2500 rows (2500 new, 0 changed)" in out
    assert "checking many.csv" in shown and "importing many.csv" in shown and "2500/2500" in shown


def test_without_a_terminal_or_with_quiet_nothing_extra_is_said(empty, tmp_path, capsys, monkeypatch):
    path = staff_file(tmp_path, 10)
    code, out, err = run(capsys, "--db", empty, "import", "staff", path)
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "no --as given: importing as the system (allowed only into an empty register)",
        "imported many.csv: 10 rows (10 new, 0 changed)",
    ]
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    code, out, _ = run(capsys, "--quiet", "--db", empty, "import", "staff", path, "--as", "9000")
    assert code == 0 and out == "" and terminal.getvalue() == ""


def test_backup_copy_and_demo_show_a_bar_on_a_terminal(centre, tmp_path, capsys, monkeypatch):  # noqa: F811
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert run(capsys, "--db", centre, "backup", tmp_path / "backup.db")[0] == 0
    assert "backing up" in terminal.getvalue()
    assert run(capsys, "--db", centre, "db", "copy", "--to", tmp_path / "copy.db")[0] == 0
    assert "copying rows" in terminal.getvalue()
    assert count(tmp_path / "backup.db", "staff") == count(tmp_path / "copy.db", "staff") == 3


class CtrlC:
    """Ctrl+C pressed once the import has written its first thousand rows."""

    def __init__(self) -> None:
        self.stage_name = ""

    def stage(self, description: str, total: int | None = None) -> None:
        self.stage_name = description

    def advance(self, amount: int = 1) -> None:
        if self.stage_name.startswith("importing"):
            raise KeyboardInterrupt


def test_ctrl_c_during_an_import_leaves_nothing_half_done_and_says_so(empty, tmp_path, capsys, monkeypatch):
    path = staff_file(tmp_path, 2500)
    audit_before = count(empty, "audit_log")
    monkeypatch.setattr(cli.Context, "progress", lambda ctx: nullcontext(CtrlC()))
    code, out, err = run(capsys, "--db", empty, "import", "staff", path)
    assert code == 130
    assert err.strip() == "csdesk: interrupted: nothing was imported"
    assert count(empty, "staff") == count(empty, "squads") == 0 and count(empty, "audit_log") == audit_before
    monkeypatch.undo()
    code, out, err = run(capsys, "--db", empty, "import", "staff", path)  # nothing was left locked either
    assert code == 0 and "2500 new" in out


def test_a_backup_counted_slice_by_slice_is_still_one_moment(centre, tmp_path, monkeypatch):  # noqa: F811
    from csdesk import db as database
    from csdesk.store import backup, open_database

    monkeypatch.setattr(database, "_BACKUP_SLICE", 1)
    slices = []

    class WriteBetweenSlices:
        def stage(self, description: str, total: int | None = None) -> None:
            slices.append(total)

        def advance(self, amount: int = 1) -> None:
            slices.append(amount)
            if len(slices) > 4:
                return
            writer = sqlite3.connect(centre)
            with writer:
                writer.execute("INSERT INTO squads (name) VALUES (?)", (f"new {len(slices)}",))
            writer.close()

    with open_database(str(centre)) as db:
        before = count(centre, "squads")
        backup(db, tmp_path / "copy.db", WriteBetweenSlices())
    pages = slices[0]
    assert pages > 1 and sum(slices[1:]) == pages  # slice by slice, each counted once
    assert count(tmp_path / "copy.db", "squads") == before < count(centre, "squads")


def test_quiet_still_says_an_imports_warnings(centre, tmp_path, capsys):  # noqa: F811
    days = "".join(f"5102,2026-11-{day},day\n" for day in range(16, 23))  # seven days in a row (SC-2)
    (tmp_path / "week.csv").write_text("employee_number,date,shift\n" + days, encoding="utf-8")
    code, out, err = run(capsys, "--quiet", "--db", centre, "import", "roster", tmp_path / "week.csv", "--as", "5101")
    assert code == 0 and out == "" and err.startswith("warning: 5102: ")
