"""An event's own limits over all its ticket types: tickets per order and per person."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tix.core.errors import Invalid, RuleViolation
from tix.core.orders.model import Tender
from tix.core.principal import Role


def types_of(runtime, **limits):
    event_id = an_event(runtime, organizer(runtime), **limits)
    return runtime.catalog.show(event_id).ticket_types[:2]  # Standing (limit 4), Seated


def left(runtime, *ids):
    with runtime.uow(readonly=True) as uow:
        levels = uow.stock.levels(list(ids))
    return [levels[i].available for i in ids]


def test_an_order_holds_at_most_the_events_tickets_per_order(runtime):
    standing, seated = types_of(runtime, max_per_order=3)
    buyer = logged_in(runtime)
    with pytest.raises(RuleViolation, match="at most 3 ticket\\(s\\) per order") as refused:
        runtime.inventory.hold_basket(buyer, [(standing.id, 2), (seated.id, 2)])
    assert refused.value.code == "over_limit" and refused.value.detail["limit"] == 3
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    with pytest.raises(RuleViolation, match="per order"):
        runtime.orders.buy_basket(clerk, [(standing.id, 1), (seated.id, 3)],
                                  tender=Tender.CASH)
    assert left(runtime, standing.id, seated.id) == [100, 20]
    runtime.inventory.hold_basket(buyer, [(standing.id, 2), (seated.id, 1)])


def test_a_person_has_at_most_the_events_tickets_per_person_across_types(runtime):
    standing, seated = types_of(runtime, max_per_person=4)
    buyer = logged_in(runtime)
    runtime.inventory.hold_basket(buyer, [(standing.id, 2), (seated.id, 1)])
    with pytest.raises(RuleViolation, match="you have 3, so 1 more at most"):
        runtime.inventory.hold_basket(buyer, [(seated.id, 2)])
    runtime.inventory.hold_basket(buyer, [(seated.id, 1)])
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    for _ in range(2):  # the counter sells to a new person each time: per sale
        runtime.orders.buy_basket(clerk, [(standing.id, 2), (seated.id, 2)],
                                  tender=Tender.CASH)
    with pytest.raises(RuleViolation, match="per person"):
        runtime.orders.buy_basket(clerk, [(seated.id, 5)], tender=Tender.CASH)


def test_the_limits_are_whole_numbers_of_at_least_one(runtime):
    owner = organizer(runtime)
    with pytest.raises(Invalid, match="max_per_order: must be at least 1"):
        an_event(runtime, owner, max_per_order=0)
    with pytest.raises(Invalid, match="max_per_person"):
        an_event(runtime, owner, max_per_person="many")


def test_one_buyers_sales_at_once_in_four_processes_pass_the_limits_exactly(
        runtime, make_runtime, database):
    """Twenty-four holds and comps of one buyer at once, in four processes: the type's
    limit (Standing, 4) and the event's (6 over both types) are counted at commit, one
    sale of the buyer after the other, so exactly six pass and the rest take nothing."""
    owner = organizer(runtime)  # giving themself comps: the limits count their tickets
    event_id = an_event(runtime, owner, max_per_person=6)
    standing, seated = runtime.catalog.show(event_id).ticket_types[:2]
    processes = [make_runtime(database) for _ in range(4)]
    start = threading.Barrier(8)

    def sell(n: int) -> tuple[str, str]:
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait(timeout=5)
        process, type_id = processes[n % 4], (standing.id, seated.id)[n % 3 == 0]
        try:
            if n % 2:
                process.inventory.place_hold(owner, type_id, 1)
            else:
                process.orders.buy(owner, type_id, 1, tender=Tender.COMP)
        except RuleViolation as refused:
            return type_id, refused.code
        return type_id, "sold"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(sell, range(24)))
    assert {outcome for _, outcome in outcomes} == {"sold", "over_limit"}
    sold = [type_id for type_id, outcome in outcomes if outcome == "sold"]
    assert len(sold) == 6 and sold.count(standing.id) <= 4
    assert left(runtime, standing.id, seated.id) == [100 - sold.count(standing.id),
                                                     20 - sold.count(seated.id)]


def test_tickets_given_back_no_longer_count_against_the_per_person_limits(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, max_per_person=3, ticket_types=[
        {"name": "Open day", "price": "0.00", "quantity": 10, "limit": 2},
        {"name": "Tour", "price": "0.00", "quantity": 10}])
    day, tour = runtime.catalog.show(event_id).ticket_types[:2]
    buyer = logged_in(runtime)
    order = runtime.orders.buy(buyer, day.id, 2, tender=Tender.FREE)
    runtime.orders.buy(buyer, tour.id, 1, tender=Tender.FREE)
    with pytest.raises(RuleViolation) as refused:  # the type's limit
        runtime.orders.buy(buyer, day.id, 1, tender=Tender.FREE)
    assert refused.value.code == "over_limit"
    given_back = runtime.tickets.of_orders([order.id])[order.id][0]
    runtime.tickets.void_ticket(owner, given_back.number, reason="cannot come")
    runtime.orders.buy(buyer, day.id, 1, tender=Tender.FREE)  # theirs again to buy
    with pytest.raises(RuleViolation) as refused:  # 2 kept of the type, 3 of the event
        runtime.orders.buy(buyer, tour.id, 1, tender=Tender.FREE)
    assert refused.value.code == "over_limit" and refused.value.detail["limit"] == 3
