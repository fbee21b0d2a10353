"""Refunds short of a cancellation never add up to more than was paid — under any
concurrency, on both databases — and a refund whose answer was lost is made once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.integration.test_stripe import (
    FaultyProxy,
    every,
    refunded,
    reply_lost_then_unreadable,
)
from tests.support import deliver, logged_in
from tix.core.errors import Busy, RuleViolation, Unavailable
from tix.core.ids import new_id
from tix.core.orders.model import OrderStatus, Refund, RefundStatus, Tender
from tix.core.principal import Role


def a_cash_order(runtime, quantity=2):
    """Olga's event, `quantity` Standing tickets (45.00 EUR) sold for cash by Clara."""
    owner = organizer(runtime)
    standing = runtime.catalog.show(an_event(runtime, owner)).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)  # sells for the events there are
    order = runtime.orders.buy(clerk, standing.id, quantity, tender=Tender.CASH,
                               tendered=4500 * quantity)
    return owner, order


def refunds_in_database(runtime, order_id) -> tuple[int, int]:
    """(the order's refunded amount, the sum of its refunds' rows)."""
    with runtime.uow(readonly=True) as uow:
        order = uow.orders.get(order_id)
        rows = uow.orders.refunds_of(order_id)
    assert order is not None
    return order.refunded_amount, sum(r.amount for r in rows)


def test_twenty_refunds_racing_on_one_order_never_pass_what_was_paid(
        runtime, make_runtime, database):
    owner, order = a_cash_order(runtime)  # 90.00 EUR paid
    processes = [make_runtime(database) for _ in range(4)]

    def try_refund(n: int) -> str:
        try:
            processes[n % 4].orders.refund(owner, order.number, amount=1000,
                                           reason=f"race {n}")
            return "refunded"
        except RuleViolation as refused:
            assert refused.code == "over_refundable", refused.message
            return "refused"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(try_refund, range(20)))
    assert outcomes.count("refunded") == 9 and outcomes.count("refused") == 11
    assert refunds_in_database(runtime, order.id) == (9000, 9000)
    shown = runtime.orders.show(owner, order.number)
    assert shown.status is OrderStatus.COMPLETED and shown.refunded_amount == 9000
    with pytest.raises(RuleViolation, match=r"0\.00 EUR \(paid 90\.00 EUR"):
        runtime.orders.refund(owner, order.number, amount=1)


def test_the_database_itself_refuses_refunds_past_what_was_paid(
        runtime, make_runtime, database):
    """Past the service's checks (no lock, no reading first): the conditional UPDATE of
    the order's refunded amount, by twenty transactions at once, stops at what was paid."""
    owner, order = a_cash_order(runtime)
    processes = [make_runtime(database) for _ in range(4)]

    def reserve(n: int) -> bool:
        refund = Refund(id=new_id(), order_id=order.id, key=f"raw-{n}", amount=2000,
                        reason="raw", actor_id=owner.user_id, actor=owner.email,
                        created_at=runtime.clock.now())
        with processes[n % 4].uow() as uow:
            reserved = uow.orders.reserve_refund(refund, paid=order.amount,
                                                 claimed_until=runtime.clock.now())
            uow.commit()
        return reserved

    with ThreadPoolExecutor(8) as pool:
        reserved = list(pool.map(reserve, range(20)))
    assert reserved.count(True) == 4  # 4 x 20.00 of 90.00; a fifth would pass it
    assert refunds_in_database(runtime, order.id) == (8000, 8000)


def test_a_refunded_ticket_is_refused_at_the_door_and_its_seat_sells_again(runtime):
    owner, order = a_cash_order(runtime, 2)
    first, second = runtime.tickets.of_orders([order.id])[order.id]
    standing = order.lines[0].ticket_type_id
    with runtime.uow(readonly=True) as uow:
        before = uow.stock.levels([standing])[standing].available
    done = runtime.orders.refund(owner, order.number, ticket=first.number)
    assert (done.amount, done.status) == (4500, RefundStatus.DONE)
    with runtime.uow(readonly=True) as uow:
        assert uow.stock.levels([standing])[standing].available == before + 1
    with pytest.raises(RuleViolation):
        runtime.tickets.check_in(owner, first.qr_payload, None)
    assert runtime.tickets.check_in(owner, second.qr_payload, None).ticket.id == second.id
    # cancelling now refunds the other ticket and gives back its seat only
    cancelled = runtime.orders.cancel(owner, order.number, refund_used=True)
    assert (cancelled.status, cancelled.refunded_amount) == (OrderStatus.CANCELLED, 9000)
    with runtime.uow(readonly=True) as uow:
        assert uow.stock.levels([standing])[standing].available == before + 2


def test_tickets_given_back_are_not_counted_sold_when_their_seats_sell_again(runtime):
    owner, order = a_cash_order(runtime, 3)
    first, second, _ = runtime.tickets.of_orders([order.id])[order.id]
    standing = order.lines[0].ticket_type_id

    def sold() -> tuple[int, int, int]:
        line = next(x for x in runtime.orders.sales(owner, order.event_id).lines
                    if x.ticket_type_id == standing)
        return line.sold, line.available, line.quantity

    before = sold()
    runtime.orders.refund(owner, order.number, ticket=first.number)
    runtime.tickets.void_ticket(owner, second.number, reason="double booked")
    assert sold() == (before[0] - 2, before[1] + 2, before[2])
    clerk = logged_in(runtime, "cody@example.com", role=Role.CLERK, name="Cody Clerk")
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, standing, 2, tender=Tender.CASH, tendered=9000)  # sold again
    assert sold() == before  # sold + available stays within the quantity
    report = runtime.orders.sales(owner, order.event_id)
    assert report.revenue == 5 * 4500  # what was paid; the breakdown nets the refund
    assert runtime.orders.sales(owner, order.event_id, breakdown=True).refunded == 4500


def test_the_buyers_export_lists_the_refunds_of_their_orders(runtime):
    import json

    owner, order = a_cash_order(runtime, 2)
    first = runtime.tickets.of_orders([order.id])[order.id][0]
    runtime.orders.refund(owner, order.number, ticket=first.number, reason="could not come")
    runtime.orders.refund(owner, order.number, amount=500, reason="late start")
    data = json.loads(json.dumps(runtime.privacy.export(order.user_id), default=str))
    exported = next(o for o in data["orders"] if o["number"] == order.number)
    assert exported["refunded_amount"] == 5000
    assert [(r["amount"], r["reason"], r["status"], r["ticket_number"])
            for r in sorted(exported["refunds"], key=lambda r: r["amount"])] == [
        (500, "late start", "DONE", None), (4500, "could not come", "DONE", first.number)]
    assert "olga" not in json.dumps(exported["refunds"]).lower()  # the organizer is not theirs


# -- through a Stripe-compatible server, with its answers lost ---------------------------

@pytest.fixture
def card_shop(make_runtime, database, stripe_base):
    """open(fate) → (runtime, organizer, a paid card order of 2 x 45.00, proxy)."""
    proxies: list[FaultyProxy] = []

    def open_shop(fate):
        proxy = FaultyProxy(stripe_base, fate)
        proxies.append(proxy)
        runtime = make_runtime(database, stripe_api_key="sk_test_tix",
                               stripe_api_base=proxy.base)
        owner = organizer(runtime)
        standing = runtime.catalog.show(an_event(runtime, owner)).ticket_types[0]
        buyer = logged_in(runtime)
        order = runtime.orders.buy(buyer, standing.id, 2, tender=Tender.CARD,
                                   payment_method="pm_card_visa")
        return runtime, owner, order, proxy

    yield open_shop
    for proxy in proxies:
        proxy.close()


def test_a_refund_whose_reply_was_lost_is_found_by_its_id_and_made_once(
        card_shop, stripe_base):
    runtime, owner, order, proxy = card_shop(every("/refunds", "reply lost", times=1))
    done = runtime.orders.refund(owner, order.number, amount=1250, reason="late start")
    assert done.status is RefundStatus.DONE and done.reference.startswith("re_")
    assert proxy.count("reply lost") == 1
    assert refunded(stripe_base, order.payment_reference) == 1250  # once, not twice
    assert refunds_in_database(runtime, order.id) == (1250, 1250)


def test_a_refund_left_unanswered_is_finished_by_the_daemon_once(card_shop, stripe_base):
    """The refund was made but neither its reply nor the check after it arrived: it was
    recorded first, so it stays PENDING (and counted); the daemon finishes it when its
    claim runs out, finding the refund made under its id — nothing more is refunded."""
    runtime, owner, order, _ = card_shop(reply_lost_then_unreadable("/refunds", 1))
    with pytest.raises(Unavailable, match=r"refund of 12\.50 EUR of order .* is recorded"):
        runtime.orders.refund(owner, order.number, amount=1250, key="k-1")
    assert refunded(stripe_base, order.payment_reference) == 1250  # the money is back
    [pending] = runtime.orders.refunds_of(owner, order.number)
    assert pending.status is RefundStatus.PENDING
    with pytest.raises(RuleViolation, match="more than is left"):  # it is counted
        runtime.orders.refund(owner, order.number, amount=9000 - 1250 + 1)
    with pytest.raises(RuleViolation, match="refund under way"):  # its money first
        runtime.orders.cancel(owner, order.number)
    with pytest.raises(Busy, match="under way"):  # asked again: claimed still
        runtime.orders.refund(owner, order.number, amount=1250, key="k-1")
    deliver(runtime)  # the claim has not run out: the daemon waits
    assert runtime.orders.refunds_of(owner, order.number)[0].status is RefundStatus.PENDING
    runtime.clock.advance(timedelta(seconds=61))
    deliver(runtime)
    [done] = runtime.orders.refunds_of(owner, order.number)
    assert done.status is RefundStatus.DONE and done.id == pending.id
    assert refunded(stripe_base, order.payment_reference) == 1250  # not twice
    again = runtime.orders.refund(owner, order.number, amount=1250, key="k-1")
    assert again.id == pending.id and again.status is RefundStatus.DONE
    assert refunded(stripe_base, order.payment_reference) == 1250
    # a cancellation then refunds the rest, through the same payment, to the total paid
    cancelled = runtime.orders.cancel(owner, order.number)
    assert cancelled.refunded_amount == 9000
    assert refunded(stripe_base, order.payment_reference) == 9000


def test_a_refund_asked_again_with_its_key_after_a_lost_answer_is_made_once(
        card_shop, stripe_base):
    runtime, owner, order, _ = card_shop(reply_lost_then_unreadable("/refunds", 1))
    with pytest.raises(Unavailable):
        runtime.orders.refund(owner, order.number, amount=2000, key="k-2")
    runtime.clock.advance(timedelta(seconds=61))  # the first try's claim ran out
    done = runtime.orders.refund(owner, order.number, amount=2000, key="k-2")
    assert done.status is RefundStatus.DONE
    assert refunded(stripe_base, order.payment_reference) == 2000
    assert refunds_in_database(runtime, order.id) == (2000, 2000)


def test_the_payment_services_word_of_tix_own_refunds_cancels_nothing(runtime):
    """Its webhook reports the payment's refunds in all: those tix made are counted on
    the order already; only more than that (a refund made elsewhere) cancels it."""
    owner, order = a_cash_order(runtime)
    runtime.orders.refund(owner, order.number, amount=1250)
    said = runtime.orders.payment_reported(order.id, "refunded", "cash", refunded=1250)
    assert said == "nothing to do"
    assert runtime.orders.show(owner, order.number).status is OrderStatus.COMPLETED
    said = runtime.orders.payment_reported(order.id, "refunded", "cash", refunded=9000)
    cancelled = runtime.orders.show(owner, order.number)
    assert said == "cancelled" and cancelled.status is OrderStatus.CANCELLED
    assert cancelled.refunded_amount == 9000
