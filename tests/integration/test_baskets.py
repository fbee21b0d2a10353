"""Baskets: one hold and one order of several ticket types, all of it or none, on SQLite
and PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tix.core.errors import Invalid, RuleViolation
from tix.core.orders.model import OrderStatus, Tender
from tix.core.principal import Role


@pytest.fixture
def family(runtime):
    """An event with Standing (100 at 45.00, 4 a person) and Seated (20 at 65.50)."""
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing, seated = runtime.catalog.show(event_id).ticket_types[:2]
    return owner, standing, seated, event_id


def left(runtime, *ids):
    with runtime.uow(readonly=True) as uow:
        levels = uow.stock.levels(list(ids))
    return [levels[i].available for i in ids]


def test_a_basket_is_held_and_paid_as_one_order(runtime, family):
    owner, standing, seated, event_id = family
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    hold = runtime.inventory.hold_basket(clerk, [(standing.id, 2), (seated.id, 1)])
    assert hold.quantities == {standing.id: 2, seated.id: 1} and hold.quantity == 3
    assert left(runtime, standing.id, seated.id) == [98, 19]
    order = runtime.orders.checkout(clerk, hold.id, tender=Tender.CASH,
                                    holders=["Ann", "Ben", "Cleo"])
    assert order.status is OrderStatus.COMPLETED
    assert [(line.ticket_type_id, line.quantity, line.unit_price) for line in order.lines] \
        == [(standing.id, 2, 4500), (seated.id, 1, 6550)]
    assert order.amount == 2 * 4500 + 6550
    tickets = runtime.tickets.of_orders([order.id])[order.id]
    assert [(t.seat, t.ticket_type_id, t.holder) for t in tickets] == [
        (0, standing.id, "Ann"), (1, standing.id, "Ben"), (2, seated.id, "Cleo")]
    report = {line.name: (line.sold, line.revenue)
              for line in runtime.orders.sales(owner, event_id).lines}
    assert report == {"Standing": (2, 9000), "Seated": (1, 6550)}
    assert runtime.orders.show(clerk, order.number).lines == order.lines  # as stored


def test_a_basket_is_held_whole_or_not_at_all(runtime, family):
    _, standing, seated, _ = family
    buyer = logged_in(runtime)
    with pytest.raises(RuleViolation, match="not enough Seated tickets: 20 left, 21 asked"):
        runtime.inventory.hold_basket(buyer, [(standing.id, 2), (seated.id, 21)])
    assert left(runtime, standing.id, seated.id) == [100, 20]
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM holds")).scalar_one() == 0
    with pytest.raises(RuleViolation, match="at most 4 Standing"):  # the limit is per type
        runtime.inventory.hold_basket(buyer, [(seated.id, 10), (standing.id, 5)])
    assert left(runtime, standing.id, seated.id) == [100, 20]


def test_a_type_named_twice_is_one_line_and_types_of_two_events_are_refused(runtime, family):
    _, standing, seated, _ = family
    buyer = logged_in(runtime)
    hold = runtime.inventory.hold_basket(buyer, [(standing.id, 1), (seated.id, 1),
                                                 (standing.id, 2)])
    assert [(line.ticket_type_id, line.quantity) for line in hold.lines] == [
        (standing.id, 3), (seated.id, 1)]
    other = runtime.catalog.show(an_event(runtime, family[0], name="Other")).ticket_types[0]
    with pytest.raises(Invalid, match="one event"):
        runtime.inventory.hold_basket(buyer, [(standing.id, 1), (other.id, 1)])


def test_a_basket_expired_released_or_cancelled_gives_every_line_back(runtime, family):
    owner, standing, seated, _ = family
    buyer = logged_in(runtime)
    runtime.inventory.hold_basket(buyer, [(standing.id, 1), (seated.id, 2)])
    released = runtime.inventory.hold_basket(logged_in(runtime, "b@example.com"),
                                             [(standing.id, 2), (seated.id, 1)])
    runtime.inventory.release_hold(released.id)
    assert left(runtime, standing.id, seated.id) == [99, 18]
    runtime.clock.advance(timedelta(minutes=11))
    assert runtime.inventory.expire_holds() == 1
    assert left(runtime, standing.id, seated.id) == [100, 20]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    order = runtime.orders.buy_basket(clerk, [(standing.id, 3), (seated.id, 4)],
                                      tender=Tender.CASH)
    assert left(runtime, standing.id, seated.id) == [97, 16]
    runtime.orders.cancel(owner, order.number)
    assert left(runtime, standing.id, seated.id) == [100, 20]


def test_mixed_baskets_racing_never_oversell_a_type(runtime, make_runtime, database, family):
    """Sixty buyers, each a basket of both types, race for 20 Seated: every sale takes its
    whole basket, none is half taken, no type goes below zero."""
    _, standing, seated, _ = family
    processes = [make_runtime(database) for _ in range(4)]
    clerks = [logged_in(runtime, f"c{n}@example.com", role=Role.CLERK) for n in range(60)]
    lock = threading.Lock()
    sold: list[tuple[int, int]] = []

    on_every_team(runtime, *clerks)
    def buy(n: int) -> str:
        basket = [(standing.id, 1), (seated.id, 1 + n % 2)]
        try:
            processes[n % 4].orders.buy_basket(clerks[n], basket, tender=Tender.CASH)
        except RuleViolation as refusal:
            return refusal.code
        with lock:
            sold.append((1, 1 + n % 2))
        return "sold"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(buy, range(60)))
    seats = sum(s for _, s in sold)
    assert set(outcomes) <= {"sold", "sold_out", "not_enough"}
    assert 14 <= seats <= 20  # at most 20, and the last refusals leave less than a basket
    assert left(runtime, standing.id, seated.id) == [100 - len(sold), 20 - seats]
    with runtime.engine.connect() as conn:  # stock and lines agree, type by type
        for ticket_type, available in ((standing, 100 - len(sold)), (seated, 20 - seats)):
            in_orders = conn.execute(text(
                "SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE ticket_type_id = :t"),
                {"t": ticket_type.id}).scalar_one()
            assert in_orders + available == ticket_type.quantity
