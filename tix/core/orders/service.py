"""Orders: checkout as a persisted saga, cancellations with refunds, who sees what.

The saga: validate and reserve (the hold becomes a sale) in one transaction, pay outside
any transaction with an idempotency key, confirm in a second transaction that writes
PaymentCompleted. A failure compensates in reverse: nothing to refund before a payment,
then release the tickets and mark the order FAILED. The daemon finishes or compensates
any order left PENDING by a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tix.core.accounts.events import AccountErased
from tix.core.audit.service import AuditService
from tix.core.catalog.events import EventCancelled
from tix.core.catalog.model import EventStatus, RefundTerms, TicketTypeView, duration_words
from tix.core.catalog.money import format_money
from tix.core.catalog.references import find_ticket_type
from tix.core.clock import Clock
from tix.core.errors import (
    Busy,
    Invalid,
    NotAllowed,
    NotFound,
    RuleViolation,
    TixError,
    Unavailable,
)
from tix.core.ids import new_id
from tix.core.inventory.model import Hold, HoldStatus, check_on_sale
from tix.core.inventory.service import (
    InventoryService,
    check_buyer_limit,
    not_enough_tickets,
)
from tix.core.orders.events import OrderCancelled, OrderFailed, PaymentCompleted
from tix.core.orders.model import (
    Order,
    OrderNumberTaken,
    OrderStatus,
    SagaStep,
    Tender,
    new_order_number,
)
from tix.core.orders.ports import PaymentGateway
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal, Role
from tix.core.tickets.model import TicketStatus
from tix.core.tickets.service import void_order_tickets

SAGA_DEADLINE = timedelta(seconds=10)
OFFLINE_TENDERS = (Tender.CASH, Tender.COMP)
ORDER_NUMBER_ATTEMPTS = 5
# Whoever refunds a requested cancellation has it to themselves this long; should they
# stop half-way (a lost answer, a crash), the daemon takes it over after that.
CANCELLATION_CLAIM = timedelta(minutes=1)


@dataclass(frozen=True)
class CancellationQuote:
    """Shown before a cancellation is confirmed: the refund and the rule that gives it."""

    order: Order
    refund: int  # minor units
    terms: RefundTerms


@dataclass(frozen=True)
class SalesLine:
    ticket_type_id: str
    name: str
    quantity: int
    sold: int
    held: int
    available: int
    revenue: int


@dataclass(frozen=True)
class SalesReport:
    event_id: str
    name: str
    currency: str
    lines: list[SalesLine]
    revenue: int
    per_minute: list[int]  # tickets sold in each of the last SALES_MINUTES minutes, oldest first
MAX_HOLDER_NAME = 200
SALES_MINUTES = 30  # the sales report's minute-by-minute window


class OrderService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService,
                 gateways: dict[Tender, PaymentGateway], inventory: InventoryService) -> None:
        self._uow = uow
        self._clock = clock
        self._audit = audit
        self._gateways = gateways
        self._inventory = inventory
        # Called after each saga step: tests stop the "process" there to prove recovery.
        self.after_step: Callable[[str, Order], None] = lambda step, order: None
        # Issues a counter sale's tickets with its commit (the tickets module's, wired by
        # bootstrap); the daemon's delivery of its PaymentCompleted then finds them made.
        self.issue_tickets: Callable[[UnitOfWork, PaymentCompleted, TicketTypeView],
                                     None] = lambda uow, message, ticket_type: None

    # -- buying --------------------------------------------------------------------------

    def checkout(self, principal: Principal, hold_id: str, *, tender: Tender,
                 holders: list[str] | None = None, tendered: int | None = None,
                 payment_method: str | None = None) -> Order:
        gateway = self._gateway(tender)
        if tender in OFFLINE_TENDERS:
            sold = self._check_out_at_the_counter(principal, hold_id, tender, gateway,
                                                  holders or [], tendered)
            self.after_step("confirm", sold)
            return sold
        order = self._reserve(principal, hold_id, tender, holders or [], tendered)
        if payment_method:
            order.meta["payment_method"] = payment_method
        self.after_step("reserve", order)
        try:
            started = gateway.start(order, idempotency_key=f"{order.id}:start")
            if started is not None:
                self._record_payment(order, started)
            self.after_step("start", order)
            reference = gateway.charge(order, idempotency_key=f"{order.id}:pay")
            paid_at = self._clock.now()
        except Unavailable as error:
            # The charge may have gone through before the line dropped: releasing the seats
            # now could sell them twice. The daemon asks the gateway once the saga's time
            # is up, and confirms or releases then.
            raise Unavailable(f"{error.message}; order {order.number} is confirmed or "
                              "released within a minute (tix order show)") from None
        except TixError as error:
            self._compensate(order, f"payment refused: {error.message}")
            raise
        self.after_step("pay", order)
        confirmed = self._confirm(order, reference, paid_at)
        self.after_step("confirm", confirmed)
        return confirmed

    def buy(self, principal: Principal, ticket_type_id: str, quantity: int, *,
            tender: Tender, holders: list[str] | None = None,
            tendered: int | None = None, payment_method: str | None = None) -> Order:
        gateway = self._gateway(tender)  # refuse an unusable tender before taking tickets
        if tender in OFFLINE_TENDERS:
            return self._sell_at_the_counter(principal, ticket_type_id, quantity, tender,
                                             gateway, holders or [], tendered)
        hold = self._inventory.place_hold(principal, ticket_type_id, quantity)
        try:
            return self.checkout(principal, hold.id, tender=tender, holders=holders,
                                 tendered=tendered, payment_method=payment_method)
        except TixError:
            self._inventory.release_hold(hold.id)  # refused before the sale: seats go back
            raise

    def _sell_at_the_counter(self, principal: Principal, ticket_type_id: str, quantity: int,
                             tender: Tender, gateway: PaymentGateway, holders: list[str],
                             tendered: int | None) -> Order:
        """Cash or a complimentary ticket: the money (or none) is at the counter, so take
        the tickets, record the order and announce the payment in one transaction — no
        step can be left half done, and the hot stock row is touched once."""
        return _with_a_free_order_number(lambda: self._sell_once(
            principal, ticket_type_id, quantity, tender, gateway, holders, tendered))

    def _sell_once(self, principal: Principal, ticket_type_id: str, quantity: int,
                   tender: Tender, gateway: PaymentGateway, holders: list[str],
                   tendered: int | None) -> Order:
        now = self._clock.now()
        with self._uow() as uow:
            ticket_type = find_ticket_type(uow.catalog, ticket_type_id)  # id or E12-T2
            if ticket_type is None:
                raise NotFound("ticket type", ticket_type_id)
            check_on_sale(ticket_type, quantity, now)
            self._allow_tender(principal, tender, ticket_type)
            check_buyer_limit(uow, principal, ticket_type, quantity, now)
            order = self._new_order(principal, ticket_type, quantity, tender, holders,
                                    tendered, now)
            self._paid_at_the_counter(order, gateway, now)
            paid = self._payment_completed(order)
            uow.publish(paid)
            self.issue_tickets(uow, paid, ticket_type)  # the tickets go with the sale
            # the order goes with the take: stored, tickets taken and committed in one step
            if not uow.take_and_commit(ticket_type.id, quantity, new_order=order):
                raise not_enough_tickets(uow, ticket_type, quantity)
        return order

    def _check_out_at_the_counter(self, principal: Principal, hold_id: str, tender: Tender,
                                  gateway: PaymentGateway, holders: list[str],
                                  tendered: int | None) -> Order:
        """Cash or complimentary for a hold: nothing is waited for outside tix, so the hold
        becomes a completed, announced order in one transaction — no PENDING order for
        the daemon to settle, one transaction instead of two."""
        return _with_a_free_order_number(lambda: self._order_from_hold(
            principal, hold_id, tender, holders, tendered, paid_at_the_counter=gateway))

    @staticmethod
    def _paid_at_the_counter(order: Order, gateway: PaymentGateway, now: datetime) -> None:
        order.payment_reference = gateway.charge(order, idempotency_key=f"{order.id}:pay")
        order.status, order.step, order.completed_at = (OrderStatus.COMPLETED,
                                                        SagaStep.DONE, now)

    def _new_order(self, principal: Principal, ticket_type: TicketTypeView, quantity: int,
                   tender: Tender, holders: list[str], tendered: int | None,
                   now: datetime) -> Order:
        order = Order(
            id=new_id(), number=new_order_number(), user_id=principal.user_id,
            event_id=ticket_type.event_id, ticket_type_id=ticket_type.id, quantity=quantity,
            unit_price=ticket_type.price, currency=ticket_type.currency, tender=tender,
            holders=_holder_names(holders, quantity, principal.name), created_at=now,
            taken_by=principal.user_id if tender is not Tender.CARD else None)
        if tender is Tender.CASH:
            given = order.amount if tendered is None else tendered  # none said: exact change
            if given < order.amount:
                raise Invalid(f"cash: {format_money(order.amount, order.currency)} due, "
                              f"{format_money(given, order.currency)} tendered",
                              code="not_enough_cash")
            order.tendered_amount = given
        return order

    def _payment_completed(self, order: Order) -> PaymentCompleted:
        return PaymentCompleted(
            order_id=order.id, order_number=order.number, user_id=order.user_id,
            ticket_type_id=order.ticket_type_id, quantity=order.quantity,
            holders=order.holders, amount=order.amount, currency=order.currency,
            payment_reference=order.payment_reference or "")

    def _reserve(self, principal: Principal, hold_id: str, tender: Tender,
                 holders: list[str], tendered: int | None) -> Order:
        return _with_a_free_order_number(lambda: self._order_from_hold(
            principal, hold_id, tender, holders, tendered, paid_at_the_counter=None))

    def _order_from_hold(self, principal: Principal, hold_id: str, tender: Tender,
                         holders: list[str], tendered: int | None, *,
                         paid_at_the_counter: PaymentGateway | None) -> Order:
        """The principal's active hold, used up for a new order in one transaction: the
        order completed and announced when paid at the counter, else PENDING (the card
        saga's reservation)."""
        now = self._clock.now()
        with self._uow() as uow:
            hold, ticket_type = self._usable_hold(uow, principal, hold_id, now)
            self._allow_tender(principal, tender, ticket_type)
            order = self._new_order(principal, ticket_type, hold.quantity, tender, holders,
                                    tendered, now)
            if paid_at_the_counter is not None:
                self._paid_at_the_counter(order, paid_at_the_counter, now)
                paid = self._payment_completed(order)
                uow.publish(paid)
                self.issue_tickets(uow, paid, ticket_type)  # the tickets go with the sale
            # the order goes with the hold's use: stored, hold used up and committed at once
            if not uow.use_hold_and_commit(hold.id, new_order=order):
                raise RuleViolation("this hold was used meanwhile", code="hold_expired")
        return order

    def _record_payment(self, order: Order, reference: str) -> None:
        """The payment opened for a PENDING order, stored before any money moves: whatever
        happens to the charge's reply, the daemon and webhooks find the payment by it."""
        with self._uow() as uow:
            current = uow.orders.get(order.id, lock=True)
            if current is None or current.status is not OrderStatus.PENDING:
                raise RuleViolation(f"order {order.number} was settled meanwhile",
                                    code="order_settled")
            current.payment_reference = order.payment_reference = reference
            uow.orders.save(current)
            uow.commit()

    @staticmethod
    def _usable_hold(uow: UnitOfWork, principal: Principal, hold_id: str,
                     now: datetime) -> tuple[Hold, TicketTypeView]:
        """The principal's active hold and its ticket type. Not locked: using the hold up
        succeeds only while it is still active, which settles any race."""
        hold = uow.holds.get(hold_id)
        if hold is None or hold.user_id != principal.user_id:
            raise NotFound("hold", hold_id)
        if hold.status is not HoldStatus.ACTIVE or not hold.active_at(now):
            raise RuleViolation("this hold has expired or was used: hold again",
                                code="hold_expired")
        ticket_type = uow.catalog.ticket_type(hold.ticket_type_id)
        assert ticket_type is not None  # a hold's ticket type is never deleted
        return hold, ticket_type

    def _confirm(self, order: Order, reference: str, paid_at: datetime) -> Order:
        """`paid_at`: when the gateway's answer said paid (timed apart from confirming)."""
        now = self._clock.now()
        with self._uow() as uow:
            order.payment_reference, order.paid_at = reference, paid_at
            order.status, order.step, order.completed_at = (OrderStatus.COMPLETED,
                                                            SagaStep.DONE, now)
            if not uow.orders.complete(order):
                current = uow.orders.get(order.id)
                assert current is not None
                return current  # confirmed by a resumed saga meanwhile: same outcome
            uow.publish(self._payment_completed(order))
            uow.commit()
        return order

    def _compensate(self, order: Order, reason: str, *, refunded: bool = False) -> None:
        with self._uow() as uow:
            current = uow.orders.get(order.id, lock=True)
            if current is None or current.status is not OrderStatus.PENDING:
                return
            current.status, current.failure_reason = OrderStatus.FAILED, reason[:500]
            uow.orders.save(current)
            uow.publish(OrderFailed(order_id=current.id, order_number=current.number,
                                    user_id=current.user_id, reason=reason,
                                    refunded=refunded))
            uow.give_back_and_commit({current.ticket_type_id: current.quantity})

    def resume_unfinished(self) -> int:
        """Daemon job: finish or compensate orders a crash left PENDING past the deadline.

        Returns how many it settled: an order whose gateway cannot be asked yet is not
        work done, so the daemon sleeps instead of asking again at once."""
        now = self._clock.now()
        with self._uow() as uow:
            stale = uow.orders.stale_pending(now - SAGA_DEADLINE, 100)
        settled = 0
        for order in stale:
            gateway = self._gateways.get(order.tender)
            try:
                reference = gateway.find_payment(order) if gateway else None
            except Unavailable:
                continue  # ask again on the next pass
            if reference is None:
                self._compensate(order, "payment not completed in time")
            else:
                self._confirm(order, reference, self._clock.now())
            settled += 1
        return settled

    def payment_reported(self, order_id: str, outcome: str, reference: str,
                         refunded: int = 0) -> str:
        """What the payment service says happened (its webhooks), fed into the saga.

        "succeeded" confirms a PENDING order — or, if the order already FAILED (its seats
        released), refunds the money at once; "failed" compensates a PENDING order;
        "refunded" cancels a COMPLETED one refunded outside tix. Anything else, or a
        replay, changes nothing (every step is conditional on the order's state). The
        order is found by the id in the payment's metadata, else by the payment's own id
        (a charge does not carry its PaymentIntent's metadata). Returns what was done.
        """
        told_at = self._clock.now()
        with self._uow(readonly=True) as uow:
            order = uow.orders.get(order_id) if order_id else None
            if order is None and reference:
                order = uow.orders.by_payment(reference)
        if order is None:
            return "unknown order"
        if outcome == "succeeded" and order.status is OrderStatus.PENDING:
            self._confirm(order, reference, told_at)
            return "confirmed"
        if outcome == "succeeded" and order.status is OrderStatus.FAILED \
                and order.tender is Tender.CARD and not order.refunded_amount:
            self._refund_late_payment(order, reference)
            return "refunded"
        if outcome == "failed" and order.status is OrderStatus.PENDING:
            self._compensate(order, "the card payment failed")
            return "released"
        if outcome == "refunded" and order.status is OrderStatus.COMPLETED and refunded:
            self._cancel_refunded(order, refunded, "refunded by the payment service",
                                  actor_id=None, actor="payment service")
            return "cancelled"
        return "nothing to do"

    def _refund_late_payment(self, order: Order, reference: str) -> None:
        """Paid after the saga gave up and released the seats: the money goes back, once
        (the idempotency key, and the refund recorded on the order)."""
        order.payment_reference = reference
        self._gateway(order.tender).refund(order, order.amount,
                                           idempotency_key=f"{order.id}:late-refund")
        with self._uow() as uow:
            current = uow.orders.get(order.id, lock=True)
            if current is None or current.refunded_amount:
                return
            current.refunded_amount, current.payment_reference = current.amount, reference
            uow.orders.save(current)
            self._audit.record(uow, "order.refunded", subject=f"order:{current.id}",
                               actor="payment service",
                               details={"amount": str(current.amount),
                                        "currency": current.currency,
                                        "reason": "paid after the order had failed"})
            uow.commit()

    # -- cancelling ----------------------------------------------------------------------

    def cancel(self, principal: Principal, reference: str, *,
               refund_used: bool = False) -> Order:
        """Cancel under the event's policy: the buyer, the event's organizer or an admin.
        Tickets already used at the door are refunded only on purpose (`refund_used`), by
        the organizer or an admin."""
        quote = self.cancellation_quote(principal, reference, refund_used=refund_used)
        order, refund = quote.order, quote.refund
        reason = ("cancelled by the buyer" if order.user_id == principal.user_id
                  else "cancelled by the organizer")
        now = self._clock.now()
        with self._uow() as uow:  # recorded first: if the refund's answer is lost, the
            current = uow.orders.get(order.id, lock=True)  # daemon finishes the cancellation
            if current is None or current.status is not OrderStatus.COMPLETED \
                    or current.cancel_requested_at is not None:
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

    def refund_if_cancelled(self, principal: Principal, reference: str, *,
                            refund_used: bool = False) -> int:
        """What cancelling now would refund (minor units), shown before the user confirms;
        refuses exactly as `cancel` would."""
        return self.cancellation_quote(principal, reference, refund_used=refund_used).refund

    def cancellation_quote(self, principal: Principal, reference: str, *,
                           refund_used: bool = False) -> CancellationQuote:
        """The order, what cancelling it now refunds and by which rule of the policy."""
        order, terms = self._cancellable(principal, reference, refund_used=refund_used)
        return CancellationQuote(order=order, terms=terms, refund=terms.refund_of(order.amount))

    def _cancellable(self, principal: Principal, reference: str, *,
                     refund_used: bool) -> tuple[Order, RefundTerms]:
        now = self._clock.now()
        with self._uow(readonly=True) as uow:
            order = self._visible(uow, principal, reference)
            event = uow.catalog.get(order.event_id)
            assert event is not None
            organizer = principal.role is Role.ADMIN or principal.user_id == event.organizer_id
            if order.user_id != principal.user_id and not organizer:
                raise NotAllowed("only the buyer, the event's organizer or an admin may "
                                 "cancel an order")
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
        terms = event.refund_terms(now)
        if terms.percent == 0:
            rules = ", ".join(f"{r.percent}% up to {duration_words(r.before)} before"
                              for r in event.cancellation_policy)
            raise RuleViolation(f"too late to cancel: the policy refunds {rules} the start",
                                code="outside_policy")
        return order, terms

    def erase_holders(self, message: AccountErased, uow: UnitOfWork) -> None:
        """GDPR: orders stay for accounting, without the holder names on them; tickets
        for events still to come are voided and refunded under the event's policy."""
        uow.orders.erase_holders(message.user_id)
        uow.orders.request_cancellation_of_user(message.user_id, self._clock.now())

    def export_section(self, uow: UnitOfWork, user_id: str) -> list[dict[str, object]]:
        """The user's orders, for their GDPR export."""
        return [{"id": o.id, "number": o.number, "status": o.status.value,
                 "event_id": o.event_id, "ticket_type_id": o.ticket_type_id,
                 "quantity": o.quantity, "unit_price": o.unit_price, "total": o.amount,
                 "currency": o.currency, "tender": o.tender.value, "holders": o.holders,
                 "payment_reference": o.payment_reference, "created_at": o.created_at,
                 "completed_at": o.completed_at, "cancelled_at": o.cancelled_at,
                 "refunded_amount": o.refunded_amount} for o in uow.orders.of_user(user_id)]

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
            events = {o.event_id: uow.catalog.get(o.event_id) for o in orders}
            uow.commit()
        settled = 0
        for order in orders:
            event = events[order.event_id]
            if event is None or event.status is EventStatus.CANCELLED:
                refund, reason = order.amount, "the event was cancelled"
            elif order.cancel_refund is not None:
                refund, reason = order.cancel_refund, order.cancel_reason or "cancelled"
            else:
                refund = event.refund_terms(now).refund_of(order.amount)
                reason = "the buyer's account was erased"
            try:
                self._refund_and_cancel(order, refund, reason, None)
            except Unavailable:
                continue  # the payment service is away: asked again on the next pass
            settled += 1
        return settled

    def _refund_and_cancel(self, order: Order, amount: int, reason: str,
                           by: Principal | None) -> Order:
        gateway = self._gateway(order.tender)
        if amount:
            gateway.refund(order, amount, idempotency_key=f"{order.id}:refund")
        return self._cancel_refunded(order, amount, reason, actor_id=by.user_id if by else None,
                                     actor=by.email if by else "system")

    def _cancel_refunded(self, order: Order, amount: int, reason: str, *,
                         actor_id: str | None, actor: str) -> Order:
        """The money is back: the order CANCELLED, its seats on sale, its tickets voided
        (OrderCancelled). Once only: a second call finds it no longer COMPLETED."""
        with self._uow() as uow:
            current = uow.orders.get(order.id, lock=True)
            if current is None or current.status is not OrderStatus.COMPLETED:
                return current or order
            current.status, current.cancelled_at = OrderStatus.CANCELLED, self._clock.now()
            current.refunded_amount = amount
            uow.orders.save(current)
            uow.publish(OrderCancelled(order_id=current.id, order_number=current.number,
                                       user_id=current.user_id, event_id=current.event_id,
                                       refund_amount=amount, currency=current.currency,
                                       reason=reason))
            self._audit.record(uow, "order.refunded", subject=f"order:{current.id}",
                               actor_id=actor_id, actor=actor,
                               details={"amount": str(amount), "currency": current.currency,
                                        "reason": reason})
            void_order_tickets(uow, current.id)  # they stop admitting with this commit
            uow.give_back_and_commit({current.ticket_type_id: current.quantity})
        return current

    def sales(self, principal: Principal, reference: str) -> SalesReport:
        """Sold, held and available per ticket type, and revenue: the event's organizer."""
        now = self._clock.now()
        with self._uow(readonly=True) as uow:
            event_id = uow.catalog.resolve(reference.strip())
            event = uow.catalog.get(event_id) if event_id else None
            if event is None:
                raise NotFound("event", reference)
            if event.organizer_id != principal.user_id and principal.role is not Role.ADMIN:
                raise NotAllowed("only the event's organizer (or an admin) sees its sales")
            ids = [t.id for t in event.ticket_types]
            levels = uow.stock.levels(ids)
            held = uow.holds.held_per_type(ids, now)
            sold = uow.orders.sold_per_type(ids)
            since = now.replace(second=0, microsecond=0) - timedelta(minutes=SALES_MINUTES - 1)
            recent = uow.orders.sales_since(event.id, since)
        lines = [SalesLine(ticket_type_id=t.id, name=t.name, quantity=t.quantity,
                           sold=sold.get(t.id, (0, 0))[0], held=held.get(t.id, 0),
                           available=levels[t.id].available if t.id in levels else 0,
                           revenue=sold.get(t.id, (0, 0))[1])
                 for t in event.ticket_types]
        per_minute = [0] * SALES_MINUTES
        for completed_at, quantity in recent:
            minute = int((completed_at - since).total_seconds() // 60)
            if 0 <= minute < SALES_MINUTES:
                per_minute[minute] += quantity
        return SalesReport(event_id=event.id, name=event.name, currency=event.currency,
                           lines=lines, revenue=sum(line.revenue for line in lines),
                           per_minute=per_minute)

    # -- reading -------------------------------------------------------------------------

    def show(self, principal: Principal, reference: str) -> Order:
        with self._uow(readonly=True) as uow:
            return self._visible(uow, principal, reference)

    def list(self, principal: Principal, limit: int = 100) -> list[Order]:
        with self._uow(readonly=True) as uow:
            return uow.orders.visible_to(
                principal.user_id, organizer=principal.role is Role.ORGANIZER,
                clerk=principal.role is Role.CLERK, admin=principal.role is Role.ADMIN,
                limit=limit)

    def _visible(self, uow: UnitOfWork, principal: Principal, reference: str) -> Order:
        order = uow.orders.get(reference.strip())
        if order is None:
            raise NotFound("order", reference)
        if principal.role is Role.ADMIN or order.user_id == principal.user_id \
                or order.taken_by == principal.user_id:
            return order
        event = uow.catalog.get(order.event_id)
        if event is not None and event.organizer_id == principal.user_id:
            return order
        raise NotFound("order", reference)  # others' orders do not exist for you

    # -- rules ---------------------------------------------------------------------------

    def tenders(self, principal: Principal, ticket_type_id: str) -> tuple[Tender, ...]:
        """The ways this person may take payment for this ticket type, here and now."""
        with self._uow(readonly=True) as uow:
            ticket_type = find_ticket_type(uow.catalog, ticket_type_id)
        if ticket_type is None:
            raise NotFound("ticket type", ticket_type_id)
        return tuple(t for t in Tender if self._may_take(principal, t, ticket_type))

    def _may_take(self, principal: Principal, tender: Tender,
                  ticket_type: TicketTypeView) -> bool:
        try:
            self._gateway(tender)
            self._allow_tender(principal, tender, ticket_type)
        except TixError:
            return False
        return True

    def _gateway(self, tender: Tender) -> PaymentGateway:
        gateway = self._gateways.get(tender)
        if gateway is None:
            raise Unavailable("card payments are not configured here (TIX_STRIPE_API_KEY); "
                              "use cash at the box office")
        return gateway

    def _allow_tender(self, principal: Principal, tender: Tender,
                      ticket_type: TicketTypeView) -> None:
        if tender is Tender.CASH and not principal.has_role(Role.CLERK):
            raise NotAllowed("cash is taken by clerks at the box office")
        if tender is Tender.COMP and not (principal.role is Role.ADMIN or
                                          principal.user_id == ticket_type.organizer_id):
            raise NotAllowed("complimentary tickets are given by the event's organizer")


def _holder_names(given: list[str], quantity: int, buyer: str) -> list[str]:
    names = [" ".join(n.split()) for n in given if n.strip()]
    if len(names) > quantity:
        raise Invalid(f"--holder: {len(names)} names for {quantity} ticket(s)")
    if any(len(n) > MAX_HOLDER_NAME for n in names):
        raise Invalid(f"--holder: a name is longer than {MAX_HOLDER_NAME} characters")
    return names + [buyer] * (quantity - len(names))


def _refuse_used_tickets(uow: UnitOfWork, order: Order) -> None:
    used = [t.number for t in uow.tickets.of_order(order.id) if t.status is TicketStatus.USED]
    if used:
        raise RuleViolation(
            f"order {order.number}: ticket(s) {', '.join(used)} were already used at the door; "
            "only the event's organizer or an admin may refund them (--refund-used)",
            code="tickets_used")


def _with_a_free_order_number(sell: Callable[[], Order]) -> Order:
    """Order numbers are short and random: on the rare clash nothing was committed, and
    the sale is tried again with a new number."""
    for _ in range(ORDER_NUMBER_ATTEMPTS):
        try:
            return sell()
        except OrderNumberTaken:
            continue
    raise Busy("could not find a free order number; try again")
