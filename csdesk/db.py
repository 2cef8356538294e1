"""Opening the database and running short transactions against it.

This is the only module that knows which database engine is underneath; the
rest of csdesk speaks SQLAlchemy/SQLModel and gets the same behaviour on
SQLite (one file shared by every desk in the centre) and PostgreSQL.

SQLite settings and why:

* WAL journal: readers never block the writer, so a desk refreshing its
  queue does not stall a roll call being saved.
* ``synchronous=FULL``: the ledger holds money; a committed fine must survive
  a power cut.
* Foreign keys on, on every connection (SQLite's default is off).
* Write transactions start with ``BEGIN IMMEDIATE``: the write lock is taken
  up front, so two desks wait for each other in line instead of both reading
  and then deadlocking when each tries to upgrade to a write lock.
* A new file is created with mode 0600: it holds staff PIN hashes and
  customers' personal data.

PostgreSQL settings and why:

* READ COMMITTED (the server's default, set explicitly so a changed server
  default cannot surprise us): readers never block and never fail with
  serialization errors, so a use case needs no retry loop.
* Each write transaction starts by taking one transaction-scoped advisory
  lock (``pg_advisory_xact_lock``), the counterpart of SQLite's
  ``BEGIN IMMEDIATE``: writers queue in line, so every read-then-write in a
  use case (a fine's number this month, the fund balance before spending, a
  failed-PIN count) sees the last committed state and nothing can slip in
  between its read and its write. Write transactions are a few milliseconds
  long, so the queue is short even with many desks; reads never take it.
  SERIALIZABLE was not chosen because a serialization failure would have to
  re-run the whole use case, and use cases are written as one
  ``with desk.write()`` block that cannot be replayed. The ticket claim is
  still a conditional UPDATE, correct with or without the queue.
* Waiting for that lock is bounded by ``lock_timeout`` (the busy deadline):
  past it ``DatabaseBusy`` is raised and nothing was written.
* Every committed change bumps a counter row and sends a NOTIFY (triggers
  installed by the first revision), which ``data_version()`` and
  ``change_feed()`` use for live refresh.

The schema is the store's business: ``csdesk.store.open_database`` opens a
database and checks it is at this csdesk's revision; ``connect`` here opens
one as it is.

Usage::

    db = open_database("/srv/csdesk/centre.db")   # csdesk.store
    with db.write() as session:          # one short transaction, committed on exit
        session.add(Notice(...))
    with db.read() as session:
        rows = session.exec(select(Ticket)).all()
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlmodel import Session, create_engine

from csdesk.errors import ExplainedError
from csdesk.i18n import N_, _
from csdesk.progress import Progress

# Patience with a busy database, in seconds: SQLite's own wait per statement,
# and the overall budget for retrying the start of a write transaction.
DEFAULT_BUSY_TIMEOUT = 5.0
DEFAULT_BUSY_DEADLINE = 15.0

_BEGIN_OPTION = "csdesk_begin"
_SQLITE_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
# lock_not_available (lock_timeout passed), serialization_failure, deadlock_detected.
_PG_BUSY_STATES = {"55P03", "40001", "40P01"}
# Any PostgreSQL advisory lock key works as long as every desk uses the same one.
_PG_MIGRATION_LOCK_KEY = 0x63736465736B
_PG_WRITE_LOCK_KEY = 0x637364657377
# The channel and counter the first revision's change triggers write to.
PG_CHANGE_CHANNEL = "csdesk_changes"
MARKS_TABLE = "csdesk_table_changes"  # one change mark per table


class DatabaseError(ExplainedError):
    """The database cannot be opened or used; the message is one plain line."""


class DatabaseBusy(DatabaseError):
    """Other desks held the database for longer than the retry budget."""

    temporary = True


class DatabaseUnreachable(DatabaseError):
    """The database server did not answer (down, restarting, or the network between)."""

    temporary = True


# A server's refusal that waiting will not mend: wrong credentials, no such database.
_LASTING = ("authentication failed", "does not exist", "no password supplied", "permission denied")


class DiskFull(DatabaseError):
    """The disk (or the database's size limit) is full; nothing was saved."""


_DISK_FULL = N_("the disk is full: nothing was saved; free some space on {where} and try again")


def is_disk_full(error: BaseException) -> bool:
    orig = getattr(error, "orig", None) or error
    if isinstance(orig, OSError) and orig.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if getattr(orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return True
    return getattr(orig, "sqlstate", None) == "53100" or "disk is full" in str(orig)


def disk_full_message(where: object) -> str:
    return _(_DISK_FULL).format(where=where)


# What SQLite keeps beside a database file while writing it: a process killed
# mid-transaction leaves its rollback journal (or write-ahead log) behind too.
_SQLITE_COMPANIONS = ("", "-journal", "-wal", "-shm")


def remove_abandoned(folder: Path, stem: str) -> None:
    """Removes temporary files of ``stem`` left by processes that no longer run,
    with the journal SQLite may have left beside them."""
    for leftover in folder.glob(f"{stem}*.partial*"):
        if not any(leftover.name.endswith(".partial" + companion) for companion in _SQLITE_COMPANIONS):
            continue
        pid = re.match(r"\d+", leftover.name[len(stem) :])
        if pid is not None and not _running(int(pid.group())):
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_busy(error: BaseException) -> bool:
    orig = getattr(error, "orig", error)
    if getattr(orig, "sqlstate", None) in _PG_BUSY_STATES:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code in _SQLITE_BUSY_CODES
    message = str(orig).lower()
    return "database is locked" in message or "database is busy" in message


def to_url(target: str | os.PathLike[str]) -> URL:
    """A path or a SQLAlchemy URL, as a URL. Paths become SQLite files."""
    raw = os.fspath(target).strip()
    if not raw:
        raise DatabaseError(_("no database given: pass --db PATH or set CSDESK_DB"))
    if "://" in raw:
        try:
            return make_url(raw)
        except ArgumentError:
            raise DatabaseError(_("not a database URL: {raw}").format(raw=raw)) from None
    path = Path(raw).expanduser().absolute()
    return URL.create("sqlite", database=str(path))


def _sqlite_path(url: URL) -> Path:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        raise DatabaseError(_("an in-memory database cannot be shared between desks: give a file path"))
    return Path(database)


def _prepare_sqlite_file(path: Path, create: bool) -> None:
    """Checks the location; creates an empty 0600 file if asked and missing."""
    folder = path.parent
    if not folder.is_dir():
        if folder.exists():
            raise DatabaseError(
                _("{folder} is a file, not a folder: give a path inside a folder").format(folder=folder)
            )
        raise DatabaseError(_("folder does not exist: {folder}").format(folder=folder))
    if path.is_dir():
        raise DatabaseError(_("{path} is a folder, not a database file").format(path=path))
    if not path.exists():
        if not create:
            raise DatabaseError(_("no database at {path}: run `csdesk init` first").format(path=path))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise DatabaseError(_("cannot create the database: folder not writable: {folder}").format(folder=folder))
        # Created here rather than by SQLite so the mode is 0600 from the first
        # byte (SQLite gives its -wal and -shm files the same mode).
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return  # another desk created it a moment ago
        except OSError as exc:
            raise DatabaseError(
                _("cannot create {path}: {strerror}").format(path=path, strerror=exc.strerror)
            ) from None
        os.close(fd)
        return
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseError(_("cannot open {path}: permission denied").format(path=path))
    # WAL needs to create its side files next to the database.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(
            _("cannot use {path}: its folder is not writable: {folder}").format(path=path, folder=folder)
        )


def _install_sqlite_hooks(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (see "begin" below); the
        # driver's own implicit BEGIN would always be DEFERRED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An open csdesk database. Cheap to keep for the life of the process."""

    def __init__(
        self,
        engine: Engine,
        *,
        busy_deadline: float = DEFAULT_BUSY_DEADLINE,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        path: Path | None = None,
    ) -> None:
        self.engine = engine
        self._busy_timeout = busy_timeout
        self.path = path
        self.busy_deadline = busy_deadline
        self._write_engine = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()
        self._local = threading.local()

    # -- facts -------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def __repr__(self) -> str:
        return f"Database({self.url!r})"

    # -- transactions --------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One short write transaction: commits on normal exit, rolls back on error.

        The write lock is taken at the start, waiting in line behind other desks;
        if they keep it past the retry budget, ``DatabaseBusy`` is raised and
        nothing has been written. Don't call ``session.commit()`` inside.
        """
        if getattr(self._local, "writing", False):
            # A second BEGIN IMMEDIATE from the same thread would wait for itself.
            raise RuntimeError(
                "a write transaction is already open in this thread: pass its session down instead of opening another"
            )
        self._local.writing = True
        try:
            with Session(self._write_engine, expire_on_commit=False) as session:
                self._begin(session)
                try:
                    yield session
                    session.commit()
                except OperationalError as exc:
                    session.rollback()
                    if _is_busy(exc):
                        raise DatabaseBusy(self._busy_message()) from None
                    if is_disk_full(exc):
                        raise DiskFull(_(_DISK_FULL).format(where=self.path or self.url)) from None
                    raise
                except BaseException:
                    session.rollback()
                    raise
        finally:
            self._local.writing = False

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent snapshot for reading; anything written in it is discarded."""
        # Closing (not rolling back) ends the transaction without expiring the
        # loaded rows, so they stay readable after the block.
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def exclusive(self) -> Iterator[Connection]:
        """A connection holding the schema-change lock (for migrations).

        Concurrent starters queue here, so only one desk migrates. On SQLite,
        foreign keys are off inside (a table rebuild must not cascade) and are
        verified before the commit.
        """
        conn = self._write_engine.connect()
        try:
            if self.is_sqlite:
                # Must run before BEGIN: the pragma is ignored inside a transaction.
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")

            def begin() -> None:
                try:
                    conn.begin()
                except OperationalError:
                    conn.rollback()  # so the next attempt starts clean
                    raise

            self._retry_busy(begin)
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY})
            yield conn
            if self.is_sqlite:
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise DatabaseError(
                        _("schema change left broken references in table {problems_0_0}").format(
                            problems_0_0=problems[0][0]
                        )
                    )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            # The connection's pragmas were changed; never return it to the pool.
            if self.is_sqlite:
                conn.invalidate()
            conn.close()

    def _begin(self, session: Session) -> None:
        def attempt() -> None:
            try:
                session.connection()
            except OperationalError:
                session.rollback()
                raise

        self._retry_busy(attempt)
        if self.is_postgresql:
            # The writers' queue (see the module docstring); released at commit.
            try:
                session.execute(text(f"SET LOCAL lock_timeout = {int(self.busy_deadline * 1000)}"))
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK_KEY})
            except OperationalError as exc:
                session.rollback()
                if _is_busy(exc):
                    raise DatabaseBusy(self._busy_message()) from None
                raise DatabaseError(_plain(exc)) from None

    def _retry_busy(self, attempt: Any) -> Any:
        deadline = time.monotonic() + self.busy_deadline
        pause = 0.05
        while True:
            try:
                return attempt()
            except OperationalError as exc:
                if not _is_busy(exc):
                    raise DatabaseError(_plain(exc)) from None
                if time.monotonic() + pause > deadline:
                    raise DatabaseBusy(self._busy_message()) from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)

    def _busy_message(self) -> str:
        return f"the database is busy (other desks are saving); nothing was saved, try again in a moment: {self.url}"

    # -- maintenance ---------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """Page-level and foreign-key problems, as plain lines; empty when sound."""
        if not self.is_sqlite:
            return []  # PostgreSQL checks its own pages; nothing cheap to ask here
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
            problems = [str(r[0]) for r in rows if str(r[0]).lower() != "ok"]
            for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(f"{table} row {rowid} points at a missing {parent} row")
        return problems

    def trigger_names(self) -> set[str]:
        return set(self.triggers())

    def triggers(self) -> dict[str, tuple[str, bool]]:
        """Each trigger by name: the table it fires on, and whether it is enabled.

        On PostgreSQL only the tables of the schema in use count: a copy of a
        table elsewhere is not the one the desk writes to.
        """
        with self.engine.connect() as conn:
            if self.is_sqlite:
                sql = "SELECT name, tbl_name, 1 FROM sqlite_master WHERE type = 'trigger'"
            elif self.engine.dialect.name == "postgresql":
                sql = (
                    "SELECT t.tgname, c.relname, t.tgenabled <> 'D' FROM pg_trigger t "
                    "JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema())"
                )
            else:
                return {}
            return {row[0]: (row[1], bool(row[2])) for row in conn.exec_driver_sql(sql)}

    def backup_to(self, target: str | os.PathLike[str], progress: Progress | None = None) -> Path:
        """A consistent copy of the database in one file, made while desks keep writing.

        Written to a temporary file next to ``target`` and renamed into place,
        so a failed backup never leaves a half file under the real name. With
        ``progress``, the pages are copied a slice at a time and counted there.
        """
        if not self.is_sqlite:
            raise DatabaseError(_("backups of a server database are made with its own tools (pg_dump)"))
        dest = Path(target).expanduser().absolute()
        if dest.exists():
            raise DatabaseError(_("{dest} already exists: choose a new file name").format(dest=dest))
        if not dest.parent.is_dir():
            raise DatabaseError(_("folder does not exist: {parent}").format(parent=dest.parent))
        assert self.path is not None
        # Named after this database and process: a backup killed part-way leaves a file
        # the next backup recognises and removes, and two at once never share one.
        stem = f".{self.path.name}.backup-"
        remove_abandoned(dest.parent, stem)
        partial = dest.with_name(f"{stem}{os.getpid()}-{time.monotonic_ns()}.partial")
        # Once made, the temporary file is removed however the backup ends: an error,
        # ctrl+c, or a SIGTERM the command line turns into an interruption.
        made = False
        try:
            try:
                fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
            except OSError as exc:
                raise DatabaseError(
                    _("cannot write {dest}: {strerror}").format(dest=dest, strerror=exc.strerror)
                ) from None
            made = True
            os.close(fd)
            source = sqlite3.connect(str(self.path), timeout=self._busy_timeout)
            copy = sqlite3.connect(str(partial))
            try:
                # The copy holds a read snapshot, which in WAL mode never
                # blocks writers, so the result is one consistent moment.
                if progress is None:
                    source.backup(copy)
                else:
                    _backup_in_slices(source, copy, progress)
                # A backup is a single self-contained file, not a WAL pair.
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
                source.close()
            # A link, unlike a rename, never replaces a file that appeared meanwhile.
            os.link(partial, dest)
        except FileExistsError:
            raise DatabaseError(_("{dest} already exists: choose a new file name").format(dest=dest)) from None
        except sqlite3.Error as exc:
            if is_disk_full(exc):
                raise DiskFull(_(_DISK_FULL).format(where=dest.parent)) from None
            raise DatabaseError(_("backup failed: {exc}").format(exc=exc)) from None
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull(_(_DISK_FULL).format(where=dest.parent)) from None
            raise DatabaseError(_("cannot write {dest}: {strerror}").format(dest=dest, strerror=exc.strerror)) from None
        finally:
            if made:
                partial.unlink(missing_ok=True)
        return dest

    # -- change watching -----------------------------------------------------

    def data_version(self) -> int:
        """A number that changes whenever any desk commits; cheap enough to poll.

        Compare successive values only from the same ``Database`` object.
        """
        if self.is_sqlite:
            with self._watch_lock:
                if self._watch is None:
                    self._watch = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
                return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
        # A one-row counter bumped by a statement trigger on every table, in the
        # writing transaction itself: it moves exactly when a change is committed.
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT version FROM {PG_CHANGE_CHANNEL}")).scalar())

    def table_marks(self) -> dict[str, int] | None:
        """Each table's change mark (``csdesk.migrations.change_feed``): the tables whose
        mark moved between two reads are the ones someone changed. None if unreadable,
        which a desk takes as "anything may have changed"."""
        query = f"SELECT name, version FROM {MARKS_TABLE}"
        try:
            if self.is_sqlite:
                with self._watch_lock:
                    if self._watch is None:
                        self._watch = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
                    return {name: int(version) for name, version in self._watch.execute(query)}
            with self.engine.connect() as conn:
                return {name: int(version) for name, version in conn.execute(text(query))}
        except (sqlite3.Error, SQLAlchemyError):
            return None

    def change_feed(self) -> Any:
        """A change feed for live refresh on PostgreSQL (LISTEN/NOTIFY); None on SQLite,
        where polling ``data_version()`` is already cheap."""
        if not self.is_postgresql:
            return None
        return PgChangeFeed(self)

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PgChangeFeed:
    """Waits on PostgreSQL's NOTIFY from the change triggers instead of polling.

    Has ``current()``, ``wait(last, timeout)`` and ``close()``, as the screens'
    live refresh expects. Holds one dedicated connection (LISTEN is per
    connection); if it drops, the next wait reconnects and reports the version.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._conn: Any = None
        self._closed = threading.Event()

    def _listen(self) -> Any:
        if self._conn is None or self._conn.closed:
            import psycopg

            url = self._db.engine.url.set(drivername="postgresql")
            self._conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True, connect_timeout=10)
            self._conn.execute(f"LISTEN {PG_CHANGE_CHANNEL}")
        return self._conn

    def current(self) -> int:
        self._listen()  # listening before reading: no change falls between the two
        return self._db.data_version()

    def wait(self, last: int, timeout: float) -> int:
        if self._closed.is_set():
            return last
        try:
            conn = self._listen()
            for _ in conn.notifies(timeout=timeout, stop_after=1):
                pass
        except Exception:  # connection lost: read afresh next time
            self._drop()
            if self._closed.wait(min(timeout, 1.0)):
                return last
        try:
            return self._db.data_version()
        except Exception:
            return last

    def _drop(self) -> None:
        if self._conn is not None:
            with suppress(Exception):
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        self._closed.set()
        self._drop()


# -- where the file lives -------------------------------------------------------------

# SQLite's locking is only as good as the filesystem's: on these, two desks can
# both believe they hold the write lock, and the file gets corrupted.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "afs",
        "ceph",
        "fuse.ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
        "gpfs",
        "ncpfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.s3fs",
        "virtiofs",
        "vboxsf",
        "fuse.vmhgfs-fuse",
    }
)
MOUNTS_FILE = Path("/proc/mounts")


# Pages copied between two reports of a backup's progress (4 MiB at SQLite's default page size).
_BACKUP_SLICE = 1024


def _backup_in_slices(source: sqlite3.Connection, copy: sqlite3.Connection, progress: Progress) -> None:
    """A backup made a slice at a time from one read snapshot held for all the slices, so a
    desk writing meanwhile neither restarts it nor changes what it copies."""
    copied = 0

    def report(status: int, remaining: int, total: int) -> None:
        nonlocal copied
        if copied == 0:
            progress.stage(_("backing up"), total)
        progress.advance(total - remaining - copied)
        copied = total - remaining

    source.execute("BEGIN")
    try:
        source.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        source.backup(copy, pages=_BACKUP_SLICE, progress=report)
    finally:
        source.rollback()


def _unescape_mount(field: str) -> str:
    # /proc/mounts writes spaces, tabs, newlines and backslashes in octal.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def network_filesystem(path: str | os.PathLike[str], mounts: str) -> tuple[str, str] | None:
    """(filesystem type, mount point) when ``path`` sits on a network filesystem.

    ``mounts`` is the text of a mounts table in /proc/mounts format; the
    deepest mount point containing ``path`` decides.
    """
    target = Path(os.path.abspath(os.fspath(path)))
    best: tuple[int, str, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point, kind = _unescape_mount(fields[1]), fields[2].lower()
        mount = Path(point)
        if target == mount or mount in target.parents:
            depth = len(mount.parts)
            if best is None or depth >= best[0]:
                best = (depth, kind, point)
    if best is None or best[1] not in NETWORK_FILESYSTEMS:
        return None
    return best[1], best[2]


def location_warning(db: Database, mounts_file: Path | None = None) -> str | None:
    """A one-line warning when the database file is on a network filesystem (Linux only)."""
    if not db.is_sqlite or db.path is None:
        return None
    try:
        mounts = (mounts_file or MOUNTS_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None  # not Linux, or /proc not mounted: nothing to tell
    found = network_filesystem(db.path.resolve(), mounts)
    if found is None:
        return None
    kind, point = found
    return _(
        "warning: the database {file} is on a network filesystem ({kind} at {point}); "
        "desks on other machines can corrupt it. Keep it on a local disk of one server "
        "(see Deployment in the README)"
    ).format(file=db.path, kind=kind, point=point)


def _plain(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0] if str(orig) else type(orig).__name__


def connect(
    target: str | os.PathLike[str],
    *,
    create: bool = False,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    busy_deadline: float = DEFAULT_BUSY_DEADLINE,
) -> Database:
    """Opens a database by file path or SQLAlchemy URL, whatever its schema.

    With ``create=False`` a missing SQLite file is an error (``csdesk init``
    makes one). Raises ``DatabaseError`` with a one-line message.
    """
    return _open(target, create, busy_timeout, busy_deadline)


def _open(target: str | os.PathLike[str], create: bool, busy_timeout: float, busy_deadline: float) -> Database:
    url = to_url(target)
    if url.get_backend_name() != "sqlite":
        options: dict[str, Any] = {"pool_pre_ping": True}
        if url.get_backend_name() == "postgresql":
            options["isolation_level"] = "READ COMMITTED"
            options["connect_args"] = {"connect_timeout": max(1, int(busy_deadline))}
        try:
            engine = create_engine(url, **options)
        except (ArgumentError, ImportError) as exc:
            shown = url.render_as_string(hide_password=True)
            raise DatabaseError(
                _("cannot use database URL {shown}: {plain_exc}").format(shown=shown, plain_exc=_plain(exc))
            ) from None
        db = Database(engine, busy_deadline=busy_deadline)
        try:
            _probe(db)
        except BaseException:
            db.close()
            raise
        return db

    path = _sqlite_path(url)
    _prepare_sqlite_file(path, create)
    engine = create_engine(
        url.set(database=str(path)),
        connect_args={"timeout": busy_timeout, "check_same_thread": False},
    )
    _install_sqlite_hooks(engine, busy_timeout)
    db = Database(engine, busy_deadline=busy_deadline, busy_timeout=busy_timeout, path=path)
    try:
        # WAL is switched on by ``use_wal`` once the schema is known to be ours: a
        # file from a newer csdesk, or none at all, is left exactly as it was.
        _probe(db)
    except BaseException:
        db.close()
        raise
    return db


def _probe(db: Database) -> None:
    """Touches the database so a bad file fails now, with a plain message."""
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1").scalar()
            if db.is_sqlite:
                conn.exec_driver_sql("SELECT COUNT(*) FROM sqlite_master").scalar()
    except SADatabaseError as exc:
        where = db.path or db.url
        message = _plain(exc)
        if "not a database" in message or "malformed" in message:
            raise DatabaseError(_("{where} is not a csdesk database file").format(where=where)) from None
        if _is_busy(exc):
            raise DatabaseBusy(db._busy_message()) from None
        refused = _("cannot open {where}: {message}").format(where=where, message=message)
        if not db.is_sqlite and isinstance(exc, OperationalError) and not any(w in message for w in _LASTING):
            raise DatabaseUnreachable(refused) from None
        raise DatabaseError(refused) from None
    except DBAPIError as exc:
        raise DatabaseError(_("cannot open {url}: {plain_exc}").format(url=db.url, plain_exc=_plain(exc))) from None


def enable_wal(db: Database) -> None:
    """Switches a SQLite file to WAL (readers never block the writer); nothing elsewhere.

    The mode is stored in the file: after the first time this is a no-op. Also on
    existing files: a restored backup comes back in rollback-journal mode.
    """
    if not db.is_sqlite:
        return
    with db.engine.connect() as conn:
        # Outside any transaction: SQLite refuses to change journal mode inside one.
        raw = conn.connection.dbapi_connection
        mode = raw.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise DatabaseError(_("cannot switch {path} to WAL mode (got {mode})").format(path=db.path, mode=mode))
