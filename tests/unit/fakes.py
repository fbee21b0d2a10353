"""An in-memory unit of work, so the core's services are tested without a database.

`MemoryStore` holds what is committed: a dict per table, the messages published. Each
unit of work it opens works on copies of the tables it touches; its `commit()` writes the
rows it changed into the store, then applies its intents (`tix.core.intents`) against
what is committed at that moment — all of it, or nothing when one intent no longer holds,
as the SQL unit of work does. Leaving without a commit drops the work, messages included,
as a rolled-back transaction does.

Only what the unit tests use is here: a repository method no test needs is left out, so
that a service calling it fails loudly instead of trusting a guess at its meaning.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self, TypeVar

from tix.core.accounts.model import User
from tix.core.audit.model import AuditEntry
from tix.core.catalog.model import (
    Event,
    EventLabel,
    Question,
    TeamMember,
    TeamRole,
    TicketType,
    TicketTypeView,
)
from tix.core.errors import RuleViolation
from tix.core.ids import looks_like_uuid
from tix.core.intents import Intent, IntentRefused
from tix.core.inventory.intents import (
    GiveBackQuota,
    GiveBackStock,
    StayWithinLimit,
    TakeQuota,
    TakeStock,
    UseHold,
)
from tix.core.inventory.model import Hold, HoldStatus, QuotaLevel
from tix.core.inventory.ports import StockLevel
from tix.core.messages import Message
from tix.core.orders.answers import Answer
from tix.core.orders.intents import StampTill
from tix.core.orders.model import (
    Order,
    OrderNumberTaken,
    OrderStanding,
    OrderStatus,
    PaymentState,
    Tender,
)
from tix.core.orders.till import Till
from tix.core.ports import RateDecision
from tix.core.tickets.door import CheckinList, Scan, TicketDoorState
from tix.core.tickets.model import Ticket, TicketStatus, ticket_number
from tix.core.vouchers.intents import GiveBackVoucher, RedeemVoucher
from tix.core.vouchers.model import Voucher

M = TypeVar("M", bound=Message)


@dataclass
class StockRow:
    quantity: int
    available: int


@dataclass
class QuotaRow:
    event_id: str
    name: str | None
    quantity: int
    available: int
    ticket_type_ids: list[str]


class MemoryStore:
    """What is committed. Calling it opens a unit of work (a `UnitOfWorkFactory`)."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = defaultdict(dict)
        self.published: list[Message] = []  # every message committed, in order

    def __call__(self, *, readonly: bool = False) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self, readonly=readonly)

    def messages(self, kind: type[M]) -> list[M]:
        """The committed messages of one type, oldest first."""
        return [m for m in self.published if isinstance(m, kind)]

    def audit(self, action: str) -> list[AuditEntry]:
        """The committed audit entries of one action, oldest first."""
        entries: list[AuditEntry] = list(self.tables["audit"].values())
        return [e for e in entries if e.action == action]


class MemoryUnitOfWork:
    """One transaction on a `MemoryStore` (see the module's docstring)."""

    def __init__(self, store: MemoryStore, *, readonly: bool) -> None:
        self._store = store
        self._readonly = readonly
        self.users = MemoryUsers(self)
        self.audit = MemoryAuditLog(self)
        self.catalog = MemoryCatalog(self)
        self.stock = MemoryStock(self)
        self.holds = MemoryHolds(self)
        self.orders = MemoryOrders(self)
        self.answers = MemoryAnswers(self)
        self.tickets = MemoryTickets(self)
        self.vouchers = MemoryVouchers(self)
        self.tills = MemoryTills(self)

    # -- the transaction -----------------------------------------------------------------

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._begin()  # whatever was not committed is gone

    def _begin(self) -> None:
        self._working: dict[str, dict[str, Any]] = {}  # copies of the tables read so far
        self._changed: set[tuple[str, str]] = set()
        self._intents: list[Intent] = []
        self._messages: list[Message] = []
        self._to_issue: list[tuple[list[Ticket], int]] = []
        self._new_orders: set[str] = set()

    def publish(self, *messages: Message) -> None:
        self._messages.extend(messages)

    def intend(self, *intents: Intent) -> None:
        self._intents.extend(intents)

    def issue_tickets(self, tickets: list[Ticket], event_number: int) -> None:
        self._to_issue.append((tickets, event_number))

    def commit(self) -> None:
        assert not self._readonly, "a read-only unit of work committed"
        try:
            self._commit()
        finally:
            self._begin()  # done or refused: a later read sees what is committed then

    def _commit(self) -> None:
        for tickets, event_number in self._to_issue:
            self.tickets.add_numbered(tickets, event_number)
        committed = self._store.tables
        staged = {name: dict(committed[name])
                  for name in {*self._working, "stock", "quotas", "holds", "vouchers",
                               "tills", "orders", "events"}}
        for name, key in self._changed:
            staged[name][key] = copy.deepcopy(self._working[name][key])
        if self._new_orders:
            self._check_order_numbers(staged["orders"])
        for intent in self._intents:  # on what is committed now, not on what was read
            _apply(intent, staged)
        committed.update(staged)
        self._store.published.extend(self._messages)

    def _check_order_numbers(self, orders: dict[str, Order]) -> None:
        for order_id in self._new_orders:
            number = orders[order_id].number
            if any(o.number == number and o.id != order_id for o in orders.values()):
                raise OrderNumberTaken()

    # -- for the repositories ------------------------------------------------------------

    def table(self, name: str) -> dict[str, Any]:
        """This work's copy of a table, made when it first reads it."""
        if name not in self._working:
            self._working[name] = copy.deepcopy(self._store.tables[name])
        return self._working[name]

    def rows(self, name: str) -> list[Any]:
        return list(self.table(name).values())

    def read(self, name: str, key: str) -> Any | None:
        """A copy: changing it changes nothing until it is written back."""
        return copy.deepcopy(self.table(name).get(key))

    def write(self, name: str, key: str, row: Any) -> None:
        assert not self._readonly, f"a read-only unit of work wrote to {name}"
        self.table(name)[key] = copy.deepcopy(row)
        self._changed.add((name, key))

    def note_new_order(self, order_id: str) -> None:
        self._new_orders.add(order_id)


def _count(intent: Intent, table: dict[str, Any], key: str, change: int) -> None:
    """A counter row's `available` changed by `change`; a take (a negative change) is
    refused, as the conditional decrement is, when too few are left."""
    row = copy.deepcopy(table.get(key))
    if row is None or row.available + change < 0:
        raise IntentRefused(intent)
    row.available += change
    table[key] = row


def _counted_for_limit(limit: StayWithinLimit, tables: dict[str, dict[str, Any]]) -> int:
    """The buyer's tickets in active holds and orders of the limit's type or event, as
    committed with this work's own."""
    if limit.ticket_type_id is not None:
        types = {limit.ticket_type_id}
    else:
        types = {t.id for e in tables["events"].values() if e.id == limit.event_id
                 for t in e.ticket_types}
    held = sum(q for h in tables["holds"].values()
               if h.user_id == limit.user_id and h.status is HoldStatus.ACTIVE
               and h.expires_at > limit.now
               for type_id, q in h.quantities.items() if type_id in types)
    bought = sum(q for o in tables["orders"].values()
                 if o.user_id == limit.user_id
                 and o.status in (OrderStatus.PENDING, OrderStatus.COMPLETED)
                 for type_id, q in o.quantities.items() if type_id in types)
    return int(held + bought)


def _apply(intent: Intent, tables: dict[str, dict[str, Any]]) -> None:
    """One intent on the staged tables; IntentRefused when a conditional one fails."""
    if isinstance(intent, TakeStock):
        _count(intent, tables["stock"], intent.ticket_type_id, -intent.quantity)
    elif isinstance(intent, GiveBackStock):
        _count(intent, tables["stock"], intent.ticket_type_id, intent.quantity)
    elif isinstance(intent, TakeQuota):
        _count(intent, tables["quotas"], intent.quota_id, -intent.quantity)
    elif isinstance(intent, GiveBackQuota):
        _count(intent, tables["quotas"], intent.quota_id, intent.quantity)
    elif isinstance(intent, UseHold):
        hold = copy.copy(tables["holds"].get(intent.hold_id))
        if hold is None or hold.status is not HoldStatus.ACTIVE:
            raise IntentRefused(intent)
        hold.status = HoldStatus.CONVERTED
        tables["holds"][intent.hold_id] = hold
    elif isinstance(intent, RedeemVoucher):
        voucher = copy.copy(tables["vouchers"].get(intent.voucher_id))
        if voucher is None or voucher.uses_left < 1 or voucher.voided_at is not None:
            raise IntentRefused(intent)
        voucher.uses_left -= 1
        tables["vouchers"][intent.voucher_id] = voucher
    elif isinstance(intent, StampTill):
        mine = [t for t in tables["tills"].values() if t.clerk_id == intent.clerk_id]
        open_till = next((t for t in mine if t.is_open and t.currency == intent.currency),
                         None)
        if open_till is None and mine:
            raise IntentRefused(intent)
        order = copy.copy(tables["orders"][intent.order_id])
        order.till_id = open_till.id if open_till else None
        tables["orders"][intent.order_id] = order
    elif isinstance(intent, StayWithinLimit):
        if _counted_for_limit(intent, tables) > intent.limit:
            raise IntentRefused(intent)
    elif isinstance(intent, GiveBackVoucher):
        voucher = copy.copy(tables["vouchers"][intent.voucher_id])
        voucher.uses_left = min(voucher.uses_left + 1, voucher.max_uses)
        tables["vouchers"][intent.voucher_id] = voucher
    else:
        raise TypeError(f"the fake unit of work knows no intent {intent!r}")


# -- repositories, one per port ----------------------------------------------------------

class MemoryUsers:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, user: User) -> None:
        self._uow.write("users", user.id, user)

    def get(self, user_id: str, *, lock: bool = False) -> User | None:
        found: User | None = self._uow.read("users", user_id)
        return found


class MemoryAuditLog:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, entry: AuditEntry) -> None:
        self._uow.write("audit", entry.id, entry)


class MemoryCatalog:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, event: Event) -> None:
        self._uow.write("events", event.id, event)

    def next_number(self) -> int:
        return max((e.number for e in self._uow.rows("events")), default=0) + 1

    def questions(self, event_id: str) -> tuple[Question, ...]:
        found: Event | None = self._uow.read("events", event_id)
        return found.questions if found is not None else ()

    def get(self, event_id: str, *, lock: bool = False) -> Event | None:
        found: Event | None = self._uow.read("events", event_id)
        return found

    def resolve(self, reference: str) -> str | None:
        if looks_like_uuid(reference):
            return reference
        digits = reference.upper().removeprefix("E")
        if not digits.isdigit():
            return None
        return next((e.id for e in self._uow.rows("events") if e.number == int(digits)),
                    None)

    def ticket_type(self, ticket_type_id: str, *, viewer: str | None = None
                    ) -> TicketTypeView | None:
        for event in self._uow.rows("events"):
            for ticket_type in event.ticket_types:
                if ticket_type.id == ticket_type_id:
                    return _view(event, ticket_type)
        return None

    def ticket_types(self, ticket_type_ids: list[str], *, viewer: str | None = None
                     ) -> dict[str, TicketTypeView]:
        found = {type_id: self.ticket_type(type_id) for type_id in ticket_type_ids}
        return {type_id: view for type_id, view in found.items() if view is not None}

    def ticket_type_by_number(self, event_number: int, number: int) -> TicketTypeView | None:
        for event in self._uow.rows("events"):
            for ticket_type in event.ticket_types:
                if event.number == event_number and ticket_type.number == number:
                    return _view(event, ticket_type)
        return None

    def ticket_type_as(self, ticket_type_id: str, user_id: str
                       ) -> tuple[TicketTypeView, TeamRole | None] | None:
        view = self.ticket_type(ticket_type_id)
        return None if view is None else (view, self.team_role(view.event_id, user_id))

    def team(self, event_id: str) -> list[TeamMember]:
        return sorted((m for m in self._uow.rows("event_team")
                       if m is not None and m.event_id == event_id),
                      key=lambda m: (m.added_at, m.user_id))

    def team_role(self, event_id: str, user_id: str) -> TeamRole | None:
        member: TeamMember | None = self._uow.read("event_team", f"{event_id}/{user_id}")
        return member.role if member is not None else None

    def organizer_and_role(self, event_id: str, user_id: str
                           ) -> tuple[str, TeamRole | None] | None:
        event = self.get(event_id)
        return None if event is None else (event.organizer_id,
                                            self.team_role(event_id, user_id))

    def put_team_member(self, member: TeamMember) -> TeamRole | None:
        key = f"{member.event_id}/{member.user_id}"
        before: TeamMember | None = self._uow.read("event_team", key)
        if before is not None:
            member = TeamMember(member.event_id, member.user_id, member.role,
                                before.added_at, before.added_by)
        self._uow.write("event_team", key, member)
        return before.role if before is not None else None

    def remove_team_member(self, event_id: str, user_id: str) -> TeamRole | None:
        before = self.team_role(event_id, user_id)
        if before is not None:
            self._uow.write("event_team", f"{event_id}/{user_id}", None)  # writes only
        return before

    def labels(self, event_ids: list[str]) -> dict[str, EventLabel]:
        return {e.id: EventLabel(e.id, e.number, e.name) for e in self._uow.rows("events")
                if e.id in event_ids}

    def save(self, event: Event) -> None:
        self._uow.write("events", event.id, event)

    def add_ticket_type(self, ticket_type: TicketType) -> None:
        event: Event | None = self._uow.read("events", ticket_type.event_id)
        assert event is not None, f"a ticket type of no event: {ticket_type.event_id}"
        event.ticket_types.append(ticket_type)
        self._uow.write("events", event.id, event)

    def bump_version(self) -> None:
        version = self._uow.read("catalog_version", "version") or 0
        self._uow.write("catalog_version", "version", version + 1)


def _view(event: Event, ticket_type: TicketType) -> TicketTypeView:
    return TicketTypeView(
        id=ticket_type.id, name=ticket_type.name, price=ticket_type.price,
        currency=event.currency, quantity=ticket_type.quantity,
        per_person_limit=ticket_type.per_person_limit,
        sale_starts_at=ticket_type.sale_starts_at, sale_ends_at=ticket_type.sale_ends_at,
        event_id=event.id, event_number=event.number, event_name=event.name,
        event_status=event.status, event_starts_at=event.starts_at,
        event_ends_at=event.ends_at, event_timezone=event.timezone,
        organizer_id=event.organizer_id, venue=event.venue, city=event.city,
        number=ticket_type.number, hidden=ticket_type.hidden,
        event_test_mode=event.test_mode, event_has_questions=bool(event.questions))


class MemoryStock:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, ticket_type_id: str, quantity: int) -> None:
        self._uow.write("stock", ticket_type_id, StockRow(quantity, quantity))

    def resize(self, ticket_type_id: str, quantity: int) -> bool:
        row: StockRow | None = self._uow.read("stock", ticket_type_id)
        if row is None or row.quantity - row.available > quantity:
            return False  # below what is sold or held
        row.available += quantity - row.quantity
        row.quantity = quantity
        self._uow.write("stock", ticket_type_id, row)
        return True

    def levels(self, ticket_type_ids: list[str]) -> dict[str, StockLevel]:
        table = self._uow.table("stock")
        quotas = self._uow.rows("quotas")
        return {i: StockLevel(i, table[i].quantity, min([table[i].available, *(
            q.available for q in quotas if i in q.ticket_type_ids)]))
                for i in ticket_type_ids if i in table}

    def add_quota(self, event_id: str, quota: QuotaLevel) -> None:
        self._uow.write("quotas", quota.id, QuotaRow(event_id, quota.name, quota.quantity,
                                                     quota.quantity,
                                                     list(quota.ticket_type_ids)))

    def join_quota(self, quota_id: str, ticket_type_id: str) -> None:
        row: QuotaRow | None = self._uow.read("quotas", quota_id)
        assert row is not None, f"no quota {quota_id}"
        row.ticket_type_ids.append(ticket_type_id)
        self._uow.write("quotas", quota_id, row)

    def resize_quota(self, quota_id: str, quantity: int) -> bool:
        row: QuotaRow | None = self._uow.read("quotas", quota_id)
        if row is None or row.quantity - row.available > quantity:
            return False  # below what is sold or held
        row.available += quantity - row.quantity
        row.quantity = quantity
        self._uow.write("quotas", quota_id, row)
        return True

    def quotas_of(self, ticket_type_id: str) -> list[str]:
        return sorted(key for key, q in self._uow.table("quotas").items()
                      if ticket_type_id in q.ticket_type_ids)

    def quotas(self, event_id: str) -> list[QuotaLevel]:
        found = [QuotaLevel(key, q.name, q.quantity, q.available,
                            tuple(sorted(q.ticket_type_ids)))
                 for key, q in self._uow.table("quotas").items() if q.event_id == event_id]
        return sorted(found, key=lambda q: (q.name is not None, q.name or ""))


class MemoryHolds:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, hold: Hold) -> None:
        self._uow.write("holds", hold.id, hold)

    def get(self, hold_id: str, *, lock: bool = False) -> Hold | None:
        found: Hold | None = self._uow.read("holds", hold_id)
        return found

    def held_by(self, user_id: str, ticket_type_id: str, now: datetime) -> int:
        return sum(h.quantities.get(ticket_type_id, 0) for h in self._uow.rows("holds")
                   if h.user_id == user_id
                   and h.status is HoldStatus.ACTIVE and h.expires_at > now)

    def take_expired(self, now: datetime, limit: int) -> list[Hold]:
        expired = sorted((h for h in self._uow.rows("holds")
                          if h.status is HoldStatus.ACTIVE and h.expires_at <= now),
                         key=lambda h: h.expires_at)[:limit]
        for hold in expired:
            self._uow.write("holds", hold.id, _with_status(hold, HoldStatus.EXPIRED))
        return [copy.deepcopy(h) for h in expired]

    def release(self, hold_id: str) -> bool:
        hold = self.get(hold_id)
        if hold is None or hold.status is not HoldStatus.ACTIVE:
            return False
        self._uow.write("holds", hold_id, _with_status(hold, HoldStatus.RELEASED))
        return True

    def held_per_type(self, ticket_type_ids: list[str], now: datetime) -> dict[str, int]:
        held: dict[str, int] = {}
        for hold in self._uow.rows("holds"):  # as the SQL: active, expired or not yet
            if hold.status is not HoldStatus.ACTIVE:
                continue
            for line in hold.lines:
                if line.ticket_type_id in ticket_type_ids:
                    held[line.ticket_type_id] = held.get(line.ticket_type_id, 0) \
                        + line.quantity
        return held


def _with_status(hold: Hold, status: HoldStatus) -> Hold:
    changed = copy.deepcopy(hold)
    changed.status = status
    return changed


class MemoryAnswers:
    """Answers to events' questions, a list per order id."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, order_id: str, answers: list[Answer]) -> None:
        self._uow.write("answers", order_id, list(answers))

    def of_order(self, order_id: str) -> list[Answer]:
        found: list[Answer] = self._uow.read("answers", order_id) or []
        return found

    def of_user(self, user_id: str) -> dict[str, list[Answer]]:
        mine = {o.id for o in self._uow.rows("orders") if o.user_id == user_id}
        return {order_id: list(answers) for order_id, answers
                in self._uow.table("answers").items() if order_id in mine}

    def erase_of_user(self, user_id: str) -> int:
        erased = 0
        for order_id, answers in self.of_user(user_id).items():
            self._uow.write("answers", order_id, [])
            erased += len(answers)
        return erased


class MemoryOrders:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, order: Order) -> None:
        self._uow.write("orders", order.id, order)
        self._uow.note_new_order(order.id)  # its number is checked by the commit

    def get(self, reference: str, *, lock: bool = False) -> Order | None:
        if looks_like_uuid(reference):
            found: Order | None = self._uow.read("orders", reference)
            return found
        return next((copy.deepcopy(o) for o in self._uow.rows("orders")
                     if o.number == reference.upper()), None)

    def standing(self, order_id: str, *, lock: bool = False) -> OrderStanding | None:
        order = self.get(order_id)
        return None if order is None else OrderStanding(
            order.number, order.status, order.refunded_amount, order.cancel_requested_at)

    def by_payment(self, payment_reference: str) -> Order | None:
        return next((copy.deepcopy(o) for o in self._uow.rows("orders")
                     if o.payment_reference == payment_reference), None)

    def save(self, order: Order) -> None:
        self._uow.write("orders", order.id, order)

    def complete(self, order: Order) -> bool:
        current = self.get(order.id)
        if current is None or current.status is not OrderStatus.PENDING:
            return False
        self._uow.write("orders", order.id, order)
        return True

    def tickets_bought(self, user_id: str, ticket_type_id: str) -> int:
        return sum(o.quantities.get(ticket_type_id, 0) for o in self._uow.rows("orders")
                   if o.user_id == user_id
                   and o.status in (OrderStatus.PENDING, OrderStatus.COMPLETED))

    def refunds_under_way(self, order_id: str) -> int:
        return 0  # refunds short of a cancellation are tested on the databases

    def of_till(self, till_id: str) -> list[Order]:
        return [copy.deepcopy(o) for o in self._uow.rows("orders")
                if o.till_id == till_id and o.tender is Tender.CASH]

    def request_buyer_cancellation(self, order_id: str, refund: int, reason: str,
                                   now: datetime, claimed_until: datetime) -> bool:
        order = self.get(order_id)
        if order is None or order.status is not OrderStatus.COMPLETED:
            return False
        order.cancel_requested_at, order.cancel_refund, order.cancel_reason = (
            now, refund, reason)
        self._uow.write("orders", order_id, order)
        return True


class MemoryTills:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, till: Till) -> None:
        if any(t.clerk_id == till.clerk_id and t.is_open for t in self._uow.rows("tills")):
            raise RuleViolation("your till is open already", code="till_open")
        self._uow.write("tills", till.id, till)

    def get(self, till_id: str, *, lock: bool = False) -> Till | None:
        found: Till | None = self._uow.read("tills", till_id)
        return found

    def latest_of(self, clerk_id: str, *, lock: bool = False) -> Till | None:
        mine = [t for t in self._uow.rows("tills") if t.clerk_id == clerk_id]
        mine.sort(key=lambda t: (t.is_open, t.opened_at))
        return copy.deepcopy(mine[-1]) if mine else None

    def close(self, till: Till) -> bool:
        current = self.get(till.id)
        if current is None or not current.is_open:
            return False
        self._uow.write("tills", till.id, till)
        return True


class MemoryVouchers:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, vouchers: list[Voucher]) -> list[str]:
        existing = {(v.event_id, v.code) for v in self._uow.rows("vouchers")}
        taken = sorted(v.code for v in vouchers if (v.event_id, v.code) in existing)
        if not taken:
            for voucher in vouchers:
                self._uow.write("vouchers", voucher.id, voucher)
        return taken

    def by_code(self, event_id: str, code: str) -> Voucher | None:
        return next((copy.deepcopy(v) for v in self._uow.rows("vouchers")
                     if v.event_id == event_id and v.code == code), None)

    def terms(self, event_id: str, code: str) -> Voucher | None:
        return self.by_code(event_id, code)

    def get(self, voucher_id: str) -> Voucher | None:
        found: Voucher | None = self._uow.read("vouchers", voucher_id)
        return found

    def of_event(self, event_id: str) -> list[Voucher]:
        return sorted((copy.deepcopy(v) for v in self._uow.rows("vouchers")
                       if v.event_id == event_id),
                      key=lambda v: (-v.created_at.timestamp(), v.code))

    def void(self, voucher_id: str, now: datetime) -> bool:
        voucher = self.get(voucher_id)
        if voucher is None or voucher.voided_at is not None:
            return False
        voucher.voided_at = now
        self._uow.write("vouchers", voucher_id, voucher)
        return True


class MemoryTickets:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add_all(self, tickets: list[Ticket]) -> set[str]:
        taken = {(t.order_id, t.seat) for t in self._uow.rows("tickets")}
        stored = set()
        for ticket in tickets:
            if (ticket.order_id, ticket.seat) not in taken:
                self._uow.write("tickets", ticket.id, ticket)
                stored.add(ticket.id)
        return stored

    def add_numbered(self, tickets: list[Ticket], event_number: int) -> set[str]:
        if not tickets:
            return set()
        event_id = tickets[0].event_id
        issued: int = self._uow.read("ticket_numbers", event_id) or 0
        taken = {(t.order_id, t.seat) for t in self._uow.rows("tickets")}
        for ticket in tickets:
            if (ticket.order_id, ticket.seat) not in taken:
                issued += 1
                ticket.number = ticket_number(event_number, issued)
        self._uow.write("ticket_numbers", event_id, issued)
        return self.add_all(tickets)

    def get(self, reference: str) -> Ticket | None:
        if looks_like_uuid(reference):
            found: Ticket | None = self._uow.read("tickets", reference)
            return found
        return next((copy.deepcopy(t) for t in self._uow.rows("tickets")
                     if t.number == reference.upper()), None)

    def of_order(self, order_id: str) -> list[Ticket]:
        return sorted((copy.deepcopy(t) for t in self._uow.rows("tickets")
                       if t.order_id == order_id), key=lambda t: t.seat)

    def admit(self, ticket_id: str, by: str, now: datetime) -> bool:
        ticket = self.get(ticket_id)
        if ticket is None or ticket.status is not TicketStatus.VALID:
            return False
        ticket.status, ticket.checked_in_at, ticket.checked_in_by = TicketStatus.USED, now, by
        self._uow.write("tickets", ticket_id, ticket)
        return True

    # the door, as the SQL repository keeps it
    def admitted(self, event_id: str) -> int:
        return sum(1 for t in self.of_event(event_id) if t.status is TicketStatus.USED)

    def of_event(self, event_id: str) -> list[Ticket]:
        return sorted((copy.deepcopy(t) for t in self._uow.rows("tickets")
                       if t.event_id == event_id), key=lambda t: t.number)

    def types_of_event(self, event_id: str) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for t in self.of_event(event_id):
            if t.status is not TicketStatus.VOIDED:
                counts[t.ticket_type_id] += 1
        return dict(counts)

    def lists(self, event_id: str) -> list[CheckinList]:
        return sorted((x for x in self._uow.rows("checkin_lists")
                       if x is not None and x.event_id == event_id),
                      key=lambda x: x.name)

    def add_list(self, checkin_list: CheckinList, now: datetime) -> bool:
        key = f"{checkin_list.event_id}/{checkin_list.name}"
        if self._uow.read("checkin_lists", key) is not None:
            return False
        self._uow.write("checkin_lists", key, checkin_list)
        return True

    def remove_list(self, event_id: str, name: str) -> bool:
        key = f"{event_id}/{name}"
        if self._uow.read("checkin_lists", key) is None:
            return False
        self._uow.write("checkin_lists", key, None)  # a commit applies writes only
        return True

    def scans_of(self, ticket_id: str) -> list[Scan]:
        return [s for _, s in sorted(self._uow.rows("door_scans"), key=lambda r: r[0])
                if s.ticket_id == ticket_id]

    def add_scans(self, scans: Sequence[Scan], now: datetime) -> set[str]:
        added = set()
        for scan in scans:
            if self._uow.read("door_scans", scan.id) is None and scan.id not in added:
                self._uow.write("door_scans", scan.id,
                                (len(self._uow.rows("door_scans")) + 1, scan))
                added.add(scan.id)
        return added

    def scans_since(self, event_id: str, cursor: int, limit: int) -> list[tuple[int, Scan]]:
        return sorted((r for r in self._uow.rows("door_scans")
                       if r[1].event_id == event_id and r[0] > cursor),
                      key=lambda r: r[0])[:limit]

    def set_door_state(self, ticket_id: str, state: TicketDoorState) -> None:
        ticket = self.get(ticket_id)
        if ticket is None or ticket.status is TicketStatus.VOIDED:
            return
        first = state.admission
        ticket.status = TicketStatus.USED if first else TicketStatus.VALID
        ticket.checked_in_at = first.at if first else None
        ticket.checked_in_by = (first.by or None) if first else None
        self._uow.write("tickets", ticket_id, ticket)
        self._uow.write("door_state", ticket_id, (
            first.list_name if first else None,
            state.entered.list_name if state.entered else None))

    def door_counts(self, event_id: str) -> dict[str, tuple[int, int]]:
        counts: dict[str, list[int]] = {}
        for ticket in self.of_event(event_id):
            place = self._uow.read("door_state", ticket.id)
            if place is None or ticket.status is not TicketStatus.USED:
                continue
            for index, name in enumerate(place):
                if name is not None:
                    counts.setdefault(name, [0, 0])[index] += 1
        return {name: (pair[0], pair[1]) for name, pair in counts.items()}

    def void_order(self, order_id: str) -> list[str]:
        voided = []
        for ticket in self.of_order(order_id):
            if ticket.status is TicketStatus.VALID:
                ticket.status = TicketStatus.VOIDED
                self._uow.write("tickets", ticket.id, ticket)
                voided.append(ticket.id)
        return voided


# -- the other ports the services are built with -----------------------------------------

class MemoryRateLimiter:
    """Attempts per key in a sliding window; a refused attempt does not count (as the SQL
    limiter)."""

    def __init__(self) -> None:
        self._hits: dict[str, list[datetime]] = defaultdict(list)

    def hit(self, key: str, *, limit: int, window: timedelta, now: datetime) -> RateDecision:
        decision = self.check(key, limit=limit, window=window, now=now)
        if decision.allowed:
            self._hits[key].append(now)
        return decision

    def check(self, key: str, *, limit: int, window: timedelta, now: datetime
              ) -> RateDecision:
        recent = [at for at in self._hits[key] if at > now - window]
        if len(recent) >= limit:
            return RateDecision(False, recent[0] + window - now)
        return RateDecision(True)


class FakeCardGateway:
    """A card gateway that says yes, or no once `decline` is set, and remembers what it
    was asked."""

    def __init__(self) -> None:
        self.decline: str | None = None  # the bank's reason, when cards are refused
        self.charged: dict[str, int] = {}  # order id -> amount taken
        self.refunded: dict[str, int] = {}  # order id -> amount given back in all
        self.parts: dict[str, dict[str, int]] = {}  # order id -> refund id -> amount

    def start(self, order: Order, *, idempotency_key: str) -> str | None:
        return f"pi_{order.id}"

    def charge(self, order: Order, *, idempotency_key: str) -> str:
        if self.decline:
            raise RuleViolation(f"card declined: {self.decline}", code="card_declined")
        self.charged[order.id] = order.amount
        return f"pi_{order.id}"

    def find_payment(self, order: Order) -> str | None:
        return f"pi_{order.id}" if order.id in self.charged else None

    def refund(self, order: Order, amount: int, *, idempotency_key: str) -> str:
        self.refunded[order.id] = amount  # "until the refunds come to amount in all"
        return f"re_{order.id}"

    def refund_part(self, order: Order, amount: int, *, refund_id: str,
                    idempotency_key: str) -> str:
        self.parts.setdefault(order.id, {})[refund_id] = amount  # once per refund id
        self.refunded[order.id] = sum(self.parts[order.id].values())
        return f"re_{refund_id}"

    def open_in_browser(self, order: Order, *, idempotency_key: str) -> str:
        return f"pi_{order.id}"

    def browser_payment(self, order: Order, *, payment_method: str | None = None,
                        idempotency_key: str) -> PaymentState:
        """What the browser's card did: paid, unless `decline` is set (then payable)."""
        if payment_method and not self.decline:
            self.charged[order.id] = order.amount
        if order.id in self.charged:
            return PaymentState("succeeded", f"pi_{order.id}_secret_x")
        return PaymentState("requires_payment_method", f"pi_{order.id}_secret_x",
                            declined=self.decline or "" if payment_method else "")


class NoCache:
    """Every lookup misses: the services under test read through to the store."""

    def get(self, key: str) -> str | None:
        return None

    def set(self, key: str, value: str, ttl: timedelta) -> None:
        pass

    def delete(self, *keys: str) -> None:
        pass

    def stats(self) -> tuple[int, int] | None:
        return None


class HmacSigner:
    """Signs ticket payloads with a shared key: enough to tell forged from genuine."""

    def __init__(self, key: bytes = b"unit-test-key") -> None:
        self._key = key

    def sign(self, message: bytes) -> bytes:
        return hmac.digest(self._key, message, hashlib.sha256)

    def verify(self, message: bytes, signature: bytes) -> bool:
        return hmac.compare_digest(self.sign(message), signature)
