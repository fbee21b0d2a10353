"""Intents: what a unit of work takes and gives back, applied by its commit, last.

A sale ends by taking something everyone else wants too — tickets out of a stock row, a
hold used up, and later a voucher's use or a seat. Those rows are every buyer's
bottleneck, so a service does not change them itself: it records an intent on the unit
of work, and `commit()` applies every intent after the rest of the work is written,
holding the contended locks only for the changes and the commit (on PostgreSQL, in the
same round trip as the commit).

Some intents are conditional (enough tickets left, the hold still active): when one no
longer holds, `commit()` raises `IntentRefused` naming it, and nothing of the work is
committed. The modules define the intents they own (inventory: stock and holds).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Intent:
    """Something a unit of work takes or gives back when it commits."""


class IntentRefused(Exception):
    """A conditional intent no longer held at commit; nothing was committed."""

    def __init__(self, intent: Intent) -> None:
        super().__init__(f"refused at commit: {intent}")
        self.intent = intent
