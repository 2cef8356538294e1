"""The global options work before or after any command, and ``--version`` / ``--help`` answer at once."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import subprocess
import sys
from importlib.resources import files

import pytest
from test_people_commands import centre, run  # noqa: F401 - a fixture

from csdesk import __version__, cli, store

# What each command needs besides the global options, to get past the parser.
NEEDS = {
    "backup": ["copy.db"],
    "check": [],
    "db copy": ["--to", "copy.db"],
    "db upgrade": [],
    "demo": ["--no-open"],
    "export attendance": ["--week", "2026-W47"],
    "export contacts": [],
    "export evaluation": ["--month", "2026-11"],
    "export quality": ["--month", "2026-11"],
    "export roster": ["--month", "2027-01"],
    "import roster": ["roster.csv"],
    "import staff": ["staff.csv"],
    "init": [],
    "mail send": [],
    "mailgate": ["--queue", "email"],
    "roster propose": ["--month", "2027-01"],
    "set-pin": ["5102"],
}


def _commands_in_help(capsys, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command ``csdesk --help`` lists, groups (``csdesk db --help``) walked too."""
    code, out, _ = run(capsys, *path, "--help")
    assert code == 0
    listed = out.split("commands:", 1)[1] if "commands:" in out else ""
    found: list[tuple[str, ...]] = []
    for name in re.findall(r"^    (\S+)", listed, flags=re.MULTILINE):
        below = (*path, name)
        code, out, _ = run(capsys, *below, "--help")
        found.extend(_commands_in_help(capsys, below) if "commands:" in out else [below])
    return found


@pytest.fixture
def recorded(monkeypatch):
    """Every command only notes what it was given."""
    seen: list[tuple[object, object]] = []
    cli._load_extensions()

    def note(ctx, args):
        seen.append((ctx, args))
        return 0

    for name, spec in list(cli.COMMANDS.items()):
        monkeypatch.setitem(cli.COMMANDS, name, dataclasses.replace(spec, run=note))
    return seen


def test_every_command_in_the_help_takes_the_global_options_before_and_after_its_name(recorded, tmp_path, capsys):
    commands = _commands_in_help(capsys)
    assert {" ".join(c) for c in commands} == set(NEEDS), "a new command: say what it needs in NEEDS"
    policy = tmp_path / "policy.toml"
    policy.write_text(files("csdesk").joinpath("data/policy.toml").read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "given.db"
    for words in commands:
        takes_as = "--as" in run(capsys, *words, "--help")[1]
        options = ["--db", db, "--policy", policy, "--lang", "zh_CN", "--quiet"] + (
            ["--as", "5101"] if takes_as else []
        )
        rest = NEEDS[" ".join(words)]
        for argv in ([*options, *words, *rest], [*words, *rest, *options]):
            recorded.clear()
            code, _, err = run(capsys, *argv)
            assert code == 0, " ".join(map(str, argv)) + err
            [(ctx, args)] = recorded
            assert ctx.settings.db_url == f"sqlite:///{db}", argv
            assert ctx.settings.policy_path == policy and ctx.settings.lang == "zh_CN", argv
            assert ctx.quiet, argv
            assert args.as_number == ("5101" if takes_as else None), argv


def test_given_in_both_places_the_one_after_the_command_wins(recorded, tmp_path, capsys):
    code, _, _ = run(capsys, "--db", tmp_path / "a.db", "--as", "1", "export", "contacts", "--db", tmp_path / "b.db")
    assert code == 0
    code, _, _ = run(capsys, "--as", "1", "export", "contacts", "--as", "2")
    assert code == 0
    (first, _), (_, second) = recorded
    assert first.settings.db_url.endswith("/b.db") and second.as_number == "2"


def test_as_is_refused_where_it_does_not_apply_and_required_where_it_does(recorded, tmp_path, capsys):
    code, _, err = run(capsys, "--as", "5101", "--db", tmp_path / "x.db", "init")
    assert code == 2 and "`csdesk init` takes no --as" in err
    code, _, err = run(capsys, "init", "--as", "5101")
    assert code == 2 and "unrecognized arguments: --as" in err
    code, _, err = run(capsys, "export", "attendance", "--week", "2026-W47")
    assert code == 2 and "required: --as" in err and "csdesk export attendance --help" in err
    assert not recorded


def test_the_export_people_tried_first_works_with_db_last(centre, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", "attendance", "--week", "2026-W47", "--as", "5101", "--db", centre)
    assert code == 0, err
    assert (tmp_path / "attendance-2026-W47.csv").exists() and "wrote 2 shifts" in out
    code, out, err = run(
        capsys, "--as", "5101", "--db", centre, "--quiet", "export", "attendance", "--week", "2026-W46"
    )
    assert code == 0 and out == "" and err == ""
    assert (tmp_path / "attendance-2026-W46.csv").exists()


def test_db_before_demo_is_where_the_demo_is_built(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("CSDESK_DB", str(tmp_path / "real.db"))  # the real database: never the demo's
    code, out, err = run(capsys, "--db", tmp_path / "d.db", "demo", "--no-open")
    assert code == 0, err
    assert (tmp_path / "d.db").exists() and str(tmp_path / "d.db") in out
    assert not (tmp_path / "real.db").exists() and not (tmp_path / "data").exists()
    code, _, err = run(capsys, "--db", "postgresql://x@localhost/centre", "demo", "--no-open")
    assert code == 2 and "SQLite file" in err


def test_db_copy_copies_the_db_option_when_no_from_is_given(centre, tmp_path, capsys):  # noqa: F811
    code, out, err = run(capsys, "--db", centre, "db", "copy", "--to", tmp_path / "copy.db")
    assert code == 0, err
    conn = sqlite3.connect(tmp_path / "copy.db")
    assert conn.execute("SELECT COUNT(*) FROM staff").fetchone() == (3,)
    conn.close()
    code, _, err = run(capsys, "--db", centre, "db", "copy", "--from", centre, "--to", tmp_path / "again.db")
    assert code == 2 and "--from or --db" in err


def test_version_names_the_release_and_the_schema_it_writes(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"csdesk {__version__} (schema {store.head_revision()})"


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_no_database_or_validation_library(option, tmp_path):
    probe = (
        "import sys\nfrom csdesk.cli import main\ncode = main([sys.argv[1]])\n"
        "heavy = sorted({'sqlalchemy', 'sqlmodel', 'pydantic', 'rich.console'} & set(sys.modules))\n"
        "print('HEAVY', heavy, code)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, option], capture_output=True, text=True, cwd=tmp_path)
    assert "HEAVY [] 0" in done.stdout, done.stdout + done.stderr


def test_policy_after_the_command_chooses_the_language_of_its_errors(tmp_path, capsys):
    policy = tmp_path / "policy.toml"
    text = files("csdesk").joinpath("data/policy.toml").read_text(encoding="utf-8")
    policy.write_text(text.replace("[centre]\n", '[centre]\nlanguage = "zh_CN"\n', 1), encoding="utf-8")
    code, _, err = run(capsys, "export", "attendance", "--policy", policy, "--bogus")
    assert code == 2 and "缺少必需的参数：--week" in err
