"""Holds: rules at the door of the sale, exact counts under any concurrency, expiry."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.catalog_support import an_event, organizer
from tests.support import deliver, logged_in
from tix.core.errors import Invalid, NotFound, RuleViolation


def ticket_type(runtime, name="Standing", **overrides):
    event_id = an_event(runtime, **overrides)
    return next(t for t in runtime.catalog.show(event_id).ticket_types if t.name == name)


def left(runtime, ticket_type_id) -> int:
    with runtime.uow(readonly=True) as uow:
        return uow.stock.levels([ticket_type_id])[ticket_type_id].available


def test_a_hold_takes_tickets_out_of_availability_for_ten_minutes(runtime):
    standing = ticket_type(runtime)
    buyer = logged_in(runtime)
    hold = runtime.inventory.place_hold(buyer, standing.id, 3)
    assert hold.expires_at - hold.created_at == timedelta(minutes=10)
    assert left(runtime, standing.id) == 97


def test_a_hold_cannot_take_more_than_is_left(runtime):
    seated = ticket_type(runtime, "Seated")  # 20, no per-person limit
    buyer = logged_in(runtime)
    runtime.inventory.place_hold(buyer, seated.id, 18)
    with pytest.raises(RuleViolation, match="2 left, 3 asked"):
        runtime.inventory.place_hold(buyer, seated.id, 3)
    runtime.inventory.place_hold(buyer, seated.id, 2)
    with pytest.raises(RuleViolation, match="sold out"):
        runtime.inventory.place_hold(buyer, seated.id, 1)


def test_the_per_person_limit_counts_the_buyers_active_holds(runtime):
    standing = ticket_type(runtime)  # limit 4
    buyer = logged_in(runtime)
    runtime.inventory.place_hold(buyer, standing.id, 3)
    with pytest.raises(RuleViolation, match=r"at most 4 .* so 1 more at most"):
        runtime.inventory.place_hold(buyer, standing.id, 2)
    other = logged_in(runtime, "bob@example.com")
    runtime.inventory.place_hold(other, standing.id, 4)
    runtime.clock.advance(timedelta(minutes=11))  # the first hold ran out
    runtime.inventory.place_hold(buyer, standing.id, 4)


def test_no_hold_outside_the_sale(runtime):
    owner = organizer(runtime)
    buyer = logged_in(runtime)
    start = runtime.clock.now() + timedelta(days=10)
    windowed = ticket_type(runtime, owner=owner, ticket_types=[{
        "name": "Standing", "price": "10", "quantity": 10,
        "sale_starts": (start - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "sale_ends": (start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}], days=10)
    with pytest.raises(RuleViolation, match="opens at"):
        runtime.inventory.place_hold(buyer, windowed.id, 1)
    runtime.clock.advance(timedelta(days=6))
    runtime.inventory.place_hold(buyer, windowed.id, 1)
    runtime.clock.advance(timedelta(days=3, hours=1))
    with pytest.raises(RuleViolation, match="has closed"):
        runtime.inventory.place_hold(buyer, windowed.id, 1)
    with pytest.raises(Invalid):
        runtime.inventory.place_hold(buyer, windowed.id, 0)
    with pytest.raises(NotFound):
        runtime.inventory.place_hold(buyer, "no-such-type", 1)


def test_no_hold_for_a_cancelled_event(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    runtime.catalog.cancel(owner, event_id)
    with pytest.raises(RuleViolation, match="cancelled"):
        runtime.inventory.place_hold(logged_in(runtime), standing.id, 1)


def test_the_daemon_returns_expired_holds_to_availability_once(runtime, make_runtime,
                                                               database):
    seated = ticket_type(runtime, "Seated")
    hold = runtime.inventory.place_hold(logged_in(runtime), seated.id, 5)
    deliver(runtime)
    assert left(runtime, seated.id) == 15
    runtime.clock.advance(timedelta(minutes=10))
    other_daemon = make_runtime(database)
    deliver(runtime)
    deliver(other_daemon)
    assert left(runtime, seated.id) == 20
    with runtime.uow(readonly=True) as uow:
        assert uow.holds.get(hold.id).status.value == "EXPIRED"


def counts(runtime, ticket_type_id) -> tuple[int, int, int]:
    """Quantity, available and held, read in one statement: one consistent snapshot."""
    with runtime.engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT quantity, available, (SELECT coalesce(sum(l.quantity), 0) "
            "FROM hold_lines l JOIN holds h ON h.id = l.hold_id "
            "WHERE l.ticket_type_id = :id AND h.status = 'ACTIVE') FROM stock "
            "WHERE ticket_type_id = :id"), {"id": ticket_type_id}).one())


@pytest.mark.parametrize("expiring", [False, True], ids=["plain", "holds-expiring"])
def test_a_hundred_buyers_race_for_the_last_ten_tickets(runtime, make_runtime, database,
                                                        expiring):
    seated = ticket_type(runtime, "Seated")  # 20 in all
    early = logged_in(runtime, "early@example.com")
    runtime.inventory.place_hold(early, seated.id, 10)  # 10 left
    buyers = [logged_in(runtime, f"b{n}@example.com") for n in range(100)]
    processes = [make_runtime(database) for _ in range(4)]
    if expiring:  # the early hold runs out while the race is on: its 10 come back
        runtime.clock.advance(timedelta(minutes=10))
    stop = threading.Event()
    violations: list[tuple[int, int, int]] = []

    def watch() -> None:  # sold + held + available = quantity, available >= 0, always
        while not stop.is_set():
            quantity, available, held = counts(runtime, seated.id)
            if available < 0 or available + held > quantity:
                violations.append((quantity, available, held))

    def try_hold(n: int) -> str:
        process = processes[n % len(processes)]
        if expiring and n == 50:
            process.inventory.expire_holds()
        try:
            process.inventory.place_hold(buyers[n], seated.id, 1)
            return "ok"
        except RuleViolation:
            return "refused"

    watcher = threading.Thread(target=watch)
    watcher.start()
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(try_hold, range(100)))
    stop.set()
    watcher.join()
    runtime.inventory.expire_holds()
    quantity, available, held = counts(runtime, seated.id)
    assert violations == []
    assert available >= 0 and available + held == quantity
    if expiring:
        # 10 were free, and the expired 10 came back at some point in the race.
        assert 10 <= outcomes.count("ok") <= 20
        assert held == outcomes.count("ok")  # the early hold is no longer counted
    else:
        assert outcomes.count("ok") == 10 and outcomes.count("refused") == 90
        assert available == 0 and held == 20
