"""``csdesk mailgate``: the mail system hands over one message; ``csdesk mail send``:
replies leave through the relay.

The mailgate answers in the mail system's own words (sysexits.h), so no message
is ever lost: 0 once the message is a ticket (or recognised as taken in before,
or as machine-written mail to leave unanswered); 75 when the desk can't take it
now (database busy or unreachable, a broken policy file, anything unexpected),
and the mail system keeps it and delivers it again later; 65, 64 or 67 when it
never can (unreadable or too large, a wrong command line, a queue that takes no
mail), and the mail system returns it to its sender with the line said on stderr.
"""

from __future__ import annotations

import argparse
import sys
import threading

from csdesk.cli import Context, ExitCodes, command
from csdesk.i18n import N_, _

EX_OK = 0
EX_USAGE = 64
EX_DATAERR = 65
EX_NOUSER = 67
EX_TEMPFAIL = 75

# Whatever is not known to be permanent keeps the message with the mail system.
MAILGATE_EXITS = ExitCodes(usage=EX_USAGE, failed=EX_TEMPFAIL, unexpected=EX_TEMPFAIL, interrupted=EX_TEMPFAIL)


def _gate_arguments(parser: argparse.ArgumentParser) -> None:
    from csdesk.rules.vocab import Category

    parser.add_argument("--queue", required=True, metavar="QUEUE", help=_("the queue the mail goes to: email"))
    parser.add_argument(
        "--category",
        default=Category.INQUIRY.value,
        choices=[c.value for c in Category],
        help=_("the category of new tickets (default: inquiry); a complaints address may use complaint"),
    )


def _say(line: str) -> None:
    from csdesk.mail.relay import hide_addresses

    print(f"csdesk: {hide_addresses(' '.join(line.split()))}", file=sys.stderr)


@command(
    "mailgate",
    N_(
        "take in one email message from standard input (for the mail system: "
        "exit 0 taken in, 75 try again later, 65/64/67 refused for good)"
    ),
    _gate_arguments,
    MAILGATE_EXITS,
)
def mailgate(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.mail.reading import MailTooLarge, UnreadableMail
    from csdesk.services.mail import Outcome, UnknownQueue, receive

    limit = ctx.policy().mail.max_message_bytes
    raw = sys.stdin.buffer.read(limit + 1)
    try:
        received = receive(ctx.desk(), raw, args.queue, args.category)
    except UnknownQueue as exc:
        _say(exc.message)
        return EX_NOUSER
    except (MailTooLarge, UnreadableMail) as exc:
        _say(str(exc))
        return EX_DATAERR
    # Plain print: the mail system logs it at most, and rich would cost every message its import.
    if received.outcome is Outcome.NEW:
        print(_("ticket #{id}: new").format(id=received.ticket_id))
    elif received.outcome is Outcome.ADDED:
        print(_("ticket #{id}: the customer's message was added").format(id=received.ticket_id))
    elif received.outcome is Outcome.DUPLICATE:
        print(_("ticket #{id}: this message was taken in before").format(id=received.ticket_id))
    elif received.outcome is Outcome.RECORDED:
        print(
            _("ticket #{id}: automatic mail recorded, not answered ({why})").format(
                id=received.ticket_id, why=received.automatic
            )
        )
    else:
        print(_("automatic mail left unanswered ({why})").format(why=received.automatic))
    return EX_OK


def _send_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--loop",
        action="store_true",
        help=_(
            "keep going: look for replies to send every --interval seconds until stopped "
            "(SIGTERM or ctrl+c let the message being sent finish first)"
        ),
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help=_("seconds between two looks at the outbox with --loop (default: 10)"),
    )


def _stopper() -> threading.Event:
    """Set by SIGTERM or SIGINT: the loop ends after the message in hand is recorded."""
    import signal

    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda _signum, _frame: stop.set())
    return stop


@command(
    "mail send", N_("send the replies waiting in the mail outbox through the relay (once, or --loop)"), _send_arguments
)
def mail_send(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.db import DatabaseError
    from csdesk.mail.relay import RelayFailed, hide_addresses
    from csdesk.services.base import InvalidInput, ServiceError
    from csdesk.services.outbox import SendReport, send_due, through_relay

    if args.interval <= 0:
        raise InvalidInput(_("--interval must be more than 0 seconds"), field="interval")
    desk = ctx.desk()
    settings = desk.policy.mail
    if not settings.sends:
        raise ServiceError(
            _("mail is not configured: set [mail] from_address and [mail.relay] host in the policy file")
        )
    stop = _stopper() if args.loop else threading.Event()
    while True:
        # Replies that will be tried again (exit 75, as any temporary failure) or were given up (1).
        troubles = gave_up = False
        try:
            deliver = through_relay(desk)
        except RelayFailed as exc:
            print(f"csdesk: {exc}", file=sys.stderr)
            troubles = True
        else:
            try:
                report = send_due(desk, deliver)
            except DatabaseError as exc:
                if not args.loop:
                    raise
                # A busy or restarting database: the replies wait in the outbox for the next look.
                print(f"csdesk: {exc}", file=sys.stderr)
                report = SendReport([], [], [])
                troubles = True
            for ticket_id in report.sent:
                ctx.say(_("ticket #{id}: reply sent").format(id=ticket_id))
            for ticket_id, reason in report.retrying:
                ctx.say(
                    _("ticket #{id}: not sent yet, will try again: {reason}").format(
                        id=ticket_id, reason=hide_addresses(reason)
                    )
                )
            for ticket_id, reason in report.failed:
                ctx.say(
                    _("ticket #{id}: not sent, given up: {reason}").format(id=ticket_id, reason=hide_addresses(reason))
                )
            troubles = troubles or bool(report.retrying)
            gave_up = bool(report.failed)
        if not args.loop:
            return 1 if gave_up else EX_TEMPFAIL if troubles else 0
        if stop.wait(args.interval):
            return 0
