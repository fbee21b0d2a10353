"""Tables of the orders module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tix.adapters.db.rows import accounts, catalog  # noqa: F401  (tables named by foreign keys)
from tix.adapters.db.rows.base import Base, Id
from tix.adapters.db.types import UtcDateTime


class OrderRow(Base):
    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"))
    quantity: Mapped[int] = mapped_column(Integer)  # tickets of every line: its seats
    currency: Mapped[str] = mapped_column(String(3))
    tender: Mapped[str] = mapped_column(String(10))
    holders: Mapped[str] = mapped_column(Text)  # encrypted JSON list of names
    status: Mapped[str] = mapped_column(String(20))
    payment_reference: Mapped[str | None] = mapped_column(String(200))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # card: the gateway said so
    # paid in the buyer's browser: payable until then (its hold's time), not resumed before
    pay_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancel_requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancel_refund: Mapped[int | None] = mapped_column(Integer)  # promised to the buyer
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    cancel_claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refunded_amount: Mapped[int] = mapped_column(Integer, default=0)
    tendered_amount: Mapped[int | None] = mapped_column(Integer)
    taken_by: Mapped[str | None] = mapped_column(Id, index=True)
    voucher_id: Mapped[str | None] = mapped_column(Id)  # the voucher whose use it has
    discount: Mapped[str | None] = mapped_column(Text)  # JSON: the voucher's terms then
    # placed while its event was in test mode: left out of sales reports
    test: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # a cash sale: the till (the clerk's shift) it was taken in
    till_id: Mapped[str | None] = mapped_column(Id, index=True)

    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        Index("ix_orders_status_created_at", "status", "created_at"),
        Index("ix_orders_event_status", "event_id", "status"),
        # the per-person limits' count at commit: with ix_order_lines_order_type, indexes
        # only, however many orders the buyer placed before (migration 0032)
        Index("ix_orders_buyer_status_id", "user_id", "status", "id"),
    )


class OrderLineRow(Base):
    """Tickets of one type in an order, at the price they were sold for."""

    __tablename__ = "order_lines"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"),
                                          primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_type_id: Mapped[str] = mapped_column(ForeignKey("ticket_types.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)  # the price paid, kept as it was
    # tickets of the line given back one by one (refunded or voided by the organizer),
    # their seats on sale again: no longer sold, though paid for (the refund says so)
    returned: Mapped[int] = mapped_column(Integer, server_default="0")

    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        Index("ix_order_lines_type", "ticket_type_id"),
        # the per-person limits' count (migrations 0032, 0033): indexes only
        Index("ix_order_lines_order_type", "order_id", "ticket_type_id", "quantity",
              "returned"),
    )


class OrderRefundRow(Base):
    """Money given back out of a COMPLETED order short of cancelling it (tix order refund).
    Inserted in the transaction whose conditional UPDATE of orders.refunded_amount keeps
    the order's refunds within what was paid; `key` is unique per order, so a refund asked
    again finds its row."""

    __tablename__ = "order_refunds"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(Integer)
    ticket_id: Mapped[str | None] = mapped_column(Id)
    ticket_number: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(String(200))
    actor_id: Mapped[str | None] = mapped_column(Id)
    actor: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # whoever asks the payment service for it has it to themselves until then
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("order_id", "key", name="uq_order_refunds_order_key"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        Index("ix_order_refunds_status_claimed_until", "status", "claimed_until"),
    )


class TillRow(Base):
    """A clerk's till for one shift at a box office: its float, and once closed, the
    count and what the sales said should be there."""

    __tablename__ = "tills"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    clerk_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    box_office: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    float_amount: Mapped[int] = mapped_column(Integer)  # minor units
    counted: Mapped[int | None] = mapped_column(Integer)
    expected: Mapped[int | None] = mapped_column(Integer)
    difference: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_tills_clerk_opened_at", "clerk_id", "opened_at"),
        # one open till per clerk: two opens at once, the second fails here
        Index("uq_tills_clerk_open", "clerk_id", unique=True,
              sqlite_where=text("closed_at IS NULL"),
              postgresql_where=text("closed_at IS NULL")),
    )
