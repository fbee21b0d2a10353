"""Vouchers and their codes: what a code gives, to whom, how often, until when.

A voucher belongs to one event. It takes a percent or a fixed amount off an order, or
nothing (`unlock_only`): then it only opens hidden ticket types (press, crew, presale).
Each use is one hold or order; `uses_left` counts down from `max_uses` with the commit of
the sale that uses it (tix.core.vouchers.intents) and back up when that sale is undone.

Codes are case-insensitive for buyers: they are stored as `normal_code` makes them
(upper case, no spaces), so a lookup by code is one indexed equality.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tix.core.catalog.model import TicketTypeView
from tix.core.errors import Invalid, NotFound, RuleViolation
from tix.core.orders.model import Discount

MAX_CODE = 40
MAX_USES = 1_000_000
MAX_GENERATED = 10_000
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")


@dataclass
class Voucher:
    id: str
    event_id: str
    code: str  # as normal_code makes it
    max_uses: int
    uses_left: int
    created_at: datetime
    percent: int = 0
    amount: int = 0  # minor units of the event's currency, off one order
    ticket_type_ids: tuple[str, ...] = ()  # the types it is for; () every type
    per_order: int | None = None  # tickets of its types one order may have with it
    valid_until: datetime | None = None
    unlock_only: bool = False
    voided_at: datetime | None = None

    @property
    def discount(self) -> Discount | None:
        """The terms an order keeps, or None for a code that only unlocks."""
        if not self.percent and not self.amount:
            return None
        return Discount(code=self.code, percent=self.percent, amount=self.amount,
                        ticket_type_ids=self.ticket_type_ids)

    @property
    def used(self) -> int:
        return self.max_uses - self.uses_left

    def applies_to(self, ticket_type_id: str) -> bool:
        return not self.ticket_type_ids or ticket_type_id in self.ticket_type_ids

    def unlocks(self, ticket_type_id: str) -> bool:
        """A hidden type opens to a code that names it, or to an unlock-only code of its
        event that names no types (it opens them all)."""
        if ticket_type_id in self.ticket_type_ids:
            return True
        return self.unlock_only and not self.ticket_type_ids


def normal_code(code: str) -> str:
    """The stored form of a code: what a buyer types, whatever its case and spaces."""
    return "".join(code.split()).upper()


def check_code(code: str) -> str:
    normal = normal_code(code)
    if not normal:
        raise Invalid("a code is needed", field="code")
    if len(normal) > MAX_CODE or not CODE_PATTERN.match(normal):
        raise Invalid(f"a code is letters, digits, - and _, at most {MAX_CODE} characters",
                      field="code", limit=MAX_CODE)
    return normal


def check_terms(*, percent: int | None, amount: int | None, unlock_only: bool,
                max_uses: int, per_order: int | None) -> None:
    """What a new voucher must say: one kind of discount (or unlock only), sensible
    counts."""
    given = [name for name, value in (("percent", percent), ("amount", amount))
             if value is not None]
    if unlock_only and given:
        raise Invalid("an unlock-only code gives no discount: no percent or amount",
                      field=given[0])
    if not unlock_only and len(given) != 1:
        raise Invalid("give a percent or an amount (or make the code unlock only)",
                      field="percent")
    if percent is not None and not 1 <= percent <= 100:
        raise Invalid("percent: between 1 and 100", field="percent")
    if amount is not None and amount < 1:
        raise Invalid("amount: more than 0", field="amount")
    if not 1 <= max_uses <= MAX_USES:
        raise Invalid(f"max uses: between 1 and {MAX_USES:,}", field="max_uses")
    if per_order is not None and per_order < 1:
        raise Invalid("per order: at least 1", field="per_order")


def check_usable(voucher: Voucher | None, code: str, event_number: int,
                 lines: Iterable[tuple[TicketTypeView, int]], now: datetime) -> Voucher:
    """The voucher a buyer's code names for this basket, or the refusal in plain words.

    Uses left are checked here for a clear word, and again by the commit (the intent),
    which alone settles a race for the last use."""
    voucher = check_open(voucher, code, event_number, now)
    basket = list(lines)
    covered = sum(quantity for ticket_type, quantity in basket
                  if voucher.applies_to(ticket_type.id))
    if not covered:
        raise RuleViolation(f"code {voucher.code} is not for these tickets",
                            code="voucher_not_applicable", voucher=voucher.code)
    if voucher.per_order is not None and covered > voucher.per_order:
        raise RuleViolation(f"code {voucher.code} is for at most {voucher.per_order} "
                            f"ticket(s) per order, {covered} asked",
                            code="voucher_per_order", voucher=voucher.code,
                            limit=voucher.per_order, asked=covered)
    return voucher


def check_open(voucher: Voucher | None, code: str, event_number: int,
               now: datetime) -> Voucher:
    """The voucher of a buyer's code if it can be used now, whatever the basket: known,
    not voided, not expired, a use left."""
    if voucher is None:
        raise NotFound("code", f"{normal_code(code)} for E{event_number}")
    if voucher.voided_at is not None:
        raise RuleViolation(f"code {voucher.code} was voided", code="voucher_voided",
                            voucher=voucher.code)
    if voucher.valid_until is not None and now >= voucher.valid_until:
        raise RuleViolation(f"code {voucher.code} expired on "
                            f"{voucher.valid_until:%Y-%m-%d %H:%M} UTC",
                            code="voucher_expired", voucher=voucher.code)
    if voucher.uses_left < 1:
        raise used_up(voucher.code)
    return voucher


def used_up(code: str) -> RuleViolation:
    return RuleViolation(f"code {code} has been used up", code="voucher_used_up",
                         voucher=code)


def check_unlocked(lines: Iterable[TicketTypeView], voucher: Voucher | None) -> None:
    """A hidden ticket type is sold only with a code that unlocks it; to anyone else it
    does not exist (the refusal is the one for a type that is not there)."""
    for ticket_type in lines:
        if ticket_type.hidden and (voucher is None or not voucher.unlocks(ticket_type.id)):
            raise NotFound("ticket type", ticket_type.ref)
