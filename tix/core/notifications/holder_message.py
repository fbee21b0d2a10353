"""A message from the organizer to every holder of an event (or of one ticket type):
written into the mail log, whose daemon sends it with its retries, once per person — one
mail per address however many tickets they hold, and a message run again (the same
message id) reaches nobody twice, even after a crash half-way."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tix.core.accounts import public as accounts
from tix.core.accounts.model import Contact
from tix.core.audit.service import AuditService
from tix.core.catalog import public as catalog
from tix.core.catalog.model import Event
from tix.core.errors import Invalid, NotAllowed, NotFound
from tix.core.notifications.service import NotificationService
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal
from tix.core.tickets import public as tickets

TEMPLATE = "holder_message"
BATCH = 200  # mails written per transaction: a crash loses none of the ones before
MAX_SUBJECT = 200
MAX_BODY = 50_000
_NAMESPACE = uuid.UUID("5b0a4a4e-8d7e-4b8c-9a55-4e1d2f0c7a21")


@dataclass(frozen=True)
class HolderMessage:
    message_id: str  # what makes a second run send nothing again
    event_id: str
    recipients: int  # people it is for (one per address)
    already: int  # of them, reached by an earlier run of the same message
    queued: int  # mails written now (0 in a dry run)
    dry_run: bool


class HolderMessages:
    def __init__(self, *, uow: UnitOfWorkFactory, notifications: NotificationService,
                 audit: AuditService) -> None:
        self._uow = uow
        self._notifications = notifications
        self._audit = audit

    def send(self, principal: Principal, reference: str, *, subject: str, body: str,
             ticket_type: str | None = None, key: str | None = None,
             dry_run: bool = False) -> HolderMessage:
        """Mail every holder of the event (of `ticket_type`, E12-T2, when given) through
        the mail log: the event's organizer or an admin. `key` names the message (by
        default its type, subject and body do): a run with the same key reaches nobody it
        reached before. `dry_run`: say how many it would reach, and write nothing."""
        subject, body = _checked(subject, body)
        with self._uow(readonly=True) as uow:
            event = catalog.find_event(uow, reference)
            if event is None:
                raise NotFound("event", reference)
            if not catalog.manages_event(uow, principal, event):
                raise NotAllowed("only the event's organizer (or an admin) writes to its "
                                 "holders")
            type_id = _type_of(uow, event, ticket_type)
            people = _once_per_address(accounts.contacts(
                uow, tickets.holders_of(uow, event.id, type_id)).values())
        name = key or _content_key(type_id, subject, body)
        message_id = str(uuid.uuid5(_NAMESPACE, f"{event.id}:{name}"))
        if dry_run:
            with self._uow(readonly=True) as uow:
                already = sum(len(uow.notifications.recipients_of(
                    message_id, [p.user_id for p in chunk])) for chunk in _chunks(people))
            return HolderMessage(message_id, event.id, len(people), already, 0, True)
        context = {"subject": subject, "body": body, "event_name": event.name,
                   "starts_at": event.starts_at.isoformat(), "timezone": event.timezone,
                   "venue": event.venue, "city": event.city}
        queued = 0
        for chunk in _chunks(people):
            with self._uow() as uow:
                catalog.event(uow, event.id, lock=True)  # two runs at once: one at a time
                reached = uow.notifications.recipients_of(message_id,
                                                          [p.user_id for p in chunk])
                for person in chunk:
                    if person.user_id in reached:
                        continue
                    self._notifications.queue(uow, to=person.email, template=TEMPLATE,
                                              user_id=person.user_id,
                                              source_message_id=message_id,
                                              context={"name": person.name, **context})
                    queued += 1
                uow.commit()
        with self._uow() as uow:
            self._audit.record(uow, "event.holders_messaged", subject=f"event:{event.id}",
                               actor_id=principal.user_id, actor=principal.email, details={
                                   "event": f"E{event.number}", "message_id": message_id,
                                   "ticket_type": ticket_type or "",
                                   "recipients": str(len(people)), "queued": str(queued)})
            uow.commit()
        return HolderMessage(message_id, event.id, len(people), len(people) - queued,
                             queued, False)


def _checked(subject: str, body: str) -> tuple[str, str]:
    subject = " ".join(subject.split())
    if not subject:
        raise Invalid("the message needs a subject", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise Invalid(f"a subject of at most {MAX_SUBJECT} characters", field="subject")
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise Invalid("the message's body is empty", field="body")
    if len(body) > MAX_BODY or "\x00" in body:
        raise Invalid(f"a body of at most {MAX_BODY} characters of text", field="body")
    return subject, body


def _type_of(uow: UnitOfWork, event: Event, reference: str | None) -> str | None:
    if reference is None:
        return None
    found = catalog.ticket_type(uow, reference)
    if found is None or found.event_id != event.id:
        raise NotFound("ticket type", reference)
    return found.id


def _once_per_address(contacts: Iterable[Contact]) -> list[Contact]:
    """One person per address (erased accounts and walk-ins who gave none have none), in
    a stable order."""
    seen: dict[str, Contact] = {}
    for contact in sorted(contacts, key=lambda c: c.user_id):
        if not contact.erased and contact.email:
            seen.setdefault(contact.email.strip().lower(), contact)
    return list(seen.values())


def _content_key(type_id: str | None, subject: str, body: str) -> str:
    return hashlib.sha256(f"{type_id or ''}\n{subject}\n{body}".encode()).hexdigest()


def _chunks(people: list[Contact]) -> Iterator[list[Contact]]:
    for start in range(0, len(people), BATCH):
        yield people[start:start + BATCH]
