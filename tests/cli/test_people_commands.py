"""The export, import and desk-opening commands through ``csdesk.cli.main``."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import types

import pytest

from csdesk import cli, store
from csdesk.settings import database_url

STAFF = (
    "employee_number,real_name,role,grade,squad,status,hire_date\n"
    "5001,María González,department_director,senior,,formal,2019-05-01\n"
    "5101,李娜,squad_leader,senior,Lotus,formal,2020-01-06\n"
    "5102,王芳,agent,junior,Lotus,formal,2024-03-01\n"
)
ROSTER = "employee_number,date,shift\n5102,2026-11-16,day\n5102,2026-11-17,night\n"


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def centre(tmp_path, capsys):
    db = tmp_path / "centre.db"
    assert run(capsys, "--db", db, "init")[0] == 0
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    code, out, _ = run(capsys, "--db", db, "import", "staff", tmp_path / "staff.csv")
    assert code == 0 and "as the system" in out and "3 new" in out
    code, out, _ = run(capsys, "--db", db, "import", "roster", tmp_path / "roster.csv", "--as", "5101")
    assert code == 0 and "imported roster.csv: 2 rows (2 new, 0 changed)" in out
    return db


def counts(db):
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("staff", "squads", "roster", "audit_log")
        }
    finally:
        conn.close()


def test_export_writes_both_files_in_the_current_folder(centre, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", centre, "export", "attendance", "--week", "2026-W47", "--as", "5101")
    assert code == 0, err
    assert (tmp_path / "attendance-2026-W47.csv").exists()
    assert (tmp_path / "attendance-2026-W47-hours.csv").exists()
    assert "wrote 2 shifts to" in out and str(tmp_path / "attendance-2026-W47.csv") in out
    body = (tmp_path / "attendance-2026-W47.csv").read_text(encoding="utf-8-sig")
    assert "5102,王芳,Lotus,2026-11-17,night,2026-11-17 17:30,2026-11-18 01:00" in body


def test_export_with_out_and_squad(centre, tmp_path, capsys):
    out_file = tmp_path / "w.csv"
    code, out, _ = run(
        capsys,
        "--db",
        centre,
        "export",
        "attendance",
        "--week",
        "2026-W47",
        "--squad",
        "Lotus",
        "--out",
        out_file,
        "--as",
        "5001",
    )
    assert code == 0 and out_file.exists() and (tmp_path / "w-hours.csv").exists()
    code, _, err = run(
        capsys, "--db", centre, "export", "attendance", "--week", "2026-W47", "--squad", "Nope", "--as", "5001"
    )
    assert code == 1 and "no squad called 'Nope'" in err


def test_agents_cannot_export(centre, tmp_path, capsys, monkeypatch):  # rule: AT-5
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--db", centre, "export", "attendance", "--week", "2026-W47", "--as", "5102")
    assert code == 1 and "AT-5" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "attendance-2026-W47.csv").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "attendance", "--week", "2026-W47"], 2, "--as"),
        (["export", "attendance", "--week", "47", "--as", "5101"], 1, "not a week like 2026-W47"),
        (
            ["export", "attendance", "--week", "2026-W47", "--as", "0000"],
            1,
            "no staff member with employee number 0000",
        ),
        (["import", "roster", "nowhere.csv", "--as", "5101"], 1, "no such file"),
    ],
)
def test_usage_and_refusals_are_one_line(centre, capsys, args, code, message):
    result, _, err = run(capsys, "--db", centre, *args)
    assert result == code and message in err and "Traceback" not in err


def test_bad_import_prints_each_problem_and_changes_nothing(centre, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("employee_number,date,shift\n5102,2026-11-18,evening\n9999,2026-11-18,day\n", encoding="utf-8")
    before = counts(centre)
    code, _, err = run(capsys, "--db", centre, "import", "roster", bad, "--as", "5101")
    assert code == 1
    assert err.splitlines() == [
        "row 2: shift 'evening' is not one of day, night",
        "row 3: employee number 9999 is not in the register",
        "csdesk: 2 problems; nothing was imported",
    ]
    assert counts(centre) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (ROSTER.encode("gbk") + "5102,2026-11-18,day,王芳\n".encode("gbk"), "file is not UTF-8 (save it as UTF-8)"),
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary" * 100, "not a CSV text file"),
        (b"employee,when\n1,2\n", "missing column(s): employee_number, date, shift"),
    ],
)
def test_bad_files_through_the_command(centre, tmp_path, capsys, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    before = counts(centre)
    code, _, err = run(capsys, "--db", centre, "import", "roster", bad, "--as", "5101")
    assert code == 1 and message in err
    assert counts(centre) == before


def test_a_second_system_import_is_refused(centre, tmp_path, capsys):  # rule: ST-1
    code, _, err = run(capsys, "--db", centre, "import", "staff", tmp_path / "staff.csv")
    assert code == 1 and "--as" in err


# -- bare csdesk ---------------------------------------------------------------------


@pytest.fixture
def fake_app(monkeypatch):
    opened = []

    class App:
        def __init__(self, settings, db):
            self.settings, self.db = settings, db

        def run(self):
            opened.append(self)

    module = types.ModuleType("csdesk.app")
    module.make_app = App  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "csdesk.app", module)
    return opened


def test_bare_csdesk_opens_the_desk_on_the_configured_database(centre, capsys, fake_app):
    assert run(capsys, "--db", centre)[0] == 0
    # The desk opens it behind its sign-in screen, which is painted first.
    [desk] = fake_app
    assert desk.db is None and desk.settings.db_url == database_url(str(centre))


def _schema_of(path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_bare_csdesk_leaves_an_older_database_for_the_desk_to_say_so(centre, tmp_path, capsys, fake_app, monkeypatch):
    # What the sign-in screen then says ("csdesk db upgrade") is tested with the screen.
    folder = tmp_path / "migrations"
    shutil.copytree(store.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "0099_next.py").write_text(
        f'revision = "0099"\ndown_revision = "{store.head_revision()}"\nbranch_labels = None\ndepends_on = None\n'
        "def upgrade():\n    pass\ndef downgrade():\n    pass\n"
    )
    monkeypatch.setattr(store, "MIGRATIONS_DIR", folder)
    was = _schema_of(centre)
    code, _, _err = run(capsys, "--db", centre)
    assert code == 0 and len(fake_app) == 1 and fake_app[0].db is None
    assert _schema_of(centre) == was  # never upgraded behind anyone's back


def test_bare_csdesk_never_touches_a_newer_database(centre, capsys, fake_app):
    conn = sqlite3.connect(centre)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    code, _, _err = run(capsys, "--db", centre)
    assert code == 0 and len(fake_app) == 1 and fake_app[0].db is None
    assert _schema_of(centre) == "9999"


def test_bare_csdesk_without_the_screens_says_so(centre, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "csdesk.app", None)
    code, _, err = run(capsys, "--db", centre)
    assert code == 1 and "csdesk.app is missing" in err
