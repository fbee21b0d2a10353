"""Finding events: the query, the results, and the read port that answers them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from tix.core.catalog.model import Category, Event, TicketType, ticket_type_ref


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
    # only the events this user sells for: organizes, or is on the team of as a clerk or
    # co-organizer (a clerk's box office)
    seller_id: str | None = None
    # only the events whose door this user works: organizes, or is on the team of
    scanner_id: str | None = None
    # only the events this user runs: organizes, or co-organizes (their sales dashboard)
    manager_id: str | None = None
    starts_from: datetime | None = None
    starts_until: datetime | None = None
    currency: str | None = None  # only events priced in this ISO code
    # Major units: of `currency`, or else of each event's own currency (30 is 30 JPY for a
    # yen event, 30 EUR for a euro one): minor units differ in size from one to the next.
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    only_available: bool = False
    include_past: bool = False
    include_cancelled: bool = False
    sort: SortOrder = SortOrder.DATE
    limit: int = 20
    offset: int = 0
    # Count every match (up to COUNT_CAP past the page) for "20 of 31": a broad search
    # then reads up to that many rows, so only a face that shows the count asks for it.
    with_total: bool = False

    def cache_key(self) -> str:
        return "|".join(str(getattr(self, name)) for name in self.__dataclass_fields__)


def folded(text: str) -> str:
    """How a city is compared: case and accents aside, so Zurich finds Zürich."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_UNDECOMPOSABLE)


# Letters Unicode does not split into a base and an accent; unaccent maps them so.
_UNDECOMPOSABLE = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "\u0131": "i", "æ": "ae",
                                 "œ": "oe", "þ": "th", "ð": "d"})


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
    total: int = 0  # every match on every page (with_total), else those up to this page's
    total_is_at_least: bool = False  # there may be more: a full page, or the count's cap


# Counting every match of a broad search would read the whole table: past this many beyond
# the page's start the count stops, and the total is "at least" that.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Found:
    """One page of matches and how many there are in all: counted up to COUNT_CAP past the
    page's start when the query asks (more than that: offset + COUNT_CAP, at_least), else
    offset + the page's, at_least when the page is full."""
    results: list[EventSummary]
    total: int
    at_least: bool = False


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
    hidden: bool = False  # sold only with a code; listed to the event's managers only

    @classmethod
    def of(cls, event: Event, ticket_type: TicketType, available: int) -> TicketTypeDetails:
        """A type as an event page lists it, with `available` tickets left."""
        return cls(id=ticket_type.id, name=ticket_type.name, price=ticket_type.price,
                   currency=event.currency, quantity=ticket_type.quantity,
                   available=available, limit=ticket_type.per_person_limit,
                   sale_starts_at=ticket_type.sale_starts_at,
                   sale_ends_at=ticket_type.sale_ends_at,
                   ref=ticket_type_ref(event.number, ticket_type.number),
                   hidden=ticket_type.hidden)


@dataclass(frozen=True)
class EventDetails:
    summary: EventSummary
    description: str
    address: str | None
    organizer_id: str
    cancellation_policy: list[dict[str, int]]
    ticket_types: list[TicketTypeDetails] = field(default_factory=list)


@dataclass(frozen=True)
class QuotaDetails:
    """Tickets several types share, as an event's page shows them (`name` None: the
    event's capacity, over every type)."""

    name: str | None
    quantity: int
    available: int
    ticket_types: list[str]  # names


@dataclass(frozen=True)
class LiveState:
    version: int
    available: dict[str, int]
    capacity_left: int | None = None  # the event's (live_ticket_types), if it has one


class CatalogSearch(Protocol):
    """A read view over events, their prices and the inventory."""

    def search(self, query: SearchQuery, now: datetime) -> Found: ...

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
