"""Propose a squad's month: a draft that keeps every hard rule and covers the demand (SC-2, AT-4).

The proposal is written as a draft over the published roster, like edits by
hand: the leader reviews it in the roster, changes what they like and
publishes it. Days gone by and days set by a registered swap stay as they are.
The plan comes from the constraint solver when it is installed, from the greedy
pass otherwise; the result says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from csdesk.models import RosterDraft
from csdesk.rules.proposal import Candidate, coverage
from csdesk.rules.roster_solver import SOLVE_SECONDS, plan_month
from csdesk.rules.vocab import ShiftKind
from csdesk.services.base import Actor, Desk, audit
from csdesk.services.demand import CentreDemand, squad_demand
from csdesk.services.rostering import MARGIN, load_facts, may_plan, month_span, person_plan, squad_people

# Wall-clock seconds the solver may spend on a whole centre's month, and at least on any squad.
CENTRE_SECONDS = 15.0
MIN_SQUAD_SECONDS = 0.3


def squad_seconds(squads: int) -> float:
    """The solver's time for each of ``squads`` planned in a row.

    The squads share one budget, so fifty are planned within half a minute; each
    starts from its greedy plan, which a search cut short leaves as it is (and says
    so). One squad proposed alone gets the solver's whole time.
    """
    return max(MIN_SQUAD_SECONDS, min(SOLVE_SECONDS, CENTRE_SECONDS / max(1, squads)))


@dataclass(frozen=True)
class ProposalResult:
    squad_id: int
    first: date
    last: date
    changed: int  # days of the draft written
    needed: int  # seats needed over the month
    filled: int  # of those, filled by the plan
    coverage: float
    solver: str  # which planner made the plan (rules.proposal.GREEDY, GREEDY_TIMEOUT, CP_SAT)


def propose_month(
    desk: Desk,
    actor: Actor,
    squad_id: int,
    month: date,
    now: datetime | None = None,
    centre: CentreDemand | None = None,
    seconds: float = SOLVE_SECONDS,
) -> ProposalResult:
    """Writes a proposed month for the squad as a draft; returns how well it covers the demand.

    ``centre``: the centre's demand when several squads are planned in a row;
    ``seconds``: the most wall-clock time the solver may take for the squad.
    """
    may_plan(actor, squad_id)
    first, last = month_span(month)
    demand = squad_demand(desk, actor, squad_id, now, centre)
    today = (now or desk.now()).astimezone(desk.policy.zone).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    needed = {(d, k): demand.needed(d, k) for d in days for k in ShiftKind}
    with desk.write() as session:
        people = squad_people(session, squad_id)
        facts = load_facts(session, [p.staff_id for p in people], first - MARGIN, last, desk.policy)
        candidates = []
        current: dict[int, dict[date, tuple[ShiftKind | None, bool]]] = {}
        for person in people:
            plan, cells = person_plan(person, facts, first - MARGIN, last)
            current[person.staff_id] = {d: (c.shift, c.holiday_duty) for d, c in cells.items()}
            fixed = {d: cells[d].shift for d in days if d < today or cells[d].swapped}
            before = {d: k for d, k in plan.shifts.items() if d < first}
            candidates.append(Candidate(person.staff_id, person.intern, plan.leave, fixed, before))
        proposal = plan_month(candidates, needed, first, last, desk.policy, seconds=seconds)
        drafts = {
            (row.staff_id, row.work_date): row
            for row in session.execute(
                select(RosterDraft).where(
                    RosterDraft.staff_id.in_([p.staff_id for p in people]), RosterDraft.work_date.between(first, last)
                )
            ).scalars()
        }
        stamp = desk.now()
        changed = 0
        for candidate in candidates:
            staff_id = candidate.staff_id
            for day in days:
                if day in candidate.fixed:
                    continue
                wanted = (proposal.shifts[staff_id].get(day), day in proposal.holiday_duty[staff_id])
                if current[staff_id][day] == wanted:
                    continue
                row = drafts.get((staff_id, day))
                if row is None:
                    row = RosterDraft(staff_id=staff_id, work_date=day, changed_by_id=actor.staff_id)
                row.shift, row.holiday_duty = wanted
                row.changed_by_id, row.changed_at = actor.staff_id, stamp
                session.add(row)
                changed += 1
        session.flush()
        wanted_seats = sum(needed.values())
        filled = sum(min(n, proposal.planned(d, k)) for (d, k), n in needed.items())
        share = coverage(proposal, needed)
        audit(
            session,
            actor,
            "roster.propose",
            "squad",
            squad_id,
            after={
                "month": first,
                "days": changed,
                "needed": wanted_seats,
                "filled": filled,
                "solver": proposal.solver,
            },
        )
    return ProposalResult(squad_id, first, last, changed, wanted_seats, filled, share, proposal.solver)
