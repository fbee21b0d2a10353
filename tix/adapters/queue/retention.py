"""How long the outbox keeps messages, and what of an erased person it drops at once.

A delivered message keeps no payload (emptied when marked delivered). Its row and the
handlers' records of it stay TIX_MESSAGE_RETENTION_DAYS (14, the longest SQS keeps a
message, so a late redelivery is still known as handled), then go; so do dead letters
set aside longer ago than that, as SQS drops a dead-letter queue's old messages.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.engine import translated_errors
from tix.adapters.db.rows.messaging import OutboxRow, ProcessedMessageRow
from tix.adapters.queue.payloads import open_payload
from tix.core.messages import UnreadableMessage

BATCH = 5000  # rows a transaction deletes: a first sweep of a long history stays short


def forget_old_messages(sessions: sessionmaker[Session], now: datetime,
                        retention: timedelta) -> int:
    """Daemon job: delete up to a batch of each; returns how many rows went."""
    cutoff = now - retention
    old = or_(OutboxRow.processed_at < cutoff, OutboxRow.dead_at < cutoff)
    handled = ProcessedMessageRow.processed_at < cutoff
    with translated_errors(), sessions() as session, session.begin():
        outbox = session.execute(delete(OutboxRow).where(OutboxRow.seq.in_(
            select(OutboxRow.seq).where(old).limit(BATCH))))
        records = session.execute(delete(ProcessedMessageRow).where(
            handled, ProcessedMessageRow.message_id.in_(
                select(ProcessedMessageRow.message_id).where(handled).limit(BATCH))))
    return int(outbox.rowcount) + int(records.rowcount)  # type: ignore[attr-defined]


def forget_dead_letters_of(session: Session, cipher: FieldCipher, user_id: str) -> int:
    """At an erasure: the person's dead letters, whose payloads name them, go now (those
    waiting for delivery go on, and are emptied once delivered). One that cannot be read
    cannot be told apart; the retention drops it in time."""
    dead = session.execute(select(OutboxRow.seq, OutboxRow.payload)
                           .where(OutboxRow.dead_at.is_not(None))).all()
    theirs = []
    for seq, stored in dead:
        try:
            if open_payload(cipher, stored).get("user_id") == user_id:
                theirs.append(seq)
        except UnreadableMessage:
            continue
    if theirs:
        session.execute(delete(OutboxRow).where(OutboxRow.seq.in_(theirs)))
    return len(theirs)
