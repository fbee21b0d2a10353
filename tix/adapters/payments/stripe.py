"""Card payments through Stripe (the official SDK), or a Stripe-compatible endpoint.

One PaymentIntent per order, created confirmed with the card's payment method, the order
id in its metadata and an idempotency key per order and step. Before creating one, the
order's intent is looked up, so a repeated step finds the first payment even where the
endpoint ignores idempotency keys. tix stores Stripe's ids only, never card data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import stripe

from tix.core.errors import Invalid, RuleViolation, Unavailable
from tix.core.orders.model import Order

# At DEBUG the SDK logs whole API responses, payment intents' client secrets included:
# whatever the process's logging, it says no more than warnings.
logging.getLogger("stripe").setLevel(logging.WARNING)


class StripeGateway:
    def __init__(self, api_key: str, *, api_base: str | None = None,
                 timeout: float = 5.0) -> None:
        # No retries inside the SDK: the saga decides (its pay step has 5 s).
        self._client = stripe.StripeClient(
            api_key, base_addresses={"api": api_base} if api_base else {},
            max_network_retries=0, http_client=stripe.RequestsClient(timeout=timeout))

    def charge(self, order: Order, *, idempotency_key: str) -> str:
        existing = self.find_payment(order)
        if existing is not None:
            return existing
        method = order.meta.get("payment_method")
        if not method:
            raise Invalid("--payment-method: a card payment needs Stripe's payment method "
                          "(e.g. pm_card_visa)")
        try:
            intent = self._client.v1.payment_intents.create(
                params={"amount": order.amount, "currency": order.currency.lower(),
                        "payment_method": method, "confirm": True,
                        "metadata": {"order_id": order.id, "order_number": order.number}},
                options={"idempotency_key": idempotency_key})
        except stripe.CardError as error:
            raise RuleViolation(f"card declined: {error.user_message or error.code}",
                                code="card_declined") from None
        except stripe.StripeError as error:
            raise _unavailable(error) from None
        if intent.status != "succeeded":
            raise RuleViolation(f"card payment not completed ({intent.status})",
                                code="card_declined")
        return str(intent.id)

    def find_payment(self, order: Order) -> str | None:
        try:
            page = self._client.v1.payment_intents.list(params={"limit": 100})
        except stripe.StripeError as error:
            raise _unavailable(error) from None
        for intent in page.data:
            metadata = intent.to_dict().get("metadata") or {}
            if metadata.get("order_id") == order.id and intent.status == "succeeded":
                return str(intent.id)
        return None

    def refund(self, order: Order, amount: int, *, idempotency_key: str) -> str:
        try:
            refund = self._client.v1.refunds.create(
                params={"payment_intent": order.payment_reference or "", "amount": amount},
                options={"idempotency_key": idempotency_key})
        except stripe.StripeError as error:
            raise _unavailable(error) from None
        return str(refund.id)


def _unavailable(error: stripe.StripeError) -> Unavailable:
    message = (error.user_message or str(error)).strip().splitlines()[0]
    return Unavailable(f"payment service unavailable: {message}")


# Stripe's webhook events and what they say about an order's payment
WEBHOOK_OUTCOMES = {"payment_intent.succeeded": "succeeded",
                    "payment_intent.payment_failed": "failed",
                    "charge.refunded": "refunded"}


@dataclass(frozen=True)
class PaymentReport:
    order_id: str
    outcome: str  # succeeded, failed, refunded
    reference: str  # the payment intent's id
    refunded: int = 0  # minor units, for "refunded"


def read_webhook(payload: bytes, signature: str, secret: str) -> PaymentReport | None:
    """A verified webhook event as a report on an order, or None for an event tix does not
    act on. A bad signature is Invalid (the listener answers 400)."""
    import json

    try:
        stripe.Webhook.construct_event(payload, signature, secret)
        event = json.loads(payload)  # verified: read it as the plain JSON it is
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise Invalid(f"webhook refused: {error}") from None
    outcome = WEBHOOK_OUTCOMES.get(event.get("type", ""))
    if outcome is None:
        return None
    thing = event["data"]["object"]
    metadata = thing.get("metadata") or {}
    if outcome == "refunded":  # a charge: its payment intent carries the order
        return PaymentReport(metadata.get("order_id", ""), outcome,
                             str(thing.get("payment_intent") or ""),
                             int(thing.get("amount_refunded") or 0))
    return PaymentReport(metadata.get("order_id", ""), outcome, str(thing["id"]))
