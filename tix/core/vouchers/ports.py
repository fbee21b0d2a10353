"""What the vouchers module needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from tix.core.vouchers.model import Voucher


class Vouchers(Protocol):
    def add(self, vouchers: list[Voucher]) -> list[str]:
        """Store new vouchers; returns the codes already taken in their event (then
        nothing is stored)."""
        ...

    def by_code(self, event_id: str, code: str) -> Voucher | None:
        """The event's voucher of this code (in normal form)."""
        ...

    def events_with_code(self, code: str) -> list[tuple[str, bool]]:
        """The events that have a voucher of this code (in normal form), each with
        whether that voucher is voided."""
        ...

    def terms(self, event_id: str, code: str) -> Voucher | None:
        """The voucher as `by_code` gives it, or as it was read a moment ago (a sale's
        check of the code; its uses left may be a moment old: the commit settles them)."""
        ...

    def get(self, voucher_id: str) -> Voucher | None: ...

    def of_event(self, event_id: str) -> list[Voucher]:
        """The event's vouchers, newest first."""
        ...

    def void(self, voucher_id: str, now: datetime) -> bool:
        """Voided from now on, once; False if it already was."""
        ...
