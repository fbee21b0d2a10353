"""The intents of the vouchers module: a use taken with a sale, given back when undone.

Recorded by `tix.core.vouchers.public`; the unit of work applies them at commit (see
`tix.core.intents`), so a use is taken in the same commit as the hold or order it is for,
and the last use goes to one buyer only however many race for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tix.core.intents import Intent


@dataclass(frozen=True)
class RedeemVoucher(Intent):
    """Take one use of the voucher — refused unless one is left and it is not voided."""

    voucher_id: str
    code: str  # for the refusal's words


@dataclass(frozen=True)
class GiveBackVoucher(Intent):
    """Give one use back (a released or expired hold, a failed or cancelled order).
    Never refused; never above the voucher's maximum."""

    voucher_id: str
