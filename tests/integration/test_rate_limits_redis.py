"""The Redis rate limiter: the same sliding window as the database's, atomic across processes."""

import threading
from datetime import timedelta

import redis


def limiter_on(redis_url):
    from tix.adapters.cache.redis import RedisRateLimiter

    return RedisRateLimiter(redis.Redis.from_url(redis_url), lambda key: f"h({key})")


def test_a_window_counts_what_falls_in_it_and_says_the_wait(redis_url, clock):
    limiter, window = limiter_on(redis_url), timedelta(minutes=1)
    for _ in range(3):
        assert limiter.hit("k", limit=3, window=window, now=clock.now()).allowed
        clock.advance(timedelta(seconds=10))
    refused = limiter.hit("k", limit=3, window=window, now=clock.now())
    assert not refused.allowed and refused.retry_after == timedelta(seconds=30)
    assert not limiter.check("k", limit=3, window=window, now=clock.now()).allowed
    assert limiter.hit("other", limit=3, window=window, now=clock.now()).allowed  # per key
    clock.advance(timedelta(seconds=30))  # the first hit leaves the window
    assert limiter.hit("k", limit=3, window=window, now=clock.now()).allowed
    stored = redis.Redis.from_url(redis_url).zcard("tix:rl:h(k)")
    assert stored == 3  # refusals are not counted, hits out of the window are forgotten


def test_many_processes_at_the_last_slots_let_exactly_the_limit_through(redis_url, clock):
    """Checking and counting are one step: twenty at once for five slots get five."""
    allowed: list[bool] = []
    start = threading.Barrier(20)

    def attempt() -> None:
        limiter = limiter_on(redis_url)  # a client each, as separate processes have
        start.wait()
        decision = limiter.hit("door", limit=5, window=timedelta(seconds=1), now=clock.now())
        allowed.append(decision.allowed)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5 and allowed.count(False) == 15
