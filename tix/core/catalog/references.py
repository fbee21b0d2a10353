"""Short references people type for ticket types: `E12-T2`, the event's number and the
type's number within it (see `ticket_type_ref`)."""

from __future__ import annotations

import re

from tix.core.catalog.model import TicketTypeView, ticket_type_ref
from tix.core.catalog.ports import Catalog
from tix.core.ids import looks_like_uuid

__all__ = ["find_ticket_type", "find_ticket_types", "parse_ticket_type_ref",
           "ticket_type_ref"]

_REFERENCE = re.compile(r"E?(\d{1,9})-T(\d{1,4})", re.IGNORECASE | re.ASCII)


def parse_ticket_type_ref(text: str) -> tuple[int, int] | None:
    """(event number, ticket type number) from `E12-T2`, or None if it is not one."""
    found = _REFERENCE.fullmatch(text.strip())
    return (int(found[1]), int(found[2])) if found else None


def find_ticket_type(catalog: Catalog, reference: str) -> TicketTypeView | None:
    """A ticket type from its id or its reference (`E12-T2`): what every command that
    takes a ticket type resolves it with."""
    reference = reference.strip()
    if looks_like_uuid(reference):
        return catalog.ticket_type(reference)
    numbers = parse_ticket_type_ref(reference)
    return catalog.ticket_type_by_number(*numbers) if numbers else None


def find_ticket_types(catalog: Catalog, references: list[str], *, viewer: str | None = None
                      ) -> dict[str, TicketTypeView | None]:
    """Several ticket types by id or reference, keyed by what was given: the ids in one
    read (a basket's end, the tickets of an order of several lines)."""
    ids = sorted({r.strip() for r in references if looks_like_uuid(r.strip())})
    if len(ids) == 1:  # most sales: the constant statement of one type
        one = catalog.ticket_type(ids[0], viewer=viewer)
        by_id = {ids[0]: one} if one is not None else {}
    else:
        by_id = catalog.ticket_types(ids, viewer=viewer) if ids else {}
    return {r: by_id.get(r.strip()) if looks_like_uuid(r.strip())
            else find_ticket_type(catalog, r) for r in references}
