"""What the tickets module needs from storage, and from the mail it sends."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from tix.core.notifications.model import AttachmentRef
from tix.core.tickets.door import CheckinList, Scan, TicketDoorState
from tix.core.tickets.model import Ticket, TicketAtDoor

if TYPE_CHECKING:  # tix.core.ports gathers this module's Tickets: no import at run time
    from tix.core.ports import UnitOfWork


class Tickets(Protocol):
    def add_all(self, tickets: list[Ticket]) -> set[str]:
        """Store new tickets in one statement; returns the ids stored (a seat of the order
        that already has a ticket is skipped)."""
        ...

    def add_numbered(self, tickets: list[Ticket], event_number: int) -> set[str]:
        """Give new tickets of one event the next numbers of its series (which stays
        locked to this transaction) and store them, as `add_all`."""
        ...

    def get(self, reference: str) -> Ticket | None:
        """By id or readable number (E12-000123)."""
        ...

    def of_order(self, order_id: str) -> list[Ticket]: ...

    def of_orders(self, order_ids: list[str]) -> dict[str, list[Ticket]]:
        """Each order's tickets in seat order, in one read (orders without any left out)."""
        ...

    def of_user(self, user_id: str, limit: int | None) -> list[Ticket]:
        """Newest first; limit None: all of them."""
        ...

    def erase_holders(self, user_id: str) -> int:
        """GDPR: the holder names on the user's tickets become "(erased)"."""
        ...

    def admit(self, ticket_id: str, by: str, now: datetime) -> bool:
        """VALID → USED, once: False if it was not VALID."""
        ...

    def admitted(self, event_id: str) -> int:
        """Tickets of the event checked in so far."""
        ...

    def void_order(self, order_id: str) -> list[str]:
        """VALID tickets of the order → VOIDED; returns their ids."""
        ...

    def void(self, ticket_id: str) -> bool:
        """VALID → VOIDED, once: False if it was not VALID."""
        ...

    def set_holder(self, ticket_id: str, holder: str) -> bool:
        """The name on a ticket not voided; False if it is voided (or unknown)."""
        ...

    # the door: check-in lists, the server's scan log, and each ticket's state in step

    def of_event(self, event_id: str) -> list[Ticket]:
        """Every ticket of the event, in number order (holders decrypted)."""
        ...

    def at_door(self, event_id: str, *, holders: bool, batch: int
                ) -> Iterator[Sequence[TicketAtDoor]]:
        """Every ticket of the event in number order, `batch` at a time and never all at
        once (the attendee list of any size), with its first admission; `holders` False:
        the names are not read (nor decrypted)."""
        ...

    def count_of_event(self, event_id: str) -> int:
        """How many tickets the event has issued, in any state."""
        ...

    def holders_of(self, event_id: str, ticket_type_id: str | None = None) -> list[str]:
        """The buyers (user ids) of the event's tickets that may still come in (VALID or
        USED), of one type or of all, each once."""
        ...

    def types_of_event(self, event_id: str) -> dict[str, int]:
        """How many tickets that may still come in (VALID or USED) of each ticket type."""
        ...

    def lists(self, event_id: str) -> list[CheckinList]:
        """The event's stored check-in lists by name ("main" is never stored)."""
        ...

    def add_list(self, checkin_list: CheckinList, now: datetime) -> bool:
        """False if the event has a list of that name already."""
        ...

    def remove_list(self, event_id: str, name: str) -> bool: ...

    def scans_of(self, ticket_id: str) -> list[Scan]:
        """The ticket's scans, as recorded (any order)."""
        ...

    def add_scans(self, scans: Sequence[Scan], now: datetime) -> set[str]:
        """Append scans to the log; a scan whose id is there already is skipped. Returns
        the ids appended."""
        ...

    def scans_since(self, event_id: str, cursor: int, limit: int) -> list[tuple[int, Scan]]:
        """The event's scans appended after `cursor`, each with its place in the log."""
        ...

    def set_door_state(self, ticket_id: str, state: TicketDoorState) -> None:
        """Keep the ticket in step with its scans: USED with the standing admission's time
        and clerk, or VALID when none stands (a VOIDED ticket stays VOIDED), and the lists
        it was admitted by and is inside through."""
        ...

    def door_counts(self, event_id: str) -> dict[str, tuple[int, int]]:
        """Per list name: (tickets whose standing admission was on it, inside through it)."""
        ...


class MailQueue(Protocol):
    """Where the buyer's tickets are mailed from: the notifications module's service,
    handed in by the wiring, so that this module needs nothing of its insides."""

    public_url: str  # the links in a mail point there

    def queue(self, uow: UnitOfWork, *, to: str, template: str,
              context: Mapping[str, object], user_id: str | None = None,
              attachments: Sequence[AttachmentRef] = ()) -> object:
        """Render a mail and store it inside the caller's transaction."""
        ...
