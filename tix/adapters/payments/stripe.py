"""Card payments through Stripe (the official SDK), or a Stripe-compatible endpoint.

One PaymentIntent per order, with the order id in its metadata and an idempotency key per
order and step. It is created unconfirmed, its id recorded on the order, and only then
confirmed with the card's payment method: a confirmation whose reply is lost is found by
that id (even where the endpoint ignores idempotency keys), never paid twice. tix stores
Stripe's ids only, never card data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import stripe

from tix.core.errors import Invalid, RuleViolation, Unavailable
from tix.core.orders.model import Order, PaymentState

# At DEBUG the SDK logs whole API responses, payment intents' client secrets included:
# whatever the process's logging, it says no more than warnings.
logging.getLogger("stripe").setLevel(logging.WARNING)

ATTEMPTS = 2  # of a confirmation or refund the service answered with an internal error
RETRY_PAUSE = 0.2  # seconds
T = TypeVar("T")


class StripeGateway:
    def __init__(self, api_key: str, *, api_base: str | None = None,
                 timeout: float = 5.0) -> None:
        # No retries inside the SDK: a repeat must first check what the last call did,
        # and the saga's steps have their time limits (pay: 5 s).
        self._client = stripe.StripeClient(
            api_key, base_addresses={"api": api_base} if api_base else {},
            max_network_retries=0, http_client=stripe.RequestsClient(timeout=timeout))

    def start(self, order: Order, *, idempotency_key: str) -> str:
        """The order's PaymentIntent, created unconfirmed: no money moves until `charge`.
        Made again after an internal error: at worst a second unconfirmed intent, which
        is never confirmed (only the recorded one is)."""
        try:
            intent = _again_after_internal_error(lambda: self._client.v1.payment_intents.create(
                params={"amount": order.amount, "currency": order.currency.lower(),
                        "payment_method": _payment_method(order), "confirm": False,
                        "metadata": {"order_id": order.id, "order_number": order.number}},
                options={"idempotency_key": idempotency_key}))
        except stripe.StripeError as error:
            raise _refused_or_unavailable(error, order, opening=True) from None
        return str(intent.id)

    def charge(self, order: Order, *, idempotency_key: str) -> str:
        reference = order.payment_reference or self.start(  # not started: open it now
            order, idempotency_key=f"{order.id}:start")
        intents = self._client.v1.payment_intents
        try:
            # Each attempt reads the intent first: a confirmation whose reply was lost is
            # seen as done, and one the service refused is made again — never twice.
            for attempt in range(ATTEMPTS):
                intent = _again_after_internal_error(lambda: intents.retrieve(reference))
                if intent.status != "requires_confirmation":
                    break
                try:
                    intent = intents.confirm(reference,
                                             options={"idempotency_key": idempotency_key})
                    break
                except stripe.APIError:
                    if attempt == ATTEMPTS - 1:
                        raise
                    time.sleep(RETRY_PAUSE)
        except stripe.StripeError as error:
            raise _refused_or_unavailable(error, order) from None
        if intent.status == "requires_action":  # 3-D Secure: only the buyer's browser can
            raise RuleViolation("the bank asks to confirm this card payment (3-D Secure)",
                                code="requires_action")
        if intent.status != "succeeded":  # confirmed before, and declined or pending
            raise RuleViolation(f"card payment not completed ({intent.status})",
                                code="card_declined")
        return str(intent.id)

    def open_in_browser(self, order: Order, *, idempotency_key: str) -> str:
        """A PaymentIntent without a payment method: the browser's Stripe.js gives the
        card (and passes 3-D Secure) straight to Stripe."""
        try:
            intent = _again_after_internal_error(lambda: self._client.v1.payment_intents.create(
                params={"amount": order.amount, "currency": order.currency.lower(),
                        "metadata": {"order_id": order.id, "order_number": order.number}},
                options={"idempotency_key": idempotency_key}))
        except stripe.StripeError as error:
            raise _refused_or_unavailable(error, order, opening=True) from None
        return str(intent.id)

    def browser_payment(self, order: Order, *, payment_method: str | None = None,
                        idempotency_key: str) -> PaymentState:
        """The intent's status and client secret; with the browser's `payment_method`
        (an id made by Stripe.js: the card never reaches tix), it is set on the intent and
        confirmed first. A declined card leaves the intent payable with another."""
        reference = order.payment_reference or ""
        intents = self._client.v1.payment_intents
        try:
            intent = _again_after_internal_error(lambda: intents.retrieve(reference))
            secret = str(intent.client_secret or "")
            if payment_method and intent.status in ("requires_payment_method",
                                                    "requires_confirmation"):
                try:
                    intents.update(reference, params={"payment_method": payment_method})
                except stripe.InvalidRequestError as error:  # an unknown method: no money
                    raise Invalid(f"payment method {payment_method}: {_said(error)}",
                                  field="payment_method") from None
                try:
                    intent = intents.confirm(reference, options={
                        "idempotency_key": f"{idempotency_key}:{payment_method}"})
                except stripe.CardError as error:
                    return PaymentState("requires_payment_method", secret,
                                        declined=error.user_message or str(error.code))
                except stripe.InvalidRequestError as error:
                    # turned down as asked (an unknown method): the order stays PENDING
                    # and the next look at the intent sees whatever did happen
                    raise Invalid(f"payment method {payment_method}: {_said(error)}",
                                  field="payment_method") from None
        except stripe.InvalidRequestError as error:
            if error.param == "payment_method":
                raise Invalid(f"payment method {payment_method}: {_said(error)}",
                              field="payment_method") from None
            raise _unavailable(error) from None
        except stripe.StripeError as error:
            raise _unavailable(error) from None
        refused = intent.to_dict().get("last_payment_error") or {}
        declined = str(refused.get("message") or "") if isinstance(refused, dict) else ""
        return PaymentState(str(intent.status), secret, declined=declined)

    def find_payment(self, order: Order) -> str | None:
        intents = self._client.v1.payment_intents
        try:
            if order.payment_reference:  # recorded when the payment was started
                reference = order.payment_reference
                intent = _again_after_internal_error(lambda: intents.retrieve(reference))
                return str(intent.id) if intent.status == "succeeded" else None
            # Orders saved before references were recorded up front: the newest intents.
            page = intents.list(params={"limit": 100})
        except stripe.StripeError as error:
            raise _unavailable(error) from None
        for intent in page.data:
            metadata = intent.to_dict().get("metadata") or {}
            if metadata.get("order_id") == order.id and intent.status == "succeeded":
                return str(intent.id)
        return None

    def refund(self, order: Order, amount: int, *, idempotency_key: str) -> str:
        """Refunds of the order's payment come to `amount` in all: a refund whose reply was
        lost is found and not made again (even where idempotency keys are ignored)."""
        reference = order.payment_reference or ""
        missing = amount

        def made() -> str | None:
            nonlocal missing
            earlier = self._refunds_of(reference)
            missing = amount - sum(r.amount for r in earlier)
            return str(earlier[0].id) if missing <= 0 and earlier else None

        return self._refunded_once(made, lambda: self._client.v1.refunds.create(
            params={"payment_intent": reference, "amount": missing},
            options={"idempotency_key": idempotency_key}))

    def refund_part(self, order: Order, amount: int, *, refund_id: str,
                    idempotency_key: str) -> str:
        """One refund of `amount`, carrying `refund_id` in its metadata: before it is made,
        the payment's refunds are read for one carrying it already (an earlier try whose
        reply was lost), so it is made once even where idempotency keys are ignored. Two
        tries of one refund at once are kept apart by its claim (tix.core.orders.refunds).
        """
        reference = order.payment_reference or ""

        def made() -> str | None:
            found = [r for r in self._refunds_of(reference)
                     if (r.to_dict().get("metadata") or {}).get("tix_refund") == refund_id]
            return str(found[0].id) if found else None

        return self._refunded_once(made, lambda: self._client.v1.refunds.create(
            params={"payment_intent": reference, "amount": amount,
                    "metadata": {"tix_refund": refund_id, "order_id": order.id}},
            options={"idempotency_key": idempotency_key}))

    def _refunds_of(self, reference: str) -> list[stripe.Refund]:
        """The payment's refunds made or under way."""
        return [r for r in self._client.v1.refunds.list(
            params={"payment_intent": reference, "limit": 100}).auto_paging_iter()
            if r.status in ("succeeded", "pending")]

    @staticmethod
    def _refunded_once(made: Callable[[], str | None],
                       make: Callable[[], stripe.Refund]) -> str:
        """The refund an earlier try made (its reply lost), found by `made`, else made now;
        made again only after the service answered an internal error, and looked for
        first then too."""
        try:
            for attempt in range(ATTEMPTS):
                found = made()
                if found is not None:
                    return found
                try:
                    return str(make().id)
                except stripe.APIError:
                    if attempt == ATTEMPTS - 1:
                        raise
                    time.sleep(RETRY_PAUSE)
        except stripe.StripeError as error:
            raise _unavailable(error) from None
        raise AssertionError("unreachable: the last attempt returns or raises")


def _again_after_internal_error(call: Callable[[], T]) -> T:
    """A call the service answered with an internal error (5xx), made once more after a
    pause. Only calls safe to repeat; a timeout is not repeated (the step's time is
    spent)."""
    try:
        return call()
    except stripe.APIError:
        time.sleep(RETRY_PAUSE)
        return call()


def _payment_method(order: Order) -> str:
    method = order.meta.get("payment_method")
    if not method:
        raise Invalid("--payment-method: a card payment needs Stripe's payment method "
                      "(e.g. pm_card_visa)")
    return method


def _refused_or_unavailable(error: stripe.StripeError, order: Order, *,
                            opening: bool = False) -> Invalid | RuleViolation | Unavailable:
    """What the service's answer means for the order. A declined card is refused, and a
    payment method the service turned down (an unknown one: 400 resource_missing) is the
    buyer's to fix; any other request it turned down while opening the payment (which
    moves no money) is refused. Anything else — an outage, a 5xx, a timeout, a confirmation
    turned down in a state that may hide a charge — is unavailable: the daemon finds out."""
    if isinstance(error, stripe.CardError):
        return RuleViolation(f"card declined: {error.user_message or error.code}",
                             code="card_declined")
    if isinstance(error, stripe.InvalidRequestError):
        if error.param == "payment_method":
            method = order.meta.get("payment_method", "")
            return Invalid(f"--payment-method {method}: {_said(error)}")
        if opening:
            return RuleViolation(f"payment refused by the payment service: {_said(error)}",
                                 code="payment_refused")
    return _unavailable(error)


def _unavailable(error: stripe.StripeError) -> Unavailable:
    return Unavailable(f"payment service unavailable: {_said(error)}")


def _said(error: stripe.StripeError) -> str:
    """The first line of the service's message (an error without one: its class)."""
    lines = (error.user_message or str(error)).strip().splitlines()
    return lines[0] if lines else type(error).__name__


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
