"""The transactional outbox and the record of processed messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows.base import Base, BigSerial, Id
from tix.adapters.db.types import UtcDateTime


class OutboxRow(Base):
    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(Id, unique=True)
    name: Mapped[str] = mapped_column(String(100))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    available_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Set aside (unreadable, or failed too often): never claimed until redriven.
    dead_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        # Only pending rows are ever scanned; the index stays small as history grows.
        Index("ix_outbox_pending", "seq", postgresql_where=text("processed_at IS NULL"),
              sqlite_where=text("processed_at IS NULL")),
        Index("ix_outbox_dead", "seq", postgresql_where=text("dead_at IS NOT NULL"),
              sqlite_where=text("dead_at IS NOT NULL")),
    )


class ProcessedMessageRow(Base):
    __tablename__ = "processed_messages"

    message_id: Mapped[str] = mapped_column(Id, primary_key=True)
    handler: Mapped[str] = mapped_column(String(100), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime)
