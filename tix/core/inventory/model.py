"""Holds: tickets set aside for one buyer for a few minutes while they pay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tix.core.catalog.model import EventStatus, TicketTypeView
from tix.core.errors import Invalid, RuleViolation

DEFAULT_HOLD_TTL = timedelta(minutes=10)
MAX_HOLD_QUANTITY = 100


class HoldStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"  # returned to availability by the daemon
    RELEASED = "RELEASED"  # given back by the buyer
    CONVERTED = "CONVERTED"  # became an order


@dataclass(frozen=True)
class HoldLine:
    """Tickets of one type in a hold (a basket has a line per type)."""

    ticket_type_id: str
    quantity: int


@dataclass
class Hold:
    """Tickets of one event set aside for one buyer: a line per ticket type, all held or
    none, paid for in one order."""

    id: str
    user_id: str
    lines: list[HoldLine]
    created_at: datetime
    expires_at: datetime
    status: HoldStatus = HoldStatus.ACTIVE
    voucher_id: str | None = None  # the code given: its use is the hold's, then the order's

    @property
    def quantity(self) -> int:
        """Tickets in the hold, of every type."""
        return sum(line.quantity for line in self.lines)

    @property
    def quantities(self) -> dict[str, int]:
        """Tickets per ticket type id."""
        return {line.ticket_type_id: line.quantity for line in self.lines}

    def active_at(self, now: datetime) -> bool:
        return self.status is HoldStatus.ACTIVE and now < self.expires_at


@dataclass(frozen=True)
class QuotaLevel:
    """Tickets several types of one event share (a standing area), or the event's
    capacity (`name` None: every type draws on it); a sale takes from the type's own
    stock and from each quota it draws on."""

    id: str
    name: str | None
    quantity: int
    available: int
    ticket_type_ids: tuple[str, ...]


def basket(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The lines asked for, in the order first named, a type named twice counted once
    with both quantities; refused when empty or a quantity is out of range."""
    if not items:
        raise Invalid("nothing to hold: name a ticket type and a quantity", field="items")
    merged: dict[str, int] = {}
    for reference, quantity in items:
        check_quantity(quantity)
        merged[reference] = merged.get(reference, 0) + quantity
    check_quantity(sum(merged.values()))
    return list(merged.items())


def check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_HOLD_QUANTITY:
        raise Invalid(f"quantity: between 1 and {MAX_HOLD_QUANTITY}")


def check_on_sale(ticket_type: TicketTypeView, quantity: int, now: datetime) -> None:
    """What must be true before any ticket of this type is set aside."""
    check_quantity(quantity)
    if ticket_type.event_status is EventStatus.CANCELLED:
        raise RuleViolation("the event is cancelled", code="event_cancelled")
    if ticket_type.event_status is EventStatus.DRAFT:
        raise RuleViolation(f"E{ticket_type.event_number} is not on sale yet: it is a draft "
                            "until its organizer publishes it", code="not_on_sale")
    if now >= ticket_type.event_starts_at:
        raise RuleViolation("the event has started: tickets are no longer sold",
                            code="sale_closed")
    if ticket_type.sale_starts_at is not None and now < ticket_type.sale_starts_at:
        raise RuleViolation(f"the sale of {ticket_type.name} opens at "
                            f"{ticket_type.sale_starts_at:%Y-%m-%d %H:%M} UTC",
                            code="sale_not_open")
    if ticket_type.sale_ends_at is not None and now >= ticket_type.sale_ends_at:
        raise RuleViolation(f"the sale of {ticket_type.name} has closed", code="sale_closed")


def check_limit(ticket_type: TicketTypeView, already: int, quantity: int) -> None:
    """The per-person limit counts what the buyer holds and has bought of this type."""
    limit = ticket_type.per_person_limit
    if limit is not None and already + quantity > limit:
        raise limit_refusal(ticket_type, already, quantity)


def limit_refusal(ticket_type: TicketTypeView, already: int, quantity: int) -> RuleViolation:
    limit = ticket_type.per_person_limit or 0
    return RuleViolation(
        f"at most {limit} {ticket_type.name} ticket(s) per person; you have {already}, "
        f"so {max(0, limit - already)} more at most", code="over_limit")


def event_limit_refusal(event: TicketTypeView, per_person: int, already: int,
                        asked: int) -> RuleViolation:
    return RuleViolation(
        f"at most {per_person} ticket(s) per person for {event.event_name}; you have "
        f"{already}, so {max(0, per_person - already)} more at most", code="over_limit",
        limit=per_person, already=already, asked=asked)
