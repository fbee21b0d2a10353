"""Checkout: the card saga, and the counter sale.

The saga: validate and reserve (the hold becomes a sale) in one transaction, pay outside
any transaction with an idempotency key, confirm in a second transaction that writes
PaymentCompleted. Paid in the buyer's browser (the web, or a card whose bank asks for
3-D Secure), the payment is opened and the order left PENDING, payable until its hold's
time is up (`pay_until`); the browser's report, the webhook or the daemon after that time
settle it (`browser_payment`). A failure compensates in reverse: nothing to refund before a payment,
then release the tickets and mark the order FAILED. The daemon finishes or compensates
any order left PENDING by a crash (`resume_unfinished`), and the payment service's own
reports feed the same steps (`payment_reported`).

At the counter (cash, complimentary) nothing is waited for outside tix: the sale, its
payment, its announcement and its tickets are one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tix.core.audit.service import AuditService
from tix.core.catalog.model import TicketTypeView
from tix.core.catalog.public import format_money
from tix.core.catalog.public import ticket_types as find_ticket_types
from tix.core.clock import Clock
from tix.core.errors import Busy, Invalid, NotFound, RuleViolation, TixError, Unavailable
from tix.core.ids import new_id
from tix.core.intents import IntentRefused
from tix.core.inventory.model import Hold, HoldStatus, check_on_sale
from tix.core.inventory.public import (
    check_buyer_limit,
    check_event_limits,
    commit_sale,
    give_back,
    resolve_basket,
    take,
    use_hold,
)
from tix.core.inventory.public import hold as find_hold
from tix.core.orders.answers import GivenAnswer, record_answers
from tix.core.orders.cancellation import Cancellations
from tix.core.orders.events import OrderFailed, PaymentCompleted
from tix.core.orders.model import (
    BrowserPayment,
    Order,
    OrderLine,
    OrderNumberTaken,
    OrderStatus,
    Tender,
    new_order_number,
    price,
)
from tix.core.orders.policy import (
    OFFLINE_TENDERS,
    allow_tender,
    check_free,
    gateway_for,
    payable_order,
)
from tix.core.orders.ports import HoldKeeper, PaymentGateway
from tix.core.orders.till import stamp_till, till_refusal
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Buyer, Principal
from tix.core.tickets.model import Ticket
from tix.core.vouchers.model import Voucher
from tix.core.vouchers.public import give_back as give_back_voucher
from tix.core.vouchers.public import redeem as redeem_voucher
from tix.core.vouchers.public import voucher as find_voucher

SAGA_DEADLINE = timedelta(seconds=10)
ORDER_NUMBER_ATTEMPTS = 5
MAX_HOLDER_NAME = 200


@dataclass(frozen=True)
class PlaceOrder:
    """What is asked at checkout: either a hold to pay for (`hold_id`), or tickets bought
    at once (`items`: ticket types — id or E12-T2 — with their quantities, of one event)."""

    principal: Principal
    tender: Tender
    hold_id: str | None = None
    items: list[tuple[str, int]] = field(default_factory=list)
    holders: list[str] = field(default_factory=list)  # names, one per seat, in order
    tendered: int | None = None  # cash handed over (minor units); None: exact change
    payment_method: str | None = None  # a card gateway's saved method, when given
    voucher: str | None = None  # a code the buyer gives (a hold keeps the one it took)
    answers: list[GivenAnswer] = field(default_factory=list)  # to the event's questions
    buyer: Buyer | None = None  # whom the order is for, when not the principal (a guest)
    # Card: paid in the buyer's browser (Stripe.js, 3-D Secure there); the order returns
    # PENDING with its payment opened, payable until its hold's time is up.
    in_browser: bool = False


class Checkout:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService,
                 gateways: dict[Tender, PaymentGateway], inventory: HoldKeeper,
                 cancellations: Cancellations) -> None:
        self._uow = uow
        self._clock = clock
        self._audit = audit
        self._gateways = gateways
        self._inventory = inventory
        self._cancellations = cancellations
        # Called after each saga step: tests stop the "process" there to prove recovery.
        self.after_step: Callable[[str, Order], None] = lambda step, order: None
        # Issues a counter sale's tickets with its commit (the tickets module's, wired by
        # bootstrap); the daemon's delivery of its PaymentCompleted then finds them made.
        self.issue_tickets: Callable[[UnitOfWork, PaymentCompleted,
                                      Mapping[str, TicketTypeView]],
                                     list[Ticket]] = lambda uow, message, ticket_types: []

    def place(self, command: PlaceOrder) -> Order:
        """The order asked for, paid; or a refusal with its tickets back on sale."""
        gateway = gateway_for(self._gateways, command.tender)  # before taking tickets
        if command.hold_id is not None:
            return self._check_out(command, command.hold_id, gateway)
        if command.tender in OFFLINE_TENDERS:
            return _with_a_free_order_number(lambda: self._in_the_till(
                lambda: self._sell_at_the_counter(command, gateway)))
        hold = self._inventory.hold_basket(command.principal, command.items,
                                           voucher=command.voucher)
        try:
            return self._check_out(command, hold.id, gateway)
        except TixError:
            self._inventory.release_hold(hold.id)  # refused before the sale: seats go back
            raise

    def _check_out(self, command: PlaceOrder, hold_id: str, gateway: PaymentGateway) -> Order:
        if command.tender in OFFLINE_TENDERS:
            # nothing is waited for outside tix: the hold becomes a completed, announced
            # order in one transaction — no PENDING order for the daemon to settle
            sold = _with_a_free_order_number(lambda: self._in_the_till(
                lambda: self._order_from_hold(command, hold_id, paid_at_the_counter=gateway)))
            self.after_step("confirm", sold)
            return sold
        order = _with_a_free_order_number(lambda: self._order_from_hold(
            command, hold_id, paid_at_the_counter=None))
        if command.in_browser:
            return self._open_in_browser(order, gateway)
        if command.payment_method:
            order.meta["payment_method"] = command.payment_method
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
            if error.code == "requires_action":  # the bank's check: in the buyer's browser
                raise self._left_to_the_browser(order, error) from None
            self.compensate(order, f"payment refused: {error.message}")
            raise
        self.after_step("pay", order)
        confirmed = self._confirm(order, reference, paid_at)
        self.after_step("confirm", confirmed)
        return confirmed

    def _open_in_browser(self, order: Order, gateway: PaymentGateway) -> Order:
        """The payment opened for the browser to complete; the order PENDING."""
        try:
            reference = gateway.open_in_browser(order, idempotency_key=f"{order.id}:start")
        except TixError as error:  # opened without a card, nothing can have been charged
            self.compensate(order, f"payment could not be opened: {error.message}")
            raise
        self._record_payment(order, reference)
        self.after_step("start", order)
        return order

    def _left_to_the_browser(self, order: Order, error: TixError) -> RuleViolation:
        """A card whose bank asks the buyer to confirm (3-D Secure), which only a browser
        can: the order stays PENDING, payable there until its hold's time is up."""
        until = datetime.fromisoformat(order.meta["hold_expires_at"])
        with self._uow() as uow:
            current = uow.orders.get(order.id, lock=True)
            if current is not None and current.status is OrderStatus.PENDING:
                current.pay_until = until
                uow.orders.save(current)
                uow.commit()
        return RuleViolation(f"{error.message}: finish paying order {order.number} in a "
                             f"browser before {until:%H:%M} UTC", code="requires_action",
                             order_id=order.id, order_number=order.number,
                             pay_until=until.isoformat())

    def browser_payment(self, principal: Principal | None, reference: str, *,
                        payment_method: str | None = None,
                        refuse_declined: bool = False) -> BrowserPayment:
        """Where a browser payment stands, as the gateway says (with the browser's
        `payment_method`: tried first), and the saga moved on by it: paid → confirmed
        (tickets issued as for any sale); the time to pay up → released; a declined card
        (`refuse_declined`: RuleViolation) leaves it payable with another until then."""
        now = self._clock.now()
        with self._uow(readonly=True) as uow:
            order = payable_order(uow, principal, reference)
        if order.status is not OrderStatus.PENDING:
            return BrowserPayment(order, None)
        if order.pay_until is None or order.tender is not Tender.CARD:
            raise RuleViolation(f"order {order.number} is not paid in a browser",
                                code="not_paid_in_browser")
        state = gateway_for(self._gateways, order.tender).browser_payment(
            order, payment_method=payment_method, idempotency_key=f"{order.id}:browser")
        if state.status == "succeeded":
            return BrowserPayment(self._confirm(order, order.payment_reference or "", now),
                                  None)
        if now >= order.pay_until or state.status == "canceled":
            self.compensate(order, "payment not completed in time")
            raise RuleViolation("the time to pay for this order is up and its tickets went "
                                "back on sale: choose them again", code="hold_expired")
        if refuse_declined and state.status == "requires_payment_method" and state.declined:
            raise RuleViolation(f"card declined: {state.declined}. Try another card before "
                                f"{order.pay_until:%H:%M} UTC", code="card_declined",
                                pay_until=order.pay_until.isoformat())
        return BrowserPayment(order, state)

    def _sell_at_the_counter(self, command: PlaceOrder, gateway: PaymentGateway) -> Order:
        """Cash or a complimentary ticket: the money (or none) is at the counter, so take
        the tickets, record the order and announce the payment in one transaction — no
        step can be left half done, and the hot stock row is touched once."""
        now = self._clock.now()
        with self._uow() as uow:
            types, lines = resolve_basket(uow, command.items, what="an order",
                                          viewer=command.principal.user_id)
            redeemed = redeem_voucher(uow, command.voucher,
                                      [(types[type_id], q) for type_id, q in lines], now)
            # one event (resolve_basket): who may take this tender for it is asked once
            allow_tender(uow, command.principal, command.tender, types[lines[0][0]])
            for type_id, quantity in lines:
                check_on_sale(types[type_id], quantity, now)
                check_buyer_limit(uow, command.principal, types[type_id], quantity, now)
            check_event_limits(uow, command.principal, types, lines, now)
            order = self._new_order(command, types, lines, now, redeemed)
            self._paid_at_the_counter(uow, order, gateway, types, now)
            uow.orders.add(order)
            record_answers(uow, order, types, command.answers)
            for type_id, quantity in lines:  # last: the stock rows are every buyer's
                take(uow, type_id, quantity)
            commit_sale(uow, types)
        return order

    def _order_from_hold(self, command: PlaceOrder, hold_id: str, *,
                         paid_at_the_counter: PaymentGateway | None) -> Order:
        """The principal's active hold, used up for a new order in one transaction: the
        order completed and announced when paid at the counter, else PENDING (the card
        saga's reservation)."""
        now = self._clock.now()
        with self._uow() as uow:
            hold, types = _usable_hold(uow, command.principal, hold_id, now)
            allow_tender(uow, command.principal, command.tender,  # a hold is of one event
                         next(iter(types.values())))
            lines = [(line.ticket_type_id, line.quantity) for line in hold.lines]
            if hold.voucher_id is not None:  # the hold took its use: the order keeps it
                redeemed = find_voucher(uow, hold.voucher_id)
            else:  # a code given only now takes its use with the order
                redeemed = redeem_voucher(uow, command.voucher,
                                          [(types[type_id], q) for type_id, q in lines], now)
            order = self._new_order(command, types, lines, now, redeemed)
            order.meta["hold_expires_at"] = hold.expires_at.isoformat()
            if command.in_browser:
                order.pay_until = hold.expires_at
            if paid_at_the_counter is not None:
                self._paid_at_the_counter(uow, order, paid_at_the_counter, types, now)
            uow.orders.add(order)
            record_answers(uow, order, types, command.answers)
            use_hold(uow, hold.id)
            commit_sale(uow, types)
        return order

    def _in_the_till(self, sell: Callable[[], Order]) -> Order:
        """A sale its clerk's till refused at commit, refused in the clerk's words (read
        afresh, the sale's work rolled back)."""
        try:
            return sell()
        except IntentRefused as refused:
            with self._uow(readonly=True) as uow:
                refusal = till_refusal(uow, refused)
            if refusal is None:
                raise
            raise refusal from None

    def _paid_at_the_counter(self, uow: UnitOfWork, order: Order, gateway: PaymentGateway,
                             ticket_types: Mapping[str, TicketTypeView],
                             now: datetime) -> None:
        """The order paid at the counter (cash into the clerk's till), announced, and its
        tickets issued with it."""
        stamp_till(uow, order)
        order.payment_reference = gateway.charge(order, idempotency_key=f"{order.id}:pay")
        order.status, order.completed_at = OrderStatus.COMPLETED, now
        paid = payment_completed(order)
        uow.publish(paid)
        order.issued = self.issue_tickets(uow, paid, ticket_types)  # they go with the sale

    @staticmethod
    def _new_order(command: PlaceOrder, types: Mapping[str, TicketTypeView],
                   lines: list[tuple[str, int]], now: datetime,
                   voucher: Voucher | None = None) -> Order:
        principal, tender = command.principal, command.tender
        buyer = command.buyer or Buyer(principal.user_id, principal.email, principal.name)
        first = types[lines[0][0]]
        quantity = sum(q for _, q in lines)
        order = Order(
            id=new_id(), number=new_order_number(), user_id=buyer.user_id,
            event_id=first.event_id,
            lines=[OrderLine(type_id, q, types[type_id].price) for type_id, q in lines],
            currency=first.currency, tender=tender,
            holders=_holder_names(command.holders, quantity, buyer.name), created_at=now,
            # who took an offline tender, or placed a guest's order (a web visitor: the
            # order is theirs to see and pay)
            taken_by=principal.user_id if tender is not Tender.CARD
            or buyer.user_id != principal.user_id else None,
            voucher_id=voucher.id if voucher else None,
            discount=voucher.discount if voucher else None, test=first.event_test_mode)
        if tender is Tender.CASH:
            due = order.amount
            given = due if command.tendered is None else command.tendered  # exact change
            if given < due:
                raise Invalid(f"cash: {format_money(due, order.currency)} due, "
                              f"{format_money(given, order.currency)} tendered",
                              code="not_enough_cash", due=due, tendered=given)
            order.tendered_amount = given
        check_free(order)
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

    def _confirm(self, order: Order, reference: str, paid_at: datetime) -> Order:
        """`paid_at`: when the gateway's answer said paid (timed apart from confirming)."""
        now = self._clock.now()
        with self._uow() as uow:
            order.payment_reference, order.paid_at = reference, paid_at
            order.status, order.completed_at = OrderStatus.COMPLETED, now
            if not uow.orders.complete(order):
                current = uow.orders.get(order.id)
                assert current is not None
                return current  # confirmed by a resumed saga meanwhile: same outcome
            uow.publish(payment_completed(order))
            uow.commit()
        return order

    def compensate(self, order: Order, reason: str, *, refunded: bool = False) -> None:
        """A PENDING order given up: FAILED, its tickets back on sale (once)."""
        with self._uow() as uow:
            current = uow.orders.get(order.id, lock=True)
            if current is None or current.status is not OrderStatus.PENDING:
                return
            current.status, current.failure_reason = OrderStatus.FAILED, reason[:500]
            uow.orders.save(current)
            uow.publish(OrderFailed(order_id=current.id, order_number=current.number,
                                    user_id=current.user_id, reason=reason,
                                    refunded=refunded))
            give_back(uow, current.quantities, "payment_failed")
            give_back_voucher(uow, current.voucher_id)
            uow.commit()

    def resume_unfinished(self) -> int:
        """Daemon job: finish or compensate orders a crash left PENDING past the deadline.

        Returns how many it settled: an order whose gateway cannot be asked yet is not
        work done, so the daemon sleeps instead of asking again at once."""
        now = self._clock.now()
        with self._uow() as uow:
            stale = uow.orders.stale_pending(now - SAGA_DEADLINE, 100, now=now)
        settled = 0
        for order in stale:
            gateway = self._gateways.get(order.tender)
            try:
                reference = gateway.find_payment(order) if gateway else None
            except Unavailable:
                continue  # ask again on the next pass
            if reference is None:
                self.compensate(order, "payment not completed in time")
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
            if order.pay_until is not None and told_at < order.pay_until:
                return "payable"  # paid in the browser: another card may follow
            self.compensate(order, "the card payment failed")
            return "released"
        # refunds tix made itself (of a ticket, an amount) are counted on the order already
        if outcome == "refunded" and order.status is OrderStatus.COMPLETED \
                and refunded > order.refunded_amount:
            self._cancellations.cancel_refunded(order, refunded - order.refunded_amount,
                                                "refunded by the payment service",
                                                actor_id=None, actor="payment service")
            return "cancelled"
        return "nothing to do"

    def _refund_late_payment(self, order: Order, reference: str) -> None:
        """Paid after the saga gave up and released the seats: the money goes back, once
        (the idempotency key, and the refund recorded on the order)."""
        order.payment_reference = reference
        gateway_for(self._gateways, order.tender).refund(
            order, order.amount, idempotency_key=f"{order.id}:late-refund")
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


def payment_completed(order: Order) -> PaymentCompleted:
    """The announcement of a paid order: what tickets and mails need of it."""
    return PaymentCompleted(
        order_id=order.id, order_number=order.number, user_id=order.user_id,
        ticket_type_id=order.lines[0].ticket_type_id, quantity=order.quantity,
        holders=order.holders, amount=order.amount, currency=order.currency,
        payment_reference=order.payment_reference or "",
        unit_price=price(order.lines[0].unit_price, 1, order.tender, order.discount,
                         order.lines[0].ticket_type_id),
        line_types=[line.ticket_type_id for line in order.lines],
        line_quantities=[line.quantity for line in order.lines],
        line_prices=[price(line.unit_price, 1, order.tender, order.discount,
                           line.ticket_type_id) for line in order.lines],
        voucher=order.discount.code if order.discount else "",
        discount=order.discount_amount)


def _usable_hold(uow: UnitOfWork, principal: Principal, hold_id: str,
                 now: datetime) -> tuple[Hold, dict[str, TicketTypeView]]:
    """The principal's active hold and its ticket types by id. Not locked: using the hold
    up succeeds only while it is still active, which settles any race."""
    hold = find_hold(uow, hold_id)
    if hold is None or hold.user_id != principal.user_id:
        raise NotFound("hold", hold_id)
    if hold.status is not HoldStatus.ACTIVE or not hold.active_at(now):
        raise RuleViolation("this hold has expired or was used: hold again",
                            code="hold_expired")
    found = find_ticket_types(uow, [line.ticket_type_id for line in hold.lines])
    types = {type_id: view for type_id, view in found.items() if view is not None}
    assert len(types) == len(hold.lines)  # a hold's ticket types are never deleted
    return hold, types


def _holder_names(given: list[str], quantity: int, buyer: str) -> list[str]:
    names = [" ".join(n.split()) for n in given if n.strip()]
    if len(names) > quantity:
        raise Invalid(f"{len(names)} names for {quantity} ticket(s)", field="holders",
                      names=len(names), quantity=quantity)
    if any(len(n) > MAX_HOLDER_NAME for n in names):
        raise Invalid(f"a name is longer than {MAX_HOLDER_NAME} characters",
                      field="holders", limit=MAX_HOLDER_NAME)
    return names + [buyer] * (quantity - len(names))


def _with_a_free_order_number(sell: Callable[[], Order]) -> Order:
    """Order numbers are short and random: on the rare clash nothing was committed, and
    the sale is tried again with a new number."""
    for _ in range(ORDER_NUMBER_ATTEMPTS):
        try:
            return sell()
        except OrderNumberTaken:
            continue
    raise Busy("could not find a free order number; try again")

