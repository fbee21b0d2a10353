"""The door's vocabulary, shared by the online check-in and the offline one: what a scan
is, what a check-in list admits, where a ticket stands after its scans, and whether the
next scan may happen. Pure: no I/O, no clock, no storage, so that a server and a door
device with no network say and decide exactly the same.

A ticket's history is its scans replayed in (at, device, id) order, whoever recorded them
and in whatever order they arrived: merging logs never changes the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from tix.core.errors import EntryRefused

MAIN_LIST = "main"
"""Every event's default list: every ticket type, no re-entry."""


class ScanKind(StrEnum):
    ADMIT = "ADMIT"
    EXIT = "EXIT"  # went out; back in only on a list with re-entry
    UNDO = "UNDO"  # the last admission taken back (a wrong scan), with a reason
    REFUSE = "REFUSE"  # a refused scan, recorded too (with its code)


@dataclass(frozen=True)
class CheckinList:
    """Who a door (a gate, a list of the event) lets in."""

    event_id: str
    name: str
    ticket_type_ids: frozenset[str] = frozenset()  # empty: every type
    reentry: bool = False

    def admits_type(self, ticket_type_id: str) -> bool:
        return not self.ticket_type_ids or ticket_type_id in self.ticket_type_ids


def main_list(event_id: str) -> CheckinList:
    return CheckinList(event_id=event_id, name=MAIN_LIST)


@dataclass(frozen=True)
class Scan:
    """One scan at one door, as recorded (on the server or on a device)."""

    id: str  # uuid: the same scan is the same row however often it is uploaded
    event_id: str
    ticket_id: str
    kind: ScanKind
    at: datetime  # aware UTC
    device: str  # "server", "gate-a"
    list_name: str = MAIN_LIST
    by: str = ""  # the clerk: a user id online, a name or id on a device
    reason: str = ""  # an undo's or a refusal's words; "" otherwise
    code: str = ""  # a refusal's code ("already_in", "wrong_list", ...)
    undoes: str = ""  # an undo: the admission's scan id ("" = the last admission)

    def to_record(self) -> dict[str, str]:
        """Plain strings (for JSON, a file, a row): `Scan.from_record` reads them back."""
        return {"id": self.id, "event_id": self.event_id, "ticket_id": self.ticket_id,
                "kind": self.kind.value, "at": self.at.astimezone(UTC).isoformat(),
                "device": self.device, "list_name": self.list_name, "by": self.by,
                "reason": self.reason, "code": self.code, "undoes": self.undoes}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Scan:
        """ValueError (or KeyError) for a record that is not a scan."""
        at = record["at"]
        moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        if moment.tzinfo is None:
            raise ValueError("a scan's time must say its zone")
        return cls(id=str(record["id"]), event_id=str(record["event_id"]),
                   ticket_id=str(record["ticket_id"]), kind=ScanKind(record["kind"]),
                   at=moment.astimezone(UTC), device=str(record["device"]),
                   list_name=str(record.get("list_name") or MAIN_LIST),
                   by=str(record.get("by") or ""), reason=str(record.get("reason") or ""),
                   code=str(record.get("code") or ""),
                   undoes=str(record.get("undoes") or ""))


def scan_order(scan: Scan) -> tuple[datetime, str, str]:
    """The one order every replay uses."""
    return (scan.at, scan.device, scan.id)


@dataclass(frozen=True)
class TicketDoorState:
    """Where one ticket stands after its scans."""

    inside: bool = False
    admission: Scan | None = None  # the first admission that stands
    entered: Scan | None = None  # the admission that put it inside now (None: outside)
    left: Scan | None = None  # the last exit that counted
    admissions: int = 0  # admissions that stand (not undone)
    duplicates: tuple[Scan, ...] = field(default=())  # admissions while already inside

    @property
    def admitted(self) -> bool:
        return self.admissions > 0


def ticket_state(history: Sequence[Scan]) -> TicketDoorState:
    """Replay one ticket's scans in (at, device, id) order; a scan seen twice counts once.

    An admission while inside changes nothing (it is a duplicate: two gates apart let
    the same ticket in; the first stands). An exit counts only from inside. An undo takes
    back the admission that put the ticket inside (the one it names, if it names one),
    and nothing if that admission is no longer the last move. Refusals change nothing.
    """
    seen: set[str] = set()
    standing: list[Scan] = []  # admissions not undone, in order
    moves: list[Scan] = []  # admissions and exits that counted, in order
    duplicates: list[Scan] = []
    inside = False
    for scan in sorted(history, key=scan_order):
        if scan.id in seen:
            continue
        seen.add(scan.id)
        if scan.kind is ScanKind.ADMIT:
            if inside:
                duplicates.append(scan)
            else:
                inside = True
                standing.append(scan)
                moves.append(scan)
        elif scan.kind is ScanKind.EXIT:
            if inside:
                inside = False
                moves.append(scan)
        elif scan.kind is ScanKind.UNDO:
            last = moves[-1] if moves else None
            if (inside and last is not None
                    and (not scan.undoes or scan.undoes == last.id)):
                moves.pop()
                standing.remove(last)
                inside = False
    exits = [m for m in moves if m.kind is ScanKind.EXIT]
    return TicketDoorState(
        inside=inside, admission=standing[0] if standing else None,
        entered=moves[-1] if inside else None, left=exits[-1] if exits else None,
        admissions=len(standing), duplicates=tuple(duplicates))


def local_time(moment: datetime, zone: str) -> str:
    """20:14 CET: the event's wall clock, with its zone (a zone without a name of letters,
    such as +03, goes by its IANA name)."""
    local = moment.astimezone(ZoneInfo(zone))
    abbreviation = local.strftime("%Z")
    return f"{local:%H:%M} {abbreviation if abbreviation.isalpha() else zone}"


def decide(checkin_list: CheckinList, ticket_type_id: str, state: TicketDoorState,
           kind: ScanKind, *, zone: str = "UTC",
           name_of: Callable[[str], str] | None = None,
           type_names: Mapping[str, str] | None = None) -> EntryRefused | None:
    """None if the scan may happen, else the refusal to show (and record).

    `zone` is the event's time zone (the times said), `name_of` turns a scan's `by` into
    the clerk's name ("Clara"; the `by` itself without it), `type_names` the list's ticket
    type ids into names for a wrong-list refusal.
    """
    def who(scan: Scan) -> str:
        return (name_of(scan.by) if name_of else scan.by) or "someone"

    if kind is ScanKind.ADMIT:
        if not checkin_list.admits_type(ticket_type_id):
            names = sorted((type_names or {}).get(t, t) for t in checkin_list.ticket_type_ids)
            return EntryRefused(f"{checkin_list.name} door admits {', '.join(names)} only",
                                code="wrong_list", list=checkin_list.name)
        if state.inside and state.entered is not None:
            when = local_time(state.entered.at, zone)
            by = who(state.entered)
            return EntryRefused(f"already checked in at {when} by {by}", code="already_in",
                                at=when, by=by)
        if state.admitted and not checkin_list.reentry:
            first = state.admission
            assert first is not None
            when = local_time(first.at, zone)
            left = local_time(state.left.at, zone) if state.left else "?"
            return EntryRefused(
                f"already checked in at {when} by {who(first)}, left at {left}; "
                f"the {checkin_list.name} list allows no re-entry",
                code="no_reentry", at=when, by=who(first), left=left,
                list=checkin_list.name)
        return None
    if kind is ScanKind.EXIT:
        if state.inside:
            return None
        if state.left is not None:
            return EntryRefused(f"not inside: left at {local_time(state.left.at, zone)}",
                                code="not_inside")
        return EntryRefused("not inside: never admitted", code="not_inside")
    if kind is ScanKind.UNDO:
        if state.inside:
            return None
        return EntryRefused("no admission to undo: the ticket is not inside",
                            code="nothing_to_undo")
    return None  # a refusal is recorded as it is
