"""One squad's day shift played through the desk's screens, keys only, then the database and the
exported week checked against figures worked out by hand: the product's end-to-end contract.

Lotus is a squad of its own (not the demo centre): its leader 李娜 and ten agents on the day shift
of Monday 9 March 2026 (08:30-17:30, Shanghai); 陈静 leads the night shift that takes over.

- Roll call at 08:25: 李娜 and seven agents present; 2008 late at 08:45 (15 minutes, AT-2),
  2009 late at 08:55 (25 minutes: absenteeism, AT-2), 2010 absent (absenteeism, AT-7).
  The marks are their clock-ins.
- 2001 takes a break 12:00-12:45; 2002 is away from the post 15:00-15:25 without
  permission (over 20 minutes, AT-3).
- 陈静 clocks in at 17:20; 李娜 writes the handover at 17:25 naming 陈静; her clock-out at 17:30 is refused (AT-9);
  陈静 acknowledges at 17:35 and 李娜 clocks out at 17:40 (10 minutes' overtime, SC-3).
- 2007 leaves at 16:30 (an hour early, AT-9); 2009 stays until 18:10 (40 minutes' overtime);
  everyone else clocks out at 17:30.
- Two customer emails wait in the shared queue from 08:00, a complaint and an inquiry. 2003 claims
  the one heading the queue, the complaint (due sooner), at 09:30 and 2004 the inquiry at 10:00
  (q, the Email tab, c: TK-9); at 11:00 2004 escalates hers one level up, to the squad leader
  (Enter on it from home, e: TK-11). Neither is answered, so the
  handover lists both as open emails with a warning (HO-7).
"""

from __future__ import annotations

import asyncio
import csv
from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from ui.conftest import _settle as settle

from csdesk.app import make_app
from csdesk.models import Attendance, HandoverItem, HandoverLog, RosterEntry, Ticket, TicketEvent
from csdesk.rules.vocab import AttendanceStatus, Category, Channel, Role, TicketStatus
from csdesk.services.base import Desk, FixedClock
from csdesk.services.handover import OPEN_EMAIL
from csdesk.services.roster import ensure_shift_definitions
from csdesk.services.tickets import take_in

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 9)
AGENTS = [f"20{n:02d}" for n in range(1, 11)]
NAMES = ["王芳", "张伟", "刘洋", "陈敏", "杨静", "黄磊", "赵艳", "吴勇", "周军", "徐娜"]

# By hand: (clock in, clock out, minutes worked, status, minutes late, violations, minutes early, overtime).
EXPECTED = {
    "1101": ("08:25", "17:40", 555, "present", 0, "", 0, 10),  # 08:25-17:40
    "2001": ("08:25", "17:30", 500, "present", 0, "", 0, 0),  # 545 less a 45-minute break
    "2002": ("08:25", "17:30", 520, "present", 0, "AT-3", 0, 0),  # 545 less 25 minutes away
    "2003": ("08:25", "17:30", 545, "present", 0, "", 0, 0),
    "2004": ("08:25", "17:30", 545, "present", 0, "", 0, 0),
    "2005": ("08:25", "17:30", 545, "present", 0, "", 0, 0),
    "2006": ("08:25", "17:30", 545, "present", 0, "", 0, 0),
    "2007": ("08:25", "16:30", 485, "present", 0, "AT-9", 60, 0),
    "2008": ("08:45", "17:30", 525, "late", 15, "", 0, 0),
    "2009": ("08:55", "18:10", 555, "absenteeism", 25, "AT-2", 0, 40),
    "2010": ("", "", 0, "absenteeism", 0, "AT-7", 0, 0),
}


def local(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(MONDAY, time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def lotus(db, policy, make_squad, make_staff, actor_of):
    clock = FixedClock(local(8, 25))
    desk = Desk(db=db, policy=policy, clock=clock)
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101", real_name="李娜")
    night_leader = make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1102", real_name="陈静")
    agents = [
        make_staff(squad=squad, employee_number=number, real_name=name)
        for number, name in zip(AGENTS, NAMES, strict=True)
    ]
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        for person in (leader, *agents):
            session.add(RosterEntry(staff_id=person.id, work_date=MONDAY, shift_id=shifts["day"]))
        session.add(RosterEntry(staff_id=night_leader.id, work_date=MONDAY, shift_id=shifts["night"]))
    people = {p.employee_number: actor_of(p) for p in (leader, night_leader, *agents)}
    # The night's mail, waiting unclaimed in the shared email queue when the day starts.
    emails = [
        take_in(
            desk,
            people["1101"],
            Channel.EMAIL,
            category,
            name,
            contact,
            subject,
            "",
            received_at=local(8, 0),
        ).id
        for category, name, contact, subject in (
            # The complaint first: its answer is due sooner, so it heads the queue.
            (Category.COMPLAINT, "钱女士", "qian@example.com", "退款三天未到账"),
            (Category.INQUIRY, "赵先生", "zhao@example.com", "积分怎么兑换？"),
        )
    ]
    return SimpleNamespace(db=db, desk=desk, clock=clock, people=people, emails=emails)


class Desks:
    """Each person at their own desk: sign in, keys, and the clock moved between them."""

    def __init__(self, lotus) -> None:
        self.lotus = lotus

    def at(self, hour: int, minute: int) -> None:
        self.lotus.clock.set(local(hour, minute))

    def session(self, number: str, *steps) -> None:
        """``steps``: keys (strings) to press, or ``(hour, minute)`` to move the clock to."""
        lotus = self.lotus
        app = make_app(SimpleNamespace(lang=None), lotus.db, desk_factory=lambda: lotus.desk)

        async def run() -> None:
            async with app.run_test(size=(80, 24)) as pilot:
                app.signed_in(lotus.people[number])
                await settle(app)
                await pilot.pause()
                for step in steps:
                    if isinstance(step, tuple):
                        self.at(*step)
                        continue
                    await pilot.press(step)
                    await settle(app)
                    await pilot.pause()
                self.screen = app.screen
                self.said = " ".join(str(w.render()) for w in app.screen.query("Static"))

        asyncio.run(run())


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


def test_a_whole_day_shift_through_the_desk(lotus, tmp_path, monkeypatch):
    # rule: AT-1, AT-2, AT-3, AT-4, AT-5, AT-7, AT-9, SC-3, SC-4, HO-1, HO-3, HO-4, HO-7, TK-9, TK-11
    desks = Desks(lotus)
    # Roll call: r from home; p for 李娜 and the seven on time, l for the two late, a for the absent.
    desks.session(
        "1101",
        "r",
        *["p"] * 8,
        (8, 45),
        "l",
        "enter",
        (8, 55),
        "l",
        "enter",
        "a",
        "c",
        "enter",
        "escape",
    )
    # The time clock, o from home: a break, time away, and clocking out.
    desks.session("2001", (12, 0), "o", "b", (12, 45), "b", (17, 30), "o")
    desks.session("2002", (15, 0), "o", "a", (15, 25), "a", (17, 30), "o")
    # The email queue: q from home, 2 for its tab, c claims the one under the cursor (the oldest).
    desks.session("2003", (9, 30), "q", "2", "c")
    desks.session("2004", (10, 0), "q", "2", "c")
    # Enter on her one ticket from home, e, what the problem is; the customer's contact is filled in.
    desks.session("2004", (11, 0), "enter", "e", *typed("Refund system down"), "ctrl+s")
    desks.session("2007", (16, 30), "o", "o")
    for number in ("2003", "2004", "2005", "2006", "2008"):
        desks.session(number, (17, 30), "o", "o")
    # The night leader clocks in for the shift that takes over.
    desks.session("1102", (17, 20), "o", "i")
    # The handover: the successor chosen from the list, every part filled in, ctrl+s.
    desks.at(17, 25)
    desks.session(
        "1101",
        "h",
        "enter",
        "down",
        "enter",
        "tab",
        *typed("all headsets fine"),
        "tab",
        *typed("none"),
        "tab",
        "tab",
        *typed("none"),
        "tab",
        *typed("quiet day"),
        "ctrl+s",
        (17, 30),
        "escape",
        "o",
        "o",
    )
    assert "You may not clock out yet" in desks.said and "AT-9" in desks.said
    desks.session("1102", (17, 35), "h", "a", "a")
    desks.session("1101", (17, 40), "o", "o")
    desks.session("2009", (18, 10), "o", "o")

    with lotus.desk.read() as session:
        log = session.exec(select(HandoverLog)).one()
        assert log.incoming_id == lotus.people["1102"].staff_id and log.acknowledged_at == local(17, 35)
        rows = session.exec(select(Attendance)).all()
        tickets = {t.id: t for t in session.exec(select(Ticket)).all()}
        events = session.exec(select(TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.actor_id)).all()
        open_emails = session.exec(
            select(HandoverItem.ticket_id).where(HandoverItem.log_id == log.id, HandoverItem.kind == OPEN_EMAIL)
        ).all()
    # By hand: the complaint is 2003's and merely claimed; the inquiry is 2004's, escalated once.
    first, second = lotus.emails
    staff = {number: actor.staff_id for number, actor in lotus.people.items()}
    assert (tickets[first].status, tickets[first].owner_id, tickets[first].escalation_level) == (
        TicketStatus.CLAIMED,
        staff["2003"],
        0,
    )
    assert (tickets[second].status, tickets[second].escalation_level) == (TicketStatus.ESCALATED, 1)
    assert sorted((t, k, a) for t, k, a in events if k in ("claim", "escalate")) == [
        (first, "claim", staff["2003"]),
        (second, "claim", staff["2004"]),
        (second, "escalate", staff["2004"]),
    ]
    # Neither was answered: both go to the night shift as open emails, with a warning (HO-7).
    assert sorted(open_emails) == [first, second]
    statuses = {r.staff_id: (AttendanceStatus(r.status), r.minutes_late) for r in rows}
    for number, (_in, _out, _worked, status, late, *_rest) in EXPECTED.items():
        assert statuses[lotus.people[number].staff_id] == (AttendanceStatus(status), late), number

    # The week, exported from the attendance screen (t from home, e).
    monkeypatch.chdir(tmp_path)
    desks.at(18, 15)
    desks.session("1101", "t", "e")
    with (tmp_path / "attendance-2026-W11.csv").open(encoding="utf-8-sig") as f:
        shifts = {row["employee_number"]: row for row in csv.DictReader(f)}
    with (tmp_path / "attendance-2026-W11-hours.csv").open(encoding="utf-8-sig") as f:
        hours = {row["employee_number"]: row for row in csv.DictReader(f)}
    assert set(shifts) == set(EXPECTED) | {"1102"}
    # The night shift is still running: clocked in ten minutes early, nothing worked yet.
    night = shifts["1102"]
    assert (night["shift"], night["clock_in"][-5:], night["status"], night["minutes_worked"]) == (
        "night",
        "17:20",
        "present",
        "0",
    )
    for number, (clock_in, clock_out, worked, status, late, violations, early, overtime) in EXPECTED.items():
        row = shifts[number]
        got = (
            row["clock_in"][-5:],
            row["clock_out"][-5:],
            int(row["minutes_worked"]),
            row["status"],
            int(row["minutes_late"]),
            row["violations"],
            int(row["minutes_early"]),
            int(row["minutes_overtime"]),
        )
        assert got == (clock_in, clock_out, worked, status, late, violations, early, overtime), number
        # One shift in the week: the week's minutes are the shift's, short of 30 hours (AT-4).
        assert (int(hours[number]["minutes_worked"]), hours[number]["meets_minimum"]) == (worked, "no"), number
    assert shifts["2001"]["minutes_break"] == "45" and shifts["2002"]["minutes_away"] == "25"
    assert sum(int(h["minutes_worked"]) for h in hours.values()) == 5320
