"""``csdesk db copy``: move a centre's data to another database (SQLite to PostgreSQL)."""

from __future__ import annotations

import argparse

from csdesk.cli import Context, UsageError, command
from csdesk.i18n import N_, _


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="source",
        metavar="DB",
        help=_("the database to copy from, a file path or URL (default: --db, $CSDESK_DB or the user data folder)"),
    )
    parser.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="DB",
        help=_("a new, empty database to copy into, e.g. postgresql+psycopg://…"),
    )


@command("db copy", N_("copy every row to a new, empty database in one transaction, counting both sides"), _arguments)
def db_copy(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.store import copy_database, open_database

    if args.source and args.db:
        raise UsageError(_("give the database to copy from once: --from or --db"))
    source_db = args.source or ctx.settings.db_url
    with (
        open_database(source_db, require_current=False) as source,
        open_database(args.target, create=True) as target,
        ctx.progress() as progress,
    ):
        report = copy_database(source, target, progress)
        for table, rows in report.counts.items():
            if rows:
                ctx.say(_("{table}: {n} rows").format(table=table, n=rows))
        ctx.say(
            _("copied {n} rows from {source} to {target}; counts match on both sides").format(
                n=report.total, source=source.path or source.url, target=target.path or target.url
            )
        )
    return 0
