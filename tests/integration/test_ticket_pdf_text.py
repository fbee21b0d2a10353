"""Ticket PDFs print every script a name comes in (embedded fonts, read back through the
PDF's text layer with pdftotext), a voided ticket says VOID, and the .ics is stamped when
it is made."""

import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from PIL import Image
from pyzbar.pyzbar import decode

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import PASSWORD, deliver, logged_in
from tix.adapters.render.documents import VOID_NOTE, ticket_ics, ticket_pdf, tickets_pdf
from tix.adapters.render.fonts import REPLACEMENT, fit, runs, text_width
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.core.tickets.model import TicketDocument, TicketStatus

NAMES = ["Antonín Dvořák", "Łukasiewicz Żółć", "Αλέξανδρος Παπαδόπουλος",
         "Пётр Ильич Чайковский", "山田 太郎", "すずき", "王小明", "김민준", "Ann 李"]
PAYLOAD = "TIX1.0123456789abcdef0123456789abcdef.12." + "s" * 86


def document(holder: str = "Ann A", event_name: str = "Nils Frahm live",
             status: TicketStatus = TicketStatus.VALID) -> TicketDocument:
    start = datetime(2027, 3, 1, 19, 0, tzinfo=UTC)
    return TicketDocument(
        ticket_id="0" * 32, number="E12-000123", holder=holder, ticket_type="Standing",
        price="€45.00", order_number="TIX-7K4M-Q2", qr_payload=PAYLOAD, event_name=event_name,
        starts_at=start, ends_at=start + timedelta(hours=3), timezone="Europe/Prague",
        venue="Rudolfinum", address="Alšovo nábřeží 12", city="Praha", status=status)


def text_of(pdf: bytes, tmp_path) -> list[str]:
    (tmp_path / "t.pdf").write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "t.pdf"), "-"],
                          check=True, capture_output=True, text=True)
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def qr_codes(pdf: bytes, tmp_path) -> list[str]:
    (tmp_path / "q.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(tmp_path / "q.pdf"),
                    str(tmp_path / "page")], check=True)
    return [code.data.decode() for page in sorted(tmp_path.glob("page-*.png"))
            for code in decode(Image.open(page))]


@pytest.mark.parametrize("name", NAMES)
def test_a_name_in_any_script_prints_as_holder_and_as_event_name(name, tmp_path):
    pdf = ticket_pdf(document(holder=name, event_name=f"{name} live"))
    lines = text_of(pdf, tmp_path)
    assert lines[0] == f"{name} live"
    assert f"Holder: {name}" in lines
    assert REPLACEMENT not in "".join(lines)
    assert qr_codes(pdf, tmp_path) == [PAYLOAD]


def test_an_order_of_holders_in_every_script_prints_each_page_right(tmp_path):
    pdf = tickets_pdf([document(holder=name, event_name="Dvořák · 山田 · Чайковский")
                       for name in NAMES])
    lines = text_of(pdf, tmp_path)
    assert [line for line in lines if line.startswith("Holder: ")] == [
        f"Holder: {name}" for name in NAMES]
    assert lines.count("Dvořák · 山田 · Чайковский") == len(NAMES)
    assert qr_codes(pdf, tmp_path) == [PAYLOAD] * len(NAMES)


def test_a_character_the_main_font_lacks_is_drawn_by_the_cjk_font():
    assert runs("Ann 李") == [("TixSans", "Ann "), ("TixCJK", "李")]
    assert runs("김 Kim") == [("TixHangul", "김"), ("TixSans", " Kim")]


def test_an_emoji_prints_in_monochrome_or_as_a_visible_replacement(tmp_path):
    pdf = ticket_pdf(document(holder="Ann 😀 👍🏽 🎉"))
    assert "Holder: Ann 😀 � �" in text_of(pdf, tmp_path)  # 🏽 goes with its 👍
    assert qr_codes(pdf, tmp_path) == [PAYLOAD]


def test_a_long_event_name_is_made_smaller_then_cut_to_fit_the_page(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    name = "東京交響楽団 " * 20
    width = A4[0] - 40 * mm  # the page's margins
    title, size = fit(name, size=22, smallest=12, width=width, bold=True)
    assert size == 12 and title.endswith("…") and name.startswith(title[:-1])
    assert text_width(title, size=size, bold=True) <= width
    assert text_of(ticket_pdf(document(event_name=name)), tmp_path)[0] == title


def test_the_same_ticket_renders_to_the_same_bytes():
    assert ticket_pdf(document(holder="山田 太郎")) == ticket_pdf(document(holder="山田 太郎"))


def test_a_voided_ticket_prints_void_across_the_page(tmp_path):
    voided = text_of(ticket_pdf(document(status=TicketStatus.VOIDED)), tmp_path)
    assert VOID_NOTE in voided
    assert "tix — show this code at the door. It admits once." not in voided
    valid = text_of(ticket_pdf(document()), tmp_path)
    assert not any("VOID" in line for line in valid)
    assert "tix — show this code at the door. It admits once." in valid


def test_the_calendar_file_is_stamped_when_it_is_made():
    before = datetime.now(UTC).replace(microsecond=0)
    [entry] = Calendar.from_ical(ticket_ics(document())).walk("VEVENT")
    after = datetime.now(UTC)
    stamp = entry.decoded("dtstamp")
    assert stamp.tzinfo is not None and before <= stamp <= after


def sold_to(runtime, holders, event_name):
    event_id = an_event(runtime, organizer(runtime), name=event_name)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, len(holders), tender=Tender.CASH,
                               holders=holders, tendered=len(holders) * 4500)
    deliver(runtime)
    return clerk, order


def test_the_order_pdf_and_the_mailed_pdf_print_holders_in_their_scripts(runtime, mailer,
                                                                          tmp_path):
    from tests.cli.conftest import Tix

    holders = ["Antonín Dvořák", "Αλέξανδρος Παπαδόπουλος", "山田 太郎", "王小明"]
    clerk, order = sold_to(runtime, holders, "Пётр Ильич Чайковский: すずき")
    tix = Tix(runtime)
    tix.login("clara@example.com", PASSWORD)
    result = tix("order", "pdf", order.number, "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 0, result.output
    lines = text_of((tmp_path / "o.pdf").read_bytes(), tmp_path)
    assert sorted(line for line in lines if line.startswith("Holder: ")) == sorted(
        f"Holder: {name}" for name in holders)
    assert lines.count("Пётр Ильич Чайковский: すずき") == len(holders)
    tickets = {t.number: t for t in runtime.tickets.mine(clerk)}
    [mail] = [m for m in mailer.to("clara@example.com") if m.attachments]
    for attachment in (a for a in mail.attachments if a.filename.endswith(".pdf")):
        ticket = tickets[attachment.filename.removesuffix(".pdf")]
        assert f"Holder: {ticket.holder}" in text_of(attachment.data, tmp_path)


def test_tix_ticket_pdf_of_a_voided_ticket_says_void(runtime, mailer, tmp_path):
    from tests.cli.conftest import Tix

    clerk, order = sold_to(runtime, ["Ann A"], "Nils Frahm live")
    runtime.orders.cancel(clerk, order.number)
    deliver(runtime)
    [ticket] = runtime.tickets.mine(clerk)
    assert ticket.status is TicketStatus.VOIDED
    tix = Tix(runtime)
    tix.login("clara@example.com", PASSWORD)
    result = tix("ticket", "pdf", ticket.number, "-o", str(tmp_path / "v.pdf"))
    assert result.exit_code == 0, result.output
    assert VOID_NOTE in text_of((tmp_path / "v.pdf").read_bytes(), tmp_path)
