"""The event's organizer (or an admin) changes one ticket: voids it (the door refuses it,
its seat is on sale again), renames its holder, transfers it to another person (the old
code stops admitting, a new ticket is mailed to the new holder), resends an order's."""

from __future__ import annotations

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.core.orders.model import Tender
from tix.core.principal import Role


def sold(tix, quantity: int = 2) -> dict:
    """Olga's event; Clara sold `quantity` Standing tickets for cash (she is the buyer);
    then Olga signs in. Returns the order's JSON, tickets issued."""
    event_id = an_event(tix.runtime, organizer(tix.runtime))
    standing = tix.runtime.catalog.show(event_id).ticket_types[0].id
    clara = logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(tix.runtime, clara)  # sells for the events there are
    order = tix.runtime.orders.buy(clara, standing, quantity, tender=Tender.CASH,
                                   tendered=4500 * quantity, holders=["Ann A", "Bob B"])
    deliver(tix.runtime)
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0
    return tix("order", "show", order.number, "--json").json()


def available(tix, ticket_type_id: str) -> int:
    with tix.runtime.uow(readonly=True) as uow:
        return uow.stock.levels([ticket_type_id])[ticket_type_id].available


def test_a_voided_ticket_admits_nobody_and_its_seat_is_on_sale_again(tix):
    order = sold(tix)
    ticket, other = order["tickets"]
    standing = order["lines"][0]["ticket_type_id"]
    before = available(tix, standing)
    voided = tix("ticket", "void", ticket["number"], "--reason", "duplicate", "--json")
    assert voided.exit_code == 0, voided.stderr
    assert (voided.json()["number"], voided.json()["status"]) == (ticket["number"], "VOIDED")
    assert available(tix, standing) == before + 1
    refused = tix("checkin", ticket["qr_payload"], "--json")
    assert refused.exit_code == 5 and refused.json()["code"] == "voided"
    assert tix("checkin", other["qr_payload"]).exit_code == 0
    again = tix("ticket", "void", ticket["number"])
    assert again.exit_code == 5 and f"ticket {ticket['number']} is voided" in again.stderr
    shown = tix("order", "show", order["number"], "--json").json()
    assert shown["status"] == "COMPLETED" and shown["refunded"] == 0  # nothing refunded


def test_renaming_a_holder_keeps_the_code(tix):
    order = sold(tix)
    ticket = order["tickets"][0]
    renamed = tix("ticket", "rename", ticket["number"], "--holder", "  Ann   Other ", "--json")
    assert renamed.exit_code == 0, renamed.stderr
    assert renamed.json()["holder"] == "Ann Other"
    assert renamed.json()["qr_payload"] == ticket["qr_payload"]
    assert tix("ticket", "show", ticket["number"], "--json").json()["holder"] == "Ann Other"
    assert tix("ticket", "rename", ticket["number"], "--holder", " ").exit_code == 2
    assert tix("ticket", "rename", ticket["number"], "--holder", "x" * 201).exit_code == 2
    assert tix("ticket", "rename", "E999-000001", "--holder", "X").exit_code == 4
    # the buyer may rename their own ticket too
    tix("logout")
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    assert tix("ticket", "rename", ticket["number"], "--holder", "Ann A").exit_code == 0


def test_a_transfer_voids_the_old_code_and_mails_a_new_ticket(tix, mailer):
    order = sold(tix)
    ticket = order["tickets"][0]
    moved = tix("ticket", "transfer", ticket["number"], "--to", "Dora@Example.com",
                "--holder", "Dora D", "--json")
    assert moved.exit_code == 0, moved.stderr
    new = moved.json()
    assert new["replaces"] == ticket["number"] and new["holder"] == "Dora D"
    assert new["number"] != ticket["number"] and new["qr_payload"] != ticket["qr_payload"]
    assert new["status"] == "VALID"
    assert tix("checkin", ticket["qr_payload"]).exit_code == 5  # the old code is dead
    assert tix("checkin", new["qr_payload"]).exit_code == 0  # the new one admits
    shown = tix("order", "show", order["number"], "--json").json()
    assert [(t["number"], t["status"]) for t in shown["tickets"]] == [
        (ticket["number"], "VOIDED"), (order["tickets"][1]["number"], "VALID"),
        (new["number"], "USED")]
    deliver(tix.runtime)
    [mail] = [m for m in mailer.sent if m.to == "dora@example.com"]
    assert new["number"] in mail.subject and "Dora D" in mail.text
    assert sorted(a.filename.rsplit(".", 1)[1] for a in mail.attachments) == ["ics", "pdf"]
    again = tix("ticket", "transfer", ticket["number"], "--to", "eve@example.com")
    assert again.exit_code == 5  # a voided ticket is not given twice


def test_a_transfer_refuses_a_bad_address_and_changes_nothing(tix):
    order = sold(tix)
    ticket = order["tickets"][0]
    bad = tix("ticket", "transfer", ticket["number"], "--to", "not-an-address")
    assert bad.exit_code == 2 and "'not-an-address' is not an email address" in bad.stderr
    shown = tix("order", "show", order["number"], "--json").json()
    assert [t["status"] for t in shown["tickets"]] == ["VALID", "VALID"]


def test_order_transfer_renames_without_an_address_and_transfers_with_one(tix, mailer):
    order = sold(tix)
    first, second = order["tickets"]
    renamed = tix("order", "transfer", first["number"], "--holder", "Ann Other", "--json")
    assert renamed.exit_code == 0, renamed.stderr
    assert (renamed.json()["holder"], renamed.json()["qr_payload"]) == (
        "Ann Other", first["qr_payload"])  # the code stays
    moved = tix("order", "transfer", second["number"], "--holder", "Dora D",
                "--email", "dora@example.com", "--json")
    assert moved.exit_code == 0, moved.stderr
    assert moved.json()["replaces"] == second["number"] and moved.json()["holder"] == "Dora D"
    deliver(tix.runtime)
    assert [m.to for m in mailer.sent if moved.json()["number"] in m.subject] == [
        "dora@example.com"]
    assert tix("order", "transfer", first["number"]).exit_code == 2  # --holder is needed
    bad = tix("order", "transfer", first["number"], "--holder", "X", "--email", "nope")
    assert bad.exit_code == 2 and "is not an email address" in bad.stderr
    assert tix("order", "transfer", "E999-000001", "--holder", "X").exit_code == 4


def test_the_organizer_resends_an_orders_tickets_to_its_buyer(tix, mailer):
    order = sold(tix)
    mailer.sent.clear()
    resent = tix("ticket", "resend", order["number"], "--json")
    assert resent.exit_code == 0, resent.stderr
    assert resent.json()["tickets"] == 2
    deliver(tix.runtime)
    assert [m.to for m in mailer.sent if "Your tickets" in m.subject] == ["clara@example.com"]


def test_who_may_change_a_ticket(tix):
    order = sold(tix)
    ticket = order["tickets"][0]["number"]
    tix("logout")
    # the buyer may rename and transfer, not void; others do not see the ticket
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    refused = tix("ticket", "void", ticket)
    assert refused.exit_code == 3
    assert "only the event's organizer or an admin may void a ticket" in refused.stderr
    organizer(tix.runtime, "oscar@example.com")
    logged_in(tix.runtime, "sam@example.com", name="Sam Stranger")
    for who in ("oscar@example.com", "sam@example.com"):
        assert tix.login(who, PASSWORD).exit_code == 0
        assert tix("ticket", "void", ticket).exit_code == 4
        assert tix("ticket", "rename", ticket, "--holder", "X").exit_code == 4
        assert tix("ticket", "transfer", ticket, "--to", "x@example.com").exit_code == 4
        assert tix("ticket", "resend", order["number"]).exit_code == 4
    tix("logout")
    assert tix("ticket", "void", ticket).exit_code == 3  # not signed in
    logged_in(tix.runtime, "root@example.com", role=Role.ADMIN, name="Root")
    assert tix.login("root@example.com", PASSWORD).exit_code == 0
    assert tix("ticket", "void", ticket).exit_code == 0
