"""Every way tickets go back on sale announces it once (TicketsReturned), so a waiting
list can listen: a hold released or expired, a card payment refused, an order cancelled,
an event's quantity raised."""

from datetime import timedelta

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import logged_in
from tix.core.errors import RuleViolation
from tix.core.orders.model import Tender
from tix.core.principal import Role


def returned(runtime) -> list[tuple[str, int, str]]:
    """The TicketsReturned messages written so far: (ticket type id, quantity, reason)."""
    found = [e.open() for e in runtime.outbox.claim("test", limit=1000)
             if e.name == "TicketsReturned"]
    return [(m.ticket_type_id, m.quantity, m.reason) for m in found]


def left(runtime, ticket_type_id) -> int:
    with runtime.uow(readonly=True) as uow:
        return uow.stock.levels([ticket_type_id])[ticket_type_id].available


@pytest.fixture
def shop(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, days=30)
    standing = runtime.catalog.show(event_id).ticket_types[0]  # 100 at 45.00, limit 4
    return owner, event_id, standing


def test_a_released_hold_and_an_expired_one_announce_their_tickets(runtime, shop):
    _, _, standing = shop
    buyer = logged_in(runtime)
    released = runtime.inventory.place_hold(buyer, standing.id, 2)
    runtime.inventory.release_hold(released.id)
    runtime.inventory.release_hold(released.id)  # twice: given back once
    runtime.inventory.place_hold(buyer, standing.id, 3)
    runtime.inventory.place_hold(logged_in(runtime, "eve@example.com"), standing.id, 1)
    runtime.clock.advance(timedelta(minutes=11))
    assert runtime.inventory.expire_holds() == 2
    assert runtime.inventory.expire_holds() == 0
    assert returned(runtime) == [(standing.id, 2, "released"), (standing.id, 4, "expired")]
    assert left(runtime, standing.id) == 100


class RefusesCards:
    """A card gateway that declines every charge."""

    def start(self, order, *, idempotency_key):
        return None

    def charge(self, order, *, idempotency_key):
        raise RuleViolation("card declined", code="card_declined")

    def find_payment(self, order):
        return None

    def refund(self, order, amount, *, idempotency_key):
        raise AssertionError("nothing was paid")


def test_a_refused_card_payment_announces_its_tickets_once(runtime, shop):
    _, _, standing = shop
    runtime.orders._gateways[Tender.CARD] = RefusesCards()
    buyer = logged_in(runtime)
    with pytest.raises(RuleViolation, match="card declined"):
        runtime.orders.buy(buyer, standing.id, 2, tender=Tender.CARD)
    assert returned(runtime) == [(standing.id, 2, "payment_failed")]
    assert left(runtime, standing.id) == 100


def test_a_cancelled_order_announces_its_tickets(runtime, shop):
    owner, _, standing = shop
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, 3, tender=Tender.CASH, tendered=13500)
    runtime.orders.cancel(owner, order.number)
    assert returned(runtime) == [(standing.id, 3, "cancelled")]


def test_raising_an_events_quantity_announces_the_new_tickets(runtime, shop):
    owner, event_id, standing = shop
    runtime.catalog.update(owner, event_id, {"ticket_types": [
        {"id": standing.id, "quantity": 90}]})  # lowered: nothing goes on sale
    runtime.catalog.update(owner, event_id, {"ticket_types": [
        {"id": standing.id, "quantity": 120}]})
    assert returned(runtime) == [(standing.id, 30, "resized")]
    assert left(runtime, standing.id) == 120
