"""The till: the cash drawer of one clerk's shift at a box office.

It lives in the orders module, not a module of its own, because everything it knows is
about orders: a cash sale is stamped with the till open when it was taken, the till's
expected cash is those sales less their refunds, and whether a clerk may still undo a
sale is decided by its till (`may_undo_at_the_counter`). Its table is the orders'.

Opening is the start of a shift (a float counted into the drawer); closing counts the
drawer, compares it with what the sales say should be there and writes the report into
the audit chain. A clerk who has once opened a till sells cash only with one open; one
who never has sells as before, their sales in no till.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from tix.core.audit.service import AuditService
from tix.core.catalog.public import format_money, to_minor
from tix.core.clock import Clock
from tix.core.errors import Invalid, NotAllowed, NotFound, RuleViolation
from tix.core.ids import new_id
from tix.core.intents import IntentRefused
from tix.core.orders.intents import StampTill
from tix.core.orders.model import Order, Tender
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal, Role

MAX_BOX_OFFICE_NAME = 100
DEFAULT_BOX_OFFICE = "main"


@dataclass
class Till:
    id: str
    clerk_id: str
    box_office: str
    currency: str
    opened_at: datetime
    float_amount: int  # minor units counted into the drawer at the start
    closed_at: datetime | None = None
    counted: int | None = None  # what was in the drawer at the end
    expected: int | None = None  # float + cash in - refunds, when it was closed
    difference: int | None = None  # counted - expected: negative is cash missing

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class TillReport:
    """A till and its sales: the running total while open, the count once closed."""

    till: Till
    sales: int  # cash sales taken in it
    cash_in: int
    refunds: int  # given back on those sales

    @property
    def expected(self) -> int:
        return self.till.float_amount + self.cash_in - self.refunds


class Tills:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService) -> None:
        self._uow = uow
        self._clock = clock
        self._audit = audit

    def open(self, principal: Principal, *, float_amount: str = "0", currency: str = "EUR",
             box_office: str = DEFAULT_BOX_OFFICE) -> TillReport:
        """Start a shift: the clerk's till at `box_office` with its float counted in."""
        principal.require(Role.CLERK)
        name = " ".join(box_office.split())
        if not name or len(name) > MAX_BOX_OFFICE_NAME:
            raise Invalid(f"box office: a name of 1 to {MAX_BOX_OFFICE_NAME} characters",
                          field="box_office")
        _check_amount(float_amount, "float")
        amount = to_minor(float_amount, currency.strip().upper(), field="float")
        till = Till(id=new_id(), clerk_id=principal.user_id, box_office=name,
                    currency=currency.strip().upper(), opened_at=self._clock.now(),
                    float_amount=amount)
        with self._uow() as uow:
            current = uow.tills.latest_of(principal.user_id)
            if current is not None and current.is_open:
                raise _already_open(current)
            uow.tills.add(till)
            self._audit.record(uow, "till.opened", subject=f"till:{till.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"box_office": name, "float": str(amount),
                                        "currency": till.currency})
            uow.commit()
        return TillReport(till, 0, 0, 0)

    def status(self, principal: Principal) -> TillReport:
        """The caller's open till with its running total."""
        with self._uow(readonly=True) as uow:
            till = uow.tills.latest_of(principal.user_id)
            if till is None or not till.is_open:
                raise _none_open()
            return _report(uow, till)

    def close(self, principal: Principal, *, counted: str,
              till_id: str | None = None) -> TillReport:
        """End a shift: the drawer counted, the difference with what the sales say, the
        report into the audit chain. Someone else's till is closed only by an admin."""
        _check_amount(counted, "counted")  # bad input first, whatever the till's state
        with self._uow() as uow:
            if till_id is None:
                till = uow.tills.latest_of(principal.user_id)
                if till is None or not till.is_open:
                    raise _none_open()
                till = uow.tills.get(till.id, lock=True)
            else:
                till = uow.tills.get(till_id.strip(), lock=True)
                if till is None:
                    raise NotFound("till", till_id)
            assert till is not None
            if till.clerk_id != principal.user_id and principal.role is not Role.ADMIN:
                raise NotAllowed("this is another clerk's till: they close it (or an admin)")
            if not till.is_open:
                closed = f"{till.closed_at:%Y-%m-%d %H:%M}"
                raise RuleViolation(f"this till was closed at {closed} UTC: open another "
                                    "with tix till open", code="till_closed")
            report = _report(uow, till)
            till.counted = to_minor(counted, till.currency, field="counted")
            till.closed_at, till.expected = self._clock.now(), report.expected
            till.difference = till.counted - report.expected
            if not uow.tills.close(till):
                raise RuleViolation("the till was closed meanwhile", code="till_closed")
            self._audit.record(uow, "till.closed", subject=f"till:{till.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={key: str(value) for key, value in {
                                   "clerk_id": till.clerk_id, "box_office": till.box_office,
                                   "currency": till.currency, "float": till.float_amount,
                                   "sales": report.sales, "cash_in": report.cash_in,
                                   "refunds": report.refunds, "expected": report.expected,
                                   "counted": till.counted,
                                   "difference": till.difference}.items()})
            uow.commit()
        return report


def stamp_till(uow: UnitOfWork, order: Order) -> None:
    """A clerk's cash sale goes into their open till, with the sale's commit (StampTill)."""
    if order.tender is Tender.CASH and order.taken_by is not None:
        uow.intend(StampTill(order.id, order.taken_by, order.currency))


def till_refusal(uow: UnitOfWork, refused: IntentRefused) -> RuleViolation | None:
    """The clerk's words for a sale their till refused (read after it: the clerk's last
    till is closed, or counts another currency); None for another module's intent."""
    intent = refused.intent
    if not isinstance(intent, StampTill):
        return None
    till = uow.tills.latest_of(intent.clerk_id)
    if till is not None and till.is_open and till.currency != intent.currency:
        return RuleViolation(f"your till counts {till.currency}, this sale is in "
                             f"{intent.currency}: close it and open one in {intent.currency}",
                             code="till_currency")
    return RuleViolation("your till is closed: open the till first: tix till open",
                         code="till_closed")


def may_undo_at_the_counter(uow: UnitOfWork, principal: Principal, order: Order) -> bool:
    """Whether the clerk who took this sale may still cancel it: while the till it was
    taken in is open. A sale in no till (its clerk never opened one) stays theirs to undo
    as before; after the shift, only the event's organizer or an admin can."""
    if order.taken_by != principal.user_id:
        return False
    if order.till_id is None:
        return True
    till = uow.tills.get(order.till_id)
    if till is not None and till.is_open:
        return True
    raise NotAllowed(f"order {order.number} was taken in a till now closed (the shift is "
                     "over): ask the event's organizer to cancel it", code="till_closed")


def _check_amount(amount: str, field: str) -> None:
    """An amount of cash: a number, not below zero (its decimals are checked against the
    till's currency)."""
    try:
        value = Decimal(amount.strip())
    except InvalidOperation:
        raise Invalid(f"{field}: {amount!r} is not an amount (e.g. 1240.00)",
                      field=field) from None
    if not value.is_finite() or value < 0:
        raise Invalid(f"{field}: {amount!r} is not an amount of cash (0 or more)",
                      field=field)


def _report(uow: UnitOfWork, till: Till) -> TillReport:
    sales = uow.orders.of_till(till.id)
    return TillReport(till, sales=len(sales), cash_in=sum(o.amount for o in sales),
                      refunds=sum(o.refunded_amount for o in sales))


def _already_open(till: Till) -> RuleViolation:
    return RuleViolation(f"your till at {till.box_office} is open since "
                         f"{till.opened_at:%Y-%m-%d %H:%M} UTC (float "
                         f"{format_money(till.float_amount, till.currency)}): close it first "
                         "(tix till close --counted AMOUNT)", code="till_open")


def _none_open() -> RuleViolation:
    return RuleViolation("no till is open for you: tix till open", code="no_open_till")
