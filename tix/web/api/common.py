"""What every area of the API shares: a JSON answer in the shapes of `--json`.

A route reads its caller in its own body (tix.web.sessions: require_principal,
optional_principal, principal_or_visitor), not as a FastAPI dependency: FastAPI runs a
dependency that is a plain function in a worker thread of its own, a second thread hop
per request before the route's own. That hop was about a tenth of a web order's CPU."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from tix.json_shapes import to_jsonable


def ok(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    """`data` as `--json` prints it (tix.json_shapes.to_jsonable); never cached."""
    return JSONResponse(to_jsonable(data), status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})
