"""A ticket as a PDF (reportlab) and as a calendar entry (.ics)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tix.core.tickets.model import TicketDocument, TicketStatus

VOID_NOTE = "VOID: this ticket's order was cancelled. It will not admit."

if TYPE_CHECKING:
    from PIL.Image import Image
    from reportlab.pdfgen.canvas import Canvas


def qr_image(payload: str) -> Image:
    """The QR code (error correction M), a grey-scale pixel per module, no quiet zone.

    zxing-cpp encodes in C++ with the best mask in 0.3 ms; the pure-Python encoders take
    1.3 ms with a fixed mask and 6 ms choosing it, which was most of a ticket's cost.
    """
    import zxingcpp
    from PIL import Image

    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = bytes(code.to_image(scale=1, add_quiet_zones=False))  # type: ignore[call-overload]
    side = math.isqrt(len(pixels))  # square, a byte per module
    return Image.frombytes("L", (side, side), pixels)


def ticket_pdf(ticket: TicketDocument) -> bytes:
    return tickets_pdf([ticket])


def tickets_pdf(tickets: Sequence[TicketDocument]) -> bytes:
    """One page per ticket (a whole order prints as one file)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tix.adapters.render.fonts import REGULAR, covered

    covered(REGULAR)  # registered, and the page starts in it: no unused Helvetica
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1,  # byte-stable output
                         initialFontName=REGULAR)
    for ticket in tickets:
        _draw_ticket(page, ticket)
        page.showPage()
    page.save()
    return buffer.getvalue()


def _draw_ticket(page: Canvas, ticket: TicketDocument) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    from tix.adapters.render.fonts import draw_text, fit

    height = A4[1]
    width = A4[0] - 40 * mm
    local = ticket.starts_at.astimezone(ZoneInfo(ticket.timezone))
    title, size = fit(ticket.event_name, size=22, smallest=12, width=width, bold=True)
    draw_text(page, 20 * mm, height - 30 * mm, title, size=size, bold=True)
    lines = [f"{local:%A %d %B %Y, %H:%M} ({ticket.timezone})",
             ", ".join(p for p in (ticket.venue, ticket.address, ticket.city) if p),
             "", f"Holder: {ticket.holder}", f"Ticket: {ticket.ticket_type}, {ticket.price}",
             f"Number: {ticket.number}", f"Order: {ticket.order_number}"]
    for index, line in enumerate(lines):
        text, size = fit(line, size=13, smallest=9, width=width)
        draw_text(page, 20 * mm, height - (45 + 8 * index) * mm, text, size=size)
    _draw_qr(page, ticket.qr_payload, x=20 * mm, y=height - 115 * mm, size=90 * mm)
    if ticket.status is TicketStatus.VOIDED:
        _mark_void(page, centre=(65 * mm, height - 160 * mm))
    else:
        draw_text(page, 20 * mm, 15 * mm, "tix — show this code at the door. It admits once.",
                  size=9)


def _mark_void(page: Canvas, *, centre: tuple[float, float]) -> None:
    """VOID in large letters across the QR code, and why at the foot of the page: a voided
    ticket printed again cannot pass for a valid one."""
    from reportlab.lib.units import mm

    from tix.adapters.render.fonts import draw_text, text_width

    page.saveState()
    # opaque: bold is a fill and a stroke, which transparency would show as an outline
    page.setFillColorRGB(0.75, 0, 0.1)
    page.setStrokeColorRGB(0.75, 0, 0.1)
    draw_text(page, 20 * mm, 15 * mm, VOID_NOTE, size=11, bold=True)
    page.translate(*centre)
    page.rotate(50)
    draw_text(page, -text_width("VOID", size=140, bold=True) / 2, -48, "VOID", size=140,
              bold=True)
    page.restoreState()


def _draw_qr(page: Canvas, payload: str, *, x: float, y: float, size: float) -> None:
    """(x, y) is the top left corner; 90 mm is large enough to scan from paper or a phone.

    A pixel per module, scaled up by the viewer: a quarter of the time of drawing each
    run of modules as a rectangle.
    """
    page.drawInlineImage(qr_image(payload), x, y - size, size, size)


def ticket_ics(ticket: TicketDocument) -> bytes:
    from icalendar import Alarm, Calendar, Event

    zone = ZoneInfo(ticket.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//tix//tickets//EN")
    calendar.add("version", "2.0")
    entry = Event()
    entry.add("uid", f"{ticket.ticket_id}@tix")  # stable: a resent file updates, not adds
    entry.add("summary", ticket.event_name)
    entry.add("dtstart", ticket.starts_at.astimezone(zone))
    entry.add("dtend", ticket.ends_at.astimezone(zone))
    # when this file was made (RFC 5545): a calendar compares it to tell a newer copy
    entry.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    entry.add("location", ", ".join(p for p in (ticket.venue, ticket.address, ticket.city)
                                    if p))
    entry.add("description", f"Ticket {ticket.number} ({ticket.ticket_type}) for "
                             f"{ticket.holder}, order {ticket.order_number}.")
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", f"{ticket.event_name} starts in 3 hours")
    reminder.add("trigger", timedelta(hours=-3))
    entry.add_component(reminder)
    calendar.add_component(entry)
    calendar.add_missing_timezones(first_date=ticket.starts_at.date(),
                                   last_date=ticket.ends_at.date() + timedelta(days=1))
    return bytes(calendar.to_ical())
