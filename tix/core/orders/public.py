"""What other core modules may ask of orders: plain functions on the caller's unit of
work, so they read in the caller's transaction. The orders' table is this module's own."""

from __future__ import annotations

from tix.core.orders.model import Order, OrderStanding
from tix.core.ports import UnitOfWork

__all__ = ["buyers_of_event", "order", "sold_by", "standing", "tickets_bought"]


def order(uow: UnitOfWork, reference: str, *, lock: bool = False) -> Order | None:
    """An order by id or readable number (TIX-7K4M-Q2); `lock` holds its row until the
    caller's transaction ends (a check-in and a cancellation wait for each other)."""
    return uow.orders.get(reference.strip(), lock=lock)


def standing(uow: UnitOfWork, order_id: str, *, lock: bool = False) -> OrderStanding | None:
    """Where an order stands for its tickets at the door (without its lines); `lock` holds
    its row until the caller's transaction ends, as `order` does."""
    return uow.orders.standing(order_id, lock=lock)


def tickets_bought(uow: UnitOfWork, user_id: str, ticket_type_id: str) -> int:
    """Tickets of the type in the user's completed orders: the per-person limit's count."""
    return uow.orders.tickets_bought(user_id, ticket_type_id)


def tickets_bought_in_event(uow: UnitOfWork, user_id: str, event_id: str) -> int:
    """Tickets of every type of the event in the user's orders (paid or being paid): the
    event's per-person limit's count."""
    return uow.orders.tickets_bought_in_event(user_id, event_id)


def buyers_of_event(uow: UnitOfWork, event_id: str) -> list[str]:
    """The ids of the users with a completed order for the event."""
    return list(uow.orders.buyers_of_event(event_id))


def sold_by(uow: UnitOfWork, clerk_id: str, limit: int) -> list[str]:
    """The ids of the orders a clerk took at the counter (and their own), newest first."""
    return [o.id for o in uow.orders.visible_to(clerk_id, organizer=False, clerk=True,
                                                admin=False, limit=limit)]
