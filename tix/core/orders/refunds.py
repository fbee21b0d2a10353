"""Refunds short of a cancellation, by the event's organizer or an admin: one ticket's
price (the ticket voided, its seat back on sale) or any amount up to what is left.

A refund is recorded first, in the transaction whose conditional UPDATE counts it in the
order's refunded amount (never past what was paid, whatever runs beside it); only then is
the payment service asked, outside any transaction, for that refund by its id. A lost
answer leaves it PENDING: the daemon (`finish_refunds`) or the same command asked again
with the same key finishes it, and the payment service's refund carrying its id is found,
not made twice.
"""

from __future__ import annotations

from datetime import timedelta

from tix.core.audit.service import AuditService
from tix.core.catalog.public import format_money
from tix.core.clock import Clock
from tix.core.errors import Busy, Invalid, NotFound, RuleViolation, Unavailable
from tix.core.ids import new_id
from tix.core.inventory.public import give_back
from tix.core.orders.events import OrderRefunded
from tix.core.orders.model import (
    Order,
    OrderStatus,
    Refund,
    RefundStatus,
    Tender,
    ticket_price,
)
from tix.core.orders.policy import gateway_for, managed_order
from tix.core.orders.ports import PaymentGateway
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal
from tix.core.tickets.model import Ticket, TicketStatus
from tix.core.tickets.public import order_ticket, void_ticket

# Whoever asks the payment service for a refund has it to themselves this long; should
# they stop half-way (a lost answer, a crash), the daemon takes it over after that.
REFUND_CLAIM = timedelta(minutes=1)
REASON_LENGTH = 200
KEY_LENGTH = 100  # as order_refunds.key holds it


class Refunds:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService,
                 gateways: dict[Tender, PaymentGateway]) -> None:
        self._uow = uow
        self._clock = clock
        self._audit = audit
        self._gateways = gateways

    def refund(self, principal: Principal, reference: str, *, amount: int | None = None,
               ticket: str | None = None, reason: str | None = None,
               key: str | None = None) -> Refund:
        """Refund `amount` (minor units) or the price of `ticket` (E12-000123: voided, its
        seat back on sale) out of a COMPLETED order. With a `key` of the caller's, the same
        refund asked again is found (and finished if its answer was lost), not made twice;
        a ticket's refund is keyed by the ticket anyway."""
        if (amount is None) == (ticket is None):
            raise Invalid("give a ticket or an amount to refund (one of them); to refund "
                          "all that is left, cancel the order", field="refund")
        if amount is not None and amount <= 0:
            raise Invalid("the amount to refund must be more than 0", field="amount")
        reason = (reason or "").strip()
        if len(reason) > REASON_LENGTH or "\x00" in reason:
            raise Invalid(f"the reason must be at most {REASON_LENGTH} characters of text",
                          field="reason")
        if key is not None and not (0 < len(key) <= KEY_LENGTH and key.isprintable()):
            raise Invalid(f"the key must be 1 to {KEY_LENGTH} printable characters",
                          field="key")
        with self._uow() as uow:
            found = managed_order(uow, principal, reference, doing="refund an order")
            order = uow.orders.get(found.id, lock=True)  # one refund of it at a time
            assert order is not None
            given = order_ticket(uow, order.id, ticket) if ticket is not None else None
            if ticket is not None and given is None:
                raise NotFound("ticket", ticket, order=order.number)
            key = key or (f"ticket:{given.id}" if given is not None else None) or new_id()
            earlier = uow.orders.refund_by_key(order.id, key)
            if earlier is None:
                refund = self._record(uow, principal, order, given, amount, reason, key)
        if earlier is not None:  # asked again: this refund, not another
            if amount is not None and amount != earlier.amount:
                raise Invalid(f"key {key} is the refund of "
                              f"{self._money(order, earlier.amount)}, not of "
                              f"{self._money(order, amount)}", field="key")
            return self._finish(order, earlier, claimed=False)
        return self._finish(order, refund, claimed=True)

    def _record(self, uow: UnitOfWork, principal: Principal, order: Order,
                given: Ticket | None, amount: int | None, reason: str, key: str) -> Refund:
        """Count the refund in the order and store it, claimed, in one commit."""
        _refuse_unless_refundable(uow, order)
        if given is not None:
            if given.status is not TicketStatus.VALID:
                raise RuleViolation(
                    f"ticket {given.number} is {given.status.value.lower()}: refund an "
                    "amount instead", code="ticket_not_refundable",
                    ticket=given.number)
            amount = ticket_price(order, given.ticket_type_id)
        assert amount is not None
        refund = Refund(id=new_id(), order_id=order.id, key=key, amount=amount,
                        reason=reason or "refunded by the organizer",
                        actor_id=principal.user_id, actor=principal.email,
                        created_at=self._clock.now(), ticket_id=given.id if given else None,
                        ticket_number=given.number if given else None)
        if amount > order.amount - order.refunded_amount \
                or not uow.orders.reserve_refund(refund, paid=order.amount,
                                                claimed_until=refund.created_at + REFUND_CLAIM):
            raise _over(uow, order, amount)
        if given is not None:  # it stops admitting, and its seat is on sale again, with
            void_ticket(uow, given.id)  # this commit
            give_back(uow, {given.ticket_type_id: 1}, "refunded")
            uow.orders.seat_given_back(order.id, given.ticket_type_id)
        uow.commit()
        return refund

    def refunds_of(self, order_id: str) -> list[Refund]:
        """An order's refunds short of a cancellation (whoever may see the order)."""
        with self._uow(readonly=True) as uow:
            return uow.orders.refunds_of(order_id)

    def finish_refunds(self) -> int:
        """Daemon job: refunds left PENDING (a lost answer, a crash) whose claim ran out
        are asked of the payment service again, by their ids: each is made once."""
        now = self._clock.now()
        with self._uow() as uow:
            refunds = uow.orders.claim_refunds(50, now, now + REFUND_CLAIM)
            orders = {r.order_id: uow.orders.get(r.order_id) for r in refunds}
            uow.commit()
        done = 0
        for refund in refunds:
            order = orders[refund.order_id]
            if order is None:
                continue
            try:
                self._finish(order, refund, claimed=True)
            except Unavailable:
                continue  # asked again once the claim runs out
            done += 1
        return done

    def _finish(self, order: Order, refund: Refund, *, claimed: bool) -> Refund:
        """Ask the payment service for the refund (unless done), then record its yes and
        announce it (OrderRefunded), once."""
        if refund.status is RefundStatus.DONE:
            return refund
        now = self._clock.now()
        if not claimed:  # a refund asked again: unless another holds it right now
            with self._uow() as uow:
                claimed = uow.orders.claim_refund(refund.id, now, now + REFUND_CLAIM)
                uow.commit()
            if not claimed:  # safe to ask again: it is this refund, whoever finishes it
                raise Busy(f"the refund of {self._money(order, refund.amount)} of order "
                           f"{order.number} is under way; look again shortly "
                           "(tix order show)", code="refund_under_way")
        try:
            reference = (gateway_for(self._gateways, order.tender).refund_part(
                order, refund.amount, refund_id=refund.id,
                idempotency_key=f"{order.id}:refund:{refund.id}")
                if refund.amount else "nothing to refund")
        except Unavailable as error:
            raise Unavailable(f"{error.message}; the refund of "
                              f"{self._money(order, refund.amount)} of order {order.number} "
                              "is recorded and completes when the payment service answers "
                              "(tix order show)") from None
        with self._uow() as uow:
            if uow.orders.finish_refund(refund.id, reference, self._clock.now()):
                current = uow.orders.get(order.id)
                assert current is not None
                uow.publish(OrderRefunded(
                    order_id=order.id, order_number=order.number, user_id=order.user_id,
                    event_id=order.event_id, refund_id=refund.id, amount=refund.amount,
                    refunded_total=current.refunded_amount, currency=order.currency,
                    reason=refund.reason, ticket_number=refund.ticket_number or ""))
                self._audit.record(uow, "order.refunded_part", subject=f"order:{order.id}",
                                   actor_id=refund.actor_id, actor=refund.actor,
                                   details={"amount": str(refund.amount),
                                            "currency": order.currency,
                                            "ticket": refund.ticket_number or "",
                                            "reason": refund.reason})
            uow.commit()
        refund.status, refund.reference, refund.done_at = RefundStatus.DONE, reference, now
        return refund

    @staticmethod
    def _money(order: Order, amount: int) -> str:
        return format_money(amount, order.currency)


def _refuse_unless_refundable(uow: UnitOfWork, order: Order) -> None:
    if order.status is not OrderStatus.COMPLETED:
        raise RuleViolation(f"order {order.number} is {order.status.value.lower()}: "
                            "nothing to refund", code="not_refundable")
    if order.cancel_requested_at is not None:
        raise RuleViolation(f"order {order.number} is being cancelled: its refund is under "
                            "way", code="not_refundable")


def _over(uow: UnitOfWork, order: Order, amount: int) -> RuleViolation:
    """The refusal of a refund past what is left, naming what is (read again: another
    refund may have taken some meanwhile)."""
    current = uow.orders.get(order.id) or order
    left = max(0, current.amount - current.refunded_amount)
    money = format_money
    return RuleViolation(
        f"order {order.number}: {money(amount, order.currency)} is more than is left to "
        f"refund: {money(left, order.currency)} (paid {money(order.amount, order.currency)},"
        f" refunded {money(current.refunded_amount, order.currency)})",
        code="over_refundable", left=left, paid=order.amount,
        refunded_total=current.refunded_amount, currency=order.currency)
