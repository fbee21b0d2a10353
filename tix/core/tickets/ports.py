"""What the tickets module needs from storage, and from the mail it sends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from tix.core.notifications.model import AttachmentRef
from tix.core.tickets.model import Ticket

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


class MailQueue(Protocol):
    """Where the buyer's tickets are mailed from: the notifications module's service,
    handed in by the wiring, so that this module needs nothing of its insides."""

    public_url: str  # the links in a mail point there

    def queue(self, uow: UnitOfWork, *, to: str, template: str,
              context: Mapping[str, object], user_id: str | None = None,
              attachments: Sequence[AttachmentRef] = ()) -> object:
        """Render a mail and store it inside the caller's transaction."""
        ...
