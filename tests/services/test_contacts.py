"""ST-5: the emergency contact sheet, for leaders only (ST-6), and its confidential export."""

import csv
import stat

import pytest
from sqlmodel import select

from csdesk.exports.contacts import CONFIDENTIAL, CONTACTS_HEADER
from csdesk.models import AuditLog
from csdesk.rules.decision import Outcome
from csdesk.rules.vocab import Role, StaffStatus
from csdesk.services.base import PermissionDenied
from csdesk.services.contacts import contact_sheet
from csdesk.services.exports import export_contacts


@pytest.fixture
def w(desk, make_squad, make_staff, actor_of):
    squad = make_squad("莲花组")

    class World:
        director = actor_of(
            make_staff(
                role=Role.DEPARTMENT_DIRECTOR,
                real_name="María González",
                phone="13900000001",
                address="1 Harbour Road",
                emergency_contact="Juan 13900000009",
            )
        )
        leader = actor_of(
            make_staff(
                role=Role.SQUAD_LEADER,
                squad=squad,
                real_name="李娜",
                phone="13800000002",
                address="上海市浦东新区 2 号",
                emergency_contact="丈夫 13800000008",
            )
        )
        deputy = actor_of(make_staff(role=Role.DEPUTY_LEADER, squad=squad))
        agent = actor_of(make_staff(squad=squad, real_name="王芳", phone="=1+2", address=""))
        intern = actor_of(make_staff(squad=squad, status=StaffStatus.INTERN, real_name="周小米"))
        inspector = actor_of(make_staff(role=Role.INSPECTOR))
        gone = make_staff(squad=squad, status=StaffStatus.LEFT, real_name="离职")

    return World


def test_st_5_leaders_see_everyone_on_staff_with_what_is_missing(desk, w):
    sheet = contact_sheet(desk, w.deputy)
    names = [line.name for line in sheet]
    assert names[0] == "María González" and "离职" not in names and len(names) == 6
    by_name = {line.name: line for line in sheet}
    assert by_name["李娜"].address == "上海市浦东新区 2 号" and by_name["李娜"].check.ok
    missing = by_name["王芳"].check
    assert missing.outcome is Outcome.WARNING and "address" in missing.reason and missing.rule_ids == ("ST-5",)
    assert by_name["周小米"].check.ok  # interns are not yet asked for it


@pytest.mark.parametrize("who", ["agent", "intern", "inspector"])
def test_st_6_only_leaders_see_colleagues_contacts(desk, w, who):
    with pytest.raises(PermissionDenied) as refused:
        contact_sheet(desk, getattr(w, who))
    assert refused.value.rule_ids == ("ST-2", "ST-6")
    assert "squad leader" in refused.value.message


def test_st_5_the_export_is_marked_confidential_formula_safe_and_private(desk, w, tmp_path):
    out = tmp_path / "sheet.csv"
    exported = export_contacts(desk, w.leader, out)
    assert exported.people == 6
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [CONFIDENTIAL] and tuple(rows[1]) == CONTACTS_HEADER
    wang = next(r for r in rows[2:] if r[1] == "王芳")
    assert wang[5] == "'=1+2" and "address" in wang[8]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with desk.read() as session:
        [row] = session.exec(select(AuditLog).where(AuditLog.action == "contacts.export")).all()
    assert row.actor_id == w.leader.staff_id and row.after["people"] == 6


def test_st_6_an_agent_exports_nothing(desk, w, tmp_path):
    with pytest.raises(PermissionDenied):
        export_contacts(desk, w.agent, tmp_path / "sheet.csv")
    assert not (tmp_path / "sheet.csv").exists()
