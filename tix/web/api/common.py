"""What every area of the API shares: a JSON answer in the shapes of `--json`, and who
reads an order (its guest by the order's key, else the caller).

A route reads its caller in its own body (tix.web.sessions: require_principal,
optional_principal, principal_or_visitor), not as a FastAPI dependency: FastAPI runs a
dependency that is a plain function in a worker thread of its own, a second thread hop
per request before the route's own. That hop was about a tenth of a web order's CPU."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from tix.core.principal import Principal
from tix.json_shapes import to_jsonable
from tix.web import guest_links
from tix.web.sessions import require_principal, runtime_of

KEY_HELP = ("A guest's key of the order (its checkout's `key`, or ?key= of the receipt's "
            "link): read and act on it without a session.")


def ok(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    """`data` as `--json` prints it (tix.json_shapes.to_jsonable); never cached."""
    return JSONResponse(to_jsonable(data), status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})


def order_reader(request: Request, order_id: str, key: str | None) -> Principal:
    """With `key`: the guest it was made for (a wrong key, or an order given by its number:
    404, as an order nobody may see); without: the caller (401 without a session)."""
    if key:
        return guest_links.buyer_of(runtime_of(request), order_id, key)
    return require_principal(request)
