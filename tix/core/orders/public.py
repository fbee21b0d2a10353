"""What other core modules may ask of orders: plain functions on the caller's unit of
work, so they read in the caller's transaction. The orders' table is this module's own."""

from __future__ import annotations

from tix.core.orders.answers import Answer
from tix.core.orders.model import Order, OrderStanding
from tix.core.orders.policy import may_manage_orders
from tix.core.ports import UnitOfWork
from tix.core.principal import Principal

__all__ = ["Answer", "answers_of_orders", "buyers_of_event", "may_manage", "numbers", "order",
           "seat_given_back", "sold_by", "standing", "tickets_bought"]


def may_manage(uow: UnitOfWork, principal: Principal, event_id: str) -> bool:
    """Whether this person manages the event's orders and tickets (its organizer, an
    admin): the one rule, `orders.policy.may_manage_orders`."""
    return may_manage_orders(uow, principal, event_id)


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


def numbers(uow: UnitOfWork, order_ids: list[str]) -> dict[str, str]:
    """The readable number (TIX-7K4M-Q2) of each of these orders, by id, in one read."""
    return uow.orders.numbers(order_ids) if order_ids else {}


def answers_of_orders(uow: UnitOfWork, order_ids: list[str]) -> dict[str, list[Answer]]:
    """The answers given with each of these orders (personal data: decrypted), by id, the
    order's first, then by ticket; in one read."""
    return uow.answers.of_orders(order_ids) if order_ids else {}


def seat_given_back(uow: UnitOfWork, order_id: str, ticket_type_id: str) -> None:
    """A ticket of the order given back (refunded or voided), its seat on sale again (the
    caller gives the stock back): the order's line no longer counts it sold."""
    uow.orders.seat_given_back(order_id, ticket_type_id)


def sold_by(uow: UnitOfWork, clerk_id: str, limit: int) -> list[str]:
    """The ids of the orders a clerk took at the counter (and their own), newest first."""
    return [o.id for o in uow.orders.visible_to(clerk_id, organizer=False, clerk=True,
                                                admin=False, limit=limit)]
