"""The mails people get about their orders and events, rendered from the templates."""

import mailbox

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.core.orders.model import Tender
from tix.core.principal import Role


def sell(runtime, days=30):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, days=days, timezone="Europe/Berlin")
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH,
                               holders=["Ann A", "Bob B"], tendered=9000)
    return owner, event_id, clerk, order


def test_the_receipt_has_number_lines_holders_total_and_reference(runtime, mailer):
    _, _, _, order = sell(runtime)
    deliver(runtime)
    [receipt] = [m for m in mailer.to("clara@example.com") if m.subject.startswith("Receipt")]
    assert receipt.subject == f"Receipt for order {order.number}: Nils Frahm live"
    for expected in (order.number, "2 x Standing at 45.00 EUR", "Total      90.00 EUR",
                     f"cash-{order.number}", "- Ann A", "- Bob B", "(Europe/Berlin)"):
        assert expected in receipt.text, expected
    assert "<b>90.00 EUR</b>" in receipt.html


def test_a_cancellation_says_what_is_refunded(runtime, mailer):
    _, _, clerk, order = sell(runtime, days=5)
    runtime.orders.cancel(clerk, order.number)
    deliver(runtime)
    [mail] = [m for m in mailer.to("clara@example.com") if "is cancelled" in m.subject]
    assert mail.subject == f"Order {order.number} is cancelled"
    assert "We refund 45.00 EUR the way you paid." in mail.text


def test_holders_hear_of_a_new_venue_once_each(runtime, mailer):
    owner, event_id, clerk, _ = sell(runtime)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    runtime.catalog.update(owner, event_id, {"venue": "Tempodrom",
                                             "starts": "2027-06-01T21:00",
                                             "ends": "2027-06-01T23:30"})
    deliver(runtime)
    deliver(runtime)
    [changed] = [m for m in mailer.to("clara@example.com") if "has changed" in m.subject]
    assert "Venue: Funkhaus -> Tempodrom" in changed.text
    assert "Tue 1 Jun 2027, 21:00 (Europe/Berlin)" in changed.text
    assert mailer.to("olga@example.com") == []  # the organizer holds no tickets


def test_holders_hear_of_a_cancelled_event_and_of_each_refund(runtime, mailer):
    owner, event_id, _, order = sell(runtime)
    runtime.catalog.cancel(owner, event_id, "storm warning")
    deliver(runtime)
    subjects = [m.subject for m in mailer.to("clara@example.com")]
    assert "Nils Frahm live is cancelled: you get your money back" in subjects
    assert f"Order {order.number} is cancelled" in subjects


def test_mail_on_the_embedded_default_lands_in_the_maildir(make_runtime, database):
    runtime = make_runtime(database, real_mail=True)
    logged_in(runtime)
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    [message] = list(mailbox.Maildir(runtime.settings.mail_dir))
    assert message["Subject"] == "Reset your tix password"
    assert {p.get_content_type() for p in message.walk()} >= {"text/plain", "text/html"}
    assert PASSWORD not in message.as_string()
