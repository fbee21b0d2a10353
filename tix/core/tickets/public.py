"""What other core modules may ask of tickets: plain functions on the caller's unit of
work, so they run in the caller's transaction. The tickets' tables are this module's own;
nothing outside it touches `uow.tickets` (tests/unit/test_module_ownership.py checks)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from tix.core.errors import Invalid
from tix.core.orders import public as orders
from tix.core.ports import UnitOfWork
from tix.core.tickets.door import MAIN_LIST, Scan, ScanKind, ticket_state
from tix.core.tickets.events import TicketsVoided
from tix.core.tickets.model import Ticket, TicketStatus

__all__ = ["RecordedScans", "holders_of", "keep_legacy_admissions", "order_ticket",
           "record_scans", "ticket_history", "tickets_of_order", "used_ticket_numbers",
           "void_order_tickets", "void_ticket"]


def void_order_tickets(uow: UnitOfWork, order_id: str) -> list[str]:
    """The order's tickets that could still admit stop admitting, in the caller's
    transaction (the one that cancels the order); returns their ids."""
    voided = uow.tickets.void_order(order_id)
    if voided:
        uow.publish(TicketsVoided(order_id=order_id, ticket_ids=voided))
    return voided


def tickets_of_order(uow: UnitOfWork, order_id: str) -> list[Ticket]:
    """The order's tickets, in seat order, whatever their status."""
    return uow.tickets.of_order(order_id)


def order_ticket(uow: UnitOfWork, order_id: str, reference: str) -> Ticket | None:
    """A ticket of the order by its number (E12-000123) or id; None if it is not one of
    the order's."""
    ticket = uow.tickets.get(reference.strip())
    return ticket if ticket is not None and ticket.order_id == order_id else None


def void_ticket(uow: UnitOfWork, ticket_id: str) -> bool:
    """One ticket stops admitting, in the caller's transaction (announced); False if it
    was not VALID. Its seat going back on sale is the caller's to say (inventory)."""
    voided = uow.tickets.void(ticket_id)
    if voided:
        ticket = uow.tickets.get(ticket_id)
        uow.publish(TicketsVoided(order_id=ticket.order_id if ticket else "",
                                  ticket_ids=[ticket_id]))
    return voided


def holders_of(uow: UnitOfWork, event_id: str, ticket_type_id: str | None = None
               ) -> list[str]:
    """The buyers (user ids) of the event's tickets that may still come in, of one ticket
    type or of all, each once: whom a message to the holders reaches."""
    return uow.tickets.holders_of(event_id, ticket_type_id)


def used_ticket_numbers(uow: UnitOfWork, order_id: str) -> list[str]:
    """The numbers of the order's tickets already checked in (E12-000123), in seat order:
    what keeps an order from being cancelled, and what its refusal names."""
    return [t.number for t in uow.tickets.of_order(order_id) if t.status is TicketStatus.USED]


class RecordedScans(NamedTuple):
    new: list[Scan]  # appended now, in the order given
    known: int  # already in the log (an upload sent again, a scan seen twice)


def ticket_history(uow: UnitOfWork, ticket: Ticket) -> list[Scan]:
    """The ticket's scans in the server's log. A ticket checked in before the log kept
    scans, and never since, gets its admission back as a scan whose id is the ticket's
    (the one migration 0021 wrote)."""
    scans = uow.tickets.scans_of(ticket.id)
    if (ticket.status is TicketStatus.USED and ticket.checked_in_at is not None
            and not any(s.kind is ScanKind.ADMIT for s in scans)):
        scans.insert(0, Scan(id=ticket.id, event_id=ticket.event_id, ticket_id=ticket.id,
                             kind=ScanKind.ADMIT, at=ticket.checked_in_at, device="server",
                             list_name=MAIN_LIST, by=ticket.checked_in_by or ""))
    return scans


def keep_legacy_admissions(uow: UnitOfWork, histories: Iterable[list[Scan]],
                           now: datetime) -> None:
    """Before a ticket checked in before the log gets scans of its own, its admission is
    written to the log too (once: its id is the ticket's)."""
    uow.tickets.add_scans([h[0] for h in histories if h and h[0].id == h[0].ticket_id], now)


def record_scans(uow: UnitOfWork, scans: Sequence[Scan], now: datetime) -> RecordedScans:
    """Append scans made elsewhere (a door that was offline) to the server's log, in the
    caller's transaction, each once however often it is sent: the tickets they touch are
    replayed from their whole history and kept in step. A scan of a ticket that is not
    its event's is refused (`Invalid`), and then none is recorded."""
    unique = list({s.id: s for s in scans}.values())
    tickets: dict[str, Ticket] = {}
    for scan in unique:
        ticket = tickets.get(scan.ticket_id) or uow.tickets.get(scan.ticket_id)
        if ticket is None or ticket.event_id != scan.event_id or ticket.id != scan.ticket_id:
            raise Invalid(f"scan {scan.id}: no ticket {scan.ticket_id} of that event",
                          field="scans", scan=scan.id)
        tickets[ticket.id] = ticket
    # as a scan at an online door does: a ticket's scans are applied one door at a time
    # (in order of the orders' ids, so that two uploads never wait for each other)
    for order_id in sorted({t.order_id for t in tickets.values()}):
        orders.order(uow, order_id, lock=True)
    tickets = {t.id: uow.tickets.get(t.id) or t for t in tickets.values()}
    # a ticket admitted before the log kept scans keeps that admission ahead of these
    histories = {t.id: ticket_history(uow, t) for t in tickets.values()}
    keep_legacy_admissions(uow, histories.values(), now)
    appended = uow.tickets.add_scans(unique, now)
    for ticket_id in sorted({s.ticket_id for s in unique if s.id in appended}):
        known = {s.id for s in histories[ticket_id]}
        history = histories[ticket_id] + [s for s in unique if s.ticket_id == ticket_id
                                          and s.id in appended and s.id not in known]
        uow.tickets.set_door_state(ticket_id, ticket_state(history))
    new = [s for s in unique if s.id in appended]
    return RecordedScans(new=new, known=len(unique) - len(new))
