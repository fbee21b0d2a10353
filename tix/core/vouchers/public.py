"""What other core modules may ask of vouchers, in their own unit of work.

A sale that comes with a code calls `redeem` before it commits: the code is checked for
the basket and one use is taken as an intent, so it is taken with the commit of the hold
or order or not at all. Every way that sale is undone (a released or expired hold, a
failed or cancelled order) calls `give_back`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tix.core.catalog.model import TicketTypeView
from tix.core.errors import TixError
from tix.core.intents import IntentRefused
from tix.core.ports import UnitOfWork
from tix.core.vouchers.intents import GiveBackVoucher, RedeemVoucher
from tix.core.vouchers.model import (
    Voucher,
    check_unlocked,
    check_usable,
    normal_code,
    used_up,
)

__all__ = ["give_back", "redeem", "refusal", "voucher"]


def redeem(uow: UnitOfWork, code: str | None, lines: Sequence[tuple[TicketTypeView, int]],
           now: datetime) -> Voucher | None:
    """The voucher of `code` for these lines (ticket types of one event, quantities),
    its use taken with the commit; None without a code. Refused when the code does not
    fit the basket, or a hidden type is asked for without a code that unlocks it."""
    voucher = None
    if code is not None and code.strip():
        first = lines[0][0]
        # A popular code is read by every sale: its terms may come from a moment ago,
        # since the commit's intent alone takes the use (and refuses a voided code)
        found = uow.vouchers.terms(first.event_id, normal_code(code))
        voucher = check_usable(found, code, first.event_number, lines, now)
        uow.intend(RedeemVoucher(voucher.id, voucher.code))
    check_unlocked([ticket_type for ticket_type, _ in lines], voucher)
    return voucher


def give_back(uow: UnitOfWork, voucher_id: str | None) -> None:
    """The use a sale took, back with the commit (nothing without a voucher)."""
    if voucher_id is not None:
        uow.intend(GiveBackVoucher(voucher_id))


def voucher(uow: UnitOfWork, voucher_id: str) -> Voucher | None:
    return uow.vouchers.get(voucher_id)


def refusal(refused: IntentRefused) -> TixError | None:
    """The buyer's words for a voucher intent refused at commit (the last use went to
    someone else meanwhile); None for another module's intent."""
    if isinstance(refused.intent, RedeemVoucher):
        return used_up(refused.intent.code)
    return None
