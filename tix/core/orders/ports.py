"""What the orders module needs: storage and a way to take money."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from tix.core.inventory.model import Hold
from tix.core.orders.model import Order, OrderStanding, PaymentState, Refund
from tix.core.principal import Principal

if TYPE_CHECKING:
    from tix.core.orders.answers import Answer
    from tix.core.orders.till import Till


class Orders(Protocol):
    def add(self, order: Order) -> None: ...

    def get(self, reference: str, *, lock: bool = False) -> Order | None:
        """By id or readable number (TIX-7K4M-Q2)."""
        ...

    def standing(self, order_id: str, *, lock: bool = False) -> OrderStanding | None:
        """Where the order stands, without its lines; `lock` as for `get`."""
        ...

    def by_payment(self, payment_reference: str) -> Order | None:
        """The order a payment service's id (a PaymentIntent's) belongs to."""
        ...

    def save(self, order: Order) -> None: ...

    def complete(self, order: Order) -> bool:
        """PENDING → COMPLETED, once: False if another process got there first."""
        ...

    def tickets_bought(self, user_id: str, ticket_type_id: str) -> int: ...

    def tickets_bought_in_event(self, user_id: str, event_id: str) -> int:
        """Tickets of every type of the event in the user's PENDING and COMPLETED orders."""
        ...

    def erase_holders(self, user_id: str) -> int:
        """GDPR: the holder names of the user's orders become "(erased)"."""
        ...

    def buyers_of_event(self, event_id: str) -> list[str]:
        """Users holding a completed order of the event (who must hear of changes)."""
        ...

    def visible_to(self, user_id: str, *, organizer: bool, clerk: bool, admin: bool,
                   limit: int, co_organized: bool = False) -> list[Order]:
        """Newest first: the user's own orders, and (as asked) those they took at the
        counter, of the events they organize, of those whose team has them as a
        co-organizer; every order for an admin."""
        ...

    def stale_pending(self, before: datetime, limit: int, *, now: datetime) -> list[Order]:
        """PENDING orders started before `before`, locked for one resumer; an order paid in
        the buyer's browser only once its time to pay (`pay_until`) is up at `now`."""
        ...

    def request_cancellation(self, event_id: str, now: datetime) -> int:
        """Mark every completed order of the event for a full refund."""
        ...

    def request_cancellation_of_user(self, user_id: str, now: datetime) -> int:
        """Mark the user's completed orders for events not yet started for cancellation."""
        ...

    def sales_since(self, event_id: str, since: datetime) -> list[tuple[datetime, int]]:
        """(completed at, tickets) of the event's completed orders since then."""
        ...

    def of_user(self, user_id: str) -> list[Order]:
        """Every order the user placed, newest first (their GDPR export)."""
        ...

    def request_buyer_cancellation(self, order_id: str, refund: int, reason: str,
                                   now: datetime, claimed_until: datetime) -> bool:
        """Mark a COMPLETED order for cancellation with its refund decided, claimed by the
        caller until then; False if it is no longer COMPLETED."""
        ...

    def claim_cancellations(self, limit: int, now: datetime, until: datetime) -> list[Order]:
        """COMPLETED orders marked for cancellation that nobody has claimed (or whose claim
        ran out), claimed until `until`: no two processes refund one order at once."""
        ...

    def of_till(self, till_id: str) -> list[Order]:
        """The cash sales taken in a till, with their refunds as they stand."""
        ...

    def sold_per_type(self, ticket_type_ids: list[str]) -> dict[str, tuple[int, int]]:
        """(tickets, revenue) of completed orders, per ticket type: the tickets less the
        ones given back (their seats sold again count once), the revenue as paid."""
        ...

    def seat_given_back(self, order_id: str, ticket_type_id: str) -> None:
        """One ticket of the order's line of that type was given back (refunded or
        voided), its seat on sale again: the line counts it returned."""
        ...

    def reserve_refund(self, refund: Refund, paid: int, claimed_until: datetime) -> bool:
        """Add the refund to the order's refunded amount if that stays within `paid` (a
        conditional update: the database's word, whatever runs beside it) and the order
        is COMPLETED with no cancellation asked; then store the refund, claimed by the
        caller. False, nothing written, otherwise."""
        ...

    def refund_by_key(self, order_id: str, key: str) -> Refund | None: ...

    def refunds_of(self, order_id: str) -> list[Refund]:
        """The order's refunds short of a cancellation, oldest first."""
        ...

    def refunds_under_way(self, order_id: str) -> int:
        """How many of the order's refunds wait for the payment service's yes."""
        ...

    def claim_refund(self, refund_id: str, now: datetime, until: datetime) -> bool:
        """Take a PENDING refund nobody holds (or whose claim ran out) until `until`."""
        ...

    def claim_refunds(self, limit: int, now: datetime, until: datetime) -> list[Refund]:
        """PENDING refunds nobody holds, claimed until `until` (the daemon's sweep)."""
        ...

    def finish_refund(self, refund_id: str, reference: str, now: datetime) -> bool:
        """PENDING → DONE, once: False if it was done already."""
        ...

    def count_of_event(self, event_id: str) -> int:
        """How many orders the event has, in any state."""
        ...

    def numbers(self, order_ids: list[str]) -> dict[str, str]:
        """Order id -> readable number, for those that exist."""
        ...

    def of_event(self, event_id: str, *, batch: int, paid_only: bool = False,
                 holders: bool = False) -> Iterator[Sequence[Order]]:
        """Every order of the event, oldest first, with its lines, `batch` at a time and
        never all at once. `paid_only`: those that were paid (completed, or cancelled
        after), test orders left out, as a report counts them. `holders` False: the
        names are not read (the orders' `holders` are empty)."""
        ...


class PaymentGateway(Protocol):
    """Takes and gives back money. Every call carries an idempotency key derived from the
    order and the step, so a step run twice never charges twice."""

    def start(self, order: Order, *, idempotency_key: str) -> str | None:
        """Open the order's payment without moving money, and return its reference, which
        the saga records before charging: a charge whose reply is lost can then be looked
        up by it. None when there is nothing to record (money taken at the counter)."""
        ...

    def charge(self, order: Order, *, idempotency_key: str) -> str:
        """Take the order's amount (through the payment `start` opened, when the order
        carries its reference); returns the payment reference. Raises RuleViolation when
        declined, Unavailable when the gateway cannot be reached."""
        ...

    def find_payment(self, order: Order) -> str | None:
        """The reference of a payment already taken for the order, if any."""
        ...

    def refund(self, order: Order, amount: int, *, idempotency_key: str) -> str:
        """Give money back until the order's refunds come to `amount` in all (a repeated
        call gives nothing more); returns the refund's reference."""
        ...

    def refund_part(self, order: Order, amount: int, *, refund_id: str,
                    idempotency_key: str) -> str:
        """Give `amount` back as the refund `refund_id`, once: asked again (its reply was
        lost), the refund already made under that id is found, not made again. Returns
        its reference. Raises Unavailable when the service cannot be reached."""
        ...

    def open_in_browser(self, order: Order, *, idempotency_key: str) -> str:
        """Open the order's payment for the buyer's browser to complete (Stripe.js: the
        card, and 3-D Secure, never pass through tix); nothing is charged here. Returns its
        reference. Refused (Invalid) by a gateway that takes no money online."""
        ...

    def browser_payment(self, order: Order, *, payment_method: str | None = None,
                        idempotency_key: str) -> PaymentState:
        """Where the order's payment stands (its reference recorded); given the browser's
        `payment_method` (an id: pm_…, card_…), that method is tried first."""
        ...


class HoldKeeper(Protocol):
    """What checkout asks of the inventory's service when tickets are bought at once: a
    hold placed for the buyer, and given back if the purchase does not go through."""

    def hold_basket(self, principal: Principal, items: list[tuple[str, int]], *,
                    voucher: str | None = None) -> Hold: ...

    def release_hold(self, hold_id: str) -> None: ...


class Tills(Protocol):
    """The tills of clerks' shifts (owned by the orders module, beside the sales)."""

    def add(self, till: Till) -> None:
        """A new open till; RuleViolation (code till_open) if the clerk has one open
        already (two opens at once: the database's unique index settles it)."""
        ...

    def get(self, till_id: str, *, lock: bool = False) -> Till | None: ...

    def latest_of(self, clerk_id: str, *, lock: bool = False) -> Till | None:
        """The clerk's open till, else the one they closed last; None if they never
        opened one. `lock`: the row locked until the transaction ends."""
        ...

    def close(self, till: Till) -> bool:
        """Store the count and close the till, once: False if it was closed meanwhile."""
        ...


class Answers(Protocol):
    """The answers to an event's questions given with orders (personal data)."""

    def add(self, order_id: str, answers: list[Answer]) -> None:
        """Stored with the unit of work's other new rows, after the order's."""
        ...

    def of_order(self, order_id: str) -> list[Answer]: ...

    def of_orders(self, order_ids: list[str]) -> dict[str, list[Answer]]:
        """The answers of each of these orders that has any, by order id, in one read."""
        ...

    def of_user(self, user_id: str) -> dict[str, list[Answer]]:
        """The answers of each order the user placed, by order id."""
        ...

    def erase_of_user(self, user_id: str) -> int:
        """GDPR: the answers of the user's orders are deleted; returns how many."""
        ...
