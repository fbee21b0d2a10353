"""The daemon's HTTP listener over a real socket: health, readiness, metrics, the mobile
ticket page, and Stripe's webhooks fed into the saga (verified, replays harmless)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import deliver, logged_in
from tix.adapters.db.rows.orders import OrderRow
from tix.core.catalog.search import SearchQuery
from tix.core.orders.model import OrderStatus, Tender
from tix.core.principal import Role
from tix.listener import Listener, parse_address

SECRET = "whsec_test_tix"


class Crash(BaseException):
    pass


@pytest.fixture
def served(make_runtime, database, stripe_base):
    runtime = make_runtime(database, stripe_api_key="sk_test_tix", stripe_api_base=stripe_base,
                           stripe_webhook_secret=SECRET)
    listener = Listener(runtime, "127.0.0.1", 0)
    listener.start()
    host, port = listener.address
    yield runtime, f"http://{host}:{port}"
    listener.stop()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def post_event(base: str, event: dict, secret: str = SECRET) -> tuple[int, str]:
    payload = json.dumps(event).encode()
    stamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{stamp}.".encode() + payload,
                         hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{base}/webhooks/stripe", data=payload, method="POST",
                                     headers={"Stripe-Signature": f"t={stamp},v1={signature}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def stripe_event(kind: str, thing: dict) -> dict:
    return {"id": f"evt_{time.monotonic_ns()}", "object": "event", "type": kind,
            "data": {"object": thing}, "api_version": "2024-06-20"}


def test_health_readiness_and_metrics(served):
    runtime, base = served
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    standing = runtime.catalog.show(an_event(runtime, organizer(runtime))).ticket_types[0]
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH, tendered=9000)
    runtime.inventory.place_hold(clerk, standing.id, 1)
    hits, misses = runtime.cache.stats()  # whatever setting up looked up
    for _ in range(3):
        runtime.catalog.search(SearchQuery())  # a miss, then two hits
    assert get(f"{base}/healthz") == (200, "ok\n")
    assert get(f"{base}/readyz") == (200, "ready\n")
    status, text = get(f"{base}/metrics")
    assert status == 200
    assert 'tix_orders{status="COMPLETED"} 1' in text
    assert "tix_holds_active 1" in text
    assert "tix_outbox_pending " in text and "# TYPE tix_queue_lag_seconds gauge" in text
    # the embedded cache is in-process: the listener's own process searched here
    assert f'tix_cache_requests_total{{result="hit"}} {hits + 2}\n' in text
    assert f'tix_cache_requests_total{{result="miss"}} {misses + 1}\n' in text
    assert f"tix_cache_hit_ratio {(hits + 2) / (hits + misses + 3):g}\n" in text
    assert "in this process only" in text
    assert get(f"{base}/nowhere")[0] == 404


def test_metrics_time_each_step_of_the_card_saga(served):
    runtime, base = served
    buyer = logged_in(runtime)
    standing = runtime.catalog.show(an_event(runtime, organizer(runtime))).ticket_types[0]
    orders = []
    # (seconds from the order to the payment service's answer, then to confirmed)
    for pay, confirm in [(1, 0.5), (2, 0.25), (4, 1), (8, 0)]:
        def pace(step, order, pay=pay, confirm=confirm):
            if step == "reserve":
                runtime.clock.advance(timedelta(seconds=pay))
            elif step == "pay":
                runtime.clock.advance(timedelta(seconds=confirm))

        runtime.orders.after_step = pace
        orders.append(runtime.orders.buy(buyer, standing.id, 1, tender=Tender.CARD,
                                         payment_method="pm_card_visa"))
    runtime.orders.after_step = lambda step, order: None
    assert [o.paid_at - o.created_at for o in orders[:2]] == [timedelta(seconds=1),
                                                              timedelta(seconds=2)]
    with runtime.engine.begin() as conn:  # the last one was sold before paid_at existed
        conn.execute(update(OrderRow).where(OrderRow.id == orders[-1].id).values(paid_at=None))
    text = get(f"{base}/metrics")[1]
    # all four in the total (1.5, 2.25, 5, 8 s); the three with paid_at in the steps
    assert 'tix_card_checkout_seconds{quantile="0.5"} 5\n' in text
    assert 'tix_card_checkout_seconds{quantile="0.95"} 8\n' in text
    assert 'tix_saga_step_seconds{step="pay",quantile="0.5"} 2\n' in text
    assert 'tix_saga_step_seconds{step="pay",quantile="0.95"} 4\n' in text
    assert 'tix_saga_step_seconds{step="confirm",quantile="0.5"} 0.5\n' in text
    assert 'tix_saga_step_seconds{step="confirm",quantile="0.95"} 1\n' in text
    assert "# TYPE tix_saga_step_seconds gauge" in text


def test_the_mobile_ticket_page(served):
    runtime, base = served
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK)
    standing = runtime.catalog.show(an_event(runtime, organizer(runtime))).ticket_types[0]
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500,
                       holders=["Ann <b>Archer</b>"])
    deliver(runtime)
    [ticket] = runtime.tickets.mine(clerk)
    status, page = get(f"{base}/t/{ticket.id}")
    assert status == 200 and "<svg" in page and ticket.number in page
    assert "Ann &lt;b&gt;Archer&lt;/b&gt;" in page  # escaped, never markup
    assert "Already used" not in page
    runtime.tickets.check_in(clerk, ticket.qr_payload)
    assert "Already used: this ticket has been checked in." in get(f"{base}/t/{ticket.id}")[1]
    assert get(f"{base}/t/00000000-0000-4000-8000-000000000000")[0] == 404
    assert get(f"{base}/t/not-a-ticket")[0] == 404


def pending_card_order(runtime, crash_after: str, quantity: int):
    """A card sale whose process died after the saga's step `crash_after`: PENDING."""
    buyer = logged_in(runtime)
    standing = runtime.catalog.show(an_event(runtime, organizer(runtime))).ticket_types[0]

    def die(step, order):
        if step == crash_after:
            raise Crash

    runtime.orders.after_step = die
    hold = runtime.inventory.place_hold(buyer, standing.id, quantity)
    with pytest.raises(Crash):
        runtime.orders.checkout(buyer, hold.id, tender=Tender.CARD,
                                payment_method="pm_card_visa")
    runtime.orders.after_step = lambda step, order: None
    [order] = runtime.orders.list(buyer)
    assert order.status is OrderStatus.PENDING
    return buyer, order


def test_webhooks_feed_the_saga_and_replays_change_nothing(served):
    runtime, base = served
    buyer, order = pending_card_order(runtime, "pay", 2)  # paid, then the process died
    succeeded = stripe_event("payment_intent.succeeded", {
        "id": "pi_from_webhook", "object": "payment_intent",
        "metadata": {"order_id": order.id}})
    runtime.clock.advance(timedelta(seconds=3))
    assert post_event(base, succeeded) == (200, "confirmed\n")
    assert post_event(base, succeeded) == (200, "nothing to do\n")  # a replay
    confirmed = runtime.orders.show(buyer, order.number)
    assert confirmed.status is OrderStatus.COMPLETED
    assert confirmed.paid_at - confirmed.created_at == timedelta(seconds=3)  # the webhook
    assert post_event(base, succeeded, secret="whsec_wrong")[0] == 400  # forged
    refunded = stripe_event("charge.refunded", {
        "id": "ch_1", "object": "charge", "payment_intent": "pi_from_webhook",
        "amount_refunded": 9000, "metadata": {"order_id": order.id}})
    assert post_event(base, refunded) == (200, "cancelled\n")
    cancelled = runtime.orders.show(buyer, order.number)
    assert cancelled.status is OrderStatus.CANCELLED and cancelled.refunded_amount == 9000
    assert runtime.catalog.show(order.event_id).ticket_types[0].available == 100
    assert post_event(base, stripe_event("customer.created", {"id": "cus_1"})) == (
        200, "ignored\n")


def test_a_failed_payment_webhook_releases_the_seats(served):
    runtime, base = served
    buyer, order = pending_card_order(runtime, "reserve", 3)
    failed = stripe_event("payment_intent.payment_failed", {
        "id": "pi_x", "object": "payment_intent", "metadata": {"order_id": order.id}})
    assert post_event(base, failed) == (200, "released\n")
    assert runtime.orders.show(buyer, order.number).status is OrderStatus.FAILED
    assert runtime.catalog.show(order.event_id).ticket_types[0].available == 100


def test_the_listen_address_is_checked():
    assert parse_address("0.0.0.0:8000") == ("0.0.0.0", 8000)
    from tix.core.errors import Invalid

    for wrong in ("8000", "host:", "host:port", "h:99999"):
        with pytest.raises(Invalid):
            parse_address(wrong)


def test_a_payment_that_succeeds_after_the_order_failed_is_refunded(served):
    runtime, base = served
    buyer, order = pending_card_order(runtime, "pay", 1)  # paid, then the process died
    gateway = runtime.orders._gateways[Tender.CARD]
    intent = gateway.find_payment(order)
    # the seats went back
    runtime.orders.checkouts.compensate(order, "payment not completed in time")
    late = stripe_event("payment_intent.succeeded", {
        "id": intent, "object": "payment_intent", "metadata": {"order_id": order.id}})
    assert post_event(base, late) == (200, "refunded\n")
    assert post_event(base, late) == (200, "nothing to do\n")  # a replay refunds nothing
    failed = runtime.orders.show(buyer, order.number)
    assert failed.status is OrderStatus.FAILED and failed.refunded_amount == 4500


def test_a_refund_found_by_its_payment_when_the_charge_has_no_order_id(served):
    runtime, base = served
    buyer, order = pending_card_order(runtime, "pay", 1)
    post_event(base, stripe_event("payment_intent.succeeded", {
        "id": "pi_known", "object": "payment_intent", "metadata": {"order_id": order.id}}))
    refunded = stripe_event("charge.refunded", {  # Stripe's charges carry no order id
        "id": "ch_2", "object": "charge", "payment_intent": "pi_known",
        "amount_refunded": 4500, "metadata": {}})
    assert post_event(base, refunded) == (200, "cancelled\n")
    assert runtime.orders.show(buyer, order.number).status is OrderStatus.CANCELLED
