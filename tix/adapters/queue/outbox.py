"""The outbox table as a queue: written in the service's transaction, drained by daemons.

Daemons claim rows with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on
SQLite), so several run side by side and none holds a transaction open while it works. A
daemon that dies lets its lease run out and another takes the rows over.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.engine import translated_errors
from tix.adapters.db.rows.messaging import OutboxRow, ProcessedMessageRow
from tix.adapters.db.sql import insert_ignoring_duplicates
from tix.adapters.queue.payloads import open_payload, seal_payload
from tix.core.clock import Clock
from tix.core.ids import new_id
from tix.core.messages import Envelope, Message, UnreadableMessage

CLAIM_LEASE = timedelta(minutes=2)


def outbox_rows(messages: Iterable[Message], now: datetime,
                cipher: FieldCipher) -> list[dict[str, Any]]:
    return [{"id": new_id(), "name": m.message_type,
             "payload": seal_payload(cipher, m.to_payload()),
             "created_at": now, "available_at": now, "attempts": 0} for m in messages]


def write_messages(session: Session, messages: Iterable[Message], now: datetime,
                   cipher: FieldCipher) -> None:
    rows = outbox_rows(messages, now, cipher)
    if rows:  # the Core table, not the ORM class: no ORM bulk-insert machinery per sale
        session.execute(insert(OutboxRow.__table__), rows)  # type: ignore[arg-type]


def mark_processed(session: Session, message_id: str, handler: str, now: datetime) -> bool:
    """Record that `handler` processed the message; False if it already had."""
    return insert_ignoring_duplicates(session, ProcessedMessageRow.__table__, {  # type: ignore[arg-type]
        "message_id": message_id, "handler": handler, "processed_at": now})


def mark_delivered(session: Session, message_ids: list[str], now: datetime) -> None:
    # Nothing reads a delivered message's payload again (handlers have their own copies):
    # it goes at once, so names, addresses and tokens do not outlive their delivery.
    if message_ids:
        session.execute(update(OutboxRow).where(OutboxRow.id.in_(message_ids))
                        .values(processed_at=now, claimed_until=None, last_error=None,
                                payload=""))


class OutboxQueue:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock,
                 cipher: FieldCipher) -> None:
        self._sessions = sessions
        self._clock = clock
        self._cipher = cipher

    def claim(self, worker: str, limit: int = 100, lease: timedelta = CLAIM_LEASE
              ) -> list[Envelope]:
        now = self._clock.now()
        with translated_errors(), self._sessions() as session, session.begin():
            rows = session.execute(
                select(OutboxRow.seq, OutboxRow.id, OutboxRow.name, OutboxRow.payload,
                       OutboxRow.attempts)
                .where(OutboxRow.processed_at.is_(None), OutboxRow.dead_at.is_(None),
                       OutboxRow.available_at <= now,
                       (OutboxRow.claimed_until.is_(None)) | (OutboxRow.claimed_until < now))
                .order_by(OutboxRow.seq)
                .limit(limit)
                .with_for_update(skip_locked=True)).all()
            if rows:
                session.execute(update(OutboxRow)
                                .where(OutboxRow.seq.in_([r.seq for r in rows]))
                                .values(claimed_by=worker, claimed_until=now + lease))
        return [self._envelope(r.id, r.name, r.payload, r.attempts) for r in rows]

    def _envelope(self, message_id: str, name: str, stored: str, attempts: int) -> Envelope:
        # One message that cannot be read must not stop the others: it travels marked,
        # and the daemon sets it aside.
        try:
            return Envelope(message_id, name, open_payload(self._cipher, stored), attempts)
        except UnreadableMessage as error:
            return Envelope(message_id, name, {}, attempts, unreadable=str(error))

    def retry_later(self, message_id: str, error: str, delay: timedelta) -> None:
        now = self._clock.now()
        with translated_errors(), self._sessions() as session, session.begin():
            session.execute(update(OutboxRow).where(OutboxRow.id == message_id).values(
                attempts=OutboxRow.attempts + 1, last_error=error[:2000],
                available_at=now + delay, claimed_until=None))

    def pending_count(self) -> int:
        from sqlalchemy import func

        with translated_errors(), self._sessions() as session:
            return session.scalar(select(func.count()).select_from(OutboxRow)
                                  .where(OutboxRow.processed_at.is_(None),
                                         OutboxRow.dead_at.is_(None))) or 0
