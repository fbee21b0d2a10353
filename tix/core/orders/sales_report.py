"""The sales report of an event: sold, held and available per ticket type, revenue, and
the last half hour minute by minute (the box office's live view); with `breakdown`, the
money of every paid order per ticket type and per day — what was paid, refunded, the
payment fees and what is left (`tix event sales`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tix.core.catalog import public as catalog
from tix.core.catalog.model import Act
from tix.core.catalog.public import find_event
from tix.core.clock import Clock
from tix.core.errors import NotFound
from tix.core.exports import BATCH
from tix.core.inventory.public import held_per_type
from tix.core.inventory.public import levels as stock_levels
from tix.core.orders.model import Order, line_amounts, shares
from tix.core.ports import UnitOfWorkFactory
from tix.core.principal import Principal

SALES_MINUTES = 30  # the report's minute-by-minute window
# No payment service reports its fees to tix yet (Stripe's balance transactions could):
# the report has their column, at 0, so that scripts need not change when one does.
NO_FEE = 0


@dataclass(frozen=True)
class SalesLine:
    ticket_type_id: str
    name: str
    quantity: int
    sold: int
    held: int
    available: int
    revenue: int  # what the completed orders' tickets of the type were paid
    # with the breakdown: every paid order (completed, or cancelled since), refunds shared
    # over an order's lines by what each cost
    gross: int = 0  # paid for the type's tickets
    refunded: int = 0
    fees: int = 0
    net: int = 0  # gross - refunded - fees


@dataclass(frozen=True)
class SalesDay:
    """One day in the event's time zone: tickets paid that day, their money, and the
    refunds made that day (a cancellation's day; a partial refund's order's day)."""

    day: date
    orders: int
    tickets: int
    gross: int
    refunded: int
    fees: int
    net: int


@dataclass(frozen=True)
class SalesReport:
    event_id: str
    name: str
    currency: str
    lines: list[SalesLine]
    revenue: int
    per_minute: list[int]  # tickets sold in each of the last SALES_MINUTES minutes, oldest first
    days: list[SalesDay] = field(default_factory=list)  # with the breakdown, oldest first
    gross: int = 0
    refunded: int = 0
    fees: int = 0
    net: int = 0


class SalesReports:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def sales(self, principal: Principal, reference: str, *,
              breakdown: bool = False) -> SalesReport:
        """Sold, held and available per ticket type, and revenue: the event's organizer.
        `breakdown`: the money per type and per day too, test orders left out — it reads
        every paid order of the event, a batch at a time (not for a view refreshed every
        second)."""
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
            money = _Breakdown(event.timezone)
            if breakdown:
                for batch in uow.orders.of_event(event.id, batch=BATCH, paid_only=True):
                    money.add(batch)
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
        report = SalesReport(event_id=event.id, name=event.name, currency=event.currency,
                             lines=lines, revenue=sum(line.revenue for line in lines),
                             per_minute=per_minute)
        return money.into(report) if breakdown else report


class _Breakdown:
    """Paid orders summed per ticket type and per day, as they stream by."""

    def __init__(self, zone: str) -> None:
        self._zone = ZoneInfo(zone)
        self.types: dict[str, list[int]] = {}  # type id -> [gross, refunded]
        self.days: dict[date, list[int]] = {}  # day -> [orders, tickets, gross, refunded]

    def _day(self, moment: datetime) -> list[int]:
        return self.days.setdefault(moment.astimezone(self._zone).date(), [0, 0, 0, 0])

    def add(self, orders: Iterable[Order]) -> None:
        for order in orders:
            if order.completed_at is None:
                continue
            amounts = line_amounts(order.lines, order.tender, order.discount)
            refunds = shares(order.refunded_amount, amounts)
            for line, amount, refund in zip(order.lines, amounts, refunds, strict=True):
                totals = self.types.setdefault(line.ticket_type_id, [0, 0])
                totals[0] += amount
                totals[1] += refund
            paid = self._day(order.completed_at)
            paid[0] += 1
            paid[1] += order.quantity
            paid[2] += sum(amounts)
            if order.refunded_amount:
                self._day(order.cancelled_at or order.completed_at)[3] += order.refunded_amount

    def into(self, report: SalesReport) -> SalesReport:
        lines = []
        for line in report.lines:
            gross, refunded = self.types.get(line.ticket_type_id, [0, 0])
            lines.append(replace(line, gross=gross, refunded=refunded, fees=NO_FEE,
                                 net=gross - refunded - NO_FEE))
        days = [SalesDay(day=day, orders=n, tickets=tickets, gross=gross, refunded=refunded,
                         fees=NO_FEE, net=gross - refunded - NO_FEE)
                for day, (n, tickets, gross, refunded) in sorted(self.days.items())]
        gross = sum(line.gross for line in lines)
        refunded = sum(line.refunded for line in lines)
        return replace(report, lines=lines, days=days, gross=gross, refunded=refunded,
                       fees=NO_FEE, net=gross - refunded - NO_FEE)
