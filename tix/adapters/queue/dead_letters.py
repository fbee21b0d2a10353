"""Dead letters of the database outbox: messages set aside instead of delivered.

The daemon sets a message aside when it cannot be read (another key, corrupt) and when its
handlers failed five times, as SQS moves such a message to a dead-letter queue. A dead
letter is never claimed until `tix queue dlq redrive` makes it pending again. The first
one since the last redrive publishes MessageDeadLettered, so a burst alerts the admins once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.engine import translated_errors
from tix.adapters.db.rows.messaging import OutboxRow
from tix.adapters.db.sql import is_postgres
from tix.adapters.queue.outbox import write_messages
from tix.core.clock import Clock
from tix.core.messages import MessageDeadLettered

DEAD = OutboxRow.dead_at.is_not(None)


@dataclass(frozen=True)
class DeadLetter:
    """What an operator sees of a dead letter: never its payload."""

    id: str
    type: str
    error: str
    attempts: int
    dead_at: datetime


class OutboxDeadLetters:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock,
                 cipher: FieldCipher) -> None:
        self._sessions = sessions
        self._clock = clock
        self._cipher = cipher

    def set_aside(self, message_id: str, reason: str) -> None:
        now = self._clock.now()
        with translated_errors(), self._sessions() as session, session.begin():
            if is_postgres(session):  # two daemons setting aside at once alert once
                session.execute(text("SELECT pg_advisory_xact_lock(hashtext('tix.dlq'))"))
            first = session.scalar(select(OutboxRow.seq).where(DEAD).limit(1)) is None
            name = session.scalar(
                update(OutboxRow)
                .where(OutboxRow.id == message_id, OutboxRow.processed_at.is_(None))
                .values(dead_at=now, attempts=OutboxRow.attempts + 1,
                        last_error=reason[:2000], claimed_until=None)
                .returning(OutboxRow.name))
            if first and name is not None:
                write_messages(session, [MessageDeadLettered(
                    message_id=message_id, message_name=name, reason=reason[:500])],
                    now, self._cipher)

    def redrive(self) -> int:
        """Every dead letter back to pending; returns how many."""
        with translated_errors(), self._sessions() as session, session.begin():
            result = session.execute(update(OutboxRow).where(DEAD).values(
                dead_at=None, attempts=0, available_at=self._clock.now(), claimed_until=None))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def count(self) -> int:
        with translated_errors(), self._sessions() as session:
            return int(session.scalar(select(func.count()).select_from(OutboxRow)
                                      .where(DEAD)) or 0)

    def oldest(self, limit: int) -> list[DeadLetter]:
        with translated_errors(), self._sessions() as session:
            rows = session.execute(
                select(OutboxRow.id, OutboxRow.name, OutboxRow.last_error, OutboxRow.attempts,
                       OutboxRow.dead_at).where(DEAD).order_by(OutboxRow.seq).limit(limit))
            return [DeadLetter(r.id, r.name, r.last_error or "", r.attempts, r.dead_at)
                    for r in rows]
