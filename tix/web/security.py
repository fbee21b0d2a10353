"""What every response of `tix serve` carries for the browser's safety, and what the
request says of its transport: TLS, directly or through a proxy that tix trusts.

A pure ASGI middleware (no body buffering): it adds the headers, sets the cookies (and
headers) a request asked for (tix.web.sessions, tix.web.csrf) and turns anything unexpected into a
500 problem without a trace (tix.web.errors).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from tix.config import Settings

log = logging.getLogger("tix.web")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HSTS = "max-age=31536000; includeSubDomains"
MAX_BODY = 1 << 20  # bytes: an event file, a basket, a form; refused unread beyond


def origin(url: str) -> str:
    """scheme://host[:port] of an address: what a CSP source names."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(settings: Settings) -> str:
    """No inline script anywhere; scripts from tix itself and Stripe.js only."""
    stripe = origin(settings.stripe_js_url)
    api = "https://api.stripe.com"
    if settings.stripe_api_base:  # a Stripe-compatible server (localstripe in tests)
        api = origin(settings.stripe_api_base)
    return ("default-src 'self'; "
            f"script-src 'self' {stripe}; frame-src {stripe}; connect-src 'self' {api}; "
            "img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def is_tls(scope: Scope, trust_proxy: bool) -> bool:
    """The request came over TLS, or the trusted proxy in front says it did."""
    if scope.get("scheme") in ("https", "wss"):
        return True
    if trust_proxy:
        forwarded = _header(scope, b"x-forwarded-proto") or ""
        return forwarded.split(",")[0].strip().lower() == "https"
    return False


def client_host(scope: Scope, trust_proxy: bool) -> str:
    """Who sent the request (login limits per host): the proxy's X-Forwarded-For first
    address when the proxy is trusted, else the peer."""
    if trust_proxy:
        forwarded = _header(scope, b"x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    client = scope.get("client")
    return str(client[0]) if client else ""


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.trust_proxy = settings.trust_proxy
        self.headers = [
            (b"content-security-policy", content_security_policy(settings).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = is_tls(scope, self.trust_proxy)
        state = scope.setdefault("state", {})
        state["tls"] = tls
        state["client_host"] = client_host(scope, self.trust_proxy)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                present = {bytes(k).lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.headers if k not in present]
                if tls:
                    headers.append((b"strict-transport-security", HSTS.encode()))
                headers += [(b"set-cookie", c.encode("latin-1"))
                            for c in state.get("set_cookies", ())]
                headers += [(k.encode("latin-1"), v.encode("latin-1"))
                            for k, v in state.get("add_headers", {}).items()]
                message["headers"] = headers
            await send(message)

        declared = _header(scope, b"content-length") or "0"
        if declared.isdigit() and int(declared) > MAX_BODY:
            from tix.web.errors import too_large_response

            await too_large_response(scope)(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("internal error on %s %s", scope.get("method"),
                          scope.get("path"))
            if started:
                raise  # half a response went out: the server closes the connection
            from tix.web.errors import internal_error_response

            await internal_error_response(scope)(scope, receive, send_with_headers)
