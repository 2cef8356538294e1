"""``csdesk export contacts``: leaders only, confidential (ST-5, ST-6)."""

import csv

from test_people_commands import centre, run  # noqa: F401 - a fixture

from csdesk.exports.contacts import CONFIDENTIAL


def test_st_5_export_contacts_for_a_leader_refused_for_an_agent(centre, capsys, tmp_path):  # noqa: F811
    out = tmp_path / "contacts.csv"
    code, said, _ = run(capsys, "--db", centre, "export", "contacts", "--as", "5101", "--out", out)
    assert code == 0 and "3 people" in said and "confidential" in said
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [CONFIDENTIAL] and {r[1] for r in rows[2:]} == {"María González", "李娜", "王芳"}

    refused = tmp_path / "refused.csv"
    code, _, err = run(capsys, "--db", centre, "export", "contacts", "--as", "5102", "--out", refused)
    assert code == 1 and "ST-6" in err and not refused.exists()
