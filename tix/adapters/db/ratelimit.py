"""A rate limiter in the database, so limits hold across processes without Redis."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.db.engine import translated_errors
from tix.adapters.db.rows.ratelimit import RateLimitHitRow
from tix.core.ports import RateDecision


class SqlRateLimiter:
    def __init__(self, sessions: sessionmaker[Session], hide: Callable[[str], str]) -> None:
        self._sessions = sessions
        self._hide = hide  # keys name people ("reset:<email>"): store a keyed hash

    def hit(self, key: str, *, limit: int, window: timedelta, now: datetime) -> RateDecision:
        return self._attempt(key, limit, window, now, count=True)

    def check(self, key: str, *, limit: int, window: timedelta, now: datetime
              ) -> RateDecision:
        return self._attempt(key, limit, window, now, count=False)

    def _attempt(self, key: str, limit: int, window: timedelta, now: datetime, *,
                 count: bool) -> RateDecision:
        key = self._hide(key)
        start = now - window
        # Its own short transaction: the attempt counts even if the caller's work fails.
        with translated_errors(), self._sessions() as session, session.begin():
            rows = RateLimitHitRow
            if session.get_bind().dialect.name == "postgresql":
                # Serialise hits on one key, so two processes cannot both take the last slot.
                session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))
            session.execute(delete(rows).where(rows.key == key, rows.at <= start))
            hits = list(session.scalars(select(rows.at).where(rows.key == key)))
            if len(hits) >= limit:
                return RateDecision(False, min(hits) - start)
            if count:
                session.execute(insert(rows).values(key=key, at=now))
        return RateDecision(True)
