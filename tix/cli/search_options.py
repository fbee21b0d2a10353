"""Turning the search options of the CLI (and the box office) into a SearchQuery."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from tix.core.catalog.model import Category
from tix.core.catalog.search import SearchQuery, SortOrder
from tix.core.errors import Invalid


def search_query(*, text: str = "", category: str | None = None, city: str | None = None,
                 starts_from: str | None = None, until: str | None = None,
                 min_price: str | None = None, max_price: str | None = None,
                 only_available: bool = False, sort: str = "date", limit: int = 20,
                 offset: int = 0, include_all: bool = False,
                 currency: str = "EUR") -> SearchQuery:
    from tix.core.catalog.money import to_minor

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
        text=text[:200], category=kind, city=city or None,
        starts_from=_day(starts_from, "--from"),
        starts_until=_day(until, "--to", next_day=True),
        min_price=to_minor(min_price, currency, field="--min-price") if min_price else None,
        max_price=to_minor(max_price, currency, field="--max-price") if max_price else None,
        only_available=only_available, include_past=include_all,
        include_cancelled=include_all, sort=order, limit=limit, offset=offset)


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
