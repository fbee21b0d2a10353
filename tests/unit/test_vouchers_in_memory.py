"""Vouchers on the in-memory unit of work: discounts through the one price function, uses
taken with the sale and given back when it is undone, refusals, hidden ticket types."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.errors import Invalid, NotAllowed, NotFound, RuleViolation
from tix.core.inventory.model import HoldStatus
from tix.core.orders.model import Discount, OrderLine, OrderStatus, Tender, order_amount, price
from tix.core.principal import Role
from tix.core.vouchers.model import Voucher
from tix.core.vouchers.service import VoucherService, VoucherTerms


class Shop:
    """A MemoryCore, its vouchers, and an event with a hidden Press type."""

    def __init__(self) -> None:
        self.core = MemoryCore()
        self.vouchers = VoucherService(uow=self.core.store, clock=self.core.clock,
                                       audit=self.core.audit)
        self.organizer = self.core.person(Role.ORGANIZER, "Olga Organizer")
        start = self.core.clock.now() + timedelta(days=30)
        self.event_id = self.core.event(self.organizer, ticket_types=[
            {"name": "Standing", "price": "45.00", "quantity": 100, "limit": 4},
            {"name": "Seated", "price": "65.50", "quantity": 20},
            {"name": "Press", "price": "0", "quantity": 10, "hidden": True}],
            starts=f"{start:%Y-%m-%dT%H:%M}",
            ends=f"{start + timedelta(hours=3):%Y-%m-%dT%H:%M}")
        self.standing = self.core.ticket_type(self.event_id, "Standing")
        self.seated = self.core.ticket_type(self.event_id, "Seated")
        self.press = self.core.ticket_type(self.event_id, "Press")

    def code(self, code: str = "EARLY", **terms: object) -> Voucher:
        given = {"percent": 20, "max_uses": 100, **terms}
        if "amount" in terms or terms.get("unlock_only"):
            given.pop("percent")
        return self.vouchers.create(self.organizer, self.event_id, code,
                                    VoucherTerms(**given))  # type: ignore[arg-type]

    def uses_left(self, code: str = "EARLY") -> int:
        [found] = [v for v in self.vouchers.list(self.organizer, self.event_id)
                   if v.code == code]
        return found.uses_left


@pytest.fixture
def shop() -> Shop:
    return Shop()


def test_the_price_function_takes_a_percent_off_in_the_buyers_favour():
    off = Discount(code="X", percent=33)
    assert price(6550, 1, Tender.CARD, off) == 4388  # 43.885 rounds down
    assert price(6550, 1, Tender.COMP, off) == 0
    only_seated = Discount(code="X", percent=50, ticket_type_ids=("seated",))
    assert price(1000, 2, Tender.CARD, only_seated, "standing") == 2000
    assert price(1000, 2, Tender.CARD, only_seated, "seated") == 1000


def test_a_fixed_amount_comes_off_the_order_once_and_never_below_zero():
    lines = [OrderLine("standing", 2, 4500), OrderLine("seated", 1, 6550)]
    assert order_amount(lines, Tender.CARD, Discount(code="X", amount=500)) == 15050
    assert order_amount(lines, Tender.CARD, Discount(code="X", amount=10**6)) == 0
    only_standing = Discount(code="X", amount=10**6, ticket_type_ids=("standing",))
    assert order_amount(lines, Tender.CARD, only_standing) == 6550


def test_a_percent_code_discounts_the_order_and_takes_one_use(shop):
    shop.code("early")  # stored upper case: buyers type it any way
    buyer = shop.core.person()
    order = shop.core.orders.buy_basket(buyer, [(shop.standing, 2), (shop.seated, 1)],
                                        tender=Tender.CARD, voucher=" Early ")
    assert order.status is OrderStatus.COMPLETED
    assert order.amount == 7200 + 5240  # 20 % off 90.00 and off 65.50
    assert order.discount_amount == 1800 + 1310
    assert order.discount is not None and order.discount.code == "EARLY"
    assert shop.core.order(order.id).amount == order.amount
    assert shop.core.card.charged[order.id] == order.amount  # the card pays the discount
    assert shop.uses_left() == 99


def test_a_code_for_some_types_discounts_only_their_lines(shop):
    shop.code("SEATS", amount="100.00", types=("E1-T2",))
    order = shop.core.orders.buy_basket(shop.core.person(), [(shop.standing, 1),
                                                             (shop.seated, 1)],
                                        tender=Tender.CARD, voucher="seats")
    assert order.amount == 4500  # the seat is free, capped at its price


def test_a_hold_takes_the_use_and_gives_it_back_when_released_or_expired(shop):
    shop.code(max_uses=2)
    buyer = shop.core.person()
    first = shop.core.inventory.hold_basket(buyer, [(shop.standing, 1)], voucher="EARLY")
    shop.core.inventory.hold_basket(buyer, [(shop.standing, 1)], voucher="EARLY")
    assert shop.uses_left() == 0
    with pytest.raises(RuleViolation, match="code EARLY has been used up") as refused:
        shop.core.inventory.hold_basket(buyer, [(shop.standing, 1)], voucher="EARLY")
    assert refused.value.code == "voucher_used_up"
    shop.core.inventory.release_hold(first.id)
    assert shop.uses_left() == 1
    shop.core.clock.advance(timedelta(minutes=11))
    assert shop.core.inventory.expire_holds() == 1
    assert shop.uses_left() == 2


def test_the_order_of_a_hold_keeps_its_use_and_its_discount(shop):
    shop.code(max_uses=1)
    buyer = shop.core.person()
    hold = shop.core.inventory.hold_basket(buyer, [(shop.standing, 2)], voucher="EARLY")
    order = shop.core.orders.checkout(buyer, hold.id, tender=Tender.CARD)
    assert order.amount == 7200 and order.voucher_id is not None
    assert shop.uses_left() == 0
    shop.core.clock.advance(timedelta(minutes=11))
    shop.core.inventory.expire_holds()  # converted: nothing to give back
    assert shop.uses_left() == 0


def test_a_failed_payment_and_a_cancellation_give_the_use_back(shop):
    shop.code(max_uses=1)
    buyer = shop.core.person()
    shop.core.card.decline = "insufficient funds"
    with pytest.raises(RuleViolation, match="card declined"):
        shop.core.orders.buy(buyer, shop.standing, 1, tender=Tender.CARD, voucher="EARLY")
    assert shop.uses_left() == 1
    shop.core.card.decline = None
    order = shop.core.orders.buy(buyer, shop.standing, 1, tender=Tender.CARD,
                                 voucher="EARLY")
    assert shop.uses_left() == 0
    shop.core.orders.cancel(buyer, order.number)
    assert shop.uses_left() == 1


def test_a_counter_sale_redeems_in_its_one_transaction(shop):
    shop.code(max_uses=1)
    clerk = shop.core.clerk(shop.standing)
    order = shop.core.orders.buy(clerk, shop.standing, 1, tender=Tender.CASH,
                                 voucher="EARLY")
    assert order.amount == 3600 and order.tendered_amount == 3600
    assert shop.uses_left() == 0
    with pytest.raises(RuleViolation, match="used up"):
        shop.core.orders.buy(clerk, shop.standing, 1, tender=Tender.CASH, voucher="EARLY")
    assert shop.core.stock(shop.standing).available == 99


def test_voided_expired_unknown_and_foreign_codes_are_refused(shop):
    shop.code("LATE", valid_until=f"{shop.core.clock.now() + timedelta(hours=1):%Y-%m-%dT%H:%M}")
    shop.code("GONE")
    shop.vouchers.void(shop.organizer, shop.event_id, "gone")
    other_event = shop.core.event(shop.organizer)
    shop.vouchers.create(shop.organizer, other_event, "ELSEWHERE",
                         VoucherTerms(percent=10, max_uses=5))
    buyer = shop.core.person()

    def hold(code: str) -> None:
        shop.core.inventory.hold_basket(buyer, [(shop.standing, 1)], voucher=code)

    with pytest.raises(RuleViolation, match="code GONE was voided"):
        hold("GONE")
    with pytest.raises(NotFound, match="code ELSEWHERE for E1 not found"):
        hold("elsewhere")
    with pytest.raises(NotFound, match="code NOPE for E1 not found"):
        hold("nope")
    shop.core.clock.advance(timedelta(hours=2))
    with pytest.raises(RuleViolation, match="code LATE expired on") as expired:
        hold("LATE")
    assert expired.value.code == "voucher_expired"
    assert shop.core.stock(shop.standing).available == 100


def test_a_code_is_for_at_most_its_per_order_tickets_of_its_types(shop):
    shop.code(per_order=2, types=("E1-T1",))
    buyer = shop.core.person()
    with pytest.raises(RuleViolation, match=r"at most 2 ticket\(s\) per order, 3 asked"):
        shop.core.inventory.hold_basket(buyer, [(shop.standing, 3)], voucher="EARLY")
    with pytest.raises(RuleViolation, match="not for these tickets"):
        shop.core.inventory.hold_basket(buyer, [(shop.seated, 1)], voucher="EARLY")
    shop.core.inventory.hold_basket(buyer, [(shop.standing, 2), (shop.seated, 1)],
                                    voucher="EARLY")


def test_a_hidden_type_is_held_only_with_a_code_that_unlocks_it(shop):
    buyer = shop.core.person()
    with pytest.raises(NotFound, match="ticket type E1-T3 not found"):
        shop.core.inventory.hold_basket(buyer, [(shop.press, 1)])
    shop.code("EARLY")  # a discount for every type does not open a hidden one
    with pytest.raises(NotFound, match="ticket type E1-T3 not found"):
        shop.core.inventory.hold_basket(buyer, [(shop.press, 1)], voucher="EARLY")
    shop.code("PRESS", unlock_only=True, max_uses=3)
    hold = shop.core.inventory.hold_basket(buyer, [(shop.press, 1)], voucher="press")
    assert hold.status is HoldStatus.ACTIVE
    assert shop.uses_left("PRESS") == 2
    shop.code("CREW", percent=50, types=("E1-T3",))
    shop.core.inventory.hold_basket(buyer, [(shop.press, 1)], voucher="CREW")


def test_only_the_organizer_or_an_admin_handles_codes_and_terms_are_checked(shop):
    with pytest.raises(NotAllowed):
        shop.vouchers.create(shop.core.person(), shop.event_id, "MINE",
                             VoucherTerms(percent=10))
    admin = shop.core.person(Role.ADMIN, "Ada Admin")
    shop.vouchers.create(admin, shop.event_id, "ADMIN", VoucherTerms(percent=10))
    with pytest.raises(RuleViolation, match="E1 already has a code ADMIN"):
        shop.code("admin")
    with pytest.raises(Invalid, match="between 1 and 100"):
        shop.code("BIG", percent=120)
    with pytest.raises(Invalid, match="give a percent or an amount"):
        shop.vouchers.create(shop.organizer, shop.event_id, "NONE", VoucherTerms())
    with pytest.raises(Invalid, match="letters, digits"):
        shop.code("no/slash")
    with pytest.raises(Invalid, match="E1 has no ticket type E1-T9"):
        shop.code("TYPES", types=("E1-T9",))


def test_generated_codes_are_single_use_and_distinct(shop):
    made = shop.vouchers.generate(shop.organizer, shop.event_id, 50,
                                  VoucherTerms(percent=10, max_uses=7))
    assert len({v.code for v in made}) == 50
    assert {v.max_uses for v in made} == {1}
    assert len(shop.vouchers.list(shop.organizer, shop.event_id)) == 50
    buyer = shop.core.person()
    shop.core.orders.buy(buyer, shop.standing, 1, tender=Tender.CARD,
                         voucher=made[0].code.lower())
    with pytest.raises(RuleViolation, match="used up"):
        shop.core.orders.buy(buyer, shop.standing, 1, tender=Tender.CARD,
                             voucher=made[0].code)




def test_a_code_is_checked_for_a_basket_without_taking_a_use(shop):
    shop.code("FIVE", amount="5.00", max_uses=1)
    checked = shop.vouchers.check("five", [(shop.standing, 2)])
    assert checked.discount is not None and checked.discount.amount == 500
    assert shop.uses_left("FIVE") == 1
    with pytest.raises(NotFound, match="code NOPE for E1 not found"):
        shop.vouchers.check("nope", [(shop.standing, 1)])
