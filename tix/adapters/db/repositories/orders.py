"""Orders in SQL; holder names are personal data, stored encrypted."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.rows.base import table_of
from tix.adapters.db.rows.catalog import EventRow, EventTeamRow
from tix.adapters.db.rows.orders import OrderLineRow, OrderRefundRow, OrderRow
from tix.adapters.db.sql import in_batches, one_of
from tix.core.catalog.model import GRANTS, Act
from tix.core.ids import looks_like_uuid
from tix.core.orders.model import (
    Discount,
    Order,
    OrderLine,
    OrderStanding,
    OrderStatus,
    Refund,
    RefundStatus,
    Tender,
    price,
)

# What one buyer (:user) has bought and kept of a ticket type (:type) or of an event
# (:event), in orders paid or being paid: read by the repository, and counted again by the
# per-person limit's check at commit (tix.adapters.db.intents). The statuses are
# literals (no IN list: the check is compiled once into the commit's query).
_ACTIVE_ORDER_OF_USER = (OrderRow.user_id == bindparam("user"),
                         or_(OrderRow.status == OrderStatus.PENDING.value,
                             OrderRow.status == OrderStatus.COMPLETED.value))
# Tickets given back (refunded, voided) are not theirs any more: they may buy again.
_KEPT = func.coalesce(func.sum(OrderLineRow.quantity - OrderLineRow.returned), 0)
BOUGHT_OF_TYPE = (select(_KEPT).join(OrderRow, OrderRow.id == OrderLineRow.order_id)
                  .where(OrderLineRow.ticket_type_id == bindparam("type"),
                         *_ACTIVE_ORDER_OF_USER))
BOUGHT_IN_EVENT = (select(_KEPT).join(OrderRow, OrderRow.id == OrderLineRow.order_id)
                   .where(OrderRow.event_id == bindparam("event"), *_ACTIVE_ORDER_OF_USER))


class SqlOrders:
    def __init__(self, session: Session, cipher: FieldCipher, *,
                 insert_later: Callable[[tuple[Table, dict[str, Any]]], None]) -> None:
        self._session = session
        self._cipher = cipher
        self._insert_later = insert_later

    def add(self, order: Order) -> None:
        """Store a new order, when the unit of work writes what it recorded: a sale's
        order then travels with the rest of its end (on PostgreSQL in one query). A number
        already taken (rare) fails the commit with OrderNumberTaken."""
        self._insert_later((table_of(OrderRow), {
            **self._values(order), "id": order.id, "number": order.number,
            "created_at": order.created_at}))
        for position, line in enumerate(order.lines):
            self._insert_later((table_of(OrderLineRow), {
                "order_id": order.id, "position": position,
                "ticket_type_id": line.ticket_type_id, "quantity": line.quantity,
                "unit_price": line.unit_price}))

    def get(self, reference: str, *, lock: bool = False) -> Order | None:
        column = OrderRow.id if looks_like_uuid(reference) else OrderRow.number
        query = select(OrderRow).where(column == reference.upper()
                                       if column is OrderRow.number else column == reference)
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        return None if row is None else self._orders([row])[0]

    def standing(self, order_id: str, *, lock: bool = False) -> OrderStanding | None:
        query = select(OrderRow.number, OrderRow.status, OrderRow.refunded_amount,
                       OrderRow.cancel_requested_at).where(OrderRow.id == order_id)
        if lock:
            query = query.with_for_update()
        row = self._session.execute(query).one_or_none()
        return None if row is None else OrderStanding(
            number=row.number, status=OrderStatus(row.status),
            refunded_amount=row.refunded_amount, cancel_requested_at=row.cancel_requested_at)

    def by_payment(self, payment_reference: str) -> Order | None:
        row = self._session.scalars(select(OrderRow).where(
            OrderRow.payment_reference == payment_reference).limit(1)).first()
        return None if row is None else self._orders([row])[0]

    def save(self, order: Order) -> None:
        self._session.execute(update(OrderRow).where(OrderRow.id == order.id)
                              .values(**self._values(order)))

    def complete(self, order: Order) -> bool:
        result = self._session.execute(
            update(OrderRow)
            .where(OrderRow.id == order.id, OrderRow.status == OrderStatus.PENDING.value)
            .values(**self._values(order)))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def tickets_bought(self, user_id: str, ticket_type_id: str) -> int:
        return int(self._session.scalar(BOUGHT_OF_TYPE, {
            "user": user_id, "type": ticket_type_id}) or 0)

    def tickets_bought_in_event(self, user_id: str, event_id: str) -> int:
        return int(self._session.scalar(BOUGHT_IN_EVENT, {
            "user": user_id, "event": event_id}) or 0)

    def erase_holders(self, user_id: str) -> int:
        rows = self._session.execute(select(OrderRow.id, OrderRow.quantity)
                                     .where(OrderRow.user_id == user_id)).all()
        for order_id, quantity in rows:
            self._session.execute(update(OrderRow).where(OrderRow.id == order_id).values(
                holders=self._cipher.encrypt(json.dumps(["(erased)"] * quantity))))
        return len(rows)

    def buyers_of_event(self, event_id: str) -> list[str]:
        return list(self._session.scalars(
            select(OrderRow.user_id).where(OrderRow.event_id == event_id,
                                           OrderRow.status == OrderStatus.COMPLETED.value)
            .distinct().order_by(OrderRow.user_id)))

    def visible_to(self, user_id: str, *, organizer: bool, clerk: bool, admin: bool,
                   limit: int, co_organized: bool = False) -> list[Order]:
        query = select(OrderRow).order_by(OrderRow.created_at.desc()).limit(limit)
        if not admin:
            mine: list[Any] = [OrderRow.user_id == user_id]
            if clerk:
                mine.append(OrderRow.taken_by == user_id)
            if organizer:
                mine.append(OrderRow.event_id.in_(
                    select(EventRow.id).where(EventRow.organizer_id == user_id)))
            if co_organized:  # whatever their role: the events they run with the organizer
                mine.append(OrderRow.event_id.in_(
                    select(EventTeamRow.event_id).where(
                        EventTeamRow.user_id == user_id,
                        EventTeamRow.role.in_(sorted(r.value for r, acts in GRANTS.items()
                                                     if Act.MANAGE in acts)))))
            query = query.where(or_(*mine))
        return self._orders(list(self._session.scalars(query)))

    def stale_pending(self, before: datetime, limit: int, *, now: datetime) -> list[Order]:
        rows = self._session.scalars(
            select(OrderRow).where(OrderRow.status == OrderStatus.PENDING.value,
                                   OrderRow.created_at < before,
                                   or_(OrderRow.pay_until.is_(None),
                                       OrderRow.pay_until <= now))
            .order_by(OrderRow.created_at).limit(limit).with_for_update(skip_locked=True))
        return self._orders(list(rows))

    def request_cancellation(self, event_id: str, now: datetime) -> int:
        result = self._session.execute(
            update(OrderRow).where(OrderRow.event_id == event_id,
                                   OrderRow.status == OrderStatus.COMPLETED.value,
                                   OrderRow.cancel_requested_at.is_(None))
            .values(cancel_requested_at=now))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def request_cancellation_of_user(self, user_id: str, now: datetime) -> int:
        result = self._session.execute(
            update(OrderRow).where(
                OrderRow.user_id == user_id, OrderRow.status == OrderStatus.COMPLETED.value,
                OrderRow.cancel_requested_at.is_(None),
                OrderRow.event_id.in_(select(EventRow.id).where(EventRow.starts_at > now)))
            .values(cancel_requested_at=now))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def sales_since(self, event_id: str, since: datetime) -> list[tuple[datetime, int]]:
        rows = self._session.execute(
            select(OrderRow.completed_at, OrderRow.quantity)
            .where(OrderRow.event_id == event_id, OrderRow.status == OrderStatus.COMPLETED.value,
                   OrderRow.completed_at >= since, OrderRow.test.is_(False)))
        return [(at, quantity) for at, quantity in rows if at is not None]

    def of_user(self, user_id: str) -> list[Order]:
        rows = self._session.scalars(select(OrderRow).where(OrderRow.user_id == user_id)
                                     .order_by(OrderRow.created_at.desc()))
        return self._orders(list(rows))

    def request_buyer_cancellation(self, order_id: str, refund: int, reason: str,
                                   now: datetime, claimed_until: datetime) -> bool:
        result = self._session.execute(
            update(OrderRow).where(OrderRow.id == order_id,
                                   OrderRow.status == OrderStatus.COMPLETED.value)
            .values(cancel_requested_at=now, cancel_refund=refund, cancel_reason=reason,
                    cancel_claimed_until=claimed_until))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def claim_cancellations(self, limit: int, now: datetime, until: datetime) -> list[Order]:
        rows = list(self._session.scalars(
            select(OrderRow).where(
                OrderRow.status == OrderStatus.COMPLETED.value,
                OrderRow.cancel_requested_at.is_not(None),
                or_(OrderRow.cancel_claimed_until.is_(None),
                    OrderRow.cancel_claimed_until < now))
            .order_by(OrderRow.cancel_requested_at).limit(limit)
            .with_for_update(skip_locked=True)))  # SQLite: the write lock is already ours
        if rows:
            self._session.execute(update(OrderRow)
                                  .where(OrderRow.id.in_([r.id for r in rows]))
                                  .values(cancel_claimed_until=until))
        return self._orders(rows)

    def of_till(self, till_id: str) -> list[Order]:
        return self._orders(list(self._session.scalars(
            select(OrderRow).where(OrderRow.till_id == till_id, OrderRow.tender == "cash")
            .order_by(OrderRow.created_at))))

    def sold_per_type(self, ticket_type_ids: list[str]) -> dict[str, tuple[int, int]]:
        """Tickets sold and revenue per ticket type: the database counts the tickets of
        each price and tender, the one price function (tix.core.orders.model) the money."""
        rows = self._session.execute(
            select(OrderLineRow.ticket_type_id, OrderLineRow.unit_price, OrderRow.tender,
                   OrderRow.discount, func.sum(OrderLineRow.quantity),
                   func.sum(OrderLineRow.returned))
            .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
            .where(OrderLineRow.ticket_type_id.in_(ticket_type_ids),
                   OrderRow.status == OrderStatus.COMPLETED.value,
                   OrderRow.test.is_(False))  # test orders are in no report
            .group_by(OrderLineRow.ticket_type_id, OrderLineRow.unit_price, OrderRow.tender,
                      OrderRow.discount))
        sold: dict[str, tuple[int, int]] = {}
        fixed = False
        for ticket_type_id, unit_price, tender, discount, quantity, returned in rows:
            tickets, revenue = sold.get(ticket_type_id, (0, 0))
            terms = _discount(discount)  # a percent is per line: priced here
            fixed = fixed or bool(terms and terms.amount)
            kept = int(quantity or 0) - int(returned or 0)
            sold[ticket_type_id] = (tickets + kept, revenue + price(
                unit_price, int(quantity or 0), Tender(tender), terms, ticket_type_id))
        if fixed:
            self._take_off_fixed_amounts(ticket_type_ids, sold)
        return sold

    def count_of_event(self, event_id: str) -> int:
        return int(self._session.scalar(select(func.count()).select_from(OrderRow)
                                        .where(OrderRow.event_id == event_id)) or 0)

    def numbers(self, order_ids: list[str]) -> dict[str, str]:
        rows = self._session.execute(select(OrderRow.id, OrderRow.number)
                                     .where(one_of(self._session, OrderRow.id, order_ids)))
        return {order_id: number for order_id, number in rows}

    def of_event(self, event_id: str, *, batch: int, paid_only: bool = False,
                 holders: bool = False) -> Iterator[Sequence[Order]]:
        query = select(*table_of(OrderRow).columns).where(OrderRow.event_id == event_id)
        if paid_only:
            query = query.where(OrderRow.completed_at.is_not(None),
                                OrderRow.status.in_([OrderStatus.COMPLETED.value,
                                                     OrderStatus.CANCELLED.value]),
                                OrderRow.test.is_(False))
        query = query.order_by(OrderRow.created_at, OrderRow.id)
        for rows in in_batches(self._session, query, batch):
            yield self._orders(rows, holders=holders)  # type: ignore[arg-type]

    def _take_off_fixed_amounts(self, ticket_type_ids: list[str],
                                sold: dict[str, tuple[int, int]]) -> None:
        """A fixed amount off an order is no one type's: it comes off the order's lines it
        applies to, first line first, as Order.amount takes it off their total — so the
        types' revenue adds up to what the orders were paid."""
        with_fixed = self._session.scalars(
            select(OrderRow).where(
                OrderRow.id.in_(select(OrderLineRow.order_id).where(
                    OrderLineRow.ticket_type_id.in_(ticket_type_ids))),
                OrderRow.status == OrderStatus.COMPLETED.value, OrderRow.test.is_(False),
                OrderRow.discount.is_not(None)))
        for order in self._orders(list(with_fixed)):
            if order.discount is None or not order.discount.amount:
                continue
            left = order.discount_amount
            for line in order.lines:
                if not left or not order.discount.applies_to(line.ticket_type_id):
                    continue
                paid = price(line.unit_price, line.quantity, order.tender)
                taken = min(left, paid)
                tickets, revenue = sold.get(line.ticket_type_id, (0, 0))
                sold[line.ticket_type_id] = (tickets, revenue - taken)
                left -= taken

    # -- refunds short of a cancellation -------------------------------------------------

    def seat_given_back(self, order_id: str, ticket_type_id: str) -> None:
        self._session.execute(
            update(OrderLineRow).where(OrderLineRow.order_id == order_id,
                                       OrderLineRow.ticket_type_id == ticket_type_id,
                                       OrderLineRow.returned < OrderLineRow.quantity)
            .values(returned=OrderLineRow.returned + 1))

    def reserve_refund(self, refund: Refund, paid: int, claimed_until: datetime) -> bool:
        """Count the refund in the order's refunded amount, if that stays within `paid`
        and the order is COMPLETED with no cancellation asked, and record it: one
        conditional UPDATE, checked by its row count, then the refund's row — in the
        caller's transaction. False (nothing written) if it would pass what was paid."""
        result = self._session.execute(
            update(OrderRow).where(
                OrderRow.id == refund.order_id,
                OrderRow.status == OrderStatus.COMPLETED.value,
                OrderRow.cancel_requested_at.is_(None),
                OrderRow.refunded_amount + refund.amount <= paid)
            .values(refunded_amount=OrderRow.refunded_amount + refund.amount))
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        self._session.add(OrderRefundRow(
            id=refund.id, order_id=refund.order_id, key=refund.key, amount=refund.amount,
            ticket_id=refund.ticket_id, ticket_number=refund.ticket_number,
            reason=refund.reason, actor_id=refund.actor_id, actor=refund.actor,
            status=refund.status.value, reference=refund.reference,
            created_at=refund.created_at, done_at=refund.done_at,
            claimed_until=claimed_until))
        self._session.flush()
        return True

    def refund_by_key(self, order_id: str, key: str) -> Refund | None:
        row = self._session.scalars(select(OrderRefundRow).where(
            OrderRefundRow.order_id == order_id, OrderRefundRow.key == key)).one_or_none()
        return None if row is None else _refund(row)

    def refunds_of(self, order_id: str) -> list[Refund]:
        rows = self._session.scalars(select(OrderRefundRow)
                                     .where(OrderRefundRow.order_id == order_id)
                                     .order_by(OrderRefundRow.created_at, OrderRefundRow.id))
        return [_refund(r) for r in rows]

    def refunds_under_way(self, order_id: str) -> int:
        return int(self._session.scalar(select(func.count()).where(
            OrderRefundRow.order_id == order_id,
            OrderRefundRow.status == RefundStatus.PENDING.value)) or 0)

    def claim_refund(self, refund_id: str, now: datetime, until: datetime) -> bool:
        result = self._session.execute(update(OrderRefundRow).where(
            OrderRefundRow.id == refund_id,
            OrderRefundRow.status == RefundStatus.PENDING.value,
            or_(OrderRefundRow.claimed_until.is_(None), OrderRefundRow.claimed_until < now))
            .values(claimed_until=until))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def claim_refunds(self, limit: int, now: datetime, until: datetime) -> list[Refund]:
        rows = list(self._session.scalars(
            select(OrderRefundRow).where(
                OrderRefundRow.status == RefundStatus.PENDING.value,
                or_(OrderRefundRow.claimed_until.is_(None),
                    OrderRefundRow.claimed_until < now))
            .order_by(OrderRefundRow.created_at).limit(limit)
            .with_for_update(skip_locked=True)))
        if rows:
            self._session.execute(update(OrderRefundRow)
                                  .where(OrderRefundRow.id.in_([r.id for r in rows]))
                                  .values(claimed_until=until))
        return [_refund(r) for r in rows]

    def finish_refund(self, refund_id: str, reference: str, now: datetime) -> bool:
        result = self._session.execute(update(OrderRefundRow).where(
            OrderRefundRow.id == refund_id,
            OrderRefundRow.status == RefundStatus.PENDING.value)
            .values(status=RefundStatus.DONE.value, reference=reference, done_at=now))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def _values(self, order: Order) -> dict[str, Any]:
        return {
            "user_id": order.user_id, "event_id": order.event_id,
            "quantity": order.quantity, "currency": order.currency,
            "tender": order.tender.value,
            "holders": self._cipher.encrypt(json.dumps(order.holders)),
            "status": order.status.value,
            "payment_reference": order.payment_reference,
            "failure_reason": order.failure_reason, "paid_at": order.paid_at,
            "pay_until": order.pay_until, "completed_at": order.completed_at,
            "cancelled_at": order.cancelled_at, "refunded_amount": order.refunded_amount,
            "tendered_amount": order.tendered_amount, "taken_by": order.taken_by,
            "voucher_id": order.voucher_id, "discount": _discount_json(order.discount),
            "test": order.test, "till_id": order.till_id}

    def _orders(self, rows: Sequence[OrderRow], *, holders: bool = True) -> list[Order]:
        """The orders of these rows (entities, or rows of the table's columns), with their
        lines (one query for all); `holders` False: names neither read nor decrypted."""
        lines: dict[str, list[OrderLine]] = {row.id: [] for row in rows}
        if rows:
            for line in self._session.scalars(
                    select(OrderLineRow).where(one_of(self._session, OrderLineRow.order_id,
                                                      list(lines)))
                    .order_by(OrderLineRow.order_id, OrderLineRow.position)):
                lines[line.order_id].append(
                    OrderLine(line.ticket_type_id, line.quantity, line.unit_price))
        return [self._order(row, lines[row.id], holders=holders) for row in rows]

    def _order(self, row: OrderRow, lines: list[OrderLine], *, holders: bool = True
               ) -> Order:
        return Order(
            id=row.id, number=row.number, user_id=row.user_id, event_id=row.event_id,
            lines=lines, currency=row.currency, tender=Tender(row.tender),
            holders=json.loads(self._cipher.decrypt(row.holders)) if holders else [],
            created_at=row.created_at, status=OrderStatus(row.status),
            payment_reference=row.payment_reference,
            failure_reason=row.failure_reason, paid_at=row.paid_at,
            pay_until=row.pay_until, completed_at=row.completed_at,
            cancelled_at=row.cancelled_at, refunded_amount=row.refunded_amount,
            tendered_amount=row.tendered_amount, taken_by=row.taken_by,
            cancel_refund=row.cancel_refund, cancel_reason=row.cancel_reason,
            cancel_requested_at=row.cancel_requested_at, voucher_id=row.voucher_id,
            discount=_discount(row.discount), test=row.test, till_id=row.till_id)


def _refund(row: OrderRefundRow) -> Refund:
    return Refund(id=row.id, order_id=row.order_id, key=row.key, amount=row.amount,
                  reason=row.reason, actor_id=row.actor_id, actor=row.actor,
                  created_at=row.created_at, ticket_id=row.ticket_id,
                  ticket_number=row.ticket_number, status=RefundStatus(row.status),
                  reference=row.reference, done_at=row.done_at)


def _discount_json(discount: Discount | None) -> str | None:
    if discount is None:
        return None
    return json.dumps({"code": discount.code, "percent": discount.percent,
                       "amount": discount.amount, "types": list(discount.ticket_type_ids)})


def _discount(text: str | None) -> Discount | None:
    if not text:
        return None
    terms = json.loads(text)
    return Discount(code=terms["code"], percent=terms["percent"], amount=terms["amount"],
                    ticket_type_ids=tuple(terms["types"]))
