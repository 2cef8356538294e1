"""``--week last`` and ``--month last`` on the exports, from the command's clock on the centre's calendar."""

from __future__ import annotations

from edge_dates import centre_time
from test_people_commands import centre, run  # noqa: F401 - a fixture

from csdesk import cli

# Monday 23 November 2026, half past midnight at the centre: still Sunday in UTC, whose
# "last week" would be W46.
MONDAY_0030 = centre_time(2026, 11, 23, 0, 30)


def at(moment, capsys, *argv):
    code = cli.main([str(a) for a in argv], clock=lambda: moment)
    out, err = capsys.readouterr()
    return code, out, err


def test_last_week_is_the_centres_last_week(centre, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    code, out, err = at(MONDAY_0030, capsys, "--db", centre, "export", "attendance", "--week", "last", "--as", "5101")
    assert code == 0, err
    assert "wrote 2 shifts" in out and (tmp_path / "attendance-2026-W47.csv").exists()
    code, out, err = at(MONDAY_0030, capsys, "--db", centre, "export", "attendance", "--week", "this", "--as", "5101")
    assert code == 0 and "wrote 0 shifts" in out and (tmp_path / "attendance-2026-W48.csv").exists()


def test_every_export_with_a_period_takes_last_and_this(centre, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    new_year = centre_time(2027, 1, 1, 9, 0)
    asked = [
        (("export", "evaluation", "--month", "last", "--as", "5001"), "evaluation-2026-12.csv"),
        (("export", "quality", "--month", "this", "--as", "5001"), "quality-2027-01.csv"),
        (("export", "quality", "--week", "last", "--as", "5001"), "quality-2026-W52.csv"),
    ]
    for argv, written in asked:
        code, out, err = at(new_year, capsys, "--db", centre, *argv)
        assert code == 0, (argv, err)
        assert (tmp_path / written).exists(), (argv, out)


def test_a_period_that_is_neither_is_refused_naming_the_field(centre, capsys):  # noqa: F811
    code, _, err = at(MONDAY_0030, capsys, "--db", centre, "export", "attendance", "--week", "previous", "--as", "5101")
    assert code == 1 and "'previous' is not a week like 2026-W47" in err
