"""What other core modules may ask of tickets: plain functions on the caller's unit of
work, so they run in the caller's transaction. The tickets' tables are this module's own;
nothing outside it touches `uow.tickets` (tests/unit/test_module_ownership.py checks)."""

from __future__ import annotations

from tix.core.ports import UnitOfWork
from tix.core.tickets.events import TicketsVoided
from tix.core.tickets.model import TicketStatus

__all__ = ["used_ticket_numbers", "void_order_tickets"]


def void_order_tickets(uow: UnitOfWork, order_id: str) -> list[str]:
    """The order's tickets that could still admit stop admitting, in the caller's
    transaction (the one that cancels the order); returns their ids."""
    voided = uow.tickets.void_order(order_id)
    if voided:
        uow.publish(TicketsVoided(order_id=order_id, ticket_ids=voided))
    return voided


def used_ticket_numbers(uow: UnitOfWork, order_id: str) -> list[str]:
    """The numbers of the order's tickets already checked in (E12-000123), in seat order:
    what keeps an order from being cancelled, and what its refusal names."""
    return [t.number for t in uow.tickets.of_order(order_id) if t.status is TicketStatus.USED]
