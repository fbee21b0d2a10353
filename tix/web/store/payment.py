"""The card page, /pay/<order id>: Stripe.js from the configured address
(TIX_STRIPE_JS_URL) and its card element; the card goes to Stripe, never to tix. Its
script (static/js/pay.js) posts the card's token id here; tix tries it on the order's
payment; a bank's 3-D Secure check runs in the browser (Stripe.js's dialog); then tix
reads the outcome. A declined card is said plainly and another may be tried while the
hold lasts. A guest reaches the page by the order's signed link, an account by its
session."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from tix.core.errors import TixError
from tix.core.orders.model import OrderStatus
from tix.core.principal import Principal
from tix.error_table import http_status
from tix.web import guest_links
from tix.web.store import visitor
from tix.web.store.pages import PageRoute, sentence
from tix.web.store.render import page

router = APIRouter(route_class=PageRoute)
DECLINED = ("Your card was declined{why}. Nothing was charged: try another card.")


@router.get("/pay/{order_id}", response_class=HTMLResponse)
def pay_page(request: Request, order_id: str) -> Response:
    runtime = visitor.runtime(request)
    reader, access = _reader(request, order_id)
    order = runtime.orders.show(reader, order_id)
    done = _done_url(request, order_id, reader, access)
    if order.status is not OrderStatus.PENDING:
        return RedirectResponse(done, status_code=303)
    # A card already given (the CLI's, say) that the bank wants confirmed: no new card,
    # only the bank's dialog.
    paying = runtime.orders.browser_payment(reader, order_id)
    if paying.state is None:
        return RedirectResponse(done, status_code=303)
    details = runtime.catalog.show(order.event_id)
    settings = runtime.settings
    return page(request, "pay.html", order=order, s=details.summary,
                needs_action=paying.state.status == "requires_action",
                expires_at=order.pay_until, publishable_key=settings.stripe_publishable_key
                or "", stripe_js_url=settings.stripe_js_url, done_url=done,
                start_url=f"/pay/{order_id}/card{access}",
                confirm_url=f"/pay/{order_id}/confirm{access}")


@router.post("/pay/{order_id}/card")
async def card(request: Request, order_id: str) -> JSONResponse:
    """{card: the token's card id} tried on the order's payment."""
    body = await _json(request)
    return _answer(request, order_id, str(body.get("card") or body.get("token") or ""))


@router.post("/pay/{order_id}/confirm")
def confirm(request: Request, order_id: str) -> JSONResponse:
    """Where the payment stands now (after the browser's 3-D Secure dialog)."""
    return _answer(request, order_id, None)


def _answer(request: Request, order_id: str, method: str | None) -> JSONResponse:
    runtime = visitor.runtime(request)
    try:
        reader, _ = _reader(request, order_id)
        paying = runtime.orders.pay_in_browser(reader, order_id, payment_method=method)
    except TixError as error:
        return JSONResponse({"status": "refused", "message": sentence(error)},
                            status_code=int(http_status(error)))
    if paying.state is None:  # settled: paid, or its time is up
        if paying.order.status is OrderStatus.COMPLETED:
            return JSONResponse({"status": "succeeded"})
        return JSONResponse({"status": "failed", "message": (
            paying.order.failure_reason or "This order can no longer be paid.").rstrip(".")
            + ". Nothing was charged."}, status_code=409)
    state = paying.state
    if state.status == "succeeded":
        return JSONResponse({"status": "succeeded"})
    if state.status == "requires_action":
        return JSONResponse({"status": "requires_action", "client_secret": state.client_secret})
    if state.status == "processing":
        return JSONResponse({"status": "processing"}, status_code=202)
    why = f" ({state.declined.rstrip('.')})" if state.declined else ""
    return JSONResponse({"status": "declined", "message": DECLINED.format(why=why)},
                        status_code=402 if method else 200)


async def _json(request: Request) -> dict[str, object]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    return body if isinstance(body, dict) else {}


def _reader(request: Request, order_id: str) -> tuple[Principal, str]:
    key = request.query_params.get("key", "")
    if key:
        return guest_links.buyer_of(visitor.runtime(request), order_id, key), f"?key={key}"
    return visitor.member(request), ""


def _done_url(request: Request, order_id: str, reader: Principal, access: str) -> str:
    if access:
        return guest_links.order_path(visitor.runtime(request), order_id, reader.user_id)
    return f"/my/orders/{order_id}"
