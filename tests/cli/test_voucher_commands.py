"""tix voucher create/generate/list/void, and --voucher on tix hold, buy and checkout:
--json shapes, exit codes, refusals in plain words; hidden ticket types."""

from __future__ import annotations

import csv
import stat
from datetime import timedelta

from tests.catalog_support import an_event, on_team, organizer
from tests.support import PASSWORD, logged_in
from tix.core.principal import Role

TYPES = [{"name": "Standing", "price": "45.00", "quantity": 100, "limit": 4},
         {"name": "Seated", "price": "65.50", "quantity": 20},
         {"name": "Press", "price": "0", "quantity": 10, "hidden": True}]


def an_event_with_press(tix) -> str:
    event_id = an_event(tix.runtime, organizer(tix.runtime), ticket_types=TYPES)
    return tix("event", "show", event_id, "--json").json()["number"]


def test_an_organizer_creates_lists_and_voids_codes(tix):
    number = an_event_with_press(tix)
    tix.login("olga@example.com", PASSWORD)
    made = tix("voucher", "create", number, "--code", "early", "--percent", "20",
               "--max-uses", "100", "--valid-until", "2099-12-31T23:59",
               "--types", f"{number}-T1,{number}-T2", "--per-order", "4", "--json")
    assert made.exit_code == 0, made.stderr
    shape = made.json()
    assert {k: shape[k] for k in ("code", "percent", "amount", "max_uses", "uses_left",
                                  "per_order", "types", "voided", "unlock_only")} == {
        "code": "EARLY", "percent": 20, "amount": 0, "max_uses": 100, "uses_left": 100,
        "per_order": 4, "types": [f"{number}-T1", f"{number}-T2"], "voided": False,
        "unlock_only": False}
    assert shape["valid_until"].startswith("2099-12-31T23:59")
    human = tix("voucher", "create", number, "--code", "FIVE", "--amount", "5.00")
    assert human.exit_code == 0 and human.stdout.strip() == "FIVE"
    assert "Code FIVE: 5.00 EUR off, 1 use(s)." in human.stderr
    again = tix("voucher", "create", number, "--code", "Early", "--percent", "5")
    assert again.exit_code == 5 and f"{number} already has a code EARLY" in again.stderr
    listed = tix("voucher", "list", number, "--json")
    assert sorted(v["code"] for v in listed.json()) == ["EARLY", "FIVE"]
    table = tix("voucher", "list", number)
    assert table.exit_code == 0 and "EARLY" in table.stdout and "20 % off" in table.stdout
    voided = tix("voucher", "void", number, "five", "--json")
    assert voided.exit_code == 0 and voided.json()["voided"] is True
    twice = tix("voucher", "void", number, "FIVE")
    assert twice.exit_code == 5 and "already voided" in twice.stderr
    assert tix("voucher", "void", number, "NOPE").exit_code == 4


def test_its_organizer_sees_the_hidden_types_and_nobody_else(tix):
    number = an_event_with_press(tix)
    tix.login("olga@example.com", PASSWORD)
    shown = tix("event", "show", number)
    assert "Press (hidden)" in shown.stdout and f"{number}-T3" in shown.stdout
    as_json = tix("event", "show", number, "--json").json()["ticket_types"]
    assert [(t["name"], t["hidden"]) for t in as_json] == [
        ("Standing", False), ("Seated", False), ("Press", True)]
    tix("logout")
    logged_in(tix.runtime, "cleo@example.com")
    assert tix.login("cleo@example.com", PASSWORD).exit_code == 0
    assert "Press" not in tix("event", "show", number).stdout


def test_a_code_is_voided_by_itself_when_one_event_has_it(tix):
    """`tix voucher void CODE` (the CLI contract's form) finds the one event of the
    organizer's with that code; with two it asks for the event; others' codes are not."""
    owner = organizer(tix.runtime)
    first, second = (tix("event", "show", an_event(tix.runtime, owner, ticket_types=TYPES),
                         "--json").json()["number"] for _ in range(2))
    tix.login("olga@example.com", PASSWORD)
    for number in (first, second):
        assert tix("voucher", "create", number, "--code", "BOTH", "--percent", "5"
                   ).exit_code == 0
    assert tix("voucher", "create", first, "--code", "ONLY", "--percent", "5").exit_code == 0
    voided = tix("voucher", "void", "only", "--json")
    assert voided.exit_code == 0, voided.stderr
    assert (voided.json()["code"], voided.json()["voided"]) == ("ONLY", True)
    again = tix("voucher", "void", "ONLY")
    assert again.exit_code == 5 and "already voided" in again.stderr
    both = tix("voucher", "void", "BOTH")
    assert both.exit_code == 2
    assert f"code BOTH is in {first} and {second}: name the event" in both.stderr
    assert tix("voucher", "void", second, "BOTH").exit_code == 0
    assert tix("voucher", "void", "BOTH").exit_code == 0  # the one left that has it
    assert tix("voucher", "void", "NOPE").exit_code == 4
    assert tix("voucher", "void").exit_code == 2
    tix("logout")
    logged_in(tix.runtime, "oscar@example.com", role=Role.ORGANIZER)
    assert tix.login("oscar@example.com", PASSWORD).exit_code == 0
    assert tix("voucher", "void", "ONLY").exit_code == 4  # not his events' code


def test_bad_terms_are_usage_errors_and_others_may_not_make_codes(tix):
    number = an_event_with_press(tix)
    tix.login("olga@example.com", PASSWORD)
    for args in (["--percent", "0"], ["--percent", "120"], ["--amount", "x"],
                 ["--percent", "5", "--amount", "1.00"], [],
                 ["--percent", "5", "--types", "E99-T1"],
                 ["--percent", "5", "--valid-until", "2001-01-01T00:00"],
                 ["--percent", "5", "--max-uses", "0"]):
        bad = tix("voucher", "create", number, "--code", "BAD", *args)
        assert bad.exit_code == 2, (args, bad.stderr)
    assert tix("voucher", "create", number, "--code", "a b/c", "--percent", "5").exit_code == 2
    assert tix("voucher", "list", "E999").exit_code == 4
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    refused = tix("voucher", "create", number, "--code", "MINE", "--percent", "50")
    assert refused.exit_code == 3
    assert tix("voucher", "list", number).exit_code == 3


def test_generated_codes_go_to_a_csv_readable_by_its_owner_only(tix, tmp_path):
    number = an_event_with_press(tix)
    tix.login("olga@example.com", PASSWORD)
    out = tmp_path / "codes.csv"
    made = tix("voucher", "generate", number, "--count", "25", "--percent", "10", "-o",
               str(out), "--json")
    assert made.exit_code == 0, made.stderr
    assert made.json()["count"] == 25
    with out.open() as file:
        rows = list(csv.DictReader(file))
    assert len({r["code"] for r in rows}) == 25 and {r["max_uses"] for r in rows} == {"1"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert tix("voucher", "generate", number, "--count", "0", "--percent", "10", "-o",
               str(out)).exit_code == 2


def test_buyers_give_a_code_to_hold_buy_and_checkout(tix):
    number = an_event_with_press(tix)
    tix.login("olga@example.com", PASSWORD)
    assert tix("voucher", "create", number, "--code", "EARLY", "--percent", "20",
               "--max-uses", "2").exit_code == 0
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, number, "clara@example.com")
    tix.login("clara@example.com", PASSWORD)
    sold = tix("buy", f"{number}-T1", "--quantity", "2", "--pay", "cash",
               "--voucher", "early", "--json")
    assert sold.exit_code == 0, sold.stderr
    order = sold.json()
    assert (order["total"], order["discount"], order["voucher"]) == (7200, 1800, "EARLY")
    held = tix("hold", f"{number}-T2", "--voucher", "Early", "--json")
    assert held.exit_code == 0, held.stderr
    used_up = tix("hold", f"{number}-T2", "--voucher", "EARLY")
    assert used_up.exit_code == 5 and "code EARLY has been used up" in used_up.stderr
    paid = tix("checkout", held.json()["id"], "--pay", "cash")
    assert paid.exit_code == 0, paid.stderr
    assert "52.40 EUR (cash)" in paid.stderr and "Code EARLY: 13.10 EUR off" in paid.stderr
    shown = tix("order", "show", order["number"], "--json")
    assert (shown.json()["discount"], shown.json()["voucher"]) == (1800, "EARLY")
    assert "code EARLY: 18.00 EUR off" in tix("order", "show", order["number"]).stdout
    plain = tix("buy", f"{number}-T1", "--pay", "cash", "--json").json()
    assert (plain["discount"], plain["voucher"]) == (0, None)
    unknown = tix("buy", f"{number}-T1", "--pay", "cash", "--voucher", "NOPE")
    assert unknown.exit_code == 4 and f"code NOPE for {number} not found" in unknown.stderr


def test_a_voided_or_expired_code_is_refused_with_its_reason(tix, clock):
    number = an_event_with_press(tix)
    tix.login("olga@example.com", PASSWORD)
    tix("voucher", "create", number, "--code", "GONE", "--percent", "20")
    tix("voucher", "void", number, "GONE")
    tix("voucher", "create", number, "--code", "SOON", "--percent", "20",
        "--valid-until", f"{tix.runtime.clock.now():%Y-%m-%dT%H}:59")
    clock.advance(timedelta(hours=1))
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    voided = tix("hold", f"{number}-T1", "--voucher", "gone")
    assert voided.exit_code == 5 and "code GONE was voided" in voided.stderr
    expired = tix("hold", f"{number}-T1", "--voucher", "soon")
    assert expired.exit_code == 5 and "code SOON expired on" in expired.stderr


def test_a_hidden_type_is_not_shown_and_is_held_only_with_its_code(tix):
    number = an_event_with_press(tix)
    shown = tix("event", "show", number, "--json").json()
    assert [t["name"] for t in shown["ticket_types"]] == ["Standing", "Seated"]
    [listed] = tix("event", "list", "--json").json()
    assert listed["available"] == 120  # the hidden type's 10 are in no count
    tix.login("olga@example.com", PASSWORD)
    assert tix("voucher", "create", number, "--code", "PRESS", "--unlock-only",
               "--max-uses", "5").exit_code == 0
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    hidden = tix("hold", f"{number}-T3")
    assert hidden.exit_code == 4 and f"ticket type {number}-T3 not found" in hidden.stderr
    held = tix("hold", f"{number}-T3", "--voucher", "press", "--json")
    assert held.exit_code == 0, held.stderr
    assert held.json()["quantity"] == 1
