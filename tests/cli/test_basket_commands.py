"""tix hold and tix buy with --item: a basket of several ticket types, one order."""

from tests.catalog_support import an_event, on_team
from tests.support import PASSWORD, logged_in
from tix.core.principal import Role


def test_a_basket_is_held_and_bought_with_item_options(tix):
    event_id = an_event(tix.runtime)
    number = tix("event", "show", event_id, "--json").json()["number"].removeprefix("E")
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, event_id, "clara@example.com")
    tix.login("clara@example.com", PASSWORD)
    held = tix("hold", "--item", f"E{number}-T1:2", "--item", f"E{number}-T2:1", "--json")
    assert held.exit_code == 0, held.stderr
    shape = held.json()
    assert shape["quantity"] == 3 and [line["quantity"] for line in shape["lines"]] == [2, 1]
    sold = tix("buy", f"E{number}-T2", "--quantity", "1", "--item", f"E{number}-T1:1",
               "--pay", "cash", "--holder", "Ann", "--holder", "Ben", "--json")
    assert sold.exit_code == 0, sold.stderr
    order = sold.json()
    assert [(line["quantity"], line["holders"]) for line in order["lines"]] == [
        (1, ["Ann"]), (1, ["Ben"])]
    assert order["total"] == 6550 + 4500 and len(order["tickets"]) == 2
    human = tix("buy", "--item", f"E{number}-T1:1", "--item", f"E{number}-T2:1",
                "--pay", "cash")
    assert human.exit_code == 0 and "2 ticket(s), 110.50 EUR (cash)" in human.stderr


def test_a_bad_item_or_none_at_all_is_a_usage_error(tix):
    an_event(tix.runtime)
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    bad = tix("hold", "--item", "E1-T1")
    assert bad.exit_code == 2 and "--item: 'E1-T1' is not TYPE:QUANTITY" in bad.stderr
    assert tix("hold", "--item", "E1-T1:x").exit_code == 2
    nothing = tix("hold")
    assert nothing.exit_code == 2 and "--item" in nothing.stderr
    assert tix("hold", "--item", "E1-T1:0").exit_code == 2
    assert tix("hold", "--item", "E99-T1:1").exit_code == 4
