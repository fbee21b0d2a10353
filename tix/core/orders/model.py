"""Orders, their tenders and the one price function.

A PENDING order is a card sale under way, its saga's state stored on it: reserved (the
hold became the order), a payment opened (`payment_reference`, stored before any money
moves), paid (`paid_at`, with COMPLETED, in the transaction that announces it). The daemon
resumes any PENDING order from those fields and the payment service's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tix.core.ids import readable_code


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class Tender(StrEnum):
    CASH = "cash"  # taken by a clerk at the box office
    COMP = "comp"  # complimentary, given by the event's organizer
    CARD = "card"  # Stripe


def price(unit_price: int, quantity: int, tender: Tender | None = None) -> int:
    """What `quantity` tickets at `unit_price` (minor units) cost, paid by `tender`:
    nothing when complimentary. Every amount of tix is computed here — an order's total,
    a ticket's price on its PDF, the sales report, the receipt, the box office's sums —
    so a discount, once there is one, applies everywhere at once."""
    return 0 if tender is Tender.COMP else unit_price * quantity


@dataclass(frozen=True)
class OrderLine:
    """Tickets of one type in an order, at the price they were sold for."""

    ticket_type_id: str
    quantity: int
    unit_price: int  # minor units, kept as it was when sold


@dataclass
class Order:
    """One payment for tickets of one event: a line per ticket type. Seats are numbered
    across the lines in their order (the first line's tickets first); `holders` has a
    name per seat."""

    id: str
    number: str
    user_id: str
    event_id: str
    lines: list[OrderLine]
    currency: str
    tender: Tender
    holders: list[str]
    created_at: datetime
    status: OrderStatus = OrderStatus.PENDING
    payment_reference: str | None = None
    failure_reason: str | None = None
    paid_at: datetime | None = None  # card orders: when the gateway's answer said paid
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    refunded_amount: int = 0
    tendered_amount: int | None = None
    taken_by: str | None = None  # the clerk or organizer who took an offline tender
    # A cancellation requested with its refund already decided (a buyer's: the amount
    # they were shown), finished by the daemon if the refund's answer was lost.
    cancel_refund: int | None = None
    cancel_reason: str | None = None
    # Set the moment a cancellation is asked for (a buyer, the event's, an erasure): from
    # then on the order's tickets admit nobody, though the refund may still be under way.
    cancel_requested_at: datetime | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def admits(self) -> bool:
        """Whether the order's tickets may open the door: paid, and no cancellation asked."""
        return self.status is OrderStatus.COMPLETED and self.cancel_requested_at is None

    @property
    def quantity(self) -> int:
        """Tickets in the order, of every type."""
        return sum(line.quantity for line in self.lines)

    @property
    def quantities(self) -> dict[str, int]:
        """Tickets per ticket type id."""
        return {line.ticket_type_id: line.quantity for line in self.lines}

    @property
    def seat_types(self) -> list[str]:
        """The ticket type id of each seat, in seat order."""
        return [line.ticket_type_id for line in self.lines for _ in range(line.quantity)]

    @property
    def amount(self) -> int:
        return sum(price(line.unit_price, line.quantity, self.tender) for line in self.lines)


class OrderNumberTaken(Exception):
    """A new order's number was taken by another order meanwhile (rare: numbers are short
    and random). Nothing was committed; the sale is tried again with a new number."""


def new_order_number() -> str:
    """TIX-7K4M-Q2: short enough to read out at the door."""
    code = readable_code(6)
    return f"TIX-{code[:4]}-{code[4:]}"
