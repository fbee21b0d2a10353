"""Search over events: PostgreSQL full text and trigrams, SQLite FTS5.

A read view: it joins the inventory's `stock` table for "tickets available", which a
module's own repository would not do — searching 100,000 events cannot ask each one.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
)

from tix.adapters.db.engine import translated_errors
from tix.adapters.db.repositories.inventory import capacity_left, tickets_left
from tix.adapters.db.rows.catalog import (
    CatalogVersionRow,
    EventRow,
    EventTeamRow,
    TicketTypeRow,
)
from tix.adapters.db.rows.inventory import StockRow
from tix.core.catalog.model import GRANTS, Act
from tix.core.catalog.money import CURRENCIES
from tix.core.catalog.search import (
    COUNT_CAP,
    EventSummary,
    Found,
    LiveState,
    SearchQuery,
    SortOrder,
    Suggestion,
    folded,
)

WORD = re.compile(r"\w+", re.UNICODE)
TYPO_SIMILARITY = 0.3  # one swapped letter in a short word ("frham" → Frahm) passes
MAX_WORDS = 8
# PostgreSQL: name, description, venue and city as a tsvector of the tix_search
# configuration (simple, accents folded: bjork finds Björk), stored and indexed (0018).
PG_DOCUMENT = "events.search_document"
# Currencies by the size of their minor unit: 30 (major) is 30 JPY, 3000 cents, 30000 fils.
EXPONENTS = {exponent: sorted(c for c, e in CURRENCIES.items() if e == exponent)
             for exponent in set(CURRENCIES.values())}

def _works_for(user_id: str, act: Act) -> ColumnElement[bool]:
    """The event is the user's, or its team has them in a role that grants `act`."""
    roles = sorted(role.value for role, acts in GRANTS.items() if act in acts)
    return or_(EventRow.organizer_id == user_id, exists(
        select(1).select_from(EventTeamRow).where(
            EventTeamRow.event_id == EventRow.id, EventTeamRow.user_id == user_id,
            EventTeamRow.role.in_(roles))))


class SqlCatalogSearch:
    """Reads on an autocommit engine: one round trip per query, no BEGIN/ROLLBACK."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _read(self) -> Connection:
        return self._engine.connect()

    def search(self, query: SearchQuery, now: datetime) -> Found:
        """The page; with_total, and the count of all matches in the same round trip: a
        window over the matches up to COUNT_CAP past the page's start (cheap however broad
        the search)."""
        with translated_errors(), self._read() as session:
            matches = self._filtered(session, query, now)
            if not query.with_total:
                rows = session.execute(matches.order_by(*_order(
                    query.sort, EventRow.__table__.c)).limit(query.limit).offset(
                    query.offset)).all()
                return Found([_summary(row) for row in rows], query.offset + len(rows),
                             at_least=len(rows) == query.limit)
            counted = matches.order_by(*_order(query.sort, EventRow.__table__.c)).limit(
                query.offset + COUNT_CAP + 1).subquery()
            statement = (select(counted, func.count().over().label("total"))
                         .order_by(*_order(query.sort, counted.c))
                         .limit(query.limit).offset(query.offset))
            rows = session.execute(statement).all()
            if rows:
                total = int(rows[0].total)
            elif query.offset == 0:
                total = 0
            else:  # past the last page: the window had no row to sit on
                total = int(session.scalar(select(func.count()).select_from(counted)) or 0)
            return Found([_summary(row) for row in rows], min(total, query.offset + COUNT_CAP),
                         at_least=total > query.offset + COUNT_CAP)

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
            total = func.sum(tickets_left())
            capacity = capacity_left(TicketTypeRow.event_id)
            rows = session.execute(
                select(TicketTypeRow.event_id,
                       case((capacity < total, capacity), else_=total), version)
                .join(StockRow, StockRow.ticket_type_id == TicketTypeRow.id)
                .where(TicketTypeRow.event_id.in_(event_ids),
                       TicketTypeRow.hidden.is_(False))  # a hidden type is nobody's to see
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
                select(StockRow.ticket_type_id, tickets_left(), version,
                       capacity_left(TicketTypeRow.event_id))
                .join(TicketTypeRow, StockRow.ticket_type_id == TicketTypeRow.id)
                .where(TicketTypeRow.event_id == event_id)).all()
            if not rows:
                return LiveState(int(session.scalar(select(version)) or 0), {})
            return LiveState(int(rows[0][2] or 0),
                             {type_id: int(left) for type_id, left, _, _ in rows},
                             capacity_left=rows[0][3])

    def version(self) -> int:
        with translated_errors(), self._read() as session:
            return int(session.scalar(select(CatalogVersionRow.version)
                                      .where(CatalogVersionRow.id == 1)) or 0)

    def _filtered(self, session: Connection, query: SearchQuery, now: datetime) -> Any:
        e = EventRow
        statement = select(e.id, e.number, e.name, e.category, e.venue, e.city, e.starts_at,
                           e.ends_at, e.timezone, e.currency, e.status, e.min_price,
                           e.max_price, e.image_url, e.recent_sales)
        conditions: list[Any] = []
        if not query.include_cancelled:
            conditions.append(e.status == "SCHEDULED")
        else:
            conditions.append(e.status != "DRAFT")  # a draft is nobody's to find
        if not query.include_past:
            conditions.append(e.ends_at > now)
        if query.category is not None:
            conditions.append(e.category == query.category.value)
        if query.city:
            conditions.append(e.city_key == folded(query.city))
        if query.organizer_id:
            conditions.append(e.organizer_id == query.organizer_id)
        if query.seller_id:
            conditions.append(_works_for(query.seller_id, Act.SELL))
        if query.scanner_id:
            conditions.append(_works_for(query.scanner_id, Act.SCAN))
        if query.manager_id:
            conditions.append(_works_for(query.manager_id, Act.MANAGE))
        if query.starts_from is not None:
            conditions.append(e.starts_at >= query.starts_from)
        if query.starts_until is not None:
            conditions.append(e.starts_at < query.starts_until)
        if query.currency:
            conditions.append(e.currency == query.currency)
        if query.min_price is not None or query.max_price is not None:
            conditions.append(_price_range(query))
        if query.only_available:
            conditions.append(exists(
                select(1).select_from(TicketTypeRow)
                .join(StockRow, StockRow.ticket_type_id == TicketTypeRow.id)
                .where(TicketTypeRow.event_id == e.id, TicketTypeRow.hidden.is_(False),
                       tickets_left() > 0)))
        words = WORD.findall(query.text)[:MAX_WORDS]
        if words:
            if _is_postgres(session):
                terms = " & ".join(f"{w}:*" for w in words)
                conditions.append(text(f"{PG_DOCUMENT} @@ to_tsquery('tix_search', :terms)")
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


def _price_range(query: SearchQuery) -> ColumnElement[bool]:
    """Events with a price in the range, in the query's currency or else each in its own
    major units: one condition per size of minor unit (exact integers, no floats)."""
    e = EventRow
    if query.currency:
        groups = {CURRENCIES.get(query.currency, 2): e.currency == query.currency}
    else:  # a currency tix does not list counts in cents, as format_money does
        listed = [c for exponent, codes in EXPONENTS.items() if exponent != 2 for c in codes]
        groups = {exponent: e.currency.in_(codes) for exponent, codes in EXPONENTS.items()}
        groups[2] = e.currency.not_in(listed)
    return or_(*(and_(in_group, *_bounds(query.min_price, query.max_price, exponent))
                 for exponent, in_group in sorted(groups.items())))


def _bounds(low: Decimal | None, high: Decimal | None, exponent: int) -> list[Any]:
    e = EventRow
    bounds = []
    if low is not None:  # some ticket type costs at least this
        bounds.append(e.max_price >= int(low.scaleb(exponent).to_integral_value(ROUND_CEILING)))
    if high is not None:  # some ticket type costs at most this
        bounds.append(e.min_price <= int(high.scaleb(exponent).to_integral_value(ROUND_FLOOR)))
    return bounds


def _order(sort: SortOrder, c: Any) -> list[Any]:
    """By price: within each currency (a yen is no cent), cheapest first."""
    if sort is SortOrder.PRICE:
        return [c.currency, c.min_price, c.starts_at, c.id]
    if sort is SortOrder.POPULARITY:
        return [c.recent_sales.desc(), c.starts_at, c.id]
    return [c.starts_at, c.id]


def _is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _summary(row: Any) -> EventSummary:
    return EventSummary(id=row.id, number=row.number, name=row.name, category=row.category,
                        venue=row.venue, city=row.city, starts_at=row.starts_at,
                        ends_at=row.ends_at, timezone=row.timezone, currency=row.currency,
                        status=row.status, min_price=row.min_price, max_price=row.max_price,
                        image_url=row.image_url)
