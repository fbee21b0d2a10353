"""Tables of the tickets module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows import catalog, orders  # noqa: F401  (tables named by foreign keys)
from tix.adapters.db.rows.base import Base, Id
from tix.adapters.db.types import UtcDateTime


class TicketRow(Base):
    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(30))
    sequence: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"))
    seat: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(Id, index=True)
    ticket_type_id: Mapped[str] = mapped_column(Id)
    holder: Mapped[str] = mapped_column(Text)  # encrypted
    qr_payload: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_in_by: Mapped[str | None] = mapped_column(Id)

    __table_args__ = (
        UniqueConstraint("order_id", "seat", name="uq_tickets_order_seat"),
        UniqueConstraint("event_id", "sequence", name="uq_tickets_event_sequence"),
        Index("ix_tickets_number", "number"),
    )


class TicketNumberRow(Base):
    """How many ticket numbers each event has given out: the next sale's start. One short
    row lock per sale, held only to the end of its commit (not a scan of the tickets)."""

    __tablename__ = "ticket_numbers"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    issued: Mapped[int] = mapped_column(Integer)
