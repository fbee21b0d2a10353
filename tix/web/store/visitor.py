"""Who is at the shop, through the web skeleton (tix.web.sessions, tix.web.csrf): the
session behind the request's cookie, a visitor's session made on their first hold, the
CSRF token the pages' forms carry. The pages reach the skeleton only through here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from tix.core.errors import NotAuthenticated
from tix.core.principal import Principal, is_undeliverable
from tix.web import csrf, microcache, sessions

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.accounts.service import Login

COOKIE = sessions.COOKIE


def runtime(request: Request) -> Runtime:
    return sessions.runtime_of(request)


def principal(request: Request) -> Principal | None:
    """The caller (an account, or a visitor's session), or None."""
    return sessions.optional_principal(request)


def has_session(request: Request) -> bool:
    """A Bearer token or a session cookie came (finding who it is may read the database)."""
    return (sessions.bearer_token(request) is not None
            or sessions.cookie_token(request) is not None)


kept = microcache.kept  # what every visitor without a session sees, kept a second
kept_async = microcache.kept_async


def is_member(who: Principal) -> bool:
    """A registered account (or a guest's), not a visitor's session without an address."""
    return not is_undeliverable(who.email)


def member(request: Request) -> Principal:
    """The logged-in account, or NotAuthenticated (the page sends them to log in)."""
    who = principal(request)
    if who is None or not is_member(who):
        raise NotAuthenticated("log in to see this page", code="not_logged_in")
    return who


def shopper(request: Request) -> Principal:
    """Who holds seats: the logged-in account, else a visitor's session, made now."""
    return sessions.principal_or_visitor(request)


def start_session(request: Request, login: Login) -> None:
    sessions.start_session(request, login)


def end_session(request: Request) -> None:
    sessions.end_session(request)


def csrf_token(request: Request) -> str:
    return csrf.csrf_token(request)


def client_host(request: Request) -> str:
    return sessions.host_of(request)


def asker(request: Request) -> str:
    return sessions.asker(request)
