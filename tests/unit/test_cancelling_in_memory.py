"""Cancelling on the in-memory unit of work: what the policy refunds, and what follows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.errors import NotFound, RuleViolation
from tix.core.inventory.events import TicketsReturned
from tix.core.messages import load_message
from tix.core.orders.events import OrderCancelled
from tix.core.orders.model import OrderStatus, Tender
from tix.core.tickets.model import TicketStatus


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


def bought(core: MemoryCore, *, days: int, quantity: int = 2):
    """A buyer's card order of Standing tickets (45.00 EUR each), `days` before the start."""
    event_id = core.event(days=days)  # the default policy: 100 % up to 7 days, 50 % up to 2
    buyer = core.person()
    order = core.orders.buy(buyer, core.ticket_type(event_id, "Standing"), quantity,
                            tender=Tender.CARD)
    return buyer, order


@pytest.mark.parametrize(("days", "refund", "rule"), [
    (30, 9000, "100 %: 7 days or more before the start"),
    (5, 4500, "50 %: less than 7 days before the start"),
])
def test_the_quote_says_what_the_policy_refunds_and_by_which_rule(core, days, refund, rule):
    buyer, order = bought(core, days=days)
    quote = core.orders.cancellation_quote(buyer, order.number)
    assert quote.order.id == order.id
    assert quote.refund == refund
    assert quote.terms.describe() == rule
    assert core.order(order.id).status is OrderStatus.COMPLETED  # a quote changes nothing


def test_too_late_to_cancel_says_the_policy(core):
    buyer, order = bought(core, days=1)
    with pytest.raises(RuleViolation, match="too late to cancel") as refused:
        core.orders.cancellation_quote(buyer, order.number)
    assert refused.value.code == "outside_policy"


def test_cancelling_refunds_the_quote_voids_the_tickets_and_puts_them_back_on_sale(core):
    buyer, order = bought(core, days=5)
    [standing] = order.quantities
    assert core.stock(standing).available == 98

    cancelled = core.orders.cancel(buyer, order.number)
    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.refunded_amount == 4500
    assert core.card.refunded == {order.id: 4500}
    assert core.order(order.id).status is OrderStatus.CANCELLED
    assert core.stock(standing).available == 100
    [message] = core.store.messages(OrderCancelled)
    assert (message.order_id, message.refund_amount, message.total) == (order.id, 4500, 9000)
    # one written before it said the total is read back without it: not taken for free
    written_before = {k: v for k, v in message.to_payload().items() if k != "total"}
    assert load_message("OrderCancelled", written_before).total is None
    assert [(m.quantity, m.reason) for m in core.store.messages(TicketsReturned)] \
        == [(2, "cancelled")]
    assert [e.details["amount"] for e in core.store.audit("order.refunded")] == ["4500"]

    with pytest.raises(RuleViolation, match="cancelled"):
        core.orders.cancel(buyer, order.number)  # once
    assert core.card.refunded == {order.id: 4500}


def test_someone_else_may_not_cancel_a_buyers_order(core):
    _, order = bought(core, days=30)
    stranger = core.person(name="Sam Stranger")
    with pytest.raises(NotFound):  # others' orders do not exist for them
        core.orders.cancel(stranger, order.number)
    assert core.order(order.id).status is OrderStatus.COMPLETED


def test_a_counter_sales_tickets_are_voided_by_its_cancellation(core):
    event_id = core.event(days=30)
    clerk = core.clerk(event_id)
    order = core.orders.buy(clerk, core.ticket_type(event_id, "Seated"), 2, tender=Tender.CASH)
    core.clock.advance(timedelta(hours=1))
    core.orders.cancel(clerk, order.number)
    assert [t.status for t in core.tickets_of(order.id)] == [TicketStatus.VOIDED] * 2
