"""tix's errors as the web face answers them: `application/problem+json` from the shared
table (tix.error_table) for the API, a page for the storefront.

- TixError → its status, problem body, Retry-After when retrying helps;
- FastAPI's validation of a request (a missing field, a wrong type, bad JSON) → 422
  naming the field;
- Starlette's own 404/405 → problem+json as well;
- anything unexpected → 500 "internal error", no trace (the trace is logged).

A page request (not /api/, accepting HTML) gets a page: the storefront's renderer when it
installed one (`app.state.error_page(request, status, problem) -> Response`), else a
plain page of tix's own.
"""

from __future__ import annotations

import html
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from tix.core.errors import Invalid, NotFound, TixError
from tix.error_table import PROBLEM_JSON, http_status, problem, retry_after

if TYPE_CHECKING:
    from collections.abc import Callable

    from tix.web.security import Scope

    ErrorPage = Callable[[Request, int, dict[str, Any]], Response]

INTERNAL = {"type": "urn:tix:error:internal", "title": "Internal error", "status": 500,
            "detail": "internal error", "code": "internal"}


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def wants_page(request: Request) -> bool:
    """A browser asking for a page, not a script asking the API."""
    path = request.url.path
    if path.startswith("/api/") or path == "/api":
        return False
    return "text/html" in request.headers.get("accept", "")


def render_error(request: Request, error: TixError) -> Response:
    """The answer to `error`: a page for a page request, else problem+json."""
    body = problem(error, instance=request.url.path)
    headers = {"Cache-Control": "no-store"}
    wait = retry_after(error)
    if wait is not None:
        headers["Retry-After"] = str(wait)
    return _answer(request, int(http_status(error)), body, headers)


def _answer(request: Request, status: int, body: dict[str, Any],
            headers: dict[str, str] | None = None) -> Response:
    if wants_page(request):
        page: ErrorPage | None = getattr(request.app.state, "error_page", None)
        response = page(request, status, body) if page else plain_page(status, body)
        response.headers.update(headers or {})
        return response
    return ProblemResponse(body, status_code=status, headers=headers)


def plain_page(status: int, body: dict[str, Any]) -> HTMLResponse:
    """tix's own error page, for when the storefront has none: the title and the detail."""
    title = html.escape(str(body.get("title", "Error")))
    detail = html.escape(str(body.get("detail", "")))
    return HTMLResponse(
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{title} — tix</title></head><body><h1>{title}</h1><p>{detail}</p>"
        f"<p><a href='/'>Back to the shop</a></p></body></html>", status_code=status)


def _field(location: tuple[Any, ...]) -> str:
    """("body", "holders", 0) → "holders[0]"; the leading body/query/path is dropped."""
    parts = list(location[1:] if location and location[0] in (
        "body", "query", "path", "header", "cookie") else location)
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


async def _validation_failed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid"}
    field = _field(tuple(first.get("loc", ())))
    message = str(first.get("msg", "invalid"))
    if first.get("type") == "json_invalid":
        field, message = "body", "the body is not valid JSON"
    error = Invalid(f"{field}: {message[0].lower() + message[1:]}", field=field)
    body = problem(error, instance=request.url.path)
    body["status"] = int(HTTPStatus.UNPROCESSABLE_ENTITY)
    return _answer(request, int(HTTPStatus.UNPROCESSABLE_ENTITY), body)


async def _tix_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TixError)
    return render_error(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == HTTPStatus.NOT_FOUND:
        return render_error(request, NotFound("page", request.url.path))
    status = HTTPStatus(exc.status_code)
    body = {"type": f"urn:tix:error:http_{status.value}", "title": status.phrase,
            "status": status.value, "detail": str(exc.detail), "code": f"http_{status.value}"}
    return _answer(request, status.value, body, dict(exc.headers or {}))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TixError, _tix_error)
    app.add_exception_handler(RequestValidationError, _validation_failed)
    app.add_exception_handler(HTTPException, _http_error)


def internal_error_response(scope: Scope) -> Response:
    """The answer to an unexpected error: no trace, no message of the exception."""
    request = Request(scope)
    try:
        return _answer(request, 500, dict(INTERNAL), {"Cache-Control": "no-store"})
    except Exception:  # the storefront's error page failed too: tix's own
        return plain_page(500, INTERNAL)


def too_large_response(scope: Scope) -> Response:
    """A body over the limit, refused before it is read."""
    body = {"type": "urn:tix:error:too_large", "title": "Request too large", "status": 413,
            "detail": "the request's body is too large", "code": "too_large"}
    return _answer(Request(scope), 413, body, {"Cache-Control": "no-store"})
