"""The online door (issue 21): check-in lists, exit and re-entry, undo with a reason,
lookup by name or number, counts per list, and the server's scan log, through the CLI on
both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.catalog_support import an_event, on_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.core.ids import new_id
from tix.core.principal import Role
from tix.core.tickets.door import Scan, ScanKind


def a_night(tix) -> dict[str, dict]:
    """Olga's event E1 (E1-T1 Standing, E1-T2 Seated); Clara the clerk sells two standing
    tickets and a seated one. Returns the tickets by holder; Clara stays logged in."""
    olga = organizer(tix.runtime)
    an_event(tix.runtime, olga)
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, "E1", "clara@example.com")
    tickets = {}
    for ticket_type, holders in (("E1-T1", ["Ann Müller", "Bob Stone"]),
                                 ("E1-T2", ["Zoë Ünal"])):
        assert tix.login("clara@example.com", PASSWORD).exit_code == 0
        args = ["buy", ticket_type, "--quantity", str(len(holders)), "--pay", "cash",
                "--tendered", "200", "--json"]
        for holder in holders:
            args += ["--holder", holder]
        sold = tix(*args)
        assert sold.exit_code == 0, sold.stderr
        deliver(tix.runtime)
        for ticket in tix("order", "show", sold.json()["number"], "--json").json()["tickets"]:
            tickets[ticket["holder"]] = ticket
    return tickets


def clara(tix):
    """Clara's principal, for what the CLI does not show (the scan log, uploads)."""
    return tix.runtime.accounts.login(email="clara@example.com", password=PASSWORD).principal


def as_olga(tix) -> None:
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0


def as_clara(tix) -> None:
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0


def test_a_vip_list_admits_its_types_only_and_lets_them_back_in(tix):
    tickets = a_night(tix)
    as_olga(tix)
    added = tix("door", "list", "add", "E1", "VIP", "--type", "E1-T2", "--reentry", "--json")
    assert added.exit_code == 0, added.stderr
    assert added.json() == {"event_id": added.json()["event_id"], "name": "VIP",
                            "ticket_types": ["E1-T2"], "reentry": True}
    assert tix("door", "list", "add", "E1", "vip").exit_code == 5  # names are one per event
    assert tix("door", "list", "add", "E1", "main").exit_code == 5
    assert tix("door", "list", "add", "E1", "X", "--type", "E1-T9").exit_code == 4
    as_clara(tix)
    assert tix("door", "list", "add", "E1", "Side").exit_code == 3  # the organizer's
    standing, seated = tickets["Ann Müller"]["qr_payload"], tickets["Zoë Ünal"]["qr_payload"]

    wrong = tix("checkin", standing, "--list", "VIP", "--json")
    assert wrong.exit_code == 5
    assert wrong.json() == {"admitted": False, "code": "wrong_list",
                            "reason": "VIP door admits Seated only"}
    assert wrong.stderr == "tix: REFUSED: VIP door admits Seated only\n"
    vip = tix("checkin", seated, "--list", "VIP", "--json")
    assert vip.exit_code == 0, vip.stderr
    assert (vip.json()["admitted"], vip.json()["scan"], vip.json()["list"]) \
        == (True, "ADMIT", "VIP")
    assert tix("checkin", seated, "--list", "VIP").exit_code == 5  # inside already
    out = tix("checkin", seated, "--list", "VIP", "--exit", "--json")
    assert out.exit_code == 0 and (out.json()["admitted"], out.json()["scan"]) \
        == (False, "EXIT")
    assert out.json()["status"] == "USED"  # it was used: its order stays uncancellable
    assert tix("checkin", seated, "--exit").exit_code == 5  # not inside
    again = tix("checkin", seated, "--list", "VIP")
    assert again.exit_code == 0 and again.stderr.startswith("ADMITTED: Zoë Ünal")

    # the main list lets nobody back in
    assert tix("checkin", standing).exit_code == 0
    assert tix("checkin", standing, "--exit").exit_code == 0
    back = tix("checkin", standing, "--json")
    assert back.exit_code == 5 and back.json()["code"] == "no_reentry"
    assert "the main list allows no re-entry" in back.json()["reason"]

    listed = tix("door", "list", "ls", "E1", "--json").json()
    assert [(x["name"], x["admitted"], x["inside"], x["of"], x["reentry"]) for x in listed] \
        == [("main", 1, 0, 3, False), ("VIP", 1, 1, 1, True)]
    table = tix("door", "list", "ls", "E1")
    assert table.exit_code == 0 and "VIP" in table.stdout and "E1-T2" in table.stdout
    scans = [s.kind for s in tix.runtime.tickets.scans_since(clara(tix), "E1").scans]
    assert scans.count(ScanKind.REFUSE) == 4 and scans.count(ScanKind.ADMIT) == 3
    assert scans.count(ScanKind.EXIT) == 2

    as_olga(tix)
    assert tix("door", "list", "rm", "E1", "main").exit_code == 5
    assert tix("door", "list", "rm", "E1", "Nope").exit_code == 4
    assert tix("door", "list", "rm", "E1", "VIP", "--json").json() == {
        "name": "VIP", "removed": True}
    assert [x["name"] for x in tix("door", "list", "ls", "E1", "--json").json()] == ["main"]


def test_an_undo_takes_the_admission_back_with_a_reason_and_is_audited(tix):
    tickets = a_night(tix)
    bob = tickets["Bob Stone"]
    assert tix("checkin", bob["qr_payload"]).exit_code == 0
    no_reason = tix("checkin", "--undo", bob["number"])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    assert tix("checkin", "--undo", bob["number"], "--reason", " ").exit_code == 2
    undone = tix("checkin", "--undo", bob["number"], "--reason", "scanned the wrong phone",
                 "--json")
    assert undone.exit_code == 0, undone.stderr
    assert (undone.json()["scan"], undone.json()["status"]) == ("UNDO", "VALID")
    nothing = tix("checkin", "--undo", bob["number"], "--reason", "again", "--json")
    assert nothing.exit_code == 5 and nothing.json()["code"] == "nothing_to_undo"
    [entry] = [e for e in tix.runtime.audit.newest() if e.action == "ticket.checkin_undone"]
    assert (entry.actor, entry.details["number"], entry.details["reason"]) \
        == ("clara@example.com", bob["number"], "scanned the wrong phone")
    # back to VALID: the same ticket comes in again on the main list, once
    assert tix("checkin", bob["qr_payload"]).exit_code == 0
    assert tix("checkin", bob["qr_payload"]).exit_code == 5
    assert tix("checkin", "--undo", "E1-999999", "--reason", "x").exit_code == 4


def test_a_dead_phone_is_found_by_name_or_number_and_admitted_by_number(tix):
    tickets = a_night(tix)
    found = tix("door", "find", "E1", "ann MULLER", "--json")
    assert found.exit_code == 0, found.stderr
    assert [(f["number"], f["holder"], f["ticket_type"], f["state"]) for f in found.json()] \
        == [(tickets["Ann Müller"]["number"], "Ann Müller", "Standing", "not in")]
    assert [f["holder"] for f in tix("door", "find", "E1", "unal", "--json").json()] \
        == ["Zoë Ünal"]
    assert [f["holder"] for f in tix("door", "find", "E1", "3", "--json").json()] \
        == ["Zoë Ünal"]
    assert tix("door", "find", "E1", "nobody", "--json").json() == []
    assert tix("door", "find", "E1", "nobody").stderr == "No ticket of the event matches.\n"
    assert tix("door", "find", "E1", "  ").exit_code == 2
    assert tix("door", "find", "E9", "ann").exit_code == 4
    number = tickets["Ann Müller"]["number"]
    admitted = tix("checkin", "--number", number, "--json")
    assert admitted.exit_code == 0 and admitted.json()["admitted"] is True
    assert tix("checkin", "--number", number).exit_code == 5
    assert tix("door", "find", "E1", "ann", "--json").json()[0]["state"] == "inside (main)"
    assert tix("checkin", "--number", "E1-000777").exit_code == 4
    ann = logged_in(tix.runtime, "ann@example.com")  # a customer may not look
    assert tix.login("ann@example.com", PASSWORD).exit_code == 0
    assert tix("door", "find", "E1", "ann").exit_code == 3
    assert ann is not None


def test_checkin_says_what_it_needs_without_a_traceback(tix):
    a_night(tix)
    assert tix("checkin").exit_code == 2
    both = tix("checkin", "TIX1.x", "--number", "E1-000001")
    assert both.exit_code == 2 and "one of them" in both.stderr
    assert tix("checkin", "--number", "E1-000001", "--reason", "x").exit_code == 2
    assert tix("checkin", "--undo", "E1-000001", "--exit", "--reason", "x").exit_code == 2
    assert tix("checkin", "--number", "E1-000001", "--list", "Nope").exit_code == 4
    assert tix("checkin", "--number", "E1-000001", "--device", "").exit_code == 2
    comma = tix("door", "list", "add", "E1", "a,b")
    assert (comma.exit_code, comma.stderr) == (
        2, "tix: a list's name is 1 to 60 printable characters, no comma\n")


def test_offline_scans_uploaded_twice_land_once_and_keep_the_ticket_in_step(tix):
    tickets = a_night(tix)
    clara = globals()["clara"](tix)
    ann = tix.runtime.tickets.show(clara, tickets["Ann Müller"]["number"])
    at = datetime.now(UTC) - timedelta(minutes=5)
    scans = [Scan(id=new_id(), event_id=ann.event_id, ticket_id=ann.id, kind=ScanKind.ADMIT,
                  at=at, device="gate-a", by="Clara"),
             Scan(id=new_id(), event_id=ann.event_id, ticket_id=ann.id, kind=ScanKind.ADMIT,
                  at=at + timedelta(minutes=2), device="gate-b", by="Ben")]
    first = tix.runtime.tickets.record_scans(clara, scans)
    assert (len(first.new), first.known) == (2, 0)
    assert tix.runtime.tickets.record_scans(clara, scans[::-1]) == ([], 2)
    again = tix("checkin", tickets["Ann Müller"]["qr_payload"], "--json")
    assert again.exit_code == 5 and again.json()["code"] == "already_in"
    assert again.json()["reason"].endswith("by Clara")  # the first admission stands
    page = tix.runtime.tickets.scans_since(clara, "E1")
    assert {s.id for s in scans} <= {s.id for s in page.scans}
    assert tix.runtime.tickets.scans_since(clara, "E1", page.cursor).scans == []
    counts = {c.name: (c.admitted, c.inside) for c in tix.runtime.tickets.door(
        clara, "E1").lists}
    assert counts["main"] == (1, 1)
