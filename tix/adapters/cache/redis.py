"""Redis as a cache and a rate limiter. Redis is never the source of truth: a cache that
cannot reach it answers misses, and the limiter refuses to guess (it raises Unavailable)."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import redis

from tix.adapters.cache.breaker import Breaker
from tix.core.errors import Unavailable
from tix.core.ports import RateDecision, RateLimiter

log = logging.getLogger(__name__)


def connect(url: str) -> redis.Redis:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # No retries: the callers fall back to the database at once instead of waiting.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5,
                                decode_responses=True, retry=Retry(NoBackoff(), 0))


# A lookup and its count in one round trip: every process's hits and misses add up in
# Redis, where the daemon's /metrics reads them, and counting costs no extra trip.
_COUNTED_GET = """
local value = redis.call('GET', KEYS[1])
if value then
    redis.call('INCR', KEYS[2])
else
    redis.call('INCR', KEYS[3])
end
return value
"""


class RedisCache:
    def __init__(self, client: redis.Redis, prefix: str = "tix:") -> None:
        self._client = client
        self._prefix = prefix
        self._breaker = Breaker(lambda: self._client.ping())
        self._counted_get = client.register_script(_COUNTED_GET)  # no I/O until used
        self._counters = [f"{prefix}stats:cache_hits", f"{prefix}stats:cache_misses"]

    def get(self, key: str) -> str | None:
        if self._is_down():
            return None  # not counted: the lookup never reached the cache
        try:
            value = self._counted_get(keys=[self._prefix + key, *self._counters],
                                      client=self._client)
        except redis.RedisError as error:
            self._went_down(error)
            return None
        return value  # type: ignore[no-any-return]

    def set(self, key: str, value: str, ttl: timedelta) -> None:
        if self._is_down():
            return
        try:
            self._client.set(self._prefix + key, value,
                             px=max(1, int(ttl.total_seconds() * 1000)))
        except redis.RedisError as error:
            self._went_down(error)

    def delete(self, *keys: str) -> None:
        if not keys:
            return
        try:
            self._client.delete(*(self._prefix + k for k in keys))
        except redis.RedisError as error:
            # A stale entry could outlive its truth: keep trying deletes even while "down".
            self._went_down(error)

    def stats(self) -> tuple[int, int] | None:
        """Every process's lookups through this Redis (hits, misses); None while it is
        unreachable."""
        if self._is_down():
            return None
        try:
            hits, misses = self._client.mget(self._counters)
        except redis.RedisError as error:
            self._went_down(error)
            return None
        return int(hits or 0), int(misses or 0)

    def _is_down(self) -> bool:
        return not self._breaker.allows()

    def _went_down(self, error: Exception) -> None:
        if self._breaker.failed():  # said once per outage, not once per call
            log.warning("redis unavailable, using the database meanwhile: %s", error)


# One sliding window, atomically and in one round trip: forget hits older than the
# window, refuse (with the oldest hit's time) when the window is full, else count this one.
# Checking and counting in separate calls let two processes through at the same last slot,
# and reading the whole window back cost a reply as long as the limit.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
    return {0, redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]}
end
if ARGV[4] == '1' then
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
    redis.call('EXPIRE', KEYS[1], ARGV[6])
end
return {1, '0'}
"""


class RedisRateLimiter:
    """A sliding window per key in a sorted set, shared by every process."""

    def __init__(self, client: redis.Redis, hide: Callable[[str], str],
                 prefix: str = "tix:rl:") -> None:
        self._client = client
        self._window = client.register_script(_SLIDING_WINDOW)
        self._breaker = Breaker(lambda: self._client.ping())
        self._hide = hide  # keys name people ("reset:<email>"): use a keyed hash
        self._prefix = prefix

    def hit(self, key: str, *, limit: int, window: timedelta, now: datetime) -> RateDecision:
        return self._attempt(key, limit, window, now, count=True)

    def check(self, key: str, *, limit: int, window: timedelta, now: datetime
              ) -> RateDecision:
        return self._attempt(key, limit, window, now, count=False)

    def _attempt(self, key: str, limit: int, window: timedelta, now: datetime, *,
                 count: bool) -> RateDecision:
        if not self._breaker.allows():
            raise Unavailable("rate limiter (redis) unavailable, checked every few seconds")
        stamp = now.timestamp()
        start = stamp - window.total_seconds()
        try:
            allowed, oldest = self._window(
                keys=[self._prefix + self._hide(key)],
                args=[repr(stamp), repr(start), limit, 1 if count else 0, uuid.uuid4().hex,
                      int(window.total_seconds()) + 1])
        except redis.RedisError as error:
            self._breaker.failed()
            raise Unavailable(f"rate limiter (redis) unavailable: {error}") from error
        if allowed:
            return RateDecision(True)
        return RateDecision(False, timedelta(seconds=float(oldest) - start))


class RateLimiterWithFallback:
    """Redis first; while it is unreachable, the database keeps counting (never no limit,
    never an outage: a dead Redis must not lock every user out)."""

    def __init__(self, primary: RateLimiter, fallback: RateLimiter) -> None:
        self._primary = primary
        self._fallback = fallback
        self._quiet_until = 0.0  # one warning per outage, not one per call

    def hit(self, key: str, *, limit: int, window: timedelta, now: datetime) -> RateDecision:
        try:
            return self._primary.hit(key, limit=limit, window=window, now=now)
        except Unavailable as error:
            if time.monotonic() >= self._quiet_until:
                log.warning("%s; counting in the database", error.message)
            self._quiet_until = time.monotonic() + 30
            return self._fallback.hit(key, limit=limit, window=window, now=now)

    def check(self, key: str, *, limit: int, window: timedelta, now: datetime
              ) -> RateDecision:
        try:
            return self._primary.check(key, limit=limit, window=window, now=now)
        except Unavailable:
            return self._fallback.check(key, limit=limit, window=window, now=now)
