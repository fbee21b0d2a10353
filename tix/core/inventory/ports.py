"""What the inventory module needs from storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tix.core.inventory.model import Hold, QuotaLevel


@dataclass(frozen=True)
class StockLevel:
    ticket_type_id: str
    quantity: int
    available: int  # the fewest left of the type's own and every quota it draws on


class Stock(Protocol):
    def add(self, ticket_type_id: str, quantity: int) -> None:
        """Open the inventory of a new ticket type: all of it available."""
        ...

    def resize(self, ticket_type_id: str, quantity: int) -> bool:
        """Change the quantity; False (nothing changed) below what is sold or held."""
        ...

    def levels(self, ticket_type_ids: list[str]) -> dict[str, StockLevel]: ...

    def add_quota(self, event_id: str, quota: QuotaLevel) -> None:
        """Open a quota: all of it available, drawn on by its ticket types."""
        ...

    def join_quota(self, quota_id: str, ticket_type_id: str) -> None:
        """A new ticket type (nothing sold yet) draws on an existing quota."""
        ...

    def resize_quota(self, quota_id: str, quantity: int) -> bool:
        """Change a quota's quantity; False (nothing changed) below what is taken."""
        ...

    def quotas_of(self, ticket_type_id: str) -> list[str]:
        """The ids of the quotas a ticket type draws on, in a fixed order."""
        ...

    def quotas(self, event_id: str) -> list[QuotaLevel]:
        """An event's quotas, the capacity first, then by name."""
        ...


class Holds(Protocol):
    def add(self, hold: Hold) -> None: ...

    def get(self, hold_id: str, *, lock: bool = False) -> Hold | None: ...

    def held_in_event(self, user_id: str, event_id: str, now: datetime) -> int:
        """Tickets of every type of the event in the buyer's active holds."""
        ...

    def held_by(self, user_id: str, ticket_type_id: str, now: datetime) -> int:
        """Tickets of the type in the buyer's active holds."""
        ...

    def take_expired(self, now: datetime, limit: int) -> list[Hold]:
        """Active holds past their expiry, marked EXPIRED (each by one daemon only)."""
        ...

    def release(self, hold_id: str) -> bool:
        """ACTIVE → RELEASED, once."""
        ...

    def forget_of_users(self, user_ids: list[str]) -> int:
        """Delete these users' holds that are over (used, released, expired: an ACTIVE
        one, even past its time, still has tickets to give back); returns how many."""
        ...

    def held_per_type(self, ticket_type_ids: list[str], now: datetime) -> dict[str, int]: ...
