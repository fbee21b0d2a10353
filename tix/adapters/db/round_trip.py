"""The end of a sale on PostgreSQL: its new order, its tickets (a sale at the counter), its
outbox messages, the stock decrement (or the use of a hold) and the COMMIT in one message
to the server.

Every buyer of a ticket type queues on its stock row's lock, which is held from the
decrement to the end of the commit. Sent one after the other, the lock would also be held
while the decrement's reply travels to us and the COMMIT travels back — and while this
process gets round to sending it: a thread that loses the interpreter lock in between
(a busy box office, a collection) kept every other buyer waiting. So the statements go
as one simple-protocol query, their values bound here by psycopg's client-side cursor,
and the server runs them back to back to the COMMIT without waiting for us.

Nothing may be committed when too few tickets are left: so the decrement fails when it
took nothing (a division by the number of rows it updated), which aborts the transaction,
and the server skips the rest of the query, COMMIT included. Using up a hold that is no
longer active fails the same way, and so does an order number already taken.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import exc
from sqlalchemy.orm import Session

from tix.core.orders.model import OrderNumberTaken

Rows = list[tuple[str, dict[str, Any]]]  # (table, the new row's values), inserted in order


def _insert(cursor: psycopg.ClientCursor[Any], table: str, row: dict[str, Any]) -> str:
    """INSERT of one new row, its columns those of the values given (the table's own)."""
    columns = ", ".join(row)
    values = ", ".join(f"%({column})s" for column in row)
    return cursor.mogrify(f"INSERT INTO {table} ({columns}) VALUES ({values})", row)


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
"""


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


_TAKE = """
WITH taken AS (
    UPDATE stock SET available = available - %(quantity)s
    WHERE ticket_type_id = %(ticket_type_id)s AND available >= %(quantity)s
    RETURNING 1
)
SELECT 1 / (SELECT count(*)::int FROM taken)
"""


_USE_HOLD = """
WITH used AS (
    UPDATE holds SET status = 'CONVERTED' WHERE id = %(hold_id)s AND status = 'ACTIVE'
    RETURNING 1
)
SELECT 1 / (SELECT count(*)::int FROM used)
"""


_GIVE_BACK = """
UPDATE stock SET available = available + %(quantity)s WHERE ticket_type_id = %(ticket_type_id)s
"""


def give_back_and_commit_in_one_round_trip(session: Session, quantities: Mapping[str, int],
                                           *, rows: Rows) -> None:
    """The new rows, the increments (in a fixed order: two such transactions never wait
    on each other crosswise) and the COMMIT, sent together."""
    given_back = [(_GIVE_BACK, {"ticket_type_id": type_id, "quantity": quantity})
                  for type_id, quantity in sorted(quantities.items())]
    _commit_in_one_round_trip(session, given_back, rows=rows)


def take_and_commit_in_one_round_trip(session: Session, ticket_type_id: str, quantity: int,
                                      *, rows: Rows, tickets: list[NumberedTickets]) -> bool:
    """True when the tickets were taken and the transaction committed; False when fewer
    were left (the transaction is then aborted and must be rolled back)."""
    return _commit_in_one_round_trip(
        session, [(_TAKE, {"quantity": quantity, "ticket_type_id": ticket_type_id})],
        rows=rows, tickets=tickets)


def use_hold_and_commit_in_one_round_trip(session: Session, hold_id: str, *, rows: Rows,
                                          tickets: list[NumberedTickets]) -> bool:
    """True when the hold was used up and the transaction committed; False when it was no
    longer active (the transaction is then aborted and must be rolled back)."""
    return _commit_in_one_round_trip(session, [(_USE_HOLD, {"hold_id": hold_id})],
                                     rows=rows, tickets=tickets)


def _commit_in_one_round_trip(session: Session, last: list[tuple[str, dict[str, Any]]], *,
                              rows: Rows, tickets: list[NumberedTickets] | None = None
                              ) -> bool:
    """The new rows, the tickets (which refer to the new order among them), then the
    `last` statements (a condition among them divides by zero when it changed nothing),
    then COMMIT, sent as one query."""
    driver: psycopg.Connection[Any] = session.connection().connection.driver_connection  # type: ignore[assignment]
    failure: psycopg.Error | None = None
    try:
        with psycopg.ClientCursor(driver) as cursor:
            query = ";\n".join([
                *(_insert(cursor, table, row) for table, row in rows),
                *(_issue(cursor, batch) for batch in tickets or []),
                *(cursor.mogrify(sql, params) for sql, params in last), "COMMIT"])
            cursor.execute(query.encode(), prepare=False)
    except psycopg.Error as error:
        failure = error
    if failure is None:
        return True
    if isinstance(failure, psycopg.errors.DivisionByZero):
        return False
    if isinstance(failure, psycopg.errors.UniqueViolation) \
            and "number" in (failure.diag.constraint_name or ""):
        raise OrderNumberTaken() from failure
    # a lock timeout, a lost connection: raised as SQLAlchemy raises them, for translation
    statement, params = last[-1]
    raise exc.DBAPIError.instance(statement, params, failure, psycopg.Error) from failure
