"""What other core modules may ask of the catalog: plain functions on the caller's unit of
work, so they read in the caller's transaction. The catalog's tables are its own; nothing
outside this module touches `uow.catalog` (tests/unit/test_module_ownership.py checks)."""

from __future__ import annotations

from tix.core.catalog.model import (
    Act,
    Event,
    EventLabel,
    Question,
    TeamRole,
    TicketTypeView,
    allows,
)
from tix.core.catalog.money import format_money, to_minor
from tix.core.catalog.references import find_ticket_type, find_ticket_types
from tix.core.catalog.search import TicketTypeDetails
from tix.core.errors import NotAllowed, NotFound
from tix.core.ports import UnitOfWork
from tix.core.principal import Principal

__all__ = ["Act", "TeamRole", "TicketTypeDetails", "event", "event_labels", "event_role",
           "find_event", "format_money", "manages_event", "may", "questions", "require",
           "resolve_event", "sees_personal_data", "ticket_type", "ticket_type_for",
           "ticket_types", "to_minor"]

# What a refusal says, per act (a caller may say it in its own words).
REFUSALS = {
    Act.MANAGE: "only the event's organizer, its co-organizers or an admin may do this",
    Act.SELL: "only a clerk on the event's team (or its organizer, or an admin) sells "
              "for it at the counter",
    Act.SCAN: "only the event's team (door, clerk, co-organizer), its organizer or an "
              "admin check its tickets",
}


def ticket_type(uow: UnitOfWork, reference: str) -> TicketTypeView | None:
    """A ticket type, with what most callers need of its event, from its id or its
    reference (`E12-T2`); None if there is none."""
    return find_ticket_type(uow.catalog, reference)


def ticket_types(uow: UnitOfWork, references: list[str], *, viewer: str | None = None
                 ) -> dict[str, TicketTypeView | None]:
    """Several ticket types by id or reference (`E12-T2`), keyed by what was given (None
    where there is none): ids in one read — with `viewer`'s role on the event's team, so
    that `may` costs no read of its own for them in this unit of work."""
    return find_ticket_types(uow.catalog, references, viewer=viewer)


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


# -- who may do what on an event (its team) ------------------------------------------------

def event_role(uow: UnitOfWork, principal: Principal, event_id: str) -> TeamRole | None:
    """The principal's role on the event's team, None if they are not on it (the organizer
    and admins are on no team: they need none)."""
    return uow.catalog.team_role(event_id, principal.user_id)


def may(uow: UnitOfWork, principal: Principal, event_id: str, act: Act, *,
        organizer_id: str | None = None) -> bool:
    """Whether the principal may `act` on the event: its organizer and admins always; a
    team member as their role grants (`model.GRANTS`). Pass `organizer_id` when the event
    is at hand: the organizer and admins then cost no read, anyone else one. An event
    that does not exist allows nobody but admins."""
    if organizer_id is not None:
        if allows(principal, organizer_id, None, act):
            return True
        return allows(principal, organizer_id, event_role(uow, principal, event_id), act)
    found = uow.catalog.organizer_and_role(event_id, principal.user_id)
    if found is None:
        return allows(principal, "", None, act)
    return allows(principal, found[0], found[1], act)


def require(uow: UnitOfWork, principal: Principal, event_id: str, act: Act, *,
            organizer_id: str | None = None, refusal: str | None = None) -> None:
    """`may`, or NotAllowed (`refusal`, or what the act's refusal says)."""
    if not may(uow, principal, event_id, act, organizer_id=organizer_id):
        raise NotAllowed(refusal or REFUSALS[act], act=act.value)


def ticket_type_for(uow: UnitOfWork, ticket_type_id: str, principal: Principal, act: Act,
                    *, refusal: str | None = None) -> TicketTypeView:
    """The ticket type (by id), if the principal may `act` on its event: the view and the
    principal's team role in one read, for a path as hot as a scan. NotFound, NotAllowed."""
    found = uow.catalog.ticket_type_as(ticket_type_id, principal.user_id)
    if found is None:
        raise NotFound("ticket type", ticket_type_id)
    view, role = found
    if not allows(principal, view.organizer_id, role, act):
        raise NotAllowed(refusal or REFUSALS[act], act=act.value)
    return view


def manages_event(uow: UnitOfWork, principal: Principal, event: Event) -> bool:
    """Whether the principal runs the event's back office (its orders, reports, mails to
    its holders): its organizer and co-organizers, or an admin (`may`, Act.MANAGE)."""
    return may(uow, principal, event.id, Act.MANAGE, organizer_id=event.organizer_id)


def sees_personal_data(uow: UnitOfWork, principal: Principal, event: Event) -> bool:
    """THE rule of who may read the personal data of an event's buyers and holders in an
    export (names, addresses, answers): those who manage it. Everything that decrypts
    them for a list asks here, so a wider (or narrower) rule is one change."""
    return manages_event(uow, principal, event)
