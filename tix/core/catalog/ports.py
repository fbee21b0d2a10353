"""What the catalog module needs from storage."""

from __future__ import annotations

from typing import Protocol

from tix.core.catalog.model import Event, TicketTypeView


class Catalog(Protocol):
    def add(self, event: Event) -> None:
        """Store a new event with its ticket types (assigns nothing; ids are set)."""
        ...

    def next_number(self) -> int:
        """The readable number for the next event."""
        ...

    def get(self, event_id: str, *, lock: bool = False) -> Event | None: ...

    def ticket_type(self, ticket_type_id: str) -> TicketTypeView | None: ...
