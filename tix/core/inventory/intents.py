"""The intents of the inventory module: stock and quotas taken and given back, holds used
up, the per-person limits counted.

Recorded on the unit of work by `tix.core.inventory.public`; the unit of work applies
them at commit (see `tix.core.intents`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tix.core.intents import Intent


@dataclass(frozen=True)
class TakeStock(Intent):
    """Take `quantity` tickets out of availability — refused unless that many are left."""

    ticket_type_id: str
    quantity: int


@dataclass(frozen=True)
class UseHold(Intent):
    """Mark the hold used up by a sale — refused unless it is still active."""

    hold_id: str


@dataclass(frozen=True)
class StayWithinLimit(Intent):
    """The buyer's tickets of a type — with `event_id`, of every type of the event — in
    active holds and in orders paid or being paid, this work's own included, at most
    `limit`; refused otherwise. Counted at commit, one buyer's sales of one type (or
    event) one after the other, so two sales cannot both pass on counts read before
    either was committed; `asked` (this sale's tickets) is for the refusal."""

    user_id: str
    limit: int
    asked: int
    now: datetime
    ticket_type_id: str | None = None
    event_id: str | None = None

    @property
    def key(self) -> str:
        """The buyer's and the type's (or the event's): what the count waits on."""
        scope = self.ticket_type_id if self.event_id is None else f"event:{self.event_id}"
        return f"hold:{self.user_id}:{scope}"


@dataclass(frozen=True)
class GiveBackStock(Intent):
    """Put `quantity` tickets back on sale. Never refused."""

    ticket_type_id: str
    quantity: int


@dataclass(frozen=True)
class TakeQuota(Intent):
    """Take `quantity` tickets out of a shared quota (or the event's capacity) — refused
    unless that many are left in it. Recorded beside the TakeStock of the same sale."""

    quota_id: str
    quantity: int
    ticket_type_id: str  # whose sale took it: the refusal names that type


@dataclass(frozen=True)
class GiveBackQuota(Intent):
    """Put `quantity` tickets back into a quota. Never refused."""

    quota_id: str
    quantity: int
