"""tix event team EVENT add|remove|list, through the CLI: who may change a team, the exit
codes of each mistake, the JSON, and what a role on the team lets its holder do."""

from __future__ import annotations

from collections.abc import Callable

from tests.catalog_support import an_event, on_team, organizer
from tests.cli.conftest import Outcome, Tix
from tests.support import PASSWORD, deliver, logged_in, user
from tix.core.orders.model import Tender
from tix.core.principal import Role


class Desk:
    """One terminal that people take turns at: the login is one stored file, so a
    person's command logs them in first when someone else was last."""

    def __init__(self, runtime) -> None:
        self.tix = Tix(runtime)
        self.current: str | None = None

    def person(self, email: str | None, password: str = PASSWORD
               ) -> Callable[..., Outcome]:
        def run(*args: str) -> Outcome:
            if email != self.current:
                if email is None:
                    self.tix("logout")
                else:
                    assert self.tix.login(email, password).exit_code == 0
                self.current = email
            return self.tix(*args)
        return run


def test_the_organizer_adds_changes_lists_and_removes_team_members(runtime):
    desk = Desk(runtime)
    olga = desk.person("olga@example.com")
    event = an_event(runtime)
    user(runtime, "dora@example.com", name="Dora Door")
    user(runtime, "carl@example.com", role=Role.CLERK, name="Carl Clerk")

    added = olga("event", "team", event, "add", "dora@example.com", "--role", "door", "--json")
    assert added.exit_code == 0, added.stderr
    assert added.json() == {"event_id": event, "event": "E1", "email": "dora@example.com",
                            "role": "door", "was": None}
    assert olga("event", "team", "E1", "add", "CARL@example.com", "--role", "Clerk"
               ).exit_code == 0
    changed = olga("event", "team", "E1", "add", "dora@example.com", "--role", "clerk",
                  "--json")
    assert (changed.exit_code, changed.json()["was"]) == (0, "door")

    listed = olga("event", "team", "E1", "list", "--json")
    assert listed.exit_code == 0
    assert [(m["email"], m["name"], m["role"]) for m in listed.json()] == [
        ("carl@example.com", "Carl Clerk", "clerk"), ("dora@example.com", "Dora Door", "clerk")]
    shown = olga("event", "team", "E1", "list")
    assert "Dora Door" in shown.stdout and "clerk" in shown.stdout

    removed = olga("event", "team", "E1", "remove", "dora@example.com", "--json")
    assert (removed.exit_code, removed.json()["role"]) == (0, "clerk")
    assert [m["email"] for m in olga("event", "team", "E1", "list", "--json").json()] == [
        "carl@example.com"]
    actions = [e.action for e in reversed(runtime.audit.newest())
               if e.action.startswith("event.team")]
    assert actions == ["event.team_added", "event.team_added", "event.team_changed",
                       "event.team_removed"]


def test_each_mistake_has_its_exit_code_and_one_line(runtime):
    desk = Desk(runtime)
    olga = desk.person("olga@example.com")
    oscar = desk.person("oscar@example.com")
    nobody = desk.person(None)
    event = an_event(runtime)
    organizer(runtime, "oscar@example.com")
    user(runtime, "dora@example.com")

    bad_role = olga("event", "team", event, "add", "dora@example.com", "--role", "boss")
    assert bad_role.exit_code == 2
    assert "co-organizer, clerk, door" in bad_role.stderr
    assert "Traceback" not in bad_role.stderr and len(bad_role.stderr.strip().splitlines()) == 1
    assert olga("event", "team", event, "add", "dora@example.com").exit_code == 2  # no --role
    unknown = olga("event", "team", event, "add", "nobody@example.com", "--role", "door")
    assert unknown.exit_code == 4 and "nobody@example.com" in unknown.stderr
    assert olga("event", "team", "E99", "list").exit_code == 4
    assert olga("event", "team", event, "remove", "dora@example.com").exit_code == 4  # not on it
    assert olga("event", "team", event, "add", "olga@example.com", "--role", "clerk"
                ).exit_code == 2  # the organizer needs no team
    assert olga("event", "team", event, "add", "dora@example.com", "--role", "door"
                ).exit_code == 0
    again = olga("event", "team", event, "add", "dora@example.com", "--role", "door")
    assert again.exit_code == 5 and "already" in again.stderr

    for command in (["list"], ["add", "dora@example.com", "--role", "clerk"],
                    ["remove", "dora@example.com"]):
        refused = oscar("event", "team", event, *command)
        assert refused.exit_code == 3, command
        assert "organizer" in refused.stderr
    assert nobody("event", "team", event, "list").exit_code == 3  # not logged in
    assert olga("event", "team", event, "list", "--json").json()[0]["role"] == "door"


def test_a_co_organizer_runs_the_team_but_not_its_co_organizers(runtime):
    desk = Desk(runtime)
    olga = desk.person("olga@example.com")
    cora = desk.person("cora@example.com")
    event = an_event(runtime)
    user(runtime, "cora@example.com", name="Cora Co")
    user(runtime, "cole@example.com")
    user(runtime, "dora@example.com")
    assert olga("event", "team", event, "add", "cora@example.com", "--role", "co-organizer"
                ).exit_code == 0
    assert olga("event", "team", event, "add", "cole@example.com", "--role", "co-organizer"
                ).exit_code == 0

    assert cora("event", "team", event, "add", "dora@example.com", "--role", "door"
                ).exit_code == 0
    assert cora("event", "team", event, "add", "dora@example.com", "--role", "co-organizer"
                ).exit_code == 3
    assert cora("event", "team", event, "remove", "cole@example.com").exit_code == 3
    assert cora("event", "team", event, "remove", "dora@example.com").exit_code == 0
    assert cora("event", "update", event, "--name", "Renamed").exit_code == 0
    cancel = cora("event", "cancel", event)
    assert cancel.exit_code == 3 and "organizer" in cancel.stderr


def test_a_role_on_one_team_works_that_event_alone(runtime):
    desk = Desk(runtime)
    olga = desk.person("olga@example.com")
    clerk = desk.person("clara@example.com")
    door = desk.person("dora@example.com")
    """A customer on the door scans that event; a clerk of another event's team, or of
    none, sells nothing here; taking them off the team stops them at once."""
    owner = organizer(runtime)
    event = an_event(runtime, owner)
    other = an_event(runtime, owner, name="Another night")
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    user(runtime, "dora@example.com", name="Dora Door")
    seated = runtime.catalog.show(event).ticket_types[1].id
    sell = ["buy", seated, "--quantity", "1", "--pay", "cash", "--tendered", "100"]

    refused = clerk(*sell)
    assert refused.exit_code == 3 and "team" in refused.stderr
    assert olga("event", "team", other, "add", "clara@example.com", "--role", "clerk"
               ).exit_code == 0
    assert clerk(*sell).exit_code == 3  # on another event's team
    assert olga("event", "team", event, "add", "clara@example.com", "--role", "clerk"
               ).exit_code == 0
    assert clerk(*sell).exit_code == 0

    order = runtime.orders.buy(clara, seated, 1, tender=Tender.CASH, tendered=6550)
    deliver(runtime)
    [ticket] = runtime.tickets.of_orders([order.id])[order.id]
    assert door("checkin", ticket.qr_payload).exit_code == 3
    assert olga("event", "team", event, "add", "dora@example.com", "--role", "door"
               ).exit_code == 0
    assert door(*sell).exit_code == 3  # the door scans, it does not sell
    admitted = door("checkin", ticket.qr_payload, "--json")
    assert admitted.exit_code == 0, admitted.stderr
    assert olga("event", "team", event, "remove", "dora@example.com").exit_code == 0
    assert door("checkin", ticket.qr_payload).exit_code == 3


def test_the_demo_clerk_is_on_the_team_of_every_demo_event(runtime):
    desk = Desk(runtime)
    assert desk.tix("demo").exit_code == 0
    otto = desk.person("organizer@demo.tix", "Demo-pass-2026!")
    clara = desk.person("clerk@demo.tix", "Demo-pass-2026!")
    for event in ("E1", "E7"):
        listed = otto("event", "team", event, "list", "--json").json()
        assert [(m["email"], m["role"]) for m in listed] == [("clerk@demo.tix", "clerk")]
    sold = clara("buy", "E1-T1", "--pay", "cash", "--json")
    assert sold.exit_code == 0, sold.stderr


def test_the_door_commands_refuse_another_events_door_in_one_clear_line(runtime, tmp_path):
    owner = organizer(runtime)
    mine, other = an_event(runtime, owner), an_event(runtime, owner, name="Another night")
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    user(runtime, "dora@example.com", name="Dora Door")
    on_team(runtime, other, "clara@example.com")
    on_team(runtime, mine, "dora@example.com", "door")
    seated = runtime.catalog.show(other).ticket_types[1].id
    order = runtime.orders.buy(clara, seated, 1, tender=Tender.CASH, tendered=6550)
    deliver(runtime)
    [ticket] = runtime.tickets.of_orders([order.id])[order.id]
    door = Desk(runtime).person("dora@example.com")

    packed = door("door", "pack", "E2", "-o", str(tmp_path / "e2.door"))
    assert packed.exit_code == 3
    assert packed.stderr.strip().splitlines() == [
        "tix: the door of E2 is for its team (door, clerk, co-organizer) and its organizer"]
    assert not (tmp_path / "e2.door").exists()
    for command in (["door", "list", "ls", "E2"], ["door", "find", "E2", "Ann"]):
        refused = door(*command)
        assert refused.exit_code == 3 and "team" in refused.stderr, command
    scanned = door("checkin", ticket.qr_payload)
    assert scanned.exit_code == 3 and "the event's team" in scanned.stderr
    at_my_door = door("checkin", ticket.qr_payload, "--event", "E1")
    assert at_my_door.exit_code == 5
    assert "REFUSED: this ticket is for Another night" in at_my_door.stderr
    assert door("door", "pack", "E1", "-o", str(tmp_path / "e1.door")).exit_code == 0
