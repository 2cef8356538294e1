"""``csdesk export evaluation``: the month's ranking as CSV (AT-6), reviews beside it (DS-2)."""

from __future__ import annotations

import argparse

from csdesk.cli import MONTH, Context, _as_argument, _format_argument, acting_person, command
from csdesk.i18n import N_, _


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--month", required=True, metavar=MONTH, help=_("calendar month, e.g. 2026-03, or last or this")
    )
    parser.add_argument("--squad", metavar="NAME", help=_("one squad only (squad leaders: their own)"))
    parser.add_argument(
        "--out",
        metavar="FILE",
        help=_(
            "ranking CSV to write (default: evaluation-<month>.csv here); a director's "
            "export adds the dismissal reviews as <FILE stem>-reviews.csv"
        ),
    )
    _format_argument(parser)
    _as_argument(parser)


@command("export evaluation", N_("write the month's evaluation ranking as CSV (AT-6, DS-2)"), _arguments)
def export_evaluation_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.exports import export_evaluation
    from csdesk.services.roster import squad_id_by_name

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number)
    squad_id = squad_id_by_name(desk, args.squad) if args.squad else None
    files = export_evaluation(desk, actor, args.month, squad_id, args.out, args.fmt)
    ctx.say(_("wrote the ranking of {n} people to {file}").format(n=files.people, file=files.ranking))
    if files.reviews is not None:
        ctx.say(_("wrote {n} dismissal reviews to {file}").format(n=files.review_count, file=files.reviews))
    return 0
