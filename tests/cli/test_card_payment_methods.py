"""tix buy --pay card with a payment method the payment service does not know."""

import pytest

from tests.catalog_support import an_event
from tests.cli.conftest import Tix
from tests.support import PASSWORD, logged_in


@pytest.fixture
def card_tix(make_runtime, database, stripe_base) -> Tix:
    return Tix(make_runtime(database, stripe_api_key="sk_test_tix",
                            stripe_api_base=stripe_base))


def test_an_unknown_payment_method_is_the_buyers_error_and_the_seats_go_back(card_tix):
    tix = card_tix
    event_id = an_event(tix.runtime)
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    standing = tix("event", "show", event_id, "--json").json()["ticket_types"][0]
    bought = tix("buy", standing["id"], "--quantity", "2", "--pay", "card",
                 "--payment-method", "pm_does_not_exist")
    assert bought.exit_code == 2, bought.stderr
    assert bought.stderr.startswith("tix: --payment-method pm_does_not_exist: No such")
    assert "Traceback" not in bought.stderr and bought.stdout == ""
    [order] = tix("order", "list", "--json").json()
    assert order["status"] == "FAILED"
    after = tix("event", "show", event_id, "--json").json()["ticket_types"][0]
    assert after["available"] == standing["available"] == 100  # at once, not at the sweep


def test_checking_out_a_hold_with_an_unknown_payment_method_gives_its_seats_back(card_tix):
    tix = card_tix
    event_id = an_event(tix.runtime)
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    standing = tix("event", "show", event_id, "--json").json()["ticket_types"][0]
    held = tix("hold", standing["id"], "--quantity", "3", "--json").json()
    paid = tix("checkout", held["id"], "--pay", "card", "--payment-method", "pm_nope")
    assert paid.exit_code == 2 and "pm_nope" in paid.stderr, paid.stderr
    assert [o["status"] for o in tix("order", "list", "--json").json()] == ["FAILED"]
    assert tix("event", "show", event_id, "--json").json()["ticket_types"][0][
        "available"] == 100


def test_a_card_whose_bank_asks_for_3d_secure_gets_a_link_to_finish_on_the_web(card_tix,
                                                                             stripe_base):
    import httpx

    tix = card_tix
    event_id = an_event(tix.runtime)
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    standing = tix("event", "show", event_id, "--json").json()["ticket_types"][0]
    method = httpx.post(f"{stripe_base}/v1/payment_methods", auth=("sk_test_tix", ""), data={
        "type": "card", "card[number]": "4000002760003184", "card[exp_month]": "12",
        "card[exp_year]": "2030", "card[cvc]": "123"}).json()["id"]
    bought = tix("buy", standing["id"], "--pay", "card", "--payment-method", method)
    assert bought.exit_code == 5, bought.stderr
    [order] = tix("order", "list", "--json").json()
    assert order["status"] == "PENDING"  # payable on the web until its hold's time is up
    assert bought.stderr.strip().endswith(f"in a browser before 12:10 UTC: "
                                          f"https://tix.test/pay/{order['id']}")
    assert "3-D Secure" in bought.stderr and bought.stdout == ""
