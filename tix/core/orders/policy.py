"""Who may take which tender, and who sees which order: the rules the use cases share."""

from __future__ import annotations

from tix.core.catalog import public as catalog
from tix.core.catalog.model import Act, TicketTypeView
from tix.core.errors import NotFound, TixError, Unavailable
from tix.core.orders.model import Order, Tender
from tix.core.orders.ports import PaymentGateway
from tix.core.ports import UnitOfWork
from tix.core.principal import Principal, Role

OFFLINE_TENDERS = (Tender.CASH, Tender.COMP)


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


def may_take(uow: UnitOfWork, gateways: dict[Tender, PaymentGateway], principal: Principal,
             tender: Tender, ticket_type: TicketTypeView) -> bool:
    """Whether this person may take payment by `tender` for the type, here and now."""
    try:
        gateway_for(gateways, tender)
        allow_tender(uow, principal, tender, ticket_type)
    except TixError:
        return False
    return True


def visible_order(uow: UnitOfWork, principal: Principal, reference: str) -> Order:
    """The order, if this person may see it: its buyer, the clerk who sold it, the event's
    organizer and co-organizers, an admin. For anyone else it does not exist."""
    order = uow.orders.get(reference.strip())
    if order is None:
        raise NotFound("order", reference)
    if principal.role is Role.ADMIN or order.user_id == principal.user_id \
            or order.taken_by == principal.user_id:
        return order
    if catalog.may(uow, principal, order.event_id, Act.MANAGE):  # organizer, co-organizer
        return order
    raise NotFound("order", reference)  # others' orders do not exist for you
