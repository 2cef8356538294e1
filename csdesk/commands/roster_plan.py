"""``csdesk roster propose``: a month's plan as a draft (SC-2); ``csdesk export roster``: the published month as CSV."""

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
    from csdesk.services.proposals import propose_month, squad_seconds
    from csdesk.services.roster import squad_id_by_name
    from csdesk.services.rostering import plannable_squads
    from csdesk.vocabulary import PLANNERS, label

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number)
    month = parse_month(args.month)
    named = [(squad_id_by_name(desk, args.squad), args.squad)] if args.squad else None
    squads = named or list(plannable_squads(desk, actor))
    centre = compute_demand(desk)
    seconds = squad_seconds(len(squads))
    for squad_id, name in squads:
        result = propose_month(desk, actor, squad_id, month, centre=centre, seconds=seconds)
        ctx.say(
            _(
                "{squad}: {days} day(s) drafted; {filled} of {needed} needed seats filled ({share:.0%}) by the {planner}"
            ).format(
                squad=name,
                days=result.changed,
                filled=result.filled,
                needed=result.needed,
                share=result.coverage,
                planner=label(PLANNERS, result.solver),
            )
        )
    ctx.say(_("review the draft in the roster (key s on home) and publish it there"))
    return 0


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help=_("calendar month, e.g. 2026-03"))
    parser.add_argument("--squad", metavar="NAME", help=_("one squad only (squad leaders: their own)"))
    parser.add_argument("--out", metavar="FILE", help=_("CSV file to write (default: roster-<month>.csv here)"))
    _as_argument(parser)


@command(
    "export roster",
    N_("write the published month as CSV, in the columns import roster reads"),
    _export_arguments,
)
def export_roster_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.exports import export_roster
    from csdesk.services.roster import squad_id_by_name

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number)
    squad_id = squad_id_by_name(desk, args.squad) if args.squad else None
    path, rows = export_roster(desk, actor, args.month, squad_id, args.out)
    ctx.say(_("wrote {n} shifts to {file}").format(n=rows, file=path))
    return 0
