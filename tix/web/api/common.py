"""What every area of the API shares: a JSON answer in the shapes of `--json`, and the
caller as a dependency."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import JSONResponse

from tix.core.principal import Principal
from tix.json_shapes import to_jsonable
from tix.web.sessions import optional_principal, principal_or_visitor, require_principal

Caller = Annotated[Principal, Depends(require_principal)]
"""The logged-in caller (401 without a session)."""
MaybeCaller = Annotated[Principal | None, Depends(optional_principal)]
CallerOrVisitor = Annotated[Principal, Depends(principal_or_visitor)]
"""The caller, or a visitor's session made now (its cookie set)."""


def ok(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    """`data` as `--json` prints it (tix.json_shapes.to_jsonable); never cached."""
    return JSONResponse(to_jsonable(data), status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})
