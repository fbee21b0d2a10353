"""The end of a sale on PostgreSQL: its new order, its outbox messages, the stock decrement
(or the use of a hold) and the COMMIT in one message to the server.

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

from collections.abc import Mapping
from typing import Any

import psycopg
from sqlalchemy import exc
from sqlalchemy.orm import Session

from tix.core.orders.model import OrderNumberTaken

_ORDER_COLUMNS = ("id", "number", "user_id", "event_id", "ticket_type_id", "quantity",
                  "unit_price", "currency", "tender", "holders", "status", "step",
                  "payment_reference", "failure_reason", "created_at", "completed_at",
                  "cancelled_at", "refunded_amount", "tendered_amount", "taken_by")
_ADD_ORDER = (f"INSERT INTO orders ({', '.join(_ORDER_COLUMNS)}) "
              f"VALUES ({', '.join(f'%({c})s' for c in _ORDER_COLUMNS)})")

_WRITE_MESSAGE = """
INSERT INTO outbox (id, name, payload, created_at, available_at, attempts)
VALUES (%(id)s, %(name)s, %(payload)s, %(created_at)s, %(available_at)s, %(attempts)s)
"""

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
                                           *, messages: list[dict[str, Any]]) -> None:
    """The messages, the increments (in a fixed order: two such transactions never wait
    on each other crosswise) and the COMMIT, sent together."""
    given_back = [(_GIVE_BACK, {"ticket_type_id": type_id, "quantity": quantity})
                  for type_id, quantity in sorted(quantities.items())]
    _commit_in_one_round_trip(session, given_back, order=None, messages=messages)


def take_and_commit_in_one_round_trip(session: Session, ticket_type_id: str, quantity: int,
                                      *, order: dict[str, Any] | None,
                                      messages: list[dict[str, Any]]) -> bool:
    """True when the tickets were taken and the transaction committed; False when fewer
    were left (the transaction is then aborted and must be rolled back)."""
    return _commit_in_one_round_trip(
        session, [(_TAKE, {"quantity": quantity, "ticket_type_id": ticket_type_id})],
        order=order, messages=messages)


def use_hold_and_commit_in_one_round_trip(session: Session, hold_id: str, *,
                                          order: dict[str, Any],
                                          messages: list[dict[str, Any]]) -> bool:
    """True when the hold was used up and the transaction committed; False when it was no
    longer active (the transaction is then aborted and must be rolled back)."""
    return _commit_in_one_round_trip(session, [(_USE_HOLD, {"hold_id": hold_id})],
                                     order=order, messages=messages)


def _commit_in_one_round_trip(session: Session, last: list[tuple[str, dict[str, Any]]], *,
                              order: dict[str, Any] | None,
                              messages: list[dict[str, Any]]) -> bool:
    """The order and messages, then the `last` statements (a condition among them divides
    by zero when it changed nothing), then COMMIT, sent as one query."""
    driver: psycopg.Connection[Any] = session.connection().connection.driver_connection  # type: ignore[assignment]
    failure: psycopg.Error | None = None
    statements = ([(_ADD_ORDER, order)] if order is not None else []) \
        + [(_WRITE_MESSAGE, message) for message in messages] + last
    try:
        with psycopg.ClientCursor(driver) as cursor:
            query = ";\n".join([*(cursor.mogrify(sql, params) for sql, params in statements),
                                "COMMIT"])
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
