"""The orders of an event as its organizer exports them (number, status, buyer, lines,
amounts, discount, refunds, tender, times): streamed (`tix.core.exports`) and audited."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from tix.core.accounts import public as accounts
from tix.core.audit.service import AuditService
from tix.core.catalog import public as catalog
from tix.core.errors import NotAllowed, NotFound
from tix.core.exports import BATCH, Export, ExportAudit, streamed
from tix.core.orders.model import Order, price
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal


@dataclass(frozen=True)
class ExportedLine:
    ticket_type: str
    quantity: int
    unit_price: int  # minor units, as sold
    amount: int  # the line's price, a percent off taken (a fixed amount is the order's)


@dataclass(frozen=True)
class ExportedOrder:
    number: str
    status: str
    buyer_email: str
    lines: list[ExportedLine]
    quantity: int
    total: int  # what the buyer paid (or owes), minor units
    discount: int  # what a voucher took off
    voucher: str  # its code, "" without one
    refunded: int
    tender: str
    currency: str
    test: bool
    created_at: datetime
    completed_at: datetime | None


class OrderExports:
    def __init__(self, *, uow: UnitOfWorkFactory, audit: AuditService) -> None:
        self._uow = uow
        self._audit = audit

    def of_event(self, principal: Principal, reference: str, *,
                 purpose: str = "") -> Export[ExportedOrder]:
        """Every order of the event, oldest first: for those who manage it (who see its
        buyers' addresses). Refusals come now, the rows as they are read."""
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, reference)
            if event is None:
                raise NotFound("event", reference)
            if not catalog.sees_personal_data(uow, principal, event):
                raise NotAllowed("an event's orders are for its organizer (or an admin)")
            total = uow.orders.count_of_event(event.id)
        types = {t.id: t.name for t in event.ticket_types}

        def read(work: UnitOfWork) -> Iterator[Sequence[ExportedOrder]]:
            for batch in work.orders.of_event(event.id, batch=BATCH):
                emails = accounts.contacts(work, [o.user_id for o in batch])
                yield [_exported(o, types, emails[o.user_id].email if o.user_id in emails
                                 else "") for o in batch]

        audit = ExportAudit(self._audit, self._uow, "event.orders_exported", principal,
                            event.id, {"event": f"E{event.number}", "format": purpose,
                                       "personal_data": "yes"})
        return Export(event_id=event.id, event_number=event.number, event_name=event.name,
                      total=total, personal_data=True, rows=streamed(self._uow, read, audit))


def _exported(order: Order, types: dict[str, str], email: str) -> ExportedOrder:
    return ExportedOrder(
        number=order.number, status=order.status.value, buyer_email=email,
        lines=[ExportedLine(types.get(line.ticket_type_id, ""), line.quantity,
                            line.unit_price,
                            price(line.unit_price, line.quantity, order.tender,
                                  order.discount, line.ticket_type_id))
               for line in order.lines],
        quantity=order.quantity, total=order.amount, discount=order.discount_amount,
        voucher=order.discount.code if order.discount else "",
        refunded=order.refunded_amount, tender=order.tender.value, currency=order.currency,
        test=order.test, created_at=order.created_at, completed_at=order.completed_at)
