"""What the catalog module needs from storage."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from tix.core.catalog.model import (
    Event,
    EventLabel,
    Question,
    TeamMember,
    TeamRole,
    TicketType,
    TicketTypeView,
)


class Catalog(Protocol):
    def add(self, event: Event) -> None:
        """Store a new event with its ticket types."""
        ...

    def next_number(self) -> int:
        """The readable number for the next event (serialised between creators)."""
        ...

    def get(self, event_id: str, *, lock: bool = False) -> Event | None: ...

    def questions(self, event_id: str) -> tuple[Question, ...]:
        """The event's questions alone (every sale reads them): () if it has none."""
        ...

    def resolve(self, reference: str) -> str | None:
        """An event id from its id or readable number ("E12", "12")."""
        ...

    def ticket_type(self, ticket_type_id: str, *, viewer: str | None = None
                    ) -> TicketTypeView | None:
        """`viewer` (a user id): their role on the event's team is read with it, and
        `team_role` answers from it in this unit of work (a sale's one read)."""
        ...

    def ticket_types(self, ticket_type_ids: list[str], *, viewer: str | None = None
                     ) -> dict[str, TicketTypeView]:
        """Several ticket types by id, in one read (those that exist); `viewer` as for
        `ticket_type`."""
        ...

    def ticket_type_by_number(self, event_number: int,
                              number: int) -> TicketTypeView | None:
        """The ticket type E<event_number>-T<number>."""
        ...

    def ticket_type_as(self, ticket_type_id: str, user_id: str
                       ) -> tuple[TicketTypeView, TeamRole | None] | None:
        """The ticket type's view and the user's role on its event's team, in one read
        (a scan asks both)."""
        ...

    def team(self, event_id: str) -> list[TeamMember]:
        """The event's team, in the order they were added."""
        ...

    def team_role(self, event_id: str, user_id: str) -> TeamRole | None: ...

    def organizer_and_role(self, event_id: str, user_id: str
                           ) -> tuple[str, TeamRole | None] | None:
        """The event's organizer and the user's role on its team, in one read; None if
        there is no such event."""
        ...

    def put_team_member(self, member: TeamMember) -> TeamRole | None:
        """Add the person to the team, or give them this role if they are on it already;
        the role they had before (None: new on the team)."""
        ...

    def remove_team_member(self, event_id: str, user_id: str) -> TeamRole | None:
        """Take the person off the team; the role they had (None: they were not on it)."""
        ...

    def labels(self, event_ids: list[str]) -> dict[str, EventLabel]:
        """Number and name of each of these events (those that exist)."""
        ...

    def save(self, event: Event) -> None:
        """Store changed details, status and ticket types (new ones are added)."""
        ...

    def add_ticket_type(self, ticket_type: TicketType) -> None: ...

    def bump_version(self) -> None:
        """Tell search caches that events changed."""
        ...

    def record_sale(self, event_id: str, day: date, tickets: int) -> None:
        """Count tickets sold on a day, for popularity."""
        ...

    def forget_sales_before(self, day: date) -> int:
        """Take days that left the popularity window out of the score."""
        ...
