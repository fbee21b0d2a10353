"""Selling on the in-memory unit of work: the counter, the card saga and its compensation."""

from __future__ import annotations

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.catalog.model import TeamRole
from tix.core.errors import Invalid, NotAllowed, RuleViolation
from tix.core.inventory.events import TicketsReturned
from tix.core.inventory.model import HoldStatus
from tix.core.orders.events import OrderFailed, PaymentCompleted
from tix.core.orders.model import OrderStatus, Tender
from tix.core.principal import Role
from tix.core.tickets.model import TicketStatus


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


def test_a_counter_sale_is_paid_and_has_its_tickets_when_it_returns(core):
    event_id = core.event()
    standing = core.ticket_type(event_id, "Standing")
    clerk = core.clerk(event_id)
    order = core.orders.buy(clerk, standing, 2, tender=Tender.CASH, tendered=10000,
                            holders=["Ada Lovelace"])
    assert order.status is OrderStatus.COMPLETED
    assert (order.amount, order.tendered_amount, order.taken_by) == (9000, 10000, clerk.user_id)
    assert core.order(order.id).status is OrderStatus.COMPLETED
    assert core.stock(standing).available == 98
    tickets = core.tickets_of(order.id)
    assert [(t.number, t.holder, t.status) for t in tickets] == [
        ("E1-000001", "Ada Lovelace", TicketStatus.VALID),
        ("E1-000002", "Clara Clerk", TicketStatus.VALID)]
    [paid] = core.store.messages(PaymentCompleted)
    assert (paid.order_id, paid.quantity, paid.amount) == (order.id, 2, 9000)

    second = core.orders.buy(clerk, standing, 1, tender=Tender.CASH)  # exact change
    assert [t.number for t in core.tickets_of(second.id)] == ["E1-000003"]


def test_cash_short_of_the_amount_is_refused_and_sells_nothing(core):
    standing = core.ticket_type(core.event(), "Standing")
    clerk = core.clerk(standing)
    with pytest.raises(Invalid, match=r"cash: 90\.00 EUR due, 50\.00 EUR tendered"):
        core.orders.buy(clerk, standing, 2, tender=Tender.CASH, tendered=5000)
    assert core.stock(standing).available == 100
    assert core.store.messages(PaymentCompleted) == []


def test_only_clerks_take_cash(core):
    standing = core.ticket_type(core.event(), "Standing")
    with pytest.raises(NotAllowed, match="taken at the box office by a clerk on the event"):
        core.orders.buy(core.person(), standing, 1, tender=Tender.CASH)
    assert core.stock(standing).available == 100


def test_a_clerk_takes_cash_only_for_the_events_whose_team_has_them(core):
    standing = core.ticket_type(core.event(), "Standing")
    elsewhere = core.clerk(core.event(name="Another night"))
    with pytest.raises(NotAllowed, match="clerk on the event's team"):
        core.orders.buy(elsewhere, standing, 1, tender=Tender.CASH)
    with pytest.raises(NotAllowed):
        core.orders.buy(core.person(Role.CLERK, "Nora Noteam"), standing, 1,
                        tender=Tender.CASH)
    door = core.on_team(core.ticket_type_event(standing), core.person(name="Dan Door"),
                        TeamRole.DOOR)
    with pytest.raises(NotAllowed):
        core.orders.buy(door, standing, 1, tender=Tender.CASH)
    assert core.stock(standing).available == 100
    customer_on_team = core.on_team(core.ticket_type_event(standing),
                                    core.person(name="Cleo Counter"))
    assert core.orders.buy(customer_on_team, standing, 1, tender=Tender.CASH).amount == 4500


def test_a_counter_sale_of_more_than_is_left_says_how_many_are_left(core):
    seated = core.ticket_type(core.event(), "Seated")
    clerk = core.clerk(seated)
    core.orders.buy(clerk, seated, 19, tender=Tender.CASH)
    with pytest.raises(RuleViolation, match="1 left, 2 asked"):
        core.orders.buy(clerk, seated, 2, tender=Tender.CASH)
    assert core.stock(seated).available == 1
    assert len(core.store.messages(PaymentCompleted)) == 1  # the refused sale left nothing


def test_a_card_checkout_charges_once_and_confirms(core):
    seated = core.ticket_type(core.event(), "Seated")
    buyer = core.person()
    hold = core.inventory.place_hold(buyer, seated, 2)
    order = core.orders.checkout(buyer, hold.id, tender=Tender.CARD)
    assert order.status is OrderStatus.COMPLETED
    assert core.order(order.id).status is OrderStatus.COMPLETED
    assert core.order(order.id).payment_reference == f"pi_{order.id}"
    assert core.card.charged == {order.id: 13100}
    assert core.inventory.get_hold(buyer, hold.id).status is HoldStatus.CONVERTED
    assert core.stock(seated).available == 18  # taken by the hold, kept by the sale
    assert [m.order_id for m in core.store.messages(PaymentCompleted)] == [order.id]

    with pytest.raises(RuleViolation, match="expired or was used"):
        core.orders.checkout(buyer, hold.id, tender=Tender.CARD)  # a hold buys once
    assert core.card.charged == {order.id: 13100}


def test_a_refused_card_fails_the_order_and_puts_its_tickets_back_once(core):
    seated = core.ticket_type(core.event(), "Seated")
    buyer = core.person()
    core.card.decline = "insufficient funds"
    with pytest.raises(RuleViolation, match="card declined: insufficient funds"):
        core.orders.buy(buyer, seated, 3, tender=Tender.CARD)
    [failed] = core.store.messages(OrderFailed)
    order = core.order(failed.order_id)
    assert order.status is OrderStatus.FAILED
    assert "insufficient funds" in (order.failure_reason or "")
    assert core.stock(seated).available == 20  # back, and not twice
    assert [(m.quantity, m.reason) for m in core.store.messages(TicketsReturned)] \
        == [(3, "payment_failed")]
    assert core.store.messages(PaymentCompleted) == []
    assert core.card.charged == {}
