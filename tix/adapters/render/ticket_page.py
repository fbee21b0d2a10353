"""The mobile ticket page (`/t/<ticket>`): the QR code, big, and what the door needs."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from tix.core.tickets.model import TicketDocument, TicketStatus


def qr_svg(payload: str) -> str:
    import zxingcpp

    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    svg: str = code.to_svg(add_quiet_zones=True)
    return svg[svg.index("<svg"):]  # inline: without the XML prologue


STATES = {TicketStatus.USED: "Already used: this ticket has been checked in.",
          TicketStatus.VOIDED: "Voided: this ticket's order was cancelled. It will not admit."}


def ticket_page(ticket: TicketDocument) -> str:
    local = ticket.starts_at.astimezone(ZoneInfo(ticket.timezone))
    state = STATES.get(ticket.status)
    banner = f'<p class="state">{escape(state)}</p>' if state else ""
    where = ", ".join(p for p in (ticket.venue, ticket.address, ticket.city) if p)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(ticket.event_name)} · {escape(ticket.number)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; padding: 1rem; text-align: center; }}
.qr svg {{ width: min(90vw, 24rem); height: auto; image-rendering: pixelated; }}
.state {{ background: #b00020; color: white; padding: .5rem; font-weight: bold; }}
h1 {{ font-size: 1.4rem; margin: .5rem 0; }} p {{ margin: .25rem 0; }}
</style></head><body>
<h1>{escape(ticket.event_name)}</h1>
<p>{local:%A %d %B %Y, %H:%M} ({escape(ticket.timezone)})</p>
<p>{escape(where)}</p>
{banner}
<div class="qr">{qr_svg(ticket.qr_payload)}</div>
<p><strong>{escape(ticket.holder)}</strong> · {escape(ticket.ticket_type)}</p>
<p>Ticket {escape(ticket.number)} · order {escape(ticket.order_number)}</p>
<p><small>Show this code at the door. It admits once.</small></p>
</body></html>
"""
