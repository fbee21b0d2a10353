"""localstripe, a stateful Stripe-compatible server, on loopback for the test run."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.smtp_server import free_port

SERVE = """
import sys
from aiohttp import web
from localstripe.resources import Store, store
from localstripe.server import app
# It pickles its whole store to one shared file after every change: slow as payments add
# up, and shared between processes. Kept in memory instead, starting empty.
Store.dump_to_disk = lambda self: None
store.clear()
# Stripe answers a payment intent for an unknown payment method 400 resource_missing,
# naming it; localstripe a bare 404 "Not Found". Answered as Stripe does.
from localstripe.errors import UserError
from localstripe.resources import PaymentIntent, PaymentMethod
create_intent = PaymentIntent._api_create.__func__
def create_as_stripe_does(cls, payment_method=None, **data):
    if isinstance(payment_method, str):
        try:
            PaymentMethod._api_retrieve(payment_method)
        except UserError as error:
            if error.code != 404:
                raise
            raise UserError(400, f"No such PaymentMethod: '{payment_method}'",
                            {"code": "resource_missing", "param": "payment_method"}) from None
    return create_intent(cls, payment_method=payment_method, **data)
PaymentIntent._api_create = classmethod(create_as_stripe_does)
# After a declined charge Stripe takes another payment method on the intent and confirms
# it again (requires_confirmation); localstripe keeps the failed charge as the intent's and
# refuses that confirmation. A new method is a new attempt, as on Stripe.
update_intent = PaymentIntent._api_update.__func__
def update_as_stripe_does(cls, id, **data):
    intent = update_intent(cls, id, **data)
    failed = intent.latest_charge is not None and intent.latest_charge.status == "failed"
    if data.get("payment_method") and failed:
        intent.latest_charge = None
    return intent
PaymentIntent._api_update = classmethod(update_as_stripe_does)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


@pytest.fixture(scope="session")
def stripe_base() -> Iterator[str]:
    """The base address of a running localstripe (never skipped: it must start)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVE, str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"localstripe exited: {process.stderr.read().decode()[-500:]}",
                        pytrace=False)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("localstripe did not start within 20 s", pytrace=False)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
