"""Organizers create and manage events; everyone finds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any

from tix.core.audit.service import AuditService
from tix.core.catalog.events import EventCancelled, EventPublished, EventUpdated
from tix.core.catalog.model import (
    Act,
    Event,
    EventLabel,
    EventStatus,
    Question,
    allows,
)
from tix.core.catalog.public import may
from tix.core.catalog.questions import questions_as_spec
from tix.core.catalog.quotas import CheckedQuota, quotas_as_spec
from tix.core.catalog.search import (
    CatalogSearch,
    EventDetails,
    EventSummary,
    Found,
    QuotaDetails,
    SearchPage,
    SearchQuery,
    Suggestion,
    TicketTypeDetails,
)
from tix.core.catalog.spec import CheckedEvent, check_event, new_ticket_type
from tix.core.clock import Clock
from tix.core.errors import Invalid, NotAllowed, NotFound, RuleViolation
from tix.core.ids import new_id
from tix.core.inventory import public as inventory
from tix.core.inventory.model import QuotaLevel
from tix.core.orders.events import PaymentCompleted
from tix.core.ports import Cache, UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal, Role

SEARCH_CACHE_TTL = timedelta(minutes=5)
EVENT_CACHE_TTL = timedelta(minutes=5)
POPULARITY_WINDOW = timedelta(days=7)
SUGGESTIONS = 8
# Changes a ticket holder must hear about.
HOLDER_RELEVANT = ("starts_at", "ends_at", "venue", "city", "address")


class CatalogService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, cache: Cache,
                 search: CatalogSearch, audit: AuditService) -> None:
        self._uow = uow
        self._clock = clock
        self._cache = cache
        self._search = search
        self._audit = audit

    # -- organizers ----------------------------------------------------------------------

    def create(self, principal: Principal, spec: Mapping[str, Any]) -> str:
        principal.require(Role.ORGANIZER)
        now = self._clock.now()
        checked = check_event(spec, now=now)
        with self._uow() as uow:
            event_id = new_id()
            event = Event(
                id=event_id, number=uow.catalog.next_number(), organizer_id=principal.user_id,
                name=checked.name, description=checked.description, category=checked.category,
                venue=checked.venue, city=checked.city, address=checked.address,
                image_url=checked.image_url, starts_at=checked.starts_at,
                ends_at=checked.ends_at, timezone=checked.timezone, currency=checked.currency,
                created_at=now, cancellation_policy=checked.cancellation_policy,
                questions=checked.questions, max_per_order=checked.max_per_order,
                max_per_person=checked.max_per_person,
                status=EventStatus.DRAFT if checked.draft else EventStatus.SCHEDULED,
                test_mode=checked.test_mode,
                ticket_types=[new_ticket_type(t, ticket_type_id=new_id(), event_id=event_id,
                                              position=i, number=i + 1)
                              for i, t in enumerate(checked.ticket_types)])
            uow.catalog.add(event)
            for ticket_type in event.ticket_types:  # the inventory opens with the event
                inventory.open_stock(uow, ticket_type.id, ticket_type.quantity)
            type_ids = {t.name: t.id for t in event.ticket_types}
            for quota in checked.quotas:
                inventory.open_quota(uow, event.id, QuotaLevel(
                    id=new_id(), name=quota.name, quantity=quota.quantity,
                    available=quota.quantity,
                    ticket_type_ids=tuple(type_ids[name] for name in quota.ticket_types)))
            uow.catalog.bump_version()
            if not checked.draft:  # a draft is announced when it is published
                uow.publish(EventPublished(event_id=event.id, organizer_id=principal.user_id,
                                           name=event.name))
            self._audit.record(uow, "event.created", subject=f"event:{event.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"name": event.name, "status": event.status.value})
            uow.commit()
        return event_id

    def update(self, principal: Principal, reference: str, changes: Mapping[str, Any]) -> str:
        now = self._clock.now()
        with self._uow() as uow:
            event = self._own_event(uow, principal, reference, lock=True)
            if event.status is EventStatus.CANCELLED:
                raise RuleViolation("a cancelled event cannot be changed", code="cancelled")
            quotas = inventory.quotas(uow, event.id)
            merged = {**_as_spec(event), **changes}
            if "ticket_types" in changes:
                merged["ticket_types"] = _merge_ticket_types(event, changes["ticket_types"])
            # the quotas as they are, naming their types as this change names them
            merged = {**_quotas_spec(event, quotas, merged["ticket_types"]), **merged}
            checked = check_event(merged, now=now,
                                  require_future_start="starts" in changes)
            if "status" in changes and checked.draft != (event.status is EventStatus.DRAFT):
                raise Invalid("status: a draft goes on sale when it is published, and a "
                              "published event cannot go back to a draft", field="status")
            before = _relevant(event)
            types_before = {t.id for t in event.ticket_types}
            self._apply(uow, event, checked)
            _apply_quotas(uow, event, quotas, checked.quotas,
                          new_types={t.id for t in event.ticket_types} - types_before)
            uow.catalog.save(event)
            uow.catalog.bump_version()
            moved = {k: [before[k], v] for k, v in _relevant(event).items() if before[k] != v}
            if moved:
                uow.publish(EventUpdated(event_id=event.id, event_name=event.name,
                                         changes=moved))
            self._audit.record(uow, "event.updated", subject=f"event:{event.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"fields": ",".join(sorted(changes))})
            uow.commit()
        return event.id

    def publish(self, principal: Principal, reference: str) -> str:
        """Put a draft on sale (its organizer or an admin): from now on it is found, shown
        and sold like any event, and announced as published."""
        with self._uow() as uow:
            event = self._own_event(uow, principal, reference, lock=True)
            if event.status is not EventStatus.DRAFT:
                raise RuleViolation(
                    f"E{event.number} is cancelled" if event.status is EventStatus.CANCELLED
                    else f"E{event.number} is already published", code="not_a_draft",
                    status=event.status.value)
            event.status = EventStatus.SCHEDULED
            uow.catalog.save(event)
            uow.catalog.bump_version()
            uow.publish(EventPublished(event_id=event.id, organizer_id=event.organizer_id,
                                       name=event.name))
            self._audit.record(uow, "event.published", subject=f"event:{event.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"name": event.name})
            uow.commit()
        return event.id

    def cancel(self, principal: Principal, reference: str, reason: str = "") -> str:
        with self._uow() as uow:
            event = self._own_event(uow, principal, reference, lock=True, owner_only=True)
            if event.status is EventStatus.CANCELLED:
                raise RuleViolation("the event is already cancelled", code="cancelled")
            event.status = EventStatus.CANCELLED
            uow.catalog.save(event)
            uow.catalog.bump_version()
            uow.publish(EventCancelled(event_id=event.id, event_name=event.name,
                                       reason=reason[:500]))
            self._audit.record(uow, "event.cancelled", subject=f"event:{event.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"reason": reason[:500]})
            uow.commit()
        return event.id

    # -- everyone ------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchPage:
        if not 1 <= query.limit <= 100:
            raise Invalid("limit: between 1 and 100", field="limit", minimum=1, maximum=100)
        if query.offset < 0:
            raise Invalid("offset: must not be negative", field="offset")
        now = self._clock.now()
        # Minute resolution: "now" hides past events, and a key per microsecond never hits.
        key = f"catalog:search:{now:%Y%m%d%H%M}:{query.cache_key()}"
        cached = self._cache.get(key)
        version, found = _decode(cached) if cached else (-1, Found([], 0))
        hit = cached is not None
        # One round trip tells whether the cached page is still current (the version
        # moves with every event change) and the tickets left, which are never cached.
        live = self._search.live([r.id for r in found.results])
        if live.version != version:
            version = self._search.version()
            found, hit = self._search.search(query, now), False
            self._cache.set(key, _encode(version, found), SEARCH_CACHE_TTL)
            live = self._search.live([r.id for r in found.results])
        results = found.results
        for result in results:
            result.available = live.available.get(result.id, 0)
        if query.only_available:
            results = [r for r in results if r.available > 0]
        return SearchPage(results=results, limit=query.limit, offset=query.offset, cached=hit,
                          total=found.total, total_is_at_least=found.at_least)

    def suggest(self, prefix: str) -> list[Suggestion]:
        prefix = " ".join(prefix.split())[:100]
        if not prefix:
            return []
        return self._search.suggest(prefix, self._clock.now(), SUGGESTIONS)

    def show(self, reference: str, viewer: Principal | None = None, *,
             with_hidden: bool = False) -> EventDetails:
        """An event's page. Hot during a sale, so cached like search results: the cached
        page is checked against the catalog version in the same round trip that reads the
        tickets left, which are never cached. A draft is shown to its organizer and
        admins only; to anyone else it is not there. `with_hidden`: the hidden types too,
        after the others, when `viewer` manages the event (read live, never cached)."""
        details = self._page(reference, viewer)
        if with_hidden and self._manages(viewer, details.summary.id, details.organizer_id):
            with self._uow(readonly=True) as uow:
                event = self._event(uow, details.summary.id)
                hidden = inventory.listed(uow, event,
                                          [t for t in event.ticket_types if t.hidden])
            details = replace(details, ticket_types=[*details.ticket_types, *hidden])
        return details

    def _page(self, reference: str, viewer: Principal | None) -> EventDetails:
        key = f"catalog:event:2:{reference.strip()}"  # 2: pages with ticket type refs
        cached = self._cache.get(key)
        if cached is not None:
            version, details = _decode_details(cached)
            live = self._search.live_ticket_types(details.summary.id)
            if live.version == version:
                return self._visible(_with_tickets_left(details, live.available,
                                                        live.capacity_left), viewer,
                                     reference)
        version = self._search.version()  # before reading: a change meanwhile moves it on
        details = self._details(reference)
        self._cache.set(key, _encode_details(version, details), EVENT_CACHE_TTL)
        return self._visible(details, viewer, reference)

    def quotas(self, reference: str, viewer: Principal | None = None) -> list[QuotaDetails]:
        """The event's capacity and quotas with their tickets left, read live (not on the
        page's hot path: `show` gives each type's tickets left, the fewest over them)."""
        with self._uow(readonly=True) as uow:
            event = self._seen_event(uow, reference, viewer)
            return [QuotaDetails(q.name, q.quantity, q.available, [  # as the page lists them
                t.name for t in event.ticket_types
                if t.id in q.ticket_type_ids and not t.hidden])  # a hidden type is unseen
                for q in inventory.quotas(uow, event.id)]

    def questions(self, reference: str, viewer: Principal | None = None
                  ) -> tuple[Question, ...]:
        """What the event asks at checkout, as its page lists them."""
        with self._uow(readonly=True) as uow:
            return self._seen_event(uow, reference, viewer).questions

    def _seen_event(self, uow: UnitOfWork, reference: str, viewer: Principal | None) -> Event:
        """The event, unless it is a draft and `viewer` may not manage it (its organizer,
        co-organizers, admins): to anyone else it is not there."""
        event = self._event(uow, reference)
        if event.status is EventStatus.DRAFT and not (viewer is not None and may(
                uow, viewer, event.id, Act.MANAGE, organizer_id=event.organizer_id)):
            raise NotFound("event", reference)
        return event

    def _details(self, reference: str) -> EventDetails:
        with self._uow(readonly=True) as uow:
            event = self._event(uow, reference)
            # a hidden type is nobody's to see
            types = inventory.listed(uow, event, [t for t in event.ticket_types if not t.hidden])
            capacity = next((q.available for q in inventory.quotas(uow, event.id)
                             if q.name is None), None)
        prices = [t.price for t in event.ticket_types if not t.hidden] or [0]
        summary = EventSummary(
            id=event.id, number=event.number, name=event.name, category=event.category.value,
            venue=event.venue, city=event.city, starts_at=event.starts_at,
            ends_at=event.ends_at, timezone=event.timezone, currency=event.currency,
            status=event.status.value, min_price=min(prices), max_price=max(prices),
            image_url=event.image_url,
            available=_capped(sum(t.available for t in types), capacity))
        policy = [{"before_hours": int(r.before.total_seconds() // 3600), "percent": r.percent}
                  for r in event.cancellation_policy]
        return EventDetails(summary=summary, description=event.description,
                            address=event.address, organizer_id=event.organizer_id,
                            cancellation_policy=policy, ticket_types=types)

    def resolve(self, reference: str) -> str:
        with self._uow(readonly=True) as uow:
            return self._event(uow, reference).id

    def labels(self, event_ids: list[str]) -> dict[str, EventLabel]:
        """Number and name of events (for lists of orders and tickets)."""
        with self._uow(readonly=True) as uow:
            return uow.catalog.labels(sorted(set(event_ids)))

    # -- popularity (daemon) -------------------------------------------------------------

    def count_sale(self, message: PaymentCompleted, uow: UnitOfWork) -> None:
        ticket_type = uow.catalog.ticket_type(message.ticket_type_id)
        if ticket_type is not None:
            uow.catalog.record_sale(ticket_type.event_id, self._clock.now().date(),
                                    message.quantity)

    def age_popularity(self) -> int:
        with self._uow() as uow:
            aged = uow.catalog.forget_sales_before(
                (self._clock.now() - POPULARITY_WINDOW).date())
            uow.commit()
        return aged

    # -- helpers -------------------------------------------------------------------------

    def _event(self, uow: UnitOfWork, reference: str, *, lock: bool = False) -> Event:
        event_id = uow.catalog.resolve(reference.strip())
        event = uow.catalog.get(event_id, lock=lock) if event_id else None
        if event is None:
            raise NotFound("event", reference)
        return event

    def _own_event(self, uow: UnitOfWork, principal: Principal, reference: str, *,
                   lock: bool, owner_only: bool = False) -> Event:
        """The event, if the principal may change it: its organizer, an admin, and (unless
        `owner_only`: cancelling it) its co-organizers."""
        event = self._event(uow, reference, lock=lock)
        if owner_only:
            if not allows(principal, event.organizer_id, None, Act.MANAGE):
                raise NotAllowed("only the event's organizer or an admin may cancel it")
        elif not may(uow, principal, event.id, Act.MANAGE, organizer_id=event.organizer_id):
            raise NotAllowed("only the event's organizer, its co-organizers or an admin may "
                             "change it")
        return event

    def _visible(self, details: EventDetails, viewer: Principal | None, reference: str
                 ) -> EventDetails:
        """The page, unless it is a draft the viewer may not see."""
        if details.summary.status == EventStatus.DRAFT.value and not self._manages(
                viewer, details.summary.id, details.organizer_id):
            raise NotFound("event", reference)
        return details

    def _manages(self, viewer: Principal | None, event_id: str, organizer_id: str) -> bool:
        """Its organizer, co-organizers and admins: they see its draft, its hidden types."""
        if viewer is None:
            return False
        if allows(viewer, organizer_id, None, Act.MANAGE):
            return True
        with self._uow(readonly=True) as uow:
            return may(uow, viewer, event_id, Act.MANAGE, organizer_id=organizer_id)

    def _apply(self, uow: UnitOfWork, event: Event, checked: CheckedEvent) -> None:
        for name in ("name", "description", "category", "venue", "city", "address",
                     "image_url", "starts_at", "ends_at", "timezone", "currency",
                     "cancellation_policy", "questions", "max_per_order", "max_per_person",
                     "test_mode"):
            setattr(event, name, getattr(checked, name))
        existing = {t.id: t for t in event.ticket_types}
        numbers = max((t.number for t in event.ticket_types), default=0)
        kept = []
        for position, wanted in enumerate(checked.ticket_types):
            current = existing.get(wanted.id or "")
            if current is None:
                numbers += 1  # a new type's reference follows the others' (E12-T3)
                created = new_ticket_type(wanted, ticket_type_id=new_id(), event_id=event.id,
                                          position=position, number=numbers)
                uow.catalog.add_ticket_type(created)
                inventory.open_stock(uow, created.id, created.quantity)
                kept.append(created)
                continue
            if wanted.quantity != current.quantity and not inventory.resize_stock(
                    uow, current.id, wanted.quantity, was=current.quantity):
                raise RuleViolation(
                    f"{current.name}: cannot lower the quantity to {wanted.quantity}, below "
                    "what is already sold or held", code="below_sold",
                    ticket_type=current.name, quantity=wanted.quantity)
            kept.append(replace(current, name=wanted.name, price=wanted.price,
                                quantity=wanted.quantity,
                                per_person_limit=wanted.per_person_limit,
                                sale_starts_at=wanted.sale_starts_at,
                                sale_ends_at=wanted.sale_ends_at, position=position,
                                hidden=wanted.hidden))
        missing = set(existing) - {t.id for t in kept}
        if missing:
            raise Invalid("ticket_types: a ticket type cannot be removed (set its quantity "
                          "to what is sold, or cancel the event)", field="ticket_types")
        event.ticket_types = kept


def _quotas_spec(event: Event, quotas: list[QuotaLevel], types: Any) -> dict[str, Any]:
    """The event's capacity and quotas as its file writes them, a ticket type by the name
    the changed `types` give it (a renamed type stays in its quotas)."""
    names = {t.id: t.name for t in event.ticket_types}
    for wanted in types if isinstance(types, list) else []:
        if isinstance(wanted, Mapping) and wanted.get("id") in names and wanted.get("name"):
            names[str(wanted["id"])] = " ".join(str(wanted["name"]).split())
    return quotas_as_spec([(q.name, q.quantity, [names[i] for i in q.ticket_type_ids
                                                 if i in names]) for q in quotas])


def _apply_quotas(uow: UnitOfWork, event: Event, current: list[QuotaLevel],
                  wanted: tuple[CheckedQuota, ...], *, new_types: set[str]) -> None:
    """Resize the quotas as the changed file says; a ticket type added by this change
    joins the quotas that name it (and the capacity). A quota cannot be added over, or
    dropped from, ticket types already on sale: what they sold was not counted in it."""
    ids = {t.name: t.id for t in event.ticket_types}
    by_name = {q.name: q for q in current}
    named = [q for q in wanted if q.name is not None]
    for quota in wanted:
        where = "capacity" if quota.name is None else f"quotas[{named.index(quota)}]"
        members = {ids[name] for name in quota.ticket_types}
        existing = by_name.pop(quota.name, None)
        was = set(existing.ticket_type_ids) if existing else set()
        on_sale = (members ^ was) - new_types
        if on_sale:
            raise Invalid(f"{where}: ticket types already on sale cannot join or leave a "
                          "quota, nor a quota be added over them", field=where)
        if existing is None:
            inventory.open_quota(uow, event.id, QuotaLevel(
                id=new_id(), name=quota.name, quantity=quota.quantity,
                available=quota.quantity, ticket_type_ids=tuple(sorted(members))))
            continue
        for ticket_type_id in sorted(members - was):
            inventory.join_quota(uow, existing.id, ticket_type_id)
        if quota.quantity != existing.quantity and not inventory.resize_quota(
                uow, existing.id, quota.quantity):
            label = "the capacity" if quota.name is None else quota.name
            raise RuleViolation(
                f"{label}: cannot lower the quantity to {quota.quantity}, below what is "
                "already sold or held", code="below_sold", quota=quota.name or "capacity",
                quantity=quota.quantity)
    if by_name:
        raise Invalid("quotas: a quota cannot be removed (raise its quantity instead)",
                      field="quotas")


def _as_spec(event: Event) -> dict[str, Any]:
    """The event as it would be written in a file: local times, major units."""
    from tix.core.catalog.money import CURRENCIES

    zone_times = {"starts": event.starts_at, "ends": event.ends_at}
    exponent = CURRENCIES.get(event.currency, 2)
    return {
        "name": event.name, "description": event.description,
        "category": event.category.value, "venue": event.venue, "city": event.city,
        "address": event.address, "image_url": event.image_url,
        **{k: v.isoformat() for k, v in zone_times.items()}, "timezone": event.timezone,
        "currency": event.currency,
        "cancellation_policy": [{"before_hours": int(r.before.total_seconds() // 3600),
                                 "percent": r.percent} for r in event.cancellation_policy],
        "ticket_types": [_ticket_type_spec(t, exponent) for t in event.ticket_types],
        "questions": questions_as_spec(event.questions),
        "max_per_order": event.max_per_order, "max_per_person": event.max_per_person,
        "test_mode": event.test_mode,
    }


def _ticket_type_spec(ticket_type: Any, exponent: int) -> dict[str, Any]:
    spec = {"id": ticket_type.id, "name": ticket_type.name,
            "price": str(ticket_type.price / 10**exponent) if exponent else ticket_type.price,
            "quantity": ticket_type.quantity, "limit": ticket_type.per_person_limit,
            "sale_starts": ticket_type.sale_starts_at.isoformat()
            if ticket_type.sale_starts_at else None,
            "sale_ends": ticket_type.sale_ends_at.isoformat()
            if ticket_type.sale_ends_at else None}
    if ticket_type.hidden:
        spec["hidden"] = True
    return spec


def _merge_ticket_types(event: Event, changes: Any) -> Any:
    """Changes name ticket types by id or name; unnamed fields keep their values."""
    if not isinstance(changes, list):
        return changes
    from tix.core.catalog.money import CURRENCIES

    exponent = CURRENCIES.get(event.currency, 2)
    current = [_ticket_type_spec(t, exponent) for t in event.ticket_types]
    by_key = {t["id"]: t for t in current} | {t["name"].lower(): t for t in current}
    merged = list(current)
    for change in changes:
        if not isinstance(change, Mapping):
            return changes  # let validation explain
        target = by_key.get(str(change.get("id", ""))) or by_key.get(
            str(change.get("name", "")).lower())
        if target is None:
            merged.append(dict(change))
        else:
            target.update(change)
    return merged


def _relevant(event: Event) -> dict[str, str]:
    return {name: str(getattr(event, name) or "") for name in HOLDER_RELEVANT}


def _encode(version: int, found: Found) -> str:
    import json

    return json.dumps({"version": version, "total": found.total, "at_least": found.at_least,
                       "results": [{**asdict(r), "starts_at": r.starts_at.isoformat(),
                                    "ends_at": r.ends_at.isoformat()}
                                   for r in found.results]})


def _encode_details(version: int, details: EventDetails) -> str:
    import json

    def moment(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    summary = details.summary
    return json.dumps({"version": version, "details": {
        **asdict(details),
        "summary": {**asdict(summary), "starts_at": moment(summary.starts_at),
                    "ends_at": moment(summary.ends_at)},
        "ticket_types": [{**asdict(t), "sale_starts_at": moment(t.sale_starts_at),
                          "sale_ends_at": moment(t.sale_ends_at)}
                         for t in details.ticket_types]}})


def _decode_details(text: str) -> tuple[int, EventDetails]:
    import json

    def moment(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value is not None else None

    data = json.loads(text)
    found = data["details"]
    summary = found["summary"]
    return data["version"], EventDetails(**{
        **found,
        "summary": EventSummary(**{**summary,
                                   "starts_at": datetime.fromisoformat(summary["starts_at"]),
                                   "ends_at": datetime.fromisoformat(summary["ends_at"])}),
        "ticket_types": [TicketTypeDetails(**{**t, "sale_starts_at": moment(t["sale_starts_at"]),
                                              "sale_ends_at": moment(t["sale_ends_at"])})
                         for t in found["ticket_types"]]})


def _with_tickets_left(details: EventDetails, left: dict[str, int],
                       capacity: int | None = None) -> EventDetails:
    types = [replace(t, available=left.get(t.id, 0)) for t in details.ticket_types]
    return replace(details, ticket_types=types, summary=replace(
        details.summary, available=_capped(sum(t.available for t in types), capacity)))


def _capped(total: int, capacity: int | None) -> int:
    """An event's tickets left: its types' together, never more than its capacity's."""
    return total if capacity is None else min(total, capacity)


def _decode(text: str) -> tuple[int, Found]:
    import json

    data = json.loads(text)
    return data["version"], Found([
        EventSummary(**{**item, "starts_at": datetime.fromisoformat(item["starts_at"]),
                        "ends_at": datetime.fromisoformat(item["ends_at"])})
        for item in data["results"]], data["total"], data["at_least"])
