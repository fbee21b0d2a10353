"""The intents of a unit of work (tix.core.intents) as SQL statements, and their order.

Each intent is one statement written once (beside its table's repository) and run
either by SQLAlchemy (SQLite, or PostgreSQL without a sale to end) or inside the one
query that ends a sale on PostgreSQL (tix.adapters.db.round_trip; a take there in its
plain form, refused by its row's CHECK constraint).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, Update, bindparam, func, literal, select
from sqlalchemy.orm import Session

from tix.adapters.db.repositories.inventory import (
    GIVE_BACK_QUOTA,
    GIVE_BACK_STOCK,
    HELD_IN_EVENT,
    HELD_OF_TYPE,
    QUOTA_NOT_NEGATIVE,
    STOCK_NOT_NEGATIVE,
    TAKE_QUOTA,
    TAKE_QUOTA_CHECKED,
    TAKE_STOCK,
    TAKE_STOCK_CHECKED,
    USE_HOLD,
)
from tix.adapters.db.repositories.orders import BOUGHT_IN_EVENT, BOUGHT_OF_TYPE
from tix.adapters.db.repositories.tills import STAMP_TILL
from tix.adapters.db.repositories.vouchers import (
    GIVE_BACK_VOUCHER,
    REDEEM_VOUCHER,
    REDEEM_VOUCHER_CHECKED,
    USES_LEFT_NOT_NEGATIVE,
)
from tix.core.intents import Intent, IntentRefused
from tix.core.inventory.intents import (
    GiveBackQuota,
    GiveBackStock,
    StayWithinLimit,
    TakeQuota,
    TakeStock,
    UseHold,
)
from tix.core.orders.intents import StampTill
from tix.core.vouchers.intents import GiveBackVoucher, RedeemVoucher


@dataclass(frozen=True)
class Checked:
    """A conditional statement's plain form, refused by a CHECK constraint of its row
    instead (in the one query that ends a sale): the row is the one whose `key` parameter
    the violation's failing row names."""

    statement: Update
    constraint: str
    key: str


@dataclass(frozen=True)
class IntentStatement:
    intent: Intent
    statement: Update | Select[Any]
    params: dict[str, Any]
    conditional: bool  # refused when it changes (an Update) or finds (a Select) no row
    checked: Checked | None = None


STOCK_CHECKED = Checked(TAKE_STOCK_CHECKED, STOCK_NOT_NEGATIVE, "type_id")
QUOTA_CHECKED = Checked(TAKE_QUOTA_CHECKED, QUOTA_NOT_NEGATIVE, "quota_id")
VOUCHER_CHECKED = Checked(REDEEM_VOUCHER_CHECKED, USES_LEFT_NOT_NEGATIVE, "voucher")


# The per-person limit: one buyer's sales of one type (or event) wait for each other here
# (PostgreSQL; SQLite's writers are one at a time already), then the count — a statement
# of its own, so that it sees what the sale it waited for committed.
LOCK_BUYER = select(func.pg_advisory_xact_lock(func.hashtext(bindparam("key", type_=String))))
WITHIN_TYPE_LIMIT = select(literal(1)).where(
    HELD_OF_TYPE.scalar_subquery() + BOUGHT_OF_TYPE.scalar_subquery() <= bindparam("limit"))
WITHIN_EVENT_LIMIT = select(literal(1)).where(
    HELD_IN_EVENT.scalar_subquery() + BOUGHT_IN_EVENT.scalar_subquery()
    <= bindparam("limit"))


def statements(intents: Iterable[Intent], *, postgres: bool) -> list[IntentStatement]:
    """The statements of `intents`, in the order they are applied.

    A clerk's till first, then the buyer's limits (each buyer's own lock, by key) and
    holds, then the contended rows in one fixed order: stock by
    ticket type, then quotas by id (a sale takes a type's stock before the quotas it
    draws on), so that two commits never wait on each other crosswise. Several takes
    from one quota (a basket of two types sharing it) are one decrement, several
    give-backs of one row one increment.
    """
    tills: list[IntentStatement] = []
    limits: list[StayWithinLimit] = []
    holds: list[IntentStatement] = []
    vouchers: list[IntentStatement] = []  # a popular code's row: after holds, by id
    vouchers_given: dict[str, int] = {}
    takes: list[IntentStatement] = []
    given: dict[str, int] = {}
    quota_takes: dict[str, TakeQuota] = {}
    quota_given: dict[str, int] = {}
    for intent in intents:
        if isinstance(intent, StampTill):
            tills.append(IntentStatement(intent, STAMP_TILL, {
                "order": intent.order_id, "clerk": intent.clerk_id,
                "till_currency": intent.currency}, True))
        elif isinstance(intent, StayWithinLimit):
            limits.append(intent)
        elif isinstance(intent, UseHold):
            holds.append(IntentStatement(intent, USE_HOLD, {"hold_id": intent.hold_id}, True))
        elif isinstance(intent, RedeemVoucher):
            vouchers.append(IntentStatement(intent, REDEEM_VOUCHER,
                                            {"voucher": intent.voucher_id}, True,
                                            VOUCHER_CHECKED))
        elif isinstance(intent, GiveBackVoucher):
            vouchers_given[intent.voucher_id] = vouchers_given.get(intent.voucher_id, 0) + 1
        elif isinstance(intent, TakeStock):
            takes.append(IntentStatement(intent, TAKE_STOCK, {
                "type_id": intent.ticket_type_id, "taken": intent.quantity}, True,
                STOCK_CHECKED))
        elif isinstance(intent, GiveBackStock):
            given[intent.ticket_type_id] = given.get(intent.ticket_type_id, 0) \
                + intent.quantity
        elif isinstance(intent, TakeQuota):
            before = quota_takes.get(intent.quota_id)
            quota_takes[intent.quota_id] = intent if before is None else TakeQuota(
                intent.quota_id, before.quantity + intent.quantity, before.ticket_type_id)
        elif isinstance(intent, GiveBackQuota):
            quota_given[intent.quota_id] = quota_given.get(intent.quota_id, 0) \
                + intent.quantity
        else:
            raise TypeError(f"no statement for the intent {intent!r}")
    stock = takes + [IntentStatement(GiveBackStock(type_id, quantity), GIVE_BACK_STOCK,
                                     {"type_id": type_id, "given": quantity}, False)
                     for type_id, quantity in given.items()]
    quotas = [IntentStatement(take, TAKE_QUOTA, {"quota_id": quota_id, "taken": take.quantity},
                              True, QUOTA_CHECKED)
              for quota_id, take in quota_takes.items()] + [
        IntentStatement(GiveBackQuota(quota_id, quantity), GIVE_BACK_QUOTA,
                        {"quota_id": quota_id, "given": quantity}, False)
        for quota_id, quantity in quota_given.items()]
    # a stable sort: of one row, takes stay before its give-back, as recorded
    stock.sort(key=lambda s: str(s.params["type_id"]))
    quotas.sort(key=lambda s: str(s.params["quota_id"]))
    vouchers += [IntentStatement(GiveBackVoucher(voucher_id), GIVE_BACK_VOUCHER,
                                 {"voucher": voucher_id, "given": uses}, False)
                 for voucher_id, uses in vouchers_given.items()]
    vouchers.sort(key=lambda s: str(s.params["voucher"]))
    return tills + _counted(limits, postgres=postgres) + holds + vouchers + stock + quotas


def _counted(limits: list[StayWithinLimit], *, postgres: bool) -> list[IntentStatement]:
    """Each limit's lock (on PostgreSQL), then its count, by key: a buyer's two baskets
    take their locks in one order and never wait on each other crosswise."""
    steps = []
    for limit in sorted(limits, key=lambda limit: limit.key):
        if postgres:
            steps.append(IntentStatement(limit, LOCK_BUYER, {"key": limit.key}, False))
        if limit.event_id is None:
            steps.append(IntentStatement(limit, WITHIN_TYPE_LIMIT, {
                "user": limit.user_id, "type": limit.ticket_type_id, "now": limit.now,
                "limit": limit.limit}, True))
        else:
            steps.append(IntentStatement(limit, WITHIN_EVENT_LIMIT, {
                "user": limit.user_id, "event": limit.event_id, "now": limit.now,
                "limit": limit.limit}, True))
    return steps


def apply(session: Session, intents: list[IntentStatement]) -> None:
    """Run the statements in this transaction; IntentRefused at the first conditional one
    that changed nothing (the caller rolls back)."""
    for step in intents:
        result = session.execute(step.statement, step.params)
        if not step.conditional:
            continue
        if isinstance(step.statement, Select):
            refused = result.first() is None
        else:
            refused = not result.rowcount  # type: ignore[attr-defined]
        if refused:
            raise IntentRefused(step.intent)
