"""A freshly imported register can sign in: ``csdesk set-pin`` gives first PINs."""

from __future__ import annotations

import io

import pytest

from csdesk import cli
from csdesk.policy import default_policy
from csdesk.services.auth import AccountLocked, PinChangeRequired, sign_in
from csdesk.services.base import Desk, ServiceError
from csdesk.store import open_database

STAFF = (
    "employee_number,real_name,role,grade,squad,status,hire_date\n"
    "5001,María González,department_director,senior,,formal,2019-05-01\n"
    "5101,李娜,squad_leader,senior,Lotus,formal,2020-01-06\n"
    "5102,王芳,agent,junior,Lotus,formal,2024-03-01\n"
)


def run(capsys, monkeypatch, *argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def register(tmp_path, capsys, monkeypatch):
    db = tmp_path / "centre.db"
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    assert run(capsys, monkeypatch, "--db", db, "init")[0] == 0
    assert run(capsys, monkeypatch, "--db", db, "import", "staff", tmp_path / "staff.csv")[0] == 0
    return db


def can_sign_in(db_path, number, pin) -> bool:
    desk = Desk(db=open_database(db_path), policy=default_policy())
    try:
        sign_in(desk, number, pin)
        return True
    except (ServiceError, AccountLocked):
        return False
    finally:
        desk.db.close()


def test_first_pin_lets_an_imported_director_sign_in(register, capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "--db", register, "set-pin", "5001", stdin="2580\n")
    assert code == 0 and "PIN set for No. 5001" in out
    assert can_sign_in(register, "5001", "2580")


def test_a_pin_already_set_cannot_be_overwritten_without_a_leader(register, capsys, monkeypatch):
    run(capsys, monkeypatch, "--db", register, "set-pin", "5102", stdin="1111\n")
    code, _, err = run(capsys, monkeypatch, "--db", register, "set-pin", "5102", stdin="9999\n")
    assert code != 0 and "already has a PIN" in err and "Traceback" not in err
    assert can_sign_in(register, "5102", "1111")
    assert not can_sign_in(register, "5102", "9999")


def test_a_leader_resets_an_agents_pin_but_an_agent_cannot(register, capsys, monkeypatch):
    for number, pin in (("5101", "1234"), ("5102", "1111")):
        run(capsys, monkeypatch, "--db", register, "set-pin", number, stdin=f"{pin}\n")

    code, _, err = run(capsys, monkeypatch, "--db", register, "set-pin", "5101", "--as", "5102", stdin="4321\n")
    assert code != 0 and err.count("\n") == 1
    assert can_sign_in(register, "5101", "1234")

    code, _, _ = run(capsys, monkeypatch, "--db", register, "set-pin", "5102", "--as", "5101", stdin="7777\n")
    assert code == 0 and not can_sign_in(register, "5102", "1111")
    desk = Desk(db=open_database(register), policy=default_policy())
    try:
        with pytest.raises(PinChangeRequired):
            sign_in(desk, "5102", "7777")
        assert sign_in(desk, "5102", "7777", new_pin="2468").employee_number == "5102"
    finally:
        desk.db.close()


@pytest.mark.parametrize(
    ("target", "leader"),
    [("5001", "5101"), ("5201", "5101"), ("5101", "5101"), ("5101", "5102")],
    ids=["leader-resets-director", "leader-resets-other-squad", "own-pin", "agent-resets-leader"],
)
def test_a_reset_follows_the_hierarchy_and_changes_nothing_when_refused(
    register, capsys, monkeypatch, tmp_path, target, leader
):
    (tmp_path / "more.csv").write_text(
        "employee_number,real_name,role,grade,squad,status,hire_date\n"
        "5201,赵敏,agent,junior,Orchid,formal,2024-03-01\n",
        encoding="utf-8",
    )
    assert run(capsys, monkeypatch, "--db", register, "import", "staff", tmp_path / "more.csv", "--as", "5001")[0] == 0
    for number in ("5001", "5101", "5102", "5201"):
        run(capsys, monkeypatch, "--db", register, "set-pin", number, stdin="1234\n")

    code, _, err = run(capsys, monkeypatch, "--db", register, "set-pin", target, "--as", leader, stdin="5678\n")
    assert code != 0 and "ST-2" in err and "Traceback" not in err
    assert can_sign_in(register, target, "1234")
    assert not can_sign_in(register, target, "5678")


def test_a_director_resets_a_squad_leader(register, capsys, monkeypatch):
    for number in ("5001", "5101"):
        run(capsys, monkeypatch, "--db", register, "set-pin", number, stdin="1234\n")
    code, out, _ = run(capsys, monkeypatch, "--db", register, "set-pin", "5101", "--as", "5001", stdin="5678\n")
    assert code == 0 and "next sign-in" in out


def test_a_pin_that_is_not_digits_is_refused_naming_the_field(register, capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, "--db", register, "set-pin", "5001", stdin="abc\n")
    assert code != 0 and "pin" in err.lower()
    assert not can_sign_in(register, "5001", "abc")
