"""The door and the money agree at once: a cancelled or refunded order, or a cancelled
event, admits nobody from the moment the command returns — with no daemon running.

A sale at the counter has its tickets when it returns: no daemon runs in these tests until
one says so (to show that its coming back changes nothing), as when the daemon is down
for the whole evening.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.catalog_support import an_event, on_team, organizer
from tests.cli.conftest import Tix
from tests.support import PASSWORD, deliver, logged_in
from tix.core.errors import RuleViolation, Unavailable
from tix.core.orders.model import Tender
from tix.core.principal import Role

ALWAYS_REFUNDED = [{"before_hours": 0, "percent": 100}]  # 100 % until the start


def sell(tix: Tix, quantity: int = 2, **event: object) -> tuple[str, dict]:
    """Olga's event; Clara the clerk sells `quantity` standing tickets for cash. Returns
    the event id and the order as `order show` has it, its tickets issued."""
    owner = organizer(tix.runtime)
    event_id = an_event(tix.runtime, owner, **event)
    standing = tix.runtime.catalog.show(event_id).ticket_types[0]
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, event_id, "clara@example.com")
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    holders = [a for name in ["Ann A", "Bob B"][:quantity] for a in ("--holder", name)]
    sold = tix("buy", standing.id, "--quantity", str(quantity), "--pay", "cash",
               "--tendered", "200", *holders, "--json")
    assert sold.exit_code == 0, sold.stderr
    order = tix("order", "show", sold.json()["number"], "--json").json()
    assert len(order["tickets"]) == quantity  # issued by the sale, no daemon needed
    return event_id, order


def scan(tix: Tix, payload: str, *extra: str) -> tuple[int, str]:
    result = tix("checkin", payload, *extra)
    return result.exit_code, (result.stdout + result.stderr).strip()


def test_order_show_and_list_carry_the_tickets_once_generated(tix):
    _, order = sell(tix)
    tickets = order["tickets"]
    assert [t["holder"] for t in tickets] == ["Ann A", "Bob B"]
    assert {t["status"] for t in tickets} == {"VALID"}
    assert all(t["number"].startswith("E") and t["qr_payload"].startswith("TIX1.")
               and t["order_id"] == order["id"] for t in tickets)
    [listed] = tix("order", "list", "--json").json()
    assert [t["number"] for t in listed["tickets"]] == [t["number"] for t in tickets]
    human = tix("order", "show", order["number"])
    assert all(t["number"] in human.stdout for t in tickets)


def test_ticket_list_takes_an_order(tix):
    _, order = sell(tix)
    other_event = an_event(tix.runtime, organizer(tix.runtime, "oscar@example.com"))
    on_team(tix.runtime, other_event, "clara@example.com")
    other = tix("buy", tix.runtime.catalog.show(other_event).ticket_types[0].id,
                "--pay", "cash", "--tendered", "100", "--json").json()
    only = tix("ticket", "list", "--order", order["number"], "--json")
    assert only.exit_code == 0, only.stderr
    assert [t["number"] for t in only.json()] == [t["number"] for t in order["tickets"]]
    by_id = tix("ticket", "list", "--order", order["id"], "--json").json()
    assert by_id == only.json()
    assert len(tix("ticket", "list", "--json").json()) == 3  # without --order: all of mine
    assert len(tix("ticket", "list", "--order", other["number"], "--json").json()) == 1
    human = tix("ticket", "list", "--order", order["number"])
    assert "Ann A" in human.stdout and "Bob B" in human.stdout
    assert tix("ticket", "list", "--order", "TIX-NOPE-00").exit_code == 4
    logged_in(tix.runtime, "cleo@example.com", name="Cleo Customer")
    tix.login("cleo@example.com", PASSWORD)  # somebody else's order does not exist for her
    refused = tix("ticket", "list", "--order", order["number"])
    assert refused.exit_code == 4 and "Ann A" not in refused.stdout


def test_a_cancelled_order_admits_nobody_from_the_moment_it_is_cancelled(tix):
    _, order = sell(tix)
    first, second = order["tickets"]
    cancelled = tix("order", "cancel", order["number"], "--yes", "--json")
    assert cancelled.exit_code == 0, cancelled.stderr
    assert cancelled.json()["refunded"] == 9000  # the money is back, the daemon still down
    code, said = scan(tix, first["qr_payload"])
    assert code == 5 and "REFUSED" in said and "voided" in said
    shown = tix("ticket", "list", "--order", order["number"], "--json").json()
    assert {t["status"] for t in shown} == {"VOIDED"}
    deliver(tix.runtime)  # the daemon comes back: nothing changes for the door
    assert scan(tix, second["qr_payload"])[0] == 5
    again = tix("order", "show", order["number"], "--json").json()
    assert {t["status"] for t in again["tickets"]} == {"VOIDED"}


def test_an_order_being_cancelled_admits_nobody_while_its_refund_is_under_way(
        tix, monkeypatch):
    """The payment service does not answer the refund: the cancellation is recorded and the
    daemon will finish it — the tickets already refuse."""
    _, order = sell(tix)

    def lost(*args: object, **kwargs: object) -> None:
        raise Unavailable("payment service unavailable: timed out")

    monkeypatch.setattr(tix.runtime.orders._gateways[Tender.CASH], "refund", lost)
    pending = tix("order", "cancel", order["number"], "--yes")
    assert pending.exit_code == 6 and "recorded" in pending.stderr
    code, said = scan(tix, order["tickets"][0]["qr_payload"])
    assert code == 5 and f"order {order['number']} is being cancelled" in said
    assert tix("order", "show", order["number"], "--json").json()["status"] == "COMPLETED"


def test_a_cancelled_event_admits_nobody_before_any_refund_has_run(tix):
    event_id, order = sell(tix)
    tix.login("olga@example.com", PASSWORD)
    assert tix("event", "cancel", event_id, "--reason", "storm").exit_code == 0
    tix.login("clara@example.com", PASSWORD)
    code, said = scan(tix, order["tickets"][0]["qr_payload"], "--event", event_id)
    assert code == 5 and "REFUSED" in said and "Nils Frahm live was cancelled" in said
    assert tix("order", "show", order["number"], "--json").json()["status"] == "COMPLETED"
    deliver(tix.runtime)  # the refund job runs: still refused, now as voided
    assert scan(tix, order["tickets"][1]["qr_payload"])[0] == 5
    assert tix("order", "show", order["number"], "--json").json()["status"] == "CANCELLED"


def test_a_used_ticket_is_refunded_only_on_purpose_by_the_organizer(tix):
    _, order = sell(tix, cancellation_policy=ALWAYS_REFUNDED)
    used = order["tickets"][0]
    assert scan(tix, used["qr_payload"])[0] == 0
    buyer = tix("order", "cancel", order["number"], "--yes")  # Clara bought it: the buyer
    assert buyer.exit_code == 5 and used["number"] in buyer.stderr
    assert "--refund-used" in buyer.stderr
    assert tix("order", "cancel", order["number"], "--yes", "--refund-used").exit_code == 3
    assert tix("order", "show", order["number"], "--json").json()["status"] == "COMPLETED"
    tix.login("olga@example.com", PASSWORD)  # the event's organizer, on purpose
    assert tix("order", "cancel", order["number"], "--yes").exit_code == 5
    refunded = tix("order", "cancel", order["number"], "--yes", "--refund-used", "--json")
    assert refunded.exit_code == 0, refunded.stderr
    assert (refunded.json()["status"], refunded.json()["refunded"]) == ("CANCELLED", 9000)
    statuses = {t["number"]: t["status"] for t in
                tix("order", "show", order["number"], "--json").json()["tickets"]}
    assert statuses == {used["number"]: "USED", order["tickets"][1]["number"]: "VOIDED"}


def test_an_admin_may_refund_used_tickets_too(tix):
    _, order = sell(tix, cancellation_policy=ALWAYS_REFUNDED)
    assert scan(tix, order["tickets"][1]["qr_payload"])[0] == 0
    logged_in(tix.runtime, "root@example.com", role=Role.ADMIN, name="Root")
    tix.login("root@example.com", PASSWORD)
    assert tix("order", "cancel", order["number"], "--yes").exit_code == 5
    assert tix("order", "cancel", order["number"], "--yes", "--refund-used").exit_code == 0


def test_a_scan_and_a_cancellation_at_the_same_moment_never_both_win(tix):
    """Either the ticket is admitted and the buyer's cancellation refused, or the order is
    cancelled and the scan refused: never admitted and refunded."""
    event_id, _ = sell(tix, quantity=1, cancellation_policy=ALWAYS_REFUNDED)
    runtime = tix.runtime
    clerk = runtime.accounts.login(email="clara@example.com", password=PASSWORD).principal
    seated = runtime.catalog.show(event_id).ticket_types[1].id
    orders = [runtime.orders.buy(clerk, seated, 1, tender=Tender.CASH, tendered=6550)
              for _ in range(8)]
    outcomes = []
    for order in orders:
        [ticket] = runtime.tickets.of_orders([order.id])[order.id]

        def admit(payload: str = ticket.qr_payload) -> str:
            try:
                runtime.tickets.check_in(clerk, payload)
                return "admitted"
            except RuleViolation as error:
                return error.code

        def cancel(number: str = order.number) -> str:
            try:
                runtime.orders.cancel(clerk, number)
                return "cancelled"
            except RuleViolation as error:
                return error.code

        with ThreadPoolExecutor(2) as pool:
            scanned, cancelled = pool.submit(admit), pool.submit(cancel)
            outcome = (scanned.result(), cancelled.result())
        assert outcome in {("admitted", "tickets_used"), ("order_cancelled", "cancelled"),
                           ("voided", "cancelled")}, outcome
        shown = runtime.orders.show(clerk, order.number)
        [after] = runtime.tickets.of_orders([order.id])[order.id]
        assert (shown.status.value, after.status.value) in {
            ("COMPLETED", "USED"), ("CANCELLED", "VOIDED")}
        outcomes.append(outcome)
    assert len(outcomes) == 8


@pytest.mark.parametrize("role", ["customer", "other_organizer"])
def test_others_may_not_cancel_or_refund(tix, role):
    _, order = sell(tix, cancellation_policy=ALWAYS_REFUNDED)
    email = {"customer": "cleo@example.com", "other_organizer": "oscar@example.com"}[role]
    logged_in(tix.runtime, email, role=Role.ORGANIZER if role != "customer"
              else Role.CUSTOMER, name="Other")
    tix.login(email, PASSWORD)
    assert tix("order", "cancel", order["number"], "--yes", "--refund-used").exit_code == 4
    assert tix("order", "cancel", order["number"], "--yes").exit_code == 4
