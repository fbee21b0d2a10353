"""Vouchers in SQL, and the statements of their intents."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, insert, select, update
from sqlalchemy.orm import Session

from tix.adapters.db.rows.base import check_named
from tix.adapters.db.rows.vouchers import VoucherRow
from tix.core.vouchers.model import Voucher

TERMS_FOR = 2.0  # seconds a code's terms read for a sale serve the next sales


class VoucherTerms:
    """Vouchers read for sales, kept a moment in this process: a popular code is read
    by every sale, and the read was a third of a basket's cost before its commit. Safe
    because the commit's conditional UPDATE alone takes a use (and refuses a voided or
    used-up code); voiding in this process forgets the code at once, elsewhere within
    TERMS_FOR."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._kept: dict[tuple[str, str], tuple[float, Voucher]] = {}

    def get(self, event_id: str, code: str) -> Voucher | None:
        kept = self._kept.get((event_id, code))
        if kept is None or self._clock() - kept[0] > TERMS_FOR:
            return None
        return kept[1]

    def keep(self, voucher: Voucher) -> None:
        if len(self._kept) > 10_000:  # many codes (bulk single-use ones): start again
            self._kept.clear()
        self._kept[(voucher.event_id, voucher.code)] = (self._clock(), voucher)

    def forget(self, voucher_id: str) -> None:
        for key, (_, voucher) in list(self._kept.items()):
            if voucher.id == voucher_id:
                del self._kept[key]


class SqlVouchers:
    def __init__(self, session: Session, kept: VoucherTerms | None = None) -> None:
        self._session = session
        self._kept = kept or VoucherTerms()

    def add(self, vouchers: list[Voucher]) -> list[str]:
        if not vouchers:
            return []
        event_ids = {v.event_id for v in vouchers}
        taken = list(self._session.scalars(select(VoucherRow.code).where(
            VoucherRow.event_id.in_(event_ids),
            VoucherRow.code.in_([v.code for v in vouchers]))))
        if taken:
            return sorted(taken)
        self._session.execute(insert(VoucherRow), [_values(v) for v in vouchers])
        return []

    def by_code(self, event_id: str, code: str) -> Voucher | None:
        # A sale with a code reads it: on the connection, by a constant statement
        found = self._session.connection().execute(
            _BY_CODE, {"event_id": event_id, "code": code}).one_or_none()
        return None if found is None else _voucher(found)

    def terms(self, event_id: str, code: str) -> Voucher | None:
        kept = self._kept.get(event_id, code)
        if kept is not None:
            return kept
        found = self.by_code(event_id, code)
        if found is not None and found.uses_left > 0 and found.voided_at is None:
            self._kept.keep(found)  # only a usable code: a refusal is always read fresh
        return found

    def get(self, voucher_id: str) -> Voucher | None:
        row = self._session.get(VoucherRow, voucher_id)
        return None if row is None else _voucher(row)

    def events_with_code(self, code: str) -> list[tuple[str, bool]]:
        rows = self._session.execute(select(VoucherRow.event_id, VoucherRow.voided_at)
                                     .where(VoucherRow.code == code))
        return [(event_id, voided_at is not None) for event_id, voided_at in rows]

    def of_event(self, event_id: str) -> list[Voucher]:
        rows = self._session.scalars(select(VoucherRow).where(VoucherRow.event_id == event_id)
                                     .order_by(VoucherRow.created_at.desc(), VoucherRow.code))
        return [_voucher(row) for row in rows]

    def void(self, voucher_id: str, now: datetime) -> bool:
        result = self._session.execute(update(VoucherRow).where(
            VoucherRow.id == voucher_id, VoucherRow.voided_at.is_(None)).values(voided_at=now))
        self._kept.forget(voucher_id)
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _values(voucher: Voucher) -> dict[str, object]:
    return {"id": voucher.id, "event_id": voucher.event_id, "code": voucher.code,
            "percent": voucher.percent, "amount": voucher.amount,
            "max_uses": voucher.max_uses, "uses_left": voucher.uses_left,
            "per_order": voucher.per_order, "valid_until": voucher.valid_until,
            "unlock_only": voucher.unlock_only,
            "ticket_type_ids": json.dumps(list(voucher.ticket_type_ids)),
            "voided_at": voucher.voided_at, "created_at": voucher.created_at}


_BY_CODE = select(*VoucherRow.__table__.columns).where(
    VoucherRow.event_id == bindparam("event_id"), VoucherRow.code == bindparam("code"))


def _voucher(row: Any) -> Voucher:
    return Voucher(id=row.id, event_id=row.event_id, code=row.code, max_uses=row.max_uses,
                   uses_left=row.uses_left, created_at=row.created_at, percent=row.percent,
                   amount=row.amount, ticket_type_ids=tuple(json.loads(row.ticket_type_ids)),
                   per_order=row.per_order, valid_until=row.valid_until,
                   unlock_only=row.unlock_only, voided_at=row.voided_at)


# The statements of the vouchers' intents (applied by the unit of work's commit, see
# tix.adapters.db.intents). A use is taken only while one is left and the code stands:
# the last use goes to one sale, however many race for it.
REDEEM_VOUCHER = (update(VoucherRow)
                  .where(VoucherRow.id == bindparam("voucher"),
                         VoucherRow.uses_left >= 1, VoucherRow.voided_at.is_(None))
                  .values(uses_left=VoucherRow.uses_left - 1)
                  .execution_options(synchronize_session=False))

# The same, for the one query that ends a sale on PostgreSQL: a plain UPDATE, the row's
# CHECK (uses_left >= 0) refusing it instead of a wrapper that fails when it changed
# nothing — a voided code's count is set below zero so that the check refuses it too.
REDEEM_VOUCHER_CHECKED = (update(VoucherRow)
                          .where(VoucherRow.id == bindparam("voucher"))
                          .values(uses_left=case((VoucherRow.voided_at.is_(None),
                                                  VoucherRow.uses_left - 1), else_=-1))
                          .execution_options(synchronize_session=False))
USES_LEFT_NOT_NEGATIVE = check_named(VoucherRow, "uses_left_not_negative")

# Uses given back never make more than the voucher had (a give-back replayed).
GIVE_BACK_VOUCHER = (update(VoucherRow)
                     .where(VoucherRow.id == bindparam("voucher"))
                     .values(uses_left=case(
                         (VoucherRow.uses_left + bindparam("given") > VoucherRow.max_uses,
                          VoucherRow.max_uses),
                         else_=VoucherRow.uses_left + bindparam("given")))
                     .execution_options(synchronize_session=False))
