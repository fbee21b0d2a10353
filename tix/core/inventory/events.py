"""Messages the inventory module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from tix.core.messages import Message


@dataclass(frozen=True, kw_only=True)
class HoldExpired(Message):
    hold_id: str
    ticket_type_id: str
    user_id: str
    quantity: int


@dataclass(frozen=True, kw_only=True)
class TicketsReturned(Message):
    """Tickets of one type are back on sale (a waiting list listens): a hold released or
    expired, a payment that failed, an order cancelled, an event's quantity raised."""

    ticket_type_id: str
    quantity: int
    reason: str  # "released", "expired", "payment_failed", "cancelled", "resized"
