"""Stock levels in SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    Update,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from tix.adapters.db.rows.base import check_named, table_of
from tix.adapters.db.rows.catalog import TicketTypeRow
from tix.adapters.db.rows.inventory import (
    HoldLineRow,
    HoldRow,
    QuotaRow,
    QuotaTypeRow,
    StockRow,
)
from tix.core.inventory.model import Hold, HoldLine, HoldStatus, QuotaLevel
from tix.core.inventory.ports import StockLevel


def tickets_left() -> ColumnElement[int]:
    """A ticket type's tickets left, in SQL over its stock row: its own, or fewer when a
    quota it draws on has fewer (for every query that shows availability)."""
    fewest = (select(func.min(QuotaRow.available))
              .join(QuotaTypeRow, QuotaTypeRow.quota_id == QuotaRow.id)
              .where(QuotaTypeRow.ticket_type_id == StockRow.ticket_type_id)
              .scalar_subquery())
    # NULL (no quota) compares as unknown: the type's own count
    return case((fewest < StockRow.available, fewest), else_=StockRow.available)


def capacity_left(event_id: Any) -> ColumnElement[int]:
    """An event's capacity left (NULL without one), in SQL: what caps its types' sum."""
    return (select(QuotaRow.available)
            .where(QuotaRow.event_id == event_id, QuotaRow.name.is_(None))
            .scalar_subquery())


# A sale reads the quotas of each ticket type it takes: remembered per process (see
# SqlStock.quotas_of), a few thousand types at most before starting afresh.
QUOTAS_KNOWN = 10_000
_quotas_of_type: dict[str, tuple[str, ...]] = {}
_CREATED_TYPES = "tix.quota_members_added"  # session.info: types joined to a quota here


class SqlStock:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, ticket_type_id: str, quantity: int) -> None:
        self._session.execute(insert(StockRow).values(
            ticket_type_id=ticket_type_id, quantity=quantity, available=quantity))

    def resize(self, ticket_type_id: str, quantity: int) -> bool:
        """Change the quantity; refused (False) below what is already sold or held."""
        result = self._session.execute(
            update(StockRow)
            .where(StockRow.ticket_type_id == ticket_type_id,
                   StockRow.quantity - StockRow.available <= quantity)
            .values(available=StockRow.available + (quantity - StockRow.quantity),
                    quantity=quantity))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def levels(self, ticket_type_ids: list[str]) -> dict[str, StockLevel]:
        rows = self._session.execute(select(StockRow.ticket_type_id, StockRow.quantity,
                                            tickets_left().label("available"))
                                     .where(StockRow.ticket_type_id.in_(ticket_type_ids)))
        return {r.ticket_type_id: StockLevel(r.ticket_type_id, r.quantity, r.available)
                for r in rows}

    def add_quota(self, event_id: str, quota: QuotaLevel) -> None:
        self._session.execute(insert(QuotaRow).values(
            id=quota.id, event_id=event_id, name=quota.name, quantity=quota.quantity,
            available=quota.quantity))
        for ticket_type_id in quota.ticket_type_ids:
            self.join_quota(quota.id, ticket_type_id)

    def join_quota(self, quota_id: str, ticket_type_id: str) -> None:
        self._session.execute(insert(QuotaTypeRow).values(
            quota_id=quota_id, ticket_type_id=ticket_type_id))
        self._session.info.setdefault(_CREATED_TYPES, set()).add(ticket_type_id)

    def resize_quota(self, quota_id: str, quantity: int) -> bool:
        result = self._session.execute(
            update(QuotaRow)
            .where(QuotaRow.id == quota_id, QuotaRow.quantity - QuotaRow.available <= quantity)
            .values(available=QuotaRow.available + (quantity - QuotaRow.quantity),
                    quantity=quantity))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def quotas_of(self, ticket_type_id: str) -> list[str]:
        """Read once per process: a ticket type's quotas are fixed in the transaction
        that creates it (the catalog lets no type already on sale join or leave one, nor
        a quota be added over such types), so every later sale finds the same ones."""
        known = _quotas_of_type.get(ticket_type_id)
        if known is None:
            known = tuple(self._session.scalars(
                select(QuotaTypeRow.quota_id)
                .where(QuotaTypeRow.ticket_type_id == ticket_type_id)
                .order_by(QuotaTypeRow.quota_id)))
            if len(_quotas_of_type) >= QUOTAS_KNOWN:
                _quotas_of_type.clear()
            # a type created in this transaction is not yet everyone's: not remembered
            if self._session.info.get(_CREATED_TYPES, set()).isdisjoint({ticket_type_id}):
                _quotas_of_type[ticket_type_id] = known
        return list(known)

    def quotas(self, event_id: str) -> list[QuotaLevel]:
        rows = list(self._session.scalars(select(QuotaRow).where(QuotaRow.event_id == event_id)))
        members: dict[str, list[str]] = {row.id: [] for row in rows}
        if rows:
            for quota_id, ticket_type_id in self._session.execute(
                    select(QuotaTypeRow.quota_id, QuotaTypeRow.ticket_type_id)
                    .where(QuotaTypeRow.quota_id.in_(list(members)))):
                members[quota_id].append(ticket_type_id)
        quotas = [QuotaLevel(row.id, row.name, row.quantity, row.available,
                             tuple(sorted(members[row.id]))) for row in rows]
        return sorted(quotas, key=lambda q: (q.name is not None, q.name or ""))


# The statements of the inventory's intents (applied by the unit of work's commit, see
# tix.adapters.db.intents), each written once for both databases. The names of their
# parameters are not columns': an UPDATE reserves those.

def _taking(table: Any, key: Any, key_name: str) -> Update:
    """The conditional decrement of a counter row (`available`): taken only if that many
    are left, never below zero — the one place the rule is written."""
    return (update(table).where(key == bindparam(key_name),
                                table.available >= bindparam("taken"))
            .values(available=table.available - bindparam("taken"))
            .execution_options(synchronize_session=False))


def _giving_back(table: Any, key: Any, key_name: str) -> Update:
    """The increment of a counter row (`available`) by what is given back."""
    return (update(table).where(key == bindparam(key_name))
            .values(available=table.available + bindparam("given"))
            .execution_options(synchronize_session=False))


def _taking_refused_by_check(table: Any, key: Any, key_name: str) -> Update:
    """The same decrement without its condition, for the one query that ends a sale on
    PostgreSQL: the row's CHECK (available >= 0) refuses it there instead — a plain
    UPDATE costs the server a third less than one wrapped to fail when it changed nothing.
    A type's stock row is made and deleted with the type, so the decrement finds it; a
    quota deleted meanwhile has nothing left to keep."""
    return (update(table).where(key == bindparam(key_name))
            .values(available=table.available - bindparam("taken"))
            .execution_options(synchronize_session=False))


# The hot rows of a sale: the type's stock, and each quota's (taken from in the same commit).
TAKE_STOCK = _taking(StockRow, StockRow.ticket_type_id, "type_id")
TAKE_STOCK_CHECKED = _taking_refused_by_check(StockRow, StockRow.ticket_type_id, "type_id")
STOCK_NOT_NEGATIVE = check_named(StockRow, "available_not_negative")
GIVE_BACK_STOCK = _giving_back(StockRow, StockRow.ticket_type_id, "type_id")
TAKE_QUOTA = _taking(QuotaRow, QuotaRow.id, "quota_id")
TAKE_QUOTA_CHECKED = _taking_refused_by_check(QuotaRow, QuotaRow.id, "quota_id")
QUOTA_NOT_NEGATIVE = check_named(QuotaRow, "available_not_negative")
GIVE_BACK_QUOTA = _giving_back(QuotaRow, QuotaRow.id, "quota_id")

# What one buyer (:user) holds of a ticket type (:type) or of an event's types (:event),
# in holds active at :now: read by the repository, and counted again by the per-person
# limit's check at commit (tix.adapters.db.intents).
_ACTIVE_HOLD_OF_USER = (HoldRow.user_id == bindparam("user"),
                        HoldRow.status == HoldStatus.ACTIVE.value,
                        HoldRow.expires_at > bindparam("now"))
HELD_OF_TYPE = (select(func.coalesce(func.sum(HoldLineRow.quantity), 0))
                .join(HoldRow, HoldRow.id == HoldLineRow.hold_id)
                .where(HoldLineRow.ticket_type_id == bindparam("type"),
                       *_ACTIVE_HOLD_OF_USER))
HELD_IN_EVENT = (select(func.coalesce(func.sum(HoldLineRow.quantity), 0))
                 .join(HoldRow, HoldRow.id == HoldLineRow.hold_id)
                 .join(TicketTypeRow, TicketTypeRow.id == HoldLineRow.ticket_type_id)
                 .where(TicketTypeRow.event_id == bindparam("event"), *_ACTIVE_HOLD_OF_USER))

# A hold is used up by one sale only: the first to change it from ACTIVE.
USE_HOLD = (update(HoldRow)
            .where(HoldRow.id == bindparam("hold_id"),
                   HoldRow.status == HoldStatus.ACTIVE.value)
            .values(status=HoldStatus.CONVERTED.value)
            .execution_options(synchronize_session=False))


class SqlHolds:
    def __init__(self, session: Session, *,
                 insert_later: Callable[[tuple[Table, dict[str, Any]]], None]) -> None:
        self._session = session
        self._insert_later = insert_later

    def add(self, hold: Hold) -> None:
        """Store a new hold with its lines, when the unit of work writes what it recorded:
        on PostgreSQL in the one query that takes its tickets."""
        self._insert_later((table_of(HoldRow), {
            "id": hold.id, "user_id": hold.user_id, "created_at": hold.created_at,
            "expires_at": hold.expires_at, "status": hold.status.value,
            "voucher_id": hold.voucher_id}))
        for position, line in enumerate(hold.lines):
            self._insert_later((table_of(HoldLineRow), {
                "hold_id": hold.id, "position": position,
                "ticket_type_id": line.ticket_type_id, "quantity": line.quantity}))

    def get(self, hold_id: str, *, lock: bool = False) -> Hold | None:
        query = select(HoldRow).where(HoldRow.id == hold_id)
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        return None if row is None else self._holds([row])[0]

    def held_by(self, user_id: str, ticket_type_id: str, now: datetime) -> int:
        return int(self._session.scalar(HELD_OF_TYPE, {
            "user": user_id, "type": ticket_type_id, "now": now}) or 0)

    def held_in_event(self, user_id: str, event_id: str, now: datetime) -> int:
        return int(self._session.scalar(HELD_IN_EVENT, {
            "user": user_id, "event": event_id, "now": now}) or 0)

    def take_expired(self, now: datetime, limit: int) -> list[Hold]:
        rows = list(self._session.scalars(
            select(HoldRow)
            .where(HoldRow.status == HoldStatus.ACTIVE.value, HoldRow.expires_at <= now)
            .order_by(HoldRow.expires_at).limit(limit)
            .with_for_update(skip_locked=True)))
        if rows:
            self._session.execute(update(HoldRow)
                                  .where(HoldRow.id.in_([r.id for r in rows]),
                                         HoldRow.status == HoldStatus.ACTIVE.value)
                                  .values(status=HoldStatus.EXPIRED.value))
        return self._holds(rows)

    def release(self, hold_id: str) -> bool:
        result = self._session.execute(update(HoldRow).where(
            HoldRow.id == hold_id, HoldRow.status == HoldStatus.ACTIVE.value
        ).values(status=HoldStatus.RELEASED.value))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def forget_of_users(self, user_ids: list[str]) -> int:
        over = select(HoldRow.id).where(HoldRow.user_id.in_(user_ids),
                                        HoldRow.status != HoldStatus.ACTIVE.value)
        self._session.execute(delete(HoldLineRow).where(HoldLineRow.hold_id.in_(over)))
        result = self._session.execute(delete(HoldRow).where(
            HoldRow.user_id.in_(user_ids), HoldRow.status != HoldStatus.ACTIVE.value))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def held_per_type(self, ticket_type_ids: list[str], now: datetime) -> dict[str, int]:
        rows = self._session.execute(
            select(HoldLineRow.ticket_type_id, func.sum(HoldLineRow.quantity))
            .join(HoldRow, HoldRow.id == HoldLineRow.hold_id)
            .where(HoldLineRow.ticket_type_id.in_(ticket_type_ids),
                   HoldRow.status == HoldStatus.ACTIVE.value)
            .group_by(HoldLineRow.ticket_type_id))
        return {ticket_type_id: int(total or 0) for ticket_type_id, total in rows}

    def _holds(self, rows: list[HoldRow]) -> list[Hold]:
        """The holds of these rows, with their lines (one query for all)."""
        lines: dict[str, list[HoldLine]] = {row.id: [] for row in rows}
        if rows:
            for line in self._session.scalars(
                    select(HoldLineRow).where(HoldLineRow.hold_id.in_(list(lines)))
                    .order_by(HoldLineRow.hold_id, HoldLineRow.position)):
                lines[line.hold_id].append(HoldLine(line.ticket_type_id, line.quantity))
        return [Hold(id=row.id, user_id=row.user_id, lines=lines[row.id],
                     created_at=row.created_at, expires_at=row.expires_at,
                     status=HoldStatus(row.status), voucher_id=row.voucher_id)
                for row in rows]

