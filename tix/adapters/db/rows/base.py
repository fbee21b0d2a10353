"""The declarative base, with a naming convention so Alembic names constraints stably."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Integer, MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigSerial = BigInteger().with_variant(Integer(), "sqlite")
Id = String(36)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(row_class: type[Base]) -> Table:
    """A mapped class's table, typed as the Table it is (for Core inserts of new rows)."""
    return row_class.__table__  # type: ignore[return-value]


def check_named(row_class: type[Base], name: str) -> str:
    """The name in the database of a row's CHECK constraint (`name` as the row class
    declares it), as its violations report it."""
    return next(str(c.name) for c in table_of(row_class).constraints
                if isinstance(c, CheckConstraint) and str(c.name).endswith(f"_{name}"))
