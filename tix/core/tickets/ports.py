"""What the tickets module needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from tix.core.tickets.model import Ticket


class Tickets(Protocol):
    def add_all(self, tickets: list[Ticket]) -> set[str]:
        """Store new tickets in one statement; returns the ids stored (a seat of the order
        that already has a ticket is skipped)."""
        ...

    def add_numbered(self, tickets: list[Ticket], event_number: int) -> set[str]:
        """Give new tickets of one event the next numbers of its series (which stays
        locked to this transaction) and store them, as `add_all`."""
        ...

    def get(self, reference: str) -> Ticket | None:
        """By id or readable number (E12-000123)."""
        ...

    def of_order(self, order_id: str) -> list[Ticket]: ...

    def of_orders(self, order_ids: list[str]) -> dict[str, list[Ticket]]:
        """Each order's tickets in seat order, in one read (orders without any left out)."""
        ...

    def of_user(self, user_id: str, limit: int | None) -> list[Ticket]:
        """Newest first; limit None: all of them."""
        ...

    def erase_holders(self, user_id: str) -> int:
        """GDPR: the holder names on the user's tickets become "(erased)"."""
        ...

    def admit(self, ticket_id: str, by: str, now: datetime) -> bool:
        """VALID → USED, once: False if it was not VALID."""
        ...

    def admitted(self, event_id: str) -> int:
        """Tickets of the event checked in so far."""
        ...

    def void_order(self, order_id: str) -> list[str]:
        """VALID tickets of the order → VOIDED; returns their ids."""
        ...
