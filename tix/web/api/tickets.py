"""/api/tickets: the caller's tickets, a ticket as a PDF or calendar file;
/api/notifications/resend: an order's tickets mailed again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from tix.core.errors import NotFound
from tix.json_shapes import ticket_json
from tix.web.api.common import KEY_HELP, ok, order_reader
from tix.web.sessions import require_principal, runtime_of

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.principal import Principal

router = APIRouter(tags=["tickets"])
FILES = {"pdf": "application/pdf", "ics": "text/calendar; charset=utf-8"}


class Resend(BaseModel):
    order: str = Field(max_length=100, description="The order's id or number (a guest: "
                                                   "its id, with `key`).")
    key: str | None = Field(None, max_length=200, description=KEY_HELP)


@router.get("/tickets")
def mine(request: Request) -> JSONResponse:
    """The caller's tickets (`tix ticket list --json`)."""
    principal = require_principal(request)
    return ok([ticket_json(t) for t in runtime_of(request).tickets.mine(principal)])


@router.get("/tickets/{ticket_id}/pdf")
def pdf(request: Request, ticket_id: str) -> Response:
    principal = require_principal(request)
    return _file(runtime_of(request), principal, ticket_id, "pdf")


@router.get("/tickets/{ticket_id}/ics")
def ics(request: Request, ticket_id: str) -> Response:
    principal = require_principal(request)
    return _file(runtime_of(request), principal, ticket_id, "ics")


def _file(runtime: Runtime, principal: Principal, ticket_id: str, kind: str) -> Response:
    """The holder's (or organizer's) ticket; a guest's, for the visitor who placed its
    order. Others' tickets do not exist."""
    from tix.documents import ticket_file

    try:
        ticket = runtime.tickets.show(principal, ticket_id)
        ticket_id, number = ticket.id, ticket.number
    except NotFound:
        document = runtime.tickets.document(ticket_id) if _uuid(ticket_id) else None
        if document is None:
            raise
        runtime.orders.show(principal, document.order_number)  # NotFound unless theirs
        number = document.number
    return Response(ticket_file(runtime, ticket_id, kind), media_type=FILES[kind], headers={
        "Content-Disposition": f'attachment; filename="{number}.{kind}"',
        "Cache-Control": "private, no-store"})


def _uuid(text: str) -> bool:
    from tix.core.ids import looks_like_uuid

    return looks_like_uuid(text)


@router.post("/notifications/resend", status_code=202)
def resend(request: Request, body: Resend) -> JSONResponse:
    """Mail an order's valid tickets to its buyer again."""
    principal = order_reader(request, body.order, body.key)
    sent = runtime_of(request).tickets.resend(principal, body.order)
    return ok({"order": body.order, "tickets": sent}, status=202)
