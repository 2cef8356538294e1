"""The roster: shift definitions, who is rostered when, and the CSV imports.

Shift definitions are rows named by their kind (``day``, ``night``); their
times always come from the policy (SC-1), so the rows are created on first
use and only give the roster something stable to point at.

The imports (``import_staff``, ``import_roster``) check every row of a CSV
file before writing any, then write them in batches inside ONE transaction, so
a bad file changes nothing. The roster import reads the file again to write it
(nothing is kept but the keys needed to find duplicates); the staff import
keeps its checked rows packed, about the file's size in memory, so its write
(which holds the lock desks wait on) neither reads nor checks the file again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from json.encoder import encode_basestring_ascii as _json_text
from pathlib import Path
from typing import Annotated, Any, NotRequired, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    with_config,
)
from sqlalchemy import Connection, String, bindparam, insert, select, type_coerce, update
from sqlmodel import Session
from typing_extensions import TypedDict

from csdesk.i18n import _
from csdesk.models import AuditLog, RosterEntry, ShiftDefinition, Squad, Staff
from csdesk.policy import Policy
from csdesk.progress import SILENT, Progress
from csdesk.rules.identity import ONE_LINE_PATTERN, is_employee_number, normalise_employee_number
from csdesk.rules.shifts import check_consecutive_days
from csdesk.rules.staff import Action, check_registration
from csdesk.rules.vocab import Grade, Role, ShiftKind, StaffStatus
from csdesk.services.base import (
    Actor,
    Desk,
    InvalidInput,
    PermissionDenied,
    ServiceError,
    audit,
    require,
)
from csdesk.services.bulk import Many, Packed, fetched, marks_once, roomy_cache
from csdesk.vocabulary import role_label

DIRECTORS = frozenset({Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR})
_IN_A_SQUAD = frozenset({Role.AGENT, Role.DEPUTY_LEADER, Role.SQUAD_LEADER})


# -- shift definitions ------------------------------------------------------------


def ensure_shift_definitions(session: Session, policy: Policy) -> dict[str, int]:
    """Shift code -> id, creating the ``day`` and ``night`` rows if missing."""
    found = {code: id_ for id_, code in session.execute(select(ShiftDefinition.id, ShiftDefinition.code))}
    for kind in ShiftKind:
        if kind.value in found:
            continue
        definition = policy.shifts.of(kind)
        row = ShiftDefinition(
            code=kind.value,
            kind=kind,
            start_time=definition.start,
            end_time=definition.end,
            ends_next_day=definition.crosses_midnight,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        found[kind.value] = row.id
    return found


def shift_definition(session: Session, code: str, field: str = "shift_code") -> ShiftDefinition:
    """The shift named ``code``; refuses an unknown code naming ``field``."""
    text = (code or "").strip().lower()
    row = session.execute(select(ShiftDefinition).where(ShiftDefinition.code == text)).scalars().first()
    if row is None:
        known = ", ".join(k.value for k in ShiftKind)
        raise InvalidInput(_("shift {code!r} is not one of {known}").format(code=code, known=known), field=field)
    return row


def check_squad_access(actor: Actor, squad_id: int | None, what: str) -> None:
    """A leader acts on their own squad only; directors on every squad."""
    if actor.role in DIRECTORS:
        return
    if squad_id is None or actor.squad_id != squad_id:
        raise PermissionDenied(
            _("a leader may {what} for their own squad only").format(what=_(what)), rule_ids=("ST-2",)
        )


@dataclass(frozen=True)
class RosteredPerson:
    roster_id: int
    staff_id: int
    employee_number: str
    name: str
    role: Role
    holiday_duty: bool


def rostered(session: Session, squad_id: int, work_date: date, shift_id: int) -> list[RosteredPerson]:
    """Everyone of the squad rostered on that shift, by employee number."""
    rows = session.execute(
        select(
            RosterEntry.id,
            Staff.id,
            Staff.employee_number,
            Staff.real_name,
            Staff.role,
            RosterEntry.holiday_duty,
        )
        .join(Staff, Staff.id == RosterEntry.staff_id)
        .where(
            RosterEntry.work_date == work_date,
            RosterEntry.shift_id == shift_id,
            Staff.squad_id == squad_id,
        )
        .order_by(Staff.employee_number)
    )
    return [RosteredPerson(r[0], r[1], r[2], r[3], Role(r[4]), bool(r[5])) for r in rows]


# -- CSV reading shared by both imports ----------------------------------------------

MAX_PROBLEMS_SHOWN = 50
_BATCH = 1000


class ImportRefused(ServiceError):
    """The file was refused; ``problems`` holds one line per problem found."""

    def __init__(self, problems: list[str], total: int | None = None) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        more = self.total - len(problems)
        summary = problems[0] if problems else _("the file was refused")
        if self.total > 1:
            summary = _("{n} problems; nothing was imported").format(n=self.total)
        if more > 0:
            summary = _("{summary} (and {n} more)").format(summary=summary, n=more)
        super().__init__(summary, field="file")


@dataclass(frozen=True)
class ImportResult:
    file: str
    rows: int
    created: int
    updated: int
    warnings: tuple[str, ...] = ()


def _open_text(path: Path) -> io.TextIOWrapper:
    try:
        raw = path.open("rb")
    except FileNotFoundError:
        raise ImportRefused([_("{path}: no such file").format(path=path)]) from None
    except IsADirectoryError:
        raise ImportRefused([_("{path}: is a folder, not a CSV file").format(path=path)]) from None
    except OSError as exc:
        raise ImportRefused([_("{path}: cannot read it ({reason})").format(path=path, reason=exc.strerror)]) from None
    head = raw.read(8192)
    raw.seek(0)
    if b"\x00" in head:
        raw.close()
        raise ImportRefused([_("{name}: not a CSV text file (it holds binary data)").format(name=path.name)])
    # utf-8-sig: spreadsheet programs put a byte-order mark in front.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")


def _records(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, cells) for each data row; the header is row 1.

    Refuses the whole file for encoding, header or structure problems.
    """
    name = path.name
    with _open_text(path) as text:
        try:
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None or not any(cell.strip() for cell in header):
                raise ImportRefused(
                    [
                        _("{name}: the file is empty (expected a header row: {columns})").format(
                            name=name, columns=", ".join(columns)
                        )
                    ]
                )
            header = [cell.strip().lower() for cell in header]
            missing = [c for c in required if c not in header]
            extra = [c for c in header if c not in columns]
            repeated = sorted({c for c in header if header.count(c) > 1})
            problems = []
            if missing:
                problems.append(_("{name}: missing column(s): {columns}").format(name=name, columns=", ".join(missing)))
            if extra:
                problems.append(
                    _("{name}: unknown column(s): {columns} (known: {known})").format(
                        name=name, columns=", ".join(extra), known=", ".join(columns)
                    )
                )
            if repeated:
                problems.append(
                    _("{name}: column(s) given twice: {columns}").format(name=name, columns=", ".join(repeated))
                )
            if problems:
                raise ImportRefused(problems)
            width = len(header)
            for number, cells in enumerate(reader, start=2):
                if len(cells) != width:
                    if not "".join(cells).strip():
                        continue  # blank lines, e.g. at the end of the file
                    yield (
                        number,
                        {
                            "__width__": _("has {cells} cells, the header has {width}").format(
                                cells=len(cells), width=width
                            )
                        },
                    )
                    continue
                # Empty cells are left out: they count as not given, so defaults apply and
                # a required column says "is required" rather than "'' is not a date".
                given = {key: value for key, value in zip(header, map(str.strip, cells)) if value}
                if given:  # a row of empty cells (",,,") is a blank line too
                    yield number, given
        except UnicodeDecodeError:
            raise ImportRefused([_("{name}: file is not UTF-8 (save it as UTF-8)").format(name=name)]) from None
        except csv.Error as exc:
            raise ImportRefused([_("{name}: not a readable CSV file ({error})").format(name=name, error=exc)]) from None


def _describe(error: dict[str, Any]) -> str:
    field = str(error["loc"][0]) if error["loc"] else "row"
    given = error.get("input")
    if isinstance(given, str) and len(given) > 40:
        given = given[:40] + "…"  # a 5,000-character cell need not be shown whole
    kind = error["type"]
    if kind == "missing":
        return _("{field} is required").format(field=field)
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "").replace("'", "")
        return _("{field} {given!r} is not one of {expected}").format(
            field=field, given=given, expected=expected.replace(" or ", ", ")
        )
    if kind.startswith("date"):
        return _("{field} {given!r} is not a date like 2026-11-16").format(field=field, given=given)
    if kind.startswith("bool"):
        return _("{field} {given!r} is not yes or no").format(field=field, given=given)
    if kind == "value_error":
        # The validators below word their errors in the desk's language already.
        problem = error["ctx"]["error"]
        if given:
            return _("{field} {given!r} {problem}").format(field=field, given=given, problem=problem)
        return _("{field}: {problem}").format(field=field, problem=problem)
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ONE_LINE_PATTERN:
        return _("{field} {given!r} {problem}").format(
            field=field, given=given, problem=_("holds a control character or a line break")
        )
    if kind == "string_too_long":
        return _("{field} is longer than {n} characters").format(field=field, n=error["ctx"]["max_length"])
    return _("{field}: {problem}").format(field=field, problem=error["msg"].lower())


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


_Checked = TypeVar("_Checked")


def _validate(
    validate: Callable[[dict[str, str]], _Checked],
    path: Path,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    check: Callable[[int, _Checked], list[str]],
    progress: Progress,
    keep: Callable[[_Checked], None] | None = None,
) -> int:
    """Validates every row; raises ``ImportRefused`` listing each problem. Returns the row count.

    ``validate`` turns a row's cells into its values or raises pydantic's ``ValidationError``;
    ``keep`` is given each row that passed, for writing it later without reading the file again.
    """
    progress.stage(_("checking {file}").format(file=path.name), _lines_in(path))
    problems: list[str] = []
    total_problems = 0
    rows = 0

    def report(line: str) -> None:
        nonlocal total_problems
        total_problems += 1
        if len(problems) < MAX_PROBLEMS_SHOWN:
            problems.append(line)

    for number, cells in _records(path, columns, required):
        rows += 1
        if rows % _BATCH == 0:
            progress.advance(_BATCH)
        if "__width__" in cells:
            report(_("row {number}: {problem}").format(number=number, problem=cells["__width__"]))
            continue
        try:
            parsed = validate(cells)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                report(_("row {number}: {problem}").format(number=number, problem=_describe(error)))
            continue
        found = check(number, parsed)
        for line in found:
            report(_("row {number}: {problem}").format(number=number, problem=line))
        if keep is not None and not found:
            keep(parsed)
    if rows == 0:
        report(_("{name}: the file has a header but no rows").format(name=path.name))
    if total_problems:
        raise ImportRefused(problems, total_problems)
    return rows


def _parsed(model: type[_Row], path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> Iterator[_Row]:
    """Second pass: the rows again, already known to be valid."""
    for _number, cells in _records(path, columns, required):
        yield model.model_validate(cells)


def _lines_in(path: Path) -> int | None:
    """The data rows a file holds, about (a quoted cell may hold a line break): the bar's length."""
    try:
        with path.open("rb") as raw:
            return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b"")) - 1)
    except OSError:
        return None  # reading it says why, in a moment


def _batches(items: Iterator[Any], progress: Progress, size: int = _BATCH) -> Iterator[list[Any]]:
    """``items`` a batch at a time, each counted done once the next is asked for."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            progress.advance(len(batch))
            batch = []
    if batch:
        yield batch
        progress.advance(len(batch))


def _truthy(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"yes", "y", "true", "1", "是"}:
            return True
        if text in {"no", "n", "false", "0", "否"}:
            return False
    return value


# -- the staff register --------------------------------------------------------------

STAFF_COLUMNS = (
    "employee_number",
    "real_name",
    "role",
    "grade",
    "squad",
    "status",
    "hire_date",
    "phone",
    "address",
    "emergency_contact",
)
STAFF_REQUIRED = ("employee_number", "real_name", "role", "grade", "status", "hire_date")


def _one_line(column: Any) -> Any:
    # Checked inside the validator, with no call back into Python for each cell: a
    # register of 100,000 people has half a million such cells.
    return StringConstraints(max_length=column.type.length, pattern=ONE_LINE_PATTERN)


# The register's column widths, which PostgreSQL enforces and SQLite would not.
_Name = Annotated[str, _one_line(Staff.__table__.c.real_name)]
_SquadName = Annotated[str, _one_line(Squad.__table__.c.name)]
_Phone = Annotated[str, _one_line(Staff.__table__.c.phone)]
_Address = Annotated[str, _one_line(Staff.__table__.c.address)]
_Contact = Annotated[str, _one_line(Staff.__table__.c.emergency_contact)]


def _employee_number(value: str) -> str:
    # ST-1: full-width "１１０１" is the same person as "1101", never a second one.
    value = normalise_employee_number(value)
    if not is_employee_number(value):
        raise ValueError(_("is not an employee number (letters and digits, at most 20)"))
    return value


# A checked dict rather than a model: no object is made for each row, which halves
# the time a register of 100,000 people takes to check. The reader strips every cell
# already (stripping again would cost a tenth of the check), and leaves empty ones out.
@with_config(ConfigDict(extra="forbid"))
class StaffRow(TypedDict):
    employee_number: Annotated[str, AfterValidator(_employee_number)]
    real_name: _Name
    role: Role
    grade: Grade
    squad: NotRequired[_SquadName]
    status: StaffStatus
    hire_date: date
    phone: NotRequired[_Phone]
    address: NotRequired[_Address]
    emergency_contact: NotRequired[_Contact]


_STAFF_ROW: TypeAdapter[StaffRow] = TypeAdapter(StaffRow)


def import_staff(desk: Desk, actor: Actor | None, path: str | Path, progress: Progress = SILENT) -> ImportResult:
    """Registers or updates staff from a CSV file (ST-1); squads are created by name.

    ``actor=None`` (the system) is allowed only while the register is empty:
    it is how a new centre gets its first people. All the rows are written in
    one transaction: a failure or an interruption leaves the register as it was.
    The rows written are the ones checked, kept packed in between (about the
    file's size in memory): the write holds the lock without reading or checking
    the file again, and a file changed meanwhile changes nothing.
    """
    path = Path(path)
    if actor is None:
        with desk.read() as session:
            _refuse_unless_empty(session)  # before reading the file, to say so at once
    else:
        require(actor, Action.MANAGE_STAFF)

    seen: dict[str, int] = {}

    def check(number: int, row: StaffRow) -> list[str]:
        found: list[str] = []
        employee_number = row["employee_number"]
        decision = check_registration(row["real_name"], employee_number, name_verified=True)
        if not decision.ok:
            found.append(decision.reason)
        first = seen.setdefault(employee_number, number)
        if first != number:
            found.append(
                _("employee number {number} already appears in row {first}").format(number=employee_number, first=first)
            )
        # Directors and inspectors may be filed under a squad or none.
        if "squad" not in row and row["role"] in _IN_A_SQUAD:
            found.append(_("a squad is required for the role {role}").format(role=role_label(row["role"])))
        return found

    kept = Packed(_BATCH)
    total = _validate(
        _STAFF_ROW.validate_python,
        path,
        STAFF_COLUMNS,
        STAFF_REQUIRED,
        check,
        progress,
        lambda row: kept.add(_plain_row(row)),
    )
    progress.stage(_("importing {file}").format(file=path.name), total)
    with desk.write() as session:
        if actor is None:
            _refuse_unless_empty(session)  # again under the write lock: two such imports at once
        conn = session.connection()
        with roomy_cache(conn), marks_once(conn, (_STAFF.name, _AUDIT.name)):
            created, updated = _write_staff(conn, kept, desk.now(), actor, progress)
    return ImportResult(path.name, total, created, updated)


def _refuse_unless_empty(session: Session) -> None:
    if session.execute(select(Staff.id).limit(1)).first() is not None:
        raise PermissionDenied(_("the register is not empty: run the import as a director (--as)"), rule_ids=("ST-1",))


_STAFF = Staff.__table__
_SQUADS = Squad.__table__
_AUDIT = AuditLog.__table__

# What a file gives of a person: what an import writes, and what their audit rows show
# besides the id. The vocabulary is read back as its stored text, as the kept rows hold it.
_PERSON_FIELDS = (
    _STAFF.c.employee_number,
    _STAFF.c.real_name,
    type_coerce(_STAFF.c.role, String).label("role"),
    type_coerce(_STAFF.c.grade, String).label("grade"),
    _STAFF.c.squad_id,
    type_coerce(_STAFF.c.status, String).label("status"),
    _STAFF.c.hire_date,
    _STAFF.c.phone,
    _STAFF.c.address,
    _STAFF.c.emergency_contact,
)
_PERSON = tuple(field.name for field in _PERSON_FIELDS)
# The ones an update may change: a person is found by their number.
_CHANGEABLE = _PERSON[1:]
# A new person's sign-in state, which the file never gives, in the table's order.
_NEW_STAFF = {"failed_pin_count": 0, "locked_until": None, "pin_lockouts": 0, "pin_must_change": False}
_SIGN_IN = tuple(column.key for column in _STAFF.c if column.key not in ("id", *_PERSON))
_SIGN_IN_VALUES = tuple({**_NEW_STAFF, "pin_hash": None}[key] for key in _SIGN_IN)
_AUDITED = ("at", "actor_id", "action", "entity", "entity_id", "before", "after")

# A person's audit document as ``snapshot`` and ``json.dumps`` write it, the members
# filled in from a template: for many people, a quarter of the time a dict and a call each take.
_MEMBERS = ", ".join(f"{json.dumps(name)}: %s" for name in _PERSON)
_REGISTERED = json.dumps(_NEW_STAFF)[:-1] + ", %s, " + '"id": %d}'
_SAVED = '{"id": %d, %s}'


def _person_json(values: Sequence[Any]) -> str:
    """The members of a person's audit document for ``values`` in the order of ``_PERSON``."""
    number, name, role, grade, squad_id, status, hired, phone, address, contact = values
    return _MEMBERS % (
        _json_text(number),
        _json_text(name),
        _json_text(role),
        _json_text(grade),
        "null" if squad_id is None else int(squad_id),
        _json_text(status),
        _json_text(hired.isoformat()),
        _json_text(phone),
        _json_text(address),
        _json_text(contact),
    )


def _plain_row(row: StaffRow) -> tuple[Any, ...]:
    """A checked row as plain values in the order of ``_PERSON``, the squad by name and the date as text."""
    return (
        row["employee_number"],
        row["real_name"],
        row["role"].value,
        row["grade"].value,
        row.get("squad"),
        row["status"].value,
        row["hire_date"].isoformat(),
        row.get("phone", ""),
        row.get("address", ""),
        row.get("emergency_contact", ""),
    )


def _write_staff(
    conn: Connection, kept: Packed, at: datetime, actor: Actor | None, progress: Progress
) -> tuple[int, int]:
    """Writes the kept rows with their audit rows; returns (created, updated)."""
    squads = {name: id_ for id_, name in conn.execute(select(_SQUADS.c.id, _SQUADS.c.name))}
    # Who is registered already, by number: one query rather than one a batch.
    known: dict[str, int] = dict(fetched(conn, select(_STAFF.c.employee_number, _STAFF.c.id)))
    newest = max(known.values(), default=0)
    add_staff = Many(conn, insert(_STAFF), (*_PERSON, *_SIGN_IN))
    # One statement for each set of changed fields: a field left alone is neither
    # written nor checked again (a squad's reference, the index by squad and status).
    change_staff: dict[tuple[str, ...], Many] = {}
    lead_squads = Many(
        conn,
        update(_SQUADS).where(_SQUADS.c.id == bindparam("squad_id"), _SQUADS.c.leader_id.is_(None)),
        ("leader_id", "squad_id"),
    )
    add_audits = Many(conn, insert(_AUDIT), _AUDITED)
    actor_id = actor.staff_id if actor else None
    days: dict[str, date] = {}
    created = updated = 0
    for rows in kept.batches():
        audits: list[tuple[Any, ...]] = []
        names = sorted({row[4] for row in rows if row[4] and row[4] not in squads})
        if names:
            made = conn.execute(
                insert(_SQUADS).returning(_SQUADS.c.id, _SQUADS.c.name), [{"name": name} for name in names]
            ).all()
            squads.update((name, id_) for id_, name in made)
            audits.extend(
                (
                    at,
                    actor_id,
                    "squad.create",
                    "squad",
                    str(id_),
                    "null",
                    json.dumps({"id": id_, "name": name, "leader_id": None}),
                )
                for id_, name in made
            )
        present = [known[row[0]] for row in rows if row[0] in known]
        existing: dict[str, Sequence[Any]] = {}
        if present:
            query = select(_STAFF.c.id, *_PERSON_FIELDS).where(_STAFF.c.id.in_(present))
            existing = {found[1]: found for found in fetched(conn, query)}
        fresh: list[tuple[Any, ...]] = []
        changed: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        changes_audited: list[tuple[Any, ...]] = []
        for number, name, role, grade, squad, status, hired, phone, address, contact in rows:
            day = days.get(hired) or days.setdefault(hired, date.fromisoformat(hired))
            values = (number, name, role, grade, squads[squad] if squad else None, status, day, phone, address, contact)
            found = existing.get(number)
            if found is None:
                fresh.append(values)
            # The values come in the order of the fields after the id: one comparison.
            elif tuple(found[1:]) != values:
                id_ = found[0]
                changes = [(key, new) for key, old, new in zip(_CHANGEABLE, found[2:], values[1:]) if old != new]
                changed.setdefault(tuple(key for key, _new in changes), []).append(
                    (id_, *(new for _key, new in changes))
                )
                changes_audited.append(
                    (
                        at,
                        actor_id,
                        "staff.update",
                        "staff",
                        str(id_),
                        _SAVED % (id_, _person_json(found[1:])),
                        _SAVED % (id_, _person_json(values)),
                    )
                )
                updated += 1
        if fresh:
            add_staff.run([values + _SIGN_IN_VALUES for values in fresh])
            # Ids only grow, so this batch's people are the ones above the highest seen.
            made_ids = fetched(conn, select(_STAFF.c.employee_number, _STAFF.c.id).where(_STAFF.c.id > newest))
            known.update((number, id_) for number, id_ in made_ids)
            newest = max((id_ for _number, id_ in made_ids), default=newest)
            unseen = [values[0] for values in fresh if values[0] not in known]
            if unseen:  # a server's id sequence set back below the highest id: ask by number
                by_number = select(_STAFF.c.employee_number, _STAFF.c.id).where(_STAFF.c.employee_number.in_(unseen))
                known.update((number, id_) for number, id_ in fetched(conn, by_number))
            for values in fresh:
                id_ = known[values[0]]
                audits.append(
                    (
                        at,
                        actor_id,
                        "staff.register",
                        "staff",
                        str(id_),
                        "null",
                        _REGISTERED % (_person_json(values), id_),
                    )
                )
            created += len(fresh)
        for fields, people in changed.items():
            if fields not in change_staff:
                statement = update(_STAFF).where(_STAFF.c.id == bindparam("staff_id"))
                change_staff[fields] = Many(conn, statement, ("staff_id", *fields))
            change_staff[fields].run(people)
        add_audits.run(audits + changes_audited)
        # A squad without a leader gets the first squad leader listed for it.
        leaders: dict[int, int] = {}
        for row in rows:
            if row[2] == Role.SQUAD_LEADER and row[4]:
                leaders.setdefault(squads[row[4]], known[row[0]])
        lead_squads.run([(leader, squad) for squad, leader in leaders.items()])
        progress.advance(len(rows))
    return created, updated


# -- the roster ---------------------------------------------------------------------

ROSTER_COLUMNS = ("employee_number", "date", "shift", "holiday_duty")
ROSTER_REQUIRED = ("employee_number", "date", "shift")


class RosterRow(_Row):
    employee_number: str
    date: date
    shift: ShiftKind
    holiday_duty: bool = False

    @field_validator("shift", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("holiday_duty", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> Any:
        return _truthy(value)


def import_roster(desk: Desk, actor: Actor, path: str | Path, progress: Progress = SILENT) -> ImportResult:
    """Puts people on shifts from a CSV file (one row per person per shift), in one transaction.

    A row for a shift someone already has updates its holiday-duty flag. Squad
    leaders change their own squad's roster; directors everyone's (SC-2).
    """
    path = Path(path)
    require(actor, Action.CHANGE_ROSTER)
    with desk.read() as session:
        people = {
            number: (id_, squad_id, StaffStatus(status))
            for id_, number, squad_id, status in session.execute(
                select(Staff.id, Staff.employee_number, Staff.squad_id, Staff.status)
            )
        }
    seen: dict[tuple[str, date, str], int] = {}
    days: dict[str, set[date]] = {}

    def check(number: int, row: _Row) -> list[str]:
        assert isinstance(row, RosterRow)
        found: list[str] = []
        person = people.get(row.employee_number)
        if person is None:
            found.append(_("employee number {number} is not in the register").format(number=row.employee_number))
        else:
            _id, squad_id, status = person
            if status is StaffStatus.LEFT:
                found.append(_("employee {number} has left (ST-1)").format(number=row.employee_number))
            if actor.role not in DIRECTORS and squad_id != actor.squad_id:
                found.append(
                    _(
                        "employee {number} is not in your squad; a squad leader changes only their own squad's roster"
                    ).format(number=row.employee_number)
                )
        key = (row.employee_number, row.date, row.shift.value)
        first = seen.setdefault(key, number)
        if first != number:
            found.append(
                _("{number} on {date} {shift} already appears in row {first}").format(
                    number=row.employee_number, date=row.date, shift=row.shift.value, first=first
                )
            )
        else:
            days.setdefault(row.employee_number, set()).add(row.date)
        return found

    total = _validate(RosterRow.model_validate, path, ROSTER_COLUMNS, ROSTER_REQUIRED, check, progress)
    warnings = []
    for number, worked in sorted(days.items()):
        decision = check_consecutive_days(worked, desk.policy)
        if not decision.ok:
            warnings.append(_("{number}: {warning}").format(number=number, warning=decision))

    progress.stage(_("importing {file}").format(file=path.name), total)
    created = updated = 0
    with desk.write() as session:
        shifts = ensure_shift_definitions(session, desk.policy)
        for batch in _batches(_parsed(RosterRow, path, ROSTER_COLUMNS, ROSTER_REQUIRED), progress):
            keyed = {}
            for row in batch:
                assert isinstance(row, RosterRow)
                staff_id = people[row.employee_number][0]
                keyed[(staff_id, row.date, shifts[row.shift.value])] = row.holiday_duty
            staff_ids = {k[0] for k in keyed}
            dates = {k[1] for k in keyed}
            existing = {
                (s, d, sh): (id_, duty)
                for id_, s, d, sh, duty in session.execute(
                    select(
                        RosterEntry.id,
                        RosterEntry.staff_id,
                        RosterEntry.work_date,
                        RosterEntry.shift_id,
                        RosterEntry.holiday_duty,
                    ).where(RosterEntry.staff_id.in_(staff_ids), RosterEntry.work_date.in_(dates))
                )
            }
            new_rows = []
            for key, duty in keyed.items():
                if key in existing:
                    id_, old_duty = existing[key]
                    if bool(old_duty) != duty:
                        session.execute(update(RosterEntry).where(RosterEntry.id == id_).values(holiday_duty=duty))
                        updated += 1
                else:
                    new_rows.append({"staff_id": key[0], "work_date": key[1], "shift_id": key[2], "holiday_duty": duty})
            if new_rows:
                session.execute(insert(RosterEntry), new_rows)
                created += len(new_rows)
        # One audit row for the file: a row per roster line would dwarf the roster itself.
        audit(
            session,
            actor,
            "roster.import",
            "roster",
            path.name,
            after={"file": path.name, "rows": total, "created": created, "updated": updated},
        )
    return ImportResult(path.name, total, created, updated, tuple(warnings))


def squad_id_by_name(desk: Desk, name: str) -> int:
    """The id of the squad called ``name``; refuses an unknown name, listing the known ones."""
    with desk.read() as session:
        squads: dict[str, int] = dict(session.execute(select(Squad.name, Squad.id)).all())
    if name in squads:
        return squads[name]
    known = ", ".join(sorted(squads)) or _("none yet")
    raise InvalidInput(_("no squad called {name!r} (squads: {known})").format(name=name, known=known), field="squad")
