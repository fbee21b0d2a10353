"""What other core modules may ask of the catalog: plain functions on the caller's unit of
work, so they read in the caller's transaction. The catalog's tables are its own; nothing
outside this module touches `uow.catalog` (tests/unit/test_module_ownership.py checks)."""

from __future__ import annotations

from tix.core.catalog.model import Event, EventLabel, Question, TicketTypeView
from tix.core.catalog.money import format_money, to_minor
from tix.core.catalog.references import find_ticket_type, find_ticket_types
from tix.core.ports import UnitOfWork
from tix.core.principal import Principal, Role

__all__ = ["event", "event_labels", "find_event", "format_money", "manages_event",
           "questions", "resolve_event", "sees_personal_data", "ticket_type", "ticket_types",
           "to_minor"]


def ticket_type(uow: UnitOfWork, reference: str) -> TicketTypeView | None:
    """A ticket type, with what most callers need of its event, from its id or its
    reference (`E12-T2`); None if there is none."""
    return find_ticket_type(uow.catalog, reference)


def ticket_types(uow: UnitOfWork, references: list[str]) -> dict[str, TicketTypeView | None]:
    """Several ticket types by id or reference (`E12-T2`), keyed by what was given (None
    where there is none): ids in one read."""
    return find_ticket_types(uow.catalog, references)


def event(uow: UnitOfWork, event_id: str, *, lock: bool = False) -> Event | None:
    """An event by its id, with its ticket types. `lock` holds the event's row until the
    caller's transaction ends (a cancellation and a change of the event wait for each
    other)."""
    return uow.catalog.get(event_id, lock=lock)


def questions(uow: UnitOfWork, event_id: str) -> tuple[Question, ...]:
    """The questions the event asks at checkout, without the rest of the event: a sale
    reads them in its transaction."""
    return uow.catalog.questions(event_id)


def resolve_event(uow: UnitOfWork, reference: str) -> str | None:
    """An event's id from its id or readable number ("E12", "12"), without reading the
    event: an id is taken as it is (it may name no event), a number that names none gives
    None."""
    return uow.catalog.resolve(reference.strip())


def find_event(uow: UnitOfWork, reference: str, *, lock: bool = False) -> Event | None:
    """The event an id or a readable number ("E12") names, or None."""
    event_id = resolve_event(uow, reference)
    return event(uow, event_id, lock=lock) if event_id else None


def event_labels(uow: UnitOfWork, event_ids: list[str]) -> dict[str, EventLabel]:
    """Number and name of each of these events (those that exist): for lists."""
    return uow.catalog.labels(sorted(set(event_ids)))


def manages_event(uow: UnitOfWork, principal: Principal, event: Event) -> bool:
    """Whether the principal runs the event's back office (its orders, reports, mails to
    its holders): its organizer, or an admin. Takes the unit of work so that per-event
    teams can be read here when they come."""
    return principal.role is Role.ADMIN or principal.user_id == event.organizer_id


def sees_personal_data(uow: UnitOfWork, principal: Principal, event: Event) -> bool:
    """THE rule of who may read the personal data of an event's buyers and holders in an
    export (names, addresses, answers): those who manage it. Everything that decrypts
    them for a list asks here, so a wider (or narrower) rule is one change."""
    return manages_event(uow, principal, event)
