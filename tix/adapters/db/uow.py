"""The SQL unit of work: one transaction, the repositories bound to it, and the outbox."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import exc
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.db.engine import domain_error, translated_errors
from tix.adapters.db.repositories.accounts import SqlAccountTokens, SqlSessions, SqlUsers
from tix.adapters.db.repositories.catalog import SqlCatalog
from tix.adapters.db.repositories.inventory import SqlStock
from tix.adapters.db.repositories.notifications import SqlNotifications
from tix.adapters.queue.outbox import mark_processed, write_messages
from tix.core.clock import Clock
from tix.core.messages import Message


class SqlUnitOfWork:
    session: Session
    users: SqlUsers
    account_tokens: SqlAccountTokens
    sessions: SqlSessions
    notifications: SqlNotifications
    catalog: SqlCatalog
    stock: SqlStock

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, *,
                 readonly: bool = False) -> None:
        self._sessions = sessions
        self._clock = clock
        self._readonly = readonly
        self._messages: list[Message] = []

    def __enter__(self) -> Self:
        self.session = self._sessions()
        if self._readonly:
            with translated_errors():
                self.session.connection(execution_options={"tix_readonly": True})
        self.users = SqlUsers(self.session)
        self.account_tokens = SqlAccountTokens(self.session)
        self.sessions = SqlSessions(self.session)
        self.notifications = SqlNotifications(self.session)
        self.catalog = SqlCatalog(self.session)
        self.stock = SqlStock(self.session)
        self._messages = []
        return self

    def __exit__(self, exc_type: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.session.rollback()  # a no-op after commit; undoes anything uncommitted
            self.session.close()
        except exc.DBAPIError:
            pass  # the connection is already gone; the original error says why
        if isinstance(error, exc.DBAPIError):
            translated = domain_error(error)
            if translated is not None:
                raise translated from error

    def publish(self, *messages: Message) -> None:
        self._messages.extend(messages)

    def commit(self) -> None:
        write_messages(self.session, self._messages, self._clock.now())
        self._messages.clear()
        self.session.commit()

    def mark_processed(self, message_id: str, handler: str) -> bool:
        """Record the handler's work on this message; False if it was done before."""
        return mark_processed(self.session, message_id, handler, self._clock.now())
