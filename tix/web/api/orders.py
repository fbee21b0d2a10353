"""/api/orders: place one (guest checkout, free tickets, a card paid in the browser),
read them, cancel one (the refund shown first: GET …/cancellation); /api/payments:
the browser's word that it paid, and Stripe's webhook.

A card order returns PENDING with `payment`: the PaymentIntent's client secret and the
publishable key for Stripe.js (confirmCardPayment: the card and 3-D Secure never touch
tix), or give the browser's payment method id (pm_…, card_…) to POST /api/payments/confirm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from tix.core.errors import Invalid
from tix.json_shapes import event_label_json, order_json
from tix.web import guest_links
from tix.web.api.common import KEY_HELP, ok, order_reader
from tix.web.api.holds import Item
from tix.web.sessions import (
    optional_principal,
    principal_or_visitor,
    require_principal,
    runtime_of,
)

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.orders.model import BrowserPayment, Order
    from tix.core.principal import Principal

router = APIRouter(tags=["orders"])
Key = Annotated[str | None, Query(max_length=200, description=KEY_HELP)]


class Answer(BaseModel):
    question: str = Field(max_length=100, description="The question's key.")
    value: str = Field(max_length=1000)
    ticket: int | None = Field(None, ge=1, description="Ticket number from 1; none: the "
                                                       "order's own question.")


class NewOrder(BaseModel):
    hold_id: str | None = Field(None, max_length=100, description="A hold to pay for…")
    items: list[Item] = Field(default_factory=list, max_length=50,
                              description="…or the tickets, held and bought at once.")
    tender: str = Field("card", description="card (Stripe, in the browser) or free.")
    email: str | None = Field(None, max_length=320, description="A guest's address.")
    name: str = Field("", max_length=200, description="A guest's name.")
    holders: list[str] = Field(default_factory=list, max_length=1000)
    answers: list[Answer] = Field(default_factory=list, max_length=1000)
    voucher: str | None = Field(None, max_length=100)


class Confirmation(BaseModel):
    order: str = Field(max_length=100, description="The order's id (or number).")
    payment_method: str | None = Field(None, max_length=255,
                                       description="Made by Stripe.js: pm_… or card_….")


class CancelOrder(BaseModel):
    refund_used: bool = False
    key: str | None = Field(None, max_length=200, description=KEY_HELP)


@router.post("/orders", status_code=201)
def place(request: Request, body: NewOrder) -> JSONResponse:
    """Place an order for a hold (or items). A visitor's is a guest checkout: `email`
    (the tickets go there; its account is made now, claimed by registering) and the
    holders' names. Free orders are completed at once; card orders wait for the browser."""
    from tix.core.orders.checkout import PlaceOrder
    from tix.core.orders.model import Tender
    from tix.core.principal import is_undeliverable

    principal = principal_or_visitor(request)
    runtime = runtime_of(request)
    tender = {"card": Tender.CARD, "free": Tender.FREE}.get(body.tender.lower())
    if tender is None:
        raise Invalid(f"tender: {body.tender!r} is not card or free", field="tender")
    if (body.hold_id is None) == (not body.items):
        raise Invalid("give a hold_id or items (not both)", field="hold_id")
    buyer = None
    if is_undeliverable(principal.email):  # a visitor: a guest checkout
        if not (body.email or "").strip():
            raise Invalid("an email address is needed: the tickets are sent there",
                          field="email")
        buyer = runtime.accounts.guest_buyer(body.email, body.name)
    order = runtime.orders.place(PlaceOrder(
        principal=principal, tender=tender, hold_id=body.hold_id,
        items=[(i.ticket_type, i.quantity) for i in body.items], holders=body.holders,
        voucher=body.voucher, buyer=buyer, in_browser=tender is Tender.CARD,
        answers=[(a.ticket, a.question, a.value) for a in body.answers]))
    # as `tix buy --json` prints it; a free order's tickets came with it, answers are
    # read back only when some were given
    tickets = order.issued or runtime.tickets.of_orders([order.id]).get(order.id)
    answers = runtime.orders.answers(principal, order.id) if body.answers else []
    shown = {**order_json(order, tickets, answers), "pay_until": order.pay_until}
    if tender is Tender.CARD:
        shown["payment"] = _payment(runtime, runtime.orders.browser_payment(principal,
                                                                           order.id))
    if buyer is not None:  # a guest's way back to the order later, as in the receipt's link
        shown["key"] = guest_links.order_key(runtime, order.id, order.user_id)
    return ok(shown, status=201)


@router.get("/orders")
def mine(request: Request) -> JSONResponse:
    """The caller's orders (an organizer: their events'; an admin: all), newest first."""
    principal = require_principal(request)
    runtime = runtime_of(request)
    orders = runtime.orders.list(principal, 100)
    tickets = runtime.tickets.of_orders([o.id for o in orders])
    events = runtime.catalog.labels([o.event_id for o in orders])
    return ok([{**order_json(o, tickets.get(o.id)), **event_label_json(events.get(o.event_id))}
               for o in orders])


@router.get("/orders/{order}")
def show(request: Request, order: str, key: Key = None) -> JSONResponse:
    """One order with its tickets (each one's page: /t/<ticket id>) and answers; a guest's
    by its id and key."""
    principal = order_reader(request, order, key)
    runtime = runtime_of(request)
    return ok(_shown(runtime, principal, runtime.orders.show(principal, order)))


@router.get("/orders/{order}/payment")
def payment(request: Request, order: str) -> JSONResponse:
    """Where a card order's browser payment stands, for the pay page (/pay/<order id>):
    by the order's id, no session needed (the link is as unguessable as a ticket's)."""
    principal = optional_principal(request)
    runtime = runtime_of(request)
    found = runtime.orders.browser_payment(principal, order)
    return ok(_payment(runtime, found))


@router.get("/orders/{order}/cancellation")
def cancellation(request: Request, order: str, refund_used: bool = False,
                 key: Key = None) -> JSONResponse:
    """What cancelling now refunds, and by which rule: shown before one confirms."""
    principal = order_reader(request, order, key)
    quote = runtime_of(request).orders.cancellation_quote(principal, order,
                                                          refund_used=refund_used)
    return ok({"order": quote.order.number, "total": quote.order.amount,
               "currency": quote.order.currency, "refund": quote.refund,
               "refund_percent": quote.percent,
               "refund_rule": quote.describe()})


@router.post("/orders/{order}/cancel")
def cancel(request: Request, order: str, body: CancelOrder | None = None) -> JSONResponse:
    """Cancel under the event's policy (`tix order cancel --json`); the refund goes back
    the way it came. A guest cancels with the order's key."""
    principal = order_reader(request, order, body.key if body else None)
    orders = runtime_of(request).orders
    refund_used = body.refund_used if body else False
    quote = orders.cancellation_quote(principal, order, refund_used=refund_used)
    cancelled = orders.cancel(principal, order, refund_used=refund_used)
    return ok({**order_json(cancelled), "refund_percent": quote.percent,
               "refund_rule": quote.describe()})


@router.post("/payments/confirm")
def confirm(request: Request, body: Confirmation) -> JSONResponse:
    """The browser paid (or gives its card's payment method to try): asked of Stripe.
    200 and the order once paid; 202 while Stripe still waits (`payment.status`:
    requires_action — run Stripe.js's 3-D Secure with `client_secret` — or processing);
    409 card_declined: the order stays payable with another card until `pay_until`."""
    principal = optional_principal(request)
    runtime = runtime_of(request)
    paid = runtime.orders.pay_in_browser(principal, body.order,
                                         payment_method=body.payment_method)
    shown = _shown(runtime, None, paid.order)
    if paid.state is None:
        return ok(shown)
    return ok({**shown, "payment": _payment(runtime, paid)}, status=202)


@router.post("/payments/webhook", include_in_schema=True)
async def webhook(request: Request) -> Response:
    """Stripe's events, verified by their signature (TIX_STRIPE_WEBHOOK_SECRET)."""
    from tix.web.ops import receive_webhook

    return await receive_webhook(request)


def _shown(runtime: Runtime, principal: Principal | None, order: Order) -> dict[str, Any]:
    tickets = runtime.tickets.of_orders([order.id]).get(order.id)
    answers = runtime.orders.answers(principal, order.id) if principal else None
    event = runtime.catalog.labels([order.event_id]).get(order.event_id)
    return {**order_json(order, tickets, answers), **event_label_json(event),
            "pay_until": order.pay_until}


def _payment(runtime: Runtime, found: BrowserPayment) -> dict[str, Any]:
    """What Stripe.js needs; the client secret is sent here and nowhere else."""
    state = found.state
    return {"order_id": found.order.id, "number": found.order.number,
            "order_status": found.order.status.value, "total": found.order.amount,
            "currency": found.order.currency, "pay_until": found.order.pay_until,
            "status": state.status if state else found.order.status.value.lower(),
            "declined": state.declined if state else "",
            "client_secret": state.client_secret if state else None,
            "publishable_key": runtime.settings.stripe_publishable_key,
            "stripe_js": runtime.settings.stripe_js_url}
