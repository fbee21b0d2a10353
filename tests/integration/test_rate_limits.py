"""The database rate limiter: a sliding window per key, shared by every process."""

from datetime import timedelta

from sqlalchemy import func, select

from tix.adapters.db.rows.ratelimit import RateLimitHitRow


def stored(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(RateLimitHitRow))


def test_a_window_counts_what_falls_in_it_and_says_the_wait(runtime, clock):
    limiter, window = runtime.limiter, timedelta(minutes=1)
    for _ in range(3):
        assert limiter.hit("k", limit=3, window=window, now=clock.now()).allowed
        clock.advance(timedelta(seconds=10))
    refused = limiter.hit("k", limit=3, window=window, now=clock.now())
    assert not refused.allowed and refused.retry_after == timedelta(seconds=30)
    assert not limiter.check("k", limit=3, window=window, now=clock.now()).allowed
    assert limiter.hit("other", limit=3, window=window, now=clock.now()).allowed  # per key
    clock.advance(timedelta(seconds=30))  # the first hit leaves the window
    assert limiter.hit("k", limit=3, window=window, now=clock.now()).allowed
    assert stored(runtime) == 5  # refusals are not counted


def test_the_daemon_forgets_hits_no_window_can_see(runtime, clock):
    from tests.support import deliver

    runtime.limiter.hit("old", limit=5, window=timedelta(hours=1), now=clock.now())
    clock.advance(timedelta(days=2))
    runtime.limiter.hit("new", limit=5, window=timedelta(hours=1), now=clock.now())
    deliver(runtime)
    assert stored(runtime) == 1
