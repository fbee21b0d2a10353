"""Payment providers' webhooks: a report from outside, verified, fed into the saga.

Served by the daemon's listener today (POST /webhooks/stripe) and by the web face when it
comes: the route is the face's, what the report means is decided here and in the orders
service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tix.core.errors import Invalid

if TYPE_CHECKING:
    from tix.bootstrap import Runtime


def payment_webhook(runtime: Runtime, payload: bytes, signature: str) -> str:
    """A Stripe webhook, verified, fed into the saga; replays change nothing. Returns what
    became of it ("ignored" for events the saga does not wait for)."""
    from tix.adapters.payments.stripe import read_webhook

    secret = runtime.settings.stripe_webhook_secret
    if not secret:
        raise Invalid("webhooks are not configured here (TIX_STRIPE_WEBHOOK_SECRET)")
    report = read_webhook(payload, signature, secret)
    if report is None:
        return "ignored"
    return runtime.orders.payment_reported(report.order_id, report.outcome,
                                           report.reference, report.refunded)
