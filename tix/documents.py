"""A ticket's files and page, for every face: `tix ticket pdf`, `tix order pdf`, the box
office's saved PDF, the mobile ticket at /t/<id> (the listener, and the coming web face).

The tickets service says what a ticket shows and who may see it; the renderers draw it.
Here the two meet, outside the faces, so that no face names a renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tix.core.errors import NotFound

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.principal import Principal


def ticket_file(runtime: Runtime, ticket_id: str, kind: str) -> bytes:
    """A ticket as a PDF ("pdf") or a calendar entry ("ics"), by its id (the caller has
    checked the ticket is one its user may see: `tickets.show`)."""
    return runtime.ticket_documents.file(ticket_id, kind)


def order_pdf(runtime: Runtime, principal: Principal, order_reference: str) -> bytes:
    """All of an order's valid tickets in one PDF, a page each."""
    from tix.adapters.render.documents import tickets_pdf

    return tickets_pdf(runtime.tickets.order_documents_for(principal, order_reference))


def ticket_page(runtime: Runtime, ticket_id: str) -> str:
    """The mobile ticket; its link (in the tickets mail) is the ticket's unguessable id,
    which is all it takes to open it, like the mail itself."""
    from tix.adapters.render.ticket_page import ticket_page as page
    from tix.core.ids import looks_like_uuid

    if not looks_like_uuid(ticket_id):
        raise NotFound("ticket", ticket_id)
    return page(runtime.tickets.document(ticket_id))


def ticket_qr_png(runtime: Runtime, ticket_id: str, *, module_pixels: int = 8) -> bytes:
    """A ticket's QR code as a PNG (the web shop's confirmation and My tickets), with its
    quiet zone: the same signed payload as its PDF and phone page. The caller has checked
    the ticket is one its user may see."""
    import io

    from PIL import Image, ImageOps

    from tix.adapters.render.documents import qr_image

    code = qr_image(runtime.tickets.document(ticket_id).qr_payload)
    big = code.resize((code.width * module_pixels, code.height * module_pixels),
                      Image.Resampling.NEAREST)
    out = io.BytesIO()
    ImageOps.expand(big, border=4 * module_pixels, fill=255).save(out, format="PNG")
    return out.getvalue()
