"""Events and ticket types in SQL."""

from __future__ import annotations

import functools
import json
import secrets
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Executable, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tix.adapters.db.rows.catalog import (
    CatalogVersionRow,
    EventRow,
    EventSalesDayRow,
    EventTeamRow,
    TicketTypeRow,
)
from tix.core.catalog.model import (
    Category,
    Event,
    EventLabel,
    EventStatus,
    Question,
    QuestionKind,
    QuestionScope,
    RefundRule,
    TeamMember,
    TeamRole,
    TicketType,
    TicketTypeView,
)
from tix.core.catalog.questions import questions_as_spec
from tix.core.catalog.search import folded
from tix.core.ids import looks_like_uuid


class SqlCatalog:
    def __init__(self, session: Session) -> None:
        self._session = session
        # roles on events' teams read with ticket types for a viewer, in this unit of work
        self._roles: dict[tuple[str, str], TeamRole | None] = {}

    def add(self, event: Event) -> None:
        self._session.add(EventRow(
            id=event.id, number=event.number, organizer_id=event.organizer_id,
            name=event.name, description=event.description, category=event.category.value,
            venue=event.venue, city=event.city, city_key=folded(event.city),
            address=event.address,
            image_url=event.image_url, starts_at=event.starts_at, ends_at=event.ends_at,
            timezone=event.timezone, currency=event.currency, status=event.status.value,
            cancellation_policy=policy_to_json(event.cancellation_policy),
            questions=questions_to_json(event.questions),
            max_per_order=event.max_per_order, max_per_person=event.max_per_person,
            test_mode=event.test_mode, created_at=event.created_at, **_price_range(event)))
        self._session.flush()  # the event row first: ticket types refer to it
        for tt in event.ticket_types:
            self._session.add(TicketTypeRow(
                id=tt.id, event_id=event.id, name=tt.name, price=tt.price,
                quantity=tt.quantity, per_person_limit=tt.per_person_limit,
                sale_starts_at=tt.sale_starts_at, sale_ends_at=tt.sale_ends_at,
                position=tt.position, number=tt.number, hidden=tt.hidden))
        self._session.flush()

    def next_number(self) -> int:
        if self._session.get_bind().dialect.name == "postgresql":
            # Two organizers creating at once must not draw the same number.
            self._session.execute(text("SELECT pg_advisory_xact_lock(hashtext('tix.events'))"))
        return (self._session.scalar(select(func.max(EventRow.number))) or 0) + 1

    def resolve(self, reference: str) -> str | None:
        if looks_like_uuid(reference):
            return reference
        digits = reference.upper().removeprefix("E")
        if not digits.isdigit() or len(digits) > 9:
            return None
        return self._session.scalar(select(EventRow.id).where(EventRow.number == int(digits)))

    def save(self, event: Event) -> None:
        self._session.execute(update(EventRow).where(EventRow.id == event.id).values(
            name=event.name, description=event.description, category=event.category.value,
            venue=event.venue, city=event.city, city_key=folded(event.city),
            address=event.address,
            image_url=event.image_url, starts_at=event.starts_at, ends_at=event.ends_at,
            timezone=event.timezone, currency=event.currency, status=event.status.value,
            cancellation_policy=policy_to_json(event.cancellation_policy),
            questions=questions_to_json(event.questions),
            max_per_order=event.max_per_order, max_per_person=event.max_per_person,
            test_mode=event.test_mode, **_price_range(event)))
        for tt in event.ticket_types:
            self._session.execute(update(TicketTypeRow).where(TicketTypeRow.id == tt.id).values(
                name=tt.name, price=tt.price, quantity=tt.quantity,
                per_person_limit=tt.per_person_limit, sale_starts_at=tt.sale_starts_at,
                sale_ends_at=tt.sale_ends_at, position=tt.position, hidden=tt.hidden))

    def add_ticket_type(self, ticket_type: TicketType) -> None:
        tt = ticket_type
        self._session.execute(insert(TicketTypeRow).values(
            id=tt.id, event_id=tt.event_id, name=tt.name, price=tt.price,
            quantity=tt.quantity, per_person_limit=tt.per_person_limit,
            sale_starts_at=tt.sale_starts_at, sale_ends_at=tt.sale_ends_at,
            position=tt.position, number=tt.number, hidden=tt.hidden))

    def bump_version(self) -> None:
        bumped = self._session.execute(update(CatalogVersionRow).where(
            CatalogVersionRow.id == 1).values(version=CatalogVersionRow.version + 1))
        if not bumped.rowcount:  # type: ignore[attr-defined]
            # A random start: a database emptied and refilled (tix demo --reset) must not
            # count up to a version some cache still holds pages of.
            start = secrets.randbelow(2**30)
            self._session.execute(insert(CatalogVersionRow).values(id=1, version=start))

    def record_sale(self, event_id: str, day: date, tickets: int) -> None:
        dialect = self._session.get_bind().dialect.name
        module: Any = postgresql if dialect == "postgresql" else sqlite
        table = EventSalesDayRow.__table__
        statement = module.insert(table).values(event_id=event_id, day=day, tickets=tickets,
                                                counted=True)
        self._session.execute(statement.on_conflict_do_update(
            index_elements=["event_id", "day"],
            set_={"tickets": table.c.tickets + tickets}))
        self._session.execute(update(EventRow).where(EventRow.id == event_id).values(
            recent_sales=EventRow.recent_sales + tickets))

    def forget_sales_before(self, day: date) -> int:
        old = self._session.execute(
            select(EventSalesDayRow.event_id, EventSalesDayRow.day, EventSalesDayRow.tickets)
            .where(EventSalesDayRow.day < day, EventSalesDayRow.counted.is_(True))
            .limit(1000).with_for_update()).all()
        for row in old:
            self._session.execute(update(EventRow).where(EventRow.id == row.event_id).values(
                recent_sales=EventRow.recent_sales - row.tickets))
            self._session.execute(update(EventSalesDayRow).where(
                EventSalesDayRow.event_id == row.event_id, EventSalesDayRow.day == row.day
            ).values(counted=False))
        return len(old)

    def get(self, event_id: str, *, lock: bool = False) -> Event | None:
        query = select(EventRow).where(EventRow.id == event_id)
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        if row is None:
            return None
        types = self._session.scalars(select(TicketTypeRow)
                                      .where(TicketTypeRow.event_id == event_id)
                                      .order_by(TicketTypeRow.position, TicketTypeRow.name))
        return event_from_row(row, [ticket_type_from_row(t) for t in types])

    def questions(self, event_id: str) -> tuple[Question, ...]:
        # One column, on the connection: every sale reads it
        found = self._session.connection().execute(_QUESTIONS, {"id": event_id}).scalar()
        return questions_from_json(found)

    def ticket_type(self, ticket_type_id: str, *, viewer: str | None = None
                    ) -> TicketTypeView | None:
        # On the connection, not the session: no ORM entities, so no ORM machinery to run.
        if viewer is not None:
            row = self._session.connection().execute(
                _TICKET_TYPE_VIEW_AS, {"id": ticket_type_id, "user": viewer}).one_or_none()
            return None if row is None else self._kept_role(row, viewer)
        found = self._session.connection().execute(_TICKET_TYPE_VIEW,
                                                   {"id": ticket_type_id}).one_or_none()
        return _view(found)

    def ticket_types(self, ticket_type_ids: list[str], *, viewer: str | None = None
                     ) -> dict[str, TicketTypeView]:
        """A basket's ticket types in one round trip."""
        ids = {f"id{n}": ticket_type_id for n, ticket_type_id in enumerate(ticket_type_ids)}
        if viewer is not None:
            rows = self._session.connection().execute(
                _ticket_type_views(len(ids), as_viewer=True), {**ids, "user": viewer})
            views = [self._kept_role(row, viewer) for row in rows]
            return {view.id: view for view in views}
        found = self._session.connection().execute(
            _ticket_type_views(len(ids), as_viewer=False), ids)
        return {view.id: view for view in map(_view, found) if view is not None}

    def _kept_role(self, row: Any, viewer: str) -> TicketTypeView:
        values = row._asdict()
        role = values.pop("team_role")
        self._roles[(values["event_id"], viewer)] = TeamRole(role) if role else None
        return TicketTypeView(**{**values, "event_status": EventStatus(values["event_status"])})

    def ticket_type_by_number(self, event_number: int,
                              number: int) -> TicketTypeView | None:
        found = self._session.connection().execute(
            _TICKET_TYPE_BY_NUMBER, {"event_number": event_number, "number": number}
        ).one_or_none()
        return _view(found)

    def ticket_type_as(self, ticket_type_id: str, user_id: str
                       ) -> tuple[TicketTypeView, TeamRole | None] | None:
        found = self._session.connection().execute(
            _TICKET_TYPE_VIEW_AS, {"id": ticket_type_id, "user": user_id}).one_or_none()
        if found is None:
            return None
        view = self._kept_role(found, user_id)
        return view, self._roles[(view.event_id, user_id)]

    def team(self, event_id: str) -> list[TeamMember]:
        rows = self._session.execute(select(EventTeamRow).where(
            EventTeamRow.event_id == event_id).order_by(EventTeamRow.added_at,
                                                        EventTeamRow.user_id)).scalars()
        return [TeamMember(event_id=r.event_id, user_id=r.user_id, role=TeamRole(r.role),
                           added_at=r.added_at, added_by=r.added_by) for r in rows]

    def team_role(self, event_id: str, user_id: str) -> TeamRole | None:
        if (event_id, user_id) in self._roles:  # read with the ticket types just now
            return self._roles[(event_id, user_id)]
        role = self._session.connection().execute(
            _TEAM_ROLE, {"event": event_id, "user": user_id}).scalar()
        return TeamRole(role) if role else None

    def organizer_and_role(self, event_id: str, user_id: str
                           ) -> tuple[str, TeamRole | None] | None:
        found = self._session.connection().execute(
            _ORGANIZER_AND_ROLE, {"event": event_id, "user": user_id}).one_or_none()
        if found is None:
            return None
        return found.organizer_id, TeamRole(found.team_role) if found.team_role else None

    def put_team_member(self, member: TeamMember) -> TeamRole | None:
        before = self.team_role(member.event_id, member.user_id)
        if before is None:
            self._session.execute(insert(EventTeamRow).values(
                event_id=member.event_id, user_id=member.user_id, role=member.role.value,
                added_at=member.added_at, added_by=member.added_by))
        elif before is not member.role:
            self._session.execute(update(EventTeamRow).where(
                EventTeamRow.event_id == member.event_id,
                EventTeamRow.user_id == member.user_id).values(role=member.role.value))
        return before

    def remove_team_member(self, event_id: str, user_id: str) -> TeamRole | None:
        before = self.team_role(event_id, user_id)
        if before is not None:
            self._session.execute(delete(EventTeamRow).where(
                EventTeamRow.event_id == event_id, EventTeamRow.user_id == user_id))
        return before

    def labels(self, event_ids: list[str]) -> dict[str, EventLabel]:
        if not event_ids:
            return {}
        rows = self._session.execute(select(EventRow.id, EventRow.number, EventRow.name)
                                     .where(EventRow.id.in_(event_ids)))
        return {r.id: EventLabel(id=r.id, number=r.number, name=r.name) for r in rows}


def _view(found: Any) -> TicketTypeView | None:
    if found is None:
        return None
    return TicketTypeView(**{**found._asdict(), "event_status": EventStatus(found.event_status)})


# Every purchase reads its ticket type: plain columns and a constant statement (compiled
# once) cost a third of loading the two ORM rows.
_TICKET_TYPES = (
    select(TicketTypeRow.id, TicketTypeRow.name, TicketTypeRow.price,
           EventRow.currency, TicketTypeRow.quantity, TicketTypeRow.per_person_limit,
           TicketTypeRow.sale_starts_at, TicketTypeRow.sale_ends_at,
           EventRow.id.label("event_id"), EventRow.number.label("event_number"),
           EventRow.name.label("event_name"), EventRow.status.label("event_status"),
           EventRow.starts_at.label("event_starts_at"), EventRow.ends_at.label("event_ends_at"),
           EventRow.timezone.label("event_timezone"), EventRow.organizer_id, EventRow.venue,
           EventRow.city, TicketTypeRow.number,
           EventRow.max_per_order.label("event_max_per_order"),
           EventRow.max_per_person.label("event_max_per_person"), TicketTypeRow.hidden,
           EventRow.test_mode.label("event_test_mode"),
           (EventRow.questions != "[]").label("event_has_questions"))
    .join(EventRow, EventRow.id == TicketTypeRow.event_id))
_TICKET_TYPE_VIEW = _TICKET_TYPES.where(TicketTypeRow.id == bindparam("id"))
# A scan's one read: the view and the scanner's role on the event's team.
_TEAM_ROLE_OF_VIEWER = (select(EventTeamRow.role)
                        .where(EventTeamRow.event_id == EventRow.id,
                               EventTeamRow.user_id == bindparam("user"))
                        .scalar_subquery().label("team_role"))
_TICKET_TYPE_VIEW_AS = _TICKET_TYPE_VIEW.add_columns(_TEAM_ROLE_OF_VIEWER)


@functools.lru_cache(maxsize=64)  # a size per basket length seen; bounded against odd ones
def _ticket_type_views(count: int, *, as_viewer: bool) -> Executable:
    """A basket's read of `count` ticket types (:id0, :id1, …), one statement per size:
    an expanding IN list is rendered afresh on every execution, and an array (= ANY)
    costs PostgreSQL more in planning than it saves here."""
    found = _TICKET_TYPES.where(
        TicketTypeRow.id.in_([bindparam(f"id{n}") for n in range(count)]))
    return found.add_columns(_TEAM_ROLE_OF_VIEWER) if as_viewer else found


_TEAM_ROLE = select(EventTeamRow.role).where(EventTeamRow.event_id == bindparam("event"),
                                             EventTeamRow.user_id == bindparam("user"))
_ORGANIZER_AND_ROLE = select(EventRow.organizer_id, _TEAM_ROLE_OF_VIEWER).where(
    EventRow.id == bindparam("event"))
_QUESTIONS = select(EventRow.questions).where(EventRow.id == bindparam("id"))
# What people type, E12-T2: served by the unique indexes on the event's number and the pair.
_TICKET_TYPE_BY_NUMBER = _TICKET_TYPES.where(
    EventRow.number == bindparam("event_number"), TicketTypeRow.number == bindparam("number"))


def _price_range(event: Event) -> dict[str, int]:
    prices = [t.price for t in event.ticket_types if not t.hidden] or [0]
    return {"min_price": min(prices), "max_price": max(prices)}


def policy_to_json(policy: tuple[RefundRule, ...]) -> str:
    return json.dumps([{"before_hours": int(r.before.total_seconds() // 3600),
                        "percent": r.percent} for r in policy])


def policy_from_json(text: str) -> tuple[RefundRule, ...]:
    return tuple(RefundRule(before=timedelta(hours=r["before_hours"]), percent=r["percent"])
                 for r in json.loads(text))


def questions_to_json(questions: tuple[Question, ...]) -> str:
    return json.dumps(questions_as_spec(questions))


def questions_from_json(text: str | None) -> tuple[Question, ...]:
    return tuple(Question(key=q["key"], text=q["text"], kind=QuestionKind(q["kind"]),
                          choices=tuple(q["choices"]), required=q["required"],
                          per=QuestionScope(q["per"]), types=tuple(q["types"]))
                 for q in json.loads(text or "[]"))


def ticket_type_from_row(row: TicketTypeRow) -> TicketType:
    return TicketType(id=row.id, event_id=row.event_id, name=row.name, price=row.price,
                      quantity=row.quantity, per_person_limit=row.per_person_limit,
                      sale_starts_at=row.sale_starts_at, sale_ends_at=row.sale_ends_at,
                      position=row.position, number=row.number, hidden=row.hidden)


def event_from_row(row: EventRow, ticket_types: list[TicketType]) -> Event:
    return Event(
        id=row.id, number=row.number, organizer_id=row.organizer_id, name=row.name,
        description=row.description, category=Category(row.category), venue=row.venue,
        city=row.city, starts_at=row.starts_at, ends_at=row.ends_at, timezone=row.timezone,
        currency=row.currency, created_at=row.created_at, address=row.address,
        image_url=row.image_url, status=EventStatus(row.status),
        cancellation_policy=policy_from_json(row.cancellation_policy),
        questions=questions_from_json(row.questions), ticket_types=ticket_types,
        max_per_order=row.max_per_order, max_per_person=row.max_per_person,
        test_mode=row.test_mode)
