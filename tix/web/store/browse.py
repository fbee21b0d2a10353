"""The front page (upcoming and popular events), search with its filters and sort, and the
suggestions the search box asks for as a buyer types. All read the catalog's cached search;
the tickets left on each card are live."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from tix.core.catalog.model import Category
from tix.core.catalog.search import EventSummary, SearchQuery, SortOrder
from tix.core.errors import Invalid
from tix.error_table import http_status
from tix.web.store import visitor
from tix.web.store.pages import PageRoute
from tix.web.store.render import page

router = APIRouter(route_class=PageRoute)
PER_PAGE = 12
FRONT = 6  # events in each list of the front page
SORTS = [("date", "Date"), ("popularity", "Popularity"), ("price", "Price")]
FILTERS = ("q", "category", "city", "from", "until", "max_price", "sort", "available")


@router.get("/", response_class=HTMLResponse)
def front(request: Request) -> HTMLResponse:
    catalog = visitor.runtime(request).catalog

    def read() -> tuple[list[EventSummary], list[EventSummary]]:
        upcoming = catalog.search(SearchQuery(limit=FRONT)).results
        shown = {e.id for e in upcoming}  # popular ones not already on the page
        popular = [e for e in catalog.search(SearchQuery(sort=SortOrder.POPULARITY,
                                                         only_available=True,
                                                         limit=FRONT * 2)).results
                   if e.id not in shown][:FRONT]
        return upcoming, popular

    # the same for every caller: kept a second (tix.web.microcache)
    upcoming, popular = visitor.kept(request, ("front page",), read)
    return page(request, "home.html", upcoming=upcoming, popular=popular)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request) -> HTMLResponse:
    params = request.query_params
    form = {name: params.get(name, "").strip()[:200] for name in FILTERS}
    form["sort"] = form["sort"] or "date"
    offset = _number(params.get("offset", "0"))
    context: dict[str, Any] = {"form": form, "categories": [c.value for c in Category],
                               "sorts": SORTS, "query_text": form["q"], "results": None}
    try:
        query = search_query(form, offset)
    except Invalid as error:
        return page(request, "search.html", status=int(http_status(error)),
                    error=error.message, **context)
    catalog = visitor.runtime(request).catalog
    # the same for every caller (search has no viewer): kept a second (tix.web.microcache)
    found = visitor.kept(request, ("search page", query.cache_key()),
                         lambda: catalog.search(query))
    here = {k: v for k, v in form.items() if v}
    nav = {}
    if offset > 0:
        nav["prev_url"] = "/search?" + urlencode({**here, "offset": max(0, offset - PER_PAGE)})
    if found.total_is_at_least or found.total > offset + PER_PAGE:
        nav["next_url"] = "/search?" + urlencode({**here, "offset": offset + PER_PAGE})
    context.update(results=found.results, total=found.total, at_least=found.total_is_at_least,
                   prev_url=nav.get("prev_url"), next_url=nav.get("next_url"))
    return page(request, "search.html", **context)


@router.get("/suggestions")
def suggestions(request: Request) -> JSONResponse:
    """[{name, when, url}] for the search box's script."""
    found = visitor.runtime(request).catalog.suggest(request.query_params.get("q", ""))
    return JSONResponse([{"name": s.name, "when": f"{s.starts_at:%d %b %Y}",
                          "url": f"/events/{s.event_id}"} for s in found])


def search_query(form: dict[str, str], offset: int) -> SearchQuery:
    """The search form as a SearchQuery; a bad filter is Invalid, in the form's words."""
    try:
        sort = SortOrder(form["sort"])
    except ValueError:
        raise Invalid("Sort by date, popularity or price.", field="sort") from None
    try:
        category = Category(form["category"]) if form["category"] else None
    except ValueError:
        raise Invalid("Choose a category from the list.", field="category") from None
    query = SearchQuery(text=form["q"], category=category, city=form["city"] or None,
                        starts_from=_day(form["from"], "From"),
                        starts_until=_day(form["until"], "Until", next_day=True),
                        max_price=_price(form["max_price"]), sort=sort,
                        only_available=bool(form["available"]), limit=PER_PAGE,
                        offset=offset, with_total=True)
    if query.starts_from and query.starts_until and query.starts_until <= query.starts_from:
        raise Invalid("'Until' comes before 'From': swap the dates.", field="until")
    return query


def _day(text: str, label: str, *, next_day: bool = False) -> datetime | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{label}: {text!r} is not a date (YYYY-MM-DD).",
                      field=label.lower()) from None
    return datetime.combine(day + timedelta(days=1 if next_day else 0), time(0), tzinfo=UTC)


def _price(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise Invalid(f"Max price: {text!r} is not an amount, like 25 or 19.50.",
                      field="max_price") from None
    if not amount.is_finite() or not 0 <= amount <= 10**9:
        raise Invalid(f"Max price: {text!r} is not an amount from 0 up.", field="max_price")
    return amount


def _number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 7 else 0
