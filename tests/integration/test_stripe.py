"""Card payments through a Stripe-compatible server (localstripe), saga and all."""

from datetime import timedelta

import pytest

from tests.catalog_support import an_event, organizer
from tests.smtp_server import free_port
from tests.support import deliver, logged_in
from tix.core.errors import Invalid, RuleViolation, Unavailable
from tix.core.orders.model import OrderStatus, Tender


class Crash(BaseException):
    pass


@pytest.fixture
def shop(make_runtime, database, stripe_base):
    runtime = make_runtime(database, stripe_api_key="sk_test_tix", stripe_api_base=stripe_base)
    event_id = an_event(runtime, days=30)
    standing = runtime.catalog.show(event_id).ticket_types[0]  # 45.00 EUR
    return runtime, standing, logged_in(runtime)


def left(runtime, ticket_type_id):
    with runtime.uow(readonly=True) as uow:
        return uow.stock.levels([ticket_type_id])[ticket_type_id].available


def test_a_card_payment_completes_the_order_with_stripes_id(shop):
    runtime, standing, buyer = shop
    order = runtime.orders.buy(buyer, standing.id, 2, tender=Tender.CARD,
                               payment_method="pm_card_visa")
    assert order.status is OrderStatus.COMPLETED
    assert order.payment_reference.startswith("pi_") and order.amount == 9000
    assert order.paid_at is not None
    assert runtime.orders.show(buyer, order.number).paid_at == order.paid_at  # stored
    assert left(runtime, standing.id) == 98


def test_a_declined_card_is_a_clear_refusal_and_the_tickets_go_back(shop):
    runtime, standing, buyer = shop
    with pytest.raises(RuleViolation, match="card declined"):
        runtime.orders.buy(buyer, standing.id, 1, tender=Tender.CARD,
                           payment_method="pm_card_chargeCustomerFail")
    assert left(runtime, standing.id) == 100
    [failed] = runtime.orders.list(buyer)
    assert failed.status is OrderStatus.FAILED and "declined" in failed.failure_reason


def test_an_unknown_payment_method_is_the_buyers_to_fix_and_the_tickets_go_back(shop):
    runtime, standing, buyer = shop
    with pytest.raises(Invalid, match=r"--payment-method pm_does_not_exist: No such Pay"):
        runtime.orders.buy(buyer, standing.id, 2, tender=Tender.CARD,
                           payment_method="pm_does_not_exist")
    assert left(runtime, standing.id) == 100  # at once, not at the daemon's sweep
    [failed] = runtime.orders.list(buyer)
    assert failed.status is OrderStatus.FAILED and "pm_does_not_exist" in failed.failure_reason


def test_a_cancellation_refunds_through_stripe(shop):
    runtime, standing, buyer = shop
    order = runtime.orders.buy(buyer, standing.id, 2, tender=Tender.CARD,
                               payment_method="pm_card_visa")
    cancelled = runtime.orders.cancel(buyer, order.number)
    assert (cancelled.status, cancelled.refunded_amount) == (OrderStatus.CANCELLED, 9000)


def test_a_crash_after_paying_is_confirmed_by_the_daemon_without_charging_twice(shop):
    runtime, standing, buyer = shop

    def die(step, order):
        if step == "pay":
            raise Crash

    runtime.orders.after_step = die
    hold = runtime.inventory.place_hold(buyer, standing.id, 1)
    with pytest.raises(Crash):
        runtime.orders.checkout(buyer, hold.id, tender=Tender.CARD,
                                payment_method="pm_card_visa")
    runtime.orders.after_step = lambda step, order: None
    runtime.clock.advance(timedelta(seconds=11))
    deliver(runtime)
    [order] = runtime.orders.list(buyer)
    assert order.status is OrderStatus.COMPLETED and order.payment_reference.startswith("pi_")
    assert order.paid_at - order.created_at == timedelta(seconds=11)  # when the daemon asked
    gateway = runtime.orders._gateways[Tender.CARD]
    charges = [i for i in gateway._client.v1.payment_intents.list(params={"limit": 100}).data
               if (i.to_dict().get("metadata") or {}).get("order_id") == order.id]
    assert len(charges) == 1  # found, not charged again


@pytest.mark.parametrize("crash_after", ["reserve", "start"])
def test_a_crash_before_paying_is_compensated_by_the_daemon(shop, stripe_base, crash_after):
    """After reserving, or after opening (and recording) the payment: no money moved."""
    runtime, standing, buyer = shop

    def die(step, order):
        if step == crash_after:
            raise Crash

    runtime.orders.after_step = die
    hold = runtime.inventory.place_hold(buyer, standing.id, 3)
    with pytest.raises(Crash):
        runtime.orders.checkout(buyer, hold.id, tender=Tender.CARD,
                                payment_method="pm_card_visa")
    runtime.clock.advance(timedelta(seconds=11))
    deliver(runtime)
    [order] = runtime.orders.list(buyer)
    assert order.status is OrderStatus.FAILED and left(runtime, standing.id) == 100
    assert "succeeded" not in paid_for(stripe_base, order.id)  # and nobody was charged


def test_an_unreachable_payment_service_keeps_the_seat_until_it_is_known(make_runtime,
                                                                        database):
    runtime = make_runtime(database, stripe_api_key="sk_test_tix",
                           stripe_api_base=f"http://127.0.0.1:{free_port()}")
    standing = runtime.catalog.show(an_event(runtime)).ticket_types[0]
    buyer = logged_in(runtime)
    with pytest.raises(Unavailable, match="payment service unavailable"):
        runtime.orders.buy(buyer, standing.id, 1, tender=Tender.CARD,
                           payment_method="pm_card_visa")
    assert left(runtime, standing.id) == 99  # until the daemon knows no charge went through


class FailingStripe:
    """An HTTP endpoint that answers 500, or never answers in time."""

    def __init__(self, mode: str) -> None:
        import http.server
        import threading

        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.calls += 1
                if mode == "slow":
                    import time

                    time.sleep(2)
                self.send_response(500)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error": {"message": "internal error", "type": "api_error"}}')

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.calls = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.mark.parametrize("mode", ["500", "slow"])
def test_a_failing_or_slow_payment_service_leaves_the_order_to_the_daemon(
        make_runtime, database, stripe_base, mode):
    from tix.adapters.payments.stripe import StripeGateway

    failing = FailingStripe(mode)
    try:
        runtime = make_runtime(database, stripe_api_key="sk_test_tix",
                               stripe_api_base=failing.base)
        runtime.orders._gateways[Tender.CARD] = StripeGateway(
            "sk_test_tix", api_base=failing.base, timeout=0.5)  # the pay step's limit, shortened
        standing = runtime.catalog.show(an_event(runtime)).ticket_types[0]
        buyer = logged_in(runtime)
        with pytest.raises(Unavailable, match="confirmed or released within a minute"):
            runtime.orders.buy(buyer, standing.id, 1, tender=Tender.CARD,
                               payment_method="pm_card_visa")
        [order] = runtime.orders.list(buyer)
        # Did the charge go through? Nobody knows yet: the seat stays taken meanwhile.
        assert order.status is OrderStatus.PENDING and left(runtime, standing.id) == 99
        runtime.clock.advance(timedelta(seconds=11))
        deliver(runtime)  # the gateway still fails: the daemon waits and asks again
        assert runtime.orders.show(buyer, order.id).status is OrderStatus.PENDING
        runtime.orders._gateways[Tender.CARD] = StripeGateway("sk_test_tix",
                                                              api_base=stripe_base)
        deliver(runtime)  # the service is back and knows no payment: released
        assert runtime.orders.show(buyer, order.id).status is OrderStatus.FAILED
        assert left(runtime, standing.id) == 100 and failing.calls >= 1
    finally:
        failing.close()


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_the_database_going_away_mid_saga_is_recovered_by_the_daemon(shop, database):
    from sqlalchemy import create_engine, text

    runtime, standing, buyer = shop
    killer = create_engine(database, isolation_level="AUTOCOMMIT")

    def drop_connections(step, order):
        if step == "pay":  # paid; the database connections die before the confirmation
            with killer.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = current_database() "
                                  "AND pid <> pg_backend_pid()"))

    runtime.orders.after_step = drop_connections
    hold = runtime.inventory.place_hold(buyer, standing.id, 1)
    with pytest.raises(Unavailable, match="database unavailable"):
        runtime.orders.checkout(buyer, hold.id, tender=Tender.CARD,
                                payment_method="pm_card_visa")
    killer.dispose()
    runtime.orders.after_step = lambda step, order: None
    runtime.clock.advance(timedelta(seconds=11))
    deliver(runtime)  # a fresh connection: the paid order is confirmed, not lost
    [order] = runtime.orders.list(buyer)
    assert order.status is OrderStatus.COMPLETED and left(runtime, standing.id) == 99


class FaultyProxy:
    """A proxy to the payment service that passes calls on, except those `fate` picks:
    "refused" answers 500 without passing the call on, "reply lost" answers 500 after
    the service carried it out (the money moved, the reply did not arrive), "turned
    down" answers 400 after the service carried it out (as Stripe answers the second of
    two confirmations of one payment)."""

    def __init__(self, target: str, fate) -> None:
        import http.server
        import threading
        import urllib.error
        import urllib.request

        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                chosen = fate(self.command, self.path)
                outer.fates.append((self.command, self.path.split("?")[0], chosen))
                if chosen != "refused":
                    request = urllib.request.Request(
                        target + self.path, data=body if self.command == "POST" else None,
                        method=self.command,
                        headers={k: v for k, v in self.headers.items()
                                 if k.lower() not in ("host", "content-length")})
                    try:
                        with urllib.request.urlopen(request, timeout=10) as answer:
                            status, payload = answer.status, answer.read()
                    except urllib.error.HTTPError as error:
                        status, payload = error.code, error.read()
                if chosen == "turned down":
                    status, payload = 400, (b'{"error": {"code": "payment_intent_unexpected_'
                                            b'state", "message": "y", "type": '
                                            b'"invalid_request_error"}}')
                elif chosen != "passed":
                    status, payload = 500, b'{"error": {"message": "x", "type": "api_error"}}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _forward  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.fates: list[tuple[str, str, str]] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self, fate: str) -> int:
        return sum(1 for *_, chosen in self.fates if chosen == fate)

    def close(self) -> None:
        self.server.shutdown()


def every(suffix: str, fate: str, *, times: int | None = None):
    """Calls to paths ending in `suffix` meet `fate` (the first `times` of them)."""
    seen = {"n": 0}

    def choose(method: str, path: str) -> str:
        if method == "POST" and path.split("?")[0].endswith(suffix):
            seen["n"] += 1
            if times is None or seen["n"] <= times:
                return fate
        return "passed"

    return choose


def paid_for(stripe_base: str, order_id: str) -> list[str]:
    from tix.adapters.payments.stripe import StripeGateway

    client = StripeGateway("sk_test_tix", api_base=stripe_base)._client
    intents = client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
    return [i.status for i in intents
            if (i.to_dict().get("metadata") or {}).get("order_id") == order_id]


def refunded(stripe_base: str, payment: str) -> int:
    from tix.adapters.payments.stripe import StripeGateway

    client = StripeGateway("sk_test_tix", api_base=stripe_base)._client
    return sum(r.amount for r in client.v1.refunds.list(
        params={"payment_intent": payment, "limit": 100}).auto_paging_iter())


def reply_lost_then_unreadable(suffix: str, reads: int):
    """The reply to the call ending in `suffix` is lost, and the next `reads` reads are
    refused: whoever made the call cannot tell what happened for a while."""
    state = {"sent": False, "refused": 0}

    def choose(method: str, path: str) -> str:
        if method == "POST" and path.endswith(suffix):
            state["sent"] = True
            return "reply lost"
        if method == "GET" and state["sent"] and state["refused"] < reads:
            state["refused"] += 1
            return "refused"
        return "passed"

    return choose


@pytest.fixture
def shop_behind(make_runtime, database, stripe_base):
    """open(fate) → a shop whose payment calls go through a FaultyProxy, and the proxy."""
    proxies: list[FaultyProxy] = []

    def open_shop(fate):
        proxy = FaultyProxy(stripe_base, fate)
        proxies.append(proxy)
        runtime = make_runtime(database, stripe_api_key="sk_test_tix",
                               stripe_api_base=proxy.base)
        standing = runtime.catalog.show(an_event(runtime)).ticket_types[0]
        return runtime, standing, logged_in(runtime), proxy

    yield open_shop
    for proxy in proxies:
        proxy.close()


def buy_by_card(runtime, standing, buyer, quantity=1):
    return runtime.orders.buy(buyer, standing.id, quantity, tender=Tender.CARD,
                              payment_method="pm_card_visa")


@pytest.mark.parametrize("fate", ["refused", "reply lost"])
def test_a_confirmation_that_failed_once_completes_the_sale_paid_once(shop_behind,
                                                                      stripe_base, fate):
    """Refused: it is made again. Its reply lost: the intent is read and seen as paid."""
    runtime, standing, buyer, proxy = shop_behind(every("/confirm", fate, times=1))
    order = buy_by_card(runtime, standing, buyer)
    assert order.status is OrderStatus.COMPLETED and proxy.count(fate) == 1
    assert paid_for(stripe_base, order.id) == ["succeeded"]


def test_a_payment_the_service_turned_down_when_opened_is_refused_and_the_seat_goes_back(
        shop_behind):
    """Opening a payment moves no money: whatever request it turned down, nobody paid."""
    runtime, standing, buyer, _ = shop_behind(every("/payment_intents", "turned down"))
    with pytest.raises(RuleViolation, match="payment refused by the payment service"):
        buy_by_card(runtime, standing, buyer)
    [order] = runtime.orders.list(buyer)
    assert order.status is OrderStatus.FAILED and left(runtime, standing.id) == 100


def test_a_confirmation_turned_down_may_hide_a_charge_and_is_left_to_the_daemon(
        shop_behind, stripe_base):
    """A 400 to a confirmation is no proof that nobody paid: the seat stays taken until
    the daemon asks, and finds the payment."""
    runtime, standing, buyer, proxy = shop_behind(every("/confirm", "turned down"))
    with pytest.raises(Unavailable, match="confirmed or released within a minute"):
        buy_by_card(runtime, standing, buyer)
    [order] = runtime.orders.list(buyer)
    assert order.status is OrderStatus.PENDING and left(runtime, standing.id) == 99
    runtime.clock.advance(timedelta(seconds=11))
    deliver(runtime)
    assert runtime.orders.show(buyer, order.id).status is OrderStatus.COMPLETED
    assert paid_for(stripe_base, order.id) == ["succeeded"] and proxy.count("turned down") == 1


def test_a_refund_whose_reply_was_lost_is_seen_as_made_and_not_made_again(
        shop_behind, stripe_base):
    runtime, standing, buyer, proxy = shop_behind(every("/refunds", "reply lost", times=1))
    order = buy_by_card(runtime, standing, buyer)
    cancelled = runtime.orders.cancel(buyer, order.number)
    assert cancelled.status is OrderStatus.CANCELLED and cancelled.refunded_amount == 4500
    assert proxy.count("reply lost") == 1
    assert refunded(stripe_base, order.payment_reference) == 4500  # once, not twice


def test_a_charge_whose_reply_was_lost_is_found_by_its_recorded_payment_not_charged_again(
        shop_behind, stripe_base):
    """The intent's id is stored before it is confirmed: the daemon finds the payment by
    it, however many payments were made since (a search of the newest would miss it)."""
    from tix.adapters.payments.stripe import StripeGateway

    runtime, standing, buyer, proxy = shop_behind(reply_lost_then_unreadable("/confirm", 2))
    with pytest.raises(Unavailable, match="confirmed or released within a minute"):
        buy_by_card(runtime, standing, buyer)
    [order] = runtime.orders.list(buyer)
    assert order.status is OrderStatus.PENDING and order.payment_reference.startswith("pi_")
    assert proxy.count("reply lost") == 1 and proxy.count("refused") == 2
    direct = StripeGateway("sk_test_tix", api_base=stripe_base)
    for n in range(105):  # other shops' payments, newer than this one
        direct._client.v1.payment_intents.create(params={
            "amount": 100 + n, "currency": "eur", "payment_method": "pm_card_visa",
            "confirm": True})
    runtime.clock.advance(timedelta(seconds=11))
    deliver(runtime)
    settled = runtime.orders.show(buyer, order.id)
    assert settled.status is OrderStatus.COMPLETED
    assert settled.payment_reference == order.payment_reference
    assert left(runtime, standing.id) == 99
    assert paid_for(stripe_base, order.id) == ["succeeded"]  # one payment, taken once


def test_a_cancellation_whose_refund_went_unanswered_is_finished_by_the_daemon(
        shop_behind, stripe_base):
    """The refund was made but neither its reply nor the check after it arrived: the
    cancellation was recorded first, so the daemon finishes it — refunding nothing more."""
    runtime, standing, buyer, _ = shop_behind(reply_lost_then_unreadable("/refunds", 1))
    order = buy_by_card(runtime, standing, buyer, 2)
    with pytest.raises(Unavailable, match=r"cancellation of order .* is recorded"):
        runtime.orders.cancel(buyer, order.number)
    assert refunded(stripe_base, order.payment_reference) == 9000  # the money is back
    assert runtime.orders.show(buyer, order.id).status is OrderStatus.COMPLETED
    deliver(runtime)  # the buyer's claim on it has not run out: the daemon waits
    assert runtime.orders.show(buyer, order.id).status is OrderStatus.COMPLETED
    runtime.clock.advance(timedelta(seconds=61))
    deliver(runtime)
    done = runtime.orders.show(buyer, order.id)
    assert done.status is OrderStatus.CANCELLED and done.refunded_amount == 9000
    assert refunded(stripe_base, order.payment_reference) == 9000  # not twice
    assert left(runtime, standing.id) == 100


def test_daemons_refunding_a_cancelled_event_side_by_side_refund_each_order_once(
        make_runtime, database, stripe_base):
    """The payment service here ignores idempotency keys: only the claim on each order
    keeps two daemons from refunding it twice."""
    import threading

    runtime = make_runtime(database, stripe_api_key="sk_test_tix",
                           stripe_api_base=stripe_base)
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    orders = [runtime.orders.buy(logged_in(runtime, f"b{n}@example.com"), standing.id, 1,
                                 tender=Tender.CARD, payment_method="pm_card_visa")
              for n in range(6)]
    runtime.catalog.cancel(owner, event_id)
    daemons = [make_runtime(database, stripe_api_key="sk_test_tix",
                            stripe_api_base=stripe_base) for _ in range(3)]
    threads = [threading.Thread(target=deliver, args=(d,)) for d in daemons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for order in orders:
        assert refunded(stripe_base, order.payment_reference) == 4500
        assert runtime.orders.show(owner, order.number).status is OrderStatus.CANCELLED
