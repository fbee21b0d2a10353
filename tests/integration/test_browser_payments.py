"""Card payments completed in the buyer's browser (Stripe.js, 3-D Secure there) against
localstripe: the order waits PENDING, payable until its hold's time is up; the browser's
report, the webhook or the daemon after that time settle it."""

from datetime import timedelta

import httpx
import pytest

from tests.catalog_support import an_event
from tests.support import deliver, logged_in
from tix.core.errors import RuleViolation
from tix.core.orders.checkout import PlaceOrder
from tix.core.orders.model import OrderStatus, Tender

THREE_D_SECURE = "4000002760003184"


@pytest.fixture
def shop(make_runtime, database, stripe_base):
    runtime = make_runtime(database, stripe_api_key="sk_test_tix", stripe_api_base=stripe_base)
    standing = runtime.catalog.show(an_event(runtime, days=30)).ticket_types[0]  # 45.00 EUR
    return runtime, standing, logged_in(runtime)


def card(stripe_base: str, number: str) -> str:
    """A payment method as Stripe.js makes it in the browser (tix never sees the number)."""
    answer = httpx.post(f"{stripe_base}/v1/payment_methods", auth=("sk_test_tix", ""),
                        data={"type": "card", "card[number]": number, "card[exp_month]": "12",
                              "card[exp_year]": "2030", "card[cvc]": "123"})
    answer.raise_for_status()
    return str(answer.json()["id"])


def pass_3d_secure(stripe_base: str, client_secret: str, *, success: bool = True) -> None:
    """What localstripe's Stripe.js does when the buyer answers the bank's dialog."""
    intent = client_secret.split("_secret_")[0]
    httpx.post(f"{stripe_base}/v1/payment_intents/{intent}/_authenticate",
               params={"success": str(success).lower()}, auth=("sk_test_tix", ""),
               json={"client_secret": client_secret}).raise_for_status()


def left(runtime, ticket_type_id):
    with runtime.uow(readonly=True) as uow:
        return uow.stock.levels([ticket_type_id])[ticket_type_id].available


def in_browser(runtime, buyer, standing, quantity=2):
    hold = runtime.inventory.place_hold(buyer, standing.id, quantity)
    order = runtime.orders.place(PlaceOrder(principal=buyer, tender=Tender.CARD,
                                            hold_id=hold.id, in_browser=True))
    return hold, order


def test_an_order_for_the_browser_waits_with_its_payment_opened_without_a_card(shop):
    runtime, standing, buyer = shop
    hold, order = in_browser(runtime, buyer, standing)
    assert order.status is OrderStatus.PENDING and order.payment_reference.startswith("pi_")
    assert order.pay_until == hold.expires_at
    assert runtime.orders.show(buyer, order.id).pay_until == hold.expires_at  # stored
    payment = runtime.orders.browser_payment(None, order.id)  # the pay link: by its id
    assert payment.state.status == "requires_payment_method"
    assert payment.state.client_secret.startswith(order.payment_reference + "_secret_")
    assert "secret" not in repr(payment.state)
    assert left(runtime, standing.id) == 98


def test_a_card_paid_in_the_browser_confirms_the_order_and_issues_its_tickets(shop):
    runtime, standing, buyer = shop
    _, order = in_browser(runtime, buyer, standing)
    paid = runtime.orders.pay_in_browser(buyer, order.number, payment_method="pm_card_visa")
    assert paid.order.status is OrderStatus.COMPLETED and paid.state is None
    deliver(runtime)
    assert len(runtime.tickets.of_orders([order.id])[order.id]) == 2


def test_3d_secure_is_passed_in_the_browser_and_the_order_confirmed_after(shop, stripe_base):
    runtime, standing, buyer = shop
    _, order = in_browser(runtime, buyer, standing)
    asked = runtime.orders.pay_in_browser(buyer, order.id,
                                          payment_method=card(stripe_base, THREE_D_SECURE))
    assert asked.order.status is OrderStatus.PENDING
    assert asked.state.status == "requires_action"
    pass_3d_secure(stripe_base, asked.state.client_secret)
    done = runtime.orders.pay_in_browser(buyer, order.id)
    assert done.order.status is OrderStatus.COMPLETED


def test_a_declined_card_leaves_the_order_payable_with_another(shop, stripe_base):
    runtime, standing, buyer = shop
    _, order = in_browser(runtime, buyer, standing)
    with pytest.raises(RuleViolation, match=r"card declined: .*Try another card before") as e:
        runtime.orders.pay_in_browser(buyer, order.id,
                                      payment_method="pm_card_chargeCustomerFail")
    assert e.value.code == "card_declined"
    assert runtime.orders.show(buyer, order.id).status is OrderStatus.PENDING
    assert runtime.orders.payment_reported(order.id, "failed", order.payment_reference) \
        == "payable"  # the webhook of the failed attempt releases nothing either
    waiting = runtime.orders.browser_payment(buyer, order.id)  # the page, reloaded
    assert waiting.state.status == "requires_payment_method" and waiting.state.declined
    assert left(runtime, standing.id) == 98  # the seats wait for another card
    # (localstripe cannot confirm an intent again after a failed charge; Stripe can)


def test_a_failed_3d_secure_check_leaves_it_payable(shop, stripe_base):
    runtime, standing, buyer = shop
    _, order = in_browser(runtime, buyer, standing)
    asked = runtime.orders.pay_in_browser(buyer, order.id,
                                          payment_method=card(stripe_base, THREE_D_SECURE))
    pass_3d_secure(stripe_base, asked.state.client_secret, success=False)
    with pytest.raises(RuleViolation, match="card declined"):
        runtime.orders.pay_in_browser(buyer, order.id)
    assert runtime.orders.show(buyer, order.id).status is OrderStatus.PENDING


def test_the_daemon_releases_a_browser_order_only_when_its_time_is_up(shop):
    runtime, standing, buyer = shop
    hold, order = in_browser(runtime, buyer, standing)
    runtime.clock.advance(timedelta(minutes=5))  # long past the saga's own deadline
    deliver(runtime)
    assert runtime.orders.show(buyer, order.id).status is OrderStatus.PENDING
    runtime.clock.set(hold.expires_at + timedelta(seconds=1))
    deliver(runtime)
    failed = runtime.orders.show(buyer, order.id)
    assert failed.status is OrderStatus.FAILED and left(runtime, standing.id) == 100
    assert runtime.orders.browser_payment(None, order.id).state is None  # settled


def test_paying_after_the_time_is_up_releases_the_seats(shop):
    runtime, standing, buyer = shop
    hold, order = in_browser(runtime, buyer, standing)
    runtime.clock.set(hold.expires_at)
    with pytest.raises(RuleViolation, match="time to pay for this order is up") as late:
        runtime.orders.pay_in_browser(buyer, order.id)
    assert late.value.code == "hold_expired" and left(runtime, standing.id) == 100


def test_the_webhook_confirms_a_browser_payment(shop):
    runtime, standing, buyer = shop
    _, order = in_browser(runtime, buyer, standing)
    assert runtime.orders.payment_reported(order.id, "succeeded", order.payment_reference) \
        == "confirmed"
    assert runtime.orders.show(buyer, order.id).status is OrderStatus.COMPLETED


def test_a_card_needing_3d_secure_from_the_cli_is_left_to_the_browser(shop, stripe_base):
    runtime, standing, buyer = shop
    with pytest.raises(RuleViolation, match=r"3-D Secure.*in a browser before") as refused:
        runtime.orders.buy(buyer, standing.id, 1, tender=Tender.CARD,
                           payment_method=card(stripe_base, THREE_D_SECURE))
    assert refused.value.code == "requires_action"
    order_id = refused.value.detail["order_id"]
    waiting = runtime.orders.browser_payment(None, order_id)
    assert waiting.order.status is OrderStatus.PENDING and waiting.order.pay_until
    assert waiting.state.status == "requires_action"
    pass_3d_secure(stripe_base, waiting.state.client_secret)
    assert runtime.orders.pay_in_browser(None, order_id).order.status \
        is OrderStatus.COMPLETED
