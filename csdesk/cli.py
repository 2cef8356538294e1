"""The ``csdesk`` command.

``csdesk`` alone opens the desk; subcommands do the maintenance around it.
Every failure ends with one plain line on stderr and a non-zero exit code.

Adding a subcommand (in this module, or in any module of a
``csdesk.commands`` package, which is imported automatically)::

    from csdesk.cli import Context, command

    def _arguments(parser):
        parser.add_argument("file", help="CSV file to read")

    @command("import roster", N_("read a roster from a CSV file"), _arguments)
    def import_roster(ctx: Context, args) -> int:
        desk = ctx.desk()                 # database at head + policy
        ...
        ctx.say(_("imported {n} rows").format(n=n))
        return 0

Names with a space become nested subcommands ("db upgrade"). Help texts are
marked with ``N_()`` and translated when the parser is built, after ``--lang``
is known; messages are written with ``_()``.

The global options (``--db``, ``--policy``, ``--lang``, ``--quiet``, and
``--as`` for the commands that take it) are read before or after the command's
name alike; given in both places, the later one wins. ``--help`` and
``--version`` import neither SQLAlchemy nor pydantic, so they answer at once.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csdesk.i18n import N_, _, current_language, install_language, ngettext

if TYPE_CHECKING:
    from rich.console import Console

    from csdesk.db import Database
    from csdesk.policy import Policy
    from csdesk.progress import Progress
    from csdesk.services.base import Actor, Desk
    from csdesk.settings import Settings

Run = Callable[["Context", argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]

# Exit codes, the same on every command: 0 done, 1 refused or failed (the reason on stderr),
# 2 wrong usage, 75 a temporary failure worth trying again (a busy database, a server out of
# reach: cron and mail systems retry on it, as sysexits.h's EX_TEMPFAIL), 130 interrupted.
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_TEMPORARY = 75
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class ExitCodes:
    """What a command's failures exit with. A command called by another program (the
    mail system calls ``mailgate``) speaks that program's codes instead of these."""

    usage: int = EXIT_USAGE
    # A refusal, or a database or policy file that can't be used.
    failed: int = EXIT_FAILED
    unexpected: int = EXIT_FAILED
    temporary: int = EXIT_TEMPORARY
    interrupted: int = EXIT_INTERRUPTED


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Run
    arguments: Arguments | None = None
    exit_codes: ExitCodes = ExitCodes()


COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, arguments: Arguments | None = None, exit_codes: ExitCodes = ExitCodes()
) -> Callable[[Run], Run]:
    """Registers ``fn(ctx, args) -> exit code`` as ``csdesk NAME``."""

    def register(run: Run) -> Run:
        if name in COMMANDS:
            raise ValueError(f"command {name!r} is registered twice")
        COMMANDS[name] = Command(name, help, run, arguments, exit_codes)
        return run

    return register


@dataclass
class Context:
    """What a command gets: the resolved settings and lazily opened resources."""

    settings: Settings
    # Made on first use: a command that prints nothing (the mailgate, run once per
    # message by the mail system) doesn't pay for importing rich.
    _out: Console | None = None
    # The desk's time: the system's unless a caller (a test, a rehearsal) fixes it.
    clock: Callable[[], datetime] | None = None
    _db: Database | None = None
    _policy: Policy | None = None
    # --quiet: no progress bars and no lines saying what was done; problems are still said.
    quiet: bool = False

    @property
    def out(self) -> Console:
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=True)
        return self._out

    def say(self, message: str) -> None:
        if not self.quiet:
            self.out.print(message)

    def progress(self) -> AbstractContextManager[Progress]:
        """A progress bar on standard error while it is a terminal; silence otherwise or with --quiet."""
        from csdesk.progress import SILENT, terminal_bar

        if self.quiet or not sys.stderr.isatty():
            return nullcontext(SILENT)
        return terminal_bar(sys.stderr)

    def policy(self) -> Policy:
        from csdesk.policy import load_policy

        if self._policy is None:
            self._policy = load_policy(self.settings.policy_path)
        return self._policy

    def open_db(self, *, require_current: bool = True) -> Database:
        """The database, opened once; at head unless ``require_current=False``."""
        from csdesk.store import ensure_current, open_database

        if self._db is None:
            self._db = open_database(self.settings.db_url, require_current=False)
            warn_about_location(self._db)
        if require_current:
            ensure_current(self._db)
        return self._db

    def desk(self) -> Desk:
        from csdesk.services.base import Desk, system_clock

        return Desk(db=self.open_db(), policy=self.policy(), clock=self.clock or system_clock)

    def now(self) -> datetime:
        from csdesk.services.base import system_clock

        return (self.clock or system_clock)()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def warn_about_location(db: Database) -> None:
    """Said at every start, before the desk opens: a shared network drive corrupts SQLite."""
    from csdesk.db import location_warning

    warning = location_warning(db)
    if warning:
        print(f"csdesk: {warning}", file=sys.stderr)


# -- built-in commands ----------------------------------------------------------


def open_app(ctx: Context, args: argparse.Namespace) -> int:
    """Bare ``csdesk``: the Textual desk. Its sign-in screen is painted first; the policy and
    the database (which must be at this version's schema: older, the upgrade hint; newer,
    refused and never touched) are opened behind it, and a problem with either is said there."""
    return run_desk(ctx.settings, None)


def run_desk(settings: Settings, db: Database | None) -> int:
    try:
        from csdesk.app import make_app  # heavy: only when the desk is really opened
    except ModuleNotFoundError as exc:
        if exc.name != "csdesk.app":
            raise
        return _fail(_("the desk screens are not part of this installation (csdesk.app is missing)"))
    make_app(settings, db).run()
    return 0


@command("init", N_("create the database (at --db, $CSDESK_DB or the user data folder)"))
def init(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.db import to_url
    from csdesk.store import create_database, head_revision

    if ctx.settings.db_is_default:
        folder = Path(to_url(ctx.settings.db_url).database or "").parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    ctx._db = create_database(ctx.settings.db_url)
    ctx.say(
        _("database ready: {where} (schema {revision})").format(
            where=ctx._db.path or ctx._db.url, revision=head_revision()
        )
    )
    return 0


@command(
    "check",
    N_(
        "check the database (integrity, append-only protection, schema revision) "
        "and the mail: relay reachable, outbox draining"
    ),
)
def check(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.outbox import mail_problems
    from csdesk.store import check_revision, integrity_check

    db = ctx.open_db(require_current=False)
    problems = integrity_check(db)
    if check_revision(db).ok:
        problems += mail_problems(ctx.desk())
    where = db.path or db.url
    if problems:
        for line in problems:
            print(f"csdesk: {line}", file=sys.stderr)
        return EXIT_FAILED
    ctx.say(_("ok: {where} (schema {revision}, integrity ok)").format(where=where, revision=check_revision(db).current))
    return 0


@contextmanager
def _termination_interrupts() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the command the way ctrl+c does, so the file it was
    writing is removed on the way out; by default they end the process on the spot
    and leave a half-written file behind."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a caller's thread keeps its own
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    numbers = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {number: signal.signal(number, interrupt) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            # None: a handler set outside Python, which cannot be put back; the default is.
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def _backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help=_("new file to write the copy to"))


@command("backup", N_("copy the database to FILE, safely while desks are working"), _backup_arguments)
def backup(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.store import backup as backup_to

    # A backup must work on an old schema too: it is the step before upgrading.
    with _termination_interrupts(), ctx.progress() as progress:
        saved = backup_to(ctx.open_db(require_current=False), args.file, progress)
    ctx.say(_("backed up to {file}").format(file=saved))
    return 0


@command("db upgrade", N_("bring the database to this version's schema (backs up first)"))
def db_upgrade(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.store import check_revision, upgrade

    db = ctx.open_db(require_current=False)
    before = check_revision(db)
    with _termination_interrupts():
        saved = upgrade(db)
    after = check_revision(db)
    if before.ok:
        ctx.say(_("already up to date (schema {revision})").format(revision=after.current))
    else:
        ctx.say(
            _("upgraded schema {before} -> {after}").format(before=before.current or _("(empty)"), after=after.current)
        )
        if saved is not None:
            ctx.say(_("backup of the old database: {file}").format(file=saved))
    return 0


# -- people, attendance and the demo centre ---------------------------------------------

_AS_HELP = N_(
    "employee number of the person doing this; their role decides what is allowed and the audit log names them"
)


def _as_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """``--as`` on this command, where it may also be given before the command's name
    (so argparse cannot require it: ``_check_acting_person`` does)."""
    parser.add_argument(
        "--as", dest="as_number", metavar="EMPLOYEE_NUMBER", default=argparse.SUPPRESS, help=_(_AS_HELP)
    )
    parser.set_defaults(as_required=required)


def acting_person(ctx: Context, number: str) -> Actor:
    """The staff member named by ``--as`` (see ``csdesk.services.staff.acting_person``)."""
    from csdesk.services.staff import acting_person as named

    return named(ctx.desk(), number)


# What every export's --week and --month take: last and this are read on the centre's calendar.
WEEK = "YYYY-Www|last|this"
MONTH = "YYYY-MM|last|this"


def _format_argument(parser: argparse.ArgumentParser) -> None:
    """Every export's ``--format``."""
    from csdesk.exports.tables import FORMATS

    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        help=_("csv, or xlsx for an Excel workbook with typed cells (default: the suffix of --out, else csv)"),
    )


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--week", required=True, metavar=WEEK, help=_("ISO week, e.g. 2026-W47, or last or this"))
    parser.add_argument("--squad", metavar="NAME", help=_("one squad only (leaders: their own by default)"))
    parser.add_argument(
        "--out",
        metavar="FILE",
        help=_(
            "attendance CSV to write (default: attendance-<week>.csv here); "
            "weekly hours go to <FILE stem>-hours.csv beside it"
        ),
    )
    _format_argument(parser)
    _as_argument(parser)


@command("export attendance", N_("write the week's attendance and weekly hours as CSV (AT-5)"), _export_arguments)
def export_attendance_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.exports import export_attendance
    from csdesk.services.roster import squad_id_by_name

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number)
    squad_id = squad_id_by_name(desk, args.squad) if args.squad else None
    files = export_attendance(desk, actor, args.week, squad_id, args.out, args.fmt)
    ctx.say(_("wrote {n} shifts to {file}").format(n=files.rows, file=files.attendance))
    ctx.say(_("wrote weekly hours of {n} people to {file}").format(n=files.people, file=files.hours))
    return 0


def _import_arguments(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("file", help=_("CSV file (UTF-8, header row first; see README)"))
    _as_argument(parser, required)


def _run_import(ctx: Context, run: Callable[[Progress], Any]) -> int:
    from csdesk.services.roster import ImportRefused

    try:
        with ctx.progress() as progress:
            result = run(progress)
    except KeyboardInterrupt:
        # The rows are written in one transaction, which the interruption rolled back.
        return _fail(_("interrupted: nothing was imported"), EXIT_INTERRUPTED)
    except ImportRefused as refused:
        for line in refused.problems:
            print(line, file=sys.stderr)
        more = refused.total - len(refused.problems)
        if more > 0:
            print(_("... and {n} more problems").format(n=more), file=sys.stderr)
        return _fail(
            _("nothing was imported")
            if refused.total == 1
            else _("{n} problems; nothing was imported").format(n=refused.total)
        )
    for warning in result.warnings:  # on stderr, and with --quiet too: problems are always said
        print(_("warning: {text}").format(text=warning), file=sys.stderr)
    ctx.say(
        _("imported {file}: {rows} rows ({created} new, {updated} changed)").format(
            file=result.file, rows=result.rows, created=result.created, updated=result.updated
        )
    )
    return 0


@command(
    "import staff",
    N_("register or update staff from a CSV file (directors; ST-1)"),
    lambda parser: _import_arguments(parser, required=False),
)
def import_staff_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.roster import import_staff

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number) if args.as_number else None
    if actor is None:
        ctx.say(_("no --as given: importing as the system (allowed only into an empty register)"))
    return _run_import(ctx, lambda progress: import_staff(desk, actor, Path(args.file), progress))


@command("import roster", N_("put people on shifts from a CSV file (squad leaders, directors)"), _import_arguments)
def import_roster_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.roster import import_roster

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number)
    return _run_import(ctx, lambda progress: import_roster(desk, actor, Path(args.file), progress))


def _set_pin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("number", metavar="EMPLOYEE_NUMBER", help=_("whose PIN to set"))
    _as_argument(parser, required=False)


@command(
    "set-pin",
    N_("set a sign-in PIN: a first PIN for anyone without one, or a reset with --as a leader above them"),
    _set_pin_arguments,
)
def set_pin_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.services.auth import reset_pin, set_first_pin

    desk = ctx.desk()
    actor = acting_person(ctx, args.as_number) if args.as_number else None
    pin = _read_new_pin()
    if actor is None:
        set_first_pin(desk, args.number, pin)
        ctx.say(_("PIN set for No. {number}").format(number=args.number.strip()))
        return 0
    target = acting_person(ctx, args.number)
    reset_pin(desk, actor, target.staff_id, pin)
    ctx.say(
        _("PIN reset for No. {number}; they choose a new one at their next sign-in").format(
            number=target.employee_number
        )
    )
    return 0


def _read_new_pin() -> str:
    """Asks twice without echo at a terminal; reads one line when piped (scripts, tests)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    import getpass

    from csdesk.services.base import InvalidInput

    first = getpass.getpass(_("new PIN: "))
    if getpass.getpass(_("again: ")) != first:
        raise InvalidInput(_("the two PINs differ; nothing was changed"), field="PIN")
    return first


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-open", action="store_true", help=_("build it and print the sign-ins only"))
    parser.add_argument("--seed", type=int, default=None, help=_("vary the generated centre (default: fixed)"))


@command(
    "demo",
    N_(
        "build a realistic demo centre and open the desk on it (at --db, else demo.db in the user data folder; "
        "never $CSDESK_DB; rebuilt each time)"
    ),
    _demo_arguments,
)
def demo_command(ctx: Context, args: argparse.Namespace) -> int:
    from csdesk.db import to_url
    from csdesk.demo import DEFAULT_SEED, build_demo, default_demo_path, print_sign_ins
    from csdesk.settings import Settings

    # --db as given on the command line only: $CSDESK_DB names the real database.
    path = demo_path(args.db) if args.db else default_demo_path()
    if not args.db:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    with ctx.progress() as progress:
        built = build_demo(path, ctx.policy(), seed=seed, now=ctx.now(), progress=progress)
    print_sign_ins(ctx.out, built)
    ctx.say(_("demo centre built in {seconds} s: {file}").format(seconds=f"{built.seconds:.1f}", file=built.path))
    if args.no_open:
        return 0
    settings = Settings(
        db_url=to_url(str(built.path)).render_as_string(hide_password=False),
        policy_path=ctx.settings.policy_path,
        lang=ctx.settings.lang,
    )
    ctx._db = built.open()
    return run_desk(settings, ctx._db)


def demo_path(target: str) -> Path:
    """The demo's file named by ``--db`` (a path or a ``sqlite:///`` URL)."""
    from csdesk.db import to_url

    url = to_url(target)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise UsageError(_("the demo centre is built in a SQLite file: give --db a file path"))
    return Path(url.database).expanduser().absolute()


# -- parsing and the top level ----------------------------------------------------


class UsageError(Exception):
    pass


# argparse's own words, put through the desk's catalogue while the command line is read.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


@contextmanager
def _argparse_speaks_the_language() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _CellWidthFormatter(argparse.HelpFormatter):
    """Help wrapped by display columns: a Chinese character takes two, and is never cut."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        from csdesk.text import wrap

        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _CellWidthFormatter)
        super().__init__(*args, **kwargs)

    # argparse prints usage and exits; a one-line message is wanted instead.
    def error(self, message: str) -> Any:
        raise UsageError(_("{message} (see `{prog} --help`)").format(message=message, prog=self.prog))


def _load_extensions() -> None:
    try:
        package = importlib.import_module("csdesk.commands")
    except ModuleNotFoundError as exc:
        if exc.name == "csdesk.commands":
            return
        raise
    for module in pkgutil.iter_modules(package.__path__, "csdesk.commands."):
        importlib.import_module(module.name)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, that command's alone (a command line naming
    one command needs no other: the mail system starts a mailgate for every message)."""
    _load_extensions()  # every command, wherever it is defined, whoever asks for the parser
    parser = _Parser(prog="csdesk", description=_("The terminal desk of the customer-service centre."))
    parser.add_argument("--version", action=_Version, help=_("print the version and the schema revision it writes"))
    _add_global_options(parser, default=None)
    parser.add_argument("--as", dest="as_number", metavar="EMPLOYEE_NUMBER", help=_(_AS_HELP))
    parser.set_defaults(run=open_app, quiet=False)
    # Also after the command (`csdesk demo --lang zh_CN`); given there, it wins. A command's own
    # defaults would overwrite what was given before its name, hence SUPPRESS.
    common = argparse.ArgumentParser(add_help=False)
    _add_global_options(common, default=argparse.SUPPRESS)
    groups: dict[tuple[str, ...], argparse._SubParsersAction[Any]] = {}

    def subparsers_of(path: tuple[str, ...], owner: argparse.ArgumentParser) -> Any:
        if path not in groups:
            groups[path] = owner.add_subparsers(metavar="COMMAND", title=_("commands"))
        return groups[path]

    parsers: dict[tuple[str, ...], argparse.ArgumentParser] = {(): parser}
    for name in sorted(COMMANDS):
        if only is not None and name != only:
            continue
        spec = COMMANDS[name]
        words = tuple(name.split())
        for depth in range(1, len(words) + 1):
            path = words[:depth]
            if path in parsers:
                continue
            parent = parsers[path[:-1]]
            is_leaf = depth == len(words)
            sub = subparsers_of(path[:-1], parent).add_parser(
                path[-1],
                help=_(spec.help) if is_leaf else _("{group} commands").format(group=" ".join(path)),
                parents=[common],
            )
            if not is_leaf:
                sub.set_defaults(run=_needs_subcommand(sub))
            parsers[path] = sub
        leaf = parsers[words]
        leaf.description = _(spec.help)
        leaf.set_defaults(run=spec.run, command_name=name)
        if spec.arguments is not None:
            spec.arguments(leaf)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=default,
        help=_("database file or URL (default: $CSDESK_DB, else csdesk.db in the user data folder)"),
    )
    parser.add_argument("--policy", metavar="FILE", default=default, help=_("policy file (default: $CSDESK_POLICY)"))
    parser.add_argument(
        "--lang",
        metavar="LANG",
        default=default,
        help=_("language, en or zh_CN (default: $CSDESK_LANG, the policy, the system locale)"),
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default,
        help=_("no progress bars and no lines saying what was done; problems are still said"),
    )


class _Version(argparse.Action):
    """``--version``: worked out only when asked, from the package and a directory listing."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(version_text())
        parser.exit()


def version_text() -> str:
    """``csdesk 0.1.0 (schema 0010)``: the release, and the schema revision its databases are written at."""
    from csdesk import __version__
    from csdesk.migrations.revisions import head_revision

    return _("csdesk {version} (schema {revision})").format(version=__version__, revision=head_revision())


# Options that take a value, wherever they stand; read before the parser exists.
_VALUED_GLOBALS = ("--db", "--policy", "--lang", "--as")


def _command_of(words: list[str]) -> Command | None:
    """The command a command line names, if any."""
    named: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in _VALUED_GLOBALS:
            skip = True
        elif not word.startswith("-"):
            named.append(word)
    for length in range(len(named), 0, -1):
        spec = COMMANDS.get(" ".join(named[:length]))
        if spec is not None:
            return spec
    return None


def _early_language(words: list[str]) -> str:
    """The language of the help and of the parser's errors, chosen as ``resolve_settings`` does
    from ``--lang``, $CSDESK_LANG and the policy, before the parser exists."""
    from csdesk.i18n import choose_language
    from csdesk.settings import LANG_ENV, policy_language

    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--policy")
    early.add_argument("--lang")
    try:
        known, _rest = early.parse_known_args(words)
    except SystemExit:  # a malformed option: the real parser will say so
        known = argparse.Namespace(policy=None, lang=None)
    return choose_language(known.lang, os.environ.get(LANG_ENV), policy_language(known.policy, os.environ), os.environ)


def _check_acting_person(args: argparse.Namespace) -> None:
    """``--as`` given before the command's name is that command's, if it takes one."""
    name = getattr(args, "command_name", None)
    takes = getattr(args, "as_required", None)
    prog = f"csdesk {name}" if name else "csdesk"
    if takes is None and args.as_number is not None:
        raise UsageError(_("`{prog}` takes no --as (see `{prog} --help`)").format(prog=prog))
    if takes and not args.as_number:
        message = _("the following arguments are required: %s") % "--as"
        raise UsageError(_("{message} (see `{prog} --help`)").format(message=message, prog=prog))


def _needs_subcommand(parser: argparse.ArgumentParser) -> Run:
    def run(ctx: Context, args: argparse.Namespace) -> int:
        raise UsageError(_("`{prog}` needs a command (see `{prog} --help`)").format(prog=parser.prog))

    return run


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    line = " ".join(str(message).split()) or _("failed")
    print(f"csdesk: {line}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None, *, clock: Callable[[], datetime] | None = None) -> int:
    """Runs one command line; ``clock`` fixes the desk's time (tests), else it is the system's."""
    from csdesk.errors import ExplainedError

    ctx: Context | None = None
    language_before = current_language()
    codes = ExitCodes()
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        _load_extensions()
        named = _command_of(words)
        codes = named.exit_codes if named is not None else ExitCodes()
        asks_help = any(word in ("-h", "--help") for word in words)
        # The language is needed before the parser exists, for its help and errors.
        install_language(_early_language(words))
        with _argparse_speaks_the_language():
            args = build_parser(None if named is None or asks_help else named.name).parse_args(words)
        _check_acting_person(args)
        from csdesk.settings import resolve_settings

        ctx = Context(resolve_settings(args.db, args.policy, args.lang), clock=clock, quiet=args.quiet)
        install_language(ctx.settings.lang)
        return int(args.run(ctx, args) or 0)
    except UsageError as exc:
        return _fail(str(exc), codes.usage)
    except ExplainedError as exc:
        return _fail(str(exc), codes.temporary if exc.temporary else codes.failed)
    except KeyboardInterrupt:
        return _fail(_("interrupted"), codes.interrupted)
    except SystemExit as exc:  # --help and --version exit through here
        return exc.code if isinstance(exc.code, int) else 0
    except Exception as exc:
        from csdesk.db import disk_full_message, is_disk_full

        if is_disk_full(exc):
            return _fail(disk_full_message(getattr(exc, "filename", None) or _("the disk")), codes.failed)
        if os.environ.get("CSDESK_DEBUG"):
            raise
        return _fail(
            _("unexpected error ({kind}); run with CSDESK_DEBUG=1 for details").format(kind=type(exc).__name__),
            codes.unexpected,
        )
    finally:
        if ctx is not None:
            ctx.close()
        install_language(language_before)


if __name__ == "__main__":
    sys.exit(main())
