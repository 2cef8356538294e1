"""``csdesk roster propose``: a month's plan for one squad or every squad, written as a draft (SC-2)."""

from __future__ import annotations

import argparse

from csdesk.cli import Context, _as_argument, acting_person, command
from csdesk.i18n import N_, _


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help=_("calendar month, e.g. 2026-03"))
    parser.add_argument("--squad", metavar="NAME", help=_("one squad only (default: every squad you plan)"))
    _as_argument(parser)


@command(
    "roster propose",
    N_("propose a month's roster that keeps every hard rule, as a draft to review and publish"),
    _arguments,
)
def roster_propose_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.demand import compute_demand
    from csdesk.services.months import parse_month
    from csdesk.services.proposals import propose_month
    from csdesk.services.roster import squad_id_by_name
    from csdesk.services.rostering import plannable_squads

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number)
    month = parse_month(args.month)
    named = [(squad_id_by_name(desk, args.squad), args.squad)] if args.squad else None
    squads = named or list(plannable_squads(desk, actor))
    centre = compute_demand(desk)
    for squad_id, name in squads:
        result = propose_month(desk, actor, squad_id, month, centre=centre)
        ctx.say(
            _("{squad}: {days} day(s) drafted; {filled} of {needed} needed seats filled ({share:.0%})").format(
                squad=name, days=result.changed, filled=result.filled, needed=result.needed, share=result.coverage
            )
        )
    ctx.say(_("review the draft in the roster (key o) and publish it there"))
    return 0
