"""Cancellations and refunds: a buyer's under the event's policy, an organizer's, those of
a cancelled event or an erased account.

A cancellation is recorded before its refund is asked for: if the payment service's
answer is lost, the daemon finishes it (`refund_cancelled_events`) with the refund
promised. The money back, the order is CANCELLED, its tickets voided and its seats put
back on sale in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tix.core.accounts.events import AccountErased
from tix.core.audit.service import AuditService
from tix.core.catalog.events import EventCancelled
from tix.core.catalog.model import Event, EventStatus, RefundTerms, duration_words
from tix.core.catalog.public import event as find_event
from tix.core.clock import Clock
from tix.core.errors import Invalid, NotAllowed, RuleViolation, Unavailable
from tix.core.inventory.public import give_back
from tix.core.orders.events import OrderCancelled
from tix.core.orders.model import Order, OrderStatus, Tender
from tix.core.orders.policy import gateway_for, may_manage_orders, visible_order
from tix.core.orders.ports import PaymentGateway
from tix.core.orders.till import may_undo_at_the_counter
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal
from tix.core.tickets.model import TicketStatus
from tix.core.tickets.public import tickets_of_order, used_ticket_numbers, void_order_tickets
from tix.core.vouchers.public import give_back as give_back_voucher

# Whoever refunds a requested cancellation has it to themselves this long; should they
# stop half-way (a lost answer, a crash), the daemon takes it over after that.
CANCELLATION_CLAIM = timedelta(minutes=1)
REASON_LENGTH = 200  # as the order keeps it


@dataclass(frozen=True)
class CancellationQuote:
    """Shown before a cancellation is confirmed: the refund and the rule that gives it —
    the event's policy (`terms`), or none when the event's organizer or an admin cancels
    (all that is left of the payment comes back)."""

    order: Order
    refund: int  # minor units
    terms: RefundTerms | None

    @property
    def percent(self) -> int:
        """The share of the order's total refunded by the rule."""
        return 100 if self.terms is None else self.terms.percent

    def describe(self) -> str:
        if self.terms is not None:
            return self.terms.describe()
        refunded = self.order.refunded_amount
        return ("in full: cancelled by the organizer" if not refunded
                else "all that is left: cancelled by the organizer")


class Cancellations:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService,
                 gateways: dict[Tender, PaymentGateway]) -> None:
        self._uow = uow
        self._clock = clock
        self._audit = audit
        self._gateways = gateways

    def cancel(self, principal: Principal, reference: str, *,
               refund_used: bool = False, reason: str | None = None) -> Order:
        """Cancel: the buyer under the event's policy; the event's organizer or an admin
        whatever it says, refunding all that is left (`reason`, if given, is the buyer's
        mail's). Tickets already used at the door are refunded only on purpose
        (`refund_used`), by the organizer or an admin."""
        given = (reason or "").strip()
        if len(given) > REASON_LENGTH or "\x00" in given:
            raise Invalid(f"the reason must be at most {REASON_LENGTH} characters of text",
                          field="reason")
        quote = self.quote(principal, reference, refund_used=refund_used)
        order, refund = quote.order, quote.refund
        if given and quote.terms is not None:
            raise NotAllowed("only the event's organizer or an admin gives a reason for "
                             "cancelling an order")
        reason = given or ("cancelled by the buyer" if order.user_id == principal.user_id
                           else "cancelled at the counter" if order.taken_by == principal.user_id
                           else "cancelled by the organizer")
        now = self._clock.now()
        with self._uow() as uow:  # recorded first: if the refund's answer is lost, the
            current = uow.orders.get(order.id, lock=True)  # daemon finishes the cancellation
            if current is None or current.status is not OrderStatus.COMPLETED \
                    or current.cancel_requested_at is not None:
                raise RuleViolation(f"order {order.number} changed meanwhile; look again",
                                    code="not_cancellable")
            if uow.orders.refunds_under_way(order.id):  # their money first
                raise RuleViolation(f"order {order.number} has a refund under way; cancel "
                                    "it once that is done (tix order show)",
                                    code="refund_under_way")
            if current.refunded_amount != order.refunded_amount:
                raise RuleViolation(f"order {order.number} changed meanwhile; look again",
                                    code="not_cancellable")
            if not refund_used:  # the order is locked: no scan admits one of them now
                _refuse_used_tickets(uow, current)
            uow.orders.request_buyer_cancellation(order.id, refund, reason, now,
                                                  now + CANCELLATION_CLAIM)
            uow.commit()
        try:
            return self._refund_and_cancel(order, refund, reason, principal)
        except Unavailable as error:
            raise Unavailable(f"{error.message}; the cancellation of order {order.number} "
                              "is recorded and completes when the payment service answers "
                              "(tix order show)") from None

    def quote(self, principal: Principal, reference: str, *,
              refund_used: bool = False) -> CancellationQuote:
        """The order, what cancelling it now refunds and by which rule of the policy;
        refuses exactly as `cancel` would."""
        now = self._clock.now()
        with self._uow(readonly=True) as uow:
            order = visible_order(uow, principal, reference)
            event = find_event(uow, order.event_id)
            assert event is not None
            organizer = _may_cancel(uow, principal, order, event)
            if refund_used and not organizer:
                raise NotAllowed("only the event's organizer or an admin may refund tickets "
                                 "already used at the door")
            if order.status is not OrderStatus.COMPLETED:
                raise RuleViolation(f"order {order.number} is {order.status.value.lower()}",
                                    code="not_cancellable")
            if order.cancel_requested_at is not None:
                raise RuleViolation(f"order {order.number} is being cancelled already",
                                    code="not_cancellable")
            if not refund_used:
                _refuse_used_tickets(uow, order)
        left = order.amount - order.refunded_amount  # refunds of a ticket or an amount
        if organizer:  # whatever the policy says: all that is left of the payment
            return CancellationQuote(order=order, terms=None, refund=left)
        terms = event.refund_terms(now)
        if terms.percent == 0:
            rules = ", ".join(f"{r.percent}% up to {duration_words(r.before)} before"
                              for r in event.cancellation_policy)
            raise RuleViolation(f"too late to cancel: the policy refunds {rules} the start",
                                code="outside_policy")
        return CancellationQuote(order=order, terms=terms,
                                 refund=min(left, terms.refund_of(order.amount)))

    def erase_holders(self, message: AccountErased, uow: UnitOfWork) -> None:
        """GDPR: orders stay for accounting, without the holder names on them; tickets
        for events still to come are voided and refunded under the event's policy."""
        uow.orders.erase_holders(message.user_id)
        uow.orders.request_cancellation_of_user(message.user_id, self._clock.now())

    def cancel_for_event(self, message: EventCancelled, uow: UnitOfWork) -> None:
        """EventCancelled: every completed order is marked for a full refund (a job pays)."""
        uow.orders.request_cancellation(message.event_id, self._clock.now())

    def refund_cancelled_events(self) -> int:
        """Daemon job: orders marked for cancellation are refunded, outside transactions —
        in full when the event was cancelled, by the amount promised when a buyer's own
        cancellation was left unfinished, under the policy when the buyer's account was
        erased."""
        now = self._clock.now()
        with self._uow() as uow:
            orders = uow.orders.claim_cancellations(50, now, now + CANCELLATION_CLAIM)
            events = {o.event_id: find_event(uow, o.event_id) for o in orders}
            under_way = {o.id: uow.orders.refunds_under_way(o.id) for o in orders
                         if o.refunded_amount}
            uow.commit()
        settled = 0
        for order in orders:
            if under_way.get(order.id):
                continue  # its refunds of a ticket or an amount first: the next pass
            event = events[order.event_id]
            left = order.amount - order.refunded_amount
            if event is None or event.status is EventStatus.CANCELLED:
                refund, reason = left, "the event was cancelled"
            elif order.cancel_refund is not None:
                refund, reason = order.cancel_refund, order.cancel_reason or "cancelled"
            else:
                refund = min(left, event.refund_terms(now).refund_of(order.amount))
                reason = "the buyer's account was erased"
            try:
                self._refund_and_cancel(order, refund, reason, None)
            except Unavailable:
                continue  # the payment service is away: asked again on the next pass
            settled += 1
        return settled

    def _refund_and_cancel(self, order: Order, amount: int, reason: str,
                           by: Principal | None) -> Order:
        gateway = gateway_for(self._gateways, order.tender)
        if amount:  # the payment's refunds come to this in all: those before it too
            gateway.refund(order, order.refunded_amount + amount,
                           idempotency_key=f"{order.id}:refund")
        return self.cancel_refunded(order, amount, reason, actor_id=by.user_id if by else None,
                                    actor=by.email if by else "system")

    def cancel_refunded(self, order: Order, amount: int, reason: str, *,
                        actor_id: str | None, actor: str) -> Order:
        """The money is back (`amount`, beyond refunds made before): the order CANCELLED,
        its seats on sale, its tickets voided (OrderCancelled). Once only: a second call
        finds it no longer COMPLETED."""
        with self._uow() as uow:
            current = uow.orders.get(order.id, lock=True)
            if current is None or current.status is not OrderStatus.COMPLETED:
                return current or order
            current.status, current.cancelled_at = OrderStatus.CANCELLED, self._clock.now()
            current.refunded_amount += amount
            uow.orders.save(current)
            uow.publish(OrderCancelled(order_id=current.id, order_number=current.number,
                                       user_id=current.user_id, event_id=current.event_id,
                                       refund_amount=amount, currency=current.currency,
                                       reason=reason, total=current.amount))
            self._audit.record(uow, "order.refunded", subject=f"order:{current.id}",
                               actor_id=actor_id, actor=actor,
                               details={"amount": str(amount), "currency": current.currency,
                                        "reason": reason})
            # they stop admitting with this commit; those voided by a refund went back then
            back = void_order_tickets(uow, current.id)
            give_back(uow, _seats_of(uow, current, back), "cancelled")
            give_back_voucher(uow, current.voucher_id)  # a cancelled order's use is free
            uow.commit()
        return current


def _may_cancel(uow: UnitOfWork, principal: Principal, order: Order, event: Event) -> bool:
    """Who may cancel an order — the one rule: those who manage the event's orders (True:
    whatever the buyer's policy says of used tickets); the clerk who took it at the
    counter while its till (their shift) is open; its buyer — unless the buyer is that
    clerk and the shift is over. Refused otherwise."""
    if may_manage_orders(uow, principal, order.event_id):
        return True
    if may_undo_at_the_counter(uow, principal, order):  # refuses after the shift
        return False
    if order.user_id != principal.user_id:
        raise NotAllowed("only the buyer, the clerk who sold it (during their shift), the "
                         "event's organizer or an admin may cancel an order")
    return False


def _refuse_used_tickets(uow: UnitOfWork, order: Order) -> None:
    used = used_ticket_numbers(uow, order.id)
    if used:
        raise RuleViolation(
            f"order {order.number}: ticket(s) {', '.join(used)} were already used at the door; "
            "only the event's organizer or an admin may refund them",
            code="tickets_used", tickets=", ".join(used))


def _seats_of(uow: UnitOfWork, order: Order, voided_now: list[str]) -> dict[str, int]:
    """The seats a cancellation puts back on sale: the order's, but those whose tickets
    a refund voided (and gave back) before — of an order with tickets; all of them of an
    order whose tickets were never issued."""
    tickets = tickets_of_order(uow, order.id)
    if not tickets:
        return order.quantities
    back: dict[str, int] = {}
    for ticket in tickets:
        if ticket.id in voided_now or ticket.status is TicketStatus.USED:
            back[ticket.ticket_type_id] = back.get(ticket.ticket_type_id, 0) + 1
    return back
