"""Offline tenders of the box office: cash taken by a clerk, complimentary tickets.

The money changes hands at the counter, so "charging" records it: the reference is made
from the order, and a repeated step finds the same one.
"""

from __future__ import annotations

from tix.core.errors import Invalid
from tix.core.orders.model import Order, PaymentState


class OfflineGateway:
    def start(self, order: Order, *, idempotency_key: str) -> str | None:
        return None  # the money is at the counter: nothing to open beforehand

    def charge(self, order: Order, *, idempotency_key: str) -> str:
        return f"{order.tender.value}-{order.number}"

    def find_payment(self, order: Order) -> str | None:
        return f"{order.tender.value}-{order.number}"

    def refund(self, order: Order, amount: int, *, idempotency_key: str) -> str:
        return f"refund-{order.number}-{idempotency_key.rsplit(':', 1)[-1]}"

    def refund_part(self, order: Order, amount: int, *, refund_id: str,
                    idempotency_key: str) -> str:
        return f"refund-{order.number}-{refund_id[:8]}"  # the cash goes back at the counter

    def open_in_browser(self, order: Order, *, idempotency_key: str) -> str:
        raise Invalid(f"{order.tender.value} is not paid in a browser")

    def browser_payment(self, order: Order, *, payment_method: str | None = None,
                        idempotency_key: str) -> PaymentState:
        raise Invalid(f"{order.tender.value} is not paid in a browser")
