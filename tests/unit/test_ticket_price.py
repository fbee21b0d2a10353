"""What one ticket of an order cost, its discount taken off: what refunding it gives back.
Refunding every ticket of an order one by one never passes what the order was paid."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tix.core.orders.model import Discount, Order, OrderLine, Tender, ticket_price


def an_order(*lines: OrderLine, tender: Tender = Tender.CASH,
             discount: Discount | None = None) -> Order:
    return Order(id="o", number="TIX-AAAA-AA", user_id="u", event_id="e", lines=list(lines),
                 currency="EUR", tender=tender, holders=[],
                 created_at=datetime(2026, 1, 1, tzinfo=UTC), discount=discount)


def test_without_a_discount_a_ticket_is_its_price():
    order = an_order(OrderLine("ga", 2, 4500), OrderLine("vip", 1, 6550))
    assert (ticket_price(order, "ga"), ticket_price(order, "vip")) == (4500, 6550)


def test_a_percent_comes_off_the_types_it_applies_to_in_the_buyers_favour():
    order = an_order(OrderLine("ga", 3, 3333), OrderLine("vip", 1, 6550),
                     discount=Discount("TEN", percent=10, ticket_type_ids=("ga",)))
    assert (ticket_price(order, "ga"), ticket_price(order, "vip")) == (2999, 6550)


def test_a_complimentary_ticket_refunds_nothing():
    assert ticket_price(an_order(OrderLine("ga", 2, 4500), tender=Tender.COMP), "ga") == 0


@pytest.mark.parametrize("discount", [
    Discount("FIVE", amount=500), Discount("ALL", amount=10**6),
    Discount("BOTH", percent=15, amount=777), Discount("GA", amount=999, ticket_type_ids=("ga",))])
def test_a_fixed_amount_is_shared_out_so_the_tickets_never_pass_the_total(discount):
    order = an_order(OrderLine("ga", 3, 4500), OrderLine("vip", 2, 6550), discount=discount)
    each = [ticket_price(order, line.ticket_type_id) for line in order.lines
            for _ in range(line.quantity)]
    assert sum(each) <= order.amount
    assert order.amount - sum(each) < len(each)  # only the rounding is kept


def test_a_fixed_amount_off_some_types_leaves_the_others_at_their_price():
    order = an_order(OrderLine("ga", 2, 4500), OrderLine("vip", 1, 6550),
                     discount=Discount("GA", amount=1000, ticket_type_ids=("ga",)))
    assert (ticket_price(order, "ga"), ticket_price(order, "vip")) == (4000, 6550)
