"""The intents of the inventory module: stock taken and given back, holds used up.

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
