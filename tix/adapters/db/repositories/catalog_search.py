"""Search over events: PostgreSQL full text and trigrams, SQLite FTS5.

A read view: it joins the inventory's `stock` table for "tickets available", which a
module's own repository would not do — searching 100,000 events cannot ask each one.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    exists,
    func,
    literal_column,
    select,
    text,
)

from tix.adapters.db.engine import translated_errors
from tix.adapters.db.rows.catalog import CatalogVersionRow, EventRow, TicketTypeRow
from tix.adapters.db.rows.inventory import StockRow
from tix.core.catalog.search import (
    EventSummary,
    LiveState,
    SearchQuery,
    SortOrder,
    Suggestion,
)

WORD = re.compile(r"\w+", re.UNICODE)
TYPO_SIMILARITY = 0.3  # one swapped letter in a short word ("frham" → Frahm) passes
MAX_WORDS = 8
# What the PostgreSQL index is built on (migration 0003): the query must say the same.
PG_DOCUMENT = ("to_tsvector('simple', coalesce(events.name, '') || ' ' || "
               "coalesce(events.description, '') || ' ' || coalesce(events.venue, '') || ' ' "
               "|| coalesce(events.city, ''))")


class SqlCatalogSearch:
    """Reads on an autocommit engine: one round trip per query, no BEGIN/ROLLBACK."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _read(self) -> Connection:
        return self._engine.connect()

    def search(self, query: SearchQuery, now: datetime) -> list[EventSummary]:
        with translated_errors(), self._read() as session:
            statement = self._filtered(session, query, now)
            statement = statement.order_by(*_order(query.sort)).limit(query.limit).offset(
                query.offset)
            return [_summary(row) for row in session.execute(statement)]

    def suggest(self, prefix: str, now: datetime, limit: int) -> list[Suggestion]:
        words = WORD.findall(prefix)[:MAX_WORDS]
        if not words:
            return []
        upcoming = and_(EventRow.status == "SCHEDULED", EventRow.starts_at > now)
        with translated_errors(), self._read() as session:
            if _is_postgres(session):
                return _suggest_on_postgres(session, upcoming, words, limit)
            else:
                match = " ".join(f'"{w}"*' for w in words)
                statement = (
                    select(EventRow.id, EventRow.name, EventRow.starts_at)
                    .where(upcoming, _fts(f"name : ({match})"))
                    .order_by(EventRow.name.ilike(f"{words[0]}%").desc(),
                              EventRow.recent_sales.desc(), EventRow.starts_at)
                    .limit(limit))
            return [Suggestion(r.id, r.name, r.starts_at) for r in session.execute(statement)]

    def live(self, event_ids: list[str]) -> LiveState:
        """The catalog version and each event's tickets left, in one round trip."""
        version = select(CatalogVersionRow.version).where(
            CatalogVersionRow.id == 1).scalar_subquery()
        with translated_errors(), self._read() as session:
            if not event_ids:
                return LiveState(int(session.scalar(select(version)) or 0), {})
            rows = session.execute(
                select(TicketTypeRow.event_id, func.sum(StockRow.available), version)
                .join(StockRow, StockRow.ticket_type_id == TicketTypeRow.id)
                .where(TicketTypeRow.event_id.in_(event_ids))
                .group_by(TicketTypeRow.event_id)).all()
            if not rows:
                return LiveState(int(session.scalar(select(version)) or 0), {})
            return LiveState(int(rows[0][2] or 0),
                             {event_id: int(total or 0) for event_id, total, _ in rows})

    def live_ticket_types(self, event_id: str) -> LiveState:
        """The catalog version and each of the event's ticket types' tickets left, in one
        round trip."""
        version = select(CatalogVersionRow.version).where(
            CatalogVersionRow.id == 1).scalar_subquery()
        with translated_errors(), self._read() as session:
            rows = session.execute(
                select(StockRow.ticket_type_id, StockRow.available, version)
                .join(TicketTypeRow, StockRow.ticket_type_id == TicketTypeRow.id)
                .where(TicketTypeRow.event_id == event_id)).all()
            if not rows:
                return LiveState(int(session.scalar(select(version)) or 0), {})
            return LiveState(int(rows[0][2] or 0),
                             {type_id: int(left) for type_id, left, _ in rows})

    def version(self) -> int:
        with translated_errors(), self._read() as session:
            return int(session.scalar(select(CatalogVersionRow.version)
                                      .where(CatalogVersionRow.id == 1)) or 0)

    def _filtered(self, session: Connection, query: SearchQuery, now: datetime) -> Any:
        e = EventRow
        statement = select(e.id, e.number, e.name, e.category, e.venue, e.city, e.starts_at,
                           e.ends_at, e.timezone, e.currency, e.status, e.min_price,
                           e.max_price, e.image_url)
        conditions: list[Any] = []
        if not query.include_cancelled:
            conditions.append(e.status == "SCHEDULED")
        if not query.include_past:
            conditions.append(e.ends_at > now)
        if query.category is not None:
            conditions.append(e.category == query.category.value)
        if query.city:
            conditions.append(func.lower(e.city) == query.city.strip().lower())
        if query.organizer_id:
            conditions.append(e.organizer_id == query.organizer_id)
        if query.starts_from is not None:
            conditions.append(e.starts_at >= query.starts_from)
        if query.starts_until is not None:
            conditions.append(e.starts_at < query.starts_until)
        if query.min_price is not None:
            conditions.append(e.max_price >= query.min_price)
        if query.max_price is not None:
            conditions.append(e.min_price <= query.max_price)
        if query.only_available:
            conditions.append(exists(
                select(1).select_from(TicketTypeRow)
                .join(StockRow, StockRow.ticket_type_id == TicketTypeRow.id)
                .where(TicketTypeRow.event_id == e.id, StockRow.available > 0)))
        words = WORD.findall(query.text)[:MAX_WORDS]
        if words:
            if _is_postgres(session):
                terms = " & ".join(f"{w}:*" for w in words)
                conditions.append(text(f"{PG_DOCUMENT} @@ to_tsquery('simple', :terms)")
                                  .bindparams(terms=terms))
            else:
                conditions.append(_fts(" ".join(f'"{w}"*' for w in words)))
        return statement.where(*conditions)


def _fts(match: str) -> ColumnElement[bool]:
    """SQLite: events whose text matches in the FTS5 index (kept by triggers, 0003)."""
    return literal_column("events.rowid").in_(
        select(literal_column("rowid")).select_from(text("events_fts"))
        .where(text("events_fts MATCH :match").bindparams(match=match)))


def _suggest_on_postgres(connection: Connection, upcoming: ColumnElement[bool],
                        words: list[str], limit: int) -> list[Suggestion]:
    """Names with words starting so (best sellers first), then, for typos, the nearest
    names by trigram distance: both answered by an index (migration 0010)."""
    phrase = " ".join(words)
    prefixes = " & ".join(f"{w}:*" for w in words)
    found = connection.execute(
        select(EventRow.id, EventRow.name, EventRow.starts_at)
        .where(upcoming, text("to_tsvector('simple', events.name) @@ "
                              "to_tsquery('simple', :prefixes)").bindparams(prefixes=prefixes))
        .order_by(EventRow.name.ilike(f"{phrase}%").desc(), EventRow.recent_sales.desc(),
                  EventRow.starts_at)
        .limit(limit)).all()
    found = list(found)
    if len(found) < limit:
        seen = {r.id for r in found}
        # Pure nearest-neighbour order walks the GiST index; a WHERE on similarity would
        # not. Too distant names are dropped here instead.
        distance = text("(:phrase <<-> events.name)").bindparams(phrase=phrase)
        nearest = connection.execute(
            select(EventRow.id, EventRow.name, EventRow.starts_at,
                   func.word_similarity(phrase, EventRow.name).label("similarity"))
            .where(upcoming).order_by(distance).limit(limit)).all()
        found += [r for r in nearest
                  if r.id not in seen and r.similarity >= TYPO_SIMILARITY][:limit - len(found)]
    return [Suggestion(r.id, r.name, r.starts_at) for r in found]


def _order(sort: SortOrder) -> list[Any]:
    e = EventRow
    if sort is SortOrder.PRICE:
        return [e.min_price, e.starts_at, e.id]
    if sort is SortOrder.POPULARITY:
        return [e.recent_sales.desc(), e.starts_at, e.id]
    return [e.starts_at, e.id]


def _is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _summary(row: Any) -> EventSummary:
    return EventSummary(id=row.id, number=row.number, name=row.name, category=row.category,
                        venue=row.venue, city=row.city, starts_at=row.starts_at,
                        ends_at=row.ends_at, timezone=row.timezone, currency=row.currency,
                        status=row.status, min_price=row.min_price, max_price=row.max_price,
                        image_url=row.image_url)
