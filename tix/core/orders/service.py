"""The orders module's use cases, as the faces and the daemon call them.

Each lives in the module of its reason to change: checkout — the card saga and the counter
sale (`checkout.py`), cancellations and refunds (`cancellation.py`), the sales report
(`sales_report.py`), who may take which tender and see which order (`policy.py`). This
class builds them over the same gateways and answers the reading of orders itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tix.core.accounts.events import AccountErased
from tix.core.audit.service import AuditService
from tix.core.catalog.events import EventCancelled
from tix.core.catalog.model import TicketTypeView
from tix.core.catalog.public import ticket_type as find_ticket_type
from tix.core.clock import Clock
from tix.core.errors import NotFound
from tix.core.orders.answers import Answer, Asked, GivenAnswer, answers_of, questions_for
from tix.core.orders.cancellation import CancellationQuote, Cancellations
from tix.core.orders.checkout import Checkout, PlaceOrder
from tix.core.orders.events import PaymentCompleted
from tix.core.orders.model import BrowserPayment, Order, Refund, Tender
from tix.core.orders.order_export import OrderExports
from tix.core.orders.policy import may_take, visible_order
from tix.core.orders.ports import HoldKeeper, PaymentGateway
from tix.core.orders.refunds import Refunds
from tix.core.orders.sales_report import SalesReport, SalesReports
from tix.core.orders.till import Tills
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Buyer, Principal, Role
from tix.core.tickets.model import Ticket


class OrderService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService,
                 gateways: dict[Tender, PaymentGateway], inventory: HoldKeeper) -> None:
        self._uow = uow
        self._gateways = gateways  # shared by the parts: a gateway set here serves them all
        self.cancellations = Cancellations(uow=uow, clock=clock, audit=audit,
                                           gateways=gateways)
        self.checkouts = Checkout(uow=uow, clock=clock, audit=audit, gateways=gateways,
                                  inventory=inventory, cancellations=self.cancellations)
        self.reports = SalesReports(uow=uow, clock=clock)
        self.refunds = Refunds(uow=uow, clock=clock, audit=audit, gateways=gateways)
        self.exports = OrderExports(uow=uow, audit=audit)
        self.tills = Tills(uow=uow, clock=clock, audit=audit)

    # -- buying --------------------------------------------------------------------------

    def place(self, command: PlaceOrder) -> Order:
        return self.checkouts.place(command)

    def checkout(self, principal: Principal, hold_id: str, *, tender: Tender,
                 holders: list[str] | None = None, tendered: int | None = None,
                 payment_method: str | None = None,
                 answers: list[GivenAnswer] | None = None,
                 voucher: str | None = None, buyer: Buyer | None = None) -> Order:
        """Pay for a hold (a code given here counts if the hold took none); `buyer`:
        whom the order is for, at the counter."""
        return self.checkouts.place(PlaceOrder(
            principal, tender, hold_id=hold_id, holders=holders or [], tendered=tendered,
            payment_method=payment_method, answers=answers or [], voucher=voucher,
            buyer=buyer))

    def buy(self, principal: Principal, ticket_type_id: str, quantity: int, *,
            tender: Tender, holders: list[str] | None = None,
            tendered: int | None = None, payment_method: str | None = None,
            voucher: str | None = None, answers: list[GivenAnswer] | None = None) -> Order:
        """Buy tickets of a type at once (id or E12-T2)."""
        return self.buy_basket(principal, [(ticket_type_id, quantity)], tender=tender,
                               holders=holders, tendered=tendered,
                               payment_method=payment_method, voucher=voucher,
                               answers=answers)

    def buy_basket(self, principal: Principal, items: list[tuple[str, int]], *,
                   tender: Tender, holders: list[str] | None = None,
                   tendered: int | None = None, payment_method: str | None = None,
                   answers: list[GivenAnswer] | None = None,
                   voucher: str | None = None, buyer: Buyer | None = None) -> Order:
        """Buy tickets of several types of one event at once, in one order and payment
        (with a `voucher` code: its discount, and one of its uses; `buyer`: whom the order
        is for, at the counter)."""
        return self.checkouts.place(PlaceOrder(
            principal, tender, items=items, holders=holders or [], tendered=tendered,
            payment_method=payment_method, answers=answers or [], voucher=voucher,
            buyer=buyer))

    @property
    def after_step(self) -> Callable[[str, Order], None]:
        """Called after each saga step: tests stop the "process" there to prove recovery."""
        return self.checkouts.after_step

    @after_step.setter
    def after_step(self, hook: Callable[[str, Order], None]) -> None:
        self.checkouts.after_step = hook

    @property
    def issue_tickets(self) -> Callable[[UnitOfWork, PaymentCompleted,
                                         Mapping[str, TicketTypeView]], list[Ticket]]:
        """Issues a counter sale's tickets with its commit (wired by bootstrap)."""
        return self.checkouts.issue_tickets

    @issue_tickets.setter
    def issue_tickets(self, issue: Callable[[UnitOfWork, PaymentCompleted,
                                             Mapping[str, TicketTypeView]], list[Ticket]]
                      ) -> None:
        self.checkouts.issue_tickets = issue

    def resume_unfinished(self) -> int:
        return self.checkouts.resume_unfinished()

    def browser_payment(self, principal: Principal | None, reference: str) -> BrowserPayment:
        """Where the browser payment of an order stands (by its id, or its number for
        whoever may see it); a paid one is confirmed by asking."""
        return self.checkouts.browser_payment(principal, reference)

    def pay_in_browser(self, principal: Principal | None, reference: str, *,
                       payment_method: str | None = None) -> BrowserPayment:
        """The browser's word that it paid (or its card to try: `payment_method`), checked
        with the gateway; a declined card is refused and the order stays payable."""
        return self.checkouts.browser_payment(principal, reference,
                                              payment_method=payment_method,
                                              refuse_declined=True)

    def payment_reported(self, order_id: str, outcome: str, reference: str,
                         refunded: int = 0) -> str:
        return self.checkouts.payment_reported(order_id, outcome, reference, refunded)

    # -- cancelling ----------------------------------------------------------------------

    def cancel(self, principal: Principal, reference: str, *,
               refund_used: bool = False, reason: str | None = None) -> Order:
        return self.cancellations.cancel(principal, reference, refund_used=refund_used,
                                         reason=reason)

    def refund(self, principal: Principal, reference: str, *, amount: int | None = None,
               ticket: str | None = None, reason: str | None = None,
               key: str | None = None) -> Refund:
        """Refund a ticket's price (voiding it) or an amount, short of cancelling."""
        return self.refunds.refund(principal, reference, amount=amount, ticket=ticket,
                                   reason=reason, key=key)

    def refunds_of(self, principal: Principal, reference: str) -> list[Refund]:
        """The refunds of an order short of a cancellation, to whoever may see it."""
        return self.refunds.refunds_of(self.show(principal, reference).id)

    def finish_refunds(self) -> int:
        return self.refunds.finish_refunds()

    def cancellation_quote(self, principal: Principal, reference: str, *,
                           refund_used: bool = False) -> CancellationQuote:
        return self.cancellations.quote(principal, reference, refund_used=refund_used)

    def refund_if_cancelled(self, principal: Principal, reference: str, *,
                            refund_used: bool = False) -> int:
        """What cancelling now would refund (minor units), shown before the user confirms."""
        return self.cancellations.quote(principal, reference, refund_used=refund_used).refund

    def erase_holders(self, message: AccountErased, uow: UnitOfWork) -> None:
        self.cancellations.erase_holders(message, uow)

    def cancel_for_event(self, message: EventCancelled, uow: UnitOfWork) -> None:
        self.cancellations.cancel_for_event(message, uow)

    def refund_cancelled_events(self) -> int:
        return self.cancellations.refund_cancelled_events()

    def export_section(self, uow: UnitOfWork, user_id: str) -> list[dict[str, object]]:
        """The user's orders, for their GDPR export."""
        return [{"id": o.id, "number": o.number, "status": o.status.value,
                 "event_id": o.event_id, "ticket_type_id": o.lines[0].ticket_type_id,
                 "quantity": o.quantity, "unit_price": o.lines[0].unit_price,
                 "lines": [{"ticket_type_id": line.ticket_type_id, "quantity": line.quantity,
                            "unit_price": line.unit_price} for line in o.lines],
                 "total": o.amount,
                 "currency": o.currency, "tender": o.tender.value, "holders": o.holders,
                 "payment_reference": o.payment_reference, "created_at": o.created_at,
                 "completed_at": o.completed_at, "cancelled_at": o.cancelled_at,
                 "refunded_amount": o.refunded_amount,
                 # money given back short of cancelling (who gave it is not theirs to see)
                 "refunds": [{"amount": r.amount, "reason": r.reason, "status": r.status.value,
                              "ticket_number": r.ticket_number, "created_at": r.created_at}
                             for r in uow.orders.refunds_of(o.id)]}
                for o in uow.orders.of_user(user_id)]

    # -- reading -------------------------------------------------------------------------

    def sales(self, principal: Principal, reference: str, *,
              breakdown: bool = False) -> SalesReport:
        return self.reports.sales(principal, reference, breakdown=breakdown)

    def show(self, principal: Principal, reference: str) -> Order:
        with self._uow(readonly=True) as uow:
            return visible_order(uow, principal, reference)

    def questions(self, items: list[tuple[str, int]]) -> list[Asked]:
        """The event's questions a sale of these (ticket type, quantity) lines asks, the
        order's first, then ticket by ticket: what a face shows before the sale."""
        with self._uow(readonly=True) as uow:
            return questions_for(uow, items)

    def answers(self, principal: Principal, reference: str) -> list[Answer]:
        """The answers given with an order, to whoever may see the order."""
        with self._uow(readonly=True) as uow:
            return answers_of(uow, visible_order(uow, principal, reference).id)

    def list(self, principal: Principal, limit: int = 100) -> list[Order]:
        with self._uow(readonly=True) as uow:
            return uow.orders.visible_to(
                principal.user_id, organizer=principal.role is Role.ORGANIZER,
                clerk=principal.role is Role.CLERK, admin=principal.role is Role.ADMIN,
                limit=limit, co_organized=True)

    def tenders(self, principal: Principal, ticket_type_id: str) -> tuple[Tender, ...]:
        """The ways this person may take payment for this ticket type, here and now."""
        with self._uow(readonly=True) as uow:
            ticket_type = find_ticket_type(uow, ticket_type_id)
            if ticket_type is None:
                raise NotFound("ticket type", ticket_type_id)
            return tuple(t for t in Tender
                         if may_take(uow, self._gateways, principal, t, ticket_type))
