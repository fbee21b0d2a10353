"""Tickets as mail attachments and files: the tickets module says what a ticket shows,
this draws it (PDF, iCalendar)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from tix.core.ports import Attachment
from tix.core.tickets.model import TicketDocument

CONTENT_TYPES = {"pdf": "application/pdf", "ics": "text/calendar"}


class DocumentSource(Protocol):
    """What a ticket's files show (the tickets service)."""

    def document(self, ticket_id: str) -> TicketDocument: ...

    def order_documents(self, order_id: str) -> list[TicketDocument]: ...


class RenderedTicketDocuments:
    """The notifications' TicketDocuments port, and a ticket's file for `tix ticket pdf`.

    `source` is called at each use, not at construction: the tickets service queues its
    mails through the notifications this is given to, so it is built after them.
    """

    def __init__(self, source: Callable[[], DocumentSource]) -> None:
        self._source = source

    def of_order(self, order_id: str) -> Sequence[Attachment]:
        return [attachment for document in self._source().order_documents(order_id)
                for attachment in (_attachment(document, "pdf"), _attachment(document, "ics"))]

    def of_ticket(self, ticket_id: str, kind: str) -> Sequence[Attachment]:
        return [_attachment(self._source().document(ticket_id), kind)]

    def file(self, ticket_id: str, kind: str) -> bytes:
        """A ticket as a PDF ("pdf") or a calendar entry ("ics")."""
        return render(self._source().document(ticket_id), kind)


def render(document: TicketDocument, kind: str) -> bytes:
    from tix.adapters.render.documents import ticket_ics, ticket_pdf

    return ticket_pdf(document) if kind == "pdf" else ticket_ics(document)


def _attachment(document: TicketDocument, kind: str) -> Attachment:
    return Attachment(f"{document.number}.{kind}", CONTENT_TYPES[kind], render(document, kind))
