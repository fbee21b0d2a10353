"""The CSRF token every state-changing request of a browser carries: the form field
`csrf_token` or the header `X-XSRF-TOKEN` (a page's scripts).

The token is an HMAC (TIX_SECRET_KEY) of what the browser's cookies hold: its session
(tix_session) or, before there is one, a random pre-session cookie (tix_csrf) that every
page gets with its first token. Either is accepted, so a page's token stays good when the
visitor's first hold gives them a session. A cross-site page can read neither cookie nor
token. Exempt: safe methods, a Bearer token (no cookie is involved), a client that sends
no cookie and no browser header at all (a script: it has no ambient credentials to
abuse), and the payment webhooks (their signature is checked).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode

from fastapi import Request

from tix.core.errors import NotAllowed
from tix.web.sessions import COOKIE, bearer_token, cookie_token, queue_cookie

PRE_SESSION_COOKIE = "tix_csrf"
FIELD = "csrf_token"
HEADER = "x-xsrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
EXEMPT_PATHS = frozenset({"/api/payments/webhook", "/webhooks/stripe"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _sign(request: Request, basis: str) -> str:
    key = request.app.state.csrf_key
    digest = hmac.new(key, b"csrf\x1f" + basis.encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest[:24]).decode()


def csrf_token(request: Request) -> str:
    """The token for this browser, for a page's forms and scripts (sets the pre-session
    cookie when the browser has none yet)."""
    basis = request.cookies.get(PRE_SESSION_COOKIE) or getattr(
        request.state, "pre_session", None)
    if not basis:
        basis = request.state.pre_session = secrets.token_urlsafe(24)
        queue_cookie(request, PRE_SESSION_COOKIE, basis, max_age=None)
    return _sign(request, basis)


def session_csrf_token(request: Request) -> str | None:
    """The token bound to this request's session (e.g. one just made by logging in), for
    clients that keep cookies but never loaded a page."""
    token = cookie_token(request)
    return _sign(request, token) if token else None


def _valid(request: Request, given: str) -> bool:
    bases = [b for b in (request.cookies.get(COOKIE), request.cookies.get(PRE_SESSION_COOKIE))
             if b]
    return any(hmac.compare_digest(given, _sign(request, b)) for b in bases)


def _browser_or_cookies(request: Request) -> bool:
    return bool(request.cookies.get(COOKIE) or request.cookies.get(PRE_SESSION_COOKIE)
                or "origin" in request.headers or "sec-fetch-site" in request.headers)


async def check_csrf(request: Request) -> None:
    """A dependency of every route: refuses (403) a state-changing request whose token is
    missing or wrong."""
    if request.method in SAFE_METHODS or request.url.path in EXEMPT_PATHS:
        return
    if bearer_token(request) is not None or not _browser_or_cookies(request):
        return
    given = request.headers.get(HEADER)
    content_type = request.headers.get("content-type", "")
    if not given and content_type.startswith(FORM_TYPES):
        value = (await request.form()).get(FIELD)
        given = value if isinstance(value, str) else None
    if not given or not _valid(request, given):
        raise NotAllowed("this form has expired or did not come from tix: reload the page "
                         "and try again", code="csrf_failed")


def csrf_key(runtime_secret: str) -> bytes:
    """The HMAC key, derived from TIX_SECRET_KEY so it is not the sessions' own key."""
    return hashlib.sha256(b"tix-csrf\x1f" + runtime_secret.encode()).digest()
