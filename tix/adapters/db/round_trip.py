"""The commit of a unit of work that ends a sale, on PostgreSQL: its new rows (the order,
audit entries, outbox messages), its tickets (a sale at the counter), its intents (the
stock decrement, the use of a hold, tickets given back) and the COMMIT in one message to
the server.

Every buyer of a ticket type queues on its stock row's lock, which is held from the
decrement to the end of the commit. Sent one after the other, the lock would also be held
while the decrement's reply travels to us and the COMMIT travels back — and while this
process gets round to sending it: a thread that loses the interpreter lock in between
(a busy box office, a collection) kept every other buyer waiting. So the statements go
as one simple-protocol query, their values bound here by psycopg's client-side cursor,
and the server runs them back to back to the COMMIT without waiting for us.

Nothing may be committed when a conditional intent changes nothing (too few tickets
left, the hold no longer active): its statement then fails — a cast of a text naming the
intent, which aborts the transaction — and the server skips the rest of the query,
COMMIT included. A take from stock, a quota or a code's uses goes as a plain decrement,
which the row's CHECK (never below zero) fails the same way; an order number already
taken too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import Select, Table, exc, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from tix.adapters.db.intents import IntentStatement
from tix.core.intents import IntentRefused
from tix.core.orders.model import OrderNumberTaken

Rows = list[tuple[Table, dict[str, Any]]]  # (table, the new row's values), inserted in order


def _inserts(cursor: psycopg.ClientCursor[Any], dialect: Dialect, rows: Rows) -> list[str]:
    """The INSERTs of the new rows, in order; rows next to each other of one table and
    the same columns (a basket's order lines) are one multi-row INSERT: a statement for
    the server to parse and run instead of one a line."""
    statements: list[str] = []
    last: tuple[str, tuple[str, ...]] | None = None
    for table, row in rows:
        key = (table.name, tuple(row))
        head, values = _compiled_insert(dialect, table, key)
        if key == last:
            statements[-1] += ", " + cursor.mogrify(values, row)
        else:
            statements.append(head + cursor.mogrify(values, row))
        last = None if " RETURNING " in values else key  # only plain VALUES lists join
    return statements


def _compiled_insert(dialect: Dialect, table: Table,
                     key: tuple[str, tuple[str, ...]]) -> tuple[str, str]:
    """An INSERT's head ("INSERT INTO t (a, b) VALUES ") and its row's placeholders,
    compiled from the table's definition for the columns given (once per table and set
    of columns: a sale's rows have the same ones every time)."""
    known = _compiled.get(key)
    if known is None:
        sql = str(insert(table).compile(dialect=dialect, column_keys=list(key[1])))
        head, values = sql.split(" VALUES ", 1)
        known = _compiled[key] = (f"{head} VALUES ", values)
    return known


_compiled: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}


# The event's counter gives the numbers (its row locked to the COMMIT, as the stock row
# is); each ticket is numbered from it by its place in the batch. The rows travel as one
# JSON value: one parameter to quote instead of eleven a ticket.
_ISSUE_TICKETS = """
WITH numbers AS (
    INSERT INTO ticket_numbers (event_id, issued) VALUES (%(event_id)s, %(count)s)
    ON CONFLICT (event_id) DO UPDATE SET issued = ticket_numbers.issued + EXCLUDED.issued
    RETURNING issued - %(count)s AS before
)
INSERT INTO tickets (id, number, sequence, event_id, order_id, seat, user_id,
                     ticket_type_id, holder, qr_payload, status, created_at)
SELECT t.id, %(prefix)s || lpad((numbers.before + t.place)::text,
                                greatest(6, length((numbers.before + t.place)::text)), '0'),
       numbers.before + t.place, t.event_id, t.order_id, t.seat, t.user_id,
       t.ticket_type_id, t.holder, t.qr_payload, t.status, t.created_at
FROM numbers, jsonb_to_recordset(%(rows)s::jsonb) AS t(
    place int, id text, event_id text, order_id text, seat int, user_id text,
    ticket_type_id text, holder text, qr_payload text, status text, created_at timestamptz)
RETURNING tickets.id AS issued_ticket, tickets.number AS issued_number
"""
_ISSUED = (b"issued_ticket", b"issued_number")  # the columns of what _ISSUE_TICKETS returns


@dataclass(frozen=True)
class NumberedTickets:
    """New tickets of one event, to be numbered by its counter as they are stored."""

    event_id: str
    event_number: int
    rows: list[dict[str, Any]]  # every column but number and sequence


def _issue(cursor: psycopg.ClientCursor[Any], batch: NumberedTickets) -> str:
    rows = [{**row, "place": place, "created_at": row["created_at"].isoformat()}
            for place, row in enumerate(batch.rows, start=1)]
    return cursor.mogrify(_ISSUE_TICKETS, {
        "event_id": batch.event_id, "count": len(rows), "rows": json.dumps(rows),
        "prefix": f"E{batch.event_number}-"})


def _intent(cursor: psycopg.ClientCursor[Any], dialect: Dialect, place: int,
            step: IntentStatement) -> str:
    """An intent's statement; a conditional one fails, naming its place, when it changed
    no row (the failing text is built from the count, so the planner cannot fold it) —
    or, with a plain form refused by its row's CHECK constraint, is sent in that form."""
    statement = step.checked.statement if step.checked is not None else step.statement
    known = _compiled_statements.get(id(statement))
    if known is None:
        compiled = statement.compile(dialect=dialect)
        # the statement's own literals (a status to set) are parameters of the compiled form
        known = _compiled_statements[id(statement)] = (str(compiled), {
            name: value for name, value in compiled.params.items() if value is not None})
    sql, literals = known
    if step.conditional and step.checked is None:
        found = sql if isinstance(step.statement, Select) else f"{sql} RETURNING 1"
        sql = (f"WITH changed AS ({found}) SELECT CASE WHEN count(*) = 0 THEN "
               f"('{_REFUSED}' || {place} || ':' || count(*))::int END FROM changed")
    return cursor.mogrify(sql, {**literals, **step.params})


# the intents' statements are module constants: compiled once each, with their literals
_compiled_statements: dict[int, tuple[str, dict[str, Any]]] = {}
_REFUSED = "tix-intent-refused:"
_REFUSED_AT = re.compile(re.escape(_REFUSED) + r"(\d+):")


def _refused_by_check(failure: psycopg.Error,
                      intents: list[IntentStatement]) -> IntentStatement | None:
    """The intent sent in its plain form that the CHECK constraint refused: the one whose
    row the violation's failing row names (the first of that constraint's, should the
    server not say)."""
    candidates = [(step, step.checked) for step in intents if step.checked is not None
                  and step.checked.constraint == failure.diag.constraint_name]
    failing_row = failure.diag.message_detail or ""
    named = [step for step, checked in candidates
             if str(step.params[checked.key]) in failing_row]
    found = named or [step for step, _ in candidates]
    return found[0] if found else None


def commit_in_one_round_trip(session: Session, *, rows: Rows, tickets: list[NumberedTickets],
                             intents: list[IntentStatement]) -> dict[str, str]:
    """The new rows, the intents, the tickets (which refer to the new order among them),
    then COMMIT, sent as one query; returns the tickets' numbers by id. Raises
    IntentRefused or OrderNumberTaken when nothing was committed (the transaction is then
    aborted and must be rolled back)."""
    dialect = session.get_bind().dialect
    driver: psycopg.Connection[Any] = session.connection().connection.driver_connection  # type: ignore[assignment]
    failure: psycopg.Error | None = None
    try:
        with psycopg.ClientCursor(driver) as cursor:
            query = ";\n".join([
                *_inserts(cursor, dialect, rows),
                # the intents (a till, a hold, then the contended rows), then the tickets:
                # their numbers come from the event's counter row, as contended as the
                # stock, so it is locked last, with nothing of one buyer's after it
                *(_intent(cursor, dialect, place, step) for place, step in enumerate(intents)),
                *(_issue(cursor, batch) for batch in tickets),
                "COMMIT"])
            cursor.execute(query.encode(), prepare=False)
            numbers: dict[str, str] = {}
            while True:  # a result per statement: the tickets' are the numbers
                # told by the raw result's column names: cursor.description would build
                # column objects for every statement's result, to be looked at once
                result = cursor.pgresult
                if result is not None and result.nfields == len(_ISSUED) \
                        and (result.fname(0), result.fname(1)) == _ISSUED:
                    numbers.update(cursor.fetchall())
                if not cursor.nextset():
                    break
    except psycopg.Error as error:
        failure = error
    if failure is None:
        return numbers
    refused = _REFUSED_AT.search(str(failure)) \
        if isinstance(failure, psycopg.errors.InvalidTextRepresentation) else None
    if refused is not None:
        raise IntentRefused(intents[int(refused.group(1))].intent) from None
    checked = _refused_by_check(failure, intents) \
        if isinstance(failure, psycopg.errors.CheckViolation) else None
    if checked is not None:
        raise IntentRefused(checked.intent) from None
    if isinstance(failure, psycopg.errors.UniqueViolation) \
            and "orders_number" in (failure.diag.constraint_name or ""):
        raise OrderNumberTaken() from failure
    # a lock timeout, a lost connection: raised as SQLAlchemy raises them, for translation
    raise exc.DBAPIError.instance("COMMIT", {}, failure, psycopg.Error) from failure
