"""``csdesk export quality``: the month's score sheets (QA-2) or the week's summary (QA-3) as CSV."""

from __future__ import annotations

import argparse

from csdesk.cli import MONTH, WEEK, Context, _as_argument, _format_argument, acting_person, command
from csdesk.i18n import N_, _


def _arguments(parser: argparse.ArgumentParser) -> None:
    period = parser.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", metavar=MONTH, help=_("every agent's score sheet for the month (QA-2)"))
    period.add_argument("--week", metavar=WEEK, help=_("the week's summary and training plan (QA-3)"))
    parser.add_argument("--out", metavar="FILE", help=_("CSV to write (default: quality-<month or week>.csv here)"))
    _format_argument(parser)
    _as_argument(parser)


@command(
    "export quality", N_("write the monthly quality score sheet or the weekly summary as CSV (QA-2, QA-3)"), _arguments
)
def export_quality(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.exports import export_quality_month as export_month
    from csdesk.services.exports import export_quality_week as export_week

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number)
    if args.month:
        sheet = export_month(desk, actor, args.month, args.out, args.fmt)
        ctx.say(_("wrote the score sheets of {n} agents to {file}").format(n=sheet.rows, file=sheet.path))
    else:
        sheet = export_week(desk, actor, args.week, args.out, args.fmt)
        ctx.say(_("wrote the weekly summary ({n} rows) to {file}").format(n=sheet.rows, file=sheet.path))
    return 0
