"""An event as organizers write it (options or a YAML/JSON file), checked field by field.

Times are local to the event's IANA time zone ("2026-12-31T20:00"), stored as aware UTC.
Prices are major units ("25.00"), stored as minor units. Every error names its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tix.core.catalog.model import (
    DEFAULT_CANCELLATION_POLICY,
    Category,
    Question,
    RefundRule,
    TicketType,
)
from tix.core.catalog.money import check_currency, to_minor
from tix.core.catalog.questions import check_questions
from tix.core.catalog.quotas import CheckedQuota, check_quotas
from tix.core.errors import Invalid

LIMITS = {"name": 200, "description": 5000, "venue": 200, "city": 100, "address": 300,
          "image_url": 2000}
MAX_TICKET_TYPES = 50
MAX_QUANTITY = 1_000_000
MAX_PRICE_MINOR = 100_000_000_00
EVENT_FIELDS = {"name", "description", "category", "venue", "city", "address", "image_url",
                "starts", "ends", "timezone", "currency", "cancellation_policy",
                "ticket_types", "questions", "capacity", "quotas", "status", "test_mode",
                "max_per_order", "max_per_person"}
STATUSES = ("draft", "published")  # the file's `status`: a draft is sold by nobody
TICKET_TYPE_FIELDS = {"id", "name", "price", "quantity", "limit", "sale_starts", "sale_ends",
                      "hidden"}


@dataclass(frozen=True)
class CheckedEvent:
    name: str
    description: str
    category: Category
    venue: str
    city: str
    address: str | None
    image_url: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    currency: str
    cancellation_policy: tuple[RefundRule, ...]
    ticket_types: list[CheckedTicketType]
    questions: tuple[Question, ...] = ()
    quotas: tuple[CheckedQuota, ...] = ()  # the capacity first, if any
    draft: bool = False
    test_mode: bool = False  # orders placed meanwhile are test orders
    max_per_order: int | None = None  # tickets of every type in one order
    max_per_person: int | None = None  # tickets of every type a buyer holds and has bought


@dataclass(frozen=True)
class CheckedTicketType:
    id: str | None  # set when an update names an existing ticket type
    name: str
    price: int
    quantity: int
    per_person_limit: int | None
    sale_starts_at: datetime | None
    sale_ends_at: datetime | None
    hidden: bool = False


def check_event(spec: Mapping[str, Any], *, now: datetime,
                require_future_start: bool = True) -> CheckedEvent:
    unknown = sorted(set(spec) - EVENT_FIELDS)
    if unknown:
        raise Invalid(f"{unknown[0]}: unknown field (known: {', '.join(sorted(EVENT_FIELDS))})")
    zone_name = _text(spec, "timezone", required=True)
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        shown = zone_name if len(zone_name) <= 60 else zone_name[:57] + "..."
        raise Invalid(f"timezone: unknown time zone {shown!r} (IANA, e.g. "
                      "Europe/Berlin)") from None
    currency = check_currency(_text(spec, "currency", required=True))
    starts = _moment(spec.get("starts"), zone, "starts", required=True)
    ends = _moment(spec.get("ends"), zone, "ends", required=True)
    assert starts is not None and ends is not None
    if require_future_start and starts <= now:
        raise Invalid("starts: the event must start in the future")
    if ends <= starts:
        raise Invalid("ends: must be after the start")
    raw_types = spec.get("ticket_types")
    if not isinstance(raw_types, list) or not raw_types:
        raise Invalid("ticket_types: at least one ticket type is needed")
    if len(raw_types) > MAX_TICKET_TYPES:
        raise Invalid(f"ticket_types: at most {MAX_TICKET_TYPES}")
    types = [_ticket_type(t, i, zone, currency, starts) for i, t in enumerate(raw_types)]
    names = [t.name.lower() for t in types]
    if len(set(names)) != len(names):
        raise Invalid("ticket_types: two ticket types have the same name")
    image = _text(spec, "image_url")
    if image and not image.startswith(("https://", "http://")):
        raise Invalid("image_url: must be an http(s) URL")
    return CheckedEvent(
        name=_text(spec, "name", required=True), description=_text(spec, "description"),
        category=_category(spec.get("category", "other")),
        venue=_text(spec, "venue", required=True), city=_text(spec, "city", required=True),
        address=_text(spec, "address") or None, image_url=image or None,
        starts_at=starts, ends_at=ends, timezone=zone_name, currency=currency,
        cancellation_policy=_policy(spec.get("cancellation_policy")), ticket_types=types,
        questions=check_questions(spec.get("questions"), [t.name for t in types]),
        quotas=check_quotas(spec.get("capacity"), spec.get("quotas"), [t.name for t in types]),
        draft=_status(spec.get("status")) == "draft", test_mode=_test_mode(spec),
        max_per_order=_at_least_one(spec.get("max_per_order"), "max_per_order"),
        max_per_person=_at_least_one(spec.get("max_per_person"), "max_per_person"))


def _at_least_one(value: Any, name: str) -> int | None:
    """An event's limit of tickets: a whole number of at least 1, or none."""
    limit = _whole(value, name)
    if limit is not None and limit < 1:
        raise Invalid(f"{name}: must be at least 1 (or left out for no limit)", field=name)
    return limit


def new_ticket_type(checked: CheckedTicketType, *, ticket_type_id: str, event_id: str,
                    position: int, number: int) -> TicketType:
    return TicketType(id=ticket_type_id, event_id=event_id, name=checked.name,
                      price=checked.price, quantity=checked.quantity,
                      per_person_limit=checked.per_person_limit,
                      sale_starts_at=checked.sale_starts_at,
                      sale_ends_at=checked.sale_ends_at, position=position, number=number,
                      hidden=checked.hidden)


def _ticket_type(raw: Any, index: int, zone: ZoneInfo, currency: str,
                 starts: datetime) -> CheckedTicketType:
    where = f"ticket_types[{index}]"
    if not isinstance(raw, Mapping):
        raise Invalid(f"{where}: must be a mapping with name, price and quantity")
    unknown = sorted(set(raw) - TICKET_TYPE_FIELDS)
    if unknown:
        raise Invalid(f"{where}.{unknown[0]}: unknown field")
    name = _text(raw, "name", required=True, where=where, limit=100)
    if "price" not in raw:
        raise Invalid(f"{where}.price: required")
    price = to_minor(raw["price"], currency, field=f"{where}.price")
    if price < 0:
        raise Invalid(f"{where}.price: must be 0 or more")
    if price > MAX_PRICE_MINOR:
        raise Invalid(f"{where}.price: too large")
    quantity = _whole(raw.get("quantity"), f"{where}.quantity", required=True)
    assert quantity is not None
    if not 1 <= quantity <= MAX_QUANTITY:
        raise Invalid(f"{where}.quantity: must be between 1 and {MAX_QUANTITY:,}")
    limit = _whole(raw.get("limit"), f"{where}.limit")
    if limit is not None and not 1 <= limit <= quantity:
        raise Invalid(f"{where}.limit: must be between 1 and the quantity ({quantity})")
    sale_starts = _moment(raw.get("sale_starts"), zone, f"{where}.sale_starts")
    sale_ends = _moment(raw.get("sale_ends"), zone, f"{where}.sale_ends")
    if sale_ends is not None and sale_ends > starts:
        raise Invalid(f"{where}.sale_ends: the sale must close no later than the start")
    if sale_starts is not None and sale_ends is not None and sale_ends <= sale_starts:
        raise Invalid(f"{where}.sale_ends: must be after sale_starts")
    hidden = raw.get("hidden", False)
    if not isinstance(hidden, bool):
        raise Invalid(f"{where}.hidden: true or false")
    ticket_type_id = raw.get("id")
    return CheckedTicketType(id=str(ticket_type_id) if ticket_type_id else None, name=name,
                             price=price, quantity=quantity, per_person_limit=limit,
                             sale_starts_at=sale_starts, sale_ends_at=sale_ends,
                             hidden=hidden)


def _text(spec: Mapping[str, Any], field: str, *, required: bool = False, where: str = "",
          limit: int | None = None) -> str:
    name = f"{where}.{field}" if where else field
    value = spec.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(f"{name}: required")
        return ""
    if not isinstance(value, str | int | float):
        raise Invalid(f"{name}: must be text")
    text = " ".join(str(value).split()) if field != "description" else str(value).strip()
    bound = limit or LIMITS.get(field)
    if bound is not None and len(text) > bound:
        raise Invalid(f"{name}: longer than {bound} characters")
    if "\x00" in text:
        raise Invalid(f"{name}: must not contain NUL characters")
    return text


def _whole(value: Any, name: str, *, required: bool = False) -> int | None:
    if value is None or value == "":
        if required:
            raise Invalid(f"{name}: required")
        return None
    if isinstance(value, bool):
        raise Invalid(f"{name}: must be a whole number")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(f"{name}: must be a whole number, not {value!r}") from None
    return number


def _moment(value: Any, zone: ZoneInfo, name: str, *, required: bool = False
            ) -> datetime | None:
    """A local time in the event's zone (or with an explicit offset), as aware UTC."""
    if value is None or value == "":
        if required:
            raise Invalid(f"{name}: required (local time, e.g. 2026-12-31T20:00)")
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        raise Invalid(f"{name}: needs a time of day, e.g. {value.isoformat()}T20:00")
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise Invalid(f"{name}: {value!r} is not a date and time "
                          "(e.g. 2026-12-31T20:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _test_mode(spec: Mapping[str, Any]) -> bool:
    value = spec.get("test_mode", False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise Invalid("test_mode: true or false", field="test_mode")
    return value


def _status(value: Any) -> str:
    if value is None or value == "":
        return "published"
    status = str(value).strip().lower()
    if status not in STATUSES:
        raise Invalid(f"status: {value!r} is not one of {', '.join(STATUSES)}", field="status")
    return status


def _category(value: Any) -> Category:
    try:
        return Category(str(value).strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in Category)
        raise Invalid(f"category: {value!r} is not one of {known}") from None


def _policy(value: Any) -> tuple[RefundRule, ...]:
    if value is None:
        return DEFAULT_CANCELLATION_POLICY
    if not isinstance(value, list):
        raise Invalid("cancellation_policy: a list of {before_hours, percent}")
    rules = []
    for index, item in enumerate(value):
        where = f"cancellation_policy[{index}]"
        if not isinstance(item, Mapping):
            raise Invalid(f"{where}: needs before_hours (or before_days) and percent")
        hours = _whole(item.get("before_hours"), f"{where}.before_hours")
        days = _whole(item.get("before_days"), f"{where}.before_days")
        if (hours is None) == (days is None):
            raise Invalid(f"{where}: give before_hours or before_days")
        percent = _whole(item.get("percent"), f"{where}.percent", required=True)
        assert percent is not None
        if not 0 <= percent <= 100:
            raise Invalid(f"{where}.percent: between 0 and 100")
        before = timedelta(hours=hours) if hours is not None else timedelta(days=days or 0)
        if before < timedelta(0):
            raise Invalid(f"{where}: must not be negative")
        rules.append(RefundRule(before=before, percent=percent))
    return tuple(sorted(rules, key=lambda r: r.before, reverse=True))
