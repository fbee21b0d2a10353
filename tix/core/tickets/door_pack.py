"""A door pack: what a door device needs to check tickets in with no database and no
network — the event, its check-in lists, every ticket's id, number and type (the holder
sealed for the door's key), the revocation list, and what the server had already seen
at the door. The file around it (signed with the tickets' own key) is the adapters'.

A pack says when it was made and the time of the last revocation it knows: a newer pack
supersedes an older one, and a pack older than a revocation known elsewhere is stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tix.core.catalog import public as catalog
from tix.core.catalog.model import Act, Event, EventStatus
from tix.core.errors import Invalid, NotFound
from tix.core.orders import public as orders
from tix.core.orders.model import Order, OrderStatus
from tix.core.ports import UnitOfWork
from tix.core.principal import Principal
from tix.core.tickets.door import CheckinList, Scan, ScanKind, main_list
from tix.core.tickets.model import Ticket, TicketStatus

PACK_FORMAT = "tix-door-pack/1"


@dataclass(frozen=True)
class PackTicket:
    id: str
    number: str  # E12-000123
    ticket_type_id: str
    holder: str  # sealed for the door's key (the adapters open it), never in clear


@dataclass(frozen=True)
class Revocation:
    """A ticket that must not open the door any more."""

    ticket_id: str
    code: str  # "voided", "order_cancelled", "order_not_paid"
    reason: str  # what the door says
    at: datetime | None  # when it happened, if known


@dataclass(frozen=True)
class DoorPack:
    event_id: str
    event_number: int
    event_name: str
    timezone: str
    made_at: datetime
    lists: tuple[CheckinList, ...]
    ticket_types: Mapping[str, str]  # id → name
    tickets: tuple[PackTicket, ...]
    revoked: Mapping[str, Revocation]  # by ticket id
    scans: tuple[Scan, ...] = ()  # the server's scan log of the event, when made
    last_revocation_at: datetime | None = None
    _by_id: dict[str, PackTicket] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({t.id: t for t in self.tickets})

    def ticket(self, ticket_id: str) -> PackTicket | None:
        return self._by_id.get(ticket_id)

    def checkin_list(self, name: str) -> CheckinList:
        for candidate in self.lists:
            if candidate.name == name:
                return candidate
        raise NotFound("check-in list", name)

    def supersedes(self, other: DoorPack) -> bool:
        """Whether this pack replaces `other` (same event, made later)."""
        return self.event_id == other.event_id and self.made_at > other.made_at

    def stale_against(self, revoked_at: datetime | None) -> bool:
        """Whether a revocation at `revoked_at` (known elsewhere) is newer than this pack."""
        return revoked_at is not None and revoked_at > self.made_at


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _read_time(value: object) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment


def to_document(pack: DoorPack) -> dict[str, Any]:
    """The pack as JSON values (what the adapters sign)."""
    return {
        "format": PACK_FORMAT,
        "event": {"id": pack.event_id, "number": pack.event_number,
                  "name": pack.event_name, "timezone": pack.timezone},
        "made_at": _time(pack.made_at),
        "last_revocation_at": _time(pack.last_revocation_at),
        "lists": [{"name": c.name, "ticket_type_ids": sorted(c.ticket_type_ids),
                   "reentry": c.reentry} for c in pack.lists],
        "ticket_types": dict(sorted(pack.ticket_types.items())),
        "tickets": [[t.id, t.number, t.ticket_type_id, t.holder] for t in pack.tickets],
        "revoked": [{"ticket_id": r.ticket_id, "code": r.code, "reason": r.reason,
                     "at": _time(r.at)} for r in pack.revoked.values()],
        "scans": [s.to_record() for s in pack.scans],
    }


def from_document(data: Mapping[str, Any]) -> DoorPack:
    """Invalid for a document that is not a door pack of this format."""
    try:
        if data.get("format") != PACK_FORMAT:
            raise ValueError("format")
        event = data["event"]
        event_id = str(event["id"])
        revoked = [Revocation(ticket_id=str(r["ticket_id"]), code=str(r["code"]),
                              reason=str(r["reason"]), at=_read_time(r.get("at")))
                   for r in data["revoked"]]
        return DoorPack(
            event_id=event_id, event_number=int(event["number"]),
            event_name=str(event["name"]), timezone=str(event["timezone"]),
            made_at=_read_time(data["made_at"]) or _missing("made_at"),
            last_revocation_at=_read_time(data.get("last_revocation_at")),
            lists=tuple(CheckinList(event_id=event_id, name=str(c["name"]),
                                    ticket_type_ids=frozenset(map(str, c["ticket_type_ids"])),
                                    reentry=bool(c["reentry"])) for c in data["lists"]),
            ticket_types={str(k): str(v) for k, v in dict(data["ticket_types"]).items()},
            tickets=tuple(PackTicket(id=str(t[0]), number=str(t[1]),
                                     ticket_type_id=str(t[2]), holder=str(t[3]))
                          for t in data["tickets"]),
            revoked={r.ticket_id: r for r in revoked},
            scans=tuple(Scan.from_record(s) for s in data["scans"]))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        raise Invalid("not a tix door pack (or one of another version)",
                      code="not_a_pack") from None


def _missing(name: str) -> datetime:
    raise ValueError(name)


@dataclass(frozen=True)
class PackTicketSource:
    """One ticket of the event as the server knows it, for `make_pack`."""

    id: str
    number: str
    ticket_type_id: str
    holder: str  # in clear: `make_pack` seals it
    revocation: Revocation | None


def make_pack(*, event_id: str, event_number: int, event_name: str, timezone: str,
              made_at: datetime, lists: Sequence[CheckinList],
              ticket_types: Mapping[str, str], tickets: Sequence[PackTicketSource],
              scans: Sequence[Scan], seal: Callable[[str, str], str],
              only_list: str | None = None) -> DoorPack:
    """A pack of the event; `seal(ticket_id, holder)` encrypts a holder for the door's
    key. `only_list`: that list alone (NotFound if the event has none of that name), else
    every list of the event ("main" is always one)."""
    chosen = list(lists) or [main_list(event_id)]
    if not any(c.name == "main" for c in chosen):
        chosen.insert(0, main_list(event_id))
    if only_list is not None:
        chosen = [c for c in chosen if c.name == only_list]
        if not chosen:
            raise NotFound("check-in list", only_list)
    revoked = {t.id: t.revocation for t in tickets if t.revocation is not None}
    times = [r.at for r in revoked.values() if r.at is not None]
    return DoorPack(
        event_id=event_id, event_number=event_number, event_name=event_name,
        timezone=timezone, made_at=made_at, lists=tuple(chosen),
        ticket_types=dict(ticket_types),
        tickets=tuple(PackTicket(id=t.id, number=t.number, ticket_type_id=t.ticket_type_id,
                                 holder=seal(t.id, t.holder)) for t in tickets),
        revoked=revoked, scans=tuple(s for s in scans if s.event_id == event_id),
        last_revocation_at=max(times) if times else None)


def gather(uow: UnitOfWork, principal: Principal, event_reference: str, *, now: datetime,
           seal: Callable[[str, str], str], only_list: str | None = None) -> DoorPack:
    """The pack of an event as the server knows it now: the event's organizer, a clerk
    or an admin only (a pack holds every ticket of the event)."""
    event = may_work_the_door(uow, principal, event_reference)
    tickets = uow.tickets.of_event(event.id)
    orders_of = {order_id: orders.order(uow, order_id)
                 for order_id in {t.order_id for t in tickets}}
    scans: list[Scan] = []
    cursor = 0
    while True:  # the server's scan log of the event, page by page
        page = uow.tickets.scans_since(event.id, cursor, 10_000)
        scans.extend(scan for _, scan in page)
        if len(page) < 10_000:
            break
        cursor = page[-1][0]
    admitted = {s.ticket_id for s in scans if s.kind is ScanKind.ADMIT}
    scans[:0] = [  # checked in before the log kept scans: that admission, as the server has
        Scan(id=t.id, event_id=t.event_id, ticket_id=t.id, kind=ScanKind.ADMIT,
             at=t.checked_in_at, device="server", by=t.checked_in_by or "")
        for t in tickets if t.status is TicketStatus.USED and t.checked_in_at is not None
        and t.id not in admitted]
    return make_pack(
        event_id=event.id, event_number=event.number, event_name=event.name,
        timezone=event.timezone, made_at=now, lists=uow.tickets.lists(event.id),
        ticket_types={t.id: t.name for t in event.ticket_types},
        tickets=[PackTicketSource(id=t.id, number=t.number, ticket_type_id=t.ticket_type_id,
                                  holder=t.holder, revocation=revocation(t, orders_of.get(
                                      t.order_id), event.status is EventStatus.CANCELLED,
                                      event.name))
                 for t in tickets],
        scans=scans, seal=seal, only_list=only_list)


def may_work_the_door(uow: UnitOfWork, principal: Principal, event_reference: str) -> Event:
    """The event, if the principal may work its door (its organizer, its team, an admin):
    a pack holds every ticket of the event, a sync writes into its scan log."""
    event = catalog.find_event(uow, event_reference)
    if event is None:
        raise NotFound("event", event_reference)
    catalog.require(uow, principal, event.id, Act.SCAN, organizer_id=event.organizer_id,
                    refusal=f"the door of E{event.number} is for its team (door, clerk, "
                            "co-organizer) and its organizer")
    return event


def revocation(ticket: Ticket, order: Order | None, event_cancelled: bool,
               event_name: str) -> Revocation | None:
    """Why the ticket no longer opens the door, in the online door's words; None if it
    does."""
    if ticket.status is TicketStatus.VOIDED:
        return Revocation(ticket.id, "voided", "the ticket was voided (cancelled, "
                          "refunded or transferred)", order.cancel_requested_at
                          or order.cancelled_at if order else None)
    if event_cancelled:
        return Revocation(ticket.id, "event_cancelled", f"{event_name} was cancelled", None)
    if order is None or not order.admits:
        at = (order.cancel_requested_at or order.cancelled_at) if order else None
        if order is not None and order.status is OrderStatus.CANCELLED:
            reason = (f"order {order.number} was cancelled"
                      + (" and refunded" if order.refunded_amount else ""))
            return Revocation(ticket.id, "order_cancelled", reason, at)
        if order is not None and order.status is OrderStatus.COMPLETED:
            return Revocation(ticket.id, "order_cancelled",
                              f"order {order.number} is being cancelled", at)
        return Revocation(ticket.id, "order_not_paid",
                          f"order {order.number if order else '?'} is not paid", at)
    return None
