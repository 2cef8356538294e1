"""``csdesk roster propose``: a month's draft per squad, refused for others' squads."""

from __future__ import annotations

from sqlalchemy import func, select

from csdesk import cli
from csdesk.models import RosterDraft
from csdesk.rules.vocab import Role


def _drafts(desk) -> int:
    with desk.read() as session:
        return int(session.execute(select(func.count()).select_from(RosterDraft)).scalar_one())


def test_a_leader_proposes_their_squads_month(db_url, desk, make_squad, make_staff, capsys):
    lotus = make_squad("莲花组")
    make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1101")
    for n in range(4):
        make_staff(squad=lotus, employee_number=f"120{n}")
    code = cli.main(["--db", db_url, "roster", "propose", "--month", "2027-01", "--as", "1101"])
    said = capsys.readouterr().out
    assert code == 0 and "莲花组:" in said and "day(s) drafted" in said
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
