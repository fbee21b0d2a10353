"""tix checkin: a refusal with --json is a verdict on stdout too, an unknown --event is
not found, and a time at the door says its zone (issue 17, item 9)."""

import json

from tests.catalog_support import an_event, on_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.core.principal import Role


def a_ticket(tix, **event) -> str:
    """Clara the clerk sells one ticket of Olga's event E1; returns its QR payload."""
    an_event(tix.runtime, organizer(tix.runtime), **event)
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, "E1", "clara@example.com")
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    sold = tix("buy", "E1-T1", "--pay", "cash", "--tendered", "45", "--json")
    assert sold.exit_code == 0, sold.stderr
    deliver(tix.runtime)
    [ticket] = tix("order", "show", sold.json()["number"], "--json").json()["tickets"]
    return ticket["qr_payload"]


def test_a_refusal_with_json_is_one_json_verdict_and_exit_5(tix):
    payload = a_ticket(tix, timezone="Europe/Berlin")
    admitted = tix("checkin", payload, "--json")
    assert admitted.exit_code == 0 and admitted.json()["admitted"] is True
    again = tix("checkin", payload, "--json")
    assert again.exit_code == 5
    assert json.loads(again.stdout) == {  # one document: json.loads takes nothing else
        "admitted": False, "code": "already_in",
        "reason": "already checked in at 13:00 CET by Clara Clerk"}
    assert again.stderr == "tix: REFUSED: already checked in at 13:00 CET by Clara Clerk\n"
    forged = tix("checkin", "TIX1.not-a-ticket", "--json")
    assert forged.exit_code == 5 and forged.json() == {
        "admitted": False, "code": "forged", "reason": "forged or damaged code"}
    plain = tix("checkin", payload)
    assert (plain.exit_code, plain.stdout) == (5, "")  # without --json stdout stays empty


def test_a_time_at_the_door_in_a_zone_without_a_lettered_name_gives_the_zone(tix):
    payload = a_ticket(tix, timezone="America/Sao_Paulo")  # its abbreviation is "-03"
    tix("checkin", payload)
    again = tix("checkin", payload)
    assert again.stderr == ("tix: REFUSED: already checked in at 09:00 America/Sao_Paulo "
                            "by Clara Clerk\n")


def test_an_unknown_event_is_not_found_and_another_event_is_the_wrong_door(tix):
    payload = a_ticket(tix)
    unknown = tix("checkin", payload, "--event", "E999", "--json")
    assert (unknown.exit_code, unknown.stdout) == (4, "")
    assert unknown.stderr == "tix: event E999 not found\n"
    no_such_id = tix("checkin", payload, "--event", "00000000-0000-4000-8000-000000000000")
    assert no_such_id.exit_code == 4
    an_event(tix.runtime, organizer(tix.runtime, "oscar@example.com"), name="Other gig")
    wrong = tix("checkin", payload, "--event", "E2", "--json")
    assert wrong.exit_code == 5 and wrong.json() == {
        "admitted": False, "code": "wrong_event",
        "reason": "this ticket is for Nils Frahm live"}
    assert tix("checkin", payload, "--event", "E1").exit_code == 0
