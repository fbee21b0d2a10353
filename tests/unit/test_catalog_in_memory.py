"""Organizers' events on the in-memory unit of work: numbers, stock, what is announced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.catalog.events import EventCancelled, EventPublished, EventUpdated
from tix.core.errors import NotAllowed, RuleViolation
from tix.core.inventory.events import TicketsReturned
from tix.core.orders.model import Tender
from tix.core.principal import Role


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


@pytest.fixture
def owner(core):
    return core.person(Role.ORGANIZER, "Olga Organizer")


def test_a_new_event_opens_its_stock_and_is_announced_and_audited(core):
    first, second = core.event(), core.event(name="Second night")
    with core.store(readonly=True) as uow:
        assert [uow.catalog.get(i).number for i in (first, second)] == [1, 2]
        assert uow.catalog.resolve("E2") == second
    seated = core.ticket_type(first, "Seated")
    assert (core.stock(seated).quantity, core.stock(seated).available) == (20, 20)
    assert [m.event_id for m in core.store.messages(EventPublished)] == [first, second]
    assert [e.subject for e in core.store.audit("event.created")] \
        == [f"event:{first}", f"event:{second}"]


def test_only_organizers_create_events(core):
    with pytest.raises(NotAllowed, match="organizer"):
        core.event(core.person())
    assert core.store.messages(EventPublished) == []


def test_more_tickets_go_on_sale_and_fewer_than_are_sold_is_refused(core, owner):
    event_id = core.event(owner)
    seated = core.ticket_type(event_id, "Seated")
    core.orders.buy(core.clerk(seated), seated, 15, tender=Tender.CASH)

    core.catalog.update(owner, event_id, {"ticket_types": [{"name": "Seated",
                                                            "quantity": 25}]})
    assert (core.stock(seated).quantity, core.stock(seated).available) == (25, 10)
    assert [(m.quantity, m.reason) for m in core.store.messages(TicketsReturned)] \
        == [(5, "resized")]  # five more on sale: a waiting list hears of them

    with pytest.raises(RuleViolation, match="below what is already sold or held"):
        core.catalog.update(owner, event_id, {"ticket_types": [{"name": "Seated",
                                                                "quantity": 14}]})
    assert (core.stock(seated).quantity, core.stock(seated).available) == (25, 10)


def test_a_new_ticket_type_gets_the_next_reference_and_its_own_stock(core, owner):
    event_id = core.event(owner)
    core.catalog.update(owner, event_id, {"ticket_types": [
        {"name": "Standing"}, {"name": "Seated"},
        {"name": "Balcony", "price": "30.00", "quantity": 12}]})
    with core.store(readonly=True) as uow:
        balcony = uow.catalog.ticket_type_by_number(1, 3)
    assert balcony is not None and (balcony.name, balcony.ref) == ("Balcony", "E1-T3")
    assert core.stock(balcony.id).available == 12


def test_moving_an_event_is_announced_to_its_holders(core, owner):
    event_id = core.event(owner, days=30)
    later = core.clock.now() + timedelta(days=31)
    core.catalog.update(owner, event_id, {
        "starts": f"{later:%Y-%m-%dT%H:%M}",
        "ends": f"{later + timedelta(hours=3):%Y-%m-%dT%H:%M}"})
    [moved] = core.store.messages(EventUpdated)
    assert moved.event_id == event_id and set(moved.changes) == {"starts_at", "ends_at"}


def test_a_cancelled_event_sells_nothing_more(core, owner):
    event_id = core.event(owner)
    standing = core.ticket_type(event_id, "Standing")
    with pytest.raises(NotAllowed):
        core.catalog.cancel(core.person(Role.ORGANIZER, "Otto Other"), event_id, "no")
    core.catalog.cancel(owner, event_id, "the pianist is ill")
    assert [m.reason for m in core.store.messages(EventCancelled)] == ["the pianist is ill"]
    with pytest.raises(RuleViolation, match="cancelled") as refused:
        core.inventory.place_hold(core.person(), standing, 1)
    assert refused.value.code == "event_cancelled"
    assert core.stock(standing).available == 100
