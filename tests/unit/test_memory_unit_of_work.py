"""The in-memory unit of work keeps the promises of `tix.core.ports.UnitOfWork` that the
unit tests rely on: nothing is seen before the commit, intents hold or nothing commits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.unit.fakes import MemoryStore
from tix.core.intents import IntentRefused
from tix.core.inventory.events import TicketsReturned
from tix.core.inventory.intents import GiveBackStock, TakeStock, UseHold
from tix.core.inventory.model import Hold, HoldLine, HoldStatus
from tix.core.orders.model import Order, OrderLine, OrderNumberTaken, Tender

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    with store() as uow:
        uow.stock.add("standing", 10)
        uow.commit()
    return store


def available(store: MemoryStore) -> int:
    with store(readonly=True) as uow:
        return uow.stock.levels(["standing"])["standing"].available


def a_hold(hold_id: str = "h1") -> Hold:
    return Hold(id=hold_id, user_id="u1", lines=[HoldLine("standing", 2)],
                created_at=NOW, expires_at=NOW + timedelta(minutes=10))


def an_order(order_id: str, number: str) -> Order:
    return Order(id=order_id, number=number, user_id="u1", event_id="e1",
                 lines=[OrderLine("standing", 1, 100)], currency="EUR",
                 tender=Tender.CASH, holders=["Ada"], created_at=NOW)


def test_work_is_seen_by_others_only_once_committed(store):
    with store() as writer:
        writer.holds.add(a_hold())
        writer.publish(TicketsReturned(ticket_type_id="standing", quantity=1, reason="x"))
        with store(readonly=True) as reader:
            assert reader.holds.get("h1") is None
        assert store.published == []
        writer.commit()
    with store(readonly=True) as reader:
        assert reader.holds.get("h1") == a_hold()
    assert len(store.published) == 1


def test_work_left_without_a_commit_is_gone(store):
    with pytest.raises(RuntimeError), store() as uow:
        uow.holds.add(a_hold())
        uow.intend(TakeStock("standing", 2))
        uow.publish(TicketsReturned(ticket_type_id="standing", quantity=1, reason="x"))
        raise RuntimeError("the service failed half-way")
    with store(readonly=True) as uow:
        assert uow.holds.get("h1") is None
    assert (available(store), store.published) == (10, [])


def test_changing_what_was_read_changes_nothing_until_it_is_written(store):
    with store() as uow:
        uow.holds.add(a_hold())
        uow.commit()
    with store() as uow:
        hold = uow.holds.get("h1")
        hold.status = HoldStatus.RELEASED
        uow.commit()
    with store(readonly=True) as uow:
        assert uow.holds.get("h1").status is HoldStatus.ACTIVE


def test_intents_are_applied_on_what_is_committed_at_the_commit(store):
    first, second = store(), store()
    with first, second:
        first.intend(TakeStock("standing", 6))
        second.intend(TakeStock("standing", 6))
        second.holds.add(a_hold())
        first.commit()
        with pytest.raises(IntentRefused) as refused:
            second.commit()
    assert refused.value.intent == TakeStock("standing", 6)
    assert available(store) == 4
    with store(readonly=True) as uow:
        assert uow.holds.get("h1") is None  # the refused work committed nothing


def test_a_refused_intent_leaves_the_other_intents_unapplied_too(store):
    with store() as uow:
        uow.intend(GiveBackStock("standing", 1), UseHold("no-such-hold"))
        with pytest.raises(IntentRefused):
            uow.commit()
    assert available(store) == 10


def test_a_hold_is_used_up_by_one_sale_only(store):
    with store() as uow:
        uow.holds.add(a_hold())
        uow.commit()
    for attempt in range(2):
        with store() as uow:
            uow.intend(UseHold("h1"))
            if attempt == 0:
                uow.commit()
            else:
                with pytest.raises(IntentRefused):
                    uow.commit()
    with store(readonly=True) as uow:
        assert uow.holds.get("h1").status is HoldStatus.CONVERTED


def test_a_new_orders_number_taken_meanwhile_commits_nothing(store):
    with store() as uow:
        uow.orders.add(an_order("00000000-0000-4000-8000-000000000001", "TIX-AAAA-AA"))
        uow.commit()
    with store() as uow:
        clash = an_order("00000000-0000-4000-8000-000000000002", "TIX-AAAA-AA")
        uow.orders.add(clash)
        uow.intend(TakeStock("standing", 1))
        with pytest.raises(OrderNumberTaken):
            uow.commit()
    with store(readonly=True) as uow:
        assert uow.orders.get(clash.id) is None
    assert available(store) == 10
    with store() as uow:  # tried again with a new number, it goes through
        uow.orders.add(replace(clash, number="TIX-BBBB-BB"))
        uow.commit()
