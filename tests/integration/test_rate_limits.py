"""The rate limiters: a sliding window per key, shared by every process — in the database,
or in Redis when configured."""

import threading
from datetime import timedelta

import pytest
import redis
from sqlalchemy import func, select

from tix.adapters.db.rows.ratelimit import RateLimitHitRow


def stored(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(RateLimitHitRow))


def redis_limiter(redis_url):
    from tix.adapters.cache.redis import RedisRateLimiter

    return RedisRateLimiter(redis.Redis.from_url(redis_url), lambda key: f"h({key})")


@pytest.fixture(params=["database", "redis"])
def limiter_and_hits(request, runtime):
    """(a limiter, how many hits it keeps for key "k", how many it should keep at the end
    of the test below: the database keeps hits out of the window until the daemon sweeps
    them, Redis forgets them at the next hit)."""
    if request.param == "database":
        return runtime.limiter, lambda: stored(runtime) - 1, 4  # less the hit of "other"
    url = request.getfixturevalue("redis_url")
    return redis_limiter(url), lambda: redis.Redis.from_url(url).zcard("tix:rl:h(k)"), 3


def test_a_window_counts_what_falls_in_it_and_says_the_wait(limiter_and_hits, clock):
    limiter, hits, kept = limiter_and_hits
    window = timedelta(minutes=1)
    for _ in range(3):
        assert limiter.hit("k", limit=3, window=window, now=clock.now()).allowed
        clock.advance(timedelta(seconds=10))
    refused = limiter.hit("k", limit=3, window=window, now=clock.now())
    assert not refused.allowed and refused.retry_after == timedelta(seconds=30)
    assert not limiter.check("k", limit=3, window=window, now=clock.now()).allowed
    assert limiter.hit("other", limit=3, window=window, now=clock.now()).allowed  # per key
    clock.advance(timedelta(seconds=30))  # the first hit leaves the window
    assert limiter.hit("k", limit=3, window=window, now=clock.now()).allowed
    assert hits() == kept  # refusals are not counted


def test_redis_lets_exactly_the_limit_through_when_many_race_for_the_last_slots(
        redis_url, clock):
    """Checking and counting are one step: twenty at once for five slots get five."""
    allowed: list[bool] = []
    start = threading.Barrier(20)

    def attempt() -> None:
        limiter = redis_limiter(redis_url)  # a client each, as separate processes have
        start.wait()
        decision = limiter.hit("door", limit=5, window=timedelta(seconds=1), now=clock.now())
        allowed.append(decision.allowed)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5 and allowed.count(False) == 15


def test_the_daemon_forgets_hits_no_window_can_see(runtime, clock):
    from tests.support import deliver

    runtime.limiter.hit("old", limit=5, window=timedelta(hours=1), now=clock.now())
    clock.advance(timedelta(days=2))
    runtime.limiter.hit("new", limit=5, window=timedelta(hours=1), now=clock.now())
    deliver(runtime)
    assert stored(runtime) == 1
