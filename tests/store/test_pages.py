"""The shop's pages over HTTP (in-process, Starlette's TestClient as a browser keeping
cookies): every bad input is a page that says what to fix, with its status, never a trace;
pages that need an account send a visitor to log in; a guest's link needs its key."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.catalog_support import an_event, organizer
from tests.support import PASSWORD, user
from tix.bootstrap import Runtime
from tix.web import guest_links
from tix.web.app import create_app

HTML = {"Accept": "text/html"}


class Visitor(TestClient):
    def page(self, path: str, status: int = 200) -> str:
        answer = self.get(path, headers=HTML, follow_redirects=True)
        assert answer.status_code == status, (path, answer.status_code, answer.text[-400:])
        assert "Traceback" not in answer.text
        return answer.text

    def redirected(self, form_page: str, action: str, data: dict[str, Any]) -> str:
        """Post a form with its page's token; it must answer 303: where it sends one."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.page(form_page))
        assert token, form_page
        answer = self.post(action, data={"csrf_token": token.group(1), **data}, headers=HTML,
                           follow_redirects=False)
        assert answer.status_code == 303, alert(answer.text)
        return answer.headers["location"]

    def submit(self, form_page: str, action: str, data: dict[str, Any],
             status: int = 200) -> str:
        """Post a form as the browser would: with the token of the page it is on."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.page(form_page))
        assert token, form_page
        answer = self.post(action, data={"csrf_token": token.group(1), **data}, headers=HTML,
                           follow_redirects=True)
        assert answer.status_code == status, (action, answer.status_code, answer.text[-600:])
        assert "Traceback" not in answer.text
        return answer.text


@pytest.fixture
def shop(runtime: Runtime) -> tuple[Runtime, Visitor, str]:
    """The shop on SQLite and on PostgreSQL."""
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, ticket_types=[
        {"name": "Standing", "price": "45.00", "quantity": 5, "limit": 2},
        {"name": "Free entry", "price": "0.00", "quantity": 3}])
    return runtime, Visitor(create_app(runtime), base_url="http://shop.test"), event_id


def alert(html: str) -> str:
    found = re.search(r'role="alert">([^<]+)<', html)
    assert found, html[-800:]
    return unescape(found.group(1))


def test_a_basket_with_nothing_chosen_or_a_forged_quantity_says_so(shop):
    runtime, browser, event_id = shop
    types = {t.name: t.id for t in runtime.catalog.show(event_id).ticket_types}
    page = f"/events/{event_id}"
    html = browser.submit(page, f"{page}/hold", {}, status=422)
    assert alert(html) == "Choose how many tickets you want of at least one type."
    html = browser.submit(page, f"{page}/hold", {f"qty-{types['Standing']}": "-3"},
                          status=422)
    assert alert(html) == "Standing: choose how many from the list."
    html = browser.submit(page, f"{page}/hold", {f"qty-{types['Standing']}": "3"}, status=409)
    assert "limit" in alert(html).lower() or "at most" in alert(html).lower()
    assert runtime.catalog.show(event_id).ticket_types[0].available == 5  # nothing held


def test_more_than_is_left_is_refused_and_the_page_shows_what_is_left(shop):
    runtime, browser, event_id = shop
    free = next(t for t in runtime.catalog.show(event_id).ticket_types if t.price == 0)
    page = f"/events/{event_id}"
    html = browser.submit(page, f"{page}/hold", {f"qty-{free.id}": "4"}, status=409)
    assert re.search(r"only 3|3 left", alert(html))


def test_checkout_without_an_email_asks_for_it_and_keeps_the_hold(shop):
    runtime, browser, event_id = shop
    free = next(t for t in runtime.catalog.show(event_id).ticket_types if t.price == 0)
    page = f"/events/{event_id}"
    held = browser.post(f"{page}/hold", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"',
                                browser.page(page)).group(1),
        f"qty-{free.id}": "1"}, headers=HTML, follow_redirects=False)
    assert held.status_code == 303
    hold_page = held.headers["location"]
    action = hold_page.replace("?", "/checkout?", 1)
    html = browser.submit(hold_page, action, {"name": "Gus"}, status=422)
    assert alert(html) == "Give your email: your tickets go there."
    assert 'aria-invalid="true"' in html
    html = browser.submit(hold_page, action, {"email": "not-an-email", "name": "Gus"},
                          status=422)
    assert "email" in alert(html).lower()
    html = browser.submit(hold_page, action, {"email": "gus@example.com", "name": "Gus"})
    assert "Thank you! Order TIX-" in html


def test_a_guest_cancels_and_has_tickets_mailed_again_by_the_link_of_the_receipt(
        shop):
    runtime, browser, event_id = shop
    free = next(t for t in runtime.catalog.show(event_id).ticket_types if t.price == 0)
    page = f"/events/{event_id}"
    hold_page = browser.redirected(page, f"{page}/hold", {f"qty-{free.id}": "2"})
    done = browser.post(hold_page.replace("?", "/checkout?", 1), headers=HTML,
                        follow_redirects=False, data={
                            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"',
                                                    browser.page(hold_page)).group(1),
                            "email": "gus@example.com", "name": "Gus"})
    assert done.status_code == 303
    order_link = done.headers["location"]  # /orders/<id>?key=…, as the receipt's
    order_id = order_link.split("/orders/", 1)[1].split("?", 1)[0]
    html = browser.page(order_link)
    assert "Cancel this order" in html and "Mail my tickets again" in html
    cancel_page = order_link.replace("?", "/cancel?", 1)
    assert unescape(re.search(r'action="([^"]+/resend[^"]*)"', html).group(1)) == \
        order_link.replace("?", "/resend?", 1)
    resent = browser.submit(order_link, order_link.replace("?", "/resend?", 1), {})
    assert "Your tickets are mailed again." in resent
    form = browser.page(cancel_page)
    assert "This order was free: there is nothing to refund." in form  # not "0.00 of 0.00"
    assert ">Cancel the order</button>" in form
    refund = re.search(r'name="refund" value="(\d+)"', form).group(1)
    cancelled = browser.submit(cancel_page, cancel_page, {"refund": refund})
    assert "Your order is cancelled." in cancelled and "your card" not in cancelled
    olga = runtime.accounts.login(email="olga@example.com", password=PASSWORD).principal
    assert runtime.orders.show(olga, order_id).status.value == "CANCELLED"
    assert runtime.catalog.show(event_id).ticket_types[1].available == free.available
    wrong = order_link.split("?key=")[0] + "/cancel?key=x.y"
    assert browser.get(wrong, headers=HTML).status_code == 404  # a wrong key: no order


def test_someone_elses_hold_and_a_wrong_guest_key_are_not_found(shop):
    runtime, browser, event_id = shop
    other = runtime.accounts.visit()
    hold = runtime.inventory.hold_basket(
        other.principal, [(runtime.catalog.show(event_id).ticket_types[1].id, 1)])
    browser.page(f"/holds/{hold.id}?event={event_id}", status=404)
    order_id = "3f1c2b1e-0000-4000-8000-000000000000"
    good = guest_links.order_key(runtime, order_id, other.principal.user_id)
    browser.page(f"/orders/{order_id}?key={good[:-2]}xx", status=404)
    browser.page(f"/orders/{order_id}?key=", status=404)


def test_account_pages_send_a_visitor_to_log_in_and_back(shop):
    runtime, browser, _ = shop
    answer = browser.get("/my/tickets", headers=HTML, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/my/tickets"
    user(runtime, "ann@example.com")
    login = browser.page("/login?next=/my/orders")
    assert 'name="next" value="/my/orders"' in login
    html = browser.submit("/login?next=/my/orders", "/login",
                        {"email": "ann@example.com", "password": PASSWORD,
                         "next": "/my/orders"})
    assert "<h1>My orders</h1>" in html


def test_login_never_redirects_off_the_site(shop):
    runtime, browser, _ = shop
    user(runtime, "ann@example.com")
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.page("/login")).group(1)
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        answer = browser.post("/login", data={"csrf_token": token, "email": "ann@example.com",
                                              "password": PASSWORD, "next": target},
                              headers=HTML, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/my/tickets"


def test_bad_search_filters_and_unknown_pages_are_pages_with_their_status(shop):
    _, browser, _ = shop
    assert alert(browser.page("/search?from=31.12.2026", status=422)) \
        == "From: '31.12.2026' is not a date (YYYY-MM-DD)."
    assert alert(browser.page("/search?max_price=lots", status=422)).startswith("Max price:")
    assert alert(browser.page("/search?sort=random", status=422)) \
        == "Sort by date, popularity or price."
    assert "<h1>Not found</h1>" in browser.page("/events/E999", status=404)
    assert "<h1>Not found</h1>" in browser.page("/nowhere", status=404)
    to_login = browser.get("/tickets/x/pdf", headers=HTML, follow_redirects=False)
    assert to_login.status_code == 303  # a ticket's files: its buyer's, or by the order's key
    assert browser.get("/tickets/x/pdf?order=y&key=z.w", headers=HTML).status_code == 404


def test_suggestions_answer_json_for_the_search_box(shop):
    _, browser, event_id = shop
    answer = browser.get("/suggestions?q=nils")
    assert answer.status_code == 200
    assert answer.json() == [{"name": "Nils Frahm live", "when": answer.json()[0]["when"],
                              "url": f"/events/{event_id}"}]
    assert browser.get("/suggestions?q=").json() == []


def test_every_page_uses_no_inline_script_or_style(shop):
    _, browser, event_id = shop
    for path in ("/", "/search", f"/events/{event_id}", "/login", "/register", "/forgot"):
        html = browser.page(path)
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path  # every script a file


def test_a_code_is_checked_on_the_event_page_taken_by_the_hold_and_kept_by_the_order(shop):
    from tix.core.vouchers.service import VoucherTerms

    runtime, browser, event_id = shop
    owner = runtime.accounts.login(email="olga@example.com", password=PASSWORD).principal
    runtime.vouchers.create(owner, event_id, "HALF", VoucherTerms(percent=50))
    runtime.vouchers.create(owner, event_id, "GIFT", VoucherTerms(percent=100))
    standing = runtime.catalog.show(event_id).ticket_types[0]
    page = f"/events/{event_id}"
    html = browser.submit(page, f"{page}/hold", {f"qty-{standing.id}": "1", "voucher": "NOPE"},
                          status=404)
    assert "NOPE" in alert(html) and standing.available == 5  # nothing held
    checkout = browser.page(browser.redirected(page, f"{page}/hold", {
        "voucher": "half", f"qty-{standing.id}": "2"}))
    assert "Total (code HALF)" in checkout and "45.00 EUR" in checkout  # 90.00 halved
    assert "Continue to payment · 45.00 EUR" in checkout

    browser = Visitor(browser.app, base_url="http://shop.test")  # another buyer (limit 2)
    hold_page = browser.redirected(page, f"{page}/hold", {"voucher": "GIFT",
                                                          f"qty-{standing.id}": "1"})
    assert "Get my tickets" in browser.page(hold_page)  # nothing to pay: no card
    html = browser.submit(hold_page, hold_page.replace("?", "/checkout?", 1),
                          {"email": "gift@example.com", "name": "Gil Gift"})
    assert "Thank you! Order TIX-" in html and "45.00 EUR off with code GIFT" in html
    again = browser.submit(page, f"{page}/hold", {"voucher": "GIFT",
                                                  f"qty-{standing.id}": "1"}, status=409)
    assert "GIFT" in alert(again)  # its one use is taken


def test_a_code_opens_hidden_types_on_the_event_page_and_they_are_held_and_sold_with_it(
        runtime):
    from tix.core.vouchers.service import VoucherTerms

    owner = organizer(runtime)
    event_id = an_event(runtime, owner, ticket_types=[
        {"name": "Standing", "price": "45.00", "quantity": 5},
        {"name": "Press", "price": "0.00", "quantity": 2, "hidden": True}])
    runtime.vouchers.create(owner, event_id, "PRESS", VoucherTerms(unlock_only=True,
                                                                   max_uses=1))
    browser = Visitor(create_app(runtime), base_url="http://shop.test")
    page = f"/events/{event_id}"
    assert "Press" not in browser.page(page)  # nobody's to see without the code
    html = browser.submit(page, f"{page}/hold", {"voucher": "nope", "apply": "1"},
                          status=404)
    assert "NOPE" in alert(html) and "Press" not in html
    html = browser.submit(page, f"{page}/hold", {"voucher": "press", "apply": "1"})
    assert "Code PRESS opens Press." in html and "(with your code)" in html
    press = re.search(r'<label for="qty-([^"]+)">Press</label> <small>\(with your code\)',
                      html)
    assert press, html
    press_id = press.group(1)
    # without the code its quantity is not read: nothing chosen
    html = browser.submit(page, f"{page}/hold", {f"qty-{press_id}": "1"}, status=422)
    assert alert(html) == "Choose how many tickets you want of at least one type."
    hold_page = browser.redirected(page, f"{page}/hold", {"voucher": "press",
                                                          f"qty-{press_id}": "1"})
    checkout = browser.page(hold_page)
    assert "Press" in checkout and "Total (code PRESS)" in checkout
    assert "Get my tickets" in checkout  # priced from the opened type: free, no card
    # the hold took the code's one use: another visitor is told it is used up
    other = Visitor(browser.app, base_url="http://shop.test")
    html = other.submit(page, f"{page}/hold", {"voucher": "PRESS", "apply": "1"},
                        status=409)
    assert "PRESS" in alert(html) and "used up" in alert(html)
    html = browser.submit(hold_page, hold_page.replace("?", "/checkout?", 1),
                          {"email": "pia@example.com", "name": "Pia Press"})
    assert "Thank you! Order TIX-" in html and "Press" in html
    sold = {t.name: t.available for t in runtime.catalog.show(event_id).ticket_types}
    assert sold == {"Standing": 5}  # the hidden type stays unlisted after the sale


def test_a_type_not_on_sale_yet_says_so_and_cannot_be_chosen(runtime):
    from datetime import timedelta

    from tests.catalog_support import local

    later = local(runtime.clock.now() + timedelta(days=3))
    event_id = an_event(runtime, ticket_types=[
        {"name": "Presale", "price": "20.00", "quantity": 5, "sale_starts": later},
        {"name": "Door", "price": "25.00", "quantity": 5}])
    browser = Visitor(create_app(runtime), base_url="http://shop.test")
    html = browser.page(f"/events/{event_id}")
    presale = html[html.index("Presale"):html.index("Door")]
    assert "Not on sale yet" in presale and "disabled" in presale
