"""Events for tests, built through the catalog service as an organizer would."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.support import logged_in
from tix.bootstrap import Runtime
from tix.core.principal import Principal, Role


def organizer(runtime: Runtime, email: str = "olga@example.com") -> Principal:
    return logged_in(runtime, email, role=Role.ORGANIZER, name="Olga Organizer")


def local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def event_spec(runtime: Runtime, *, days: int = 30, name: str = "Nils Frahm live",
               **overrides: Any) -> dict[str, Any]:
    start = runtime.clock.now() + timedelta(days=days)
    spec: dict[str, Any] = {
        "name": name, "description": "Piano, synthesizers and a long night.",
        "category": "music", "venue": "Funkhaus", "city": "Berlin",
        "starts": local(start), "ends": local(start + timedelta(hours=3)),
        "timezone": "UTC", "currency": "EUR",
        "ticket_types": [{"name": "Standing", "price": "45.00", "quantity": 100, "limit": 4},
                         {"name": "Seated", "price": "65.50", "quantity": 20}]}
    spec.update(overrides)
    return spec


def an_event(runtime: Runtime, owner: Principal | None = None, **overrides: Any) -> str:
    return runtime.catalog.create(owner or organizer(runtime), event_spec(runtime, **overrides))


def on_team(runtime: Runtime, event: str, email: str, role: str = "clerk") -> None:
    """Put the account `email` on the team of `event` (an id or E12) with `role`: a clerk
    sells and scans only for the events whose team has them."""
    from tix.core.catalog.model import TeamMember, TeamRole

    with runtime.uow() as uow:
        event_id = uow.catalog.resolve(event)
        person = uow.users.by_email(email)
        assert event_id is not None and person is not None
        uow.catalog.put_team_member(TeamMember(
            event_id=event_id, user_id=person.id, role=TeamRole(role),
            added_at=runtime.clock.now(), added_by=person.id))
        uow.catalog.bump_version()  # as the service does: cached lists of events follow
        uow.commit()


def on_every_team(runtime: Runtime, *people: Principal, role: str = "clerk") -> None:
    """Put these people on the team of every event there is now (the counter's clerks
    of a test that sells for its events)."""
    from sqlalchemy import select

    from tix.adapters.db.rows.catalog import EventRow
    from tix.core.catalog.model import TeamMember, TeamRole

    with runtime.uow() as uow:
        for event_id in uow.session.scalars(select(EventRow.id)).all():
            for person in people:
                uow.catalog.put_team_member(TeamMember(
                    event_id=event_id, user_id=person.user_id, role=TeamRole(role),
                    added_at=runtime.clock.now(), added_by=person.user_id))
        uow.catalog.bump_version()
        uow.commit()
