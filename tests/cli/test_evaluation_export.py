"""``csdesk export evaluation``: the month's ranking as CSV (AT-6), reviews beside it (DS-2)."""

from __future__ import annotations

import csv
from datetime import datetime, time

import pytest

from csdesk import cli
from csdesk.rules.fines import Offence
from csdesk.rules.vocab import Role
from csdesk.services.ledger import record_fine


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def centre(desk, make_squad, make_staff, actor_of):
    squad = make_squad("莲花组")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="李娜")
    make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="1002", real_name="María González")
    make_staff(squad=squad, employee_number="1110", real_name="王芳")
    zhang = make_staff(squad=squad, employee_number="1111", real_name="=HYPERLINK(1)")
    for day in (2, 3, 4):
        record_fine(
            desk,
            actor_of(leader),
            zhang.id,
            Offence.COMPLAINT,
            "quarrel",
            occurred_at=datetime.combine(datetime(2026, 3, day).date(), time(12), tzinfo=desk.policy.zone),
        )


def test_at_6_ds_2_a_director_exports_the_ranking_and_the_reviews(db_url, centre, tmp_path, capsys):
    out = tmp_path / "march.csv"
    code = cli.main(["--db", db_url, "export", "evaluation", "--month", "2026-03", "--out", str(out), "--as", "1002"])
    said = capsys.readouterr().out
    assert code == 0 and "ranking of 2 people" in said and "1 dismissal reviews" in said
    rows = read(out)
    assert rows[0][:6] == ["month", "rank", "squad_rank", "employee_number", "name", "squad"]
    assert rows[0][-1] == "named"
    assert [r[3:6] for r in rows[1:]] == [["1110", "王芳", "莲花组"], ["1111", "'=HYPERLINK(1)", "莲花组"]]
    assert rows[1][-1] == "best" and rows[2][-1] == "worst"
    assert rows[2][rows[0].index("fines")] == "350.00"
    reviews = read(tmp_path / "march-reviews.csv")
    assert reviews[1][:6] == ["2026-03", "1111", "'=HYPERLINK(1)", "莲花组", "FN-3", "3"]


def test_at_6_a_squad_leaders_export_has_no_reviews_file(db_url, centre, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = cli.main(["--db", db_url, "export", "evaluation", "--month", "2026-03", "--as", "1101"])
    assert code == 0
    assert len(read(tmp_path / "evaluation-2026-03.csv")) == 3
    assert not (tmp_path / "evaluation-2026-03-reviews.csv").exists()


def test_at_6_an_agent_is_refused_and_nothing_is_written(db_url, centre, tmp_path, capsys):
    out = tmp_path / "march.csv"
    code = cli.main(["--db", db_url, "export", "evaluation", "--month", "2026-03", "--out", str(out), "--as", "1110"])
    assert code == cli.EXIT_FAILED and "AT-6" in capsys.readouterr().err and not out.exists()


def test_a_bad_month_is_named(db_url, centre, tmp_path, capsys):
    code = cli.main(["--db", db_url, "export", "evaluation", "--month", "03/2026", "--as", "1002"])
    assert code == cli.EXIT_FAILED and "not a month like 2026-03" in capsys.readouterr().err
