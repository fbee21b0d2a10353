"""A card order paid in the buyer's browser, on the in-memory unit of work: it waits
PENDING with its seats, a declined card leaves it payable, a paid one is confirmed with
its tickets, and a guest's order is the visitor's to see."""

from __future__ import annotations

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.errors import NotFound, RuleViolation
from tix.core.orders.checkout import PlaceOrder
from tix.core.orders.model import OrderStatus, Tender
from tix.core.principal import Buyer


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


def test_a_browser_order_waits_then_a_declined_card_then_a_paid_one(core):
    standing = core.ticket_type(core.event(), "Standing")
    buyer = core.person()
    hold = core.inventory.place_hold(buyer, standing, 2)
    order = core.orders.place(PlaceOrder(principal=buyer, tender=Tender.CARD,
                                         hold_id=hold.id, in_browser=True))
    assert (order.status, order.pay_until) == (OrderStatus.PENDING, hold.expires_at)
    assert core.stock(standing).available == 98 and not core.card.charged
    core.card.decline = "insufficient funds"
    with pytest.raises(RuleViolation, match="card declined: insufficient funds") as refused:
        core.orders.pay_in_browser(buyer, order.id, payment_method="pm_1")
    assert refused.value.code == "card_declined"
    assert core.order(order.id).status is OrderStatus.PENDING
    core.card.decline = None
    paid = core.orders.pay_in_browser(buyer, order.id, payment_method="pm_2")
    assert paid.order.status is OrderStatus.COMPLETED
    assert core.card.charged == {order.id: 9000}


def test_a_guests_order_is_the_visitors_to_see_and_nobody_elses(core):
    standing = core.ticket_type(core.event(), "Standing")
    visitor, stranger = core.person(), core.person(name="Sam Stranger")
    guest = core.person(name="Gina Guest")
    order = core.orders.place(PlaceOrder(
        principal=visitor, tender=Tender.CARD, items=[(standing, 1)], in_browser=True,
        buyer=Buyer(guest.user_id, guest.email, guest.name)))
    assert order.user_id == guest.user_id and order.taken_by == visitor.user_id
    assert core.orders.show(visitor, order.number).id == order.id
    with pytest.raises(NotFound):
        core.orders.show(stranger, order.number)
    with pytest.raises(NotFound):  # by number: only for whoever may see it
        core.orders.browser_payment(stranger, order.number)
    assert core.orders.browser_payment(None, order.id).state.status \
        == "requires_payment_method"  # by its id: the pay link's
