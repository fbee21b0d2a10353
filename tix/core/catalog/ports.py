"""What the catalog module needs from storage."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from tix.core.catalog.model import Event, EventLabel, Question, TicketType, TicketTypeView


class Catalog(Protocol):
    def add(self, event: Event) -> None:
        """Store a new event with its ticket types."""
        ...

    def next_number(self) -> int:
        """The readable number for the next event (serialised between creators)."""
        ...

    def get(self, event_id: str, *, lock: bool = False) -> Event | None: ...

    def questions(self, event_id: str) -> tuple[Question, ...]:
        """The event's questions alone (every sale reads them): () if it has none."""
        ...

    def resolve(self, reference: str) -> str | None:
        """An event id from its id or readable number ("E12", "12")."""
        ...

    def ticket_type(self, ticket_type_id: str) -> TicketTypeView | None: ...

    def ticket_types(self, ticket_type_ids: list[str]) -> dict[str, TicketTypeView]:
        """Several ticket types by id, in one read (those that exist)."""
        ...

    def ticket_type_by_number(self, event_number: int,
                              number: int) -> TicketTypeView | None:
        """The ticket type E<event_number>-T<number>."""
        ...

    def labels(self, event_ids: list[str]) -> dict[str, EventLabel]:
        """Number and name of each of these events (those that exist)."""
        ...

    def save(self, event: Event) -> None:
        """Store changed details, status and ticket types (new ones are added)."""
        ...

    def add_ticket_type(self, ticket_type: TicketType) -> None: ...

    def bump_version(self) -> None:
        """Tell search caches that events changed."""
        ...

    def record_sale(self, event_id: str, day: date, tickets: int) -> None:
        """Count tickets sold on a day, for popularity."""
        ...

    def forget_sales_before(self, day: date) -> int:
        """Take days that left the popularity window out of the score."""
        ...
