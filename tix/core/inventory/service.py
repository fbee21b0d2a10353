"""Placing holds, and giving back the ones that ran out."""

from __future__ import annotations

from datetime import datetime, timedelta

from tix.core.catalog.model import TicketTypeView
from tix.core.catalog.references import find_ticket_type
from tix.core.clock import Clock
from tix.core.errors import NotFound, RuleViolation
from tix.core.ids import new_id
from tix.core.inventory.events import HoldExpired
from tix.core.inventory.model import (
    DEFAULT_HOLD_TTL,
    Hold,
    check_limit,
    check_on_sale,
    check_quantity,
)
from tix.core.ports import RateLimiter, UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal, Role
from tix.core.ratelimit import Rate, enforce

EXPIRY_BATCH = 500


class InventoryService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, limiter: RateLimiter,
                 hold_ttl: timedelta = DEFAULT_HOLD_TTL, holds_per_minute: int = 20) -> None:
        self._uow = uow
        self._clock = clock
        self._limiter = limiter
        self.hold_ttl = hold_ttl
        self._hold_rate = Rate(holds_per_minute, timedelta(minutes=1))

    def place_hold(self, principal: Principal, ticket_type_id: str, quantity: int) -> Hold:
        now = self._clock.now()
        check_quantity(quantity)  # bad input is refused before it counts as an attempt
        enforce(self._limiter, f"holds:{principal.user_id}", self._hold_rate, now, "holds")
        with self._uow() as uow:
            ticket_type = find_ticket_type(uow.catalog, ticket_type_id)  # id or E12-T2
            if ticket_type is None:
                raise NotFound("ticket type", ticket_type_id)
            check_on_sale(ticket_type, quantity, now)
            check_buyer_limit(uow, principal, ticket_type, quantity, now)
            hold = Hold(id=new_id(), ticket_type_id=ticket_type.id, user_id=principal.user_id,
                        quantity=quantity, created_at=now, expires_at=now + self.hold_ttl)
            uow.holds.add(hold)
            take_tickets_and_commit(uow, ticket_type, quantity)
        return hold

    def expire_holds(self) -> int:
        """Give expired holds' tickets back (a daemon job); returns how many holds."""
        now = self._clock.now()
        with self._uow() as uow:
            expired = uow.holds.take_expired(now, EXPIRY_BATCH)
            returned: dict[str, int] = {}
            for hold in expired:
                returned[hold.ticket_type_id] = returned.get(hold.ticket_type_id, 0) \
                    + hold.quantity
                uow.publish(HoldExpired(hold_id=hold.id, ticket_type_id=hold.ticket_type_id,
                                        user_id=hold.user_id, quantity=hold.quantity))
            uow.give_back_and_commit(returned)
        return len(expired)

    def release_hold(self, hold_id: str) -> None:
        """Give an unused hold's tickets back at once (a purchase that did not go through)."""
        with self._uow() as uow:
            hold = uow.holds.get(hold_id, lock=True)
            if hold is not None and uow.holds.release(hold_id):
                uow.give_back_and_commit({hold.ticket_type_id: hold.quantity})

    def get_hold(self, principal: Principal, hold_id: str) -> Hold:
        with self._uow(readonly=True) as uow:
            hold = uow.holds.get(hold_id)
        if hold is None or hold.user_id != principal.user_id:
            raise NotFound("hold", hold_id)
        return hold


def check_buyer_limit(uow: UnitOfWork, principal: Principal, ticket_type: TicketTypeView,
                      quantity: int, now: datetime) -> None:
    """The per-person limit, counting the buyer's active holds and bought tickets.

    Counter staff sell to a new person with every sale: for them the limit is per sale
    (counting their own sales would stop a box office after four tickets)."""
    if ticket_type.per_person_limit is None:
        return
    if principal.has_role(Role.CLERK):
        check_limit(ticket_type, 0, quantity)
        return
    user_id = principal.user_id
    uow.holds.lock_buyer(user_id, ticket_type.id)
    already = (uow.holds.held_by(user_id, ticket_type.id, now)
               + uow.orders.tickets_bought(user_id, ticket_type.id))
    check_limit(ticket_type, already, quantity)


def take_tickets_and_commit(uow: UnitOfWork, ticket_type: TicketTypeView,
                            quantity: int) -> None:
    """Take tickets out of availability as the transaction's last step and commit it, or
    refuse saying how many are left (and commit nothing).

    Last, because every buyer of the type waits on the stock row's lock: it is held for
    the decrement and the commit only."""
    if not uow.take_and_commit(ticket_type.id, quantity):
        raise not_enough_tickets(uow, ticket_type, quantity)


def not_enough_tickets(uow: UnitOfWork, ticket_type: TicketTypeView,
                       quantity: int) -> RuleViolation:
    """The refusal of a take that found too few tickets, saying how many are left."""
    level = uow.stock.levels([ticket_type.id]).get(ticket_type.id)
    left = level.available if level else 0
    return RuleViolation(
        f"sold out: {ticket_type.name} has no tickets left" if left == 0 else
        f"not enough {ticket_type.name} tickets: {left} left, {quantity} asked",
        code="sold_out" if left == 0 else "not_enough")
