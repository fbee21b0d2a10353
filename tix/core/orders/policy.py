"""Who may take which tender, and who sees which order: the rules the use cases share."""

from __future__ import annotations

from tix.core.catalog import public as catalog
from tix.core.catalog.model import Act, TicketTypeView
from tix.core.catalog.public import format_money
from tix.core.errors import NotAllowed, NotFound, RuleViolation, TixError, Unavailable
from tix.core.ids import looks_like_uuid
from tix.core.orders.model import Order, Tender
from tix.core.orders.ports import PaymentGateway
from tix.core.ports import UnitOfWork
from tix.core.principal import Principal, Role

OFFLINE_TENDERS = (Tender.CASH, Tender.COMP, Tender.FREE)


def gateway_for(gateways: dict[Tender, PaymentGateway], tender: Tender) -> PaymentGateway:
    """The gateway that takes this tender, or Unavailable if none is configured here."""
    gateway = gateways.get(tender)
    if gateway is None:
        raise Unavailable("card payments are not configured here (TIX_STRIPE_API_KEY); "
                          "use cash at the box office")
    return gateway


def allow_tender(uow: UnitOfWork, principal: Principal, tender: Tender,
                 ticket_type: TicketTypeView) -> None:
    """Cash is taken at the counter by the event's clerks (its team's clerks and
    co-organizers, its organizer), complimentary tickets given by its organizer and
    co-organizers; admins may do both."""
    if tender is Tender.CASH:
        catalog.require(uow, principal, ticket_type.event_id, Act.SELL,
                        organizer_id=ticket_type.organizer_id,
                        refusal=f"cash for {ticket_type.event_name} is taken at the box "
                                "office by a clerk on the event's team")
    if tender is Tender.COMP:
        catalog.require(uow, principal, ticket_type.event_id, Act.MANAGE,
                        organizer_id=ticket_type.organizer_id,
                        refusal="complimentary tickets are given by the event's organizer "
                                "and co-organizers")


def check_free(order: Order) -> None:
    """An order taken as free costs nothing (checked once its discount is known)."""
    if order.tender is Tender.FREE and order.amount:
        raise RuleViolation(f"order {order.number} costs "
                            f"{format_money(order.amount, order.currency)}: pay by card",
                            code="not_free", amount=order.amount)


def may_take(uow: UnitOfWork, gateways: dict[Tender, PaymentGateway], principal: Principal,
             tender: Tender, ticket_type: TicketTypeView) -> bool:
    """Whether this person may take payment by `tender` for the type, here and now."""
    if tender is Tender.FREE and ticket_type.price:
        return False
    try:
        gateway_for(gateways, tender)
        allow_tender(uow, principal, tender, ticket_type)
    except TixError:
        return False
    return True


def may_manage_orders(uow: UnitOfWork, principal: Principal, event_id: str) -> bool:
    """THE rule of who manages an event's orders and tickets (cancel and refund whatever
    the policy, void, resend, rename, transfer): the event's organizer and co-organizers,
    or an admin (catalog.public.may, Act.MANAGE)."""
    return catalog.may(uow, principal, event_id, Act.MANAGE)


def managed_order(uow: UnitOfWork, principal: Principal, reference: str, *,
                  doing: str) -> Order:
    """The order, for someone who manages its event's orders: NotFound if they may not
    even see it, NotAllowed (naming what they tried: `doing`) if they may see it only."""
    order = visible_order(uow, principal, reference)
    if not may_manage_orders(uow, principal, order.event_id):
        raise NotAllowed(f"only the event's organizer, its co-organizers or an admin may "
                         f"{doing}")
    return order


def visible_order(uow: UnitOfWork, principal: Principal, reference: str) -> Order:
    """The order, if this person may see it: its buyer, the clerk who sold it, the event's
    organizer and co-organizers, an admin. For anyone else it does not exist."""
    order = uow.orders.get(reference.strip())
    if order is None:
        raise NotFound("order", reference)
    if principal.role is Role.ADMIN or order.user_id == principal.user_id \
            or order.taken_by == principal.user_id:
        return order
    if may_manage_orders(uow, principal, order.event_id):  # organizer, co-organizers
        return order
    raise NotFound("order", reference)  # others' orders do not exist for you


def payable_order(uow: UnitOfWork, principal: Principal | None, reference: str) -> Order:
    """The order a browser pays: by its id, which the buyer's pay link carries (as
    unguessable as a ticket's link, and paying is all it allows), or by its number for
    whoever may see it."""
    reference = reference.strip()
    if looks_like_uuid(reference):
        order = uow.orders.get(reference)
        if order is None:
            raise NotFound("order", reference)
        return order
    if principal is None:
        raise NotFound("order", reference)
    return visible_order(uow, principal, reference)
