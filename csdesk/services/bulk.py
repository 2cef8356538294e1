"""Many rows in one statement, written and read straight through the database driver.

For the imports, where SQLAlchemy's own handling of each row would cost several
times what the database spends storing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Select
from sqlalchemy.sql import ClauseElement


class Many:
    """One statement run for many rows at once, straight through the database driver.

    ``conn.execute(statement, rows)`` spends several times longer on each row than
    SQLite spends storing it. Here the statement is compiled once for the
    connection's database, and each value goes through its column type's own
    conversion, so the driver receives just what SQLAlchemy would have sent. Rows
    must give every value the statement takes: no column defaults are filled in.
    """

    def __init__(self, conn: Connection, statement: ClauseElement, keys: Sequence[str]) -> None:
        dialect = conn.dialect
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
        missing = sorted(set(names) - set(keys))
        if missing:
            raise ValueError(f"no values given for {', '.join(missing)}")
        self._conn = conn
        self._sql = compiled.string
        self._names = names
        self._positional = compiled.positional
        self._values = itemgetter(*names)
        self._converters: list[tuple[int, Callable[[Any], Any], dict[Any, Any], bool]] = []
        for index, name in enumerate(names):
            kind = compiled.binds[name].type
            converter = kind.dialect_impl(dialect).bind_processor(dialect)
            if converter is not None:
                # Vocabulary, dates and times repeat from row to row and are converted once
                # each; a JSON document is converted every time (and cannot be a key).
                self._converters.append((index, converter, {}, isinstance(kind, JSON)))

    def run(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        params: list[Any] = []
        for row in rows:
            values = self._values(row)
            if len(self._names) == 1:
                values = (values,)
            if self._converters:
                values = list(values)
                for index, converter, known, document in self._converters:
                    value = values[index]
                    if document and value is not None:
                        values[index] = converter(value)
                    elif value in known:
                        values[index] = known[value]
                    else:
                        values[index] = known[value] = converter(value)
            params.append(tuple(values) if self._positional else dict(zip(self._names, values, strict=True)))
        self._conn.exec_driver_sql(self._sql, params)


def fetched(conn: Connection, statement: Select[Any]) -> list[list[Any]]:
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
        rows = [list(row) for row in cursor.fetchall()]
    finally:
        cursor.close()
    for index, convert, known in converters:
        for row in rows:
            value = row[index]
            if value not in known:
                known[value] = convert(value)
            row[index] = known[value]
    return rows
