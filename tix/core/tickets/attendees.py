"""An event's attendee list: every ticket with its type, holder, buyer, order, answers to
the event's questions and how far it got at the door — streamed (`tix.core.exports`) and
audited. Personal data (names, addresses, answers) is read and decrypted only for those
the catalog's one rule allows (`sees_personal_data`); the door staff get the list without.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tix.core.accounts import public as accounts
from tix.core.audit.service import AuditService
from tix.core.catalog import public as catalog
from tix.core.errors import NotAllowed, NotFound
from tix.core.exports import BATCH, Export, ExportAudit, streamed
from tix.core.orders import public as orders
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal
from tix.core.tickets.model import TicketAtDoor


@dataclass(frozen=True)
class Attendee:
    ticket: str  # E12-000123
    ticket_type: str
    status: str  # VALID, USED, VOIDED
    holder: str  # "" when personal data is left out
    buyer_email: str  # likewise
    order: str  # TIX-7K4M-Q2
    checked_in_at: datetime | None  # the admission standing now
    first_scan_at: datetime | None  # the first admission
    answers: dict[str, str] = field(default_factory=dict)  # question key -> answer


class AttendeeLists:
    def __init__(self, *, uow: UnitOfWorkFactory, audit: AuditService) -> None:
        self._uow = uow
        self._audit = audit

    def attendees(self, principal: Principal, reference: str, *,
                  purpose: str = "") -> Export[Attendee]:
        """The event's attendee list, for its organizer and admins (with personal data)
        and for clerks at its door (without). Refusals come now; the rows as they are
        read, each batch in one read. `purpose` goes into the audit entry (the format)."""
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, reference)
            if event is None:
                raise NotFound("event", reference)
            personal = catalog.sees_personal_data(uow, principal, event)
            if not personal and not catalog.may(uow, principal, event.id, catalog.Act.SCAN,
                                                organizer_id=event.organizer_id):
                raise NotAllowed("an event's attendee list is for its organizer (or an "
                                 "admin) and its team at the door")
            total = uow.tickets.count_of_event(event.id)
            keys = tuple(q.key for q in catalog.questions(uow, event.id))
        types = {t.id: t.name for t in event.ticket_types}

        def read(work: UnitOfWork) -> Iterator[Sequence[Attendee]]:
            for batch in work.tickets.at_door(event.id, holders=personal, batch=BATCH):
                yield _attendees(work, batch, types, personal=personal)

        audit = ExportAudit(self._audit, self._uow, "event.attendees_exported", principal,
                            event.id, {"event": f"E{event.number}", "format": purpose,
                                       "personal_data": "yes" if personal else "no"})
        return Export(event_id=event.id, event_number=event.number, event_name=event.name,
                      total=total, personal_data=personal, columns=keys,
                      rows=streamed(self._uow, read, audit))


def _attendees(uow: UnitOfWork, batch: Sequence[TicketAtDoor], types: dict[str, str], *,
               personal: bool) -> list[Attendee]:
    """One batch of tickets as attendees: their orders' numbers, and with personal data
    their buyers' addresses and answers, each in one read for the batch."""
    order_ids = sorted({t.order_id for t in batch})
    numbers = orders.numbers(uow, order_ids)
    emails: dict[str, str] = {}
    answers: dict[str, list[orders.Answer]] = {}
    if personal:
        emails = {c.user_id: c.email
                  for c in accounts.contacts(uow, [t.user_id for t in batch]).values()}
        answers = orders.answers_of_orders(uow, order_ids)
    return [Attendee(
        ticket=t.number, ticket_type=types.get(t.ticket_type_id, ""), status=t.status.value,
        holder=t.holder, buyer_email=emails.get(t.user_id, ""),
        order=numbers.get(t.order_id, ""), checked_in_at=t.checked_in_at,
        first_scan_at=t.first_scan_at,
        # the order's answers are every ticket's; a ticket's own come after, and win
        answers={a.question: a.value for a in answers.get(t.order_id, [])
                 if a.seat is None or a.seat == t.seat}) for t in batch]
