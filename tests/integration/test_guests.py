"""Guests: a web visitor holds seats before giving an email; a guest's order belongs to
the account of the address given (made on the spot); registering later claims it. Free
orders need no payment. On SQLite and PostgreSQL."""

from datetime import date

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.core.errors import NotAuthenticated, RuleViolation
from tix.core.orders.checkout import PlaceOrder
from tix.core.orders.model import OrderStatus, Tender
from tix.core.principal import Role


@pytest.fixture
def free_event(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, ticket_types=[
        {"name": "Open day", "price": "0.00", "quantity": 50, "limit": 4},
        {"name": "Tour", "price": "12.00", "quantity": 10}])
    return runtime.catalog.show(event_id).ticket_types


def test_a_visitor_holds_and_a_guest_buys_for_the_email_given(runtime, mailer, free_event):
    open_day = free_event[0]
    visitor = runtime.accounts.visit(host="203.0.113.9")
    assert runtime.accounts.authenticate(visitor.token) == visitor.principal
    hold = runtime.inventory.hold_basket(visitor.principal, [(open_day.id, 2)])
    buyer = runtime.accounts.guest_buyer("Gina@Example.com", "Gina Guest")
    order = runtime.orders.place(PlaceOrder(principal=visitor.principal, tender=Tender.FREE,
                                            hold_id=hold.id, buyer=buyer,
                                            holders=["Gina Guest"]))
    assert order.status is OrderStatus.COMPLETED and order.amount == 0
    assert order.user_id == buyer.user_id != visitor.principal.user_id
    assert order.holders == ["Gina Guest", "Gina Guest"]
    deliver(runtime)
    assert mailer.last_to("gina@example.com").subject  # the receipt goes to the guest
    assert not [m for m in mailer.sent if m.to.endswith(".invalid")]
    again = runtime.accounts.guest_buyer("gina@example.com", "")
    assert again.user_id == buyer.user_id and again.name == "Gina Guest"


def test_a_guest_account_has_no_password_until_its_owner_registers(runtime, free_event):
    buyer = runtime.accounts.guest_buyer("hal@example.com", "Hal")
    with pytest.raises(NotAuthenticated):
        runtime.accounts.login(email="hal@example.com", password="!")
    user_id = runtime.accounts.register(email="hal@example.com", password=PASSWORD,
                                        name="Hal Hansen", date_of_birth=date(1990, 1, 2),
                                        verified=True)
    assert user_id == buyer.user_id  # the guest's orders are the new account's
    assert runtime.accounts.login(email="hal@example.com", password=PASSWORD).principal.name \
        == "Hal Hansen"
    with pytest.raises(RuleViolation, match="already registered"):
        runtime.accounts.register(email="hal@example.com", password=PASSWORD, name="X",
                                  date_of_birth=None)


def test_a_walk_in_without_email_gets_no_mail_and_keeps_blank_holders(runtime, mailer,
                                                                      free_event):
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    on_every_team(runtime, clerk)
    walk_in = runtime.accounts.guest_buyer(None, "")
    order = runtime.orders.place(PlaceOrder(principal=clerk, tender=Tender.CASH,
                                            items=[(free_event[1].id, 2)], buyer=walk_in))
    assert order.user_id == walk_in.user_id and order.holders == ["", ""]
    deliver(runtime)
    assert not [m for m in mailer.sent if m.to in ("clara@example.com",)
                or m.to.endswith(".invalid")]


def test_an_order_that_costs_something_is_not_free(runtime, free_event):
    ann = logged_in(runtime)
    with pytest.raises(RuleViolation, match=r"costs 24\.00 EUR: pay by card"):
        runtime.orders.place(PlaceOrder(principal=ann, tender=Tender.FREE,
                                        items=[(free_event[1].id, 2)]))
    assert Tender.FREE in runtime.orders.tenders(ann, free_event[0].id)
    assert Tender.FREE not in runtime.orders.tenders(ann, free_event[1].id)


def test_one_address_begins_only_so_many_visitors(runtime):
    """A browser keeps its visitor's cookie; a script making visitors without end from one
    address is told to wait (429 on the web), and another address is not."""
    from tix.core.accounts.service import VISITS_PER_HOST

    for _ in range(VISITS_PER_HOST.limit):
        runtime.accounts.visit(host="198.51.100.7")
    with pytest.raises(RuleViolation, match="too many new visitors") as refused:
        runtime.accounts.visit(host="198.51.100.7")
    assert refused.value.code == "rate_limited" and refused.value.detail["retry_after"] > 0
    assert runtime.accounts.visit(host="198.51.100.8").principal.role is Role.CUSTOMER


def test_visitors_accounts_that_came_to_nothing_are_forgotten_a_day_after(
        runtime, clock, free_event):
    from datetime import timedelta

    open_day = free_event[0]
    let_go = runtime.accounts.visit()  # held, let the hold run out
    runtime.inventory.hold_basket(let_go.principal, [(open_day.id, 1)])
    bought = runtime.accounts.visit()  # held and checked out as a guest
    hold = runtime.inventory.hold_basket(bought.principal, [(open_day.id, 2)])
    guest = runtime.accounts.guest_buyer("gina@example.com", "Gina Guest")
    order = runtime.orders.place(PlaceOrder(principal=bought.principal, tender=Tender.FREE,
                                            hold_id=hold.id, buyer=guest))
    member = logged_in(runtime, "mia@example.com")  # registered, never bought
    clock.advance(timedelta(minutes=20))
    assert runtime.inventory.expire_holds() == 1  # let_go's ticket back on sale
    holding = runtime.accounts.visit()  # its hold not swept yet: tickets to give back
    runtime.inventory.hold_basket(holding.principal, [(open_day.id, 1)])
    clock.advance(timedelta(days=1, hours=1))
    recent = runtime.accounts.visit()  # arrives now: kept for a day

    assert runtime.accounts.forget_idle_visits() == 2  # let_go and bought
    with runtime.uow(readonly=True) as uow:
        gone = {u: uow.users.get(u) is None for u in (
            let_go.principal.user_id, bought.principal.user_id, holding.principal.user_id,
            recent.principal.user_id, member.user_id, guest.user_id)}
        kept_order = uow.orders.get(order.id)
        left = uow.stock.levels([open_day.id])[open_day.id].available
    assert gone == {let_go.principal.user_id: True, bought.principal.user_id: True,
                    holding.principal.user_id: False, recent.principal.user_id: False,
                    member.user_id: False, guest.user_id: False}  # the guest has the order
    assert kept_order is not None and kept_order.user_id == guest.user_id
    assert left == open_day.available - 3  # the 2 sold and holding's 1: nothing lost
    assert runtime.accounts.forget_idle_visits() == 0
    with pytest.raises(NotAuthenticated):
        runtime.accounts.authenticate(let_go.token)
    assert runtime.inventory.expire_holds() == 1  # holding's, swept at last...
    clock.advance(timedelta(days=1, hours=2))
    assert runtime.accounts.forget_idle_visits() == 2  # ...then it goes too, and recent
