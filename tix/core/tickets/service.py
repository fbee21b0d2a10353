"""Generating tickets when a payment completes, voiding them, and admitting at the door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tix.core.accounts import public as accounts
from tix.core.accounts.events import AccountErased
from tix.core.audit.service import AuditService
from tix.core.catalog import public as catalog
from tix.core.catalog.model import EventStatus, TicketTypeView
from tix.core.clock import Clock
from tix.core.errors import EntryRefused, NotAllowed, NotFound, RuleViolation
from tix.core.ids import new_id
from tix.core.notifications.model import AttachmentRef
from tix.core.orders import public as orders
from tix.core.orders.events import OrderCancelled, PaymentCompleted
from tix.core.orders.model import Order, OrderStatus, price
from tix.core.ports import RateLimiter, UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal, Role
from tix.core.ratelimit import Rate, enforce
from tix.core.tickets.events import TicketsGenerated
from tix.core.tickets.model import (
    Signer,
    Ticket,
    TicketDocument,
    TicketStatus,
    make_payload,
    read_payload,
)
from tix.core.tickets.ports import MailQueue
from tix.core.tickets.public import void_order_tickets


@dataclass(frozen=True)
class Admission:
    ticket: Ticket
    event_name: str
    ticket_type: str


@dataclass(frozen=True)
class DoorCount:
    event_id: str
    event_name: str
    admitted: int
    capacity: int


class TicketService:
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

    def erase_holders(self, msg: AccountErased, uow: UnitOfWork) -> None:
        """GDPR: tickets stay for accounting, without the names on them."""
        uow.tickets.erase_holders(msg.user_id)

    def generate(self, msg: PaymentCompleted, uow: UnitOfWork) -> None:
        """One ticket per seat not issued yet, then announced (and so mailed). A sale at
        the counter issued them all with its commit: they are announced here. Each
        delivery of `msg` is handled once (the daemon's record of it), and storing skips
        a seat already issued."""
        ticket_type = catalog.ticket_type(uow, msg.ticket_type_id)
        if ticket_type is None:
            return
        issued = uow.tickets.of_order(msg.order_id)
        seats = {t.seat for t in issued}
        # read first, so that no number is taken for a seat that has its ticket
        tickets = self._new_tickets(ticket_type, [
            seat for seat in range(msg.quantity) if seat not in seats], msg.order_id,
            msg.user_id, msg.holders)
        stored = uow.tickets.add_numbered(tickets, ticket_type.event_number)
        if len(stored) < len(tickets):  # issued meanwhile elsewhere (`issue_now`): theirs too
            issued, tickets = uow.tickets.of_order(msg.order_id), []
        self._announce(uow, msg, [t.id for t in issued if t.status is TicketStatus.VALID]
                       + [t.id for t in tickets if t.id in stored])

    def issue_with_sale(self, uow: UnitOfWork, msg: PaymentCompleted,
                        ticket_type: TicketTypeView) -> None:
        """A sale at the counter hands its tickets over as it ends: they are stored, with
        their numbers, by the sale's own commit (`uow.issue_tickets`). The daemon's
        delivery of the sale's PaymentCompleted announces them (`generate`): the sale
        writes no more rows than it must."""
        uow.issue_tickets(self._new_tickets(ticket_type, list(range(msg.quantity)),
                                            msg.order_id, msg.user_id, msg.holders),
                          ticket_type.event_number)

    def issue_now(self, principal: Principal, order_reference: str) -> list[Ticket]:
        """The tickets of the principal's order, in seat order; if it is paid, those the
        daemon has not made yet are made now: the box office shows a card sale's codes at
        once, a daemon running or not. They are stored unannounced, as a counter sale's
        are: the daemon's delivery of the order's PaymentCompleted announces them (and so
        mails them), once. An order not paid has none."""
        with self._uow() as uow:
            order = orders.order(uow, order_reference)
            if order is None or order.user_id != principal.user_id:
                raise NotFound("order", order_reference)
            issued = uow.tickets.of_order(order.id)
            seats = {t.seat for t in issued}
            missing = [seat for seat in range(order.quantity) if seat not in seats]
            ticket_type = catalog.ticket_type(uow, order.ticket_type_id)
            if order.status is not OrderStatus.COMPLETED or not missing or ticket_type is None:
                return issued
            uow.tickets.add_numbered(self._new_tickets(
                ticket_type, missing, order.id, order.user_id, list(order.holders)),
                ticket_type.event_number)
            issued = uow.tickets.of_order(order.id)  # with any the daemon stored meanwhile
            uow.commit()
        return issued

    def _new_tickets(self, ticket_type: TicketTypeView, seats: list[int], order_id: str,
                     user_id: str, holders: list[str]) -> list[Ticket]:
        """Signed and ready but for their numbers, which storing them gives."""
        now = self._clock.now()
        tickets = []
        for seat in seats:
            ticket_id = new_id()
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

    def check_in(self, principal: Principal, payload: str,
                 event_reference: str | None = None) -> Admission:
        """Admit a ticket once; every refusal says why."""
        enforce(self._limiter, f"checkins:{principal.user_id}", self._checkin_rate,
                self._clock.now(), "scans")  # forged codes count too: no guessing at speed
        read = read_payload(payload, self._signer)
        if read is None:
            raise EntryRefused("forged or damaged code", code="forged")
        now = self._clock.now()
        with self._uow() as uow:
            ticket = uow.tickets.get(read.ticket_id)
            if ticket is None:
                raise EntryRefused("unknown ticket", code="unknown_ticket")
            # the ticket type's view carries what the door needs of the event: one read
            ticket_type = catalog.ticket_type(uow, ticket.ticket_type_id)
            assert ticket_type is not None
            self._may_scan(principal, ticket_type.organizer_id)
            if event_reference is not None:
                _check_event(uow, event_reference, ticket.event_id, ticket_type.event_name)
            if ticket_type.event_status is EventStatus.CANCELLED:
                raise EntryRefused(f"{ticket_type.event_name} was cancelled",
                                   code="event_cancelled", event=ticket_type.event_name)
            # Locked: a cancellation asked for at this moment waits for the scan to end (and
            # then sees the ticket used), or the scan waits for it and refuses.
            order = orders.order(uow, ticket.order_id, lock=True)
            if ticket.status is TicketStatus.VALID and (order is None or not order.admits):
                raise _order_refusal(order)
            if not uow.tickets.admit(ticket.id, principal.user_id, now):
                current = uow.tickets.get(ticket.id)
                assert current is not None
                raise self._refusal(uow, current, ticket_type.event_timezone)
            self._audit.record(uow, "ticket.checked_in", subject=f"ticket:{ticket.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"number": ticket.number})
            uow.commit()
        ticket.status, ticket.checked_in_at = TicketStatus.USED, now
        return Admission(ticket=ticket, event_name=ticket_type.event_name,
                         ticket_type=ticket_type.name)

    def door(self, principal: Principal, event_reference: str) -> DoorCount:
        """How many are in, of how many the event holds: for the check-in screen."""
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, event_reference)
            if event is None:
                raise NotFound("event", event_reference)
            self._may_scan(principal, event.organizer_id)
            return DoorCount(event_id=event.id, event_name=event.name,
                             admitted=uow.tickets.admitted(event.id),
                             capacity=sum(t.quantity for t in event.ticket_types))

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
        """`tix order pdf`: the buyer's (or, for an admin, anyone's) valid tickets."""
        with self._uow(readonly=True) as uow:
            order = orders.order(uow, order_reference)
            if order is None or (order.user_id != principal.user_id
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
        ticket_type = catalog.ticket_type(uow, order.ticket_type_id)
        assert event is not None and ticket_type is not None
        paid = catalog.format_money(price(order.unit_price, 1, order.tender), order.currency)
        return [TicketDocument(
            ticket_id=ticket.id, number=ticket.number, holder=ticket.holder,
            ticket_type=ticket_type.name, price=paid, order_number=order.number,
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
        """Mail an order's valid tickets again (logged); returns how many."""
        with self._uow() as uow:
            order = orders.order(uow, order_reference)
            if order is None or (order.user_id != principal.user_id
                                 and principal.role is not Role.ADMIN):
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
            return uow.tickets.of_user(principal.user_id, limit)

    def show(self, principal: Principal, reference: str) -> Ticket:
        with self._uow(readonly=True) as uow:
            ticket = uow.tickets.get(reference.strip())
            if ticket is None:
                raise NotFound("ticket", reference)
            event = catalog.event(uow, ticket.event_id)
        if ticket.user_id != principal.user_id and principal.role is not Role.ADMIN and (
                event is None or event.organizer_id != principal.user_id):
            raise NotFound("ticket", reference)  # others' tickets do not exist for you
        return ticket

    def _may_scan(self, principal: Principal, organizer_id: str) -> None:
        if principal.role in (Role.CLERK, Role.ADMIN) or principal.user_id == organizer_id:
            return
        raise NotAllowed("checking tickets in is for clerks and the event's organizer")

    def of_orders(self, order_ids: list[str]) -> dict[str, list[Ticket]]:
        """The tickets of orders the caller was already allowed to see (`order show`)."""
        with self._uow(readonly=True) as uow:
            return uow.tickets.of_orders(order_ids)

    def _refusal(self, uow: UnitOfWork, ticket: Ticket, zone: str) -> EntryRefused:
        if ticket.status is TicketStatus.VOIDED:
            return EntryRefused("the ticket was voided (its order was cancelled)",
                                code="voided")
        clerk = accounts.user(uow, ticket.checked_in_by) if ticket.checked_in_by else None
        when = _local_time(ticket.checked_in_at, zone) if ticket.checked_in_at else "?"
        by = clerk.name if clerk else "someone"
        return EntryRefused(f"already checked in at {when} by {by}", code="already_in",
                            at=when, by=by)


def _check_event(uow: UnitOfWork, reference: str, ticket_event_id: str,
                 ticket_event_name: str) -> None:
    """`checkin --event`: an event that does not exist is a typo, not the wrong door."""
    event_id = catalog.resolve_event(uow, reference)
    if event_id == ticket_event_id:
        return
    if event_id is None or catalog.event(uow, event_id) is None:
        raise NotFound("event", reference)
    raise EntryRefused(f"this ticket is for {ticket_event_name}", code="wrong_event",
                       event=ticket_event_name)


def _local_time(moment: datetime, zone: str) -> str:
    """20:14 CET: the event's wall clock, with its zone (a zone without a name of letters,
    such as +03, goes by its IANA name)."""
    local = moment.astimezone(ZoneInfo(zone))
    abbreviation = local.strftime("%Z")
    return f"{local:%H:%M} {abbreviation if abbreviation.isalpha() else zone}"


def _order_refusal(order: Order | None) -> EntryRefused:
    if order is not None and order.status is OrderStatus.CANCELLED:
        return EntryRefused(f"order {order.number} was cancelled"
                            + (" and refunded" if order.refunded_amount else ""),
                            code="order_cancelled", order=order.number)
    if order is not None and order.status is OrderStatus.COMPLETED:
        return EntryRefused(f"order {order.number} is being cancelled",
                            code="order_cancelled", order=order.number)
    return EntryRefused(f"order {order.number if order else '?'} is not paid"
                        + (f" ({order.status.value.lower()})" if order else ""),
                        code="order_not_paid")
