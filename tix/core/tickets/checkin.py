"""The online door: scans (admit, exit, undo; refusals logged too) against an event's
check-in lists, lookups, counts per list, and the server's scan log that offline doors
sync into. `TicketService` is a `CheckIn`: the faces call it as `runtime.tickets`."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from tix.core.accounts import public as accounts
from tix.core.audit.service import AuditService
from tix.core.catalog import public as catalog
from tix.core.catalog.model import Act, Event, EventStatus, TicketTypeView
from tix.core.clock import Clock
from tix.core.errors import EntryRefused, Invalid, NotAllowed, NotFound, RuleViolation
from tix.core.ids import looks_like_uuid, new_id
from tix.core.orders import public as orders
from tix.core.orders.model import OrderStanding, OrderStatus
from tix.core.ports import RateLimiter, UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal
from tix.core.ratelimit import Rate, enforce
from tix.core.tickets.door import (
    MAIN_LIST,
    CheckinList,
    Scan,
    ScanKind,
    TicketDoorState,
    decide,
    main_list,
    ticket_state,
)
from tix.core.tickets.model import (
    PAYLOAD_VERSION,
    Signer,
    Ticket,
    TicketStatus,
    read_payload,
)
from tix.core.tickets.public import (
    RecordedScans,
    keep_legacy_admissions,
    record_scans,
    ticket_history,
)

SERVER = "server"  # the device of a scan at an online door, unless it names itself
MAX_NAME = 60  # a check-in list's or a device's name
MAX_REASON = 500
MAX_FOUND = 50
SCAN_REFUSAL = ("checking tickets in is for the event's team (door, clerk, co-organizer) "
                "and its organizer")


@dataclass(frozen=True)
class Admission:
    """A scan that passed: the ticket as it stands after it."""

    ticket: Ticket
    event_name: str
    ticket_type: str
    kind: ScanKind = ScanKind.ADMIT
    list_name: str = MAIN_LIST
    scan_id: str = ""


@dataclass(frozen=True)
class ListCount:
    name: str
    admitted: int  # tickets whose standing admission was on this list
    inside: int  # inside now through it
    of: int  # tickets it admits (valid or used)
    reentry: bool = False


@dataclass(frozen=True)
class DoorCount:
    event_id: str
    event_name: str
    admitted: int
    capacity: int
    inside: int = 0
    lists: tuple[ListCount, ...] = ()


@dataclass(frozen=True)
class FoundTicket:
    """A ticket found by its holder's name or its number, and where it stands."""

    ticket: Ticket
    ticket_type: str
    state: str  # "not in", "inside (VIP)", "out", "voided"


@dataclass(frozen=True)
class ScanPage:
    scans: list[Scan]
    cursor: int  # ask from here next time


class CheckIn:
    """The door's half of `TicketService`, on the same unit of work, clock, signer, audit
    trail and rate limiter."""

    _uow: UnitOfWorkFactory
    _clock: Clock
    _signer: Signer
    _audit: AuditService
    _limiter: RateLimiter
    _checkin_rate: Rate

    def check_in(self, principal: Principal, payload: str,
                 event_reference: str | None = None, *, list_name: str | None = None,
                 device: str = SERVER, kind: ScanKind = ScanKind.ADMIT) -> Admission:
        """Admit a ticket (or, `kind` EXIT, let it out) by its code; every refusal says
        why, and is in the scan log too."""
        enforce(self._limiter, f"checkins:{principal.user_id}", self._checkin_rate,
                self._clock.now(), "scans")  # forged codes count too: no guessing at speed
        read = read_payload(payload, self._signer)
        if read is None:
            raise EntryRefused("forged or damaged code", code="forged")
        return self._scan(principal, read.ticket_id, kind, event_reference=event_reference,
                          list_name=list_name, device=device, by_code=True)

    def check_in_number(self, principal: Principal, number: str,
                        event_reference: str | None = None, *, list_name: str | None = None,
                        device: str = SERVER, kind: ScanKind = ScanKind.ADMIT) -> Admission:
        """The same by the ticket's number (E12-000123), when its code cannot be read: the
        clerk found it by its holder's name (`find`)."""
        enforce(self._limiter, f"checkins:{principal.user_id}", self._checkin_rate,
                self._clock.now(), "scans")
        return self._scan(principal, number.strip(), kind, event_reference=event_reference,
                          list_name=list_name, device=device, by_code=False)

    def undo(self, principal: Principal, reference: str, reason: str, *,
             device: str = SERVER) -> Admission:
        """Take back the admission that put the ticket inside (a wrong scan): a clerk or
        the organizer, with a reason; audited. `reference`: its number, id or code."""
        reason = reason.strip()
        if not reason:
            raise Invalid("an undo needs a reason", field="reason")
        if len(reason) > MAX_REASON:
            raise Invalid(f"a reason has at most {MAX_REASON} characters", field="reason")
        reference = reference.strip()
        if reference.startswith(f"{PAYLOAD_VERSION}."):
            read = read_payload(reference, self._signer)
            if read is None:
                raise EntryRefused("forged or damaged code", code="forged")
            reference = read.ticket_id
        return self._scan(principal, reference, ScanKind.UNDO, device=device, reason=reason,
                          by_code=False)

    def _scan(self, principal: Principal, reference: str, kind: ScanKind, *,
              event_reference: str | None = None, list_name: str | None = None,
              device: str = SERVER, reason: str = "", by_code: bool) -> Admission:
        device = _door_name(device, "device")
        now = self._clock.now()
        with self._uow() as uow:
            ticket = uow.tickets.get(reference)
            if ticket is None:
                if by_code:
                    raise EntryRefused("unknown ticket", code="unknown_ticket")
                raise NotFound("ticket", reference)
            # the ticket type's view carries what the door needs of the event: one read
            # (and the scanner's role on its team, in the same read)
            try:
                ticket_type = catalog.ticket_type_for(uow, ticket.ticket_type_id, principal,
                                                      Act.SCAN, refusal=SCAN_REFUSAL)
            except NotAllowed:
                _at_the_wrong_door(uow, principal, event_reference, ticket.event_id)
                raise
            # Locked: a cancellation asked for at this moment waits for the scan to end (and
            # then sees the ticket used), or the scan waits for it and refuses; so does
            # another door's scan of the ticket, which then sees this one's.
            # (what it read of the ticket stays true: only a cancellation of the order,
            # which the order now shows, voids it; its scans are read under the lock)
            order = orders.standing(uow, ticket.order_id, lock=True)
            history = ticket_history(uow, ticket)
            state = ticket_state(history)
            # after the ticket's last scan, even on a clock that stands still (or one of
            # the devices whose scans were uploaded runs ahead): replays keep their order
            now = max([now, *(s.at + timedelta(microseconds=1) for s in history)])
            if kind is ScanKind.UNDO:  # on the list of the admission it takes back
                list_name = state.entered.list_name if state.entered else None
            checkin_list = _checkin_list(uow, ticket.event_id, list_name,
                                         missing_ok=kind is not ScanKind.ADMIT)
            try:
                if event_reference is not None:
                    _check_event(uow, event_reference, ticket.event_id,
                                 ticket_type.event_name)
                if kind is ScanKind.ADMIT:
                    _may_enter(ticket, ticket_type, order)
                refusal = decide(checkin_list, ticket.ticket_type_id, state, kind,
                                 zone=ticket_type.event_timezone,
                                 name_of=lambda by: _clerk_name(uow, by),
                                 type_names=_type_names(uow, checkin_list))
            except EntryRefused as refused:
                refusal = refused
            scan = Scan(id=new_id(), event_id=ticket.event_id, ticket_id=ticket.id,
                        kind=ScanKind.REFUSE if refusal else kind, at=now, device=device,
                        list_name=checkin_list.name, by=principal.user_id,
                        reason=refusal.message if refusal else reason,
                        code=refusal.code if refusal else "",
                        undoes=(state.entered.id if kind is ScanKind.UNDO and not refusal
                                and state.entered else ""))
            keep_legacy_admissions(uow, [history], now)
            uow.tickets.add_scans([scan], now)
            if refusal is None:
                after = ticket_state([*history, scan])
                uow.tickets.set_door_state(ticket.id, after)
                self._audit_scan(uow, principal, ticket, scan)
            uow.commit()
        if refusal is not None:
            raise refusal
        return Admission(ticket=_in_step(ticket, after), event_name=ticket_type.event_name,
                         ticket_type=ticket_type.name, kind=kind,
                         list_name=checkin_list.name, scan_id=scan.id)

    def _audit_scan(self, uow: UnitOfWork, principal: Principal, ticket: Ticket,
                    scan: Scan) -> None:
        if scan.kind is ScanKind.ADMIT:
            self._audit.record(uow, "ticket.checked_in", subject=f"ticket:{ticket.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"number": ticket.number, "list": scan.list_name,
                                        "device": scan.device})
        elif scan.kind is ScanKind.UNDO:
            self._audit.record(uow, "ticket.checkin_undone", subject=f"ticket:{ticket.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"number": ticket.number, "reason": scan.reason,
                                        "undoes": scan.undoes, "device": scan.device})

    def find(self, principal: Principal, event_reference: str,
             query: str) -> list[FoundTicket]:
        """The event's tickets whose holder's name has every word of `query` (any case,
        any accents), or whose number it is (E12-000123, or 123): for a dead phone. Names
        are decrypted here, only the event's."""
        words = _folded(query).split()
        if not words:
            raise Invalid("say a name or a ticket number to look for", field="query")
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, event_reference)
            if event is None:
                raise NotFound("event", event_reference)
            _may_scan(uow, principal, event)
            types = {t.id: t.name for t in event.ticket_types}
            found = []
            for ticket in uow.tickets.of_event(event.id):
                if not _matches(ticket, words, query.strip()):
                    continue
                state = ticket_state(ticket_history(uow, ticket))
                found.append(FoundTicket(
                    ticket=ticket, ticket_type=types.get(ticket.ticket_type_id, "?"),
                    state=_door_word(ticket, state.inside, state.entered)))
                if len(found) == MAX_FOUND:
                    break
        return found

    def lists(self, principal: Principal, event_reference: str) -> list[CheckinList]:
        """The event's check-in lists, "main" first."""
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, event_reference)
            if event is None:
                raise NotFound("event", event_reference)
            _may_scan(uow, principal, event)
            return [main_list(event.id), *uow.tickets.lists(event.id)]

    def ticket_type_refs(self, principal: Principal, event_reference: str) -> dict[str, str]:
        """The event's ticket type ids, each with what people type (E12-T2)."""
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, event_reference)
            if event is None:
                raise NotFound("event", event_reference)
            _may_scan(uow, principal, event)
            return {t.id: f"E{event.number}-T{t.number}" for t in event.ticket_types}

    def add_list(self, principal: Principal, event_reference: str, name: str,
                 ticket_types: list[str], *, reentry: bool = False) -> CheckinList:
        """A door of the event for some ticket types (none named: all), re-admitting those
        who went out or not: the event's organizer (or an admin)."""
        name = _door_name(name, "list")
        with self._uow() as uow:
            event = catalog.find_event(uow, event_reference)
            if event is None:
                raise NotFound("event", event_reference)
            _may_arrange(uow, principal, event)
            type_ids = set()
            for reference in ticket_types:
                ticket_type = catalog.ticket_type(uow, reference.strip())
                if ticket_type is None:
                    raise NotFound("ticket type", reference)
                if ticket_type.event_id != event.id:
                    raise Invalid(f"ticket type {reference} is not one of {event.name}",
                                  field="ticket_types", ticket_type=reference)
                type_ids.add(ticket_type.id)
            checkin_list = CheckinList(event_id=event.id, name=name,
                                       ticket_type_ids=frozenset(type_ids), reentry=reentry)
            if name.casefold() == MAIN_LIST or any(
                    existing.name.casefold() == name.casefold()
                    for existing in uow.tickets.lists(event.id)) \
                    or not uow.tickets.add_list(checkin_list, self._clock.now()):
                raise RuleViolation(f"{event.name} has a list {name} already",
                                    code="list_exists", list=name)
            self._audit.record(uow, "door.list_added", subject=f"event:{event.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"list": name, "reentry": str(reentry),
                                        "ticket_types": str(len(type_ids))})
            uow.commit()
        return checkin_list

    def remove_list(self, principal: Principal, event_reference: str, name: str) -> None:
        """Scans on it stay in the log; "main" stays."""
        with self._uow() as uow:
            event = catalog.find_event(uow, event_reference)
            if event is None:
                raise NotFound("event", event_reference)
            _may_arrange(uow, principal, event)
            if name.strip().casefold() == MAIN_LIST:
                raise RuleViolation("every event keeps its main list", code="main_list")
            stored = next((x for x in uow.tickets.lists(event.id)
                           if x.name.casefold() == name.strip().casefold()), None)
            if stored is None or not uow.tickets.remove_list(event.id, stored.name):
                raise NotFound("check-in list", name)
            self._audit.record(uow, "door.list_removed", subject=f"event:{event.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"list": stored.name})
            uow.commit()

    def door(self, principal: Principal, event_reference: str) -> DoorCount:
        """How many are in, of how many the event holds, and per list: for the check-in
        screen."""
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, event_reference)
            if event is None:
                raise NotFound("event", event_reference)
            _may_scan(uow, principal, event)
            counts = uow.tickets.door_counts(event.id)
            holding = uow.tickets.types_of_event(event.id)
            per_list = tuple(ListCount(
                name=x.name, admitted=counts.get(x.name, (0, 0))[0],
                inside=counts.get(x.name, (0, 0))[1], reentry=x.reentry,
                of=sum(n for type_id, n in holding.items() if x.admits_type(type_id)))
                for x in [main_list(event.id), *uow.tickets.lists(event.id)])
            return DoorCount(event_id=event.id, event_name=event.name,
                             admitted=uow.tickets.admitted(event.id),
                             capacity=sum(t.quantity for t in event.ticket_types),
                             inside=sum(inside for _, inside in counts.values()),
                             lists=per_list)

    def record_scans(self, principal: Principal, scans: Sequence[Scan]) -> RecordedScans:
        """Scans an offline door made, into the server's log (`tix door sync`): each once,
        however often sent; the tickets kept in step. A clerk, or the events' organizer."""
        with self._uow() as uow:
            for event_id in sorted({s.event_id for s in scans}):
                event = catalog.event(uow, event_id)
                if event is None:
                    raise NotFound("event", event_id)
                _may_scan(uow, principal, event)
            recorded = record_scans(uow, scans, self._clock.now())
            if recorded.new:
                self._audit.record(uow, "door.scans_uploaded", actor_id=principal.user_id,
                                   actor=principal.email,
                                   subject=f"event:{scans[0].event_id}",
                                   details={"new": str(len(recorded.new)),
                                            "known": str(recorded.known)})
            uow.commit()
        return recorded

    def scans_since(self, principal: Principal, event_reference: str, cursor: int = 0,
                    limit: int = 5000) -> ScanPage:
        """The event's scans the server's log took after `cursor` (0: from the start), and
        the cursor to ask from next time. On PostgreSQL two doors' scans committed at the
        same moment may commit out of their places in the log: a caller that must miss
        none asks again from a cursor a little lower (a scan is the same scan by its id,
        however often it is read)."""
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, event_reference)
            if event is None:
                raise NotFound("event", event_reference)
            _may_scan(uow, principal, event)
            page = uow.tickets.scans_since(event.id, max(cursor, 0), max(1, min(limit, 50000)))
        return ScanPage(scans=[scan for _, scan in page],
                        cursor=page[-1][0] if page else max(cursor, 0))



def _may_scan(uow: UnitOfWork, principal: Principal, event: Event) -> None:
    catalog.require(uow, principal, event.id, Act.SCAN, organizer_id=event.organizer_id,
                    refusal=SCAN_REFUSAL)


def _may_arrange(uow: UnitOfWork, principal: Principal, event: Event) -> None:
    catalog.require(uow, principal, event.id, Act.MANAGE, organizer_id=event.organizer_id,
                    refusal="an event's check-in lists are for its organizer and "
                            "co-organizers")


def _at_the_wrong_door(uow: UnitOfWork, principal: Principal, event_reference: str | None,
                       ticket_event_id: str) -> None:
    """A ticket of an event the scanner is not on the team of, shown at the door of one
    they work (`checkin --event`): a wrong-event verdict, as anyone's, not a refusal of
    the scanner."""
    if event_reference is None:
        return
    event_id = catalog.resolve_event(uow, event_reference)
    if event_id is None or event_id == ticket_event_id or not catalog.may(
            uow, principal, event_id, Act.SCAN):
        return
    label = catalog.event_labels(uow, [ticket_event_id]).get(ticket_event_id)
    name = label.name if label else "another event"
    raise EntryRefused(f"this ticket is for {name}", code="wrong_event", event=name)


def _check_event(uow: UnitOfWork, reference: str, ticket_event_id: str,
                 ticket_event_name: str) -> None:
    """`checkin --event`: an event that does not exist is a typo, not the wrong door."""
    event_id = catalog.resolve_event(uow, reference)
    if event_id == ticket_event_id:
        return
    if event_id is None or catalog.event(uow, event_id) is None:
        raise NotFound("event", reference)
    raise EntryRefused(f"this ticket is for {ticket_event_name}", code="wrong_event",
                       event=ticket_event_name)


def _order_refusal(order: OrderStanding | None) -> EntryRefused:
    if order is not None and order.status is OrderStatus.CANCELLED:
        return EntryRefused(f"order {order.number} was cancelled"
                            + (" and refunded" if order.refunded_amount else ""),
                            code="order_cancelled", order=order.number)
    if order is not None and order.status is OrderStatus.COMPLETED:
        return EntryRefused(f"order {order.number} is being cancelled",
                            code="order_cancelled", order=order.number)
    return EntryRefused(f"order {order.number if order else '?'} is not paid"
                        + (f" ({order.status.value.lower()})" if order else ""),
                        code="order_not_paid")


def _in_step(ticket: Ticket, state: TicketDoorState) -> Ticket:
    """The ticket as `set_door_state` leaves it."""
    if ticket.status is TicketStatus.VOIDED:
        return ticket
    first = state.admission
    return replace(ticket, status=TicketStatus.USED if first else TicketStatus.VALID,
                   checked_in_at=first.at if first else None,
                   checked_in_by=(first.by or None) if first else None)


def _may_enter(ticket: Ticket, ticket_type: TicketTypeView,
               order: OrderStanding | None) -> None:
    """What refuses an admission before the door's rules: a cancelled event, a voided
    ticket, an order that does not admit."""
    if ticket_type.event_status is EventStatus.CANCELLED:
        raise EntryRefused(f"{ticket_type.event_name} was cancelled",
                           code="event_cancelled", event=ticket_type.event_name)
    if ticket.status is TicketStatus.VOIDED:
        raise EntryRefused("the ticket was voided (cancelled, refunded or transferred)",
                           code="voided")
    if ticket.status is TicketStatus.VALID and (order is None or not order.admits):
        raise _order_refusal(order)


def _checkin_list(uow: UnitOfWork, event_id: str, name: str | None, *,
                  missing_ok: bool = False) -> CheckinList:
    """The list a scan is on ("main" unless named); one removed meanwhile, for an exit or
    an undo, goes by its name with the main list's rules."""
    if name is None or name.strip().casefold() == MAIN_LIST:
        return main_list(event_id)
    found = next((x for x in uow.tickets.lists(event_id)
                  if x.name.casefold() == name.strip().casefold()), None)
    if found is not None:
        return found
    if missing_ok:
        return CheckinList(event_id=event_id, name=name.strip())
    raise NotFound("check-in list", name)


def _clerk_name(uow: UnitOfWork, by: str) -> str:
    """A scan's `by`: a user's id online (their name, "someone" if none), a clerk's name
    on an offline device."""
    if not by:
        return "someone"
    if not looks_like_uuid(by):
        return by
    clerk = accounts.user(uow, by)
    return clerk.name if clerk else "someone"


def _type_names(uow: UnitOfWork, checkin_list: CheckinList) -> dict[str, str]:
    if not checkin_list.ticket_type_ids:
        return {}
    event = catalog.event(uow, checkin_list.event_id)
    return {t.id: t.name for t in event.ticket_types} if event else {}


def _door_name(value: str, field: str) -> str:
    """A list's or a device's name: short, printable, said at the door."""
    value = value.strip()
    if not value or len(value) > MAX_NAME or not value.isprintable() or "," in value:
        raise Invalid(f"a {'list' if field == 'list' else field}'s name is 1 to {MAX_NAME} "
                      "printable characters, no comma", field=field)
    return value


def _folded(text: str) -> str:
    """Lower case without accents: "Ünal" is found as "unal"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _matches(ticket: Ticket, words: list[str], query: str) -> bool:
    if query.upper() == ticket.number:
        return True
    digits = query.removeprefix("#")
    if digits.isdigit() and int(digits) == int(ticket.number.rsplit("-", 1)[1]):
        return True
    holder = _folded(ticket.holder)
    return all(word in holder for word in words)


def _door_word(ticket: Ticket, inside: bool, entered: Scan | None) -> str:
    if ticket.status is TicketStatus.VOIDED:
        return "voided"
    if inside:
        return f"inside ({entered.list_name})" if entered else "inside"
    return "out" if ticket.status is TicketStatus.USED else "not in"
