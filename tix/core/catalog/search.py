"""Finding events: the query, the results, and the read port that answers them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from tix.core.catalog.model import Category


class SortOrder(StrEnum):
    DATE = "date"
    PRICE = "price"
    POPULARITY = "popularity"


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category: Category | None = None
    city: str | None = None
    organizer_id: str | None = None  # one organizer's events (their dashboard)
    starts_from: datetime | None = None
    starts_until: datetime | None = None
    min_price: int | None = None  # minor units
    max_price: int | None = None
    only_available: bool = False
    include_past: bool = False
    include_cancelled: bool = False
    sort: SortOrder = SortOrder.DATE
    limit: int = 20
    offset: int = 0

    def cache_key(self) -> str:
        return "|".join(str(getattr(self, name)) for name in self.__dataclass_fields__)


@dataclass
class EventSummary:
    id: str
    number: int
    name: str
    category: str
    venue: str
    city: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    currency: str
    status: str
    min_price: int
    max_price: int
    image_url: str | None
    available: int = 0  # merged live from the inventory, never cached


@dataclass(frozen=True)
class SearchPage:
    results: list[EventSummary]
    limit: int
    offset: int
    cached: bool = False


@dataclass(frozen=True)
class Suggestion:
    event_id: str
    name: str
    starts_at: datetime


@dataclass(frozen=True)
class TicketTypeDetails:
    id: str
    name: str
    price: int
    currency: str
    quantity: int
    available: int
    limit: int | None
    sale_starts_at: datetime | None
    sale_ends_at: datetime | None
    ref: str = ""  # what people type: E12-T2


@dataclass(frozen=True)
class EventDetails:
    summary: EventSummary
    description: str
    address: str | None
    organizer_id: str
    cancellation_policy: list[dict[str, int]]
    ticket_types: list[TicketTypeDetails] = field(default_factory=list)


@dataclass(frozen=True)
class LiveState:
    version: int
    available: dict[str, int]


class CatalogSearch(Protocol):
    """A read view over events, their prices and the inventory."""

    def search(self, query: SearchQuery, now: datetime) -> list[EventSummary]: ...

    def suggest(self, prefix: str, now: datetime, limit: int) -> list[Suggestion]: ...

    def live(self, event_ids: list[str]) -> LiveState:
        """The catalog's version and the tickets left per event, right now."""
        ...

    def live_ticket_types(self, event_id: str) -> LiveState:
        """The catalog's version and the tickets left per ticket type of one event."""
        ...

    def version(self) -> int:
        """Bumped with every change to an event: cached results of older ones are stale."""
        ...
