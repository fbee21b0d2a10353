"""What the inventory module needs from storage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class StockLevel:
    ticket_type_id: str
    quantity: int
    available: int


class Stock(Protocol):
    def add(self, ticket_type_id: str, quantity: int) -> None:
        """Open the inventory of a new ticket type: all of it available."""
        ...

    def resize(self, ticket_type_id: str, quantity: int) -> bool:
        """Change the quantity; False (nothing changed) below what is sold or held."""
        ...

    def levels(self, ticket_type_ids: list[str]) -> dict[str, StockLevel]: ...
