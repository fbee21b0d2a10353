"""Vouchers as their event's organizer (or an admin) handles them: create one code,
generate many single-use ones, list them, void one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tix.core.audit.service import AuditService
from tix.core.catalog import public as catalog
from tix.core.catalog.model import Act, Event, EventStatus, ticket_type_ref
from tix.core.catalog.public import TicketTypeDetails, find_event, ticket_type, to_minor
from tix.core.clock import Clock
from tix.core.errors import Invalid, NotFound, RuleViolation
from tix.core.ids import new_id, readable_code
from tix.core.inventory import public as inventory
from tix.core.ports import RateLimiter, UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal
from tix.core.ratelimit import Rate, enforce
from tix.core.vouchers.model import (
    MAX_GENERATED,
    Voucher,
    check_code,
    check_open,
    check_terms,
    check_usable,
    normal_code,
)

GENERATED_CODE_LENGTH = 10
GENERATE_ATTEMPTS = 5
# codes given by the public, per asker: a person who mistypes is not stopped, one who
# guesses at codes (an organizer's PRESS, CREW…) is
CODE_TRIES = Rate(20, timedelta(minutes=10))


@dataclass(frozen=True)
class VoucherTerms:
    """What an organizer says a code gives (as typed: amounts in major units, the time
    local to the event unless it names its offset)."""

    percent: int | None = None
    amount: str | None = None  # "5.00", off one order
    max_uses: int = 1
    valid_until: str | None = None  # "2026-12-31T23:59"
    types: tuple[str, ...] = ()  # ticket types by reference (E12-T2) or id
    per_order: int | None = None
    unlock_only: bool = False


@dataclass(frozen=True)
class Unlocked:
    """A code a buyer gave for an event: its voucher, and the hidden ticket types it opens
    (press, crew, presale) as the event page lists types, with their tickets left now."""

    voucher: Voucher
    ticket_types: list[TicketTypeDetails]


class VoucherService:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService,
                 limiter: RateLimiter | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._audit = audit
        self._limiter = limiter

    def create(self, principal: Principal, event_reference: str, code: str,
               terms: VoucherTerms) -> Voucher:
        """One code, used up to `max_uses` times."""
        normal = check_code(code)
        with self._uow() as uow:
            event = _own_event(uow, principal, event_reference)
            voucher = _voucher(event, normal, terms, uow, self._clock.now())
            if uow.vouchers.add([voucher]):
                raise RuleViolation(f"E{event.number} already has a code {normal}",
                                    code="voucher_exists", voucher=normal)
            self._audit.record(uow, "voucher.created", subject=f"voucher:{voucher.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"event": event.id, "code": normal})
            uow.commit()
        return voucher

    def generate(self, principal: Principal, event_reference: str, count: int,
                 terms: VoucherTerms) -> list[Voucher]:
        """`count` new random codes, each for one use (whatever `terms.max_uses` says)."""
        if not 1 <= count <= MAX_GENERATED:
            raise Invalid(f"count: between 1 and {MAX_GENERATED:,}", field="count",
                          limit=MAX_GENERATED)
        single = VoucherTerms(**{**terms.__dict__, "max_uses": 1})
        for _ in range(GENERATE_ATTEMPTS):  # a clash with an existing code: new ones
            with self._uow() as uow:
                event = _own_event(uow, principal, event_reference)
                now = self._clock.now()
                codes = {readable_code(GENERATED_CODE_LENGTH) for _ in range(count)}
                if len(codes) < count:
                    continue
                vouchers = [_voucher(event, code, single, uow, now) for code in sorted(codes)]
                if uow.vouchers.add(vouchers):
                    continue
                self._audit.record(uow, "voucher.generated", subject=f"event:{event.id}",
                                   actor_id=principal.user_id, actor=principal.email,
                                   details={"count": str(count)})
                uow.commit()
                return vouchers
        raise RuleViolation("could not find enough free codes; try again", code="busy")

    def check(self, code: str, items: list[tuple[str, int]]) -> Voucher:
        """The voucher `code` names for these lines (ticket type ids or references, with
        quantities), refused as a sale would refuse it — but nothing is taken: for a face
        to show the discount before the buyer pays. The sale checks again."""
        now = self._clock.now()
        with self._uow(readonly=True) as uow:
            lines = []
            for reference, quantity in items:
                found = ticket_type(uow, reference)
                if found is None:
                    raise NotFound("ticket type", reference)
                lines.append((found, quantity))
            if not lines:
                raise Invalid("no tickets to check the code against", field="items")
            first = lines[0][0]
            voucher = uow.vouchers.by_code(first.event_id, normal_code(code))
            return check_usable(voucher, code, first.event_number, lines, now)

    def unlocked(self, event_reference: str, code: str, *, asker: str | None = None
                 ) -> Unlocked:
        """What `code` gives on the event's page: refused as a sale would refuse a code
        that is unknown, voided, expired or used up (the basket is checked at the hold).
        `asker` (a session's user, an address): the public's tries are counted, at most
        CODE_TRIES each; staff at the counter are not."""
        now = self._clock.now()
        if asker is not None and self._limiter is not None:
            enforce(self._limiter, f"codes:{asker}", CODE_TRIES, now, "codes tried")
        with self._uow(readonly=True) as uow:
            event = find_event(uow, event_reference)
            if event is None or event.status is EventStatus.DRAFT:  # sellable by nobody
                raise NotFound("event", event_reference)
            voucher = uow.vouchers.by_code(event.id, normal_code(code))
            voucher = check_open(voucher, code, event.number, now)
            return Unlocked(voucher, _opened(uow, event, voucher))

    def held(self, voucher_id: str | None) -> Unlocked | None:
        """The code a hold took its use of (None: it took none), and the hidden types it
        opens: for the hold's page to name and price them."""
        if voucher_id is None:
            return None
        with self._uow(readonly=True) as uow:
            voucher = uow.vouchers.get(voucher_id)
            event = None if voucher is None else catalog.event(uow, voucher.event_id)
            if voucher is None or event is None:
                return None
            return Unlocked(voucher, _opened(uow, event, voucher))

    def list(self, principal: Principal, event_reference: str) -> list[Voucher]:
        with self._uow(readonly=True) as uow:
            event = _own_event(uow, principal, event_reference)
            return uow.vouchers.of_event(event.id)

    def type_refs(self, principal: Principal, event_reference: str) -> dict[str, str]:
        """The event's ticket type ids (hidden ones too), each as people type it (E12-T2):
        to show a voucher's types as they were given."""
        with self._uow(readonly=True) as uow:
            event = _own_event(uow, principal, event_reference)
            return {t.id: ticket_type_ref(event.number, t.number) for t in event.ticket_types}

    def void(self, principal: Principal, event_reference: str | None, code: str) -> Voucher:
        """No sale takes the code from now on; uses already made stay made. Without an
        event: the one event of the principal's that has the code."""
        now = self._clock.now()
        with self._uow() as uow:
            if event_reference is None:
                event_reference = _the_event_with(uow, principal, normal_code(code))
            event = _own_event(uow, principal, event_reference)
            voucher = uow.vouchers.by_code(event.id, normal_code(code))
            if voucher is None:
                raise NotFound("code", f"{normal_code(code)} for E{event.number}")
            if not uow.vouchers.void(voucher.id, now):
                raise RuleViolation(f"code {voucher.code} was already voided",
                                    code="voucher_voided", voucher=voucher.code)
            voucher.voided_at = now
            self._audit.record(uow, "voucher.voided", subject=f"voucher:{voucher.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"event": event.id, "code": voucher.code})
            uow.commit()
        return voucher


def _opened(uow: UnitOfWork, event: Event, voucher: Voucher) -> list[TicketTypeDetails]:
    return inventory.listed(uow, event, [t for t in event.ticket_types
                                         if t.hidden and voucher.unlocks(t.id)])


def _the_event_with(uow: UnitOfWork, principal: Principal, code: str) -> str:
    """The one event with this code that the principal handles codes of: of those where
    it is still valid, else of those where it was voided (to say so)."""
    found = [(e, voided) for e, voided in (
        (catalog.event(uow, event_id), voided)
        for event_id, voided in uow.vouchers.events_with_code(code))
        if e is not None and catalog.may(uow, principal, e.id, Act.MANAGE,
                                         organizer_id=e.organizer_id)]
    events = [e for e, voided in found if not voided] or [e for e, _ in found]
    if not events:
        raise NotFound("code", code)
    if len(events) > 1:
        numbers = " and ".join(f"E{e.number}" for e in sorted(events, key=lambda e: e.number))
        raise Invalid(f"code {code} is in {numbers}: name the event "
                      f"(tix voucher void EVENT {code})", field="event")
    return events[0].id


def _own_event(uow: UnitOfWork, principal: Principal, reference: str) -> Event:
    event = find_event(uow, reference)
    if event is None:
        raise NotFound("event", reference)
    catalog.require(uow, principal, event.id, Act.MANAGE, organizer_id=event.organizer_id,
                    refusal="only the event's organizer, its co-organizers or an admin "
                            "handle its codes")
    return event


def _voucher(event: Event, code: str, terms: VoucherTerms, uow: UnitOfWork,
             now: datetime) -> Voucher:
    amount = None if terms.amount is None else to_minor(terms.amount, event.currency,
                                                        field="amount")
    check_terms(percent=terms.percent, amount=amount, unlock_only=terms.unlock_only,
                max_uses=terms.max_uses, per_order=terms.per_order)
    return Voucher(id=new_id(), event_id=event.id, code=code, max_uses=terms.max_uses,
                   uses_left=terms.max_uses, created_at=now, percent=terms.percent or 0,
                   amount=amount or 0, ticket_type_ids=_types(uow, event, terms.types),
                   per_order=terms.per_order, unlock_only=terms.unlock_only,
                   valid_until=_until(terms.valid_until, event.timezone, now))


def _types(uow: UnitOfWork, event: Event, references: tuple[str, ...]) -> tuple[str, ...]:
    ids: list[str] = []
    for reference in references:
        found = ticket_type(uow, reference.strip())
        if found is None or found.event_id != event.id:
            raise Invalid(f"types: E{event.number} has no ticket type {reference.strip()}",
                          field="types")
        if found.id not in ids:
            ids.append(found.id)
    return tuple(ids)


def _until(value: str | None, timezone: str, now: datetime) -> datetime | None:
    """A local time in the event's zone (or with its offset) as aware UTC; in the future."""
    if value is None or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"valid until: {value!r} is not a date and time (e.g. "
                      "2026-12-31T23:59)", field="valid_until") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    moment = moment.astimezone(UTC)
    if moment <= now:
        raise Invalid("valid until: must be in the future", field="valid_until")
    return moment
