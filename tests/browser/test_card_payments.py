"""Paying by card in the browser against localstripe's own Stripe.js: the card goes to
Stripe (a token), never to tix; a card whose bank asks for 3-D Secure is completed in its
dialog; a declined card is said plainly and another card then pays."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_accounts import log_in
from tests.browser.test_browse_and_free_checkout import _decode
from tests.support import PASSWORD, user


def checkout_concert(page, catalog, email: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """A guest holds one Standing and one Seated ticket and goes on to pay."""
    page.goto(f"/events/{catalog.concert}")
    page.get_by_label("Standing").select_option("1")
    page.get_by_label("Seated").select_option("1")
    page.get_by_role("button", name="Hold these tickets").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Continue to payment · 110.50 EUR").click()
    page.wait_for_url(re.compile(r"/pay/[0-9a-f-]+\?key="))


def type_card(page, number: str) -> None:  # type: ignore[no-untyped-def]
    card = page.locator("#card-element")
    for field, value in (("number", number), ("exp_month", "12"), ("exp_year", "34"),
                         ("cvc", "123"), ("postal_code", "10115")):
        card.get_by_placeholder(field, exact=True).fill(value)


def test_a_guest_pays_by_card_and_gets_tickets_whose_codes_decode(page, shop, catalog):
    checkout_concert(page, catalog, "carla@example.com", "Carla Card")
    expect(page.get_by_text("To pay: 110.50 EUR")).to_be_visible()
    screenshot(page, "pay")
    type_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay 110.50 EUR").click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+\?key="))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you! Order")
    assert [t.split(" · ")[0] for t in page.locator(".ticket h2").all_inner_texts()] \
        == ["Standing", "Seated"]
    order_id = page.url.split("/orders/")[1].split("?")[0]
    signed = [d.qr_payload for d in shop.runtime.tickets.order_documents(order_id)]
    codes = page.locator("img.qr")
    assert [_decode(page.request.get(shop.url + codes.nth(n).get_attribute("src")).body())
            for n in range(2)] == signed


def test_a_card_that_asks_for_3d_secure_is_completed_in_its_dialog(page, shop, catalog):
    checkout_concert(page, catalog, "sven@example.com", "Sven Secure")
    type_card(page, "4000002760003184")
    page.get_by_role("button", name="Pay 110.50 EUR").click()
    dialog = page.get_by_text("3D Secure")
    dialog.wait_for()
    screenshot(page, "pay-3d-secure")
    page.get_by_role("button", name="Complete authentication").click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+\?key="))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you! Order")
    assert page.locator(".ticket").count() == 2


def test_a_declined_card_is_said_plainly_and_another_card_pays(page, shop, catalog):
    checkout_concert(page, catalog, "dina@example.com", "Dina Declined")
    type_card(page, "4000000000000341")  # charging it is declined
    page.get_by_role("button", name="Pay 110.50 EUR").click()
    message = page.locator("#pay-message")
    message.wait_for()
    assert "declined" in message.inner_text().lower()
    assert "try another card" in message.inner_text().lower()
    assert ".." not in message.inner_text()
    screenshot(page, "pay-declined")
    assert page.get_by_role("button", name="Pay 110.50 EUR").is_enabled()
    type_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay 110.50 EUR").click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+\?key="))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you! Order")


def test_a_failed_3d_secure_check_is_said_and_leaves_the_order_payable(page, shop, catalog):
    checkout_concert(page, catalog, "fritz@example.com", "Fritz Failed")
    type_card(page, "4000002760003184")
    page.get_by_role("button", name="Pay 110.50 EUR").click()
    page.get_by_role("button", name="Fail authentication").click()
    message = page.locator("#pay-message")
    message.wait_for()
    assert "authentication" in message.inner_text().lower()
    assert "/pay/" in page.url


def test_an_account_cancels_a_card_order_after_seeing_its_refund(page, shop, catalog):
    user(shop.runtime, "ute@example.com", name="Ute Undo")
    log_in(page, "ute@example.com")
    page.wait_for_url("**/my/tickets")
    page.goto(f"/events/{catalog.concert}")
    page.get_by_label("Standing").select_option("1")
    page.get_by_role("button", name="Hold these tickets").click()
    page.get_by_role("button", name="Continue to payment · 45.00 EUR").click()
    page.wait_for_url(re.compile(r"/pay/[0-9a-f-]+$"))  # an account's: no key in the link
    type_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay 45.00 EUR").click()
    page.wait_for_url("**/my/orders/**")
    order_id = page.url.rsplit("/", 1)[1]
    me = shop.runtime.accounts.login(email="ute@example.com", password=PASSWORD).principal
    refund = shop.runtime.orders.cancellation_quote(me, order_id).refund
    assert refund > 0
    page.get_by_role("link", name="Cancel this order").click()
    shown = f"{refund // 100}.{refund % 100:02d} EUR"
    assert page.locator(".refund").inner_text() == f"You will get back {shown} of 45.00 EUR."
    page.get_by_role("button", name=f"Cancel the order and refund {shown}").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith(": cancelled")
    assert page.get_by_role("status").inner_text().startswith("Your order is cancelled")
    assert shop.runtime.orders.show(me, order_id).refunded_amount == refund


def test_a_card_the_cli_left_to_the_bank_is_confirmed_on_the_pay_page(page, shop, catalog,
                                                                      stripe_base):
    from tests.integration.test_browser_payments import THREE_D_SECURE, card
    from tix.core.errors import RuleViolation
    from tix.core.orders.model import Tender

    user(shop.runtime, "cleo@example.com", name="Cleo Command")
    me = shop.runtime.accounts.login(email="cleo@example.com", password=PASSWORD).principal
    standing = shop.runtime.catalog.show(catalog.concert).ticket_types[0]
    try:  # what `tix buy` does with a card whose bank asks for 3-D Secure
        shop.runtime.orders.buy(me, standing.id, 1, tender=Tender.CARD,
                                payment_method=card(stripe_base, THREE_D_SECURE))
        raise AssertionError("the bank's check was not asked for")
    except RuleViolation as refused:
        assert refused.code == "requires_action"
        order_id = str(refused.detail["order_id"])
    log_in(page, "cleo@example.com")
    page.wait_for_url("**/my/tickets")
    page.goto(f"/pay/{order_id}")  # the link the CLI prints
    expect(page.get_by_text("Your bank asks you to confirm")).to_be_visible()
    assert page.locator("#card-element").count() == 0  # no card asked again
    page.get_by_role("button", name="Confirm with your bank").click()
    page.get_by_role("button", name="Complete authentication").click()
    page.wait_for_url(f"**/my/orders/{order_id}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you! Order")
