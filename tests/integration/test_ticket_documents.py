"""The tickets mail: a PDF whose QR code scans back to the payload, and a calendar entry."""

import io
import subprocess

import pytest
from icalendar import Calendar
from PIL import Image
from pyzbar.pyzbar import decode

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import deliver, logged_in
from tix.core.errors import NotFound
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.daemon import Daemon
from tix.documents import order_pdf


def test_the_buyer_gets_each_ticket_as_pdf_and_ics_and_the_qr_scans(runtime, mailer,
                                                                    tmp_path):
    event_id = an_event(runtime, organizer(runtime), timezone="Europe/Berlin")
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH,
                       holders=["Ann A", "Bob B"], tendered=9000)
    deliver(runtime)
    [mail] = [m for m in mailer.to("clara@example.com") if m.attachments]
    tickets = {t.number: t for t in runtime.tickets.mine(clerk)}
    assert sorted(a.filename for a in mail.attachments) == sorted(
        f"{n}.{kind}" for n in tickets for kind in ("pdf", "ics"))
    for number, ticket in tickets.items():
        assert f"https://tix.test/t/{ticket.id}" in mail.text
        pdf = next(a for a in mail.attachments if a.filename == f"{number}.pdf").data
        (tmp_path / "t.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "t.pdf"),
                        str(tmp_path / "page")], check=True)
        [code] = decode(Image.open(tmp_path / "page.png"))
        assert code.data.decode() == ticket.qr_payload
        ics = next(a for a in mail.attachments if a.filename == f"{number}.ics").data
        [entry] = Calendar.from_ical(ics).walk("VEVENT")
        assert str(entry["uid"]) == f"{ticket.id}@tix"
        assert entry.decoded("dtstart").tzinfo is not None
        assert number in str(entry["description"])
        assert entry.walk("VALARM")
    assert io.BytesIO(pdf).getvalue().startswith(b"%PDF")


def test_tickets_saved_and_resent_from_the_command_line(runtime, mailer, tmp_path):
    from tests.cli.conftest import Tix
    from tests.support import PASSWORD

    event_id = an_event(runtime, organizer(runtime))
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    deliver(runtime)
    tix = Tix(runtime)
    tix.login("clara@example.com", PASSWORD)
    [ticket] = runtime.tickets.mine(clerk)
    assert tix("ticket", "pdf", ticket.number, "-o", str(tmp_path / "t.pdf")).exit_code == 0
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")
    assert tix("ticket", "ics", ticket.number, "-o", str(tmp_path / "t.ics")).exit_code == 0
    assert b"BEGIN:VCALENDAR" in (tmp_path / "t.ics").read_bytes()
    assert tix("ticket", "pdf", ticket.number, "-o", "/nonexistent/dir/t.pdf").exit_code == 2
    before = len([m for m in mailer.sent if m.attachments])
    assert tix("ticket", "resend", order.number).exit_code == 0
    deliver(runtime)
    assert len([m for m in mailer.sent if m.attachments]) == before + 1
    assert tix("ticket", "resend", "TIX-NONE-00").exit_code == 4


def sell_one(runtime):
    event_id = an_event(runtime, organizer(runtime))
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, standing.id, 1, tender=Tender.CASH, tendered=4500)
    deliver(runtime)
    return runtime.tickets.mine(clerk)[0]


def test_the_tickets_mail_in_the_maildir_carries_its_files(make_runtime, database):
    import mailbox

    runtime = make_runtime(database, real_mail=True)
    ticket = sell_one(runtime)
    [message] = [m for m in mailbox.Maildir(runtime.settings.mail_dir)
                 if m["Subject"].startswith("Your tickets")]
    files = {p.get_filename(): p.get_payload(decode=True) for p in message.walk()
             if p.get_filename()}
    assert files[f"{ticket.number}.pdf"].startswith(b"%PDF")
    assert b"BEGIN:VCALENDAR" in files[f"{ticket.number}.ics"]


def test_the_tickets_mail_through_smtp_carries_its_files(make_runtime, database, smtp_server):
    url, answers = smtp_server
    runtime = make_runtime(database, real_mail=True, smtp_url=url)
    ticket = sell_one(runtime)
    [message] = [m for m in answers.received if m["Subject"].startswith("Your tickets")]
    names = {p.get_filename() for p in message.walk() if p.get_filename()}
    assert names == {f"{ticket.number}.pdf", f"{ticket.number}.ics"}


def scan_pages(pdf: bytes, tmp_path) -> list[str]:
    """Render every page (pdftoppm) and decode each page's QR code (zbar)."""
    (tmp_path / "order.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(tmp_path / "order.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    return [decode(Image.open(page))[0].data.decode() for page in pages]


def test_an_order_prints_as_one_pdf_a_page_per_valid_ticket(runtime, mailer, tmp_path):
    from tests.cli.conftest import Tix
    from tests.support import PASSWORD

    event_id = an_event(runtime, organizer(runtime))
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, 3, tender=Tender.CASH, tendered=20000)
    deliver(runtime)
    tickets = sorted(runtime.tickets.mine(clerk), key=lambda t: t.seat)
    tix = Tix(runtime)
    tix.login("clara@example.com", PASSWORD)
    result = tix("order", "pdf", order.number, "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 0, result.output
    assert scan_pages((tmp_path / "o.pdf").read_bytes(), tmp_path) == [
        t.qr_payload for t in tickets]
    assert tix("order", "pdf", "TIX-NONE-00", "-o", str(tmp_path / "x.pdf")).exit_code == 4
    other = logged_in(runtime, "pete@example.com")
    with pytest.raises(NotFound):  # someone else's order does not exist for you
        order_pdf(runtime, other, order.number)


def test_the_mail_attaches_the_tickets_still_valid_when_it_is_sent(runtime, mailer):
    event_id = an_event(runtime, organizer(runtime))
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH, tendered=9000)
    daemon = Daemon(runtime)
    while daemon.deliver_batch():  # tickets made and their mail queued, not yet sent
        pass
    runtime.orders.cancel(clerk, order.number)
    while daemon.deliver_batch():  # the cancellation voids the tickets
        pass
    deliver(runtime)
    tickets_mails = [m for m in mailer.to("clara@example.com")
                     if m.subject.startswith("Your tickets")]
    assert tickets_mails and all(not m.attachments for m in tickets_mails)


def test_a_mail_queued_with_a_file_per_ticket_still_sends_them(runtime, mailer):
    """Mails queued before the order's files were built at once name each ticket's file."""
    from tix.core.notifications.model import AttachmentRef

    ticket = sell_one(runtime)
    with runtime.uow() as uow:
        runtime.notifications.queue(
            uow, to="clara@example.com", template="password_changed", context={"name": "C"},
            attachments=[AttachmentRef("ticket_pdf", ticket.id),
                         AttachmentRef("ticket_ics", ticket.id)])
        uow.commit()
    deliver(runtime)
    [mail] = [m for m in mailer.to("clara@example.com")
              if m.attachments and not m.subject.startswith("Your tickets")]
    assert sorted(a.filename for a in mail.attachments) == [f"{ticket.number}.ics",
                                                            f"{ticket.number}.pdf"]
