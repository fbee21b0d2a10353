"""Tills in SQL (a table of the orders module)."""

from __future__ import annotations

from sqlalchemy import bindparam, exc, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from tix.adapters.db.rows.orders import OrderRow, TillRow
from tix.core.errors import RuleViolation
from tix.core.orders.till import Till


class SqlTills:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, till: Till) -> None:
        try:  # the unique index refuses a second open till (the work is then dropped)
            self._session.execute(insert(TillRow).values(
                id=till.id, clerk_id=till.clerk_id, box_office=till.box_office,
                currency=till.currency, opened_at=till.opened_at,
                float_amount=till.float_amount))
        except exc.IntegrityError:
            raise RuleViolation("your till is open already: close it first "
                                "(tix till close --counted AMOUNT)", code="till_open") from None

    def get(self, till_id: str, *, lock: bool = False) -> Till | None:
        query = select(TillRow).where(TillRow.id == till_id)
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _till(row)

    def latest_of(self, clerk_id: str, *, lock: bool = False) -> Till | None:
        # the open one if any (NULL closed_at sorts first), else the last closed
        query = (select(TillRow).where(TillRow.clerk_id == clerk_id)
                 .order_by(TillRow.closed_at.is_(None).desc(), TillRow.opened_at.desc())
                 .limit(1))
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).first()
        return None if row is None else _till(row)

    def close(self, till: Till) -> bool:
        result = self._session.execute(
            update(TillRow).where(TillRow.id == till.id, TillRow.closed_at.is_(None))
            .values(closed_at=till.closed_at, counted=till.counted, expected=till.expected,
                    difference=till.difference))
        return bool(getattr(result, "rowcount", 0))


def _till(row: TillRow) -> Till:
    return Till(id=row.id, clerk_id=row.clerk_id, box_office=row.box_office,
                currency=row.currency, opened_at=row.opened_at, float_amount=row.float_amount,
                closed_at=row.closed_at, counted=row.counted, expected=row.expected,
                difference=row.difference)


# The statement of the StampTill intent (applied by the unit of work's commit, see
# tix.adapters.db.intents): the order into the clerk's open till of its currency, that
# till locked to the commit; no row changed (refused) when the clerk has tills but none
# open in that currency; NULL, and the order in no till, when they never had one.
_OPEN_TILL = (select(TillRow.id)
              .where(TillRow.clerk_id == bindparam("clerk"), TillRow.closed_at.is_(None),
                     TillRow.currency == bindparam("till_currency"))
              .with_for_update().scalar_subquery())
STAMP_TILL = (update(OrderRow)
              .where(OrderRow.id == bindparam("order"),
                     or_(_OPEN_TILL.is_not(None),
                         ~exists().where(TillRow.clerk_id == bindparam("clerk"))))
              .values(till_id=_OPEN_TILL)
              .execution_options(synchronize_session=False))
