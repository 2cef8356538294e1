"""``csdesk mailgate``: the mail system hands over one message; ``csdesk mail send``:
replies leave through the relay.

The mailgate answers in the mail system's own words (sysexits.h), so no message
is ever lost: 0 once the message is a ticket (or recognised as taken in before,
or as machine-written mail to leave unanswered); 75 when the desk can't take it
now (database busy or unreachable, a broken policy file, anything unexpected),
and the mail system keeps it and delivers it again later; 65, 64 or 67 when it
never can (unreadable or too large, a wrong command line, a queue that takes no
mail), and the mail system returns it to its sender with the line said on stderr.

With ``--maildir`` one process takes every message a fetcher left in a Maildir,
each in its own transaction, and moves it out of ``new/`` only once it is taken
in (see ``csdesk.mail.maildir``): the same codes, for the run as a whole.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csdesk.cli import Context, ExitCodes, _termination_interrupts, command
from csdesk.i18n import N_, _

if TYPE_CHECKING:
    from csdesk.db import Database
    from csdesk.services.base import Desk

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
    parser.add_argument(
        "--maildir",
        metavar="FOLDER",
        type=Path,
        help=_(
            "take in every message in this Maildir's new/ folder instead of standard input, each moved to cur/ "
            "once its ticket is saved (for getmail or fetchmail delivering to a Maildir)"
        ),
    )


def _say(line: str) -> None:
    from csdesk.mail.relay import hide_addresses

    print(f"csdesk: {hide_addresses(' '.join(line.split()))}", file=sys.stderr)


# A fetcher or a test may run the mailgate's command line once per message in one process:
# the database opened for one message serves the next while it is the same file, instead
# of a new engine (whose statements are compiled anew) and schema checks every time.
_kept: dict[tuple[object, ...], Database] = {}
_kept_lock = threading.Lock()


def _identity(url: str) -> tuple[object, ...] | None:
    """What makes the database the same one: its URL and, for a SQLite file, the file itself."""
    from csdesk.db import to_url

    parsed = to_url(url)
    if parsed.get_backend_name() != "sqlite":
        return (url,)
    try:
        found = os.stat(parsed.database or "")
    except OSError:
        return None  # opening it says what is wrong
    return (url, found.st_dev, found.st_ino)


def _gate_desk(ctx: Context) -> Desk:
    from csdesk.services.base import Desk, system_clock
    from csdesk.store import ensure_current

    policy = ctx.policy()
    key = _identity(ctx.settings.db_url)
    with _kept_lock:
        db = _kept.get(key) if key is not None else None
        if db is None:
            db = ctx.open_db()
            for other in _kept.values():
                other.close()
            _kept.clear()
            if key is not None:
                _kept[key] = db
                ctx._db = None  # kept open past this command line, not closed with it
        else:
            ensure_current(db)  # another process may have upgraded it meanwhile
    return Desk(db=db, policy=policy, clock=ctx.clock or system_clock)


def _forget(db: Database) -> None:
    """Drops a database that failed: the next message opens it afresh."""
    with _kept_lock:
        for key, kept in list(_kept.items()):
            if kept is db:
                del _kept[key]
    db.close()


@dataclass(frozen=True)
class _Taken:
    """What became of one message: the exit code the mail system reads and the line said."""

    code: int
    line: str


def _take_in(desk: Desk, raw: bytes, queue: str, category: str) -> _Taken:
    """One message in its own transaction; a temporary failure is raised, not returned."""
    from csdesk.mail.reading import MailTooLarge, UnreadableMail
    from csdesk.services.mail import Outcome, UnknownQueue, receive

    try:
        received = receive(desk, raw, queue, category)
    except UnknownQueue as exc:
        return _Taken(EX_NOUSER, exc.message)
    except (MailTooLarge, UnreadableMail) as exc:
        return _Taken(EX_DATAERR, str(exc))
    if received.outcome is Outcome.NEW:
        said = _("ticket #{id}: new").format(id=received.ticket_id)
    elif received.outcome is Outcome.ADDED:
        said = _("ticket #{id}: the customer's message was added").format(id=received.ticket_id)
    elif received.outcome is Outcome.DUPLICATE:
        said = _("ticket #{id}: this message was taken in before").format(id=received.ticket_id)
    elif received.outcome is Outcome.RECORDED:
        said = _("ticket #{id}: automatic mail recorded, not answered ({why})").format(
            id=received.ticket_id, why=received.automatic
        )
    else:
        said = _("automatic mail left unanswered ({why})").format(why=received.automatic)
    return _Taken(EX_OK, said)


@command(
    "mailgate",
    N_(
        "take in one email message from standard input, or every new message of a Maildir (for the mail system: "
        "exit 0 taken in, 75 try again later, 65/64/67 refused for good)"
    ),
    _gate_arguments,
    MAILGATE_EXITS,
)
def mailgate(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.mail import MAIL_QUEUE, UnknownQueue

    if args.queue != MAIL_QUEUE:
        _say(UnknownQueue(args.queue).message)
        return EX_NOUSER
    if args.maildir is not None:
        return _gate_maildir(ctx, args)
    limit = ctx.policy().mail.max_message_bytes
    raw = sys.stdin.buffer.read(limit + 1)
    desk = _gate_desk(ctx)
    try:
        taken = _take_in(desk, raw, args.queue, args.category)
    except BaseException:
        _forget(desk.db)
        raise
    if taken.code != EX_OK:
        _say(taken.line)
    else:
        # Plain print: the mail system logs it at most, and rich would cost every message its import.
        print(taken.line)
    return taken.code


class _GiveWay:
    """Leaves the write lock free for a moment after each message while desks are saving.

    A desk waiting to save polls SQLite's write lock at growing intervals (1 ms up to
    100 ms): messages taken back to back leave it almost no gap, and a claim during a
    burst waited a third of a second. Whether desks are saving is read from SQLite's
    data_version, which moves when another connection commits; PostgreSQL queues
    writers itself. The pause is as long as the message took (3 ms at least), so the
    run holds the lock half the time at most, however slow a busy machine makes it."""

    PAUSE_S = 0.003
    # How long after another desk's last save the run keeps giving way.
    ACTIVE_S = 2.0

    def __init__(self, db: Database) -> None:
        self.db = db
        self.seen: int | None = None
        self.until = 0.0

    def after_message(self, took: float) -> None:
        if not self.db.is_sqlite:
            return
        # One connection serves the whole run, so its own commits never move the number.
        with self.db.engine.connect() as conn:
            version = conn.exec_driver_sql("PRAGMA data_version").scalar()
        now = time.monotonic()
        if self.seen is not None and version != self.seen:
            self.until = now + self.ACTIVE_S
        self.seen = version
        if now < self.until:
            time.sleep(max(self.PAUSE_S, took))


def _gate_maildir(ctx: Context, args: argparse.Namespace) -> int:
    """Every message waiting in the Maildir, each in its own transaction. Exits 75 when any was
    left for a later run, else 65 when any was set aside as refused, else 0."""
    from csdesk.db import DatabaseError, is_disk_full
    from csdesk.mail import maildir

    folder: Path = args.maildir.expanduser()
    try:
        maildir.check_maildir(folder)
    except maildir.NotAMaildir as exc:
        _say(str(exc))
        return EX_USAGE
    limit = ctx.policy().mail.max_message_bytes
    desk = _gate_desk(ctx)
    taken_in = refused = left = 0
    give_way = _GiveWay(desk.db)
    # SIGTERM (systemd stopping the run) ends it as ctrl+c does: the message in hand is rolled back.
    with _termination_interrupts():
        for message in maildir.waiting(folder):
            raw = maildir.read(message, limit + 1)
            if raw is None:
                continue  # another run took it meanwhile
            started = time.monotonic()
            try:
                taken = _take_in(desk, raw, args.queue, args.category)
            except DatabaseError as exc:
                # The rest would fail alike: they wait in new/ for the next run.
                _say(_("{name}: left for a later run: {reason}").format(name=message.name, reason=exc))
                _forget(desk.db)
                return EX_TEMPFAIL
            except Exception as exc:
                if is_disk_full(exc) or os.environ.get("CSDESK_DEBUG"):
                    raise  # said as every command says it
                _say(
                    _("{name}: left for a later run: unexpected error ({kind})").format(
                        name=message.name, kind=type(exc).__name__
                    )
                )
                left += 1
                continue
            give_way.after_message(time.monotonic() - started)
            if taken.code == EX_OK:
                maildir.mark_taken(folder, message)
                taken_in += 1
                if not ctx.quiet:
                    print(f"{message.name}: {taken.line}")
            else:
                aside = maildir.set_aside(folder, message)
                refused += 1
                _say(
                    _("{name}: refused, moved to {folder}: {reason}").format(
                        name=message.name, folder=aside.parent.parent, reason=taken.line
                    )
                )
    if not ctx.quiet:
        print(
            _("{taken} taken in, {refused} refused, {left} left for a later run").format(
                taken=taken_in, refused=refused, left=left
            )
        )
    return EX_TEMPFAIL if left else EX_DATAERR if refused else EX_OK


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
