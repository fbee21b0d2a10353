"""The database's housekeeping, run by the daemon: old rate-limit hits and messages go,
an erased person's dead letters go at once, and on SQLite the write-ahead log is emptied
after an erasure so no older copy of their rows stays in the files."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from tix.adapters.crypto import FieldCipher
    from tix.adapters.db.uow import SqlUnitOfWork
    from tix.core.accounts.events import AccountErased
    from tix.core.clock import Clock


class DatabaseHousekeeping:
    """One per process: the erasure handler tells the WAL job (on any worker) there is
    something to empty."""

    def __init__(self, *, engine: Engine, sessions: sessionmaker[Session],
                 cipher: FieldCipher, clock: Clock, message_retention: timedelta) -> None:
        self._engine = engine
        self._sessions = sessions
        self._cipher = cipher
        self._clock = clock
        self._message_retention = message_retention
        self._erased_rows_in_wal = False  # SQLite: an erasure left older copies in the WAL

    def forget_erased(self, message: AccountErased, uow: SqlUnitOfWork) -> None:
        """The erased person's dead letters go now; on SQLite the older copies of their
        rows leave the WAL at the next pass (the job "empty the WAL after erasures")."""
        from tix.adapters.queue.retention import forget_dead_letters_of

        forget_dead_letters_of(uow.session, self._cipher, message.user_id)
        self._erased_rows_in_wal = True

    def empty_wal_after_erasures(self) -> int:
        from tix.adapters.db.engine import empty_wal

        if self._erased_rows_in_wal:
            self._erased_rows_in_wal = False  # an erasure handled meanwhile sets it again
            if not empty_wal(self._engine):
                self._erased_rows_in_wal = True  # a reader held it: the next pass tries
        return 0  # housekeeping: never a reason to run again at once

    def forget_old_messages(self) -> int:
        from tix.adapters.queue.retention import forget_old_messages

        return forget_old_messages(self._sessions, self._clock.now(), self._message_retention)

    def forget_old_hits(self) -> int:
        from tix.adapters.db.ratelimit import forget_old_hits

        forget_old_hits(self._sessions, self._clock.now())
        return 0  # housekeeping: never a reason to run again at once
