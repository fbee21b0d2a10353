"""The intents of the inventory module: stock and quotas taken and given back, holds used
up.

Recorded on the unit of work by `tix.core.inventory.public`; the unit of work applies
them at commit (see `tix.core.intents`).
"""

from __future__ import annotations

from dataclasses import dataclass

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
