"""Small SQL helpers both databases need."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, String, Table, any_, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_duplicates(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    first_column = next(iter(table.primary_key.columns))
    # RETURNING tells for sure: rowcount of a skipped INSERT is not reliable on every driver.
    # The values go as parameters, so the statement is compiled once and cached.
    statement = module.insert(table).on_conflict_do_nothing().returning(first_column)
    return session.execute(statement, values).first() is not None


def insert_many_ignoring_duplicates(session: Session, table: Table,
                                    rows: list[dict[str, Any]]) -> list[Any]:
    """One multi-row INSERT … ON CONFLICT DO NOTHING; the keys of the rows inserted."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    first_column = next(iter(table.primary_key.columns))
    # executemany with RETURNING: SQLAlchemy sends it as one "insertmanyvalues" statement
    # whose compiled form is cached, unlike .values(rows)
    statement = module.insert(table).on_conflict_do_nothing().returning(first_column)
    return list(session.scalars(statement, rows))


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def in_batches(session: Session, statement: Select[Any], batch: int
               ) -> Iterator[Sequence[Row[Any]]]:
    """The rows of a SELECT `batch` at a time, never all at once: on PostgreSQL through a
    server-side cursor (the session may run other queries between batches), on SQLite
    the cursor steps through the file. For exports of any size in constant memory."""
    # on the session's connection, not through the ORM: plain rows, a third cheaper each
    connection = session.connection()
    driver = connection.connection.driver_connection
    # a read-only work runs without a transaction on PostgreSQL, and a server-side cursor
    # lives in one: a transaction of its own for the cursor's life
    autocommit = is_postgres(session) and getattr(driver, "autocommit", False)
    with driver.transaction() if autocommit else nullcontext():  # type: ignore[union-attr]
        yield from connection.execute(statement.execution_options(
            stream_results=True, max_row_buffer=batch)).partitions(batch)


def one_of(session: Session, column: Any, values: Sequence[str]) -> ColumnElement[bool]:
    """`column IN (values)`; on PostgreSQL `column = ANY(:array)`: one parameter however
    many values, so an export's batch of a thousand ids is not compiled a thousand binds
    at a time (a third of its time)."""
    result: ColumnElement[bool] = (
        column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(String())))
        if is_postgres(session) else column.in_(values))
    return result
