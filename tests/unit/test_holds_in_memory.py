"""Holds on the in-memory unit of work: what a buyer may set aside, and what comes back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.errors import RuleViolation
from tix.core.inventory.events import HoldExpired, TicketsReturned
from tix.core.inventory.model import HoldStatus
from tix.core.orders.model import Tender


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


def test_a_hold_sets_tickets_aside_until_it_expires_and_they_come_back_once(core):
    standing = core.ticket_type(core.event(), "Standing")
    buyer = core.person()
    hold = core.inventory.place_hold(buyer, standing, 3)
    assert hold.expires_at - hold.created_at == timedelta(minutes=10)
    assert core.stock(standing).available == 97

    core.clock.advance(timedelta(minutes=9, seconds=59))
    assert core.inventory.expire_holds() == 0
    core.clock.advance(timedelta(seconds=1))
    assert core.inventory.expire_holds() == 1
    assert core.inventory.expire_holds() == 0  # given back once
    assert core.stock(standing).available == 100
    assert core.inventory.get_hold(buyer, hold.id).status is HoldStatus.EXPIRED
    assert [(m.hold_id, m.quantity) for m in core.store.messages(HoldExpired)] == [(hold.id, 3)]
    assert [(m.quantity, m.reason) for m in core.store.messages(TicketsReturned)] \
        == [(3, "expired")]


def test_a_released_hold_gives_its_tickets_back_at_once_and_only_once(core):
    seated = core.ticket_type(core.event(), "Seated")
    hold = core.inventory.place_hold(core.person(), seated, 5)
    core.inventory.release_hold(hold.id)
    core.inventory.release_hold(hold.id)
    assert core.stock(seated).available == 20
    assert [m.reason for m in core.store.messages(TicketsReturned)] == ["released"]


def test_sold_out_is_refused_saying_how_many_are_left_and_takes_nothing(core):
    seated = core.ticket_type(core.event(), "Seated")  # 20, no per-person limit
    buyer = core.person()
    core.inventory.place_hold(buyer, seated, 18)
    with pytest.raises(RuleViolation, match="2 left, 3 asked") as refused:
        core.inventory.place_hold(buyer, seated, 3)
    assert refused.value.code == "not_enough"
    assert core.stock(seated).available == 2
    with core.store(readonly=True) as uow:  # the refused hold was not stored either
        assert uow.holds.held_by(buyer.user_id, seated, core.clock.now()) == 18

    core.inventory.place_hold(buyer, seated, 2)
    with pytest.raises(RuleViolation, match="sold out") as refused:
        core.inventory.place_hold(buyer, seated, 1)
    assert refused.value.code == "sold_out"
    assert core.stock(seated).available == 0


def test_the_per_person_limit_counts_active_holds_and_bought_tickets(core):
    standing = core.ticket_type(core.event(), "Standing")  # at most 4 per person
    buyer = core.person()
    core.inventory.place_hold(buyer, standing, 3)
    with pytest.raises(RuleViolation, match=r"at most 4 .* so 1 more at most") as refused:
        core.inventory.place_hold(buyer, standing, 2)
    assert refused.value.code == "over_limit"
    core.inventory.place_hold(core.person(name="Bob Other"), standing, 4)  # per person

    core.clock.advance(timedelta(minutes=10))  # the first hold ran out
    bought = core.inventory.place_hold(buyer, standing, 3)
    core.orders.checkout(buyer, bought.id, tender=Tender.CARD)
    with pytest.raises(RuleViolation, match="so 1 more at most"):
        core.inventory.place_hold(buyer, standing, 2)  # the 3 bought count too
    core.inventory.place_hold(buyer, standing, 1)


def test_a_clerk_sells_to_a_new_person_each_time(core):
    standing = core.ticket_type(core.event(), "Standing")
    clerk = core.clerk(standing)
    for _ in range(3):
        core.inventory.place_hold(clerk, standing, 4)
    with pytest.raises(RuleViolation, match="at most 4"):
        core.inventory.place_hold(clerk, standing, 5)  # the limit is per sale


def test_holding_too_often_is_refused_saying_how_long_to_wait():
    core = MemoryCore(holds_per_minute=2)
    seated = core.ticket_type(core.event(), "Seated")
    buyer = core.person()
    core.inventory.place_hold(buyer, seated, 1)
    core.clock.advance(timedelta(seconds=20))
    core.inventory.place_hold(buyer, seated, 1)
    with pytest.raises(RuleViolation, match="too many holds; try again in 40 s") as refused:
        core.inventory.place_hold(buyer, seated, 1)
    assert refused.value.code == "rate_limited"
    assert core.stock(seated).available == 18
    core.clock.advance(timedelta(seconds=40))
    core.inventory.place_hold(buyer, seated, 1)
