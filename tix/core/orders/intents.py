"""The intents of the orders module: a cash sale put into its clerk's till by the commit.

Recorded by `tix.core.orders.till.stamp_till`; the unit of work applies them at commit
(see `tix.core.intents`), so a cash sale costs no read of the till before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tix.core.intents import Intent


@dataclass(frozen=True)
class StampTill(Intent):
    """Put the order into its clerk's open till of its currency, the till locked so that
    a close waits for the sale and counts it. Refused when the clerk has a till but none
    open in that currency (the shift ended, or another currency); a clerk who never
    opened one sells in no till."""

    order_id: str
    clerk_id: str
    currency: str
