"""A ticket as a PDF (reportlab, the QR code as vectors) and as a calendar entry (.ics)."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from tix.core.tickets.model import TicketDocument


def ticket_pdf(ticket: TicketDocument) -> bytes:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)  # byte-stable output
    height = A4[1]
    local = ticket.starts_at.astimezone(ZoneInfo(ticket.timezone))
    page.setFont("Helvetica-Bold", 22)
    page.drawString(20 * mm, height - 30 * mm, ticket.event_name[:60])
    page.setFont("Helvetica", 13)
    lines = [f"{local:%A %d %B %Y, %H:%M} ({ticket.timezone})",
             ", ".join(p for p in (ticket.venue, ticket.address, ticket.city) if p),
             "", f"Holder: {ticket.holder}", f"Ticket: {ticket.ticket_type}, {ticket.price}",
             f"Number: {ticket.number}", f"Order: {ticket.order_number}"]
    for index, line in enumerate(lines):
        page.drawString(20 * mm, height - (45 + 8 * index) * mm, line)
    size = 90 * mm  # large enough to scan from paper or a phone
    widget = QrCodeWidget(ticket.qr_payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, 20 * mm, height - 115 * mm - size)
    page.setFont("Helvetica", 9)
    page.drawString(20 * mm, 15 * mm, "tix — show this code at the door. It admits once.")
    page.showPage()
    page.save()
    return buffer.getvalue()


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
    entry.add("dtstamp", ticket.starts_at)
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
