"""Ids people copy are short: events are E12, their ticket types E12-T2 (issue 17, item 6).
Scripts keep the UUIDs in --json."""

import pytest

from tests.catalog_support import an_event, on_team, organizer
from tests.support import PASSWORD, logged_in
from tix.core.ids import looks_like_uuid
from tix.core.principal import Role


def as_clerk(tix) -> None:
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, "E1", "clara@example.com")
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0


def test_event_create_prints_the_number_and_show_gives_each_ticket_type_its_reference(tix):
    organizer(tix.runtime)
    tix.login("olga@example.com", PASSWORD)
    created = tix("event", "create", "--name", "Nils Frahm live", "--venue", "Funkhaus",
                  "--city", "Berlin", "--timezone", "UTC", "--starts", "2027-03-01T20:00",
                  "--ends", "2027-03-01T23:00", "--ticket-type", "Standing:45.00:100",
                  "--ticket-type", "Seated:65.50:20")
    assert (created.exit_code, created.stdout) == (0, "E1\n"), created.stderr
    human = tix("event", "show", "E1").stdout
    assert "E1-T1" in human and "E1-T2" in human
    standing, seated = tix("event", "show", "E1", "--json").json()["ticket_types"]
    assert (standing["ref"], seated["ref"]) == ("E1-T1", "E1-T2")
    assert looks_like_uuid(standing["id"]) and looks_like_uuid(seated["id"])


def test_hold_and_buy_take_the_reference_and_report_the_ticket_types_id(tix):
    event_id = an_event(tix.runtime)
    standing, seated = tix.runtime.catalog.show(event_id).ticket_types
    as_clerk(tix)
    held = tix("hold", "E1-T1", "--quantity", "2", "--json")
    assert held.exit_code == 0, held.stderr
    assert held.json()["ticket_type_id"] == standing.id
    sold = tix("buy", "e1-t2", "--pay", "cash", "--tendered", "70", "--json")  # any case
    assert sold.exit_code == 0, sold.stderr
    assert sold.json()["lines"][0]["ticket_type_id"] == seated.id
    assert tix("hold", standing.id, "--json").json()["ticket_type_id"] == standing.id
    left = {t["ref"]: t["available"]
            for t in tix("event", "show", "E1", "--json").json()["ticket_types"]}
    assert left == {"E1-T1": 97, "E1-T2": 19}


@pytest.mark.parametrize("reference", ["E1-T3", "E2-T1", "E1-000001", "E1", "T1", "E1-T"])
def test_a_reference_to_no_ticket_type_is_not_found_in_one_line(tix, reference):
    an_event(tix.runtime)
    as_clerk(tix)
    for command in (["hold", reference], ["buy", reference, "--pay", "cash",
                                          "--tendered", "100"]):
        outcome = tix(*command)
        assert (outcome.exit_code, outcome.stdout) == (4, ""), outcome.stderr
        assert outcome.stderr == f"tix: ticket type {reference} not found\n"


def test_a_ticket_type_added_later_takes_the_next_number_and_keeps_it(tix):
    event_id = an_event(tix.runtime)
    tix.login("olga@example.com", PASSWORD)
    added = tix("event", "update", "E1", "--ticket-type", "Balcony:30.00:10", "--json")
    assert added.exit_code == 0, added.stderr
    refs = {t["name"]: t["ref"] for t in added.json()["ticket_types"]}
    assert refs == {"Standing": "E1-T1", "Seated": "E1-T2", "Balcony": "E1-T3"}
    repriced = tix("event", "update", "E1", "--ticket-type", "Seated:70.00:20", "--json")
    assert repriced.exit_code == 0, repriced.stderr
    shown = tix("event", "show", event_id, "--json").json()["ticket_types"]
    assert [(t["name"], t["ref"], t["price"]) for t in shown] == [
        ("Standing", "E1-T1", 4500), ("Seated", "E1-T2", 7000), ("Balcony", "E1-T3", 3000)]


def test_orders_say_which_event_they_are_for(tix):
    an_event(tix.runtime, name="Nils Frahm live")
    as_clerk(tix)
    sold = tix("buy", "E1-T1", "--pay", "cash", "--tendered", "45", "--json").json()
    [listed] = tix("order", "list", "--json").json()
    shown = tix("order", "show", sold["number"], "--json").json()
    for order in (listed, shown):
        assert (order["event_number"], order["event_name"]) == ("E1", "Nils Frahm live")
    assert "E1 Nils Frahm live" in tix("order", "list").stdout
    assert "event: E1 Nils Frahm live" in tix("order", "show", sold["number"]).stdout
