"""What other modules may ask of the inventory, in their own unit of work.

Tickets are taken and given back only as intents (tix.core.intents): the unit of work's
commit applies them last. Every way tickets go back on sale passes through `give_back`,
so each publishes one TicketsReturned. A ticket type may draw on shared quotas (a
standing area, the event's capacity): `take` and `give_back` take from and give back to
each of them with the type's own stock, so every path that sells or returns tickets
keeps them in step without knowing they exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from tix.core.catalog.model import Event, TicketType, TicketTypeView
from tix.core.catalog.public import TicketTypeDetails
from tix.core.catalog.public import ticket_types as find_ticket_types
from tix.core.errors import Invalid, NotFound, RuleViolation
from tix.core.intents import IntentRefused
from tix.core.inventory.events import TicketsReturned
from tix.core.inventory.intents import (
    GiveBackQuota,
    GiveBackStock,
    StayWithinLimit,
    TakeQuota,
    TakeStock,
    UseHold,
)
from tix.core.inventory.model import (
    Hold,
    QuotaLevel,
    basket,
    check_limit,
    event_limit_refusal,
    limit_refusal,
)
from tix.core.inventory.ports import StockLevel
from tix.core.orders.public import tickets_bought, tickets_bought_in_event
from tix.core.ports import UnitOfWork
from tix.core.principal import Principal, Role
from tix.core.vouchers.public import refusal as voucher_refusal


def take(uow: UnitOfWork, ticket_type_id: str, quantity: int) -> None:
    """Tickets out of availability with the commit; it is refused if fewer are left."""
    uow.intend(TakeStock(ticket_type_id, quantity))
    for quota_id in uow.stock.quotas_of(ticket_type_id):
        uow.intend(TakeQuota(quota_id, quantity, ticket_type_id))


def use_hold(uow: UnitOfWork, hold_id: str) -> None:
    """The hold used up by a sale with the commit; it is refused if no longer active."""
    uow.intend(UseHold(hold_id))


def give_back(uow: UnitOfWork, quantities: Mapping[str, int], reason: str) -> None:
    """Tickets (ticket type id -> quantity) back on sale with the commit, announced."""
    for ticket_type_id, quantity in sorted(quantities.items()):
        if quantity > 0:
            uow.intend(GiveBackStock(ticket_type_id, quantity))
            for quota_id in uow.stock.quotas_of(ticket_type_id):
                uow.intend(GiveBackQuota(quota_id, quantity))
            uow.publish(TicketsReturned(ticket_type_id=ticket_type_id, quantity=quantity,
                                        reason=reason))


def commit_sale(uow: UnitOfWork, ticket_types: Mapping[str, TicketTypeView]) -> None:
    """Commit a work that takes tickets of these types (by id), or uses up the hold that
    set them aside; or refuse in the buyer's words with nothing committed."""
    try:
        uow.commit()
    except IntentRefused as refused:
        if isinstance(refused.intent, TakeStock):
            raise not_enough_tickets(uow, ticket_types[refused.intent.ticket_type_id],
                                     refused.intent.quantity) from None
        if isinstance(refused.intent, TakeQuota):
            raise quota_full(uow, ticket_types[refused.intent.ticket_type_id],
                             refused.intent) from None
        if isinstance(refused.intent, StayWithinLimit):
            raise over_limit(uow, ticket_types, refused.intent) from None
        if isinstance(refused.intent, UseHold):
            raise RuleViolation("this hold was used meanwhile", code="hold_expired") from None
        voucher_used_up = voucher_refusal(refused)
        if voucher_used_up is not None:
            raise voucher_used_up from None
        raise


def not_enough_tickets(uow: UnitOfWork, ticket_type: TicketTypeView,
                       quantity: int) -> RuleViolation:
    """The refusal of a take that found too few tickets, saying how many are left."""
    left = levels(uow, [ticket_type.id]).get(ticket_type.id)
    available = left.available if left else 0
    return RuleViolation(
        f"sold out: {ticket_type.name} has no tickets left" if available == 0 else
        f"not enough {ticket_type.name} tickets: {available} left, {quantity} asked",
        code="sold_out" if available == 0 else "not_enough", ticket_type=ticket_type.id,
        left=available, asked=quantity)


def quota_full(uow: UnitOfWork, ticket_type: TicketTypeView,
               refused: TakeQuota) -> RuleViolation:
    """The refusal of a take that found too few tickets left in a quota the type shares."""
    quota = next((q for q in uow.stock.quotas(ticket_type.event_id)
                  if q.id == refused.quota_id), None)
    available = quota.available if quota else 0
    what = f"{quota.name} area" if quota and quota.name else "the event"
    return RuleViolation(
        f"sold out: {what} is full" if available == 0 else
        f"not enough tickets left in {what}: {available} left, {refused.quantity} asked",
        code="sold_out" if available == 0 else "not_enough", ticket_type=ticket_type.id,
        quota=quota.name if quota and quota.name else "capacity", left=available,
        asked=refused.quantity)


def check_buyer_limit(uow: UnitOfWork, principal: Principal, ticket_type: TicketTypeView,
                      quantity: int, now: datetime) -> None:
    """The per-person limit, counting the buyer's active holds and bought tickets: more
    than the limit in one sale is refused now, the count is the commit's (StayWithinLimit:
    in the one query that ends a sale, no round trips of its own).

    Counter staff sell to a new person with every sale: for them the limit is per sale
    (counting their own sales would stop a box office after four tickets)."""
    if ticket_type.per_person_limit is None:
        return
    check_limit(ticket_type, 0, quantity)
    if not principal.has_role(Role.CLERK):
        uow.intend(StayWithinLimit(principal.user_id, ticket_type.per_person_limit, quantity,
                                   now, ticket_type_id=ticket_type.id))


def over_limit(uow: UnitOfWork, ticket_types: Mapping[str, TicketTypeView],
               refused: StayWithinLimit) -> RuleViolation:
    """The refusal of a sale the per-person count refused at commit, saying how many the
    buyer has (counted afresh: the sale's own work was rolled back)."""
    user, now = refused.user_id, refused.now
    if refused.ticket_type_id is not None:
        ticket_type = ticket_types[refused.ticket_type_id]
        already = (uow.holds.held_by(user, ticket_type.id, now)
                   + tickets_bought(uow, user, ticket_type.id))
        return limit_refusal(ticket_type, already, refused.asked)
    event = next(iter(ticket_types.values()))
    already = (uow.holds.held_in_event(user, event.event_id, now)
               + tickets_bought_in_event(uow, user, event.event_id))
    return event_limit_refusal(event, refused.limit, already, refused.asked)


def resolve_basket(uow: UnitOfWork, items: list[tuple[str, int]], *, what: str,
                   viewer: str | None = None
                   ) -> tuple[dict[str, TicketTypeView], list[tuple[str, int]]]:
    """The ticket types asked for (by id or reference, E12-T2, read at once) and the
    basket's lines, a type named twice counted once, all of one event; `what` is said in
    the refusal of several events ("a hold", "an order")."""
    found = find_ticket_types(uow, [reference for reference, _ in items], viewer=viewer)
    types: dict[str, TicketTypeView] = {}
    resolved = []
    for reference, quantity in items:
        ticket_type = found[reference]
        if ticket_type is None:
            raise NotFound("ticket type", reference)
        types[ticket_type.id] = ticket_type
        resolved.append((ticket_type.id, quantity))
    lines = basket(resolved)
    if len({t.event_id for t in types.values()}) > 1:
        raise Invalid(f"{what} is for one event: these ticket types belong to several",
                      field="items")
    return types, lines


def check_event_limits(uow: UnitOfWork, principal: Principal,
                       types: Mapping[str, TicketTypeView], lines: list[tuple[str, int]],
                       now: datetime) -> None:
    """The event's own limits over all its types: tickets in one order (`max_per_order`)
    and tickets one buyer holds and has bought (`max_per_person`; for counter staff, per
    sale, as the per-type limit)."""
    event = next(iter(types.values()))
    asked = sum(quantity for _, quantity in lines)
    per_order, per_person = event.event_max_per_order, event.event_max_per_person
    if per_order is not None and asked > per_order:
        raise RuleViolation(f"at most {per_order} ticket(s) per order for {event.event_name}",
                            code="over_limit", limit=per_order, asked=asked)
    if per_person is None:
        return
    if asked > per_person:
        raise event_limit_refusal(event, per_person, 0, asked)
    if not principal.has_role(Role.CLERK):
        uow.intend(StayWithinLimit(principal.user_id, per_person, asked, now,
                                   event_id=event.event_id))


def hold(uow: UnitOfWork, hold_id: str) -> Hold | None:
    """A hold by its id, not locked (using it up settles any race)."""
    return uow.holds.get(hold_id)


def forget_holds_of(uow: UnitOfWork, user_ids: list[str]) -> int:
    """The holds of accounts about to be deleted, those that are over (an active one
    still has tickets to give back: its account is not deleted)."""
    return uow.holds.forget_of_users(user_ids)


def held_per_type(uow: UnitOfWork, ticket_type_ids: list[str], now: datetime
                  ) -> dict[str, int]:
    """Tickets in active holds, per ticket type id."""
    return uow.holds.held_per_type(ticket_type_ids, now)


def open_stock(uow: UnitOfWork, ticket_type_id: str, quantity: int) -> None:
    """The inventory of a new ticket type: all of it available."""
    uow.stock.add(ticket_type_id, quantity)


def resize_stock(uow: UnitOfWork, ticket_type_id: str, quantity: int, *, was: int) -> bool:
    """A new quantity for the type (it `was` that); False (nothing changed) below what is
    sold or held. Tickets added are announced as back on sale."""
    if not uow.stock.resize(ticket_type_id, quantity):
        return False
    if quantity > was:
        uow.publish(TicketsReturned(ticket_type_id=ticket_type_id, quantity=quantity - was,
                                    reason="resized"))
    return True


def listed(uow: UnitOfWork, event: Event, ticket_types: list[TicketType]
           ) -> list[TicketTypeDetails]:
    """These types of the event as its page lists them, each with its tickets left now."""
    left = levels(uow, [t.id for t in ticket_types])
    return [TicketTypeDetails.of(event, t, left[t.id].available if t.id in left else 0)
            for t in ticket_types]


def levels(uow: UnitOfWork, ticket_type_ids: list[str]) -> dict[str, StockLevel]:
    """Quantity and availability per ticket type id (types without stock left out)."""
    return uow.stock.levels(ticket_type_ids)


def open_quota(uow: UnitOfWork, event_id: str, quota: QuotaLevel) -> None:
    """A new quota (or an event's capacity): all of it available to its ticket types."""
    uow.stock.add_quota(event_id, quota)


def join_quota(uow: UnitOfWork, quota_id: str, ticket_type_id: str) -> None:
    """A new ticket type, nothing of it sold yet, draws on an existing quota."""
    uow.stock.join_quota(quota_id, ticket_type_id)


def resize_quota(uow: UnitOfWork, quota_id: str, quantity: int) -> bool:
    """A new quantity for a quota; False (nothing changed) below what is sold or held."""
    return uow.stock.resize_quota(quota_id, quantity)


def quotas(uow: UnitOfWork, event_id: str) -> list[QuotaLevel]:
    """An event's quotas with their tickets left, the capacity first, then by name."""
    return uow.stock.quotas(event_id)
