"""Tables of the inventory module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows import accounts, catalog  # noqa: F401  (tables named by foreign keys)
from tix.adapters.db.rows.base import Base, Id
from tix.adapters.db.types import UtcDateTime


class StockRow(Base):
    """One row per ticket type: the hot row every sale updates with one conditional UPDATE.

    Only `available` lives here; held and sold are counted from holds and orders, so a
    purchase touches this row once.
    """

    __tablename__ = "stock"

    ticket_type_id: Mapped[str] = mapped_column(
        Id, ForeignKey("ticket_types.id", ondelete="CASCADE"), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    available: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("available >= 0", name="available_not_negative"),
        CheckConstraint("available <= quantity", name="available_within_quantity"),
    )


class HoldRow(Base):
    """A hold: who, until when, in what state; what it sets aside is its lines."""

    __tablename__ = "holds"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20))
    voucher_id: Mapped[str | None] = mapped_column(Id)  # its use taken with the hold

    __table_args__ = (
        Index("ix_holds_buyer_status", "user_id", "status"),
        # The daemon's sweep looks only at active holds, oldest expiry first.
        Index("ix_holds_active_expiry", "expires_at", postgresql_where=text("status = 'ACTIVE'"),
              sqlite_where=text("status = 'ACTIVE'")),
    )


class HoldLineRow(Base):
    """Tickets of one type in a hold."""

    __tablename__ = "hold_lines"

    hold_id: Mapped[str] = mapped_column(ForeignKey("holds.id", ondelete="CASCADE"),
                                         primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_type_id: Mapped[str] = mapped_column(ForeignKey("ticket_types.id",
                                                           ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        Index("ix_hold_lines_type", "ticket_type_id"),
    )


class QuotaRow(Base):
    """Shared capacity: tickets several types of one event draw on (a standing area), or
    the event's capacity (`name` NULL: every type). Like a stock row, a hot row a sale
    takes from with one conditional UPDATE."""

    __tablename__ = "quotas"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    available: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("available >= 0", name="available_not_negative"),
        CheckConstraint("available <= quantity", name="available_within_quantity"),
        Index("ix_quotas_event", "event_id"),
    )


class QuotaTypeRow(Base):
    """A ticket type draws on a quota: its sales take from both."""

    __tablename__ = "quota_types"

    quota_id: Mapped[str] = mapped_column(ForeignKey("quotas.id", ondelete="CASCADE"),
                                          primary_key=True)
    ticket_type_id: Mapped[str] = mapped_column(
        ForeignKey("ticket_types.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_quota_types_type", "ticket_type_id"),)
