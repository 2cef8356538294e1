"""``csdesk roster propose``: a month's draft per squad, refused for others' squads."""

from __future__ import annotations

from sqlalchemy import func, select

from csdesk import cli
from csdesk.models import RosterDraft
from csdesk.rules.vocab import Role


def _drafts(desk) -> int:
    with desk.read() as session:
        return int(session.execute(select(func.count()).select_from(RosterDraft)).scalar_one())


def test_a_leader_proposes_their_squads_month(db_url, desk, make_squad, make_staff, capsys, monkeypatch):
    from csdesk.rules import roster_solver

    monkeypatch.setattr(roster_solver, "available", lambda: False)
    lotus = make_squad("莲花组")
    make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1101")
    for n in range(4):
        make_staff(squad=lotus, employee_number=f"120{n}")
    code = cli.main(["--db", db_url, "roster", "propose", "--month", "2027-01", "--as", "1101"])
    said = capsys.readouterr().out
    assert code == 0 and "莲花组:" in said and "day(s) drafted" in said
    # It says which planner made the draft.
    assert "by the greedy pass (no solver installed)" in said
    # With no ticket history nothing is needed; everyone still gets the weekly minimum (AT-4).
    assert _drafts(desk) > 0


def test_a_bad_month_or_another_squad_is_refused_and_changes_nothing(db_url, desk, make_squad, make_staff, capsys):
    lotus, plum = make_squad("莲花组"), make_squad("梅花组")
    make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1101")
    make_staff(squad=plum, employee_number="1300")
    assert cli.main(["--db", db_url, "roster", "propose", "--month", "2027-13", "--as", "1101"]) != 0
    assert "month" in capsys.readouterr().err
    code = cli.main(["--db", db_url, "roster", "propose", "--month", "2027-01", "--squad", "梅花组", "--as", "1101"])
    assert code != 0 and "own squad" in capsys.readouterr().err
    assert _drafts(desk) == 0


def test_the_published_month_exports_in_the_import_columns_and_round_trips(
    db_url, desk, make_squad, make_staff, tmp_path, capsys
):
    lotus = make_squad("莲花组")
    make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1101")
    make_staff(squad=lotus, employee_number="1200")
    source = tmp_path / "in.csv"
    source.write_text(
        "employee_number,date,shift,holiday_duty\n"
        "1200,2027-01-01,day,yes\n1200,2027-01-02,night,no\n1200,2027-02-01,day,no\n",
        encoding="utf-8",
    )
    assert cli.main(["--db", db_url, "import", "roster", str(source), "--as", "1101"]) == 0
    out = tmp_path / "out.csv"
    code = cli.main(["--db", db_url, "export", "roster", "--month", "2027-01", "--out", str(out), "--as", "1101"])
    assert code == 0 and "wrote 2 shifts" in capsys.readouterr().out
    # With the byte-order mark spreadsheet programs want; the import reads it (utf-8-sig).
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "employee_number,date,shift,holiday_duty",
        "1200,2027-01-01,day,yes",
        "1200,2027-01-02,night,no",
    ]
    assert cli.main(["--db", db_url, "import", "roster", str(out), "--as", "1101"]) == 0
    assert "(0 new, 0 changed)" in capsys.readouterr().out
