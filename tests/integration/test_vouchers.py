"""Vouchers on SQLite and PostgreSQL: a code's uses are never passed however many buyers
race for them, holds and orders give their use back, and the receipt shows the discount."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import text

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import deliver, logged_in
from tix.core.errors import RuleViolation
from tix.core.orders.model import OrderStatus, Tender
from tix.core.principal import Role
from tix.core.vouchers.service import VoucherTerms


def uses_left(runtime, event_id, code):
    with runtime.uow(readonly=True) as uow:
        voucher = uow.vouchers.by_code(event_id, code)
    assert voucher is not None
    return voucher.uses_left


def test_fifty_buyers_race_for_five_uses_and_exactly_five_redeem(runtime, make_runtime,
                                                                   database):
    """Fifty buyers in four processes, half holding with the code and half buying at the
    counter with it, all at once: five get it, the others are told it is used up and
    take nothing."""
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    runtime.vouchers.create(owner, event_id, "FIVE", VoucherTerms(percent=50, max_uses=5))
    processes = [make_runtime(database) for _ in range(4)]
    buyers = [logged_in(runtime, f"c{n}@example.com", role=Role.CLERK) for n in range(50)]
    start = threading.Barrier(8)

    on_every_team(runtime, *buyers)
    def buy(n: int) -> str:
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait(timeout=5)
        process = processes[n % 4]
        try:
            if n % 2:
                process.inventory.hold_basket(buyers[n], [(standing.id, 1)], voucher="five")
                return "held"
            order = process.orders.buy(buyers[n], standing.id, 1, tender=Tender.CASH,
                                       voucher="five")
        except RuleViolation as refused:
            return refused.code
        return "sold" if order.amount == 2250 else f"sold at {order.amount}"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(buy, range(50)))
    assert set(outcomes) <= {"sold", "held", "voucher_used_up"}
    assert outcomes.count("sold") + outcomes.count("held") == 5
    assert uses_left(runtime, event_id, "FIVE") == 0
    with runtime.engine.connect() as conn:
        orders = conn.execute(text(
            "SELECT count(*) FROM orders WHERE voucher_id IS NOT NULL")).scalar_one()
        holds = conn.execute(text(
            "SELECT count(*) FROM holds WHERE voucher_id IS NOT NULL")).scalar_one()
    assert (orders, holds) == (outcomes.count("sold"), outcomes.count("held"))
    # the refused ones took no tickets
    assert runtime.catalog.show(event_id).ticket_types[0].available == 95


def test_released_and_expired_holds_and_a_cancelled_order_give_their_use_back(runtime, clock):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    runtime.vouchers.create(owner, event_id, "TWO", VoucherTerms(amount="5.00", max_uses=2))
    buyer = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, buyer)
    first = runtime.inventory.hold_basket(buyer, [(standing.id, 1)], voucher="two")
    runtime.inventory.hold_basket(buyer, [(standing.id, 1)], voucher="TWO")
    assert uses_left(runtime, event_id, "TWO") == 0
    runtime.inventory.release_hold(first.id)
    assert uses_left(runtime, event_id, "TWO") == 1
    clock.advance(timedelta(minutes=11))
    assert runtime.inventory.expire_holds() == 1
    assert uses_left(runtime, event_id, "TWO") == 2
    order = runtime.orders.buy(buyer, standing.id, 2, tender=Tender.CASH, voucher="two")
    assert (order.amount, order.discount_amount) == (8500, 500)
    assert uses_left(runtime, event_id, "TWO") == 1
    assert runtime.orders.show(buyer, order.number).amount == 8500  # as stored
    cancelled = runtime.orders.cancel(buyer, order.number)
    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.refunded_amount == 8500  # what was paid, not the list price
    assert uses_left(runtime, event_id, "TWO") == 2


def test_the_receipt_and_the_sales_report_show_the_discount(runtime, mailer):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    runtime.vouchers.create(owner, event_id, "EARLY", VoucherTerms(percent=20, max_uses=9))
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH, voucher="early")
    assert order.amount == 7200
    deliver(runtime)
    [receipt] = [m for m in mailer.to("clara@example.com") if m.subject.startswith("Receipt")]
    for expected in ("2 x Standing at 36.00 EUR", "Code       EARLY: 18.00 EUR off",
                     "Total      72.00 EUR"):
        assert expected in receipt.text, expected
    assert "EARLY: 18.00 EUR off" in receipt.html
    report = {line.name: (line.sold, line.revenue)
              for line in runtime.orders.sales(owner, event_id).lines}
    assert report["Standing"] == (2, 7200)
    assert [d.price for d in runtime.tickets.order_documents(order.id)] == ["36.00 EUR"] * 2


def test_the_sales_report_takes_a_fixed_amount_off_the_lines_it_applies_to(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing, seated = runtime.catalog.show(event_id).ticket_types[:2]
    runtime.vouchers.create(owner, event_id, "FIVE", VoucherTerms(amount="5.00", max_uses=9))
    runtime.vouchers.create(owner, event_id, "SEATS", VoucherTerms(
        amount="100.00", max_uses=9, types=(seated.id,)))
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    first = runtime.orders.buy_basket(clerk, [(standing.id, 1), (seated.id, 1)],
                                      tender=Tender.CASH, voucher="five")
    second = runtime.orders.buy_basket(clerk, [(standing.id, 1), (seated.id, 1)],
                                       tender=Tender.CASH, voucher="seats")
    assert (first.amount, second.amount) == (10550, 4500)
    assert [d.price for d in runtime.tickets.order_documents(first.id)] == [
        "45.00 EUR (FIVE: 5.00 EUR off the order)", "65.50 EUR (FIVE: 5.00 EUR off the order)"]
    report = runtime.orders.sales(owner, event_id)
    lines = {line.name: (line.sold, line.revenue) for line in report.lines}
    assert lines == {"Standing": (2, 4000 + 4500), "Seated": (2, 6550 + 0)}
    assert report.revenue == first.amount + second.amount


def test_a_code_voided_in_another_process_sells_nothing_though_its_terms_were_kept(
        runtime, make_runtime, database):
    """A process keeps a code's terms a moment for the next sales; the commit alone takes
    the use, so a code voided elsewhere meanwhile is refused and nothing is sold."""
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    runtime.vouchers.create(owner, event_id, "KEPT", VoucherTerms(percent=10, max_uses=9))
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, voucher="kept")  # kept now
    make_runtime(database).vouchers.void(owner, event_id, "KEPT")
    try:
        runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, voucher="kept")
    except RuleViolation as refused:
        assert refused.code in ("voucher_used_up", "voucher_voided")
    else:
        raise AssertionError("a voided code was redeemed")
    assert uses_left(runtime, event_id, "KEPT") == 8
    with runtime.uow(readonly=True) as uow:
        assert uow.stock.levels([standing.id])[standing.id].available == 99
