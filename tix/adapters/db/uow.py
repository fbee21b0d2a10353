"""The SQL unit of work: one transaction, the repositories bound to it, and the outbox.

Repositories are built on first use, and their modules imported then: a command that
only reads sessions does not load (nor configure the mappers of) every table of tix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import exc, insert
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.admission import Admission
from tix.adapters.db.engine import domain_error, pool_exhausted, translated_errors
from tix.adapters.db.intents import apply, statements
from tix.adapters.db.round_trip import NumberedTickets, Rows, commit_in_one_round_trip
from tix.adapters.db.rows.base import table_of
from tix.adapters.db.sql import is_postgres
from tix.adapters.queue.outbox import (
    mark_delivered,
    mark_processed,
    outbox_rows,
    write_messages,
)
from tix.core.clock import Clock
from tix.core.intents import Intent, IntentRefused
from tix.core.messages import Message
from tix.core.orders.model import OrderNumberTaken
from tix.core.tickets.model import Ticket

if TYPE_CHECKING:
    from tix.adapters.db.repositories.accounts import SqlAccountTokens, SqlSessions, SqlUsers
    from tix.adapters.db.repositories.answers import SqlAnswers
    from tix.adapters.db.repositories.audit import SqlAuditLog
    from tix.adapters.db.repositories.catalog import SqlCatalog
    from tix.adapters.db.repositories.inventory import SqlHolds, SqlStock
    from tix.adapters.db.repositories.notifications import SqlNotifications
    from tix.adapters.db.repositories.orders import SqlOrders
    from tix.adapters.db.repositories.tickets import SqlTickets
    from tix.adapters.db.repositories.tills import SqlTills
    from tix.adapters.db.repositories.vouchers import SqlVouchers, VoucherTerms


class SqlUnitOfWork:
    session: Session

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, cipher: FieldCipher, *,
                 readonly: bool = False, voucher_terms: VoucherTerms | None = None,
                 admission: Admission | None = None) -> None:
        self._sessions = sessions
        self._admission = admission  # the process's: its turn at the database waits there
        self._voucher_terms = voucher_terms  # the process's, kept across units of work
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

        return SqlHolds(self.session, insert_later=self._new_rows.append)

    @cached_property
    def orders(self) -> SqlOrders:
        from tix.adapters.db.repositories.orders import SqlOrders

        return SqlOrders(self.session, self.cipher, insert_later=self._new_rows.append)

    @cached_property
    def answers(self) -> SqlAnswers:
        from tix.adapters.db.repositories.answers import SqlAnswers

        return SqlAnswers(self.session, self.cipher, insert_later=self._new_rows.append)

    @cached_property
    def tills(self) -> SqlTills:
        from tix.adapters.db.repositories.tills import SqlTills

        return SqlTills(self.session)

    @cached_property
    def tickets(self) -> SqlTickets:
        from tix.adapters.db.repositories.tickets import SqlTickets

        return SqlTickets(self.session, self.cipher)

    @cached_property
    def vouchers(self) -> SqlVouchers:
        from tix.adapters.db.repositories.vouchers import SqlVouchers

        return SqlVouchers(self.session, self._voucher_terms)

    # -- the transaction -----------------------------------------------------------------

    def __enter__(self) -> Self:
        if self._admission is not None:
            self._admission.enter()
        try:
            return self._begin()
        except BaseException:
            if self._admission is not None:
                self._admission.leave()
            raise

    def _begin(self) -> Self:
        self.session = self._sessions()
        if self._readonly:
            # PostgreSQL: every statement on its own, no BEGIN and ROLLBACK round trips —
            # under READ COMMITTED each statement read its own snapshot already
            options: dict[str, Any] = {"tix_readonly": True}
            if is_postgres(self.session):
                options["isolation_level"] = "AUTOCOMMIT"
            with translated_errors():
                self.session.connection(execution_options=options)
        self._messages = []
        self._new_rows: Rows = []  # recorded by repositories, inserted when work is flushed
        self._tickets_to_issue: list[tuple[list[Ticket], int]] = []
        self._intents: list[Intent] = []
        return self

    def __exit__(self, exc_type: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.session.rollback()  # a no-op after commit; undoes anything uncommitted
            self.session.close()
        except exc.DBAPIError:
            pass  # the connection is already gone; the original error says why
        finally:
            if self._admission is not None:
                self._admission.leave()
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

    def intend(self, *intents: Intent) -> None:
        self._intents.extend(intents)

    def flush(self) -> None:
        """Write what the work so far recorded: new rows, tickets to issue, audit entries,
        messages (its intents wait for the commit)."""
        for table, row in self._new_rows:
            with _order_number_taken_on_clash():
                self.session.execute(insert(table), row)
        self._new_rows.clear()
        for tickets, event_number in self._tickets_to_issue:
            self.tickets.add_numbered(tickets, event_number)
        self._tickets_to_issue.clear()
        if "audit" in self.__dict__:  # built only if the work wrote an entry
            self.audit.flush()
        write_messages(self.session, self._messages, self._clock.now(), self.cipher)
        self._messages.clear()

    def commit(self) -> None:
        """The work, then its intents, then COMMIT: the contended rows the intents change
        stay locked for no more than their statements and the commit. On PostgreSQL a
        work with intents (the end of a sale) is sent as one query."""
        postgres = is_postgres(self.session)
        intents = statements(self._intents, postgres=postgres)
        self._intents.clear()
        try:
            if intents and postgres:
                issued = [t for tickets, _ in self._tickets_to_issue for t in tickets]
                numbers = commit_in_one_round_trip(
                    self.session, rows=self._rows_to_send(), tickets=self._tickets_as_rows(),
                    intents=intents)
                for ticket in issued:  # as SqlTickets.add_numbered numbers them on SQLite
                    ticket.number = numbers[ticket.id]
            else:
                self.flush()
                apply(self.session, intents)
        except (IntentRefused, OrderNumberTaken):
            self.session.rollback()
            raise
        self.session.commit()  # after the one query, the bookkeeping of a commit made

    def _tickets_as_rows(self) -> list[NumberedTickets]:
        """The tickets to issue, as rows for a statement of our own (and forgotten)."""
        batches = [NumberedTickets(tickets[0].event_id, event_number,
                                   [self.tickets.row_values(t) for t in tickets])
                   for tickets, event_number in self._tickets_to_issue if tickets]
        self._tickets_to_issue.clear()
        return batches

    def _rows_to_send(self) -> Rows:
        """The new rows, audit entries and published messages of this work, as rows for a
        statement of our own (and forgotten here)."""
        from tix.adapters.db.rows.audit import AuditEntryRow
        from tix.adapters.db.rows.messaging import OutboxRow

        rows, self._new_rows = self._new_rows, []
        if "audit" in self.__dict__:
            rows += [(table_of(AuditEntryRow), row) for row in self.audit.take_new()]
        rows += [(table_of(OutboxRow), row)
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
            self._intents.clear()
            raise
        nested.commit()

    def acknowledge(self, message_ids: list[str]) -> None:
        """Mark outbox messages delivered, in this transaction with the handlers' work."""
        mark_delivered(self.session, message_ids, self._clock.now())

    def mark_processed(self, message_id: str, handler: str) -> bool:
        """Record the handler's work on this message; False if it was done before."""
        return mark_processed(self.session, message_id, handler, self._clock.now())


@contextmanager
def _order_number_taken_on_clash() -> Iterator[None]:
    """Order numbers are short and random: a clash (rare) is the seller's to retry with a
    new number, as it is in the one query that ends a sale on PostgreSQL."""
    try:
        yield
    except exc.IntegrityError as error:
        if "orders.number" in str(error.orig) or "uq_orders_number" in str(error.orig):
            raise OrderNumberTaken() from error
        raise

