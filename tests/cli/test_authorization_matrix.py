"""Every command for every role: allowed (0), or refused — 3 for "not for your role", 4 where
another user's order or ticket must not even be seen to exist.

Each role gets its own world: an event by Olga (with a ticket type), one by Oscar, an order
Clara the clerk sold herself with its tickets, a hold of the role's own. Commands run in an
order where the ones that change things come last, and every cell of the table is checked
at once, so a failure shows the whole difference.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.catalog_support import event_spec, local, organizer
from tests.cli.conftest import Tix
from tests.support import PASSWORD, deliver, logged_in, user
from tix.core.orders.model import Tender
from tix.core.principal import Role

ROLES = ("anonymous", "customer", "organizer", "other_organizer", "clerk", "admin")
LOGIN = {"customer": "cleo@example.com", "organizer": "olga@example.com",
         "other_organizer": "oscar@example.com", "clerk": "clara@example.com",
         "admin": "root@example.com"}

OK, ROLE, UNSEEN = 0, 3, 4
ALL_OK = dict.fromkeys(ROLES, OK)


def signed_in(ok: int = OK, **overrides: int) -> dict[str, int]:
    """Anonymous is refused with exit 3; every role gets `ok` unless overridden."""
    return {role: (ROLE if role == "anonymous" else overrides.get(role, ok)) for role in ROLES}


# (name, arguments with {placeholders}, expected exit per role)
MATRIX: list[tuple[str, list[str], dict[str, int]]] = [
    ("whoami", ["whoami"], signed_in()),
    ("event list", ["event", "list"], ALL_OK),
    ("event suggest", ["event", "suggest", "Nils"], ALL_OK),
    ("event show", ["event", "show", "{event}"], ALL_OK),
    ("event create", ["event", "create", "--name", "New", "--venue", "V", "--city", "Berlin",
                      "--starts", "{starts}", "--ends", "{ends}", "--timezone", "UTC",
                      "--ticket-type", "GA:10:5"],
     signed_in(ROLE, organizer=OK, other_organizer=OK, admin=OK)),
    ("event update", ["event", "update", "{event}", "--name", "Renamed"],
     signed_in(ROLE, organizer=OK, admin=OK)),
    ("event sales", ["event", "sales", "{event}"], signed_in(ROLE, organizer=OK, admin=OK)),
    # a clerk's attendee list leaves the personal data out (tests/cli/test_event_exports.py)
    ("event attendees", ["event", "attendees", "{event}", "-o", "{tmp}/a.csv"],
     signed_in(ROLE, organizer=OK, clerk=OK, admin=OK)),
    ("event orders", ["event", "orders", "{event}", "-o", "{tmp}/o.csv"],
     signed_in(ROLE, organizer=OK, admin=OK)),
    ("event message", ["event", "message", "{event}", "--subject", "Hi", "--body-file", "-",
                       "--dry-run"], signed_in(ROLE, organizer=OK, admin=OK)),
    ("hold", ["hold", "{ticket_type}", "--quantity", "1"], signed_in()),
    ("checkout", ["checkout", "{hold}", "--pay", "cash", "--tendered", "100"],
     signed_in(ROLE, clerk=OK, admin=OK)),
    ("buy cash", ["buy", "{ticket_type}", "--quantity", "1", "--pay", "cash",
                  "--tendered", "100"], signed_in(ROLE, clerk=OK, admin=OK)),
    ("buy comp", ["buy", "{ticket_type}", "--quantity", "1", "--pay", "comp"],
     signed_in(ROLE, organizer=OK, admin=OK)),
    ("order list", ["order", "list"], signed_in()),
    ("order show", ["order", "show", "{order}"],
     signed_in(UNSEEN, organizer=OK, clerk=OK, admin=OK)),
    ("order pdf", ["order", "pdf", "{order}", "-o", "{tmp}/o.pdf"],
     signed_in(UNSEEN, clerk=OK, admin=OK)),
    ("ticket list", ["ticket", "list"], signed_in()),
    ("ticket show", ["ticket", "show", "{ticket}"],
     signed_in(UNSEEN, organizer=OK, clerk=OK, admin=OK)),
    ("ticket pdf", ["ticket", "pdf", "{ticket}", "-o", "{tmp}/t.pdf"],
     signed_in(UNSEEN, organizer=OK, clerk=OK, admin=OK)),
    ("ticket ics", ["ticket", "ics", "{ticket}", "-o", "{tmp}/t.ics"],
     signed_in(UNSEEN, organizer=OK, clerk=OK, admin=OK)),
    ("ticket resend", ["ticket", "resend", "{order}"],
     signed_in(UNSEEN, organizer=OK, clerk=OK, admin=OK)),
    ("notifications list", ["notifications", "list"], signed_in(ROLE, admin=OK)),
    ("account export", ["account", "export", "-o", "{tmp}/me.json"], signed_in()),
    ("account register", ["account", "register", "--email", "new@example.com", "--name",
                          "New Person", "--dob", "1990-01-01", "--password-stdin"], ALL_OK),
    # Operators on the database host: whoever can reach the database owns the data anyway
    # (SECURITY.md); these take no login.
    ("admin audit", ["admin", "audit", "--verify"], ALL_OK),
    ("admin grant", ["admin", "grant", "cleo@example.com", "customer"], ALL_OK),
    ("db upgrade", ["db", "upgrade"], ALL_OK),
    # Last: these change what the rows above rely on.
    ("checkin", ["checkin", "{payload}"], signed_in(ROLE, organizer=OK, clerk=OK, admin=OK)),
    # The event's organizer (or an admin) manages its orders' tickets: renames (the buyer
    # too), transfers (the buyer too), voids; refunds part of an order (not the buyer).
    ("ticket rename", ["ticket", "rename", "{ticket}", "--holder", "New Name"],
     signed_in(UNSEEN, organizer=OK, clerk=OK, admin=OK)),
    ("ticket transfer", ["ticket", "transfer", "{unscanned_ticket}", "--to",
                         "friend@example.com"],
     signed_in(UNSEEN, organizer=OK, clerk=OK, admin=OK)),
    ("ticket void", ["ticket", "void", "{other_unscanned_ticket}"],
     signed_in(UNSEEN, organizer=OK, clerk=ROLE, admin=OK)),
    ("order refund", ["order", "refund", "{unscanned_order}", "--amount", "1"],
     signed_in(UNSEEN, organizer=OK, clerk=ROLE, admin=OK)),
    # The event's organizer may cancel its orders (and, on purpose, refund tickets used at
    # the door: the first order's ticket was just checked in); the buyer may not do that.
    ("order cancel", ["order", "cancel", "{unscanned_order}", "--yes"],
     signed_in(UNSEEN, organizer=OK, clerk=OK, admin=OK)),
    ("order cancel --refund-used", ["order", "cancel", "{order}", "--yes", "--refund-used"],
     signed_in(UNSEEN, organizer=OK, clerk=ROLE, admin=OK)),
    ("event cancel", ["event", "cancel", "{event}"], signed_in(ROLE, organizer=OK, admin=OK)),
    ("account delete", ["account", "delete", "--yes"], signed_in()),
    ("logout", ["logout"], ALL_OK),  # logging out twice is not an error: it says so
]


def world(runtime, role: str, tmp) -> dict[str, str]:
    olga = organizer(runtime)
    organizer(runtime, "oscar@example.com")
    logged_in(runtime, "cleo@example.com", name="Cleo Customer")
    clara = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    logged_in(runtime, "root@example.com", role=Role.ADMIN, name="Root")
    event_id = runtime.catalog.create(olga, event_spec(runtime, cancellation_policy=[
        {"before_hours": 0, "percent": 100}]))
    ticket_type = runtime.catalog.show(event_id).ticket_types[1].id  # Seated: no limit
    order = runtime.orders.buy(clara, ticket_type, 1, tender=Tender.CASH, tendered=6550)
    unscanned = runtime.orders.buy(clara, ticket_type, 2, tender=Tender.CASH, tendered=13100)
    deliver(runtime)
    [ticket] = runtime.tickets.of_orders([order.id])[order.id]
    unscanned_tickets = runtime.tickets.of_orders([unscanned.id])[unscanned.id]
    hold = "0f8e5c1e-0000-4000-8000-000000000000"  # anonymous has none: an id, not "" (exit 2)
    if role != "anonymous":
        who = runtime.accounts.login(email=LOGIN[role], password=PASSWORD).principal
        hold = runtime.inventory.place_hold(who, ticket_type, 1).id
    start = runtime.clock.now() + timedelta(days=40)
    return {"event": event_id, "ticket_type": ticket_type, "order": order.number,
            "unscanned_order": unscanned.number,
            "unscanned_ticket": unscanned_tickets[0].number,
            "other_unscanned_ticket": unscanned_tickets[1].number,
            "ticket": ticket.number, "payload": ticket.qr_payload, "hold": hold,
            "starts": local(start), "ends": local(start + timedelta(hours=2)), "tmp": str(tmp)}


@pytest.mark.parametrize("role", ROLES)
def test_every_command_for_every_role(runtime, role, tmp_path):
    values = world(runtime, role, tmp_path)
    tix = Tix(runtime)
    if role != "anonymous":
        assert tix.login(LOGIN[role], PASSWORD).exit_code == 0
    got, expected, errors = {}, {}, {}
    for name, arguments, wanted in MATRIX:
        result = tix(*(a.format(**values) for a in arguments), input=PASSWORD + "\n")
        got[name], expected[name] = result.exit_code, wanted[role]
        errors[name] = result.stderr.strip()
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
