"""``csdesk export quality``: the monthly score sheet (QA-2) and the weekly summary (QA-3) as CSV."""

from __future__ import annotations

import csv

import pytest

from csdesk import cli
from csdesk.rules.vocab import Role
from csdesk.services import quality

GOOD = {"service_language": 18, "attitude": 23, "tone": 14, "eliciting_needs": 18, "responsiveness": 19}


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def centre(desk, make_squad, make_staff, actor_of):
    squad = make_squad("莲花组")
    inspector = make_staff(role=Role.INSPECTOR, employee_number="0900", real_name="周敏")
    ann = make_staff(squad=squad, employee_number="1101", real_name="李娜")
    make_staff(squad=squad, employee_number="1102", real_name="=HYPERLINK(1)")
    make_staff(role=Role.AGENT, squad=squad, employee_number="1103", real_name="王芳")
    quality.record_inspection(desk, actor_of(inspector), ann.id, {**GOOD, "tone": 8})
    quality.record_inspection(desk, actor_of(inspector), ann.id, GOOD)
    return ann


def test_qa_2_month_export_writes_one_row_per_agent_with_the_rubric(db_url, centre, tmp_path, capsys):
    out = tmp_path / "march.csv"
    code = cli.main(["--db", db_url, "export", "quality", "--month", "2026-03", "--out", str(out), "--as", "0900"])
    assert code == 0 and "score sheets of 3 agents" in capsys.readouterr().out
    rows = read(out)
    assert rows[0][:6] == ["employee_number", "name", "squad", "month", "samples", "sampling"]
    assert rows[0][6:11] == [
        "Service language (/20)",
        "Attitude (/25)",
        "Tone (/15)",
        "Eliciting needs (/20)",
        "Responsiveness (/20)",
    ]
    ann = rows[1]
    assert ann[:6] == ["1101", "李娜", "莲花组", "2026-03", "2", "sampling"]
    assert ann[8] == "11" and ann[11] == "89" and ann[12] == "89"  # tone (8+14)/2, total, percent
    assert ann[13] == "" and ann[-1] == "QA-2"
    assert rows[2][1] == "'=HYPERLINK(1)"  # never run as a formula
    assert rows[2][5] == "under" and rows[2][-1] == "QA-1"


def test_qa_3_week_export_starts_with_the_whole_team(db_url, centre, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = cli.main(["--db", db_url, "export", "quality", "--week", "2026-W11", "--as", "0900"])
    assert code == 0
    rows = read(tmp_path / "quality-2026-W11.csv")
    assert rows[0][:5] == ["week", "employee_number", "name", "squad", "samples"]
    assert rows[1][:5] == ["2026-W11", "", "whole team", "", "2"]
    assert rows[2][:5] == ["2026-W11", "1101", "李娜", "莲花组", "2"]
    assert rows[2][7] == "73.3"  # tone 11 of 15
    assert len(rows) == 3


def test_qa_2_an_agent_may_not_export_and_a_bad_month_is_named(db_url, centre, tmp_path, capsys):
    code = cli.main(
        ["--db", db_url, "export", "quality", "--month", "2026-03", "--as", "1103", "--out", str(tmp_path / "x.csv")]
    )
    assert code == 1 and "ST-2" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
    code = cli.main(["--db", db_url, "export", "quality", "--month", "March", "--as", "0900"])
    assert code == 1 and "not a month like 2026-03" in capsys.readouterr().err
