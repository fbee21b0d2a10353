"""/api/events: find events (the filters and sort of `tix event list`), suggestions for a
search box, one event; organizers create, change, publish and cancel theirs. Bodies of
POST and PATCH are the event file's mapping (README: "The event file")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tix.core.errors import Invalid
from tix.json_shapes import event_json, event_summary_json, quota_json, ticket_type_json
from tix.web.api.common import ok
from tix.web.sessions import asker, optional_principal, require_principal, runtime_of

router = APIRouter(prefix="/events", tags=["events"])
MAX_PRICE = 10**9  # major units, as the CLI's bound
EventSpec = Annotated[dict[str, Any], Body(description="The event file's mapping.")]


class Cancellation(BaseModel):
    reason: str = Field("", max_length=500)


class GivenCode(BaseModel):
    code: str = Field(max_length=100, description="As the buyer typed it (any case).")


@router.get("")
def search(
    request: Request,
    q: Annotated[str, Query(max_length=200, description="Words of the name, venue…")] = "",
    category: str | None = None,
    city: Annotated[str | None, Query(max_length=100)] = None,
    from_: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[str | None, Query(description="starting before, YYYY-MM-DD")] = None,
    currency: Annotated[str | None, Query(max_length=3)] = None,
    min_price: Annotated[str | None, Query(description="major units")] = None,
    max_price: Annotated[str | None, Query(description="major units")] = None,
    available: bool = False,
    sort: Annotated[str, Query(description="date, price or popularity")] = "date",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    page: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    all_: Annotated[bool, Query(alias="all", description="past and cancelled too")] = False,
) -> JSONResponse:
    """Events as `tix event list --json`; X-Total-Count says how many match in all (with
    X-Total-Is-At-Least: true when there may be more)."""
    from tix.core.catalog.model import Category
    from tix.core.catalog.money import check_currency
    from tix.core.catalog.search import SearchQuery, SortOrder

    code = _checked(lambda: check_currency(currency), "currency") if currency else None
    try:
        order = SortOrder(sort.lower())
    except ValueError:
        raise Invalid(f"sort: {sort!r} is not date, price or popularity",
                      field="sort") from None
    try:
        kind = Category(category.lower()) if category else None
    except ValueError:
        raise Invalid(f"category: {category!r} is not one of "
                      f"{', '.join(c.value for c in Category)}", field="category") from None
    found = runtime_of(request).catalog.search(SearchQuery(
        text=q, category=kind, city=(city or "").strip() or None,
        starts_from=_day(from_, "from"), starts_until=_day(to, "to", next_day=True),
        currency=code, min_price=_price(min_price, "min_price", code),
        max_price=_price(max_price, "max_price", code), only_available=available,
        include_past=all_, include_cancelled=all_, sort=order, limit=limit,
        offset=(page - 1) * limit if page else offset, with_total=True))
    return ok([event_summary_json(r) for r in found.results], headers={
        "X-Total-Count": str(found.total),
        "X-Total-Is-At-Least": str(found.total_is_at_least).lower(),
        "Cache-Control": "public, max-age=5"})


@router.get("/suggestions")
def suggestions(request: Request,
                q: Annotated[str, Query(max_length=100)] = "") -> JSONResponse:
    """Event names for a search box as one types: best first, at most 8."""
    found = runtime_of(request).catalog.suggest(q) if q.strip() else []
    return ok([{"id": s.event_id, "name": s.name, "starts_at": s.starts_at} for s in found],
              headers={"Cache-Control": "public, max-age=5"})


@router.get("/{event}")
def show(request: Request, event: str,
         hidden: Annotated[bool, Query(description="Its hidden types too (after the "
                                                  "others), for its organizers.")] = False
         ) -> JSONResponse:
    """One event (id or E12) with its ticket types, live availability and quotas."""
    viewer = optional_principal(request)
    catalog = runtime_of(request).catalog
    details = catalog.show(event, viewer, with_hidden=hidden)
    shown = event_json(details)
    quotas = catalog.quotas(event, viewer)
    if quotas:
        shown["quotas"] = [quota_json(q) for q in quotas]
    return ok(shown)


@router.post("/{event}/code")
def code(request: Request, event: str, body: GivenCode) -> JSONResponse:
    """What a buyer's code gives for the event: its discount and the hidden ticket types
    it opens (press, crew, presale), to hold with `voucher`. 404 for a code the event has
    not, 409 for one voided, expired or used up; 429 after too many tries."""
    unlocked = runtime_of(request).vouchers.unlocked(event, body.code, asker=asker(request))
    voucher = unlocked.voucher
    return ok({"code": voucher.code, "percent": voucher.percent, "amount": voucher.amount,
               "per_order": voucher.per_order, "valid_until": voucher.valid_until,
               "ticket_types": [ticket_type_json(t) for t in unlocked.ticket_types]})


@router.post("", status_code=201)
def create(request: Request, spec: EventSpec) -> JSONResponse:
    """Create an event with its ticket types (organizers)."""
    principal = require_principal(request)
    catalog = runtime_of(request).catalog
    event_id = catalog.create(principal, spec)
    return ok(event_json(catalog.show(event_id, principal, with_hidden=True)), status=201)


@router.patch("/{event}")
def update(request: Request, event: str, changes: EventSpec) -> JSONResponse:
    """Change an event (its organizer or an admin); holders hear of new times or places."""
    principal = require_principal(request)
    catalog = runtime_of(request).catalog
    event_id = catalog.update(principal, event, changes)
    return ok(event_json(catalog.show(event_id, principal, with_hidden=True)))


@router.post("/{event}/publish")
def publish(request: Request, event: str) -> JSONResponse:
    principal = require_principal(request)
    catalog = runtime_of(request).catalog
    event_id = catalog.publish(principal, event)
    return ok(event_json(catalog.show(event_id, principal, with_hidden=True)))


@router.post("/{event}/cancel")
def cancel(request: Request, event: str, body: Cancellation | None = None) -> JSONResponse:
    """Cancel an event: every order is refunded in full, holders are told."""
    principal = require_principal(request)
    event_id = runtime_of(request).catalog.cancel(principal, event,
                                                  body.reason if body else "")
    return ok({"id": event_id, "status": "CANCELLED"})


def _checked(check: Any, field: str) -> Any:
    try:
        return check()
    except Invalid as error:
        raise Invalid(error.message, field=field) from None


def _price(text: str | None, field: str, currency: str | None) -> Decimal | None:
    from tix.core.catalog.money import to_minor

    if text is None or not text.strip():
        return None
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise Invalid(f"{field}: {text!r} is not an amount", field=field) from None
    if not amount.is_finite() or not 0 <= amount <= MAX_PRICE:
        raise Invalid(f"{field}: {text!r} is not an amount from 0 to {MAX_PRICE:,}",
                      field=field)
    if currency is not None:
        to_minor(amount, currency, field=field)
    return amount


def _day(text: str | None, field: str, *, next_day: bool = False) -> datetime | None:
    if not text:
        return None
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text.strip())
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(f"{field}: {text!r} is not a date (YYYY-MM-DD)", field=field) from None
    return datetime.combine(day + timedelta(days=1) if next_day else day, time(0), tzinfo=UTC)
