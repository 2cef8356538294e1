"""A desk killed in the middle of saving leaves a sound database: all of it or none (AT-1)."""

from __future__ import annotations

import os
import signal
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from csdesk.models import RosterEntry
from csdesk.rules.vocab import Role
from csdesk.services import rollcall
from csdesk.services.roster import ensure_shift_definitions

from . import workers
from .conftest import integrity, table_counts

WED = date(2026, 3, 11)
AGENTS = 30
KILLED_AFTER = 15


def test_at_1_roll_call_killed_after_15_of_30_rows_leaves_none_and_can_be_closed_again(
    desk, db_path, clock, make_squad, make_staff, actor_of, desks
):
    squad = make_squad("Lotus")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    agents = [make_staff(squad=squad) for _ in range(AGENTS)]
    with desk.write() as session:
        day = ensure_shift_definitions(session, desk.policy)["day"]
        session.add_all(RosterEntry(staff_id=a.id, work_date=WED, shift_id=day) for a in agents)
    clock.set(datetime(2026, 3, 11, 8, 20, tzinfo=ZoneInfo("Asia/Shanghai")))
    actor = actor_of(leader)
    call = rollcall.open_roll_call(desk, actor, squad.id, WED, "day")
    rollcall.mark_rest_present(desk, actor, call.session_id)
    before = table_counts(db_path)
    assert before["attendance"] == 0

    out = desks.start(
        workers.close_roll_call_and_hang, str(db_path), leader.id, call.session_id, clock().isoformat(), KILLED_AFTER
    )
    desks.ready()
    desks.go.touch()
    paused = out.with_name(out.name + ".paused")
    deadline = time.monotonic() + 30
    while not paused.exists():
        assert time.monotonic() < deadline, "the closing desk never reached row 15"
        time.sleep(0.01)
    process = desks.processes[0][0]
    os.kill(process.pid, signal.SIGKILL)
    process.join(10)
    assert process.exitcode == -signal.SIGKILL

    assert integrity(db_path) == "ok"
    after = table_counts(db_path)
    assert after == before  # none of the 15 rows, no audit rows, the call still open
    assert not rollcall.roll_call(desk, actor, call.session_id).closed

    # The leader closes it again from another desk: all 30 at once.
    closed = rollcall.close_roll_call(desk, actor, call.session_id)
    assert closed.attendance_rows == AGENTS
    assert table_counts(db_path)["attendance"] == AGENTS
    assert integrity(db_path) == "ok"
