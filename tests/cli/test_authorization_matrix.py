"""Every command for every role, on the event whose team they are on and on another:
allowed (0), or refused — 3 for "not for your role", 4 where another user's order or
ticket must not even be seen to exist.

Each role gets its own world: Olga's event E1 ("own": its team has Clara as clerk, Dora
as door, Cora as co-organizer), Oscar's E2 ("other": nobody's team), Oscar's E3, whose
team has Carl as clerk and Dirk as door (so they are clerk and door off E1's and E2's
teams). Clara sold two orders of E1 at the counter, Oscar two of E2; each role holds a
ticket of each event. Commands run in an order where the ones that change things come
last, and every cell of the table is checked at once, so a failure shows the whole
difference. Team roles count for their event alone, whatever the global role: Dora, Dirk
and Cora are customers.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.catalog_support import event_spec, local, on_team, organizer
from tests.cli.conftest import Tix
from tests.support import PASSWORD, deliver, logged_in, user
from tix.core.orders.model import Tender
from tix.core.principal import Role

ROLES = ("anonymous", "customer", "organizer", "other_organizer", "clerk_on_team",
         "clerk_off_team", "door_on_team", "door_off_team", "co_organizer", "admin")
LOGIN = {"customer": "cleo@example.com", "organizer": "olga@example.com",
         "other_organizer": "oscar@example.com", "clerk_on_team": "clara@example.com",
         "clerk_off_team": "carl@example.com", "door_on_team": "dora@example.com",
         "door_off_team": "dirk@example.com", "co_organizer": "cora@example.com",
         "admin": "root@example.com"}

OK, ROLE, UNSEEN = 0, 3, 4
ALL_OK = dict.fromkeys(ROLES, OK)


def signed_in(ok: int = OK, **overrides: int) -> dict[str, int]:
    """Anonymous is refused with exit 3; every role gets `ok` unless overridden."""
    return {role: (ROLE if role == "anonymous" else overrides.get(role, ok)) for role in ROLES}


# Who may do what on E1 (Olga's, with the team) and on E2 (Oscar's, no team).
OWN = {
    "manage": signed_in(ROLE, organizer=OK, co_organizer=OK, admin=OK),
    "sell": signed_in(ROLE, organizer=OK, clerk_on_team=OK, co_organizer=OK, admin=OK),
    "scan": signed_in(ROLE, organizer=OK, clerk_on_team=OK, door_on_team=OK,
                      co_organizer=OK, admin=OK),
    "owner": signed_in(ROLE, organizer=OK, admin=OK),
}
OTHER = dict.fromkeys(OWN, signed_in(ROLE, other_organizer=OK, admin=OK))
# E1's orders were bought by Clara at the counter, E2's by Oscar at his own counter.
SEEN_OWN = signed_in(UNSEEN, organizer=OK, clerk_on_team=OK, co_organizer=OK, admin=OK)
SEEN_OTHER = signed_in(UNSEEN, other_organizer=OK, admin=OK)
BUYER_OWN = signed_in(UNSEEN, clerk_on_team=OK, admin=OK)

Expected = dict[str, int]
# (name, arguments with {placeholders}, expected exit per role on E1, on E2 — or None:
# the command names no event and runs once)
MATRIX: list[tuple[str, list[str], Expected, Expected | None]] = [
    ("whoami", ["whoami"], signed_in(), None),
    ("event list", ["event", "list"], ALL_OK, None),
    ("event suggest", ["event", "suggest", "Nils"], ALL_OK, None),
    ("event show", ["event", "show", "{event}"], ALL_OK, ALL_OK),
    ("event create", ["event", "create", "--name", "New", "--venue", "V", "--city", "Berlin",
                      "--starts", "{starts}", "--ends", "{ends}", "--timezone", "UTC",
                      "--ticket-type", "GA:10:5"],
     signed_in(ROLE, organizer=OK, other_organizer=OK, admin=OK), None),
    ("event update", ["event", "update", "{event}", "--name", "Renamed"],
     OWN["manage"], OTHER["manage"]),
    ("event sales", ["event", "sales", "{event}"], OWN["manage"], OTHER["manage"]),
    # the door's attendee list leaves the personal data out (tests/cli/test_event_exports.py)
    ("event attendees", ["event", "attendees", "{event}", "-o", "{tmp}/a.csv"], OWN["scan"],
     OTHER["scan"]),
    ("event orders", ["event", "orders", "{event}", "-o", "{tmp}/o.csv"], OWN["manage"],
     OTHER["manage"]),
    ("event message", ["event", "message", "{event}", "--subject", "Hi", "--body-file", "-",
                       "--dry-run"], OWN["manage"], OTHER["manage"]),
    ("event team list", ["event", "team", "{event}", "list"], OWN["manage"],
     OTHER["manage"]),
    ("voucher list", ["voucher", "list", "{event}"], OWN["manage"], OTHER["manage"]),
    ("door list ls", ["door", "list", "ls", "{event}"], OWN["scan"], OTHER["scan"]),
    ("door find", ["door", "find", "{event}", "Ann"], OWN["scan"], OTHER["scan"]),
    ("door pack", ["door", "pack", "{event}", "-o", "{tmp}/{event}.door"], OWN["scan"],
     OTHER["scan"]),
    ("hold", ["hold", "{ticket_type}", "--quantity", "1"], signed_in(), signed_in()),
    ("checkout", ["checkout", "{hold}", "--pay", "cash", "--tendered", "100"],
     OWN["sell"], OTHER["sell"]),
    ("buy cash", ["buy", "{ticket_type}", "--quantity", "1", "--pay", "cash",
                  "--tendered", "100"], OWN["sell"], OTHER["sell"]),
    ("buy comp", ["buy", "{ticket_type}", "--quantity", "1", "--pay", "comp"],
     OWN["manage"], OTHER["manage"]),
    ("order list", ["order", "list"], signed_in(), None),
    ("order show", ["order", "show", "{order}"], SEEN_OWN, SEEN_OTHER),
    ("order pdf", ["order", "pdf", "{order}", "-o", "{tmp}/o.pdf"], BUYER_OWN, SEEN_OTHER),
    ("ticket list", ["ticket", "list"], signed_in(), None),
    ("ticket show", ["ticket", "show", "{ticket}"], SEEN_OWN, SEEN_OTHER),
    ("ticket pdf", ["ticket", "pdf", "{ticket}", "-o", "{tmp}/t.pdf"], SEEN_OWN, SEEN_OTHER),
    ("ticket ics", ["ticket", "ics", "{ticket}", "-o", "{tmp}/t.ics"], SEEN_OWN, SEEN_OTHER),
    ("ticket resend", ["ticket", "resend", "{order}"], SEEN_OWN, SEEN_OTHER),
    ("notifications list", ["notifications", "list"], signed_in(ROLE, admin=OK), None),
    ("account export", ["account", "export", "-o", "{tmp}/me.json"], signed_in(), None),
    ("account register", ["account", "register", "--email", "new@example.com", "--name",
                          "New Person", "--dob", "1990-01-01", "--password-stdin"], ALL_OK,
     None),
    # Operators on the database host: whoever can reach the database owns the data anyway
    # (SECURITY.md); these take no login.
    ("admin audit", ["admin", "audit", "--verify"], ALL_OK, None),
    ("admin grant", ["admin", "grant", "cleo@example.com", "customer"], ALL_OK, None),
    ("db upgrade", ["db", "upgrade"], ALL_OK, None),
    # Last: these change what the rows above rely on.
    ("voucher create", ["voucher", "create", "{event}", "--code", "TEAM", "--percent", "10"],
     OWN["manage"], OTHER["manage"]),
    ("event team add door", ["event", "team", "{event}", "add", "tess@example.com",
                             "--role", "door"], OWN["manage"], OTHER["manage"]),
    # co-organizers are the organizer's to choose
    ("event team add co-organizer", ["event", "team", "{event}", "add", "toby@example.com",
                                     "--role", "co-organizer"], OWN["owner"],
     OTHER["owner"]),
    ("event team remove", ["event", "team", "{event}", "remove", "tess@example.com"],
     OWN["manage"], OTHER["manage"]),
    ("checkin", ["checkin", "{payload}"], OWN["scan"], OTHER["scan"]),
    # Those who manage the event's orders (organizer, co-organizers, admins) manage their
    # tickets: renames and transfers (the buyer too), voids; refunds part of an order (not
    # the buyer).
    ("ticket rename", ["ticket", "rename", "{ticket}", "--holder", "New Name"], SEEN_OWN,
     SEEN_OTHER),
    ("ticket transfer", ["ticket", "transfer", "{unscanned_ticket}", "--to",
                         "friend@example.com"], SEEN_OWN, SEEN_OTHER),
    ("ticket void", ["ticket", "void", "{other_unscanned_ticket}"],
     {**SEEN_OWN, "clerk_on_team": ROLE}, SEEN_OTHER),
    ("order refund", ["order", "refund", "{unscanned_order}", "--amount", "1"],
     {**SEEN_OWN, "clerk_on_team": ROLE}, SEEN_OTHER),
    # The event's organizer (and co-organizers) may cancel its orders (and, on purpose,
    # refund tickets used at the door: the first order's ticket was just checked in); the
    # buyer may cancel but not refund used tickets.
    ("order cancel", ["order", "cancel", "{unscanned_order}", "--yes"], SEEN_OWN,
     SEEN_OTHER),
    ("order cancel --refund-used", ["order", "cancel", "{order}", "--yes", "--refund-used"],
     {**SEEN_OWN, "clerk_on_team": ROLE}, SEEN_OTHER),
    ("event cancel", ["event", "cancel", "{event}"], OWN["owner"], OTHER["owner"]),
    ("account delete", ["account", "delete", "--yes"], signed_in(), None),
    ("logout", ["logout"], ALL_OK, None),  # logging out twice is not an error: it says so
]


def sold(runtime, seller, event_id: str) -> dict[str, str]:
    """Two cash orders of the event's Seated type (no limit); the first one's ticket."""
    ticket_type = runtime.catalog.show(event_id).ticket_types[1].id
    order = runtime.orders.buy(seller, ticket_type, 1, tender=Tender.CASH, tendered=6550)
    unscanned = runtime.orders.buy(seller, ticket_type, 2, tender=Tender.CASH, tendered=13100)
    deliver(runtime)
    [ticket] = runtime.tickets.of_orders([order.id])[order.id]
    unscanned_tickets = runtime.tickets.of_orders([unscanned.id])[unscanned.id]
    return {"event": f"E{runtime.catalog.show(event_id).summary.number}",
            "ticket_type": ticket_type, "order": order.number,
            "unscanned_order": unscanned.number, "ticket": ticket.number,
            "unscanned_ticket": unscanned_tickets[0].number,
            "other_unscanned_ticket": unscanned_tickets[1].number,
            "payload": ticket.qr_payload}


def world(runtime, role: str, tmp) -> dict[str, dict[str, str]]:
    """The values of the placeholders on E1 ("own") and on E2 ("other")."""
    olga = organizer(runtime)
    oscar = organizer(runtime, "oscar@example.com")
    logged_in(runtime, "cleo@example.com", name="Cleo Customer")
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    logged_in(runtime, "carl@example.com", role=Role.CLERK, name="Carl Clerk")
    for email, name in (("dora@example.com", "Dora Door"), ("dirk@example.com", "Dirk Door"),
                        ("cora@example.com", "Cora Co"), ("tess@example.com", "Tess Team"),
                        ("toby@example.com", "Toby Team")):
        user(runtime, email, name=name)
    logged_in(runtime, "root@example.com", role=Role.ADMIN, name="Root")
    policy = [{"before_hours": 0, "percent": 100}]
    own = runtime.catalog.create(olga, event_spec(runtime, cancellation_policy=policy))
    other = runtime.catalog.create(oscar, event_spec(runtime, cancellation_policy=policy,
                                                     name="Oscar's night"))
    elsewhere = runtime.catalog.create(oscar, event_spec(runtime, name="Oscar's other night"))
    for event, email, team_role in ((own, "clara@example.com", "clerk"),
                                    (own, "dora@example.com", "door"),
                                    (own, "cora@example.com", "co-organizer"),
                                    (elsewhere, "carl@example.com", "clerk"),
                                    (elsewhere, "dirk@example.com", "door")):
        on_team(runtime, event, email, team_role)
    values = {"own": sold(runtime, clara, own), "other": sold(runtime, oscar, other)}
    start = runtime.clock.now() + timedelta(days=40)
    who = (runtime.accounts.login(email=LOGIN[role], password=PASSWORD).principal
           if role != "anonymous" else None)
    for which in values.values():
        # anonymous has none: an id, not "" (exit 2)
        which["hold"] = (runtime.inventory.place_hold(who, which["ticket_type"], 1).id
                         if who else "0f8e5c1e-0000-4000-8000-000000000000")
        which.update(starts=local(start), ends=local(start + timedelta(hours=2)),
                     tmp=str(tmp))
    return values


@pytest.mark.parametrize("role", ROLES)
def test_every_command_for_every_role_on_its_event_and_another(runtime, role, tmp_path):
    values = world(runtime, role, tmp_path)
    tix = Tix(runtime)
    if role != "anonymous":
        assert tix.login(LOGIN[role], PASSWORD).exit_code == 0
    got, expected, errors = {}, {}, {}
    for name, arguments, on_own, on_other in MATRIX:
        for which, wanted in (("own", on_own), ("other", on_other)):
            if wanted is None:
                continue
            cell = name if on_other is None else f"{name} ({which})"
            result = tix(*(a.format(**values[which]) for a in arguments),
                         input=PASSWORD + "\n")
            got[cell], expected[cell] = result.exit_code, wanted[role]
            errors[cell] = result.stderr.strip()
    wrong = {name: f"exit {got[name]}, expected {expected[name]}: {errors[name]}"
             for name in got if got[name] != expected[name]}
    assert not wrong, f"{role}: " + "; ".join(f"{k} → {v}" for k, v in wrong.items())


def test_nobody_reads_another_users_personal_data(runtime, tmp_path):
    """The export is of the caller alone, whatever they ask."""
    import json

    user(runtime, "cleo@example.com", name="Cleo Customer")
    logged_in(runtime, "dan@example.com", name="Dan Other")
    tix = Tix(runtime)
    tix.login("cleo@example.com", PASSWORD)
    assert tix("account", "export", "-o", str(tmp_path / "me.json")).exit_code == 0
    text = (tmp_path / "me.json").read_text()
    assert "Dan Other" not in text and "dan@example.com" not in text
    assert json.loads(text)["profile"]["email"] == "cleo@example.com"
