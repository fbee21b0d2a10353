"""Messages the tickets module publishes."""

from __future__ import annotations

from dataclasses import dataclass, field

from tix.core.messages import Message


@dataclass(frozen=True, kw_only=True)
class TicketsGenerated(Message):
    order_id: str
    user_id: str
    ticket_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class TicketsVoided(Message):
    order_id: str
    ticket_ids: list[str] = field(default_factory=list)
