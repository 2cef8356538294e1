"""Column types and metadata conventions shared by every table.

Two choices here matter for every model:

* Times are stored as UTC and always come back timezone-aware, on SQLite too.
  A naive datetime is refused at write time, because a naive value is a bug
  (whose local time was it?) that would otherwise surface weeks later as a
  late arrival that never happened.
* Vocabulary enums are stored as their string *values* (``"squad_leader"``),
  the same strings exports use, instead of SQLAlchemy's default of storing
  enum member names.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Named constraints let Alembic's batch mode (SQLite table rebuilds) find and
# change them later; unnamed ones cannot be dropped or altered by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata = SQLModel.metadata


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is UTC in the database and aware in Python."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: pass a timezone-aware time")
        value = value.astimezone(UTC)
        # SQLite has no timezone type; storing the naive UTC value keeps text
        # ordering equal to time ordering, which the paged lists rely on.
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EnumText(TypeDecorator[StrEnum]):
    """A vocabulary enum stored as its plain string value."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int = 32) -> None:
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        # Raises ValueError for a string outside the vocabulary, so a typo
        # never reaches the database.
        return self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect: Any) -> StrEnum | None:
        if value is None:
            return None
        return self.enum_class(value)

    def __repr__(self) -> str:
        return f"EnumText({self.enum_class.__name__}, length={getattr(self.impl_instance, 'length', None)})"


def aware_field(*, nullable: bool = False, index: bool = False, **kwargs: Any) -> Any:
    """A UTC timestamp column; ``nullable`` times default to None."""
    if nullable:
        kwargs.setdefault("default", None)
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index, **kwargs)


def enum_field(enum_class: type[StrEnum], *, nullable: bool = False, **kwargs: Any) -> Any:
    """A vocabulary column stored as the enum's string value."""
    if nullable:
        kwargs.setdefault("default", None)
    return Field(sa_type=EnumText(enum_class), nullable=nullable, **kwargs)


def json_field(**kwargs: Any) -> Any:
    """A JSON document column (dicts and lists of plain values)."""
    return Field(sa_type=JSON, **kwargs)
