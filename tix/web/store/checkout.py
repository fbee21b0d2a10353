"""The hold and checkout: the held basket with its countdown, the buyer's email and name
(a guest's, or the logged-in account's), a name per ticket and the event's questions.
A free order is confirmed at once; one that costs something goes on to the card page."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tix.core.catalog.search import EventDetails
from tix.core.errors import Invalid, NotFound, TixError
from tix.core.inventory.model import Hold
from tix.core.orders.answers import Asked, GivenAnswer
from tix.core.orders.checkout import PlaceOrder
from tix.core.orders.model import Order, OrderLine, Tender, order_amount
from tix.core.principal import Buyer, Principal
from tix.error_table import http_status
from tix.web import guest_links
from tix.web.store import visitor
from tix.web.store.pages import PageRoute, sentence
from tix.web.store.render import page

if TYPE_CHECKING:
    from tix.bootstrap import Runtime

router = APIRouter(route_class=PageRoute)


@router.get("/holds/{hold_id}", response_class=HTMLResponse)
def hold_page(request: Request, hold_id: str) -> HTMLResponse:
    who, held = _held(request, hold_id)
    form = {"email": who.email if visitor.is_member(who) else "",
            "name": who.name if visitor.is_member(who) else ""}
    return _page(request, held, form)


@router.post("/holds/{hold_id}/checkout")
async def place(request: Request, hold_id: str) -> Response:
    posted = {key: str(value).strip()[:1000] for key, value in (await request.form()).items()
              if key != "csrf_token"}
    who, held = _held(request, hold_id)
    runtime = visitor.runtime(request)
    basket = _basket(request, held)
    try:
        member = visitor.is_member(who)
        email = who.email if member else posted.get("email", "")
        name = posted.get("name", "") or (who.name if member else "")
        if not member and not email:
            raise Invalid("Give your email: your tickets go there.", field="email")
        if not name:
            raise Invalid("Give your name.", field="name")
        buyer = None if member else _guest(runtime, email, name)
        holders = [posted.get(f"holder-{n}", "") or name for n in range(1, held.quantity + 1)]
        free = basket["total"] == 0
        order = runtime.orders.place(PlaceOrder(
            principal=who, tender=Tender.FREE if free else Tender.CARD, hold_id=held.id,
            holders=holders, answers=_answers(basket["asked"], posted), buyer=buyer,
            # the hold's code (if any) goes with it; the card is given on the pay page
            in_browser=not free))
    except TixError as error:
        return _page(request, held, posted, status=int(http_status(error)),
                     error=sentence(error), bad=str(error.detail.get("field", "")))
    return RedirectResponse(_next(request, who, order), status_code=303)


@router.post("/holds/{hold_id}/release")
def release(request: Request, hold_id: str) -> Response:
    _, held = _held(request, hold_id)
    visitor.runtime(request).inventory.release_hold(held.id)
    event = request.query_params.get("event", "")
    return RedirectResponse(f"/events/{quote(event)}" if event else "/", status_code=303)


def _next(request: Request, who: Principal, order: Order) -> str:
    """Where a placed order goes: its page when it is paid (free), else the card page; a
    guest's by the signed link, an account's by its session."""
    runtime = visitor.runtime(request)
    member = visitor.is_member(who)
    if order.amount == 0 or order.status.value == "COMPLETED":
        return f"/my/orders/{order.id}" if member else \
            guest_links.order_path(runtime, order.id, order.user_id)
    key = "" if member else f"?key={guest_links.order_key(runtime, order.id, order.user_id)}"
    return f"/pay/{order.id}{key}"


def _guest(runtime: Runtime, email: str, name: str) -> Buyer:
    try:
        return runtime.accounts.guest_buyer(email, name)
    except Invalid as error:  # the address: its field, for the form to mark
        raise Invalid(error.message, field="email") from None


def _held(request: Request, hold_id: str) -> tuple[Principal, Hold]:
    who = visitor.principal(request)
    if who is None:
        raise NotFound("hold", hold_id)
    return who, visitor.runtime(request).inventory.get_hold(who, hold_id)


def _basket(request: Request, held: Hold) -> dict[str, Any]:
    """The held lines with their names and prices (the code's discount taken off: the
    hold took its use, the order keeps it), and the questions checkout asks of them."""
    runtime = visitor.runtime(request)
    event_ref = request.query_params.get("event", "")
    details: EventDetails | None = None
    items = [(line.ticket_type_id, line.quantity) for line in held.lines]
    asked = runtime.orders.questions(items)
    try:  # the event page's redirect names the event
        details = runtime.catalog.show(event_ref) if event_ref else None
    except TixError:
        details = None
    code = runtime.vouchers.held(held.voucher_id)
    types = {t.id: t for t in [*(details.ticket_types if details else []),
                               *(code.ticket_types if code else [])]}  # hidden, opened by it
    lines = [OrderLine(line.ticket_type_id, line.quantity,
                       types[line.ticket_type_id].price if line.ticket_type_id in types else 0)
             for line in held.lines]
    seat_names = [types[line.ticket_type_id].name if line.ticket_type_id in types
                  else "ticket" for line in held.lines for _ in range(line.quantity)]
    return {"details": details, "voucher": code.voucher.code if code else "",
            "asked": asked, "seats": seat_names,
            "lines": [{"name": types[line.ticket_type_id].name
                       if line.ticket_type_id in types else "Ticket",
                       "quantity": line.quantity,
                       "total": line.unit_price * line.quantity} for line in lines],
            "total": order_amount(lines, None, code.voucher.discount if code else None)
            if all(line.ticket_type_id in types for line in held.lines) else None}


def _answers(asked: list[Asked], posted: dict[str, str]) -> list[GivenAnswer]:
    given: list[GivenAnswer] = []
    for a in asked:
        seat = a.seat + 1 if a.seat is not None else 0
        value = posted.get(f"answer-{seat}-{a.question.key}", "")
        if a.question.kind.value == "yes_no":
            value = "yes" if value else "no"
        if value:
            given.append((a.seat + 1 if a.seat is not None else None, a.question.key, value))
    return given


def _page(request: Request, held: Hold, form: dict[str, str], *, status: int = 200,
          error: str | None = None, bad: str = "") -> HTMLResponse:
    runtime = visitor.runtime(request)
    basket = _basket(request, held)
    details = basket["details"]
    if details is None:
        raise NotFound("hold", held.id)
    left = held.expires_at - runtime.clock.now()
    remaining = _clock(left) if left > timedelta(0) else None
    return page(request, "hold.html", status=status, hold=held, s=details.summary,
                lines=basket["lines"], total=basket["total"], voucher=basket["voucher"],
                seats=basket["seats"], asked=basket["asked"], form=form, bad=bad,
                remaining=remaining, error=error)


def _clock(left: timedelta) -> str:
    seconds = int(left.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"
