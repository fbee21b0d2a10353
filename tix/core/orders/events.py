"""Messages the orders module publishes. Other modules (tickets, notifications) rely on
these fields: add fields freely, rename none."""

from __future__ import annotations

from dataclasses import dataclass, field

from tix.core.messages import Message


@dataclass(frozen=True, kw_only=True)
class PaymentCompleted(Message):
    """Written in the transaction that confirms the order."""

    order_id: str
    order_number: str
    user_id: str
    ticket_type_id: str
    quantity: int
    holders: list[str] = field(default_factory=list)  # one name per seat, in seat order
    amount: int = 0  # minor units
    currency: str = ""
    payment_reference: str = ""
    unit_price: int | None = None  # a ticket's price as paid; None in older messages


@dataclass(frozen=True, kw_only=True)
class OrderFailed(Message):
    order_id: str
    order_number: str
    user_id: str
    reason: str
    refunded: bool = False  # money was taken, then given back (tickets gone, or a crash)


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Message):
    order_id: str
    order_number: str
    user_id: str
    event_id: str
    refund_amount: int  # minor units
    currency: str
    reason: str = ""
