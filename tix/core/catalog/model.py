"""Events and their ticket types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Category(StrEnum):
    MUSIC = "music"
    SPORTS = "sports"
    THEATRE = "theatre"
    COMEDY = "comedy"
    CONFERENCE = "conference"
    FESTIVAL = "festival"
    FAMILY = "family"
    OTHER = "other"


class EventStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class RefundRule:
    """At least `before` ahead of the start, a cancellation refunds `percent` of the price."""

    before: timedelta
    percent: int


# Full refund up to 7 days before, half up to 2 days before, nothing after.
DEFAULT_CANCELLATION_POLICY = (
    RefundRule(before=timedelta(days=7), percent=100),
    RefundRule(before=timedelta(days=2), percent=50),
)


def ticket_type_ref(event_number: int, number: int) -> str:
    """`E12-T2`: a letter after the dash keeps it apart from ticket numbers (E12-000123)
    and nothing in it needs quoting in a shell."""
    return f"E{event_number}-T{number}"


@dataclass
class TicketType:
    id: str
    event_id: str
    name: str
    price: int  # minor units of the event's currency
    quantity: int
    per_person_limit: int | None = None
    sale_starts_at: datetime | None = None
    sale_ends_at: datetime | None = None
    position: int = 0
    number: int = 0  # within its event, never reused: referenced as E12-T2


@dataclass
class Event:
    id: str
    number: int  # readable: tickets are numbered E<number>-000123
    organizer_id: str
    name: str
    description: str
    category: Category
    venue: str
    city: str
    starts_at: datetime  # aware UTC
    ends_at: datetime
    timezone: str  # IANA name of the venue's zone
    currency: str  # ISO 4217
    created_at: datetime
    address: str | None = None
    image_url: str | None = None
    status: EventStatus = EventStatus.SCHEDULED
    cancellation_policy: tuple[RefundRule, ...] = DEFAULT_CANCELLATION_POLICY
    ticket_types: list[TicketType] = field(default_factory=list)

    def refund_percent(self, now: datetime) -> int:
        """The share of the price a cancellation at `now` gives back."""
        ahead = self.starts_at - now
        for rule in sorted(self.cancellation_policy, key=lambda r: r.before, reverse=True):
            if ahead >= rule.before:
                return rule.percent
        return 0


@dataclass(frozen=True)
class TicketTypeView:
    """What selling a ticket type needs to know about it and its event (read by orders)."""

    id: str
    name: str
    price: int
    currency: str
    quantity: int
    per_person_limit: int | None
    sale_starts_at: datetime | None
    sale_ends_at: datetime | None
    event_id: str
    event_number: int
    event_name: str
    event_status: EventStatus
    event_starts_at: datetime
    event_ends_at: datetime
    event_timezone: str
    organizer_id: str
    venue: str
    city: str
    number: int = 0  # within its event (E12-T2)

    @property
    def ref(self) -> str:
        return ticket_type_ref(self.event_number, self.number)


@dataclass(frozen=True)
class EventLabel:
    """How people recognise an event in a list of orders: its number and name."""

    id: str
    number: int
    name: str
