"""The csdesk command: exit codes and one-line messages, never a traceback."""

import sqlite3

import pytest

from csdesk import cli
from csdesk.settings import resolve_settings


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_init_check_backup_round_trip(tmp_path, capsys):
    db = tmp_path / "centre.db"
    code, out, _ = run(capsys, "--db", str(db), "init")
    assert code == 0 and "database ready" in out

    code, out, _ = run(capsys, "--db", str(db), "init")
    assert code == 0  # running it again is harmless

    code, out, _ = run(capsys, "--db", str(db), "check")
    assert code == 0 and "integrity ok" in out

    copy = tmp_path / "copy.db"
    code, out, _ = run(capsys, "--db", str(db), "backup", str(copy))
    assert code == 0 and str(copy) in out
    code, out, _ = run(capsys, "--db", str(copy), "check")
    assert code == 0

    code, _, err = run(capsys, "--db", str(db), "backup", str(copy))
    assert code == 1 and "already exists" in _one_line(err)

    code, out, _ = run(capsys, "--db", str(db), "db", "upgrade")
    assert code == 0 and "already up to date" in out


def test_environment_variable_names_the_database(tmp_path, capsys, monkeypatch):
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("CSDESK_DB", str(db))
    assert run(capsys, "init")[0] == 0
    assert db.exists()


def test_default_location_is_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CSDESK_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = resolve_settings()
    assert settings.db_is_default
    assert settings.db_url.endswith("/data/csdesk/csdesk.db")


def test_option_beats_environment(tmp_path):
    settings = resolve_settings(db=str(tmp_path / "a.db"), environ={"CSDESK_DB": "/x/b.db"})
    assert settings.db_url.endswith("/a.db") and not settings.db_is_default


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--db", "{tmp}/nowhere/x.db", "check"], "folder does not exist"),
        (["--db", "{tmp}/absent.db", "check"], "run `csdesk init`"),
        (["--db", "{tmp}/junk.db", "check"], "not a csdesk database file"),
        (["--db", "{tmp}/nowhere/x.db", "init"], "folder does not exist"),
        (["--db", "{tmp}/junk.db", "backup", "{tmp}/b.db"], "not a csdesk database file"),
    ],
)
def test_bad_database_gives_one_line_and_exit_1(tmp_path, capsys, args, expected):
    (tmp_path / "junk.db").write_text("not a database " * 100)
    code, _, err = run(capsys, *[a.format(tmp=tmp_path) for a in args])
    assert code == 1
    assert expected in _one_line(err)


def test_a_database_from_a_newer_csdesk_fails_check(tmp_path, capsys):
    db = tmp_path / "centre.db"
    run(capsys, "--db", str(db), "init")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "--db", str(db), "check")
    assert code == 1 and "newer csdesk" in _one_line(err)
    code, _, err = run(capsys, "--db", str(db), "db", "upgrade")
    assert code == 1 and "newer csdesk" in _one_line(err)


def test_broken_policy_file_is_one_line(tmp_path, capsys):
    db = tmp_path / "centre.db"
    run(capsys, "--db", str(db), "init")
    bad = tmp_path / "policy.toml"
    bad.write_text("this is = = not toml")
    code, _, err = run(capsys, "--db", str(db), "--policy", str(bad), "check")
    assert code == 1 and "policy.toml" in _one_line(err)


@pytest.mark.parametrize("args", [["frobnicate"], ["db"], ["backup"], ["--nope"]])
def test_wrong_usage_is_exit_2_with_one_line(capsys, args):
    code, _, err = run(capsys, *args)
    assert code == 2
    assert "--help" in _one_line(err)


def test_help_exits_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "init" in out and "backup" in out


def test_unexpected_errors_are_one_line_too(tmp_path, capsys, monkeypatch):
    def explode(ctx, args):
        raise RuntimeError("secret customer phone 555-1234")

    monkeypatch.setitem(cli.COMMANDS, "init", cli.Command("init", "x", explode))
    monkeypatch.delenv("CSDESK_DEBUG", raising=False)
    code, _, err = run(capsys, "--db", str(tmp_path / "x.db"), "init")
    line = _one_line(err)
    assert code == 1 and "RuntimeError" in line and "555" not in line


def test_registered_commands_appear_as_nested_subcommands(capsys, monkeypatch):
    seen = []

    def arguments(parser):
        parser.add_argument("file")

    def run_it(ctx, args):
        seen.append(args.file)
        return 0

    monkeypatch.setitem(cli.COMMANDS, "import roster", cli.Command("import roster", "read a roster", run_it, arguments))
    assert run(capsys, "import", "roster", "week.csv")[0] == 0
    assert seen == ["week.csv"]


@pytest.mark.parametrize("name", ["centre.db", "a b+c%d@e#f.db", "中心.db"])
def test_a_plain_path_names_the_same_file_the_database_layer_opens(tmp_path, name):
    from csdesk.db import to_url

    path = tmp_path / name
    settings = resolve_settings(db=str(path))
    assert settings.db_url == to_url(str(path)).render_as_string(hide_password=False)
    assert to_url(settings.db_url).database == str(path)
