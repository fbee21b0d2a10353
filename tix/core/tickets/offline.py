"""The door with no database and no network: a ticket's code checked against a door pack
and what this device knows of the door (its own scans, and those merged in from other
devices and the server), in the very words of the online door (`door.decide`).

And the merge of every device's scans: the union, replayed in (at, device, id) order;
a ticket let in at two gates while they were apart is a conflict, the first admission
stands. Merging the same logs again, or in another order, gives the same outcome.

Pure: the verifier is the tickets' public key, the scans come and go as values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tix.core.errors import EntryRefused
from tix.core.ids import new_id
from tix.core.tickets.door import (
    CheckinList,
    Scan,
    ScanKind,
    TicketDoorState,
    decide,
    local_time,
    scan_order,
    ticket_state,
)
from tix.core.tickets.door_pack import DoorPack, PackTicket
from tix.core.tickets.model import ReadPayload, Signer, read_payload


@dataclass(frozen=True)
class OfflineVerdict:
    scan: Scan  # what goes into the device's log (REFUSE for a refusal)
    ticket: PackTicket | None  # None: a code that names no ticket of the pack
    refusal: EntryRefused | None  # None: the scan happened

    @property
    def admitted(self) -> bool:
        return self.refusal is None and self.scan.kind is ScanKind.ADMIT


class OfflineDoor:
    """One device at one list of the pack's event."""

    def __init__(self, pack: DoorPack, verifier: Signer, *, device: str,
                 list_name: str = "main", clerk: str = "",
                 known: Iterable[Scan] = ()) -> None:
        self.pack = pack
        self.device = device
        self.clerk = clerk
        self.checkin_list: CheckinList = pack.checkin_list(list_name)
        self._verifier = verifier
        self._by_number = {t.number: t for t in pack.tickets}
        self._history: dict[str, dict[str, Scan]] = {}
        self.learn(pack.scans)
        self.learn(known)

    def learn(self, scans: Iterable[Scan]) -> None:
        """Scans seen elsewhere (the server's, another device's): each counts once."""
        for scan in scans:
            if scan.event_id == self.pack.event_id:
                self._history.setdefault(scan.ticket_id, {})[scan.id] = scan

    def forget(self, scan: Scan) -> None:
        """A scan that was not recorded after all (its log could not be written)."""
        self._history.get(scan.ticket_id, {}).pop(scan.id, None)

    def state(self, ticket_id: str) -> TicketDoorState:
        return ticket_state(list(self._history.get(ticket_id, {}).values()))

    def find(self, reference: str) -> PackTicket | None:
        """A ticket of the pack by its number (E12-000123) or id."""
        reference = reference.strip()
        return self._by_number.get(reference.upper()) or self.pack.ticket(reference)

    def scan(self, payload: str, now: datetime, *, kind: ScanKind = ScanKind.ADMIT,
             reason: str = "") -> OfflineVerdict:
        """Check a scanned code (or, for an exit or an undo, a ticket number too)."""
        read = read_payload(payload, self._verifier)
        ticket = None
        if read is not None:
            ticket = self.pack.ticket(read.ticket_id)
        elif kind is not ScanKind.ADMIT:
            ticket = self.find(payload)
        if ticket is None:
            ticket_id = read.ticket_id if read is not None else ""
            return self._verdict(ticket_id, None, ScanKind.REFUSE, now,
                                 self._unknown(read, payload), reason)
        refusal = self._revoked(ticket.id) or decide(
            self.checkin_list, ticket.ticket_type_id, self.state(ticket.id), kind,
            zone=self.pack.timezone, type_names=self.pack.ticket_types)
        return self._verdict(ticket.id, ticket, ScanKind.REFUSE if refusal else kind, now,
                             refusal, reason)

    def _unknown(self, read: ReadPayload | None, payload: str) -> EntryRefused:
        if read is None:
            return EntryRefused("forged or damaged code", code="forged")
        if read.event_number != self.pack.event_number:
            return EntryRefused(f"this ticket is for another event (E{read.event_number})",
                                code="wrong_event")
        return EntryRefused("unknown ticket: not in this door pack (sold after it was "
                            "made?): make a fresh pack or check it in online",
                            code="unknown_ticket")

    def _revoked(self, ticket_id: str) -> EntryRefused | None:
        revocation = self.pack.revoked.get(ticket_id)
        if revocation is None:
            return None
        return EntryRefused(revocation.reason, code=revocation.code)

    def _verdict(self, ticket_id: str, ticket: PackTicket | None, kind: ScanKind,
                 now: datetime, refusal: EntryRefused | None, reason: str) -> OfflineVerdict:
        scan = Scan(id=new_id(), event_id=self.pack.event_id, ticket_id=ticket_id, kind=kind,
                    at=now, device=self.device, list_name=self.checkin_list.name,
                    by=self.clerk,
                    reason=refusal.message if refusal else reason,
                    code=refusal.code if refusal else "")
        if ticket_id:
            self.learn([scan])
        return OfflineVerdict(scan=scan, ticket=ticket, refusal=refusal)


# -- merging -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A ticket let in twice while the doors were apart: the first admission stands."""

    ticket_id: str
    number: str
    first: Scan
    second: Scan

    def describe(self, zone: str) -> str:
        return (f"{self.number or self.ticket_id} entered at {self.first.device} "
                f"{local_time(self.first.at, zone)} and {self.second.device} "
                f"{local_time(self.second.at, zone)}")


@dataclass(frozen=True)
class Merged:
    scans: tuple[Scan, ...]  # every scan once, in (at, device, id) order
    states: Mapping[str, TicketDoorState]  # by ticket id
    conflicts: tuple[Conflict, ...]  # in the order of their second admission

    @property
    def inside(self) -> int:
        return sum(1 for s in self.states.values() if s.inside)

    @property
    def admitted(self) -> int:
        return sum(1 for s in self.states.values() if s.admitted)


def merge(*scan_sets: Iterable[Scan], numbers: Mapping[str, str] | None = None) -> Merged:
    """The union of every set (a scan seen in several counts once), replayed per ticket.

    Whatever the order of the sets and of the scans in them, and however often one set
    is given, the outcome is the same: it depends on the union alone.
    """
    unique: dict[str, Scan] = {}
    for scans in scan_sets:
        for scan in scans:
            unique.setdefault(scan.id, scan)
    ordered = sorted(unique.values(), key=scan_order)
    by_ticket: dict[str, list[Scan]] = {}
    for scan in ordered:
        if scan.ticket_id:
            by_ticket.setdefault(scan.ticket_id, []).append(scan)
    states: dict[str, TicketDoorState] = {}
    conflicts: list[Conflict] = []
    for ticket_id, history in by_ticket.items():
        state = states[ticket_id] = ticket_state(history)
        if state.duplicates:
            conflicts.extend(_conflicts(ticket_id, (numbers or {}).get(ticket_id, ""),
                                        history, state.duplicates))
    conflicts.sort(key=lambda c: scan_order(c.second))
    return Merged(scans=tuple(ordered), states=states, conflicts=tuple(conflicts))


def _conflicts(ticket_id: str, number: str, history: Sequence[Scan],
               duplicates: Sequence[Scan]) -> list[Conflict]:
    """Each duplicate admission with the admission it found inside: the last admission
    before it that stands (replayed up to it)."""
    found = []
    for duplicate in duplicates:
        before = [s for s in history if scan_order(s) < scan_order(duplicate)]
        entered = ticket_state(before).entered
        if entered is not None:
            found.append(Conflict(ticket_id=ticket_id, number=number, first=entered,
                                  second=duplicate))
    return found


REVOKED_CODES = frozenset({"voided", "order_cancelled", "order_not_paid", "event_cancelled"})


def stale_revocations(pack: DoorPack, scans: Iterable[Scan]) -> list[str]:
    """The numbers of tickets another door refused as revoked that this pack still
    admits: a sign it is older than a revocation the merged logs know."""
    found = {s.ticket_id for s in scans
             if s.kind is ScanKind.REFUSE and s.code in REVOKED_CODES and s.ticket_id
             and s.ticket_id not in pack.revoked and pack.ticket(s.ticket_id) is not None}
    return sorted(pack.ticket(t).number for t in found)  # type: ignore[union-attr]
