"""A page's route: a refusal from the core becomes a page that says why, with the status of
the shared error table (tix.error_table); a page that needs an account sends a visitor to
log in first; anything unexpected is the skeleton's 500, without a trace."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from tix.core.errors import NotAuthenticated, TixError
from tix.error_table import http_status, retry_after

TITLES = {400: "Please check this", 401: "Please log in", 403: "Not allowed",
          404: "Not found", 409: "Not possible", 422: "Not possible",
          429: "Too many tries", 503: "Try again in a moment"}


def error_page(request: Request, error: TixError) -> Response:
    from tix.web.store.render import page

    status = http_status(error)
    response = page(request, "message.html", status=status, bare=True,  # no script
                    title=TITLES.get(int(status), "Something went wrong"),
                    text=_sentence(error.message), link="/", link_text="Back to the events")
    wait = retry_after(error)
    if wait is not None:
        response.headers["Retry-After"] = str(wait)
    return response


def _sentence(text: str) -> str:
    text = text.strip().replace("..", ".")  # a quoted sentence inside another
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


def sentence(error: TixError) -> str:
    """The core's words as a line of a page: capitalised, with a full stop."""
    return _sentence(error.message)


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


class PageRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except NotAuthenticated as error:
                if error.code == "not_logged_in":
                    return to_login(request)
                return error_page(request, error)
            except TixError as error:
                return error_page(request, error)

        return guarded
