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
from tix.core.tickets.model import Ticket


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class Tender(StrEnum):
    CASH = "cash"  # taken by a clerk at the box office
    COMP = "comp"  # complimentary, given by the event's organizer
    CARD = "card"  # Stripe
    FREE = "free"  # nothing to pay: free tickets, or a code that takes the whole price off


def price(unit_price: int, quantity: int, tender: Tender | None = None,
          discount: Discount | None = None, ticket_type_id: str | None = None) -> int:
    """What `quantity` tickets at `unit_price` (minor units) cost, paid by `tender`:
    nothing when complimentary; a percent `discount` off, when it applies to the line's
    `ticket_type_id`, rounded in the buyer's favour. Every amount of tix is computed here
    — an order's total, a ticket's price on its PDF, the sales report, the receipt, the
    box office's sums — so a discount applies everywhere at once. (A fixed amount comes
    off an order's total, not its lines: see `order_amount`.)"""
    if tender is Tender.COMP:
        return 0
    gross = unit_price * quantity
    if discount is None or not discount.percent or not discount.applies_to(ticket_type_id):
        return gross
    return gross * (100 - discount.percent) // 100  # the cent rounded off is the buyer's


@dataclass(frozen=True)
class Discount:
    """A voucher's terms as an order keeps them: a percent off the lines it applies to,
    or a fixed amount off the order (capped at those lines' total)."""

    code: str
    percent: int = 0
    amount: int = 0  # minor units, once per order
    ticket_type_ids: tuple[str, ...] = ()  # the lines it applies to; () every line

    def applies_to(self, ticket_type_id: str | None) -> bool:
        return not self.ticket_type_ids or ticket_type_id in self.ticket_type_ids


def order_amount(lines: list[OrderLine], tender: Tender | None,
                 discount: Discount | None = None) -> int:
    """What lines cost together, with the discount (never below zero)."""
    total = sum(price(line.unit_price, line.quantity, tender, discount, line.ticket_type_id)
                for line in lines)
    if discount is None or not discount.amount:
        return total
    eligible = sum(price(line.unit_price, line.quantity, tender, discount,
                         line.ticket_type_id)
                   for line in lines if discount.applies_to(line.ticket_type_id))
    return total - min(discount.amount, eligible)


def line_amounts(lines: list[OrderLine], tender: Tender | None,
                 discount: Discount | None = None) -> list[int]:
    """What each line came to, adding up to `order_amount`: a percent off each line it
    applies to, a fixed amount off those lines first line first (as the sales report
    counts it)."""
    amounts = [price(line.unit_price, line.quantity, tender, discount, line.ticket_type_id)
               for line in lines]
    left = discount.amount if discount is not None else 0
    for index, line in enumerate(lines):
        if left and discount is not None and discount.applies_to(line.ticket_type_id):
            taken = min(left, amounts[index])
            amounts[index] -= taken
            left -= taken
    return amounts


def shares(amount: int, weights: list[int]) -> list[int]:
    """`amount` split in proportion to `weights`, in whole minor units adding up to it
    (the remainder to the first): an order's refund over its lines."""
    whole = sum(weights)
    if not whole:
        return [amount] + [0] * (len(weights) - 1) if weights else []
    split = [amount * w // whole for w in weights]
    split[0] += amount - sum(split)
    return split


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
    # A card order paid in the buyer's browser (3-D Secure there): payable until then,
    # its hold's time; the daemon settles it only after.
    pay_until: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    refunded_amount: int = 0
    tendered_amount: int | None = None
    taken_by: str | None = None  # who took an offline tender, or placed a guest's order
    # A cancellation requested with its refund already decided (a buyer's: the amount
    # they were shown), finished by the daemon if the refund's answer was lost.
    cancel_refund: int | None = None
    cancel_reason: str | None = None
    # Set the moment a cancellation is asked for (a buyer, the event's, an erasure): from
    # then on the order's tickets admit nobody, though the refund may still be under way.
    cancel_requested_at: datetime | None = None
    meta: dict[str, str] = field(default_factory=dict)
    # The voucher given at checkout (its use is this order's) and its terms then.
    voucher_id: str | None = None
    discount: Discount | None = None
    test: bool = False  # placed while its event was in test mode: in no sales report
    till_id: str | None = None  # a cash sale: the till (the clerk's shift) it was taken in
    # The tickets the sale that made it issued with it (at the counter, free), numbered
    # by its commit: the caller shows them without reading them back. Not stored with
    # the order: read from anywhere else, it has none here (ask for its tickets).
    issued: list[Ticket] = field(default_factory=list, compare=False, repr=False)

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
        """What the buyer pays, the discount taken off."""
        return order_amount(self.lines, self.tender, self.discount)

    @property
    def discount_amount(self) -> int:
        """What the voucher took off (0 without one)."""
        if self.discount is None:
            return 0
        return order_amount(self.lines, self.tender) - self.amount


def ticket_price(order: Order, ticket_type_id: str) -> int:
    """What one ticket of the type cost in this order, its discount taken off: a percent
    as `price` takes it; a fixed amount off the order shared out over the tickets it
    applies to by their price (rounded down: refunding every ticket never passes what was
    paid)."""
    unit = next(line.unit_price for line in order.lines if line.ticket_type_id == ticket_type_id)
    one = price(unit, 1, order.tender, order.discount, ticket_type_id)
    terms = order.discount
    if terms is None or not terms.amount or not terms.applies_to(ticket_type_id):
        return one
    eligible = sum(price(line.unit_price, line.quantity, order.tender, terms,
                         line.ticket_type_id)
                   for line in order.lines if terms.applies_to(line.ticket_type_id))
    taken = min(terms.amount, eligible)
    return one * (eligible - taken) // eligible if eligible else 0


class RefundStatus(StrEnum):
    PENDING = "PENDING"  # recorded, its money not yet known to be back
    DONE = "DONE"  # the payment service gave it back


@dataclass
class Refund:
    """Money given back out of an order, short of cancelling it: one ticket's price (the
    ticket voided) or an amount. Recorded — and counted in the order's refunded amount —
    before the payment service is asked, so refunds never add up to more than was paid;
    `key` makes asking again (a lost reply) find this refund rather than make another."""

    id: str
    order_id: str
    key: str
    amount: int  # minor units
    reason: str
    actor_id: str | None
    actor: str
    created_at: datetime
    ticket_id: str | None = None
    ticket_number: str | None = None
    status: RefundStatus = RefundStatus.PENDING
    reference: str | None = None  # the payment service's, once done
    done_at: datetime | None = None


@dataclass(frozen=True)
class PaymentState:
    """Where a payment completed in the buyer's browser stands, as the gateway says:
    `status` one of succeeded, processing, requires_action (the bank's check, in the
    browser), requires_payment_method (none tried yet, or `declined`: why the last was
    refused), canceled. `client_secret` is for the browser's Stripe.js only: never stored,
    never logged."""

    status: str
    client_secret: str = field(repr=False)
    declined: str = ""


@dataclass(frozen=True)
class BrowserPayment:
    """An order being paid in the browser, and where its payment stands."""

    order: Order
    state: PaymentState | None  # None once the order is settled (paid, failed)


@dataclass(frozen=True)
class OrderStanding:
    """Where an order stands, as a door asks: whether its tickets may enter, and what a
    refusal names. Read without the order's lines (every scan reads it)."""

    number: str
    status: OrderStatus
    refunded_amount: int
    cancel_requested_at: datetime | None

    @property
    def admits(self) -> bool:
        """Whether the order's tickets may open the door: paid, and no cancellation asked."""
        return self.status is OrderStatus.COMPLETED and self.cancel_requested_at is None


class OrderNumberTaken(Exception):
    """A new order's number was taken by another order meanwhile (rare: numbers are short
    and random). Nothing was committed; the sale is tried again with a new number."""


def new_order_number() -> str:
    """TIX-7K4M-Q2: short enough to read out at the door."""
    code = readable_code(6)
    return f"TIX-{code[:4]}-{code[4:]}"
