"""tix buy / checkout / order / event sales, as a clerk and an organizer script them."""

from tests.catalog_support import an_event, on_team, organizer
from tests.support import PASSWORD, logged_in
from tix.core.principal import Role


def test_a_clerk_sells_at_the_door_and_the_organizer_sees_the_sales(tix):
    owner = organizer(tix.runtime)
    event_id = an_event(tix.runtime, owner)
    standing = tix.runtime.catalog.show(event_id).ticket_types[0]
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, event_id, "clara@example.com")
    tix.login("clara@example.com", PASSWORD)
    sold = tix("buy", standing.id, "--quantity", "2", "--pay", "cash", "--tendered", "100",
               "--holder", "Ann A", "--holder", "Bob B", "--json")
    assert sold.exit_code == 0, sold.stderr
    order = sold.json()
    assert set(order) >= {"id", "number", "status", "total", "currency", "lines", "tickets"}
    assert (order["status"], order["total"], order["change"]) == ("COMPLETED", 9000, 1000)
    assert order["lines"][0]["holders"] == ["Ann A", "Bob B"]
    human = tix("buy", standing.id, "--pay", "cash", "--tendered", "50")
    assert human.stdout.startswith("TIX-") and "Change due: 5.00 EUR" in human.stderr
    assert tix("order", "show", order["number"], "--json").json()["id"] == order["id"]
    assert len(tix("order", "list", "--json").json()) == 2
    held = tix("hold", standing.id, "--quantity", "1", "--json").json()
    paid = tix("checkout", held["id"], "--pay", "cash", "--tendered", "45", "--json")
    assert paid.exit_code == 0 and paid.json()["status"] == "COMPLETED"
    assert tix("event", "sales", event_id).exit_code == 3  # a clerk is not the organizer
    tix.login("olga@example.com", PASSWORD)
    report = tix("event", "sales", event_id, "--json").json()
    line = report["lines"][0]
    assert (line["sold"], line["held"], line["available"], line["revenue"]) == (
        4, 0, 96, 18000)
    assert report["revenue"] == 18000


def test_refusals_have_their_exit_codes(tix):
    event_id = an_event(tix.runtime)
    standing = tix.runtime.catalog.show(event_id).ticket_types[0]
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    assert tix("buy", standing.id, "--pay", "card").exit_code == 6  # no Stripe here
    assert tix("buy", standing.id, "--pay", "cash", "--tendered", "45").exit_code == 3
    assert tix("buy", standing.id, "--pay", "gold").exit_code == 2
    assert tix("buy", standing.id, "--quantity", "5", "--pay", "card").exit_code == 6
    assert tix("order", "show", "TIX-NOPE-00").exit_code == 4
    assert tix("order", "cancel", "TIX-NOPE-00", "--yes").exit_code == 4
    assert tix("event", "show", event_id, "--json").json()["ticket_types"][0][
        "available"] == 100  # nothing stayed held by the refusals
