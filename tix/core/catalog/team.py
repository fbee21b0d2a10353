"""An event's team: the people its organizer adds with a role for that event alone
(co-organizer, clerk, door). Who may then do what is `public.may`; this is changing and
listing the team.

The organizer (and admins) choose anyone; a co-organizer adds and removes clerks and door
people, but not co-organizers (the organizer chooses who shares the event with them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tix.core.accounts import public as accounts
from tix.core.audit.service import AuditService
from tix.core.catalog.model import Act, Event, TeamMember, TeamRole, allows
from tix.core.clock import Clock
from tix.core.errors import Invalid, NotAllowed, NotFound, RuleViolation
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal


@dataclass(frozen=True)
class TeamEntry:
    """One person on the team, as the faces list them."""

    email: str
    name: str
    role: TeamRole
    added_at: datetime


@dataclass(frozen=True)
class TeamChange:
    event_id: str
    event_number: int
    email: str
    role: TeamRole
    before: TeamRole | None  # the role they had (None: they were not on the team)


class EventTeams:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, audit: AuditService) -> None:
        self._uow = uow
        self._clock = clock
        self._audit = audit

    def add(self, principal: Principal, reference: str, email: str,
            role: TeamRole) -> TeamChange:
        """Put the person on the team with `role`, or give them `role` if on it already."""
        with self._uow() as uow:
            event = self._event(uow, principal, reference)
            user = accounts.user_by_email(uow, email)
            if user is None:
                raise NotFound("user", email.strip())
            if user.id == event.organizer_id:
                raise Invalid("the event's organizer is on no team: they may do everything "
                              "for it already", field="email")
            current = uow.catalog.team_role(event.id, user.id)
            self._may_choose(principal, event, role, current)
            if current is role:
                raise RuleViolation(f"{user.email} is on the team of E{event.number} as "
                                    f"{role.value} already", code="already_on_team",
                                    role=role.value)
            before = uow.catalog.put_team_member(TeamMember(
                event_id=event.id, user_id=user.id, role=role, added_at=self._clock.now(),
                added_by=principal.user_id))
            self._changed(uow, principal, event, "event.team_added" if before is None
                          else "event.team_changed", user.email, role, before)
            uow.commit()
        return TeamChange(event.id, event.number, user.email, role, before)

    def remove(self, principal: Principal, reference: str, email: str) -> TeamChange:
        with self._uow() as uow:
            event = self._event(uow, principal, reference)
            user = accounts.user_by_email(uow, email)
            if user is None:
                raise NotFound("user", email.strip())
            current = uow.catalog.team_role(event.id, user.id)
            if current is None:
                raise NotFound("team member", user.email, event=f"E{event.number}")
            self._may_choose(principal, event, current, current)
            uow.catalog.remove_team_member(event.id, user.id)
            self._changed(uow, principal, event, "event.team_removed", user.email, current,
                          current)
            uow.commit()
        return TeamChange(event.id, event.number, user.email, current, current)

    def list(self, principal: Principal, reference: str) -> list[TeamEntry]:
        """Co-organizers first, then clerks, then the door; by name within each."""
        with self._uow(readonly=True) as uow:
            event = self._event(uow, principal, reference)
            entries = []
            for member in uow.catalog.team(event.id):
                user = accounts.user(uow, member.user_id)
                if user is not None and not user.is_erased:  # who cannot log in any more
                    entries.append(TeamEntry(email=user.email, name=user.name,
                                             role=member.role, added_at=member.added_at))
        ranks = list(TeamRole)
        return sorted(entries, key=lambda e: (ranks.index(e.role), e.name.casefold(), e.email))

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _event(uow: UnitOfWork, principal: Principal, reference: str) -> Event:
        """The event (locked against a concurrent change of its team), if the principal
        manages it."""
        event_id = uow.catalog.resolve(reference.strip())
        event = uow.catalog.get(event_id, lock=True) if event_id else None
        if event is None:
            raise NotFound("event", reference)
        role = uow.catalog.team_role(event.id, principal.user_id)
        if not allows(principal, event.organizer_id, role, Act.MANAGE):
            raise NotAllowed("only the event's organizer, its co-organizers or an admin "
                             "see and change its team")
        return event

    @staticmethod
    def _may_choose(principal: Principal, event: Event, role: TeamRole,
                    current: TeamRole | None) -> None:
        """Co-organizers are the organizer's (or an admin's) to choose."""
        if TeamRole.CO_ORGANIZER not in (role, current):
            return
        if not allows(principal, event.organizer_id, None, Act.MANAGE):
            raise NotAllowed("only the event's organizer or an admin chooses its "
                             "co-organizers")

    def _changed(self, uow: UnitOfWork, principal: Principal, event: Event, action: str,
                 email: str, role: TeamRole, before: TeamRole | None) -> None:
        uow.catalog.bump_version()  # the box office's list of a clerk's events follows
        details = {"email": email, "role": role.value}
        if before is not None and before is not role:
            details["was"] = before.value
        self._audit.record(uow, action, subject=f"event:{event.id}",
                           actor_id=principal.user_id, actor=principal.email,
                           details=details)
