"""A rate limiter in the database, so limits hold across processes without Redis."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.orm import Session, sessionmaker

from tix.adapters.db.engine import translated_errors
from tix.adapters.db.rows.ratelimit import RateLimitHitRow
from tix.adapters.db.types import UtcDateTime
from tix.core.ports import RateDecision

KEPT = timedelta(days=1)  # longer than any window: older hits count for nothing


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
        rows = RateLimitHitRow
        in_window = (rows.key == key) & (rows.at > start)
        # Its own short transaction: the attempt counts even if the caller's work fails.
        with translated_errors(), self._sessions() as session, session.begin():
            if count:
                if session.get_bind().dialect.name == "postgresql":
                    # One writer per key at a time: two processes cannot both take the last
                    # slot (SQLite's writers are serialised already).
                    session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))
                # counted only if there is room, in one statement (a check-in pays for it)
                taken = session.execute(
                    insert(rows).from_select(
                        ["key", "at"],
                        select(literal(key), literal(now, UtcDateTime())).where(
                            select(func.count()).where(in_window).scalar_subquery() < limit))
                    .returning(rows.id)).first()
                if taken is not None:
                    return RateDecision(True)
            hits, oldest = session.execute(select(func.count(), func.min(rows.at))
                                           .where(in_window)).one()
        if hits >= limit:
            return RateDecision(False, _aware(oldest) - start)
        return RateDecision(True)


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def forget_old_hits(sessions: sessionmaker[Session], now: datetime) -> int:
    """Daemon job: delete hits no window can see any more (kept out of the hot path)."""
    with translated_errors(), sessions() as session, session.begin():
        result = session.execute(delete(RateLimitHitRow).where(RateLimitHitRow.at < now - KEPT))
    return int(result.rowcount)  # type: ignore[attr-defined]
