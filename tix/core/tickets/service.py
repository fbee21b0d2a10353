"""Generating tickets when a payment completes, voiding them, mailing and showing them;
admitting them at the door is `CheckIn`'s (tix/core/tickets/checkin.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from tix.core.accounts import public as accounts
from tix.core.accounts.events import AccountErased
from tix.core.audit.service import AuditService
from tix.core.catalog import public as catalog
from tix.core.catalog.model import Act, TicketTypeView
from tix.core.clock import Clock
from tix.core.errors import NotFound, RuleViolation
from tix.core.ids import new_id
from tix.core.notifications.model import AttachmentRef
from tix.core.orders import public as orders
from tix.core.orders.events import OrderCancelled, PaymentCompleted
from tix.core.orders.model import Order, OrderStatus, Tender, price
from tix.core.ports import RateLimiter, UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal, Role
from tix.core.ratelimit import Rate
from tix.core.tickets.attendees import AttendeeLists
from tix.core.tickets.changes import TicketChanges
from tix.core.tickets.checkin import Admission, CheckIn, DoorCount, FoundTicket
from tix.core.tickets.events import TicketsGenerated
from tix.core.tickets.model import (
    Signer,
    Ticket,
    TicketDocument,
    TicketStatus,
    make_payload,
)
from tix.core.tickets.ports import MailQueue
from tix.core.tickets.public import (
    void_order_tickets,
)

__all__ = ["Admission", "DoorCount", "FoundTicket", "TicketService"]

class TicketService(CheckIn, TicketChanges):
    """Tickets: issued when paid, voided, mailed, shown; the door's check-in (`CheckIn`);
    voided, renamed, transferred one by one (`TicketChanges`)."""

    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, signer: Signer,
                 audit: AuditService, limiter: RateLimiter,
                 notifications: MailQueue | None = None,
                 checkins_per_second: int = 10) -> None:
        self._notifications = notifications
        self._uow = uow
        self._clock = clock
        self._signer = signer
        self._audit = audit
        self._limiter = limiter
        self._checkin_rate = Rate(checkins_per_second, timedelta(seconds=1))
        self.attendee_lists = AttendeeLists(uow=uow, audit=audit)

    def erase_holders(self, msg: AccountErased, uow: UnitOfWork) -> None:
        """GDPR: tickets stay for accounting, without the names on them."""
        uow.tickets.erase_holders(msg.user_id)

    def generate(self, msg: PaymentCompleted, uow: UnitOfWork) -> None:
        """One ticket per seat not issued yet, then announced (and so mailed). A sale at
        the counter issued them all with its commit: they are announced here. Each
        delivery of `msg` is handled once (the daemon's record of it), and storing skips
        a seat already issued."""
        seat_types = msg.seat_types()
        types = _ticket_types(uow, seat_types)
        if types is None:
            return
        issued = uow.tickets.of_order(msg.order_id)
        seats = {t.seat for t in issued}
        # read first, so that no number is taken for a seat that has its ticket
        tickets = self._new_tickets(types, seat_types, [
            seat for seat in range(len(seat_types)) if seat not in seats], msg.order_id,
            msg.user_id, msg.holders)
        stored = uow.tickets.add_numbered(tickets, _event_number(types))
        if len(stored) < len(tickets):  # issued meanwhile elsewhere (`issue_now`): theirs too
            issued, tickets = uow.tickets.of_order(msg.order_id), []
        self._announce(uow, msg, [t.id for t in issued if t.status is TicketStatus.VALID]
                       + [t.id for t in tickets if t.id in stored])

    def issue_with_sale(self, uow: UnitOfWork, msg: PaymentCompleted,
                        ticket_types: Mapping[str, TicketTypeView]) -> list[Ticket]:
        """A sale at the counter hands its tickets over as it ends: they are stored, with
        their numbers, by the sale's own commit (`uow.issue_tickets`), and returned (numbered
        once it is committed). The daemon's delivery of the sale's PaymentCompleted
        announces them (`generate`): the sale writes no more rows than it must."""
        seat_types = msg.seat_types()
        tickets = self._new_tickets(ticket_types, seat_types, list(range(len(seat_types))),
                                    msg.order_id, msg.user_id, msg.holders)
        uow.issue_tickets(tickets, _event_number(ticket_types))
        return tickets

    def issue_now(self, principal: Principal, order_reference: str) -> list[Ticket]:
        """The tickets of the principal's order, in seat order; if it is paid, those the
        daemon has not made yet are made now: the box office shows a card sale's codes at
        once, a daemon running or not. They are stored unannounced, as a counter sale's
        are: the daemon's delivery of the order's PaymentCompleted announces them (and so
        mails them), once. An order not paid has none."""
        with self._uow() as uow:
            order = orders.order(uow, order_reference)
            if order is None or principal.user_id not in (order.user_id, order.taken_by):
                raise NotFound("order", order_reference)  # the clerk's: a walk-in's sale
            issued = uow.tickets.of_order(order.id)
            seats = {t.seat for t in issued}
            missing = [seat for seat in range(order.quantity) if seat not in seats]
            types = _ticket_types(uow, order.seat_types)
            if order.status is not OrderStatus.COMPLETED or not missing or types is None:
                return issued
            uow.tickets.add_numbered(self._new_tickets(
                types, order.seat_types, missing, order.id, order.user_id,
                list(order.holders)), _event_number(types))
            issued = uow.tickets.of_order(order.id)  # with any the daemon stored meanwhile
            uow.commit()
        return issued

    def _new_tickets(self, types: Mapping[str, TicketTypeView], seat_types: list[str],
                     seats: list[int], order_id: str, user_id: str,
                     holders: list[str]) -> list[Ticket]:
        """Signed and ready but for their numbers, which storing them gives: one for each
        of `seats`, of the type its seat has (`seat_types`)."""
        now = self._clock.now()
        tickets = []
        for seat in seats:
            ticket_id = new_id()
            ticket_type = types[seat_types[seat]]
            tickets.append(Ticket(
                id=ticket_id, number="", event_id=ticket_type.event_id,
                order_id=order_id, seat=seat, user_id=user_id,
                ticket_type_id=ticket_type.id,
                holder=holders[seat] if seat < len(holders) else "",
                qr_payload=make_payload(ticket_id, ticket_type.event_number, self._signer),
                created_at=now))
        return tickets

    def _announce(self, uow: UnitOfWork, msg: PaymentCompleted, created: list[str]) -> None:
        if created:
            uow.publish(TicketsGenerated(order_id=msg.order_id, user_id=msg.user_id,
                                         ticket_ids=created))
            self._audit.record(uow, "tickets.generated", subject=f"order:{msg.order_id}",
                               details={"tickets": str(len(created))})

    def void(self, msg: OrderCancelled, uow: UnitOfWork) -> None:
        """Orders cancelled by earlier versions: a cancellation now voids its tickets in its
        own transaction (`void_order_tickets`), so this finds nothing left to void."""
        void_order_tickets(uow, msg.order_id)

    def document(self, ticket_id: str) -> TicketDocument:
        """What a ticket's PDF and calendar entry show."""
        with self._uow(readonly=True) as uow:
            ticket = uow.tickets.get(ticket_id)
            if ticket is None:
                raise NotFound("ticket", ticket_id)
            return self._documents(uow, ticket.order_id, [ticket])[0]

    def order_documents(self, order_id: str) -> list[TicketDocument]:
        """Every valid ticket of an order, in seat order (its mail and its PDF)."""
        with self._uow(readonly=True) as uow:
            tickets = [t for t in uow.tickets.of_order(order_id)
                       if t.status is TicketStatus.VALID]
            return self._documents(uow, order_id, tickets)

    def order_documents_for(self, principal: Principal,
                            order_reference: str) -> list[TicketDocument]:
        """`tix order pdf`: the buyer's valid tickets — or the clerk's who sold them (a
        walk-in's, printed at the counter), or for an admin anyone's."""
        with self._uow(readonly=True) as uow:
            order = orders.order(uow, order_reference)
            if order is None or (principal.user_id not in (order.user_id, order.taken_by)
                                 and principal.role is not Role.ADMIN):
                raise NotFound("order", order_reference)
        documents = self.order_documents(order.id)
        if not documents:
            raise RuleViolation("this order has no valid tickets", code="no_tickets")
        return documents

    @staticmethod
    def _documents(uow: UnitOfWork, order_id: str,
                   tickets: list[Ticket]) -> list[TicketDocument]:
        """One read of the order and its event for all its tickets (an order may have 100)."""
        order = orders.order(uow, order_id)
        if order is None or not tickets:
            return []
        event = catalog.event(uow, order.event_id)
        assert event is not None
        names = {t.id: t.name for t in event.ticket_types}
        paid = {line.ticket_type_id: catalog.format_money(price(
            line.unit_price, 1, order.tender, order.discount, line.ticket_type_id),
            order.currency) + _order_discount(order) for line in order.lines}
        return [TicketDocument(
            ticket_id=ticket.id, number=ticket.number, holder=ticket.holder,
            ticket_type=names.get(ticket.ticket_type_id, ""),
            price=paid.get(ticket.ticket_type_id, ""), order_number=order.number,
            qr_payload=ticket.qr_payload, event_name=event.name, starts_at=event.starts_at,
            ends_at=event.ends_at, timezone=event.timezone, venue=event.venue,
            address=event.address, city=event.city, status=ticket.status) for ticket in tickets]

    def mail_tickets(self, msg: TicketsGenerated, uow: UnitOfWork) -> None:
        """The buyer gets every ticket: a PDF and a calendar entry each, and a link."""
        buyer = accounts.user(uow, msg.user_id)
        order = orders.order(uow, msg.order_id)
        if buyer is None or order is None or buyer.is_erased or self._notifications is None:
            return
        event = catalog.event(uow, order.event_id)
        tickets = [t for t in uow.tickets.of_order(msg.order_id) if t.id in msg.ticket_ids]
        base = self._notifications.public_url
        self._notifications.queue(
            uow, to=buyer.email, template="tickets", user_id=buyer.id, context={
                "name": buyer.name, "order_number": order.number,
                "event_name": event.name if event else "",
                "tickets": [{"number": t.number, "holder": t.holder,
                             "link": f"{base}/t/{t.id}"} for t in tickets]},
            # built when sent, from the tickets still valid then: PDFs never sit in the database
            attachments=[AttachmentRef("order_tickets", order.id)])

    def resend(self, principal: Principal, order_reference: str) -> int:
        """Mail an order's valid tickets again (logged) to its buyer: asked by the buyer,
        the event's organizer or an admin; returns how many."""
        with self._uow() as uow:
            order = orders.order(uow, order_reference)
            if order is None or (order.user_id != principal.user_id
                                 and not orders.may_manage(uow, principal, order.event_id)):
                raise NotFound("order", order_reference)
            valid = [t.id for t in uow.tickets.of_order(order.id)
                     if t.status is TicketStatus.VALID]
            if not valid:
                raise RuleViolation("this order has no valid tickets to send",
                                    code="no_tickets")
            uow.publish(TicketsGenerated(order_id=order.id, user_id=order.user_id,
                                         ticket_ids=valid))
            self._audit.record(uow, "tickets.resent", subject=f"order:{order.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"tickets": str(len(valid))})
            uow.commit()
        return len(valid)

    def export_section(self, uow: UnitOfWork, user_id: str) -> list[dict[str, object]]:
        """The user's tickets, for their GDPR export."""
        return [{"id": t.id, "number": t.number, "event_id": t.event_id,
                 "order_id": t.order_id, "holder": t.holder, "status": t.status.value,
                 "created_at": t.created_at, "checked_in_at": t.checked_in_at}
                for t in uow.tickets.of_user(user_id, limit=None)]

    def mine(self, principal: Principal, limit: int = 200) -> list[Ticket]:
        with self._uow(readonly=True) as uow:
            if principal.role is not Role.CLERK:
                return uow.tickets.of_user(principal.user_id, limit)
            # a clerk's: also those of the walk-ins they sold to (CLI.md, tix ticket list)
            sold = uow.tickets.of_orders(orders.sold_by(uow, principal.user_id, limit))
            found = [t for order_id in sold for t in sold[order_id]]
            return sorted(found, key=lambda t: (-t.created_at.timestamp(), t.seat))[:limit]

    def show(self, principal: Principal, reference: str) -> Ticket:
        with self._uow(readonly=True) as uow:
            ticket = uow.tickets.get(reference.strip())
            if ticket is None:
                raise NotFound("ticket", reference)
            if ticket.user_id != principal.user_id and not catalog.may(
                    uow, principal, ticket.event_id, Act.MANAGE):  # organizer, co-organizer
                order = orders.order(uow, ticket.order_id)
                if order is None or order.taken_by != principal.user_id:  # sold at the counter
                    raise NotFound("ticket", reference)  # others' tickets do not exist for you
        return ticket

    def of_orders(self, order_ids: list[str]) -> dict[str, list[Ticket]]:
        """The tickets of orders the caller was already allowed to see (`order show`)."""
        with self._uow(readonly=True) as uow:
            return uow.tickets.of_orders(order_ids)


def _order_discount(order: Order) -> str:
    """A fixed amount a code took off the whole order, said beside each ticket's price
    (a percent is already in it)."""
    discount = order.discount
    if discount is None or not discount.amount or order.tender is Tender.COMP:
        return ""
    return (f" ({discount.code}: {catalog.format_money(discount.amount, order.currency)} "
            "off the order)")


def _ticket_types(uow: UnitOfWork, type_ids: list[str]) -> dict[str, TicketTypeView] | None:
    """The ticket types of an order's seats by id; None if one is gone."""
    found = catalog.ticket_types(uow, list(dict.fromkeys(type_ids)))
    if any(view is None for view in found.values()):
        return None
    return {type_id: view for type_id, view in found.items() if view is not None}


def _event_number(types: Mapping[str, TicketTypeView]) -> int:
    """The number of the event the ticket types belong to (an order's are one event's)."""
    return next(iter(types.values())).event_number
