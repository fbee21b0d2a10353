"""Changing an issued ticket: voiding it, renaming its holder, transferring it to another
person — the event's organizer's (or an admin's; `orders.public.may_manage`), and the
buyer's for a rename or a transfer of their own ticket.

Each change locks the ticket's order first, as the door does before it admits: a scan
and a change of one order wait for each other, and a voided code admits nobody from the
change's commit on.
"""

from __future__ import annotations

import re

from tix.core.audit.service import AuditService
from tix.core.catalog import public as catalog
from tix.core.clock import Clock
from tix.core.errors import Invalid, NotAllowed, NotFound, RuleViolation
from tix.core.ids import new_id
from tix.core.inventory.public import give_back
from tix.core.notifications.model import AttachmentRef
from tix.core.orders import public as orders
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal
from tix.core.tickets.events import TicketsVoided
from tix.core.tickets.model import Signer, Ticket, TicketStatus, make_payload
from tix.core.tickets.ports import MailQueue

MAX_HOLDER = 200  # as a sale takes names
MAX_REASON = 200
EMAIL = re.compile(r"[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+")


class TicketChanges:
    """The changes' half of `TicketService`, on its unit of work, clock, signer, audit
    trail and mail queue."""

    _uow: UnitOfWorkFactory
    _clock: Clock
    _signer: Signer
    _audit: AuditService
    _notifications: MailQueue | None

    def void_ticket(self, principal: Principal, reference: str,
                    reason: str | None = None) -> Ticket:
        """The ticket stops admitting and its seat goes back on sale (nothing is refunded:
        tix order refund --ticket does both). The event's organizer or an admin."""
        why = _reason(reason) or "voided by the organizer"
        with self._uow() as uow:
            ticket = self._changeable(uow, principal, reference, doing="void a ticket",
                                      buyer_may=False)
            if not uow.tickets.void(ticket.id):  # locked: only the door's undo races it
                raise RuleViolation(f"ticket {ticket.number} changed meanwhile; look again",
                                    code="ticket_not_valid")
            uow.publish(TicketsVoided(order_id=ticket.order_id, ticket_ids=[ticket.id]))
            give_back(uow, {ticket.ticket_type_id: 1}, "voided")
            orders.seat_given_back(uow, ticket.order_id, ticket.ticket_type_id)
            self._audit.record(uow, "ticket.voided", subject=f"ticket:{ticket.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"number": ticket.number, "reason": why})
            uow.commit()
        ticket.status = TicketStatus.VOIDED
        return ticket

    def rename_ticket(self, principal: Principal, reference: str, holder: str) -> Ticket:
        """A new name on the ticket (its code stays: it names no holder). The event's
        organizer, an admin, or the ticket's buyer; not a voided ticket."""
        name = _holder(holder)
        with self._uow() as uow:
            ticket = self._changeable(uow, principal, reference, doing="rename a ticket",
                                      buyer_may=True, used_ok=True)
            if not uow.tickets.set_holder(ticket.id, name):
                raise RuleViolation(f"ticket {ticket.number} was voided", code="ticket_voided")
            self._audit.record(uow, "ticket.renamed", subject=f"ticket:{ticket.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"number": ticket.number})  # names stay out of it
            uow.commit()
        ticket.holder = name
        return ticket

    def transfer_ticket(self, principal: Principal, reference: str, *, to: str,
                        holder: str | None = None) -> tuple[Ticket, Ticket]:
        """Give the ticket to another person: it is voided (its code stops admitting) and
        a new one, with a new number and code, is issued to `holder` (default: the
        address) in the same order and seat type, and mailed to `to`. The event's
        organizer, an admin, or the ticket's buyer. Returns (old, new)."""
        email = " ".join(to.split()).lower()
        if not EMAIL.fullmatch(email) or len(email) > 320:
            raise Invalid(f"{to!r} is not an email address", field="email")
        name = _holder(holder) if holder is not None else email
        with self._uow() as uow:
            old = self._changeable(uow, principal, reference, doing="transfer a ticket",
                                   buyer_may=True)
            if not uow.tickets.void(old.id):
                raise RuleViolation(f"ticket {old.number} changed meanwhile; look again",
                                    code="ticket_not_valid")
            event = catalog.event(uow, old.event_id)
            assert event is not None
            ticket_id = new_id()
            new = Ticket(id=ticket_id, number="", event_id=old.event_id,
                         order_id=old.order_id,
                         seat=max(t.seat for t in uow.tickets.of_order(old.order_id)) + 1,
                         user_id=old.user_id, ticket_type_id=old.ticket_type_id,
                         holder=name, created_at=self._clock.now(),
                         qr_payload=make_payload(ticket_id, event.number, self._signer))
            uow.tickets.add_numbered([new], event.number)  # numbered by this
            uow.publish(TicketsVoided(order_id=old.order_id, ticket_ids=[old.id]))
            self._audit.record(uow, "ticket.transferred", subject=f"ticket:{old.id}",
                               actor_id=principal.user_id, actor=principal.email,
                               details={"number": old.number, "new_number": new.number,
                                        "new_ticket": new.id})
            if self._notifications is not None:  # written with the change, sent after
                self._notifications.queue(
                    uow, to=email, template="ticket_transferred", context={
                        "name": name, "event_name": event.name, "number": new.number,
                        "starts_at": event.starts_at.isoformat(),
                        "timezone": event.timezone, "venue": event.venue,
                        "city": event.city,
                        "link": f"{self._notifications.public_url}/t/{new.id}"},
                    attachments=[AttachmentRef("ticket_pdf", new.id),
                                 AttachmentRef("ticket_ics", new.id)])
            uow.commit()
        old.status = TicketStatus.VOIDED
        return old, new

    def _changeable(self, uow: UnitOfWork, principal: Principal, reference: str, *,
                    doing: str, buyer_may: bool, used_ok: bool = False) -> Ticket:
        """The ticket, its order locked, if this person may change it: NotFound for those
        who may not see it, NotAllowed for those who may only see it; refused unless it
        is VALID (or USED, with `used_ok`)."""
        found = uow.tickets.get(reference.strip())
        if found is None:
            raise NotFound("ticket", reference)
        orders.order(uow, found.order_id, lock=True)  # the door waits, and we for it
        ticket = uow.tickets.get(found.id)
        assert ticket is not None
        manager = orders.may_manage(uow, principal, ticket.event_id)
        if not manager:
            if ticket.user_id != principal.user_id:
                raise NotFound("ticket", reference)  # others' tickets do not exist for you
            if not buyer_may:
                raise NotAllowed(f"only the event's organizer or an admin may {doing}")
        allowed = (TicketStatus.VALID, TicketStatus.USED) if used_ok else (TicketStatus.VALID,)
        if ticket.status not in allowed:
            state = ("already used at the door" if ticket.status is TicketStatus.USED
                     else "voided")
            raise RuleViolation(f"ticket {ticket.number} is {state}",
                                code="ticket_not_valid", ticket=ticket.number)
        return ticket


def _holder(holder: str) -> str:
    name = " ".join(holder.split())
    if not name:
        raise Invalid("the holder's name is empty", field="holder")
    if len(name) > MAX_HOLDER or not name.isprintable():
        raise Invalid(f"the holder's name must be at most {MAX_HOLDER} printable characters",
                      field="holder", limit=MAX_HOLDER)
    return name


def _reason(reason: str | None) -> str:
    why = (reason or "").strip()
    if len(why) > MAX_REASON or "\x00" in why:
        raise Invalid(f"the reason must be at most {MAX_REASON} characters of text",
                      field="reason")
    return why
