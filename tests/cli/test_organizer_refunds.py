"""The event's organizer (or an admin) cancels and refunds orders of the event whatever
the policy says: a whole order with a reason for the buyer's mail, one ticket (voided, its
seat back on sale), or an amount up to what is left — never more than was paid."""

from __future__ import annotations

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.core.orders.model import Tender
from tix.core.principal import Role


def sold(tix, quantity: int = 3, **event: object) -> dict:
    """Olga's event; Clara sold `quantity` Standing tickets (45.00 EUR) for cash at the
    counter (her sale's buyer: the counter records the clerk); then Olga signs in. Returns
    the order's JSON, its tickets issued."""
    event_id = an_event(tix.runtime, organizer(tix.runtime), **event)
    standing = tix.runtime.catalog.show(event_id).ticket_types[0].id
    clara = logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(tix.runtime, clara)  # sells for the events there are
    order = tix.runtime.orders.buy(clara, standing, quantity, tender=Tender.CASH,
                                   tendered=4500 * quantity)
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0
    return tix("order", "show", order.number, "--json").json()


def test_the_organizer_cancels_outside_the_policy_with_a_reason_mailed(tix, mailer):
    order = sold(tix, 2, days=1, cancellation_policy=[{"before_hours": 168, "percent": 100}])
    done = tix("order", "cancel", order["number"], "--yes", "--reason",
               "the support act cancelled", "--json")
    assert done.exit_code == 0, done.stderr
    assert (done.json()["status"], done.json()["refunded"]) == ("CANCELLED", 9000)
    assert done.json()["refund_rule"] == "in full: cancelled by the organizer"
    deliver(tix.runtime)
    [mail] = [m for m in mailer.sent if "is cancelled" in m.subject]
    assert mail.to == "clara@example.com"
    assert "is cancelled (the support act cancelled)" in mail.text


def test_the_buyer_cancels_under_the_policy_and_gives_no_reason(tix):
    order = sold(tix, 1, days=5)  # the default policy's 50 % window
    tix("logout")
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    reason = tix("order", "cancel", order["number"], "--yes", "--reason", "changed my mind")
    assert reason.exit_code == 3
    assert "only the event's organizer or an admin gives a reason" in reason.stderr
    assert tix("order", "show", order["number"], "--json").json()["status"] == "COMPLETED"
    done = tix("order", "cancel", order["number"], "--yes", "--json")
    assert (done.json()["refunded"], done.json()["refund_percent"]) == (2250, 50)


def test_refunding_one_ticket_voids_it_and_puts_its_seat_back(tix):
    order = sold(tix, 3)
    standing = order["lines"][0]["ticket_type_id"]
    available = _available(tix, standing)
    ticket = order["tickets"][1]
    done = tix("order", "refund", order["number"], "--ticket", ticket["number"],
               "--reason", "double booking", "--json")
    assert done.exit_code == 0, done.stderr
    assert done.json() | {"id": None, "created_at": None, "done_at": None,
                          "reference": None} == {
        "id": None, "amount": 4500, "ticket": ticket["number"], "reason": "double booking",
        "by": "olga@example.com", "status": "DONE", "reference": None, "created_at": None,
        "done_at": None, "order": order["number"], "currency": "EUR",
        "refunded_total": 4500, "left": 9000}
    shown = tix("order", "show", order["number"], "--json").json()
    assert shown["status"] == "COMPLETED" and shown["refunded"] == 4500
    assert [t["status"] for t in shown["tickets"]] == ["VALID", "VOIDED", "VALID"]
    assert [(r["amount"], r["ticket"]) for r in shown["refunds"]] == [(4500, ticket["number"])]
    assert _available(tix, standing) == available + 1
    human = tix("order", "show", order["number"])
    assert f"45.00 EUR  ticket {ticket['number']}  by olga@example.com: double booking" \
        in human.stdout
    # at the door it is refused; asked again it is the same refund, not a second one
    refused = tix("checkin", ticket["qr_payload"])
    assert refused.exit_code == 5
    again = tix("order", "refund", order["number"], "--ticket", ticket["number"], "--json")
    assert again.exit_code == 0 and again.json()["id"] == done.json()["id"]
    assert tix("order", "show", order["number"], "--json").json()["refunded"] == 4500


def test_an_amount_is_refunded_up_to_what_is_left_and_no_further(tix):
    order = sold(tix, 2)
    first = tix("order", "refund", order["number"], "--amount", "50.00", "--json")
    assert first.exit_code == 0, first.stderr
    assert (first.json()["amount"], first.json()["left"]) == (5000, 4000)
    over = tix("order", "refund", order["number"], "--amount", "40.01", "--json")
    assert over.exit_code == 5
    assert "40.01 EUR is more than is left to refund: 40.00 EUR" in over.stderr
    refusal = over.json()
    assert (refusal["refunded"], refusal["code"], refusal["left"], refusal["paid"],
            refusal["refunded_total"], refusal["currency"]) == (
        False, "over_refundable", 4000, 9000, 5000, "EUR")
    assert "40.00 EUR" in refusal["reason"]
    assert tix("order", "show", order["number"], "--json").json()["refunded"] == 5000
    rest = tix("order", "refund", order["number"], "--amount", "40")
    assert rest.exit_code == 0 and "0.00 EUR left to refund" in rest.stderr
    # a cancellation afterwards refunds what is left: nothing
    cancelled = tix("order", "cancel", order["number"], "--yes", "--json")
    assert cancelled.exit_code == 0, cancelled.stderr
    assert cancelled.json()["refunded"] == 9000


def test_a_key_makes_a_refund_asked_again_the_same_refund(tix):
    order = sold(tix, 2)
    once = tix("order", "refund", order["number"], "--amount", "10", "--key", "r-1", "--json")
    twice = tix("order", "refund", order["number"], "--amount", "10", "--key", "r-1",
                "--json")
    assert twice.exit_code == 0 and twice.json()["id"] == once.json()["id"]
    assert twice.json()["refunded_total"] == 1000
    other = tix("order", "refund", order["number"], "--amount", "12", "--key", "r-1")
    assert other.exit_code == 2 and "key r-1 is the refund of 10.00 EUR" in other.stderr


def test_refusals_say_why_with_their_exit_codes(tix):
    order = sold(tix, 1)
    number = order["number"]
    assert tix("order", "refund", "TIX-NONE-00", "--amount", "1").exit_code == 4
    both = tix("order", "refund", number, "--amount", "1", "--ticket", "E1-000001")
    assert both.exit_code == 2 and "one of them" in both.stderr
    assert tix("order", "refund", number).exit_code == 2
    assert tix("order", "refund", number, "--amount", "0").exit_code == 2
    assert "EUR has 2 decimal place(s)" in tix("order", "refund", number, "--amount",
                                                 "1.005").stderr
    unknown = tix("order", "refund", number, "--ticket", "E999-000001")
    assert unknown.exit_code == 4
    too_long = tix("order", "refund", number, "--amount", "1", "--reason", "x" * 201)
    assert too_long.exit_code == 2
    assert tix("order", "show", number, "--json").json()["refunded"] == 0  # nothing stored
    # the buyer (who sold it) sees the order but may not refund it; a stranger and
    # another organizer do not even see it
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    mine = tix("order", "refund", number, "--amount", "1")
    assert mine.exit_code == 3
    assert ("only the event's organizer, its co-organizers or an admin may refund an order"
            in mine.stderr)
    logged_in(tix.runtime, "sam@example.com", name="Sam Stranger")
    assert tix.login("sam@example.com", PASSWORD).exit_code == 0
    assert tix("order", "refund", number, "--amount", "1").exit_code == 4
    organizer(tix.runtime, "oscar@example.com")
    assert tix.login("oscar@example.com", PASSWORD).exit_code == 0
    assert tix("order", "refund", number, "--amount", "1").exit_code == 4
    logged_in(tix.runtime, "root@example.com", role=Role.ADMIN, name="Root")
    assert tix.login("root@example.com", PASSWORD).exit_code == 0
    assert tix("order", "refund", number, "--amount", "1").exit_code == 0


def test_the_buyer_is_mailed_each_refund(tix, mailer):
    order = sold(tix, 2)
    tix("order", "refund", order["number"], "--ticket", order["tickets"][0]["number"],
        "--reason", "seat broken")
    deliver(tix.runtime)
    [mail] = [m for m in mailer.sent if "refunded" in m.subject]
    assert mail.subject == f"Order {order['number']}: 45.00 EUR refunded"
    assert "seat broken" in mail.text and order["tickets"][0]["number"] in mail.text


def _available(tix, ticket_type_id: str) -> int:
    with tix.runtime.uow(readonly=True) as uow:
        return uow.stock.levels([ticket_type_id])[ticket_type_id].available
