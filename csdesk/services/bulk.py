"""Many rows in one statement, written and read straight through the database driver.

For the imports, where SQLAlchemy's own handling of each row would cost several
times what the database spends storing it.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Select
from sqlalchemy.sql import ClauseElement


class Many:
    """One statement run for many rows at once, straight through the database driver.

    ``conn.execute(statement, rows)`` spends several times longer on each row than
    SQLite spends storing it. Here the statement is compiled once for the
    connection's database, and each value goes through its column type's own
    conversion, so the driver receives just what SQLAlchemy would have sent.

    Each row is a sequence of values in the order of ``keys``, and must give every
    value the statement takes: no column defaults are filled in. A JSON column's
    value comes as its JSON text, as ``json.dumps`` writes it (``"null"`` for
    None), which is what the column's own conversion would have made of it: the
    caller encodes many alike documents faster than one call each can.
    """

    def __init__(self, conn: Connection, statement: ClauseElement, keys: Sequence[str]) -> None:
        dialect = conn.dialect
        if getattr(dialect, "_json_serializer", None) is not None:
            raise ValueError("the engine encodes JSON its own way; documents given as text would differ")
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
        missing = sorted(set(names) - set(keys))
        if missing:
            raise ValueError(f"no values given for {', '.join(missing)}")
        self._conn = conn
        self._sql = compiled.string
        self._names = names
        self._positional = compiled.positional
        # Rows already in the statement's order are passed on as they are.
        order = [list(keys).index(name) for name in names]
        self._pick: Callable[[Sequence[Any]], Any] | None = None
        if order != list(range(len(keys))):
            pick = itemgetter(*order)
            self._pick = (lambda row: (pick(row),)) if len(order) == 1 else pick
        # Vocabulary, dates and times repeat from row to row: each is converted once.
        self._converters: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
        for index, name in enumerate(names):
            kind = compiled.binds[name].type
            converter = kind.dialect_impl(dialect).bind_processor(dialect)
            if converter is not None and not isinstance(kind, JSON):
                self._converters.append((index, converter, {}))

    def run(self, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        pick, converters = self._pick, self._converters
        params: list[Any] = []
        for row in rows:
            values = list(row if pick is None else pick(row))
            for index, converter, known in converters:
                value = values[index]
                if value in known:
                    values[index] = known[value]
                else:
                    values[index] = known[value] = converter(value)
            params.append(tuple(values) if self._positional else dict(zip(self._names, values, strict=True)))
        self._conn.exec_driver_sql(self._sql, params)


class Packed:
    """Rows of plain values (text, whole numbers, None) kept from checking a file to
    writing it, packed a batch at a time (``marshal``): about the file's own size in
    memory, and the write reads neither the file nor its checks again."""

    def __init__(self, batch: int) -> None:
        self._size = batch
        self._packed: list[bytes] = []
        self._open: list[tuple[Any, ...]] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self._open.append(row)
        if len(self._open) >= self._size:
            self._packed.append(marshal.dumps(self._open))
            self._open = []

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        """The rows a batch at a time, in the order they were added."""
        for packed in self._packed:
            yield marshal.loads(packed)
        if self._open:
            yield self._open


def fetched(conn: Connection, statement: Select[Any]) -> Sequence[Sequence[Any]]:
    """The rows of ``statement``, read straight from the driver as ``Many`` writes them,
    each value converted by its column type's own conversion (once per distinct value).

    Its parameters are passed as they are: numbers and text, which need no conversion.
    """
    dialect = conn.dialect
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    given = compiled.construct_params()
    params: Any = tuple(given[name] for name in compiled.positiontup or ()) if compiled.positional else given
    converters: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = [
        (index, converter, {})
        for index, column in enumerate(statement.selected_columns)
        if (converter := column.type.dialect_impl(dialect).result_processor(dialect, None)) is not None
    ]
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        read = cursor.fetchall()
    finally:
        cursor.close()
    if not converters:
        return read
    rows = [list(row) for row in read]
    for index, convert, known in converters:
        for row in rows:
            value = row[index]
            if value not in known:
                known[value] = convert(value)
            row[index] = known[value]
    return rows


@contextmanager
def roomy_cache(conn: Connection, mebibytes: int = 16) -> Iterator[None]:
    """A larger SQLite page cache on ``conn`` while the block runs; nothing on other databases.

    With SQLite's default of 2 MB, writing 100,000 people and their audit rows keeps
    evicting the pages of the indexes being filled and reading them back; this much
    holds them, for a tenth less work in SQLite.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.dbapi_connection
    assert driver is not None
    (before,) = driver.execute("PRAGMA cache_size").fetchone()
    driver.execute(f"PRAGMA cache_size = {-1024 * mebibytes}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def marks_once(conn: Connection, tables: Sequence[str]) -> Iterator[None]:
    """Each of ``tables``' change marks moved once for the block, not once per row written.

    On SQLite the marks are bumped by row triggers (``csdesk.migrations.change_feed``),
    which for 100,000 people and their audit rows cost a third of the import. The block
    runs with those triggers dropped, then the marks are bumped and the triggers put back
    from their own stored text, all in the writing transaction: another desk sees either
    none of it or all of it, marks included, and no other writer can slip in meanwhile.
    PostgreSQL's triggers fire once per statement already: nothing to do there.
    """
    from csdesk.db import MARKS_TABLE

    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.dbapi_connection
    assert driver is not None
    marks = ", ".join("?" * len(tables))
    triggers = driver.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_changed_*' "
        f"AND tbl_name IN ({marks})",
        tuple(tables),
    ).fetchall()
    for name, _sql in triggers:
        driver.execute(f'DROP TRIGGER "{name}"')
    # Not put back if the block fails: its transaction must then be undone, which puts the
    # triggers back with everything else (SQLite's schema changes are transactional). Doing
    # it here could only hide the failure behind "trigger already exists" once SQLite has
    # rolled the transaction back by itself (a full disk does).
    yield
    driver.execute(f"UPDATE {MARKS_TABLE} SET version = version + 1 WHERE name IN ({marks})", tuple(tables))
    for _name, sql in triggers:
        driver.execute(sql)
