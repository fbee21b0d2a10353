"""The storefront's routes, gathered for tix.web.app: one module per page area; and its
error page for what reaches the skeleton's handlers (an unknown address, a refused CSRF
token, a bad form, a failure)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from tix.web.store import account, browse, checkout, event_page, orders, payment
from tix.web.store.pages import TITLES

router = APIRouter()
for area in (browse, event_page, checkout, payment, orders, account):
    router.include_router(area.router)


def error_page(request: Request, status: int, problem: dict[str, Any]) -> Response:
    from tix.web.store.render import page

    detail = str(problem.get("detail") or "")
    if problem.get("code") == "csrf_failed":
        detail = ("This form has expired or was sent from elsewhere. Go back, reload the "
                  "page and send it again.")
    elif status == 404 and detail.lower() in ("", "not found"):
        detail = "There is no page at this address."
    elif status >= 500:
        detail = "Something went wrong on our side; nothing was charged. Try again soon."
    detail = detail[:1].upper() + detail[1:]
    return page(request, "message.html", status=status, bare=True,  # an error page: no script
                title=TITLES.get(status, "Something went wrong"), text=detail, link="/",
                link_text="Back to the events")
