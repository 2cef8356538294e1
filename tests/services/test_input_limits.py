"""What a register and a form may hold: one-line names, columns no wider than the
database's, one employee number per person however it is typed (ST-1)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from csdesk.models import Staff
from csdesk.rules.vocab import Role
from csdesk.services.base import InvalidInput, PermissionDenied
from csdesk.services.roster import ImportRefused, import_staff
from csdesk.services.tickets import take_in

HEADER = "employee_number,real_name,role,grade,squad,status,hire_date,phone\n"


def _people(desk) -> int:
    with desk.read() as session:
        return session.execute(select(func.count()).select_from(Staff)).scalar_one()


@pytest.fixture
def director(make_staff, actor_of):
    return actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="9001"))


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("Wang\x1b[2JFang", "real_name"),
        ('"Wang\nFang"', "real_name"),
        ("Wang\u2028Fang", "real_name"),
    ],
)
def test_a_name_with_a_control_character_or_line_break_is_refused(desk, director, tmp_path, name, where):
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + f"3001,{name},agent,junior,Lotus,formal,2024-03-01,\n", encoding="utf-8")
    before = _people(desk)
    with pytest.raises(ImportRefused) as raised:
        import_staff(desk, director, path)
    assert "row 2" in raised.value.problems[0] and where in raised.value.problems[0]
    assert _people(desk) == before


def test_a_nul_past_the_first_8_kib_is_refused_too(desk, director, tmp_path):
    path = tmp_path / "staff.csv"
    rows = "".join(f"{3000 + n},Person {n},agent,junior,Lotus,formal,2024-03-01,\n" for n in range(300))
    assert len(rows) > 8192
    path.write_text(HEADER + rows + "3999,Bad\x00Name,agent,junior,Lotus,formal,2024-03-01,\n", encoding="utf-8")
    before = _people(desk)
    with pytest.raises(ImportRefused) as raised:
        import_staff(desk, director, path)
    assert "row 302" in str(raised.value.problems)
    assert _people(desk) == before


def test_a_phone_longer_than_its_column_is_refused_naming_the_row(desk, director, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "3001,Wang Fang,agent,junior,Lotus,formal,2024-03-01," + "1" * 5000 + "\n")
    with pytest.raises(ImportRefused) as raised:
        import_staff(desk, director, path)
    assert "row 2" in raised.value.problems[0] and "is longer than 40" in raised.value.problems[0]
    assert len(raised.value.problems[0]) < 200
    assert _people(desk) == 1


def test_a_full_width_number_is_the_same_person_and_a_look_alike_is_refused(desk, director, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "1101,Wang Fang,agent,junior,Lotus,formal,2024-03-01,\n", encoding="utf-8")
    import_staff(desk, director, path)
    path.write_text(HEADER + "１１０１,Wang Fang,agent,senior,Lotus,formal,2024-03-01,\n", encoding="utf-8")
    result = import_staff(desk, director, path)
    assert (result.created, result.updated) == (0, 1)
    with desk.read() as session:
        assert session.execute(select(Staff.employee_number).where(Staff.employee_number != "9001")).all() == [
            ("1101",)
        ]
    # A Cyrillic "А" looks like a Latin one; Arabic-Indic digits look like nothing here.
    for look_alike in ("А1101", "١١٠١"):
        path.write_text(HEADER + f"{look_alike},Wang Fang,agent,junior,Lotus,formal,2024-03-01,\n", encoding="utf-8")
        with pytest.raises(ImportRefused, match="employee_number"):
            import_staff(desk, director, path)
    assert _people(desk) == 2


def test_a_form_refuses_a_customer_name_over_two_lines(desk, make_staff, actor_of):
    agent = actor_of(make_staff())
    with pytest.raises(InvalidInput) as raised:
        take_in(desk, agent, "phone", "inquiry", "Zhang\nWei", "13800000000", "Billing", "")
    assert raised.value.field == "customer_name"


def test_two_first_imports_at_once_only_one_fills_the_empty_register(desk, tmp_path):
    files = []
    for tag in ("a", "b"):
        path = tmp_path / f"{tag}.csv"
        rows = "".join(f"{tag}{n},Person {n},agent,junior,Lotus,formal,2024-03-01,\n" for n in range(500))
        path.write_text(HEADER + f"{tag}-boss,Boss,department_director,senior,,formal,2019-01-01,\n" + rows)
        files.append(path)
    go = threading.Barrier(2)
    outcomes: list[str] = []

    def run(path):
        go.wait()
        try:
            import_staff(desk, None, path)
            outcomes.append("imported")
        except PermissionDenied:
            outcomes.append("refused")

    threads = [threading.Thread(target=run, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(outcomes) == ["imported", "refused"]
    assert _people(desk) == 501


def test_every_column_width_holds_on_sqlite_too(desk):
    from csdesk.models import Squad

    with pytest.raises(InvalidInput) as raised, desk.write() as session:
        session.add(Squad(name="x" * 81))
    assert raised.value.field == "name" and "80" in raised.value.message
