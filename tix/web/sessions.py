"""Who is calling the web face: the session cookie `tix_session` or an `Authorization:
Bearer` token, both the very sessions `tix login` makes (runtime.accounts).

The cookie is HttpOnly and SameSite=Strict, Secure when the request came over TLS (or the
trusted proxy says so), and lives as long as its session (remember-me: 30 days). A visitor
who has not logged in gets a session of their own on their first hold (accounts.visit).
Cookies a route sets go out through tix.web.security's middleware (request.state).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from fastapi import Request

from tix.core.errors import NotAuthenticated

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.accounts.service import Login
    from tix.core.principal import Principal

COOKIE = "tix_session"


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def host_of(request: Request) -> str:
    """The client's address (login limits per host), through a trusted proxy if any."""
    return str(getattr(request.state, "client_host", "") or
               (request.client.host if request.client else ""))


def asker(request: Request) -> str:
    """Whose tries a public check counts (codes given): the session's account, else the
    client's address."""
    principal = optional_principal(request)
    return f"user:{principal.user_id}" if principal is not None else f"host:{host_of(request)}"


def bearer_token(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def cookie_token(request: Request) -> str | None:
    """The session of this request's cookie, or of the one set earlier in this request."""
    fresh = getattr(request.state, "new_session", None)
    return fresh if fresh is not None else request.cookies.get(COOKIE) or None


def optional_principal(request: Request) -> Principal | None:
    """The caller, or None for nobody logged in. A Bearer token that is no (longer a)
    session is refused (401); a stale cookie is only dropped: the visitor browses on."""
    if hasattr(request.state, "principal"):
        found: Principal | None = request.state.principal
        return found
    principal = None
    token = bearer_token(request)
    if token is not None:
        principal = runtime_of(request).accounts.authenticate(token)
    elif (token := cookie_token(request)) is not None:
        try:
            principal = runtime_of(request).accounts.authenticate(token)
        except NotAuthenticated:
            clear_session_cookie(request)
    request.state.principal = principal
    return principal


def require_principal(request: Request) -> Principal:
    """The caller; NotAuthenticated (401) when nobody is logged in."""
    principal = optional_principal(request)
    if principal is None:
        raise NotAuthenticated("log in first", code="not_authenticated")
    return principal


def principal_or_visitor(request: Request) -> Principal:
    """The caller, or a visitor's session made now (with its cookie) for someone who is
    not logged in: holds belong to an account."""
    principal = optional_principal(request)
    if principal is None:
        login = runtime_of(request).accounts.visit(host=host_of(request))
        start_session(request, login)
        principal = login.principal
    return principal


def start_session(request: Request, login: Login) -> None:
    """Send the session's cookie; the caller is its principal from now on."""
    runtime = runtime_of(request)
    seconds = max(0, int((login.expires_at - runtime.clock.now()).total_seconds()))
    queue_cookie(request, COOKIE, login.token, max_age=seconds)
    request.state.new_session = login.token
    request.state.principal = login.principal
    from tix.web.csrf import session_csrf_token  # (csrf reads this module's cookie)

    # a script that keeps cookies but never loaded a page learns the session's token here
    headers = getattr(request.state, "add_headers", None)
    if headers is None:
        headers = request.state.add_headers = {}
    headers["X-XSRF-TOKEN"] = session_csrf_token(request) or ""


def end_session(request: Request) -> None:
    """Log out the cookie's (or the Bearer token's) session and drop the cookie."""
    token = bearer_token(request) or cookie_token(request)
    if token is not None:
        with contextlib.suppress(NotAuthenticated):  # already over: no error
            runtime_of(request).accounts.logout(token)
    clear_session_cookie(request)


def clear_session_cookie(request: Request) -> None:
    if request.cookies.get(COOKIE):
        queue_cookie(request, COOKIE, "", max_age=0)
    request.state.new_session = ""
    request.state.principal = None


def queue_cookie(request: Request, name: str, value: str, *, max_age: int | None) -> None:
    """A Set-Cookie for the response: HttpOnly, SameSite=Strict, Secure over TLS."""
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if getattr(request.state, "tls", False):
        parts.append("Secure")
    cookies = getattr(request.state, "set_cookies", None)
    if cookies is None:
        cookies = request.state.set_cookies = []
    cookies[:] = [c for c in cookies if not c.startswith(f"{name}=")]
    cookies.append("; ".join(parts))
