"""The counter (issue 20): a clerk's cash sale is the walk-in's — mailed to the address
given, or to nobody — and goes into the clerk's till; the till's close counts the
drawer against its sales and refunds, into the audit chain; after the shift only the
event's organizer undoes a sale. On SQLite and PostgreSQL."""

from __future__ import annotations

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.core.principal import Role


def clerk_at(tix, **event: object) -> str:
    """Olga's event (45.00 EUR a standing ticket); Clara signed in at the counter."""
    event_id = an_event(tix.runtime, organizer(tix.runtime), **event)
    clerk = logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(tix.runtime, clerk)  # sells for the events there are
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    return tix.runtime.catalog.show(event_id).ticket_types[0].id


def test_a_walk_ins_receipt_and_tickets_go_to_their_address_and_none_to_the_clerk(
        tix, mailer):
    standing = clerk_at(tix)
    sold = tix("buy", standing, "--quantity", "2", "--pay", "cash", "--email",
               "walt@example.com", "--buyer-name", "Walt Walker", "--holder", "Wanda W",
               "--json")
    assert sold.exit_code == 0, sold.stderr
    assert "mailed to walt@example.com" in sold.stderr
    assert [t["holder"] for t in sold.json()["tickets"]] == ["Wanda W", "Walt Walker"]
    deliver(tix.runtime)
    to_walt = {m.subject for m in mailer.to("walt@example.com")}
    assert any("Your tickets" in subject for subject in to_walt), to_walt
    assert len(to_walt) >= 2  # the receipt too
    assert mailer.to("clara@example.com") == []
    cancelled = tix("order", "cancel", sold.json()["number"], "--yes")  # till-less clerk
    assert cancelled.exit_code == 0, cancelled.stderr
    deliver(tix.runtime)
    assert mailer.to("clara@example.com") == []  # nor the cancellation


def test_a_walk_in_without_email_is_mailed_nothing_and_the_clerk_prints(tix, mailer,
                                                                         tmp_path):
    standing = clerk_at(tix)
    sold = tix("buy", standing, "--quantity", "2", "--pay", "cash", "--json")
    assert sold.exit_code == 0, sold.stderr
    assert "nothing is mailed" in sold.stderr
    tickets = sold.json()["tickets"]
    assert [t["holder"] for t in tickets] == ["", ""]  # not the clerk's name
    deliver(tix.runtime)
    assert [m.to for m in mailer.sent if "Your tickets" in m.subject] == []
    assert mailer.to("clara@example.com") == []
    pdf = tix("ticket", "pdf", tickets[0]["number"], "-o", str(tmp_path / "t.pdf"))
    assert pdf.exit_code == 0, pdf.stderr
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")
    listed = tix("ticket", "list", "--json").json()
    assert sorted(t["number"] for t in listed) == sorted(t["number"] for t in tickets)


def test_a_clerk_checks_out_a_hold_for_a_walk_in(tix, mailer):
    standing = clerk_at(tix)
    held = tix("hold", standing, "--quantity", "1", "--json").json()
    paid = tix("checkout", held["id"], "--pay", "cash", "--email", "vic@example.com",
               "--buyer-name", "Vic Visitor", "--json")
    assert paid.exit_code == 0, paid.stderr
    assert [t["holder"] for t in paid.json()["tickets"]] == ["Vic Visitor"]
    deliver(tix.runtime)
    assert mailer.to("vic@example.com") and mailer.to("clara@example.com") == []


def test_a_customer_buys_only_for_themselves(tix):
    event_id = an_event(tix.runtime, organizer(tix.runtime))
    standing = tix.runtime.catalog.show(event_id).ticket_types[0].id
    logged_in(tix.runtime)
    assert tix.login("ann@example.com", PASSWORD).exit_code == 0
    for option in (["--email", "bob@example.com"], ["--buyer-name", "Bob"]):
        refused = tix("buy", standing, "--pay", "card", *option)
        assert refused.exit_code == 3, refused.stderr
        assert "only counter staff" in refused.stderr
    assert tix("order", "list", "--json").json() == []


def test_the_till_counts_the_shift_and_signs_its_report(tix):
    standing = clerk_at(tix, days=20)  # cancelled in full
    opened = tix("till", "open", "--float", "100.00", "--box-office", "North", "--json")
    assert opened.exit_code == 0, opened.stderr
    assert (opened.json()["float"], opened.json()["box_office"]) == (10000, "North")
    assert tix("buy", standing, "--quantity", "2", "--pay", "cash", "--tendered",
               "100").exit_code == 0
    one = tix("buy", standing, "--pay", "cash", "--json").json()["number"]
    assert tix("order", "cancel", one, "--yes").exit_code == 0  # the shift is on
    status = tix("till", "status", "--json").json()
    assert (status["status"], status["sales"], status["cash_in"], status["refunds"],
            status["expected"]) == ("open", 2, 13500, 4500, 19000)
    shown = tix("till", "status")
    assert "Expected" in shown.stdout and "190.00 EUR" in shown.stdout
    closed = tix("till", "close", "--counted", "189.50", "--json")
    assert closed.exit_code == 0, closed.stderr
    report = closed.json()
    assert (report["status"], report["expected"], report["counted"],
            report["difference"]) == ("closed", 19000, 18950, -50)
    entry = next(e for e in tix.runtime.audit.newest() if e.action == "till.closed")
    assert entry.subject == f"till:{report['id']}"
    assert (entry.details["sales"], entry.details["cash_in"], entry.details["refunds"],
            entry.details["expected"], entry.details["counted"],
            entry.details["difference"]) == ("2", "13500", "4500", "19000", "18950", "-50")
    tix.runtime.audit.seal()
    assert tix.runtime.audit.verify().intact


def test_after_the_shift_only_the_organizer_cancels_and_cash_waits_for_a_till(tix):
    standing = clerk_at(tix, days=20)
    assert tix("till", "open", "--float", "50").exit_code == 0
    number = tix("buy", standing, "--pay", "cash", "--json").json()["number"]
    assert tix("till", "close", "--counted", "95.00").exit_code == 0
    refused = tix("order", "cancel", number, "--yes")
    assert refused.exit_code == 3 and "ask the event's organizer" in refused.stderr
    assert tix("order", "show", number, "--json").json()["status"] == "COMPLETED"
    no_till = tix("buy", standing, "--pay", "cash")
    assert no_till.exit_code == 5 and "open the till first: tix till open" in no_till.stderr
    assert len(tix("order", "list", "--json").json()) == 1  # nothing sold
    assert tix("till", "open").exit_code == 0  # the next shift sells again
    assert tix("buy", standing, "--pay", "cash").exit_code == 0
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0
    done = tix("order", "cancel", number, "--yes")
    assert done.exit_code == 0, done.stderr


def test_the_till_refuses_bad_input_and_others(tix):
    clerk_at(tix)
    assert tix("till", "status").exit_code == 5
    none_open = tix("till", "close", "--counted", "10.00")
    assert none_open.exit_code == 5 and "no till is open" in none_open.stderr
    for bad in ("abc", "-5", "nan", ""):  # whatever the till's state
        assert tix("till", "close", "--counted", bad).exit_code == 2, bad
    assert tix("till", "open", "--float", "ten").exit_code == 2
    assert tix("till", "open", "--box-office", " ").exit_code == 2
    assert tix("till", "open", "--currency", "XYZ").exit_code == 2
    mine = tix("till", "open", "--float", "20", "--json").json()["id"]
    twice = tix("till", "open")
    assert twice.exit_code == 5 and "close it first" in twice.stderr
    bad_count = tix("till", "close", "--counted", "12.345")
    assert bad_count.exit_code == 2 and "counted" in bad_count.stderr
    clerk = logged_in(tix.runtime, "carl@example.com", role=Role.CLERK, name="Carl Clerk")
    on_every_team(tix.runtime, clerk)  # sells for the events there are
    assert tix.login("carl@example.com", PASSWORD).exit_code == 0
    theirs = tix("till", "close", "--till", mine, "--counted", "20.00")
    assert theirs.exit_code == 3 and "another clerk's till" in theirs.stderr
    assert tix("till", "close", "--till", "0" * 8 + "-0000-0000-0000-" + "0" * 12,
               "--counted", "1").exit_code == 4
    logged_in(tix.runtime, "ann@example.com")
    assert tix.login("ann@example.com", PASSWORD).exit_code == 0
    assert tix("till", "open").exit_code == 3
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    assert tix("till", "status", "--json").json()["id"] == mine  # untouched by the others
    assert tix("till", "close", "--counted", "20").exit_code == 0
    closed_again = tix("till", "close", "--till", mine, "--counted", "20")
    assert closed_again.exit_code == 5 and "closed" in closed_again.stderr
