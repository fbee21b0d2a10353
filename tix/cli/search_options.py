"""Turning the search options of the CLI (and the box office) into a SearchQuery."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from tix.core.catalog.model import Category
from tix.core.catalog.search import SearchQuery, SortOrder
from tix.core.errors import Invalid

MAX_PRICE = 10**9  # major units; a bound beyond any ticket, and within a database integer


def search_query(*, text: str = "", category: str | None = None, city: str | None = None,
                 starts_from: str | None = None, until: str | None = None,
                 min_price: str | None = None, max_price: str | None = None,
                 only_available: bool = False, sort: str = "date", limit: int = 20,
                 offset: int = 0, include_all: bool = False,
                 currency: str | None = None, with_total: bool = False) -> SearchQuery:
    from tix.core.catalog.money import check_currency

    try:
        code = check_currency(currency) if currency is not None else None
    except Invalid as error:
        raise Invalid(f"--{error.message}") from None
    try:
        order = SortOrder(sort.lower())
    except ValueError:
        raise Invalid(f"--sort: {sort!r} is not date, price or popularity") from None
    try:
        kind = Category(category.lower()) if category else None
    except ValueError:
        raise Invalid(f"--category: {category!r} is not one of "
                      f"{', '.join(c.value for c in Category)}") from None
    return SearchQuery(
        text=text[:200], category=kind, city=(city or "").strip() or None,
        starts_from=_day(starts_from, "--from"),
        starts_until=_day(until, "--to", next_day=True),
        currency=code, min_price=_price(min_price, "--min-price", code),
        max_price=_price(max_price, "--max-price", code),
        only_available=only_available, include_past=include_all,
        include_cancelled=include_all, sort=order, limit=limit, offset=offset,
        with_total=with_total)


def _price(text: str | None, option: str, currency: str | None) -> Decimal | None:
    """Major units: of --currency (whose decimals it must respect), else of each event's."""
    from tix.core.catalog.money import to_minor

    if text is None or not text.strip():
        return None
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise Invalid(f"{option}: {text!r} is not an amount") from None
    if not amount.is_finite() or not 0 <= amount <= MAX_PRICE:
        raise Invalid(f"{option}: {text!r} is not an amount from 0 to {MAX_PRICE:,}")
    if currency is not None:
        to_minor(amount, currency, field=option)  # 12.5 JPY: JPY has no decimals
    return amount


def _day(text: str | None, option: str, *, next_day: bool = False) -> datetime | None:
    """A date (whole days, UTC) or a full ISO moment."""
    if not text:
        return None
    try:
        if "T" in text or " " in text.strip():
            moment = datetime.fromisoformat(text.strip())
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None
    if next_day:
        day += timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=UTC)
