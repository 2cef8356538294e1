"""SW-5: a shift an unclear swap left empty is absenteeism for both parties, by their share of
responsibility, charged by a leader of either side or a director and shown in the week's export."""

from __future__ import annotations

import csv
import io
from datetime import date, time

import pytest
from sqlmodel import func, select

from csdesk.models import (
    Attendance,
    AuditLog,
    Notification,
    NotificationKind,
    RequestStatus,
    RosterEntry,
    ShiftDefinition,
    SwapCharge,
)
from csdesk.rules.vocab import AttendanceStatus, Role, ShiftKind
from csdesk.services.base import InvalidInput, PermissionDenied
from csdesk.services.exports import export_attendance
from csdesk.services.notifications import my_notifications
from csdesk.services.swaps import charge_empty_shift, decide_swap, decided_swaps_for, file_swap, my_swaps

# The conftest clock stands at 16:00 on Monday 9 March 2026 in the centre.
WED, THU, NEXT_MON = date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 16)


@pytest.fixture
def team(desk, make_squad, make_staff, actor_of):
    a, b, c = make_squad("A"), make_squad("B"), make_squad("C")

    class Team:
        leader_a = make_staff(role=Role.SQUAD_LEADER, squad=a, employee_number="1100")
        leader_b = make_staff(role=Role.SQUAD_LEADER, squad=b, employee_number="1200")
        leader_c = make_staff(role=Role.SQUAD_LEADER, squad=c, employee_number="1300")
        director = make_staff(role=Role.CENTRE_DIRECTOR, employee_number="1000")
        a1 = make_staff(squad=a, employee_number="1113", real_name="李娜")
        b1 = make_staff(squad=b, employee_number="1120", real_name="王芳")

    for name in [n for n in vars(Team) if not n.startswith("_")]:
        setattr(Team, f"{name}_actor", actor_of(getattr(Team, name)))
    with desk.write() as session:
        day = ShiftDefinition(code="D", kind=ShiftKind.DAY, start_time=time(8, 30), end_time=time(17, 30))
        session.add(day)
        session.flush()
        rows = [
            RosterEntry(staff_id=Team.a1.id, work_date=WED, shift_id=day.id),
            RosterEntry(staff_id=Team.b1.id, work_date=THU, shift_id=day.id),
            RosterEntry(staff_id=Team.a1.id, work_date=NEXT_MON, shift_id=day.id),
        ]
        session.add_all(rows)
        session.flush()
        Team.give, Team.take, Team.later = (r.id for r in rows)
    return Team


@pytest.fixture
def swapped(desk, team):
    """a1 gives Wednesday for b1's Thursday; both leaders approve: b1 now works Wednesday."""
    view = file_swap(desk, team.a1_actor, team.give, team.take, "family")
    decide_swap(desk, team.leader_a_actor, view.id, True)
    assert decide_swap(desk, team.leader_b_actor, view.id, True).status is RequestStatus.APPROVED
    return view.id


def mark(desk, roster_id, status):
    with desk.write() as session:
        entry = session.get(RosterEntry, roster_id)
        session.add(Attendance(staff_id=entry.staff_id, roster_id=roster_id, status=status))


@pytest.fixture
def empty_wednesday(desk, clock, team, swapped):
    """Thursday morning: nobody came on Wednesday (b1's shift after the swap)."""
    clock.advance(days=3)
    mark(desk, team.give, AttendanceStatus.ABSENTEEISM)
    return swapped


def stored(desk):
    with desk.read() as session:
        return sorted(
            (c.roster_id, c.staff_id, c.share_percent, c.reason) for c in session.exec(select(SwapCharge)).all()
        )


def counts(desk):
    with desk.read() as session:
        return tuple(session.exec(select(func.count()).select_from(m)).one() for m in (SwapCharge, AuditLog))


def test_sw_5_both_parties_are_charged_by_share_audited_and_told(desk, team, empty_wednesday):
    view = charge_empty_shift(desk, team.leader_a_actor, empty_wednesday, team.give, 30, "  who works Wednesday?  ")
    assert stored(desk) == [
        (team.give, team.a1.id, 30, "who works Wednesday?"),
        (team.give, team.b1.id, 70, "who works Wednesday?"),
    ]
    assert [(c.label, c.share_percent, c.day) for c in view.charges] == [
        ("No. 1113 李娜", 30, WED),
        ("No. 1120 王芳", 70, WED),
    ]
    with desk.read() as session:
        entry = session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (entry.action, entry.entity_id, entry.actor_id) == (
        "swap.empty_shift_charge",
        str(view.id),
        team.leader_a.id,
    )
    assert entry.after["shares"] == {str(team.a1.id): 30, str(team.b1.id): 70}
    for party in (team.a1_actor, team.b1_actor):
        (told,) = my_notifications(desk, party)
        assert told.kind is NotificationKind.SWAP_CHARGED and "No. 1100" in told.text and "SW-5" in told.text
    # The parties see the charges on their own swap too.
    assert my_swaps(desk, team.a1_actor)[0].charges == view.charges


@pytest.mark.parametrize(("share", "charged"), [(0, ["b1"]), (100, ["a1"])])
def test_sw_5_a_party_with_no_share_gets_no_charge(desk, team, empty_wednesday, share, charged):
    charge_empty_shift(desk, team.director_actor, empty_wednesday, team.give, share, "unclear")
    assert [(staff, percent) for _r, staff, percent, _why in stored(desk)] == [
        (getattr(team, who).id, 100) for who in charged
    ]
    with desk.read() as session:
        told = session.exec(select(Notification.recipient_id)).all()
    assert told == [getattr(team, who).id for who in charged]


def test_sw_5_a_director_charges_any_swap_and_sees_every_approved_one(desk, team, empty_wednesday):
    assert [v.id for v in decided_swaps_for(desk, team.director_actor)] == [empty_wednesday]
    charge_empty_shift(desk, team.director_actor, empty_wednesday, team.give, "50", "unclear")
    assert [percent for _r, _s, percent, _why in stored(desk)] == [50, 50]


@pytest.mark.parametrize("who", ["leader_c", "a1", "b1"])
def test_sw_5_only_a_leader_of_either_side_who_is_no_party_charges(desk, team, empty_wednesday, who):
    before = counts(desk)
    with pytest.raises(PermissionDenied):
        charge_empty_shift(desk, getattr(team, f"{who}_actor"), empty_wednesday, team.give, 50, "unclear")
    assert counts(desk) == before


def test_sw_5_a_party_who_leads_a_squad_does_not_charge_their_own_swap(
    desk, clock, team, make_squad, make_staff, actor_of
):
    d = make_squad("D")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=d)
    other = make_staff(role=Role.SQUAD_LEADER, squad=make_squad("E"))
    with desk.write() as session:
        mine = RosterEntry(staff_id=leader.id, work_date=WED, shift_id=_day(session))
        theirs = RosterEntry(staff_id=other.id, work_date=THU, shift_id=_day(session))
        session.add_all([mine, theirs])
        session.flush()
        ids = mine.id, theirs.id
    view = file_swap(desk, actor_of(leader), *ids)
    decide_swap(desk, team.director_actor, view.id, True)
    clock.advance(days=3)
    mark(desk, ids[0], AttendanceStatus.ABSENT)
    with pytest.raises(PermissionDenied, match="part of"):
        charge_empty_shift(desk, actor_of(leader), view.id, ids[0], 50, "unclear")
    assert decided_swaps_for(desk, actor_of(leader)) == ()


def _day(session):
    return session.exec(select(ShiftDefinition.id)).first()


def test_sw_5_leaders_list_the_approved_swaps_of_their_squad_only(desk, team, swapped):
    assert [v.id for v in decided_swaps_for(desk, team.leader_a_actor)] == [swapped]
    assert [v.id for v in decided_swaps_for(desk, team.leader_b_actor)] == [swapped]
    assert decided_swaps_for(desk, team.leader_c_actor) == ()
    with pytest.raises(PermissionDenied):
        decided_swaps_for(desk, team.a1_actor)


def refused(desk, actor, *args):
    before = counts(desk)
    with pytest.raises(InvalidInput) as caught:
        charge_empty_shift(desk, actor, *args)
    assert counts(desk) == before
    return caught.value


@pytest.mark.parametrize(
    ("share", "reason", "field"),
    [
        (101, "x", "requester_share_percent"),
        (-1, "x", "requester_share_percent"),
        ("half", "x", "requester_share_percent"),
        (50, "  ", "reason"),
    ],
)
def test_sw_5_a_bad_share_or_no_reason_names_its_field(desk, team, empty_wednesday, share, reason, field):
    error = refused(desk, team.leader_a_actor, empty_wednesday, team.give, share, reason)
    assert error.field == field


def test_sw_5_only_an_approved_swap_is_charged(desk, clock, team):
    view = file_swap(desk, team.a1_actor, team.give, team.take)
    clock.advance(days=3)
    mark(desk, team.give, AttendanceStatus.ABSENTEEISM)
    assert refused(desk, team.leader_a_actor, view.id, team.give, 50, "unclear").field == "swap_id"


def test_sw_5_only_one_of_the_swaps_shifts_is_charged(desk, team, empty_wednesday):
    assert refused(desk, team.leader_a_actor, empty_wednesday, team.later, 50, "unclear").field == "roster_id"


def test_sw_5_a_shift_not_started_yet_is_not_empty_yet(desk, clock, team, swapped):
    mark(desk, team.give, AttendanceStatus.ABSENT)
    assert refused(desk, team.leader_a_actor, swapped, team.give, 50, "unclear").field == "roster_id"


@pytest.mark.parametrize("status", [None, AttendanceStatus.PRESENT, AttendanceStatus.LATE])
def test_sw_5_at_7_a_shift_somebody_worked_was_not_left_empty(desk, clock, team, swapped, status):
    clock.advance(days=3)
    if status is not None:
        mark(desk, team.take, status)
    error = refused(desk, team.leader_b_actor, swapped, team.take, 50, "unclear")
    assert error.field == "roster_id" and error.rule_ids == ("SW-5", "AT-7")


def test_sw_5_a_shift_is_charged_once(desk, team, empty_wednesday):
    charge_empty_shift(desk, team.leader_a_actor, empty_wednesday, team.give, 50, "unclear")
    assert refused(desk, team.leader_b_actor, empty_wednesday, team.give, 40, "again").field == "roster_id"


def test_sw_5_the_export_flags_the_empty_shift_and_notes_each_share(desk, team, empty_wednesday, tmp_path):
    charge_empty_shift(desk, team.leader_b_actor, empty_wednesday, team.give, 40, "unclear")
    out = tmp_path / "week.csv"
    files = export_attendance(desk, team.director_actor, "2026-W11", out=out)
    shifts = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    flagged = {(r["name"], r["date"]): r["violations"] for r in shifts}
    assert "SW-5" in flagged[("王芳", "2026-03-11")].split()
    assert "SW-5" not in flagged[("李娜", "2026-03-12")].split()
    hours = {r["name"]: r for r in csv.DictReader(io.StringIO(files.hours.read_text(encoding="utf-8-sig")))}
    assert "SW-5" in hours["李娜"]["rule_ids"].split() and "SW-5" in hours["王芳"]["rule_ids"].split()
    assert "SW-5: 40% of absenteeism on 2026-03-11" in hours["李娜"]["note"]
    assert "SW-5: 60% of absenteeism on 2026-03-11" in hours["王芳"]["note"]
