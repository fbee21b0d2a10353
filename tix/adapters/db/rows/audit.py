"""The audit trail's table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows.base import Base, BigSerial, Id
from tix.adapters.db.types import UtcDateTime


class AuditEntryRow(Base):
    __tablename__ = "audit_entries"

    # Insertion order: entries of one instant (or one transaction) keep their sequence.
    seq: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(Id, unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    action: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[str | None] = mapped_column(Id, index=True)
    actor: Mapped[str] = mapped_column(Text)  # encrypted, like the details
    subject: Mapped[str] = mapped_column(String(100), index=True)
    origin: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text)  # JSON object of strings
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_entries_unsealed", "seq", postgresql_where=text("position IS NULL"),
              sqlite_where=text("position IS NULL")),
    )
