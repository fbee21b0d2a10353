"""What a clerk and a buyer read: money in major units, exact change, the refund's share
and why; tickets of a counter sale exist when the command returns; cancel asks first."""

from __future__ import annotations

from tests.catalog_support import an_event, on_team, organizer
from tests.support import PASSWORD, logged_in
from tix.core.principal import Role


def clerk_at(tix, **event: object) -> str:
    """Olga's event; Clara signed in at the counter. Returns the standing type's id."""
    event_id = an_event(tix.runtime, organizer(tix.runtime), **event)
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, event_id, "clara@example.com")
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    return tix.runtime.catalog.show(event_id).ticket_types[0].id


def test_cash_short_of_the_total_is_said_in_money(tix):
    standing = clerk_at(tix)
    short = tix("buy", standing, "--quantity", "3", "--pay", "cash", "--tendered", "100")
    assert short.exit_code == 2
    assert "cash: 135.00 EUR due, 100.00 EUR tendered" in short.stderr
    assert "minor units" not in short.stderr


def test_cash_without_tendered_is_exact_change(tix):
    standing = clerk_at(tix)
    sold = tix("buy", standing, "--quantity", "2", "--pay", "cash", "--json")
    assert sold.exit_code == 0, sold.stderr
    assert (sold.json()["total"], sold.json()["change"]) == (9000, 0)
    held = tix("hold", standing, "--quantity", "1", "--json").json()
    paid = tix("checkout", held["id"], "--pay", "cash", "--json")
    assert paid.exit_code == 0 and paid.json()["change"] == 0


def test_a_counter_sale_has_its_tickets_when_the_command_returns(tix, tmp_path):
    """No daemon runs in this test."""
    standing = clerk_at(tix)
    sold = tix("buy", standing, "--quantity", "2", "--pay", "cash", "--holder", "Ann A",
               "--holder", "Bob B", "--json")
    number = sold.json()["number"]
    assert [t["holder"] for t in sold.json()["tickets"]] == ["Ann A", "Bob B"]
    shown = tix("order", "show", number, "--json").json()
    assert [t["number"] for t in shown["tickets"]] == [
        t["number"] for t in sold.json()["tickets"]]
    assert len(tix("ticket", "list", "--json").json()) == 2
    pdf = tix("order", "pdf", number, "-o", str(tmp_path / "o.pdf"))
    assert pdf.exit_code == 0, pdf.stderr
    assert (tmp_path / "o.pdf").read_bytes().startswith(b"%PDF")
    held = tix("hold", standing, "--quantity", "1", "--json").json()
    paid = tix("checkout", held["id"], "--pay", "cash", "--json").json()
    assert len(paid["tickets"]) == 1


def test_a_counter_sale_mails_its_tickets_once_when_the_daemon_runs(tix, mailer):
    """To the walk-in's address (issue 20: never to the clerk)."""
    from tests.support import deliver

    standing = clerk_at(tix)
    tix("buy", standing, "--quantity", "2", "--pay", "cash", "--email", "wal@example.com")
    deliver(tix.runtime)
    deliver(tix.runtime)
    tickets_mails = [m for m in mailer.sent if "Your tickets" in m.subject]
    assert len(tickets_mails) == 1 and tickets_mails[0].to == "wal@example.com"
    assert len(tix("ticket", "list", "--json").json()) == 2  # the daemon added none


def test_a_cancellation_says_the_refund_its_share_and_why(tix):
    standing = clerk_at(tix, days=5)  # inside the default policy's 50 % window
    number = tix("buy", standing, "--quantity", "2", "--pay", "cash", "--json").json()[
        "number"]
    done = tix("order", "cancel", number, "--yes")
    assert done.exit_code == 0, done.stderr
    assert ("refunded 45.00 EUR of 90.00 EUR (50 %: less than 7 days before the start)"
            in done.stderr), done.stderr
    as_json = tix("order", "show", number, "--json").json()
    assert as_json["refunded"] == 4500  # JSON keeps integers


def test_cancel_shows_the_refund_and_refuses_without_a_terminal(tix):
    standing = clerk_at(tix, days=20)
    number = tix("buy", standing, "--pay", "cash", "--json").json()["number"]
    asked = tix("order", "cancel", number)  # a script: no terminal, no --yes
    assert asked.exit_code == 2
    assert "nothing cancelled" in asked.stderr and "45.00 EUR of 45.00 EUR" in asked.stderr
    assert "100 %: 7 days or more before the start" in asked.stderr
    assert "Aborted" not in asked.stderr + asked.stdout
    assert tix("order", "show", number, "--json").json()["status"] == "COMPLETED"
    missing = tix("order", "cancel", "TIX-NOPE-00")  # checked before anything is asked
    assert missing.exit_code == 4
    weird = tix("order", "cancel", "TIX-\x1b[2J")
    assert weird.exit_code == 4 and "\x1b" not in weird.stderr


def test_cancelling_a_free_order_says_there_is_nothing_to_refund(tix):
    event_id = an_event(tix.runtime, organizer(tix.runtime), ticket_types=[
        {"name": "Open day", "price": "0.00", "quantity": 10}])
    logged_in(tix.runtime, "fay@example.com")
    assert tix.login("fay@example.com", PASSWORD).exit_code == 0
    free = tix.runtime.catalog.show(event_id).ticket_types[0].id
    number = tix("buy", free, "--quantity", "2", "--pay", "free", "--json").json()["number"]
    asked = tix("order", "cancel", number)  # no terminal: says what it would do
    assert asked.exit_code == 2 and f"nothing cancelled: {number} was free: cancelling it " \
        "refunds nothing" in asked.stderr, asked.stderr
    done = tix("order", "cancel", number, "--yes")
    assert done.exit_code == 0, done.stderr
    assert f"Cancelled {number}; it was free: nothing to refund." in done.stderr
    assert "0.00 EUR" not in asked.stderr + done.stderr


def test_demo_reset_without_a_terminal_says_so(tix):
    tix("demo")
    refused = tix("demo", "--reset")
    assert refused.exit_code == 2 and "no terminal" in refused.stderr
    assert "Aborted" not in refused.stderr


def test_too_late_to_cancel_still_says_the_policy(tix):
    standing = clerk_at(tix, days=1)
    number = tix("buy", standing, "--pay", "cash", "--json").json()["number"]
    late = tix("order", "cancel", number, "--yes")  # tomorrow: the policy refunds nothing
    assert late.exit_code == 5 and "too late to cancel" in late.stderr
    assert "50% up to 2 days before" in late.stderr
