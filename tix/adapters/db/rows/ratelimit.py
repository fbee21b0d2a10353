"""Attempts counted by the database rate limiter (used when Redis is not configured)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows.base import Base, BigSerial
from tix.adapters.db.types import UtcDateTime


class RateLimitHitRow(Base):
    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(BigSerial, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_rate_limit_hits_key_at", "key", "at"),)
