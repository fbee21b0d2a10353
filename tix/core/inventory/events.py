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
