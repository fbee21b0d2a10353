"""After the sale: an order's page (the confirmation: its number, each ticket's QR code,
PDF and calendar file), an account's orders and tickets, cancelling with the refund shown
first, mailing the tickets again. A guest reaches their order by its signed link
(tix.web.guest_links), an account by its session."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from tix.core.orders.model import Order, OrderStatus
from tix.core.principal import Principal
from tix.core.tickets.model import Ticket
from tix.web import guest_links
from tix.web.store import visitor
from tix.web.store.pages import PageRoute
from tix.web.store.render import page

router = APIRouter(route_class=PageRoute)
FILES = {"pdf": "application/pdf", "ics": "text/calendar; charset=utf-8"}


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def guest_order(request: Request, order_id: str) -> HTMLResponse:
    runtime = visitor.runtime(request)
    key = request.query_params.get("key", "")
    return _order_page(request, guest_links.buyer_of(runtime, order_id, key), order_id,
                       f"?key={quote(key)}")


@router.get("/my/orders/{order_id}", response_class=HTMLResponse)
def my_order(request: Request, order_id: str) -> HTMLResponse:
    return _order_page(request, visitor.member(request), order_id, "")


@router.get("/my/orders", response_class=HTMLResponse)
def my_orders(request: Request) -> HTMLResponse:
    me = visitor.member(request)
    runtime = visitor.runtime(request)
    orders = [o for o in runtime.orders.list(me) if o.user_id == me.user_id]
    labels = runtime.catalog.labels(sorted({o.event_id for o in orders}))
    rows = [{"id": o.id, "number": o.number, "quantity": o.quantity, "amount": o.amount,
             "currency": o.currency, "status": _status(o),
             "event": labels[o.event_id].name if o.event_id in labels else ""}
            for o in orders]
    return page(request, "orders.html", orders=rows)


@router.get("/my/tickets", response_class=HTMLResponse)
def my_tickets(request: Request) -> HTMLResponse:
    me = visitor.member(request)
    runtime = visitor.runtime(request)
    tickets = runtime.tickets.mine(me)
    labels = runtime.catalog.labels(sorted({t.event_id for t in tickets}))
    rows = [{**_ticket_row(t, ""), "event": labels[t.event_id].name
             if t.event_id in labels else ""} for t in tickets]
    return page(request, "tickets.html", tickets=rows)


@router.get("/tickets/{ticket_id}/{kind}")
def ticket_file(request: Request, ticket_id: str, kind: str) -> Response:
    """qr.png, pdf or ics of a ticket its reader may see (?order=&key= for a guest)."""
    from tix.core.errors import NotFound
    from tix.documents import ticket_file as document
    from tix.documents import ticket_qr_png

    runtime = visitor.runtime(request)
    reader = _reader(request)
    ticket = runtime.tickets.show(reader, ticket_id)
    if kind == "qr.png":
        body, media = ticket_qr_png(runtime, ticket.id), "image/png"
    elif kind in FILES:
        body, media = document(runtime, ticket.id, kind), FILES[kind]
    else:
        raise NotFound("file", kind)
    headers = {"Cache-Control": "private, no-store"}
    if kind in FILES:
        headers["Content-Disposition"] = f'attachment; filename="{ticket.number}.{kind}"'
    return Response(body, media_type=media, headers=headers)


@router.get("/my/orders/{order_id}/cancel", response_class=HTMLResponse)
@router.get("/orders/{order_id}/cancel", response_class=HTMLResponse)
def cancel_form(request: Request, order_id: str) -> HTMLResponse:
    reader, home, access = _owner(request, order_id)
    runtime = visitor.runtime(request)
    quote = runtime.orders.cancellation_quote(reader, order_id)
    details = runtime.catalog.show(quote.order.event_id)
    return page(request, "cancel.html", order=quote.order, quote=quote, s=details.summary,
                home=home, access=access)


@router.post("/my/orders/{order_id}/cancel")
@router.post("/orders/{order_id}/cancel")
async def cancel(request: Request, order_id: str) -> Response:
    shown = str((await request.form()).get("refund", ""))
    return await run_in_threadpool(_cancel, request, order_id, shown)


def _cancel(request: Request, order_id: str, shown: str) -> Response:
    from tix.core.errors import RuleViolation

    reader, home, access = _owner(request, order_id)
    runtime = visitor.runtime(request)
    quote = runtime.orders.cancellation_quote(reader, order_id)
    if shown != str(quote.refund):  # the refund moved since it was shown: show it again
        raise RuleViolation("the refund has changed since it was shown; look again before "
                            "you confirm", code="refund_changed")
    runtime.orders.cancel(reader, order_id)
    return _back(home, access, "cancelled")


@router.post("/my/orders/{order_id}/resend")
@router.post("/orders/{order_id}/resend")
def resend(request: Request, order_id: str) -> Response:
    reader, home, access = _owner(request, order_id)
    visitor.runtime(request).tickets.resend(reader, order_id)
    return _back(home, access, "resent")


def _back(home: str, access: str, done: str) -> RedirectResponse:
    """To the order's page (with its key for a guest), saying what was `done`."""
    return RedirectResponse(f"{home}{access}{'&' if access else '?'}{done}=1",
                            status_code=303)


def _owner(request: Request, order_id: str) -> tuple[Principal, str, str]:
    """Who acts on the order, its page and the query that keeps them on it: the account
    under /my/orders, the buyer the signed link names (?key=) under /orders — a guest
    cancels and has tickets mailed again by the link of their receipt."""
    if request.url.path.startswith("/my/"):
        return visitor.member(request), f"/my/orders/{order_id}", ""
    key = request.query_params.get("key", "")
    buyer = guest_links.buyer_of(visitor.runtime(request), order_id, key)
    return buyer, f"/orders/{order_id}", f"?key={quote(key)}"


def _reader(request: Request) -> Principal:
    order_id = request.query_params.get("order", "")
    key = request.query_params.get("key", "")
    if order_id and key:
        return guest_links.buyer_of(visitor.runtime(request), order_id, key)
    return visitor.member(request)


def _order_page(request: Request, reader: Principal, order_id: str,
                access: str) -> HTMLResponse:
    runtime = visitor.runtime(request)
    order = runtime.orders.show(reader, order_id)
    tickets = runtime.tickets.issue_now(reader, order.id) \
        if order.status is OrderStatus.COMPLETED else []
    names = {d.ticket_id: d.ticket_type for d in runtime.tickets.order_documents(order.id)}
    query = f"?order={order.id}&key={access.removeprefix('?key=')}" if access else ""
    rows = [{**_ticket_row(t, query), "type_name": names.get(t.id, "")} for t in tickets]
    details = runtime.catalog.show(order.event_id)
    notice = None
    if request.query_params.get("cancelled"):
        notice = "Your order is cancelled." + (  # a free one had nothing to give back
            " The refund is on its way to your card." if order.refunded_amount else "")
    elif request.query_params.get("resent"):
        notice = "Your tickets are mailed again."
    home = f"/orders/{order.id}" if access else f"/my/orders/{order.id}"
    return page(request, "order.html", order=order, s=details.summary, tickets=rows,
                email=reader.email or None, notice=notice, home=home, access=access)


def _ticket_row(ticket: Ticket, query: str) -> dict[str, Any]:
    base = f"/tickets/{ticket.id}"
    return {"id": ticket.id, "number": ticket.number, "holder": ticket.holder,
            "status": ticket.status.value, "order_id": ticket.order_id,
            "qr_url": f"{base}/qr.png{query}", "pdf_url": f"{base}/pdf{query}",
            "ics_url": f"{base}/ics{query}"}


def _status(order: Order) -> str:
    if order.cancel_requested_at is not None and order.status is OrderStatus.COMPLETED:
        return "Cancelled"
    return {"COMPLETED": "Paid", "PENDING": "Awaiting payment", "FAILED": "Not completed",
            "CANCELLED": "Cancelled"}[order.status.value]
