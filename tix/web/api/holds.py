"""POST /api/tickets/validate-availability: the seats asked for, held for a few minutes
(the sale window, stock and limits permitting): every line or none. A visitor who has not
logged in gets a session of their own with the hold (holds belong to an account)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tix.json_shapes import hold_json
from tix.web.api.common import ok
from tix.web.sessions import principal_or_visitor, runtime_of

router = APIRouter(tags=["holds"])


class Item(BaseModel):
    ticket_type: str = Field(max_length=100, description="Its id or reference (E12-T2).")
    quantity: int = Field(ge=1, le=1000)


class Basket(BaseModel):
    items: list[Item] = Field(min_length=1, max_length=50)
    voucher: str | None = Field(None, max_length=100, description="A code (any case).")


@router.post("/tickets/validate-availability", status_code=201)
def hold(request: Request, body: Basket) -> JSONResponse:
    principal = principal_or_visitor(request)
    placed = runtime_of(request).inventory.hold_basket(
        principal, [(i.ticket_type, i.quantity) for i in body.items], voucher=body.voucher)
    return ok(hold_json(placed), status=201)
