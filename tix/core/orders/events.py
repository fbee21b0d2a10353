"""Messages the orders module publishes. Other modules (tickets, notifications) rely on
these fields: add fields freely, rename none."""

from __future__ import annotations

from dataclasses import dataclass, field

from tix.core.messages import Message


@dataclass(frozen=True, kw_only=True)
class PaymentCompleted(Message):
    """Written in the transaction that confirms the order."""

    order_id: str
    order_number: str
    user_id: str
    ticket_type_id: str
    quantity: int
    holders: list[str] = field(default_factory=list)  # one name per seat, in seat order
    amount: int = 0  # minor units
    currency: str = ""
    payment_reference: str = ""
    unit_price: int | None = None  # the first line's ticket price as paid; None in older messages
    # An order of several lines: each line's ticket type, quantity and price as paid, in
    # seat order (ticket_type_id and quantity above are then the first line's and the
    # total). Empty in messages written before orders had lines: one line, the above.
    line_types: list[str] = field(default_factory=list)
    line_quantities: list[int] = field(default_factory=list)
    line_prices: list[int] = field(default_factory=list)
    # A voucher's code and what it took off the order (the amount above is after it).
    voucher: str = ""
    discount: int = 0

    def lines(self) -> list[tuple[str, int, int | None]]:
        """(ticket type id, quantity, ticket price as paid) per line, in seat order."""
        if self.line_types:
            return list(zip(self.line_types, self.line_quantities, self.line_prices,
                            strict=True))
        return [(self.ticket_type_id, self.quantity, self.unit_price)]

    def seat_types(self) -> list[str]:
        """The ticket type id of each seat, in seat order."""
        return [type_id for type_id, quantity, _ in self.lines() for _ in range(quantity)]


@dataclass(frozen=True, kw_only=True)
class OrderFailed(Message):
    order_id: str
    order_number: str
    user_id: str
    reason: str
    refunded: bool = False  # money was taken, then given back (tickets gone, or a crash)


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Message):
    order_id: str
    order_number: str
    user_id: str
    event_id: str
    refund_amount: int  # minor units
    currency: str
    reason: str = ""
    total: int | None = None  # the order's amount (None: a message written before it was)


@dataclass(frozen=True, kw_only=True)
class OrderRefunded(Message):
    """Part of an order's money is back (a ticket's price or an amount); the order stays
    COMPLETED. Written in the transaction that records the payment service's yes."""

    order_id: str
    order_number: str
    user_id: str
    event_id: str
    refund_id: str
    amount: int  # minor units, this refund's
    refunded_total: int  # the order's refunds so far, this one with them
    currency: str
    reason: str = ""
    ticket_number: str = ""  # the ticket refunded and voided, if it was one
