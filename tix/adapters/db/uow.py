"""The SQL unit of work: one transaction, the repositories bound to it, and the outbox.

Repositories are built on first use, and their modules imported then: a command that
only reads sessions does not load (nor configure the mappers of) every table of tix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy import exc
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.engine import domain_error, pool_exhausted, translated_errors
from tix.adapters.db.sql import is_postgres
from tix.adapters.db.stock_commit import NumberedTickets, Rows
from tix.adapters.queue.outbox import (
    mark_delivered,
    mark_processed,
    outbox_rows,
    write_messages,
)
from tix.core.clock import Clock
from tix.core.messages import Message
from tix.core.orders.model import Order
from tix.core.tickets.model import Ticket

if TYPE_CHECKING:
    from tix.adapters.db.repositories.accounts import SqlAccountTokens, SqlSessions, SqlUsers
    from tix.adapters.db.repositories.audit import SqlAuditLog
    from tix.adapters.db.repositories.catalog import SqlCatalog
    from tix.adapters.db.repositories.inventory import SqlHolds, SqlStock
    from tix.adapters.db.repositories.notifications import SqlNotifications
    from tix.adapters.db.repositories.orders import SqlOrders
    from tix.adapters.db.repositories.tickets import SqlTickets


class SqlUnitOfWork:
    session: Session

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, cipher: FieldCipher, *,
                 readonly: bool = False) -> None:
        self._sessions = sessions
        self._clock = clock
        self.cipher = cipher  # repositories that keep personal data encrypt with it
        self._readonly = readonly
        self._messages: list[Message] = []

    # -- repositories (one per core module's storage port) -------------------------------

    @cached_property
    def users(self) -> SqlUsers:
        from tix.adapters.db.repositories.accounts import SqlUsers

        return SqlUsers(self.session, self.cipher)

    @cached_property
    def account_tokens(self) -> SqlAccountTokens:
        from tix.adapters.db.repositories.accounts import SqlAccountTokens

        return SqlAccountTokens(self.session)

    @cached_property
    def sessions(self) -> SqlSessions:
        from tix.adapters.db.repositories.accounts import SqlSessions

        return SqlSessions(self.session)

    @cached_property
    def notifications(self) -> SqlNotifications:
        from tix.adapters.db.repositories.notifications import SqlNotifications

        return SqlNotifications(self.session, self.cipher)

    @cached_property
    def catalog(self) -> SqlCatalog:
        from tix.adapters.db.repositories.catalog import SqlCatalog

        return SqlCatalog(self.session)

    @cached_property
    def stock(self) -> SqlStock:
        from tix.adapters.db.repositories.inventory import SqlStock

        return SqlStock(self.session)

    @cached_property
    def audit(self) -> SqlAuditLog:
        from tix.adapters.db.repositories.audit import SqlAuditLog

        return SqlAuditLog(self.session, self.cipher)

    @cached_property
    def holds(self) -> SqlHolds:
        from tix.adapters.db.repositories.inventory import SqlHolds

        return SqlHolds(self.session)

    @cached_property
    def orders(self) -> SqlOrders:
        from tix.adapters.db.repositories.orders import SqlOrders

        return SqlOrders(self.session, self.cipher)

    @cached_property
    def tickets(self) -> SqlTickets:
        from tix.adapters.db.repositories.tickets import SqlTickets

        return SqlTickets(self.session, self.cipher)

    # -- the transaction -----------------------------------------------------------------

    def __enter__(self) -> Self:
        self.session = self._sessions()
        if self._readonly:
            with translated_errors():
                self.session.connection(execution_options={"tix_readonly": True})
        self._messages = []
        self._tickets_to_issue: list[tuple[list[Ticket], int]] = []
        return self

    def __exit__(self, exc_type: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.session.rollback()  # a no-op after commit; undoes anything uncommitted
            self.session.close()
        except exc.DBAPIError:
            pass  # the connection is already gone; the original error says why
        if isinstance(error, exc.TimeoutError):
            raise pool_exhausted() from error
        if isinstance(error, exc.DBAPIError):
            translated = domain_error(error)
            if translated is not None:
                raise translated from error

    def publish(self, *messages: Message) -> None:
        self._messages.extend(messages)

    def issue_tickets(self, tickets: list[Ticket], event_number: int) -> None:
        self._tickets_to_issue.append((tickets, event_number))

    def flush(self) -> None:
        """Write what the work so far recorded: tickets to issue, audit entries, messages."""
        for tickets, event_number in self._tickets_to_issue:
            self.tickets.add_numbered(tickets, event_number)
        self._tickets_to_issue.clear()
        if "audit" in self.__dict__:  # built only if the work wrote an entry
            self.audit.flush()
        write_messages(self.session, self._messages, self._clock.now(), self.cipher)
        self._messages.clear()

    def commit(self) -> None:
        self.flush()
        self.session.commit()

    def take_and_commit(self, ticket_type_id: str, quantity: int, *,
                        new_order: Order | None = None) -> bool:
        if is_postgres(self.session):
            from tix.adapters.db.stock_commit import take_and_commit_in_one_round_trip

            taken = take_and_commit_in_one_round_trip(
                self.session, ticket_type_id, quantity, rows=self._new_rows(new_order),
                tickets=self._tickets_as_rows())
        else:  # SQLite: the transaction already holds the database's only write lock
            if new_order is not None:
                self.orders.add(new_order)
            self.flush()
            taken = self.stock.take(ticket_type_id, quantity)
        if not taken:
            self.session.rollback()
            return False
        self.session.commit()  # on PostgreSQL, the bookkeeping of a commit already made
        return True

    def give_back_and_commit(self, quantities: Mapping[str, int]) -> None:
        if is_postgres(self.session):
            from tix.adapters.db.stock_commit import give_back_and_commit_in_one_round_trip

            give_back_and_commit_in_one_round_trip(self.session, quantities,
                                                   rows=self._new_rows(None))
        else:
            self.flush()
            for ticket_type_id, quantity in sorted(quantities.items()):
                self.stock.give_back(ticket_type_id, quantity)
        self.session.commit()  # on PostgreSQL, the bookkeeping of a commit already made

    def use_hold_and_commit(self, hold_id: str, *, new_order: Order) -> bool:
        if is_postgres(self.session):
            from tix.adapters.db.stock_commit import use_hold_and_commit_in_one_round_trip

            used = use_hold_and_commit_in_one_round_trip(
                self.session, hold_id, rows=self._new_rows(new_order),
                tickets=self._tickets_as_rows())
        else:
            used = self.holds.convert(hold_id)
            if used:
                self.orders.add(new_order)
                self.flush()
        if not used:
            self.session.rollback()
            return False
        self.session.commit()  # on PostgreSQL, the bookkeeping of a commit already made
        return True

    def _tickets_as_rows(self) -> list[NumberedTickets]:
        """The tickets to issue, as rows for a statement of our own (and forgotten)."""
        batches = [NumberedTickets(tickets[0].event_id, event_number,
                                   [self.tickets.row_values(t) for t in tickets])
                   for tickets, event_number in self._tickets_to_issue if tickets]
        self._tickets_to_issue.clear()
        return batches

    def _new_rows(self, new_order: Order | None) -> Rows:
        """The order, audit entries and published messages of this work, as rows for a
        statement of our own (and forgotten here)."""
        rows: Rows = [] if new_order is None else [
            ("orders", self.orders.row_values(new_order))]
        if "audit" in self.__dict__:
            rows += [("audit_entries", row) for row in self.audit.take_new()]
        rows += [("outbox", row)
                 for row in outbox_rows(self._messages, self._clock.now(), self.cipher)]
        self._messages.clear()
        return rows

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Work that may fail on its own: undone alone, with the messages it published."""
        self.flush()  # what was published before stays, even if the work inside flushes
        nested = self.session.begin_nested()
        try:
            yield
            self.flush()  # tickets to issue too: their failure is this work's
        except BaseException:
            nested.rollback()
            self._messages.clear()
            self._tickets_to_issue.clear()
            raise
        nested.commit()

    def acknowledge(self, message_ids: list[str]) -> None:
        """Mark outbox messages delivered, in this transaction with the handlers' work."""
        mark_delivered(self.session, message_ids, self._clock.now())

    def mark_processed(self, message_id: str, handler: str) -> bool:
        """Record the handler's work on this message; False if it was done before."""
        return mark_processed(self.session, message_id, handler, self._clock.now())
