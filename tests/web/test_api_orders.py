"""Buying through HTTP: a visitor's hold and guest checkout, free tickets, a card paid in
the browser against localstripe (3-D Secure included), reading, cancelling, resending,
the ticket's files; with the refusals of each route."""

from __future__ import annotations

import pytest

from tests.catalog_support import an_event, organizer
from tests.integration.test_browser_payments import THREE_D_SECURE, card, pass_3d_secure
from tests.support import deliver
from tests.web.conftest import Browser, bearer
from tix.web.app import create_app


def event(runtime, **overrides):
    event_id = an_event(runtime, organizer(runtime), **overrides)
    return event_id, runtime.catalog.show(event_id).ticket_types


@pytest.fixture
def free(web):
    _, types = event(web.app.state.runtime, ticket_types=[
        {"name": "Open day", "price": "0.00", "quantity": 5, "limit": 4},
        {"name": "Tour", "price": "12.00", "quantity": 10}])
    return types


def hold(client, items, **extra):
    return client.post("/api/tickets/validate-availability", json={
        "items": [{"ticket_type": t, "quantity": q} for t, q in items], **extra})


def test_a_visitor_holds_and_checks_out_as_a_guest_for_free(web, free, mailer):
    web.token()
    held = hold(web, [(free[0].ref, 2)])
    assert held.status_code == 201, held.text
    assert "tix_session=" in held.headers["set-cookie"]  # the visitor's session begins
    assert held.json()["quantity"] == 2 and held.json()["expires_at"]
    placed = web.post("/api/orders", json={
        "hold_id": held.json()["id"], "tender": "free", "email": "gina@example.com",
        "name": "Gina Guest", "holders": ["Gina Guest", "Gil Guest"]})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "COMPLETED" and order["total"] == 0
    assert [t["holder"] for t in order["tickets"]] == ["Gina Guest", "Gil Guest"]
    assert web.get(f"/api/orders/{order['id']}").json()["number"] == order["number"]
    ticket = order["tickets"][0]["id"]
    pdf = web.get(f"/api/tickets/{ticket}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert web.get(f"/api/tickets/{ticket}/ics").text.startswith("BEGIN:VCALENDAR")
    assert web.get(f"/t/{ticket}").status_code == 200  # the mobile ticket's page
    deliver(web.app.state.runtime)
    assert mailer.last_to("gina@example.com")


def test_a_guest_checkout_needs_an_email_and_a_paid_type_is_not_free(web, free):
    web.token()
    held = hold(web, [(free[1].ref, 1)]).json()
    nameless = web.post("/api/orders", json={"hold_id": held["id"], "tender": "free"})
    assert nameless.status_code == 422 and nameless.json()["field"] == "email"
    priced = web.post("/api/orders", json={"hold_id": held["id"], "tender": "free",
                                           "email": "gina@example.com"})
    assert priced.status_code == 409 and priced.json()["code"] == "not_free"
    both = web.post("/api/orders", json={"tender": "free", "email": "g@example.com"})
    assert both.status_code == 422 and both.json()["field"] == "hold_id"
    cash = web.post("/api/orders", json={"hold_id": held["id"], "tender": "cash"})
    assert cash.status_code == 422 and cash.json()["field"] == "tender"


def test_hold_refusals_sold_out_over_the_limit_unknown_and_bad_input(web, free):
    web.token()
    over = hold(web, [(free[0].ref, 5)])
    assert over.status_code == 409 and over.json()["code"] != "internal"
    unknown = hold(web, [("E99-T9", 1)])
    assert unknown.status_code == 404
    zero = hold(web, [(free[0].ref, 0)])
    assert zero.status_code == 422 and zero.json()["field"] == "items[0].quantity"
    assert hold(web, []).status_code == 422
    other = Browser(web.app, base_url="http://shop.test")
    other.token()
    assert hold(other, [(free[0].ref, 4)]).status_code == 201
    sold_out = hold(web, [(free[0].ref, 2)])
    assert sold_out.status_code == 409 and sold_out.json()["code"] == "not_enough"
    assert sold_out.json()["detail"]  # the words the CLI prints


def test_holding_too_often_is_429_with_retry_after(make_runtime, database):
    runtime = make_runtime(database, holds_per_minute=2)
    _, types = event(runtime)
    client = Browser(create_app(runtime), base_url="http://shop.test")
    client.token()
    assert [hold(client, [(types[0].ref, 1)]).status_code for _ in range(2)] == [201, 201]
    limited = hold(client, [(types[0].ref, 1)])
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


def test_reading_orders_needs_a_session_and_others_orders_do_not_exist(web, free):
    runtime = web.app.state.runtime
    assert web.get("/api/orders").status_code == 401
    assert web.get("/api/tickets").status_code == 401
    ann = bearer(runtime, "ann@example.com")
    placed = web.post("/api/orders", headers=ann, json={
        "items": [{"ticket_type": free[0].id, "quantity": 1}], "tender": "free"})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    mine = web.get("/api/orders", headers=ann).json()
    assert [o["number"] for o in mine] == [order["number"]] and mine[0]["event_name"]
    assert [t["order_id"] for t in web.get("/api/tickets", headers=ann).json()] == [
        order["id"]]
    bob = bearer(runtime, "bob@example.com")
    assert web.get(f"/api/orders/{order['number']}", headers=bob).status_code == 404
    ticket = order["tickets"][0]["id"]
    assert web.get(f"/api/tickets/{ticket}/pdf", headers=bob).status_code == 404
    assert web.post("/api/notifications/resend", headers=bob,
                    json={"order": order["number"]}).status_code == 404
    resent = web.post("/api/notifications/resend", headers=ann,
                      json={"order": order["number"]})
    assert resent.status_code == 202 and resent.json()["tickets"] == 1


def test_a_cancellation_shows_its_refund_first(web, free):
    runtime = web.app.state.runtime
    ann = bearer(runtime, "ann@example.com")
    order = web.post("/api/orders", headers=ann, json={
        "items": [{"ticket_type": free[0].id, "quantity": 2}], "tender": "free"}).json()
    quote = web.get(f"/api/orders/{order['id']}/cancellation", headers=ann).json()
    assert quote["refund"] == 0 and quote["refund_rule"]
    bob = bearer(runtime, "bob@example.com")
    assert web.post(f"/api/orders/{order['id']}/cancel", headers=bob).status_code == 404
    cancelled = web.post(f"/api/orders/{order['id']}/cancel", headers=ann)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    again = web.post(f"/api/orders/{order['id']}/cancel", headers=ann)
    assert again.status_code == 409


def test_a_guest_reads_cancels_and_has_tickets_resent_by_the_key_of_their_checkout(
        web, free, mailer):
    web.token()
    placed = web.post("/api/orders", json={
        "items": [{"ticket_type": free[0].id, "quantity": 2}], "tender": "free",
        "email": "gina@example.com", "holders": ["Gina", "Gil"]})
    assert placed.status_code == 201, placed.text
    order, key = placed.json()["id"], placed.json()["key"]
    runtime = web.app.state.runtime
    deliver(runtime)
    mails = mailer.to("gina@example.com")
    assert any(key in mail.text for mail in mails)  # the receipt's link has the same key
    # a guest who gave no name is greeted without one, not "Hello ,"
    assert all(m.text.startswith("Hello,\n") and "<p>Hello,</p>" in (m.html or "")
               for m in mails), [m.text[:12] for m in mails]
    later = Browser(create_app(runtime), base_url="http://shop.test")  # no session now
    assert later.get(f"/api/orders/{order}").status_code == 401
    assert later.get(f"/api/orders/{order}", params={"key": key + "x"}).status_code == 404
    ann = bearer(runtime, "ann@example.com")
    other = web.post("/api/orders", headers=ann, json={
        "items": [{"ticket_type": free[0].id, "quantity": 1}], "tender": "free"}).json()
    assert later.get(f"/api/orders/{other['id']}", params={"key": key}).status_code == 404
    shown = later.get(f"/api/orders/{order}", params={"key": key})
    assert shown.status_code == 200 and [t["holder"] for t in shown.json()["tickets"]] == [
        "Gina", "Gil"]
    assert "key" not in other  # an account's checkout has its session, not a key
    resent = later.post("/api/notifications/resend", json={"order": order, "key": key})
    assert resent.status_code == 202 and resent.json()["tickets"] == 2
    quote = later.get(f"/api/orders/{order}/cancellation", params={"key": key}).json()
    assert quote["refund"] == 0
    cancelled = later.post(f"/api/orders/{order}/cancel", json={"key": key})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    assert later.post(f"/api/orders/{order}/cancel", json={"key": key}).status_code == 409
    deliver(runtime)
    told = [m for m in mailer.to("gina@example.com") if "is cancelled" in m.text]
    assert told and "It was free: there is nothing to refund." in told[0].text


def test_the_webhook_needs_its_secret_and_skips_the_csrf_check(web):
    web.token()
    del web.headers["X-XSRF-TOKEN"]
    answer = web.post("/api/payments/webhook", content=b"{}",
                      headers={"Stripe-Signature": "t=1,v1=0"})
    assert answer.status_code == 400 and "TIX_STRIPE_WEBHOOK_SECRET" in answer.text


# -- a card paid in the browser (localstripe) -------------------------------------------

@pytest.fixture
def card_shop(make_runtime, database, stripe_base):
    runtime = make_runtime(database, stripe_api_key="sk_test_tix", stripe_api_base=stripe_base,
                           stripe_publishable_key="pk_test_tix",
                           stripe_js_url=f"{stripe_base}/js.stripe.com/v3/")
    _, types = event(runtime)
    client = Browser(create_app(runtime), base_url="http://shop.test")
    client.token()
    return client, types[0]  # Standing, 45.00 EUR


def guest_card_order(client, standing, quantity=2):
    held = hold(client, [(standing.ref, quantity)]).json()
    placed = client.post("/api/orders", json={
        "hold_id": held["id"], "email": "gina@example.com", "name": "Gina Guest"})
    assert placed.status_code == 201, placed.text
    return placed.json()


def test_a_card_order_waits_for_the_browser_with_what_stripe_js_needs(card_shop, stripe_base):
    client, standing = card_shop
    order = guest_card_order(client, standing)
    assert order["status"] == "PENDING" and order["pay_until"]
    payment = order["payment"]
    assert payment["client_secret"].startswith(order["payment_reference"] + "_secret_")
    assert payment["publishable_key"] == "pk_test_tix"
    assert payment["status"] == "requires_payment_method" and payment["total"] == 9000
    assert stripe_base in client.get("/healthz").headers["content-security-policy"]
    stranger = Browser(client.app, base_url="http://shop.test")  # the pay link, elsewhere
    page = stranger.get(f"/api/orders/{order['id']}/payment")
    assert page.json()["client_secret"] == payment["client_secret"]
    paid = client.post("/api/payments/confirm", json={"order": order["id"],
                                                      "payment_method": "pm_card_visa"})
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "COMPLETED"
    deliver(client.app.state.runtime)
    assert len(client.get(f"/api/orders/{order['id']}").json()["tickets"]) == 2


def test_3d_secure_is_202_then_200_once_the_browser_passed_it(card_shop, stripe_base):
    client, standing = card_shop
    order = guest_card_order(client, standing)
    asked = client.post("/api/payments/confirm", json={
        "order": order["id"], "payment_method": card(stripe_base, THREE_D_SECURE)})
    assert asked.status_code == 202, asked.text
    assert asked.json()["payment"]["status"] == "requires_action"
    pass_3d_secure(stripe_base, asked.json()["payment"]["client_secret"])
    done = client.post("/api/payments/confirm", json={"order": order["id"]})
    assert done.status_code == 200 and done.json()["status"] == "COMPLETED"


def test_a_declined_card_is_409_and_the_order_stays_payable(card_shop):
    client, standing = card_shop
    order = guest_card_order(client, standing)
    declined = client.post("/api/payments/confirm", json={
        "order": order["id"], "payment_method": "pm_card_chargeCustomerFail"})
    assert declined.status_code == 409 and declined.json()["code"] == "card_declined"
    assert "Try another card before" in declined.json()["detail"]
    assert client.get(f"/api/orders/{order['id']}").json()["status"] == "PENDING"
    missing = client.post("/api/payments/confirm",
                          json={"order": "00000000-0000-4000-8000-000000000000"})
    assert missing.status_code == 404
    unknown_method = client.post("/api/payments/confirm", json={
        "order": order["id"], "payment_method": "pm_does_not_exist"})
    assert unknown_method.status_code == 422
    assert unknown_method.json()["field"] == "payment_method"


def test_reading_without_a_session_begins_none(web_sqlite):
    for path in ("/api/orders/TIX-AAAA-BB", "/api/tickets/00000000-0000-4000-8000-0000000000"
                 "00/pdf"):
        answer = web_sqlite.get(path)
        assert answer.status_code == 401 and "set-cookie" not in answer.headers
