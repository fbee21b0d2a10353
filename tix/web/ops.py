"""What `tix serve` answers beside the API and the storefront, as the daemon's listener
does (tix/listener.py), from the same functions:

  GET  /healthz          the process is up
  GET  /readyz           the database (and the queue) answer; 503 and why, if not
  GET  /metrics          Prometheus text (tix.operations.metrics)
  GET  /t/<ticket id>    the mobile ticket page (tix.documents.ticket_page)
  POST /webhooks/stripe  Stripe's events, as on the daemon (also /api/payments/webhook)
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from tix.documents import ticket_page
from tix.operations import metrics, readiness
from tix.web.sessions import runtime_of
from tix.webhooks import payment_webhook

router = APIRouter(include_in_schema=False)
MAX_WEBHOOK = 1 << 20  # a webhook is a few kilobytes
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@router.get("/healthz")
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok\n", headers={"Cache-Control": "no-store"})


@router.get("/readyz")
def readyz(request: Request) -> PlainTextResponse:
    problems = readiness(runtime_of(request))
    return PlainTextResponse("\n".join(problems or ["ready"]) + "\n",
                             status_code=503 if problems else 200,
                             headers={"Cache-Control": "no-store"})


@router.get("/metrics")
def prometheus(request: Request) -> PlainTextResponse:
    return PlainTextResponse(metrics(runtime_of(request)),
                             media_type="text/plain; version=0.0.4")


@router.get("/t/{ticket_id}")
def mobile_ticket(request: Request, ticket_id: str) -> HTMLResponse:
    """The link is the ticket's unguessable id: never cached, never told to another site."""
    page = ticket_page(runtime_of(request), ticket_id)
    style = _STYLE.search(page)
    digest = base64.b64encode(hashlib.sha256(
        (style.group(1) if style else "").encode()).digest()).decode()
    return HTMLResponse(page, headers={
        "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": f"default-src 'none'; style-src 'sha256-{digest}'; "
                                   "img-src data:; frame-ancestors 'none'; base-uri 'none'; "
                                   "form-action 'none'"})


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request) -> Response:
    return await receive_webhook(request)


async def receive_webhook(request: Request) -> Response:
    """Stripe's report, verified by its signature (no CSRF: not a browser's request)."""
    body = await _body(request, MAX_WEBHOOK)
    if isinstance(body, Response):
        return body
    from starlette.concurrency import run_in_threadpool

    outcome = await run_in_threadpool(payment_webhook, runtime_of(request), body,
                                      request.headers.get("stripe-signature", ""))
    return PlainTextResponse(outcome + "\n", headers={"Cache-Control": "no-store"})


async def _body(request: Request, limit: int) -> bytes | Response:
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit():
        return PlainTextResponse("Content-Length is not a number\n", status_code=400)
    if int(declared) > limit:
        return PlainTextResponse("too large\n", status_code=413)
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            return PlainTextResponse("too large\n", status_code=413)
    return data


