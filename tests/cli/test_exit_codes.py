"""The same exit codes on every command: 0 done, 1 refused, 2 usage, 75 try again later."""

from __future__ import annotations

import socket

import pytest
from test_people_commands import centre, run  # noqa: F401 - a fixture

from csdesk.db import DatabaseBusy


def test_done_refused_and_wrong_usage(centre, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "--db", centre, "check")[0] == 0
    code, _, err = run(capsys, "--db", centre, "export", "attendance", "--week", "2026-W47", "--as", "5102")
    assert code == 1 and err.startswith("csdesk: ") and "AT-5" in err  # an agent: refused, with the reason
    assert run(capsys, "--db", centre, "export", "attendance", "--weak", "2026-W47")[0] == 2
    assert run(capsys, "--db", centre, "no-such-command")[0] == 2


def test_a_busy_database_is_a_temporary_failure(centre, tmp_path, capsys, monkeypatch):  # noqa: F811
    def busy(*args, **kwargs):
        raise DatabaseBusy("the database is busy (other desks are saving); nothing was saved, try again in a moment")

    monkeypatch.setattr("csdesk.services.roster.import_roster", busy)
    (tmp_path / "r.csv").write_text("employee_number,date,shift\n5102,2026-11-18,day\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", centre, "import", "roster", tmp_path / "r.csv", "--as", "5101")
    assert code == 75 and "try again in a moment" in err


def test_a_server_out_of_reach_is_a_temporary_failure(capsys):
    pytest.importorskip("psycopg")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run(capsys, "--db", f"postgresql+psycopg://csdesk@127.0.0.1:{port}/centre", "check")
    assert code == 75 and "cannot open" in err


def test_a_server_that_answers_no_is_not_temporary(capsys):
    pytest.importorskip("psycopg")
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 5432)) != 0:
            pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    code, _, err = run(capsys, "--db", "postgresql+psycopg://postgres@127.0.0.1:5432/csdesk_no_such_db", "check")
    assert code == 1 and "does not exist" in err
