"""Staff and roster imports: every row checked first, a bad file changes nothing."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from csdesk.models import AuditLog, RosterEntry, Squad, Staff
from csdesk.rules.vocab import Grade, Role, StaffStatus
from csdesk.services.base import PermissionDenied
from csdesk.services.roster import ImportRefused, import_roster, import_staff

STAFF_HEADER = "employee_number,real_name,role,grade,squad,status,hire_date,phone\n"
GOOD_STAFF = STAFF_HEADER + (
    "3001,王芳,agent,junior,Lotus,formal,2024-03-01,13800000001\n"
    "3002,Lucía Pérez,agent,senior,Lotus,intern,2025-09-01,\n"
    "3003,李娜,squad_leader,senior,Lotus,formal,2020-01-06,13800000003\n"
)


def counts(desk) -> dict[str, int]:
    with desk.read() as session:
        return {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar()
            for model in (Staff, Squad, RosterEntry, AuditLog)
        }


@pytest.fixture
def director(make_staff, actor_of):
    return actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, employee_number="9001"))


@pytest.fixture
def centre(desk, director, tmp_path):
    """Three people in squad Lotus; returns the squad leader's actor."""
    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")
    import_staff(desk, director, path)
    with desk.read() as session:
        leader = session.execute(select(Staff).where(Staff.employee_number == "3003")).scalars().one()
    from csdesk.services.base import Actor

    return Actor.of(leader)


def test_staff_import_registers_people_and_squads(desk, director, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")
    result = import_staff(desk, director, path)
    assert (result.rows, result.created, result.updated) == (3, 3, 0)
    with desk.read() as session:
        wang = session.execute(select(Staff).where(Staff.employee_number == "3001")).scalars().one()
        squad = session.execute(select(Squad).where(Squad.name == "Lotus")).scalars().one()
    assert (wang.real_name, wang.grade, wang.squad_id) == ("王芳", Grade.JUNIOR, squad.id)
    assert squad.leader_id is not None
    # The same file again changes nothing; an edited row updates that person only.
    assert import_staff(desk, director, path).updated == 0
    path.write_text(GOOD_STAFF.replace("3001,王芳,agent,junior", "3001,王芳,agent,intermediate"), encoding="utf-8")
    assert import_staff(desk, director, path).updated == 1


def test_each_imported_person_is_audited_as_saved(desk, director, tmp_path):
    from csdesk.services.base import snapshot

    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")
    import_staff(desk, director, path)
    path.write_text(GOOD_STAFF.replace("3001,王芳,agent,junior", "3001,王芳,agent,intermediate"), encoding="utf-8")
    import_staff(desk, director, path)
    with desk.read() as session:
        wang = session.execute(select(Staff).where(Staff.employee_number == "3001")).scalars().one()
        rows = session.execute(select(AuditLog).where(AuditLog.entity_id == str(wang.id))).scalars().all()
        registered, changed = [
            (row.action, row.actor_id, row.before, row.after) for row in rows if row.entity == "staff"
        ]
    saved = snapshot(wang)
    assert registered == ("staff.register", director.staff_id, None, {**saved, "grade": "junior"})
    action, actor_id, before, after = changed
    assert (action, actor_id) == ("staff.update", director.staff_id)
    assert after == {key: saved[key] for key in after} and after["hire_date"] == "2024-03-01"
    assert before == {**after, "grade": "junior"} and set(after) >= {"role", "squad_id", "phone"}


@pytest.mark.pg_only
def test_people_get_their_own_ids_when_the_servers_sequence_is_behind(desk, director, tmp_path):
    from sqlalchemy import text

    # A register copied in by hand: a high id, and the id sequence left far below it.
    with desk.write() as session:
        session.execute(
            text(
                "INSERT INTO staff (id, employee_number, real_name, role, grade, status, hire_date, phone, address,"
                " emergency_contact, failed_pin_count, pin_lockouts, pin_must_change) VALUES (1000, '8001',"
                " 'Old Hand', 'inspector', 'senior', 'formal', '2019-01-01', '', '', '', 0, 0, false)"
            )
        )
    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")
    assert import_staff(desk, director, path).created == 3
    with desk.read() as session:
        leader_id = session.execute(select(Squad.leader_id).where(Squad.name == "Lotus")).scalar_one()
        ids = {number: id_ for number, id_ in session.execute(select(Staff.employee_number, Staff.id))}
        audited = set(session.execute(select(AuditLog.entity_id).where(AuditLog.action == "staff.register")).scalars())
    assert leader_id == ids["3003"] and {str(ids[n]) for n in ("3001", "3002", "3003")} <= audited


def test_the_system_may_import_only_into_an_empty_register(desk, tmp_path, make_staff):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")
    assert import_staff(desk, None, path).created == 3
    with desk.read() as session:
        actors = set(session.execute(select(AuditLog.actor_id).where(AuditLog.action == "staff.register")).scalars())
    assert actors == {None}
    with pytest.raises(PermissionDenied, match="not empty"):
        import_staff(desk, None, path)


def test_only_directors_import_staff(desk, make_staff, actor_of, tmp_path):  # rule: ST-1
    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        import_staff(desk, actor_of(make_staff(role=Role.SQUAD_LEADER)), path)


def test_roster_import_puts_people_on_shifts(desk, centre, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "employee_number,date,shift,holiday_duty\n"
        "3001,2026-03-10,day,no\n3001,2026-03-10,night,\n3002,2026-10-01,DAY,yes\n",
        encoding="utf-8",
    )
    result = import_roster(desk, centre, path)
    assert (result.rows, result.created) == (3, 3)
    with desk.read() as session:
        duty = session.execute(
            select(RosterEntry.holiday_duty).where(RosterEntry.work_date == date(2026, 10, 1))
        ).scalar()
        audits = session.execute(select(AuditLog).where(AuditLog.action == "roster.import")).scalars().all()
    assert duty is True
    assert len(audits) == 1 and audits[0].actor_id == centre.staff_id and audits[0].after["rows"] == 3
    path.write_text("employee_number,date,shift,holiday_duty\n3002,2026-10-01,day,no\n", encoding="utf-8")
    assert import_roster(desk, centre, path).updated == 1


def test_seven_days_in_a_row_is_a_warning(desk, centre, tmp_path):  # rule: SC-2
    rows = "".join(f"3001,{date(2026, 3, 1) + timedelta(days=k)},day,\n" for k in range(7))
    path = tmp_path / "roster.csv"
    path.write_text("employee_number,date,shift,holiday_duty\n" + rows, encoding="utf-8")
    result = import_roster(desk, centre, path)
    assert result.created == 7 and "SC-2" in result.warnings[0]


BAD_STAFF = {
    "missing column": (
        "employee_number,real_name,role,grade,squad,hire_date\n3009,A,agent,junior,Lotus,2024-01-01\n",
        ["staff.csv: missing column(s): status"],
    ),
    "extra column": (
        STAFF_HEADER.replace("phone", "phone,salary") + "3009,A,agent,junior,Lotus,formal,2024-01-01,,100\n",
        [
            "staff.csv: unknown column(s): salary (known: employee_number, real_name, role, grade, "
            "squad, status, hire_date, phone, address, emergency_contact)"
        ],
    ),
    "bad values": (
        STAFF_HEADER + "3009,A,agent,expert,Lotus,formal,2024-01-01,\n3010,B,boss,junior,Lotus,formal,2024-13-01,\n",
        [
            "row 2: grade 'expert' is not one of junior, intermediate, senior",
            "row 3: role 'boss' is not one of agent, deputy_leader, squad_leader, inspector, "
            "department_director, centre_director",
            "row 3: hire_date '2024-13-01' is not a date like 2026-11-16",
        ],
    ),
    "duplicate": (
        STAFF_HEADER + "3009,A,agent,junior,Lotus,formal,2024-01-01,\n3009,B,agent,junior,Lotus,formal,2024-01-01,\n",
        ["row 3: employee number 3009 already appears in row 2"],
    ),
    "missing cell": (
        STAFF_HEADER + "3009,,agent,junior,Lotus,formal,2024-01-01,\n3010,B,agent,junior,,formal,2024-01-01,\n",
        ["row 2: real_name is required", "row 3: a squad is required for the role agent"],
    ),
    "short row": (STAFF_HEADER + "3009,A,agent\n", ["row 2: has 3 cells, the header has 8"]),
    "empty": (
        "",
        [
            "staff.csv: the file is empty (expected a header row: employee_number, real_name, role, "
            "grade, squad, status, hire_date, phone, address, emergency_contact)"
        ],
    ),
    "header only": (STAFF_HEADER, ["staff.csv: the file has a header but no rows"]),
}


@pytest.mark.parametrize("case", sorted(BAD_STAFF))
def test_a_bad_staff_file_changes_nothing(desk, director, tmp_path, case):
    text, problems = BAD_STAFF[case]
    path = tmp_path / "staff.csv"
    path.write_text(text, encoding="utf-8")
    before = counts(desk)
    with pytest.raises(ImportRefused) as refused:
        import_staff(desk, director, path)
    assert refused.value.problems == problems
    assert counts(desk) == before


def test_a_bad_staff_file_is_explained_in_the_desks_language(desk, director, tmp_path):
    from csdesk import i18n

    path = tmp_path / "staff.csv"
    path.write_text(
        STAFF_HEADER + "3009,A,agent,junior,Lotus,formal,2024-01-01,\n"
        "3010,B,agent,expert,Lotus,formal,2024-13-01,\n"
        "3011,C,deputy_leader,junior,,formal,2024-01-01,\n"
        "3009,D,agent,junior,Lotus,formal,2024-01-01,\n",
        encoding="utf-8",
    )
    i18n.install_language("zh_CN")
    try:
        with pytest.raises(ImportRefused) as chinese:
            import_staff(desk, director, path)
    finally:
        i18n.install_language(None)
    assert chinese.value.problems == [
        "第 3 行：grade 'expert' 不是 junior, intermediate, senior 之一",
        "第 3 行：hire_date '2024-13-01' 不是日期（格式如 2026-11-16）",
        "第 4 行：副班长必须填写所属班组",
        "第 5 行：工号 3009 已在第 2 行出现",
    ]
    assert str(chinese.value) == "4 个问题；未导入任何内容"
    # Back in English the same file reads as it always has.
    with pytest.raises(ImportRefused) as english:
        import_staff(desk, director, path)
    assert english.value.problems == [
        "row 3: grade 'expert' is not one of junior, intermediate, senior",
        "row 3: hire_date '2024-13-01' is not a date like 2026-11-16",
        "row 4: a squad is required for the role deputy leader",
        "row 5: employee number 3009 already appears in row 2",
    ]
    assert str(english.value) == "4 problems; nothing was imported"


def test_a_gbk_file_is_refused(desk, director, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(GOOD_STAFF.encode("gbk"))
    before = counts(desk)
    with pytest.raises(ImportRefused) as refused:
        import_staff(desk, director, path)
    assert refused.value.problems == ["staff.csv: file is not UTF-8 (save it as UTF-8)"]
    assert counts(desk) == before


def test_a_binary_file_is_refused(desk, director, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    before = counts(desk)
    with pytest.raises(ImportRefused, match="not a CSV text file"):
        import_staff(desk, director, path)
    assert counts(desk) == before


def test_a_bom_is_accepted(desk, director, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(GOOD_STAFF.encode("utf-8-sig"))
    assert import_staff(desk, director, path).created == 3


def test_roster_rows_are_checked_against_the_register(desk, centre, director, make_squad, make_staff, tmp_path):
    outsider = make_staff(squad=make_squad("Orchid"), employee_number="4001")
    left = make_staff(squad=None, employee_number="4002", status=StaffStatus.LEFT)
    path = tmp_path / "roster.csv"
    path.write_text(
        "employee_number,date,shift\n"
        "3001,2026-03-10,evening\n"
        "9999,2026-03-10,day\n"
        f"{outsider.employee_number},2026-03-10,day\n"
        f"{left.employee_number},2026-03-10,day\n"
        "3001,2026-03-11,day\n3001,2026-03-11,day\n",
        encoding="utf-8",
    )
    before = counts(desk)
    with pytest.raises(ImportRefused) as refused:
        import_roster(desk, centre, path)
    assert refused.value.problems == [
        "row 2: shift 'evening' is not one of day, night",
        "row 3: employee number 9999 is not in the register",
        "row 4: employee 4001 is not in your squad; a squad leader changes only their own squad's roster",
        "row 5: employee 4002 has left (ST-1)",
        "row 5: employee 4002 is not in your squad; a squad leader changes only their own squad's roster",
        "row 7: 3001 on 2026-03-11 day already appears in row 6",
    ]
    assert counts(desk) == before


def test_agents_may_not_change_the_roster(desk, centre, tmp_path, make_staff, actor_of):  # rule: SC-2
    path = tmp_path / "roster.csv"
    path.write_text("employee_number,date,shift\n3001,2026-03-10,day\n", encoding="utf-8")
    with pytest.raises(PermissionDenied):
        import_roster(desk, actor_of(make_staff()), path)


def test_a_10_mb_file_is_validated_whole_before_anything_is_written(desk, director, centre, tmp_path):
    path = tmp_path / "roster.csv"
    start = date(2000, 1, 1)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("employee_number,date,shift,holiday_duty\n")
        k = 0
        while handle.tell() < 10 * 1024 * 1024:
            handle.write(
                f"{('3001', '3002', '3003')[k % 3]},{start + timedelta(days=k // 6)},"
                f"{('day', 'night')[(k // 3) % 2]},no\n"
            )
            k += 1
        handle.write("3001,2026-02-30,day,no\n")
    before = counts(desk)
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        import_roster(desk, director, path)
    print(f"validated {k + 1} rows in {time.perf_counter() - started:.1f} s")
    assert refused.value.problems == [f"row {k + 2}: date '2026-02-30' is not a date like 2026-11-16"]
    assert counts(desk) == before


def test_directory_shows_contacts_to_leaders_and_the_person_only(desk, centre, director, actor_of):  # rule: ST-6
    from csdesk.services.staff import card, directory

    cards = {c.employee_number: c for c in directory(desk, centre)}
    assert cards["3001"].phone == "13800000001" and not cards["3001"].contact_hidden
    with desk.read() as session:
        wang = session.execute(select(Staff).where(Staff.employee_number == "3001")).scalars().one()
        lucia = session.execute(select(Staff).where(Staff.employee_number == "3002")).scalars().one()
    as_wang = actor_of(wang)
    other = card(desk, as_wang, cards["3003"].staff_id)
    assert other.phone == "" and other.contact_hidden and other.name == "李娜"
    assert card(desk, as_wang, wang.id).phone == "13800000001"
    page = directory(desk, as_wang, limit=2)
    assert [c.employee_number for c in page] == ["3001", "3002"]
    assert [c.employee_number for c in directory(desk, as_wang, after_number="3002")] == ["3003", "9001"]
    assert lucia.id in {c.staff_id for c in page}


def test_a_changed_persons_audit_rows_read_as_they_were_saved_before_and_after(desk, director, tmp_path):
    from csdesk.services.base import snapshot

    def person(number: str) -> Staff:
        with desk.read() as session:
            return session.execute(select(Staff).where(Staff.employee_number == number)).scalars().one()

    # Quotes, a backslash, Chinese and a character beyond the basic plane, in every kind of column.
    tricky = STAFF_HEADER.replace("phone", "phone,address") + (
        '3001,"王 ""芳"" \\ 😀",agent,junior,Lotus,formal,2024-03-01,+86 138 0000 0001,"路 1\\2, ""A"""\n'
        "3002,Lucía Pérez,inspector,senior,,intern,2025-09-01,,\n"
    )
    path = tmp_path / "staff.csv"
    path.write_text(tricky, encoding="utf-8")
    import_staff(desk, director, path)
    wang, lucia = person("3001"), person("3002")
    registered = snapshot(wang)
    path.write_text(
        tricky.replace("agent,junior,Lotus", "deputy_leader,senior,Orchid").replace(
            "3002,Lucía Pérez,inspector,senior,,intern", "3002,Lucía Pérez,inspector,senior,Lotus,formal"
        ),
        encoding="utf-8",
    )
    assert import_staff(desk, director, path).updated == 2
    with desk.read() as session:
        audits = {
            (row.entity_id, row.action): (row.actor_id, row.before, row.after)
            for row in session.execute(select(AuditLog).where(AuditLog.entity == "staff")).scalars()
        }
    assert audits[(str(wang.id), "staff.register")] == (director.staff_id, None, registered)
    for old, now in ((wang, person("3001")), (lucia, person("3002"))):
        actor_id, before, after = audits[(str(old.id), "staff.update")]
        assert actor_id == director.staff_id
        assert before == {key: snapshot(old)[key] for key in before}
        assert after == {key: snapshot(now)[key] for key in after}
        assert set(after) == set(before) >= {"id", "real_name", "role", "grade", "squad_id", "status", "hire_date"}
    assert before["squad_id"] is None and after["status"] == "formal" and registered["real_name"] == '王 "芳" \\ 😀'


def test_a_file_changed_between_its_check_and_its_write_imports_what_was_checked(desk, director, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")

    class EditedMeanwhile:
        """Someone saves the file again, with a name changed and a row that would not pass, while it is checked."""

        def stage(self, description: str, total: int | None = None) -> None:
            if description.startswith("importing"):
                edited = GOOD_STAFF.replace("王芳", "Someone Else") + "3004,No Squad,agent,junior,,formal,2024-03-01,\n"
                path.write_text(edited, encoding="utf-8")

        def advance(self, amount: int = 1) -> None:
            pass

    result = import_staff(desk, director, path, EditedMeanwhile())
    assert (result.rows, result.created) == (3, 3)
    with desk.read() as session:
        people = dict(session.execute(select(Staff.employee_number, Staff.real_name)).all())
    assert people == {"9001": people["9001"], "3001": "王芳", "3002": "Lucía Pérez", "3003": "李娜"}


def test_a_staff_import_moves_the_change_marks_once_and_keeps_every_trigger(db, desk, director, tmp_path):
    """Desks showing people learn of an import, as of any change; on SQLite the import bumps
    each mark once rather than by a trigger per row, and the triggers are back afterwards."""
    from csdesk.store import integrity_check
    from csdesk.widgets.live import moved_tables

    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")
    before = db.table_marks()
    import_staff(desk, director, path)
    after = db.table_marks()
    assert {"staff", "squads", "audit_log"} <= moved_tables(before, after)
    if db.is_sqlite:
        assert (after["staff"] - before["staff"], after["audit_log"] - before["audit_log"]) == (1, 1)
    assert integrity_check(db) == []


def test_a_staff_import_failing_halfway_leaves_the_change_triggers_in_place(db, desk, director, tmp_path, monkeypatch):
    from csdesk.services import roster
    from csdesk.store import integrity_check

    def breaks(conn, *args, **kwargs):
        conn.execute(
            Staff.__table__.insert().values(
                employee_number="3999",
                real_name="半途",
                role="agent",
                grade="junior",
                status="formal",
                hire_date=date(2026, 1, 5),
            )
        )
        raise OSError("disk unplugged")

    path = tmp_path / "staff.csv"
    path.write_text(GOOD_STAFF, encoding="utf-8")
    before = counts(desk)
    monkeypatch.setattr(roster, "_write_staff", breaks)
    with pytest.raises(OSError):
        import_staff(desk, director, path)
    assert counts(desk) == before
    assert integrity_check(db) == []
