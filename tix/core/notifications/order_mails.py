"""Mails about orders and events: receipts, cancellations, changes, called-off events."""

from __future__ import annotations

from datetime import datetime

from tix.core.accounts import public as accounts
from tix.core.catalog import public as catalog
from tix.core.catalog.events import EventCancelled, EventUpdated
from tix.core.notifications.service import NotificationService
from tix.core.orders import public as orders
from tix.core.orders.events import OrderCancelled, OrderRefunded, PaymentCompleted
from tix.core.ports import UnitOfWork

TIME_FIELDS = ("starts_at", "ends_at")
FIELD_NAMES = {"starts_at": "Start", "ends_at": "End", "venue": "Venue", "city": "City",
               "address": "Address"}


class OrderMails:
    def __init__(self, notifications: NotificationService) -> None:
        self._notifications = notifications

    def mail_confirmation(self, msg: PaymentCompleted, uow: UnitOfWork) -> None:
        buyer = accounts.user(uow, msg.user_id)
        ticket_type = catalog.ticket_type(uow, msg.ticket_type_id)
        if buyer is None or ticket_type is None or buyer.is_erased:
            return
        event = catalog.event(uow, ticket_type.event_id)
        names = {t.id: t.name for t in event.ticket_types} if event else {}
        self._notifications.queue(uow, to=buyer.email, template="order_confirmation",
                                  user_id=buyer.id, context={
            "name": buyer.name, "order_number": msg.order_number,
            "order_id": msg.order_id, "user_id": buyer.id,  # the order page's signed link
            "event_name": ticket_type.event_name,
            "starts_at": ticket_type.event_starts_at.isoformat(),
            "timezone": ticket_type.event_timezone, "venue": ticket_type.venue,
            "city": ticket_type.city, "address": event.address if event else None,
            "ticket_type": ticket_type.name, "quantity": msg.quantity,
            "unit_price": msg.amount // max(1, msg.quantity) if msg.unit_price is None
            else msg.unit_price, "total": msg.amount,
            "lines": [{"quantity": quantity, "ticket_type": names.get(type_id, ""),
                       "unit_price": msg.amount // max(1, msg.quantity) if paid is None
                       else paid} for type_id, quantity, paid in msg.lines()],
            "currency": msg.currency, "holders": msg.holders,
            "payment_reference": msg.payment_reference,
            "voucher": msg.voucher, "discount": msg.discount})

    def mail_cancellation(self, msg: OrderCancelled, uow: UnitOfWork) -> None:
        self._mail_buyer(uow, msg.user_id, msg.event_id, "order_cancelled", {
            "order_number": msg.order_number, "refund_amount": msg.refund_amount,
            "currency": msg.currency, "reason": msg.reason, "was_free": msg.total == 0})

    def mail_refund(self, msg: OrderRefunded, uow: UnitOfWork) -> None:
        """The buyer hears of a refund short of a cancellation: how much, of which ticket
        (voided), and why."""
        self._mail_buyer(uow, msg.user_id, msg.event_id, "order_refunded", {
            "order_number": msg.order_number, "amount": msg.amount,
            "refunded_total": msg.refunded_total, "currency": msg.currency,
            "ticket_number": msg.ticket_number, "reason": msg.reason})

    def _mail_buyer(self, uow: UnitOfWork, user_id: str, event_id: str, template: str,
                    context: dict[str, object]) -> None:
        """A mail about one order to its buyer (none to an erased one), naming the event."""
        buyer = accounts.user(uow, user_id)
        event = catalog.event(uow, event_id)
        if buyer is None or event is None or buyer.is_erased:
            return
        self._notifications.queue(uow, to=buyer.email, template=template, user_id=buyer.id,
                                  context={"name": buyer.name, "event_name": event.name,
                                           **context})

    def mail_event_updated(self, msg: EventUpdated, uow: UnitOfWork) -> None:
        event = catalog.event(uow, msg.event_id)
        if event is None:
            return
        changes = [{"field": FIELD_NAMES.get(field, field), "old": old, "new": new,
                    "is_time": field in TIME_FIELDS}
                   for field, (old, new) in sorted(msg.changes.items())]
        for changed in changes:
            if changed["is_time"]:  # stored as UTC text: shown in the venue's zone
                changed["old"] = _iso(changed["old"])
                changed["new"] = _iso(changed["new"])
        self._mail_buyers(uow, msg.event_id, "event_updated", {
            "event_name": msg.event_name, "changes": changes, "timezone": event.timezone})

    def mail_event_cancelled(self, msg: EventCancelled, uow: UnitOfWork) -> None:
        self._mail_buyers(uow, msg.event_id, "event_cancelled", {
            "event_name": msg.event_name, "reason": msg.reason})

    def _mail_buyers(self, uow: UnitOfWork, event_id: str, template: str,
                     context: dict[str, object]) -> None:
        """One mail per buyer: the message's idempotency makes it once per change too."""
        for user_id in orders.buyers_of_event(uow, event_id):
            buyer = accounts.user(uow, user_id)
            if buyer is None or buyer.is_erased:
                continue
            self._notifications.queue(uow, to=buyer.email, template=template,
                                      user_id=buyer.id,
                                      context={"name": buyer.name, **context})


def _iso(text: object) -> str:
    return datetime.fromisoformat(str(text)).isoformat() if text else ""
