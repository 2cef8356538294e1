"""``csdesk export contacts``: the emergency contact sheet as CSV (ST-5, leaders only)."""

from __future__ import annotations

import argparse

from csdesk.cli import Context, _as_argument, _format_argument, acting_person, command


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="FILE", help="CSV to write (default: contacts-confidential-<date>.csv here)")
    _format_argument(parser)
    _as_argument(parser)


@command(
    "export contacts", "write the confidential emergency contact sheet as CSV (leaders only; ST-5, ST-6)", _arguments
)
def export_contacts_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.exports import export_contacts

    files = export_contacts(ctx.desk(), acting_person(ctx, args.as_number), args.out, args.fmt)
    ctx.say(f"wrote the contact sheet of {files.people} people to {files.path}")
    ctx.say("confidential: for leaders only; readable by you alone (ST-5, ST-6)")
    return 0
