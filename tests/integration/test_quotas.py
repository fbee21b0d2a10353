"""Shared capacity on SQLite and PostgreSQL: a sale takes from its ticket types and every
quota they draw on in the same commit, never past any of them, under any concurrency;
what is released, expires or is cancelled goes back to all of them."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tix.core.catalog.search import SearchQuery
from tix.core.errors import NotFound, RuleViolation
from tix.core.orders.model import Tender
from tix.core.principal import Role

THREE_SHARE_100 = {
    "ticket_types": [{"name": "Standing", "price": "40.00", "quantity": 50},
                     {"name": "Standing + drink", "price": "48.00", "quantity": 40},
                     {"name": "Early standing", "price": "35.00", "quantity": 30}],
    "quotas": [{"name": "Floor", "quantity": 100,
                "ticket_types": ["Standing", "Standing + drink", "Early standing"]}],
}


def quota_left(runtime, event_id):
    with runtime.uow(readonly=True) as uow:
        return {q.name: q.available for q in uow.stock.quotas(event_id)}


def own_left(runtime, *ids):
    with runtime.engine.connect() as conn:
        return [conn.execute(text("SELECT available FROM stock WHERE ticket_type_id = :t"),
                             {"t": i}).scalar_one() for i in ids]


def test_an_event_with_a_capacity_and_a_quota_shows_the_fewest_left(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, capacity=110, **THREE_SHARE_100)
    standing, drink, early = runtime.catalog.show(event_id).ticket_types
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    runtime.orders.buy_basket(clerk, [(standing.id, 45), (early.id, 30)], tender=Tender.CASH)
    assert quota_left(runtime, event_id) == {None: 35, "Floor": 25}
    shown = runtime.catalog.show(event_id)
    assert [t.available for t in shown.ticket_types] == [5, 25, 0]
    assert runtime.catalog.show(event_id).ticket_types[1].available == 25  # from the cache
    with pytest.raises(RuleViolation, match="not enough tickets left in Floor area: "
                                            "25 left, 26 asked"):
        runtime.orders.buy(clerk, drink.id, 26, tender=Tender.CASH)
    report = {line.name: line.available for line in runtime.orders.sales(owner, event_id).lines}
    assert report == {"Standing": 5, "Standing + drink": 25, "Early standing": 0}


def test_two_hundred_mixed_baskets_race_for_a_quota_of_100_shared_by_three_types(
        runtime, make_runtime, database):
    """Buyers at the counter and buyers holding, each a basket over the three types; a
    refused buyer settles for a single ticket of any type, so the quota runs out: exactly
    100 are taken, no type past its own stock. Released and expired holds give every
    ticket back to its type and to the quota."""
    event_id = an_event(runtime, organizer(runtime), **THREE_SHARE_100)
    types = [t.id for t in runtime.catalog.show(event_id).ticket_types]
    processes = [make_runtime(database) for _ in range(4)]
    buyers = [logged_in(runtime, f"b{n}@example.com",
                        role=Role.CLERK if n % 2 else Role.CUSTOMER) for n in range(200)]
    on_every_team(runtime, *buyers[1::2])  # the clerks, who sell for cash
    lock = threading.Lock()
    orders: list[dict[str, int]] = []
    holds: list[tuple[str, dict[str, int]]] = []

    def attempt(n: int, basket: list[tuple[str, int]]) -> str:
        process = processes[n % 4]
        try:
            if n % 2:
                order = process.orders.buy_basket(buyers[n], basket, tender=Tender.CASH)
                with lock:
                    orders.append({line.ticket_type_id: line.quantity for line in order.lines})
            else:
                hold = process.inventory.hold_basket(buyers[n], basket)
                with lock:
                    holds.append((hold.id, hold.quantities))
        except RuleViolation as refusal:
            return refusal.code
        return "taken"

    def buy(n: int) -> str:
        basket = [(types[(n + k) % 3], 1 + (n + k) % 2) for k in range(1 + n % 3)]
        outcome = attempt(n, basket)
        for type_id in types if outcome != "taken" else []:
            outcome = attempt(n, [(type_id, 1)])
            if outcome == "taken":
                break
        return outcome

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(buy, range(200)))
    assert set(outcomes) <= {"taken", "sold_out", "not_enough"}
    taken = {type_id: sum(line.get(type_id, 0) for line in orders)
             + sum(quantities.get(type_id, 0) for _, quantities in holds)
             for type_id in types}
    assert sum(taken.values()) == 100
    assert quota_left(runtime, event_id) == {"Floor": 0}
    assert [taken[t] <= stock for t, stock in zip(types, (50, 40, 30), strict=True)] \
        == [True, True, True]
    assert own_left(runtime, *types) == [50 - taken[types[0]], 40 - taken[types[1]],
                                         30 - taken[types[2]]]
    with runtime.engine.connect() as conn:  # what the rows say agrees with the counters
        for type_id in types:
            sold = conn.execute(text(
                "SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE ticket_type_id = :t"),
                {"t": type_id}).scalar_one()
            held = conn.execute(text(
                "SELECT coalesce(sum(quantity), 0) FROM hold_lines WHERE ticket_type_id = :t"),
                {"t": type_id}).scalar_one()
            assert sold + held == taken[type_id]

    held_total = sum(sum(q.values()) for _, q in holds)
    released = holds[: len(holds) // 2]
    for hold_id, _ in released:
        runtime.inventory.release_hold(hold_id)
    assert quota_left(runtime, event_id) == {
        "Floor": sum(sum(q.values()) for _, q in released)}
    runtime.clock.advance(timedelta(minutes=11))
    runtime.inventory.expire_holds()
    assert quota_left(runtime, event_id) == {"Floor": held_total}
    sold = {t: sum(line.get(t, 0) for line in orders) for t in types}
    assert own_left(runtime, *types) == [50 - sold[types[0]], 40 - sold[types[1]],
                                         30 - sold[types[2]]]


def test_a_cancelled_order_gives_its_tickets_back_to_the_capacity(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, capacity=50)
    standing, seated = runtime.catalog.show(event_id).ticket_types
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    order = runtime.orders.buy_basket(clerk, [(standing.id, 3), (seated.id, 2)],
                                      tender=Tender.CASH)
    assert quota_left(runtime, event_id) == {None: 45}
    runtime.orders.cancel(owner, order.number)
    assert quota_left(runtime, event_id) == {None: 50}


def test_a_draft_is_sold_by_nobody_until_it_is_published(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, status="draft")
    assert runtime.catalog.show(event_id, owner).summary.status == "DRAFT"
    with pytest.raises(NotFound):
        runtime.catalog.show(event_id)
    standing = runtime.catalog.show(event_id, owner).ticket_types[0]
    with pytest.raises(RuleViolation, match="not on sale yet"):
        runtime.inventory.place_hold(logged_in(runtime), standing.id, 1)
    runtime.catalog.publish(owner, event_id)
    assert runtime.catalog.show(event_id).summary.status == "SCHEDULED"
    runtime.inventory.place_hold(logged_in(runtime, "late@example.com"), standing.id, 1)


def test_an_events_tickets_left_never_pass_its_capacity(runtime):
    """Standing 100 and Seated 20 under a capacity of 50: the event has 50 left, not 120,
    on a fresh page and on a cached one alike."""
    event_id = an_event(runtime, organizer(runtime), capacity=50)
    assert runtime.catalog.show(event_id).summary.available == 50
    seated = runtime.catalog.show(event_id).ticket_types[1]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, seated.id, 5, tender=Tender.CASH)
    shown = runtime.catalog.show(event_id)
    assert shown.summary.available == 45
    assert [t.available for t in shown.ticket_types] == [45, 15]
    found = runtime.catalog.search(SearchQuery(text="Nils"))
    assert [r.available for r in found.results] == [45]


def test_a_type_whose_quota_is_full_counts_as_sold_out_in_the_metrics(runtime):
    from tix.adapters.db.metrics import collect

    def sold_out() -> float:
        found = {m.name: m for m in collect(runtime.engine, runtime.clock.now())}
        return found["tix_ticket_types_sold_out"].samples[0][1]

    event_id = an_event(runtime, organizer(runtime), capacity=5)
    seated = runtime.catalog.show(event_id).ticket_types[1]
    assert sold_out() == 0
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, seated.id, 5, tender=Tender.CASH)
    assert sold_out() == 2  # Seated has 15 of its own left, Standing 100: the event is full
