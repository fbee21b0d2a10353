"""Placing holds, and giving back the ones that ran out."""

from __future__ import annotations

from datetime import timedelta

from tix.core.clock import Clock
from tix.core.errors import NotFound
from tix.core.ids import new_id
from tix.core.inventory.events import HoldExpired
from tix.core.inventory.model import (
    DEFAULT_HOLD_TTL,
    Hold,
    HoldLine,
    check_on_sale,
    check_quantity,
)
from tix.core.inventory.public import (
    check_buyer_limit,
    check_event_limits,
    commit_sale,
    give_back,
    resolve_basket,
    take,
)
from tix.core.ports import RateLimiter, UnitOfWorkFactory
from tix.core.principal import Principal
from tix.core.ratelimit import Rate, enforce
from tix.core.vouchers.public import give_back as give_back_voucher
from tix.core.vouchers.public import redeem as redeem_voucher

EXPIRY_BATCH = 500


class InventoryService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, limiter: RateLimiter,
                 hold_ttl: timedelta = DEFAULT_HOLD_TTL, holds_per_minute: int = 20) -> None:
        self._uow = uow
        self._clock = clock
        self._limiter = limiter
        self.hold_ttl = hold_ttl
        self._hold_rate = Rate(holds_per_minute, timedelta(minutes=1))

    def place_hold(self, principal: Principal, ticket_type_id: str, quantity: int, *,
                   voucher: str | None = None) -> Hold:
        """Tickets of one type set aside (a basket of one line)."""
        return self.hold_basket(principal, [(ticket_type_id, quantity)], voucher=voucher)

    def hold_basket(self, principal: Principal, items: list[tuple[str, int]], *,
                    voucher: str | None = None) -> Hold:
        """Tickets of several types of one event set aside together: every line or none
        (ticket types by id or reference, E12-T2, with their quantities).

        With a `voucher` code the hold takes one of its uses, in the same commit: the
        order made of the hold keeps it, and releasing or letting the hold expire gives
        it back. A hidden ticket type is held only with a code that unlocks it."""
        now = self._clock.now()
        for _, quantity in items:
            check_quantity(quantity)  # bad input is refused before it counts as an attempt
        enforce(self._limiter, f"holds:{principal.user_id}", self._hold_rate, now, "holds")
        with self._uow() as uow:
            types, asked = resolve_basket(uow, items, what="a hold")
            lines = [HoldLine(type_id, quantity) for type_id, quantity in asked]
            redeemed = redeem_voucher(uow, voucher, [(types[line.ticket_type_id],
                                                      line.quantity) for line in lines], now)
            for line in lines:
                check_on_sale(types[line.ticket_type_id], line.quantity, now)
                check_buyer_limit(uow, principal, types[line.ticket_type_id], line.quantity,
                                  now)
            check_event_limits(uow, principal, types,
                               [(line.ticket_type_id, line.quantity) for line in lines], now)
            hold = Hold(id=new_id(), user_id=principal.user_id, lines=lines, created_at=now,
                        expires_at=now + self.hold_ttl,
                        voucher_id=redeemed.id if redeemed else None)
            uow.holds.add(hold)
            for line in lines:  # last: the stock rows are every buyer's
                take(uow, line.ticket_type_id, line.quantity)
            commit_sale(uow, types)
        return hold

    def expire_holds(self) -> int:
        """Give expired holds' tickets back (a daemon job); returns how many holds."""
        now = self._clock.now()
        with self._uow() as uow:
            expired = uow.holds.take_expired(now, EXPIRY_BATCH)
            returned: dict[str, int] = {}
            for hold in expired:
                give_back_voucher(uow, hold.voucher_id)
                for line in hold.lines:
                    returned[line.ticket_type_id] = returned.get(line.ticket_type_id, 0) \
                        + line.quantity
                    uow.publish(HoldExpired(hold_id=hold.id, ticket_type_id=line.ticket_type_id,
                                            user_id=hold.user_id, quantity=line.quantity))
            give_back(uow, returned, "expired")
            uow.commit()
        return len(expired)

    def release_hold(self, hold_id: str) -> None:
        """Give an unused hold's tickets back at once (a purchase that did not go through)."""
        with self._uow() as uow:
            hold = uow.holds.get(hold_id, lock=True)
            if hold is not None and uow.holds.release(hold_id):
                give_back(uow, hold.quantities, "released")
                give_back_voucher(uow, hold.voucher_id)
                uow.commit()

    def get_hold(self, principal: Principal, hold_id: str) -> Hold:
        with self._uow(readonly=True) as uow:
            hold = uow.holds.get(hold_id)
        if hold is None or hold.user_id != principal.user_id:
            raise NotFound("hold", hold_id)
        return hold
