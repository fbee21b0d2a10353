"""Accounts at the shop, in a real browser, with the links of real mails: register and
verify, log in with remember-me, the lockout and the reset link that lifts it, My
tickets, a cancellation that shows its refund first, the GDPR export and deletion."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import mail_text, screenshot
from tests.support import PASSWORD, user

NEW_PASSWORD = "Another-horse-7?"


def link_in(text: str, path: str) -> str:
    found = re.search(rf"https?://\S+{path}\?token=\S+", text)
    assert found, text
    return found.group(0)


def log_in(page, email: str, password: str = PASSWORD, *, remember: bool = False) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    if remember:
        page.get_by_label("Keep me logged in on this device").check()
    page.get_by_role("button", name="Log in").click()


def test_a_buyer_registers_verifies_by_the_mail_and_logs_in_remembered(page, shop, catalog):
    page.goto("/register")
    screenshot(page, "register")
    page.get_by_label("Your name").fill("Rita Register")
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill("not the same")
    page.get_by_role("button", name="Register").click()
    assert "The two passwords differ" in page.get_by_role("alert").inner_text()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    log_in(page, "rita@example.com")  # not verified yet: said, and a new link mailed
    assert "not confirmed yet" in page.get_by_role("alert").inner_text()
    link = link_in(mail_text(shop.mail_to("rita@example.com", "Confirm")), "/verify")
    assert link.startswith(shop.url)  # the mail's link is the shop's own page
    page.goto(link)
    expect(page.get_by_role("heading", name="Address confirmed")).to_be_visible()
    screenshot(page, "verified")
    assert page.goto(link).status == 410  # once only
    expect(page.get_by_role("heading", name="Link already used")).to_be_visible()

    log_in(page, "rita@example.com", remember=True)
    page.wait_for_url("**/my/tickets")
    cookie = next(c for c in page.context.cookies() if c["name"] == "tix_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["expires"] - __import__("time").time() > 20 * 86400  # remembered
    expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
    screenshot(page, "login-done-my-tickets-empty")


def test_three_wrong_passwords_lock_the_account_and_the_reset_link_unlocks_it(
        page, shop, catalog):
    user(shop.runtime, "lou@example.com", name="Lou Locked")
    for _ in range(3):
        log_in(page, "lou@example.com", "Wrong-password-1!")
        assert "wrong email or password" in page.get_by_role("alert").inner_text().lower()
    log_in(page, "lou@example.com")  # the right one, too late
    assert "Your account is locked" in page.get_by_role("alert").inner_text()
    screenshot(page, "login-locked")
    page.get_by_role("link", name="Forgot your password?").click()
    screenshot(page, "forgot")
    page.get_by_label("Email").fill("lou@example.com")
    page.get_by_role("button", name="Mail me a link").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    page.goto(link_in(mail_text(shop.mail_to("lou@example.com", "Reset")), "/reset"))
    screenshot(page, "reset")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Set the password").click()
    assert "at least 12 characters" in page.get_by_role("alert").inner_text()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    log_in(page, "lou@example.com", NEW_PASSWORD)
    page.wait_for_url("**/my/tickets")


def test_my_tickets_and_a_cancellation_that_shows_the_refund_first(page, shop, catalog):
    user(shop.runtime, "max@example.com", name="Max Member")
    log_in(page, "max@example.com")
    page.wait_for_url("**/my/tickets")
    page.goto(f"/events/{catalog.open_day}")
    page.get_by_label("Tour").select_option("2")
    page.get_by_role("button", name="Hold these tickets").click()
    assert page.get_by_label("Email").input_value() == "max@example.com"  # prefilled
    assert page.get_by_label("Your name").input_value() == "Max Member"
    page.get_by_role("button", name="Get my tickets").click()
    page.wait_for_url("**/my/orders/**")
    number = page.get_by_role("heading", level=1).inner_text().split("Order ")[1]

    page.get_by_role("link", name="My tickets").click()
    assert page.locator(".ticket").count() == 2
    assert page.locator(".ticket h2").first.inner_text() == "Funkhaus open day"
    screenshot(page, "my-tickets")
    page.get_by_role("link", name="My orders").click()
    assert page.get_by_role("row", name=re.compile(number)).inner_text().count("Paid")
    screenshot(page, "my-orders")

    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Mail my tickets again").click()
    assert page.get_by_role("status").inner_text() == "Your tickets are mailed again."
    page.get_by_role("link", name="Cancel this order").click()
    # a free order: nothing to refund is said so, not "0.00 EUR of 0.00 EUR"
    assert page.locator(".refund").inner_text() == "This order was free: there is nothing " \
                                                   "to refund."
    screenshot(page, "cancel")
    page.get_by_role("button", name="Cancel the order", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Order {number}: cancelled"
    page.get_by_role("link", name="My tickets").click()
    assert page.locator(".ticket.void").count() == 2


def test_the_export_downloads_my_data_and_deleting_ends_the_account(page, shop, catalog):
    user(shop.runtime, "dora@example.com", name="Dora Delete")
    log_in(page, "dora@example.com")
    page.wait_for_url("**/my/tickets")
    page.get_by_role("link", name="Account").click()
    screenshot(page, "account")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "dora@example.com"
    page.get_by_role("button", name="Delete my account").click()  # the box not ticked
    assert page.get_by_label("Yes, delete my account").evaluate("e => !e.validity.valid")
    page.get_by_label("Yes, delete my account").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Account deleted")).to_be_visible()
    log_in(page, "dora@example.com")
    assert "wrong email or password" in page.get_by_role("alert").inner_text().lower()


def test_a_form_without_its_csrf_token_is_refused_on_a_page(page, shop, catalog):
    page.goto("/login")  # the browser has its cookies now; the post below lacks the token
    answer = page.request.post(shop.url + "/login", form={"email": "x@example.com",
                                                         "password": "x"},
                               headers={"Accept": "text/html"})
    assert answer.status == 403
    assert "This form has expired" in answer.text()
