"""The sales report of an event: sold, held and available per ticket type, revenue, and
the last half hour minute by minute (the box office's live view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tix.core.catalog import public as catalog
from tix.core.catalog.model import Act
from tix.core.catalog.public import find_event
from tix.core.clock import Clock
from tix.core.errors import NotFound
from tix.core.inventory.public import held_per_type
from tix.core.inventory.public import levels as stock_levels
from tix.core.ports import UnitOfWorkFactory
from tix.core.principal import Principal

SALES_MINUTES = 30  # the report's minute-by-minute window


@dataclass(frozen=True)
class SalesLine:
    ticket_type_id: str
    name: str
    quantity: int
    sold: int
    held: int
    available: int
    revenue: int


@dataclass(frozen=True)
class SalesReport:
    event_id: str
    name: str
    currency: str
    lines: list[SalesLine]
    revenue: int
    per_minute: list[int]  # tickets sold in each of the last SALES_MINUTES minutes, oldest first


class SalesReports:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def sales(self, principal: Principal, reference: str) -> SalesReport:
        """Sold, held and available per ticket type, and revenue: the event's organizer."""
        now = self._clock.now()
        with self._uow(readonly=True) as uow:
            event = find_event(uow, reference)
            if event is None:
                raise NotFound("event", reference)
            catalog.require(uow, principal, event.id, Act.MANAGE,
                            organizer_id=event.organizer_id,
                            refusal="only the event's organizer, its co-organizers (or an "
                                    "admin) see its sales")
            ids = [t.id for t in event.ticket_types]
            levels = stock_levels(uow, ids)
            held = held_per_type(uow, ids, now)
            sold = uow.orders.sold_per_type(ids)
            since = now.replace(second=0, microsecond=0) - timedelta(minutes=SALES_MINUTES - 1)
            recent = uow.orders.sales_since(event.id, since)
        lines = [SalesLine(ticket_type_id=t.id, name=t.name, quantity=t.quantity,
                           sold=sold.get(t.id, (0, 0))[0], held=held.get(t.id, 0),
                           available=levels[t.id].available if t.id in levels else 0,
                           revenue=sold.get(t.id, (0, 0))[1])
                 for t in event.ticket_types]
        per_minute = [0] * SALES_MINUTES
        for completed_at, quantity in recent:
            minute = int((completed_at - since).total_seconds() // 60)
            if 0 <= minute < SALES_MINUTES:
                per_minute[minute] += quantity
        return SalesReport(event_id=event.id, name=event.name, currency=event.currency,
                           lines=lines, revenue=sum(line.revenue for line in lines),
                           per_minute=per_minute)
