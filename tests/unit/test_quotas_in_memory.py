"""Shared capacity and drafts on the in-memory unit of work: a sale takes from the type
and every quota it draws on, or from none; what comes back goes back to all of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.catalog.events import EventPublished
from tix.core.catalog.model import TeamRole
from tix.core.errors import Invalid, NotFound, RuleViolation
from tix.core.inventory.events import TicketsReturned
from tix.core.orders.model import Tender
from tix.core.principal import Role

FESTIVAL: dict[str, Any] = {
    "capacity": 30,
    "ticket_types": [
        {"name": "Standing", "price": "40.00", "quantity": 20},
        {"name": "Standing + drink", "price": "48.00", "quantity": 20},
        {"name": "Seated", "price": "65.00", "quantity": 20}],
    "quotas": [{"name": "Standing", "quantity": 25,
                "ticket_types": ["Standing", "standing + DRINK"]}],
}


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


def quotas(core: MemoryCore, event_id: str) -> dict[str | None, int]:
    with core.store(readonly=True) as uow:
        return {q.name: q.available for q in uow.stock.quotas(event_id)}


def test_a_sale_takes_from_the_type_its_quota_and_the_capacity_and_shows_the_fewest(core):
    event = core.event(**FESTIVAL)
    standing, drink, seated = (core.ticket_type(event, n)
                               for n in ("Standing", "Standing + drink", "Seated"))
    clerk = core.clerk(event, "Carl Clerk")
    core.orders.buy_basket(clerk, [(standing, 15), (drink, 5)], tender=Tender.CASH)
    assert quotas(core, event) == {None: 10, "Standing": 5}
    assert core.stock(standing).available == 5  # its own 5, its quota's 5
    assert core.stock(drink).available == 5  # its own 15, the quota's 5
    assert core.stock(seated).available == 10  # its own 20, the capacity's 10
    with pytest.raises(RuleViolation, match="not enough tickets left in Standing area: "
                       "5 left, 6 asked") as refused:
        core.orders.buy(clerk, drink, 6, tender=Tender.CASH)
    assert refused.value.code == "not_enough"
    assert refused.value.detail["quota"] == "Standing"
    core.orders.buy(clerk, drink, 5, tender=Tender.CASH)
    with pytest.raises(RuleViolation, match="sold out: Standing area is full") as refused:
        core.orders.buy(clerk, standing, 1, tender=Tender.CASH)
    assert refused.value.code == "sold_out"
    core.orders.buy(clerk, seated, 5, tender=Tender.CASH)
    with pytest.raises(RuleViolation, match="sold out: the event is full"):
        core.orders.buy(clerk, seated, 1, tender=Tender.CASH)
    assert quotas(core, event) == {None: 0, "Standing": 0}
    assert core.stock(seated).available == 0


def test_released_and_expired_holds_give_the_quotas_back(core):
    event = core.event(**FESTIVAL)
    standing, drink = (core.ticket_type(event, n) for n in ("Standing", "Standing + drink"))
    buyer = core.person()
    released = core.inventory.hold_basket(buyer, [(standing, 2), (drink, 2)])
    core.inventory.hold_basket(core.person(), [(drink, 3)])
    assert quotas(core, event) == {None: 23, "Standing": 18}
    core.inventory.release_hold(released.id)
    assert quotas(core, event) == {None: 27, "Standing": 22}
    core.clock.advance(timedelta(minutes=11))
    assert core.inventory.expire_holds() == 1
    assert quotas(core, event) == {None: 30, "Standing": 25}
    assert core.stock(drink).available == 20
    assert sorted((m.reason, m.quantity) for m in core.store.messages(TicketsReturned)) \
        == [("expired", 3), ("released", 2), ("released", 2)]


def test_a_quota_is_resized_like_a_type_never_below_what_is_taken(core):
    owner = core.person(Role.ORGANIZER, "Olga Organizer")
    event = core.event(owner, **FESTIVAL)
    standing = core.ticket_type(event, "Standing")
    core.orders.buy(core.clerk(standing, "Carl Clerk"), standing, 10, tender=Tender.CASH)
    with pytest.raises(RuleViolation, match="Standing: cannot lower the quantity to 9") \
            as refused:
        core.catalog.update(owner, event, {"quotas": [
            {"name": "Standing", "quantity": 9,
             "ticket_types": ["Standing", "Standing + drink"]}]})
    assert refused.value.code == "below_sold"
    core.catalog.update(owner, event, {"capacity": 40, "quotas": [
        {"name": "Standing", "quantity": 12, "ticket_types": ["Standing", "Standing + drink"]}]})
    assert quotas(core, event) == {None: 30, "Standing": 2}
    with pytest.raises(Invalid, match="quotas: a quota cannot be removed"):
        core.catalog.update(owner, event, {"quotas": []})
    with pytest.raises(Invalid, match="already on sale cannot join or leave"):
        core.catalog.update(owner, event, {"quotas": [
            {"name": "Standing", "quantity": 12, "ticket_types": ["Standing"]}]})


def test_a_ticket_type_added_later_draws_on_the_capacity(core):
    owner = core.person(Role.ORGANIZER, "Olga Organizer")
    event = core.event(owner, **FESTIVAL)
    core.catalog.update(owner, event, {"ticket_types": [
        {"name": "Balcony", "price": "30.00", "quantity": 50}]})
    balcony = core.ticket_type(event, "Balcony")
    assert core.stock(balcony).available == 30  # the capacity's, not its own 50


def test_the_event_file_names_quotas_of_its_own_ticket_types():
    core = MemoryCore()
    with pytest.raises(Invalid, match=r"quotas\[0\].ticket_types: 'VIP' is not one"):
        core.event(quotas=[{"name": "Front", "quantity": 5, "ticket_types": ["VIP"]}])
    with pytest.raises(Invalid, match="capacity: must be between 1"):
        core.event(capacity=0)


def test_a_draft_is_sold_by_nobody_seen_by_its_organizer_and_announced_when_published(core):
    owner = core.person(Role.ORGANIZER, "Olga Organizer")
    event = core.event(owner, status="draft")
    standing = core.ticket_type(event, "Standing")
    assert core.store.messages(EventPublished) == []
    with pytest.raises(RuleViolation, match="is not on sale yet") as refused:
        core.inventory.place_hold(core.person(), standing, 1)
    assert refused.value.code == "not_on_sale"
    with pytest.raises(RuleViolation, match="is not on sale yet"):
        core.orders.buy(core.clerk(standing, "Carl Clerk"), standing, 1,
                        tender=Tender.CASH)
    assert core.catalog._details(event).summary.status == "DRAFT"
    with pytest.raises(RuleViolation, match="already published"):
        core.catalog.publish(owner, core.event(owner))
    with pytest.raises(Invalid, match="status: a draft goes on sale when it is published"):
        core.catalog.update(owner, event, {"status": "published"})
    core.catalog.publish(owner, event)
    assert [m.event_id for m in core.store.messages(EventPublished)][-1] == event
    core.inventory.place_hold(core.person(), standing, 1)
    assert core.stock(standing).available == 99


def test_a_draft_page_is_its_organizers_and_admins_only():
    core = MemoryCore()
    owner = core.person(Role.ORGANIZER, "Olga Organizer")
    event = core.event(owner, status="draft")
    details = core.catalog._details(event)
    _visible = core.catalog._visible
    assert _visible(details, owner, "E1") is details
    assert _visible(details, core.person(Role.ADMIN, "Ada Admin"), "E1") is details
    co_organizer = core.on_team(event, core.person(name="Cora Co"), TeamRole.CO_ORGANIZER)
    assert _visible(details, co_organizer, "E1") is details
    for outsider in (None, core.person(), core.person(Role.ORGANIZER, "Otto Other"),
                     core.clerk(event)):
        with pytest.raises(NotFound):
            _visible(details, outsider, "E1")


def test_a_renamed_ticket_type_stays_in_its_quotas(core):
    owner = core.person(Role.ORGANIZER, "Olga Organizer")
    event = core.event(owner, **FESTIVAL)
    standing = core.ticket_type(event, "Standing")
    core.catalog.update(owner, event, {"ticket_types": [
        {"id": standing, "name": "Standing (early)"}]})
    core.orders.buy(core.clerk(standing, "Carl Clerk"), standing, 4, tender=Tender.CASH)
    assert quotas(core, event) == {None: 26, "Standing": 21}
