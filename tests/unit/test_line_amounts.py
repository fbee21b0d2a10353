"""What each line of an order came to, and an amount shared over the lines: the sales
report's per-type money adds up to what the orders were paid and refunded."""

from tix.core.orders.model import Discount, OrderLine, Tender, line_amounts, order_amount, shares

LINES = [OrderLine("standing", 2, 4500), OrderLine("seated", 1, 6550)]


def test_the_lines_add_up_to_the_order_with_a_percent_or_a_fixed_amount_off():
    for discount in (None, Discount("TEN", percent=10), Discount("FIVE", amount=500),
                     Discount("SEAT", amount=10_000, ticket_type_ids=("seated",))):
        assert sum(line_amounts(LINES, Tender.CASH, discount)) == order_amount(
            LINES, Tender.CASH, discount)
    assert line_amounts(LINES, Tender.CASH, Discount("FIVE", amount=500)) == [8500, 6550]
    assert line_amounts(LINES, Tender.CASH, Discount("SEAT", amount=10_000,
                                                     ticket_type_ids=("seated",))) == [9000, 0]
    assert line_amounts(LINES, Tender.COMP) == [0, 0]


def test_a_refund_is_shared_by_what_each_line_cost_to_the_last_cent():
    assert shares(7775, [9000, 6550]) == [4500, 3275]  # half of each
    assert shares(1000, [9000, 6550]) == [579, 421]  # 578.78 + 421.22: a cent to the first
    assert shares(15550, [9000, 6550]) == [9000, 6550]
    assert shares(100, [0, 0]) == [100, 0]  # nothing was paid: the first line has it
    assert shares(0, []) == []
